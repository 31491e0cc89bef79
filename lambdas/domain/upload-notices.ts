/**
 * What ops are told about uploads that stop counting or never counted: a retraction (the file was deleted from
 * `incoming/`) and a misplaced upload (a file under `incoming/` outside every dataset folder). Plain text, keys
 * escaped with `printable` (a key is a file name someone typed), no row values.
 */
import { BUCKET_PREFIX, DATASET_NAMES, incomingPrefix, type DatasetName } from './layout.ts';
import type { UploadRecord, UploadRemoval } from './model.ts';
import { compareSequencers } from './records/upload-order.ts';
import { printable } from './validation/summary.ts';

// ---- which uploads a removal retracts ----------------------------------------------------------------------

/**
 * Whether `removal` retracts `upload`. A version deleted for good retracts that version's upload only. A file
 * gone from `incoming/` retracts the key's uploads written before the removal: by S3 sequencer when both have
 * one (S3 makes it grow with every write and delete of a key), else by event time. A removal that cannot be
 * ordered against the upload retracts it when `unordered` is 'retract' (the removal is being processed now, so
 * every upload already recorded came first), never when 'keep' (an upload recorded later may be a re-upload).
 */
export function removalRetracts(
  removal: Pick<UploadRemoval, 'key' | 'scope' | 'versionId' | 'sequencer' | 'eventTime'>,
  upload: Pick<UploadRecord, 'key' | 'versionId' | 'sequencer' | 'uploadedAt'>,
  unordered: 'retract' | 'keep',
): boolean {
  if (removal.key !== upload.key) return false;
  if (removal.scope === 'version') return removal.versionId !== undefined && removal.versionId === upload.versionId;
  if (removal.sequencer && upload.sequencer) return compareSequencers(upload.sequencer, removal.sequencer) < 0;
  const removedAt = removal.eventTime ? Date.parse(removal.eventTime) : NaN; // ISO instants written by S3
  const uploadedAt = Date.parse(upload.uploadedAt);
  if (Number.isFinite(removedAt) && Number.isFinite(uploadedAt)) return uploadedAt <= removedAt;
  return unordered === 'retract';
}

/** Removals in the order both ledgers list them: when they were recorded, then as S3 ordered them. */
export function sortRemovals<R extends Pick<UploadRemoval, 'recordedAt' | 'sequencer' | 'eventTime' | 'scope' | 'versionId'>>(removals: R[]): R[] {
  const order = (r: R): string[] => [r.recordedAt, r.sequencer ?? '', r.eventTime ?? '', r.scope, r.versionId ?? ''];
  return removals.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

// ---- the retraction email ------------------------------------------------------------------------------------

/** Why the uploads were retracted, for the email's first sentence. */
export type RetractionCause = 'deleted' | 'version-deleted' | 'deleted-while-validating';

export function formatRetractionEmail(uploads: readonly UploadRecord[], cause: RetractionCause): { subject: string; text: string } {
  const key = printable(uploads[0]?.key ?? '');
  const records = uploads.reduce((n, u) => n + u.acceptedRows, 0);
  const subject = uploads.length === 1 ? `Upload retracted: ${key}` : `${uploads.length} uploads retracted: ${key}`;
  const why = {
    'deleted': `${key} was deleted from the bucket`,
    'version-deleted': `A version of ${key} was deleted for good`,
    'deleted-while-validating': `${key} was deleted from the bucket while it was being validated`,
  }[cause];
  const lines = [
    `${why}, so ${uploads.length === 1 ? 'its upload is' : `these ${uploads.length} uploads of it are`} retracted (${uploads[0]?.dataset ?? ''}):`,
    '',
    ...uploads.map((u) => `  - upload ${u.uploadId}, uploaded ${u.uploadedAt}: ${u.acceptedRows} record${u.acceptedRows === 1 ? '' : 's'} (${u.recordsKey ?? 'no stored records'})`),
    '',
    `${records} record${records === 1 ? '' : 's'} stop counting from the next KPI run (the scheduled one, or a backfill of the`,
    'periods concerned). Where an earlier upload of another file has a record with the same key, that record counts again.',
    '',
    'To count the file again, upload it again: that is a new upload.',
  ];
  return { subject, text: lines.join('\n') };
}

// ---- misplaced uploads ----------------------------------------------------------------------------------------

/** What each dataset folder is for, in the words of docs/exports.md. */
const DATASET_HINTS: Readonly<Record<DatasetName, string>> = {
  leads: 'leads / contacts and the dates they reached each funnel stage',
  opportunities: 'deals / opportunities',
  spend: 'money spent per day or month on a channel or campaign',
  customers: 'paying customer accounts',
  web_traffic: 'website sessions per day, optionally per channel',
};

/** Other names people give a dataset's folder (compared after `normalise`). */
const ALIASES: Readonly<Record<DatasetName, readonly string[]>> = {
  leads: ['lead', 'contact', 'contacts', 'hubspotcontacts', 'mql', 'mqls'],
  opportunities: ['opportunity', 'opps', 'opp', 'deal', 'deals', 'pipeline'],
  spend: ['spends', 'adspend', 'ads', 'cost', 'costs', 'marketingspend', 'budget'],
  customers: ['customer', 'account', 'accounts', 'subscription', 'subscriptions', 'clients'],
  web_traffic: ['webtraffic', 'traffic', 'web', 'ga4', 'analytics', 'sessions', 'website'],
};

/** Lower case, letters and digits only: `Web Traffic`, `web-traffic` and `WEB_TRAFFIC` are one name. */
const normalise = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Levenshtein distance, for typos (`leeds`, `oportunities`); names are short. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The dataset a folder name means: the same name in other letters or separators, an alias, or a near typo. */
export function datasetOfFolderName(folder: string): DatasetName | undefined {
  const name = normalise(folder);
  if (!name) return undefined;
  for (const d of DATASET_NAMES) if (normalise(d) === name || ALIASES[d].includes(name)) return d;
  const near = DATASET_NAMES.filter((d) => distance(normalise(d), name) <= (name.length > 5 ? 2 : 1));
  return near.length === 1 ? near[0] : undefined;
}

/** The dataset a file name directly under `incoming/` points at, when exactly one does (`leads-oct.csv`). */
function datasetOfFileName(file: string): DatasetName | undefined {
  const words = file.replace(/\.[^.]*$/, '').split(/[^\p{L}\p{N}]+/u).map(normalise).filter(Boolean);
  const found = new Set<DatasetName>();
  for (const w of words) {
    for (const d of DATASET_NAMES) if (normalise(d) === w || ALIASES[d].includes(w)) found.add(d);
  }
  if (words.join('').includes('webtraffic')) found.add('web_traffic');
  return found.size === 1 ? [...found][0] : undefined;
}

/** Whether a key is inside a dataset folder (`incoming/<dataset>/…`), where a validation function handles it. */
export const inDatasetFolder = (key: string): boolean => DATASET_NAMES.some((d) => key.startsWith(incomingPrefix(d)));

export interface MisplacedSuggestion {
  readonly dataset?: DatasetName;
  /** Where the file should go: the same path under the dataset's folder. */
  readonly key?: string;
}

/**
 * Where a key under `incoming/` outside every dataset folder should have gone: `incoming/Leads/x.csv` →
 * `incoming/leads/x.csv`, `incoming/deals/2026/x.csv` → `incoming/opportunities/2026/x.csv`, `incoming/leads-oct.csv`
 * → `incoming/leads/leads-oct.csv`; nothing when no dataset fits (the email lists them all).
 */
export function suggestDatasetFolder(key: string): MisplacedSuggestion {
  const rest = key.slice(BUCKET_PREFIX.incoming.length);
  const slash = rest.indexOf('/');
  if (slash < 0) {
    const dataset = datasetOfFileName(rest);
    return dataset ? { dataset, key: `${incomingPrefix(dataset)}${rest}` } : {};
  }
  const dataset = datasetOfFolderName(rest.slice(0, slash));
  return dataset ? { dataset, key: `${incomingPrefix(dataset)}${rest.slice(slash + 1)}` } : {};
}

export function formatMisplacedEmail(key: string, suggestion: MisplacedSuggestion): { subject: string; text: string } {
  const shown = printable(key);
  const folders = DATASET_NAMES.map((d) => `  ${incomingPrefix(d).padEnd(24)}${DATASET_HINTS[d]}`);
  const lines = [
    `${shown} was uploaded under ${BUCKET_PREFIX.incoming} but not into a dataset folder, so it was not validated`,
    'and none of its rows count.',
    '',
    ...(suggestion.dataset && suggestion.key
      ? [
        `It looks like a ${suggestion.dataset} export (folder names are exact, in lower case): upload it as`,
        `  ${printable(suggestion.key)}`,
        `and delete ${shown}.`,
      ]
      : ['Upload it again into the folder of its dataset, and delete this copy.']),
    '',
    'The dataset folders:',
    ...folders,
  ];
  return { subject: `Upload outside a dataset folder: ${shown}`, text: lines.join('\n') };
}
