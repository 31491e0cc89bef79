/**
 * S3 events under `incoming/<dataset>/`: ObjectCreated → validate the upload and record its outcome;
 * ObjectRemoved → retract the uploads of the deleted file (their records stop counting) and tell ops.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { isDatasetName, datasetOfKey, type DatasetName } from '../domain/layout.ts';
import { isNotFound, type ObjectRef } from '../ports/index.ts';
import { ingestUpload, type IngestOutcome } from '../use-cases/ingest-upload.ts';
import { retractIfRemoved, retractUpload, type RetractOutcome } from '../use-cases/retract-upload.ts';
import { lambdaHandler } from './middleware.ts';
import { countIngest } from './observability.ts';
import type { Runtime } from './runtime.ts';

/**
 * S3 event keys are URL-encoded, with `+` for spaces (a real `+` arrives as `%2B`). A key that is not valid
 * percent-encoding (a stray `%` from a hand-made event) is taken as it is rather than failing the batch.
 */
export function decodeS3Key(key: string): string {
  const spaced = key.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export type UploadEventOutcome = IngestOutcome['outcome'] | RetractOutcome['outcome'];

const refOf = (record: S3EventRecord): ObjectRef => ({
  bucket: record.s3.bucket.name,
  key: decodeS3Key(record.s3.object.key),
  ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
});

async function created(record: S3EventRecord, rt: Runtime, dataset: DatasetName | undefined): Promise<UploadEventOutcome> {
  const ref = refOf(record);
  const deps = { store: rt.store, ledger: rt.table.uploads, mailer: rt.mailer, clock: rt.clock, settings: rt.settings };
  let result: IngestOutcome;
  try {
    result = await ingestUpload(ref, deps, dataset, {
      ...(record.eventTime ? { eventTime: record.eventTime } : {}),
      ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
      ...(record.s3.object.sequencer ? { sequencer: record.s3.object.sequencer } : {}),
    });
  } catch (e) {
    // Without versioning (the local stand-in) a file deleted before its event was processed is gone for good, and
    // its removal event says so; with versioning the event names a version, which a delete leaves in place.
    if (ref.versionId || !isNotFound(e)) throw e;
    rt.logger.info('upload processed', { key: ref.key, outcome: 'ignored', reason: 'deleted before it was validated' });
    return 'ignored';
  }
  // Keys and counts only: exports hold personal data (names, emails) that must not reach the logs.
  rt.logger.info('upload processed', {
    key: ref.key, outcome: result.outcome,
    ...('report' in result ? { rows: result.report.rows, errorCounts: result.report.errorCounts } : {}),
    ...('reason' in result ? { reason: result.reason } : {}),
  });
  countIngest(rt.metrics, result);
  const keyDataset = datasetOfKey(ref.key);
  if ((result.outcome === 'accepted' || result.outcome === 'duplicate') && keyDataset) {
    // The file may have been deleted while it was being validated: its removal was processed first.
    const late = await retractIfRemoved({ dataset: keyDataset, key: ref.key, uploadId: result.uploadId }, deps);
    if (late.outcome === 'retracted') rt.logger.info('upload retracted', { key: ref.key, uploadIds: late.uploadIds, records: late.records });
  }
  return result.outcome;
}

async function removed(record: S3EventRecord, rt: Runtime, dataset: DatasetName | undefined): Promise<UploadEventOutcome> {
  const ref = refOf(record);
  const result = await retractUpload(ref, {
    eventName: record.eventName,
    ...(record.eventTime ? { eventTime: record.eventTime } : {}),
    ...(record.s3.object.sequencer ? { sequencer: record.s3.object.sequencer } : {}),
  }, { ledger: rt.table.uploads, mailer: rt.mailer, clock: rt.clock, settings: rt.settings }, dataset);
  rt.logger.info('removal processed', {
    key: ref.key, event: record.eventName, outcome: result.outcome,
    ...(result.outcome === 'retracted' ? { uploadIds: result.uploadIds, records: result.records } : { reason: result.reason }),
  });
  return result.outcome;
}

async function handleUploadEvents(event: S3Event, rt: Runtime): Promise<{ outcomes: UploadEventOutcome[] }> {
  const expected = process.env.SCORECARD_DATASET;
  const dataset: DatasetName | undefined = expected && isDatasetName(expected) ? expected : undefined;
  const outcomes: UploadEventOutcome[] = [];
  for (const record of event.Records ?? []) {
    outcomes.push(record.eventName?.startsWith('ObjectRemoved:') ? await removed(record, rt, dataset) : await created(record, rt, dataset));
  }
  return { outcomes };
}

export const handler = lambdaHandler('validate-upload', handleUploadEvents);
