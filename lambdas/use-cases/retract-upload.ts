/**
 * Retracting uploads whose file was deleted from `incoming/`: their records stop counting from the next KPI run
 * (the KPI step skips retracted uploads), and ops get one email naming them. Exactly once per upload whatever S3
 * delivers: marking an upload retracted is conditional, and the email is owed ('pending') until SES took it.
 *
 * - A normal delete in the versioned bucket creates a delete marker (`ObjectRemoved:DeleteMarkerCreated`): the
 *   file is gone, so every accepted upload of the key written before the removal is retracted.
 * - Deleting one version for good (`ObjectRemoved:Delete` with a version id) retracts that version's upload only.
 * - An unversioned bucket (the local S3 stand-in) sends `ObjectRemoved:Delete` without a version id: the file is
 *   gone, as with a delete marker.
 *
 * A removal is recorded before the key's uploads are listed, and an upload is checked against the recorded
 * removals after it is recorded (`retractIfRemoved`), so a file deleted while its validation was still running
 * is retracted too, whichever of the two finishes first.
 */
import { BUCKET_PREFIX, datasetOfKey, type DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import { formatRetractionEmail, removalRetracts, type RetractionCause } from '../domain/upload-notices.ts';
import type { Clock, Mailer, ObjectRef, UploadIdentity, UploadLedger, UploadRecord, UploadRemoval } from '../ports/index.ts';

export interface RetractDeps {
  readonly ledger: UploadLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly settings: Settings;
}

/** What the S3 removal event said, beyond the key. */
export interface RemovalEvent {
  /** `ObjectRemoved:Delete` or `ObjectRemoved:DeleteMarkerCreated`. */
  readonly eventName: string;
  readonly eventTime?: string;
  readonly sequencer?: string;
}

export type RetractOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** Nothing (left) to retract: no accepted upload of the key, or a redelivered event. */
  | { readonly outcome: 'nothing-retracted'; readonly reason: string }
  /** Uploads retracted, or whose retraction notice this call sent. */
  | { readonly outcome: 'retracted'; readonly uploadIds: readonly string[]; readonly records: number };

/** The removal an S3 event describes. */
export function removalOf(ref: ObjectRef, dataset: DatasetName, event: RemovalEvent, recordedAt: string): UploadRemoval {
  // A delete marker's own version id names the marker, not an upload: the whole key is gone. "null" is the version
  // of an object written while versioning was off or suspended: that delete removed the object itself.
  const named = ref.versionId && ref.versionId !== 'null' ? ref.versionId : undefined;
  const version = event.eventName !== 'ObjectRemoved:DeleteMarkerCreated' ? named : undefined;
  return {
    dataset, key: ref.key, scope: version ? 'version' : 'key', ...(version ? { versionId: version } : {}),
    ...(event.sequencer ? { sequencer: event.sequencer } : {}), ...(event.eventTime ? { eventTime: event.eventTime } : {}),
    recordedAt,
  };
}

/** Handles one removal of an incoming object: retracts the uploads it covers and tells ops. */
export async function retractUpload(ref: ObjectRef, event: RemovalEvent, deps: RetractDeps, expectedDataset?: DatasetName): Promise<RetractOutcome> {
  const dataset = datasetOfKey(ref.key);
  if (!dataset) return { outcome: 'ignored', reason: `${ref.key} is not under ${BUCKET_PREFIX.incoming}<dataset>/` };
  if (expectedDataset && dataset !== expectedDataset) {
    return { outcome: 'ignored', reason: `${ref.key} belongs to ${dataset}, this function handles ${expectedDataset}` };
  }
  if (ref.key.endsWith('/')) return { outcome: 'ignored', reason: `${ref.key} is a folder marker` };

  const now = deps.clock.now().toISOString();
  const removal = removalOf(ref, dataset, event, now);
  // Recorded first: an upload whose validation is still running finds it once recorded (`retractIfRemoved`).
  await deps.ledger.recordRemoval(removal);
  const covered = (await deps.ledger.listUploads(dataset))
    .filter((u) => u.status === 'accepted' && removalRetracts(removal, u, 'retract'));
  if (covered.length === 0) return { outcome: 'nothing-retracted', reason: `no accepted upload of ${ref.key} to retract` };
  const cause: RetractionCause = removal.scope === 'version' ? 'version-deleted' : 'deleted';
  return retractAndNotify(covered, cause, now, deps);
}

/**
 * After an upload is recorded (or found recorded, on a redelivery): retracts it when its file was deleted in the
 * meantime, by a removal already recorded that comes after it. `u` is found by its id.
 */
export async function retractIfRemoved(u: Pick<UploadIdentity, 'dataset' | 'key' | 'uploadId'>, deps: RetractDeps): Promise<RetractOutcome> {
  // The ledger finds an upload by its id; the time is not part of it.
  const upload = await deps.ledger.findUpload({ ...u, uploadedAt: '' });
  if (!upload || upload.status !== 'accepted') return { outcome: 'nothing-retracted', reason: `${u.key} has no accepted upload ${u.uploadId}` };
  if (upload.retractedAt && upload.retractionNotice !== 'pending') return { outcome: 'nothing-retracted', reason: `${u.key} is already retracted` };
  // Only removals that come after it: a removal that cannot be ordered may be older than a re-upload. (A retraction
  // whose notice is still owed is finished here too: the create event's retry may come before the removal's.)
  const removal = (await deps.ledger.listRemovals(u.dataset, u.key)).find((r) => removalRetracts(r, upload, 'keep'));
  if (!removal) return { outcome: 'nothing-retracted', reason: `${u.key} was not removed after upload ${u.uploadId}` };
  const cause: RetractionCause = removal.scope === 'version' ? 'version-deleted' : 'deleted-while-validating';
  return retractAndNotify([upload], cause, deps.clock.now().toISOString(), deps);
}

/**
 * Marks each upload retracted (once), then emails ops about those whose notice is owed: the ones this call
 * retracted and any left pending by an earlier attempt whose email failed. At least once: a crash between the
 * send and the mark sends it again on retry, which beats losing it.
 */
async function retractAndNotify(uploads: readonly UploadRecord[], cause: RetractionCause, now: string, deps: RetractDeps): Promise<RetractOutcome> {
  const owed: UploadRecord[] = [];
  for (const u of uploads) {
    if (!u.retractedAt) {
      if (await deps.ledger.markRetracted(u, now)) owed.push({ ...u, retractedAt: now, retractionNotice: 'pending' });
    } else if (u.retractionNotice === 'pending') {
      owed.push(u);
    }
  }
  if (owed.length === 0) return { outcome: 'nothing-retracted', reason: `every upload of ${uploads[0]?.key ?? ''} was already retracted` };
  const mail = formatRetractionEmail(owed, cause);
  await deps.mailer.send({ from: deps.settings.sender, to: [deps.settings.opsEmail], subject: mail.subject, text: mail.text });
  for (const u of owed) await deps.ledger.markRetractionNotified(u);
  return { outcome: 'retracted', uploadIds: owed.map((u) => u.uploadId), records: owed.reduce((n, u) => n + u.acceptedRows, 0) };
}
