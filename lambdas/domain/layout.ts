/**
 * Where things live in the bucket and the table. The stack, the adapters and the local stand-ins all read
 * this, so a prefix or a key name is written once.
 */

export const DATASET_NAMES = ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const isDatasetName = (s: string): s is DatasetName => (DATASET_NAMES as readonly string[]).includes(s);

/**
 * Bucket prefixes. Only `incoming/` triggers Lambdas; everything the pipeline writes goes elsewhere, so no
 * output can re-trigger a validation.
 */
export const BUCKET_PREFIX = {
  incoming: 'incoming/',
  accepted: 'accepted/',
  rejected: 'rejected/',
  reports: 'reports/',
  /** The drill-down page of each period and its CSV (`web/<period>/index.html`, `web/<period>/scorecard.csv`). */
  web: 'web/',
} as const;

/** The files of a period's drill-down page. */
export const PAGE_FILES = ['index.html', 'scorecard.csv'] as const;
export type PageFile = (typeof PAGE_FILES)[number];

/** Where a period's page file is kept in the bucket. */
export const pageKey = (periodId: string, file: PageFile): string => `${BUCKET_PREFIX.web}${periodId}/${file}`;

export const incomingPrefix = (dataset: DatasetName): string => `${BUCKET_PREFIX.incoming}${dataset}/`;

/** The dataset an incoming key belongs to, or undefined when the key is not under `incoming/<dataset>/`. */
export function datasetOfKey(key: string): DatasetName | undefined {
  if (!key.startsWith(BUCKET_PREFIX.incoming)) return undefined;
  const name = key.slice(BUCKET_PREFIX.incoming.length).split('/')[0] ?? '';
  return isDatasetName(name) ? name : undefined;
}

/**
 * Where the copy of a rejected upload goes: the sub-folders it had under `incoming/<dataset>/`, then a folder
 * named by its upload id, then its file name. `incoming/leads/2026/oct.csv` rejected as upload `1f0c…` is copied
 * to `rejected/leads/2026/1f0c…/oct.csv`, its report beside it (`rejectedReportKey`). Every upload (a re-upload
 * of the key is a new one) keeps its own copy and report; the folders ops uploaded into are still there to
 * browse, and the file keeps its name when downloaded. The upload id is the one of the upload record and of
 * `accepted/` and `reports/` (hex, safe in a key).
 */
export function rejectedCopyKey(incomingKey: string, dataset: DatasetName, uploadId: string): string {
  const rest = incomingKey.slice(incomingPrefix(dataset).length);
  const folders = rest.slice(0, rest.lastIndexOf('/') + 1); // '' or 'a/b/'
  const name = rest.slice(folders.length);
  const key = `${BUCKET_PREFIX.rejected}${dataset}/${folders}${uploadId}/${name}`;
  if (Buffer.byteLength(rejectedReportKey(key)) <= MAX_KEY_BYTES) return key;
  // An upload key near S3's 1,024-byte limit: its copy and report (longer by the id and `.report.json`) go
  // straight under the dataset, with the end of its file name (the extension stays).
  const room = MAX_KEY_BYTES - Buffer.byteLength(rejectedReportKey(`${BUCKET_PREFIX.rejected}${dataset}/${uploadId}/`));
  return `${BUCKET_PREFIX.rejected}${dataset}/${uploadId}/${tailWithin(name, room)}`;
}

/** The longest key S3 takes, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/** The end of `s` that fits in `bytes` UTF-8 bytes, not cutting a character in two. */
function tailWithin(s: string, bytes: number): string {
  const chars = [...s];
  let used = 0;
  let from = chars.length;
  while (from > 0 && used + Buffer.byteLength(chars[from - 1]!) <= bytes) used += Buffer.byteLength(chars[--from]!);
  return chars.slice(from).join('');
}

/** The report of a rejected upload, beside its copy. */
export const rejectedReportKey = (copyKey: string): string => `${copyKey}.report.json`;

/**
 * The single table. Items:
 * - upload records: pk `UPLOADS#<dataset>`, sk `UPLOAD#<upload id>` (one Query lists a dataset's uploads; the
 *   order they apply in is worked out from their times and sequencers: domain/records/upload-order.ts);
 * - KPI values: pk `KPIS#<period id>`, sk `<kpi id>` (one Query returns a period's scorecard), with
 *   gsi1pk `KPI#<kpi id>#<period type>` / gsi1sk `<period id>` (one Query returns a KPI's history);
 * - KPI breakdowns: pk `KPIS#<period id>`, sk `<kpi id>#BY#<dimension>#<part>` (`000`, then `001`… when one item
 *   would pass 300 KB: thousands of campaigns still fit DynamoDB's 400 KB per item); the period's Query returns them
 *   with the KPIs; no index keys, so a KPI's history Query reads the values without them;
 * - period summaries: pk `KPIS#<period id>`, sk `#PERIOD`;
 * - send records: pk `SENDS#<period id>`, sk `<recipient>` (written conditionally: one email per period and recipient);
 * - removals of incoming keys: pk `REMOVALS#<dataset>`, sk `<key hash>#<removal hash>` (one Query lists a key's);
 * - misplaced-upload notices: pk `NOTICES#misplaced-upload`, sk `<notice id>` (written conditionally: one per version).
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  kpiHistoryIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/** Environment variables that bind a function to its resources; the stack sets them, the handlers read them. */
export const RESOURCE_ENV = {
  bucket: 'SCORECARD_BUCKET',
  table: 'SCORECARD_TABLE',
  /** Optional endpoint overrides (the local stand-ins); absent on AWS. */
  s3Endpoint: 'SCORECARD_S3_ENDPOINT',
  dynamodbEndpoint: 'SCORECARD_DYNAMODB_ENDPOINT',
  sesEndpoint: 'SCORECARD_SES_ENDPOINT',
  secretsManagerEndpoint: 'SCORECARD_SECRETSMANAGER_ENDPOINT',
  /** The drill-down page's base URL (the viewer's Function URL, or the local server's), ending in `/`. */
  pageUrl: 'SCORECARD_PAGE_URL',
  /** The Secrets Manager secret (ARN or name) holding the key that signs the page's links. */
  linkKeySecret: 'SCORECARD_LINK_KEY_SECRET',
} as const;

/** Handler entry files, relative to the project root; the stack bundles these. */
export const HANDLER_ENTRIES = {
  validateUpload: 'lambdas/handlers/validate-upload.ts',
  computeKpis: 'lambdas/handlers/compute-kpis.ts',
  sendScorecard: 'lambdas/handlers/send-scorecard.ts',
  notifyMisplacedUpload: 'lambdas/handlers/notify-misplaced-upload.ts',
  viewPage: 'lambdas/handlers/view-page.ts',
} as const;
