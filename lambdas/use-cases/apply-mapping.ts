/**
 * A `mapping.json` uploaded or changed under `incoming/<dataset>/`: the uploads of its folder (and the folders
 * below, unless a nearer mapping file governs them) that were rejected for their columns or values are validated
 * again with it, and ops get one email saying what was accepted. Nothing is lost in between: a rejected upload
 * stays in `incoming/`, and is accepted once its mapping arrives.
 *
 * Each validation again is an upload record of its own (`revalidates` names the rejected one), ordered as the
 * original upload (same upload time and sequencer), with an id made of the original's and the mapping's version:
 * a redelivered event finds them recorded and only finishes the email if it is still owed.
 */
import { createHash } from 'node:crypto';
import type { DatasetName } from '../domain/layout.ts';
import { folderOf } from '../domain/mapping/locate.ts';
import { MappingError, isMappingKey, parseMappingFile } from '../domain/mapping/schema.ts';
import { formatBadMappingEmail, formatMappingAppliedEmail, type RevalidatedUpload } from '../domain/mapping/notices.ts';
import type { ErrorCode, ValidationReport } from '../domain/validation/report.ts';
import { orderUploads } from '../domain/records/upload-order.ts';
import { ObjectTooLargeError, isNotFound, type ObjectRef, type UploadRecord } from '../ports/index.ts';
import type { IngestDeps } from './ingest-upload.ts';
import { MAX_MAPPING_BYTES, nearestMapping, validateVersion, type FoundMapping } from './validate-version.ts';

export interface MappingOutcome {
  readonly outcome: 'mapping';
  readonly mappingKey: string;
  /** The uploads validated again (or found validated already, on a redelivered event), and how they came out. */
  readonly revalidated: readonly { readonly key: string; readonly uploadId: string; readonly status: 'accepted' | 'rejected' }[];
  /** Why the mapping file cannot be used, when it cannot. */
  readonly problem?: string;
}

/**
 * The errors a mapping file can fix: headers it names (`missing-column`), words and formats it declares
 * (`type-error`, `constraint-error`; `date-order` and `future-date` from a date order it sets), and its own
 * (`mapping-error`). An upload rejected for anything else is left alone.
 */
export const FIXABLE_BY_MAPPING: readonly ErrorCode[] = ['missing-column', 'type-error', 'constraint-error', 'mapping-error', 'date-order', 'future-date'];

/** The id of an upload validated again with a version of a mapping file. */
const revalidationId = (original: string, mapping: FoundMapping): string =>
  createHash('sha256').update(`${original}\nmapping\n${mapping.key}\n${mapping.tag}`).digest('hex').slice(0, 24);

export async function applyMapping(ref: ObjectRef, deps: IngestDeps, dataset: DatasetName): Promise<MappingOutcome> {
  let mapping: FoundMapping;
  try {
    const found = await deps.store.readTextIfExists(ref.bucket, ref.key, MAX_MAPPING_BYTES);
    if (!found) return { outcome: 'mapping', mappingKey: ref.key, revalidated: [], problem: 'deleted before it was read' };
    mapping = { key: ref.key, tag: found.info.versionId ?? found.info.etag ?? found.info.lastModified, text: found.text };
    parseMappingFile(found.text, dataset, ref.key);
  } catch (e) {
    const problems = e instanceof MappingError ? e.problems
      : e instanceof ObjectTooLargeError ? [{ path: '', message: `is ${e.size} bytes: a mapping file is a few columns and words` }] : undefined;
    if (!problems) throw e;
    // At least once: a redelivered event may send it again, which beats a bad mapping going unnoticed.
    const mail = formatBadMappingEmail(ref.key, problems);
    await deps.mailer.send({ from: deps.settings.sender, to: [deps.settings.opsEmail], subject: mail.subject, text: mail.text });
    return { outcome: 'mapping', mappingKey: ref.key, revalidated: [], problem: problems.map((p) => p.message).join('; ') };
  }

  const folder = folderOf(ref.key);
  const inFolder = (await deps.ledger.listUploads(dataset)).filter((u) => u.key.startsWith(folder) && !isMappingKey(u.key));
  const results: { record: UploadRecord; fresh: boolean }[] = [];
  for (const original of latestRejectedVersions(inFolder)) {
    // A file in a sub-folder with a mapping file of its own is that one's.
    if ((await nearestMapping(deps.store, original.bucket, original.key, dataset))?.key !== ref.key) continue;
    const uploadId = revalidationId(original.uploadId, mapping);
    const known = await deps.ledger.findUpload({ dataset, uploadedAt: original.uploadedAt, key: original.key, uploadId });
    if (known) { results.push({ record: known, fresh: false }); continue; }
    const version: ObjectRef = { bucket: original.bucket, key: original.key, ...(original.versionId ? { versionId: original.versionId } : {}) };
    let record: UploadRecord;
    try {
      ({ record } = await validateVersion({
        dataset, version, uploadId, uploadedAt: original.uploadedAt, ...(original.sequencer ? { sequencer: original.sequencer } : {}), mapping,
      }, deps));
    } catch (e) {
      // The file was deleted since it was rejected: nothing to validate again.
      if (isNotFound(e)) continue;
      throw e;
    }
    const pending: UploadRecord = { ...record, revalidates: original.uploadId, opsNotice: 'pending' };
    results.push({ record: pending, fresh: await deps.ledger.recordUpload(pending) });
  }
  // Validated with this version of the mapping already (a redelivered event): said again, and emailed if still owed.
  const done = new Set(results.map((r) => r.record.uploadId));
  for (const u of inFolder) {
    if (u.revalidates && u.mapping === `${mapping.key}@${mapping.tag}` && !done.has(u.uploadId)) results.push({ record: u, fresh: false });
  }
  const owed = results.filter((r) => r.record.opsNotice === 'pending');
  if (owed.length > 0) {
    const uploads: RevalidatedUpload[] = [];
    for (const { record } of owed) {
      const report = record.status === 'rejected' ? await deps.store.readJson<ValidationReport>(record.bucket, record.reportKey) : undefined;
      uploads.push({
        key: record.key, status: record.status, rows: record.rows, acceptedRows: record.acceptedRows, reportKey: record.reportKey,
        errors: report?.errors ?? [],
      });
    }
    const mail = formatMappingAppliedEmail(dataset, ref.key, uploads);
    await deps.mailer.send({ from: deps.settings.sender, to: [deps.settings.opsEmail], subject: mail.subject, text: mail.text });
    for (const { record } of owed) await deps.ledger.markOpsNotified(record);
  }
  return {
    outcome: 'mapping', mappingKey: ref.key,
    revalidated: results.map(({ record }) => ({ key: record.key, uploadId: record.uploadId, status: record.status })),
  };
}

/**
 * Of each key's latest version (its latest original upload, in the order uploads apply in), the ones that stand
 * rejected for something a mapping can fix: the last validation of that version is a rejection, and it was not
 * deleted since. Earlier versions of a key are left alone: a later upload replaced them.
 */
function latestRejectedVersions(uploads: readonly UploadRecord[]): UploadRecord[] {
  const ordered = orderUploads([...uploads]);
  const originals = new Map<string, UploadRecord>();
  for (const u of ordered) if (!u.revalidates) originals.set(u.key, u);
  const out: UploadRecord[] = [];
  for (const original of originals.values()) {
    if (original.retractedAt) continue;
    const validations = [original, ...ordered.filter((u) => u.revalidates === original.uploadId)]
      .sort((a, b) => a.processedAt.localeCompare(b.processedAt));
    const last = validations.at(-1)!;
    if (last.status !== 'rejected' || last.retractedAt) continue;
    if (!Object.keys(last.errorCounts).some((c) => FIXABLE_BY_MAPPING.includes(c as ErrorCode))) continue;
    out.push(original);
  }
  return out;
}
