/** S3 ObjectCreated under `incoming/<dataset>/` → validate the upload and record its outcome. */
import type { S3Event } from 'aws-lambda';
import { isDatasetName, type DatasetName } from '../domain/layout.ts';
import { ingestUpload, type IngestOutcome } from '../use-cases/ingest-upload.ts';
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

async function validateUploads(event: S3Event, rt: Runtime): Promise<{ outcomes: IngestOutcome['outcome'][] }> {
  const expected = process.env.SCORECARD_DATASET;
  const dataset: DatasetName | undefined = expected && isDatasetName(expected) ? expected : undefined;
  const outcomes: IngestOutcome['outcome'][] = [];
  for (const record of event.Records ?? []) {
    const ref = {
      bucket: record.s3.bucket.name,
      key: decodeS3Key(record.s3.object.key),
      ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
    };
    const result = await ingestUpload(
      ref, { store: rt.store, ledger: rt.table.uploads, mailer: rt.mailer, clock: rt.clock, settings: rt.settings }, dataset,
      {
        ...(record.eventTime ? { eventTime: record.eventTime } : {}),
        ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
        ...(record.s3.object.sequencer ? { sequencer: record.s3.object.sequencer } : {}),
      },
    );
    // Keys and counts only: exports hold personal data (names, emails) that must not reach the logs.
    rt.logger.info('upload processed', {
      key: ref.key, outcome: result.outcome,
      ...('report' in result ? { rows: result.report.rows, errorCounts: result.report.errorCounts } : {}),
      ...('reason' in result ? { reason: result.reason } : {}),
    });
    countIngest(rt.metrics, result);
    outcomes.push(result.outcome);
  }
  return { outcomes };
}

export const handler = lambdaHandler('validate-upload', validateUploads);
