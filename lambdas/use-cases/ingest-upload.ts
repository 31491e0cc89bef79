/**
 * Ingesting one upload: validate it as a stream (with the mapping file nearest above it, if any), keep its records
 * when accepted, set it aside with a report when rejected, and record the outcome exactly once per object version
 * (S3 delivers events at least once). A `mapping.json` is no export: its arrival validates again the uploads of its
 * folder that it may fix (apply-mapping.ts).
 */
import { createHash } from 'node:crypto';
import { BUCKET_PREFIX, datasetOfKey, type DatasetName } from '../domain/layout.ts';
import { isMappingKey } from '../domain/mapping/schema.ts';
import type { Settings } from '../domain/settings.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import { formatDroppedRowsEmail, formatRejectionEmail } from '../domain/validation/summary.ts';
import type { Clock, Mailer, ObjectRef, ObjectStore, OutgoingEmail, UploadLedger, UploadRecord } from '../ports/index.ts';
import { applyMapping, type MappingOutcome } from './apply-mapping.ts';
import { nearestMapping, validateVersion } from './validate-version.ts';

export interface IngestDeps {
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly settings: Settings;
}

/** What the S3 event said about the object, beyond its key. */
export interface ObjectEvent {
  /** When S3 created the object, to the millisecond (the object's Last-Modified has whole seconds only). */
  readonly eventTime?: string;
  /** The ETag the event was sent for: without versioning, a later upload of the key replaces that object. */
  readonly eTag?: string;
  /** Grows with every write of a key: orders two uploads of one key whatever the clocks say. */
  readonly sequencer?: string;
}

export type IngestOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'duplicate'; readonly uploadId: string }
  | { readonly outcome: 'accepted' | 'rejected'; readonly uploadId: string; readonly report: ValidationReport }
  | MappingOutcome;

/**
 * Identifies an object version: the same upload delivered twice has one id, a re-upload of the key a new one.
 * 24 lowercase hex characters, so it is safe as a key segment (`accepted/`, `reports/`, `rejected/` use it).
 */
export function uploadIdOf(ref: ObjectRef, info: { versionId?: string; etag?: string; lastModified: string }): string {
  const version = info.versionId ?? ref.versionId ?? `${info.etag ?? ''}@${info.lastModified}`;
  return createHash('sha256').update(`${ref.bucket}\n${ref.key}\n${version}`).digest('hex').slice(0, 24);
}

/**
 * When the upload was made, as precisely as known: the S3 event's time (milliseconds), else the object's
 * Last-Modified (whole seconds). It orders uploads of different keys; uploads of one key are ordered by the
 * event's sequencer (domain/records/upload-order.ts), since two writes within a second, or a clock that differs,
 * would put them in the wrong order.
 */
export function uploadTimeOf(lastModified: string, eventTime: string | undefined): string {
  const event = eventTime ? Date.parse(eventTime) : NaN; // ISO instants written by S3, not user data
  return Number.isFinite(event) ? new Date(event).toISOString() : lastModified;
}

/**
 * Validates one upload and records its outcome, once per object version. `event` is what the S3 event said
 * (its time and ETag), when the call comes from one.
 */
export async function ingestUpload(ref: ObjectRef, deps: IngestDeps, expectedDataset?: DatasetName, event: ObjectEvent = {}): Promise<IngestOutcome> {
  const dataset = datasetOfKey(ref.key);
  if (!dataset) return { outcome: 'ignored', reason: `${ref.key} is not under ${BUCKET_PREFIX.incoming}<dataset>/` };
  if (expectedDataset && dataset !== expectedDataset) {
    return { outcome: 'ignored', reason: `${ref.key} belongs to ${dataset}, this function validates ${expectedDataset}` };
  }
  if (ref.key.endsWith('/')) return { outcome: 'ignored', reason: `${ref.key} is a folder marker` };
  if (isMappingKey(ref.key)) return applyMapping(ref, deps, dataset);

  const info = await deps.store.head(ref);
  if (!ref.versionId && event.eTag && info.etag && event.eTag.replace(/"/g, '') !== info.etag) {
    // No versioning: the key now holds a later upload, whose own event processes it (and whose records win anyway).
    return { outcome: 'ignored', reason: `${ref.key} was replaced by a later upload before this event was processed` };
  }
  const version: ObjectRef = { ...ref, ...(info.versionId ? { versionId: info.versionId } : {}) };
  const uploadId = uploadIdOf(ref, info);
  const uploadedAt = uploadTimeOf(info.lastModified, event.eventTime);
  const identity = { dataset, uploadedAt, key: ref.key, uploadId };
  const known = await deps.ledger.findUpload(identity);
  if (known) {
    // A redelivery (or Lambda's retry) after the ops email failed: send what is still owed, nothing else.
    if (known.opsNotice === 'pending') await notifyOps(known, deps);
    return { outcome: 'duplicate', uploadId };
  }

  const mapping = await nearestMapping(deps.store, ref.bucket, ref.key, dataset);
  const { report, record } = await validateVersion({
    dataset, version, uploadId, uploadedAt, ...(event.sequencer ? { sequencer: event.sequencer } : {}), ...(mapping ? { mapping } : {}),
  }, deps);
  const owesNotice = report.status === 'rejected' || Boolean(report.droppedRows);
  const first = await deps.ledger.recordUpload(owesNotice ? { ...record, opsNotice: 'pending' } : record);
  if (!first) return { outcome: 'duplicate', uploadId };
  if (owesNotice) await notifyOps(record, deps, report);
  return { outcome: report.status, uploadId, report };
}

/**
 * Emails ops about a rejected upload (or one accepted with rows dropped) and marks the notice sent. At least
 * once: a crash between the send and the mark sends it again on retry, which beats losing it.
 */
async function notifyOps(upload: UploadRecord, deps: IngestDeps, known?: ValidationReport): Promise<void> {
  const report = known ?? (await deps.store.readJson<ValidationReport>(upload.bucket, upload.reportKey));
  const mail = report.status === 'rejected' ? formatRejectionEmail(report, upload.reportKey) : formatDroppedRowsEmail(report, upload.reportKey);
  const email: OutgoingEmail = {
    from: deps.settings.sender, to: [deps.settings.opsEmail], subject: mail.subject, text: mail.text,
    // A file whose columns were not found: the draft mapping to correct and upload beside it.
    ...(report.status === 'rejected' && report.mappingDraft
      ? { attachments: [{ filename: 'mapping.json', contentType: 'application/json', content: `${JSON.stringify(report.mappingDraft, null, 2)}\n` }] }
      : {}),
  };
  await deps.mailer.send(email);
  await deps.ledger.markOpsNotified(upload);
}
