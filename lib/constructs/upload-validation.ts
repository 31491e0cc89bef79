import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, DATASET_NAMES, HANDLER_ENTRIES, incomingPrefix, type DatasetName } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { ScorecardFunction } from './scorecard-function.ts';

/** Environment variable naming the dataset a validation function handles. */
export const DATASET_ENV = 'SCORECARD_DATASET';

export interface UploadValidationProps {
  /** The bucket exports are dropped into; its `incoming/<dataset>/` prefixes trigger the functions. */
  readonly bucket: s3.IBucket;
  /** Where upload records go. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings (every function gets them). */
  readonly settings: Settings;
  /** SES identity ARNs the rejection notice to ops may be sent as. */
  readonly sendingIdentityArns: readonly string[];
  /** Where an upload event goes after Lambda's retries failed (one queue for every dataset). */
  readonly failureQueue: sqs.IQueue;
  /** Datasets to validate, one function each. @default DATASET_NAMES */
  readonly datasets?: readonly DatasetName[];
  /** Handler file. @default HANDLER_ENTRIES.validateUpload */
  readonly entry?: string;
  /**
   * The file is streamed (records are written as they are validated); what grows with the file is the set of
   * record keys kept to detect duplicates. Lambda's CPU share grows with memory: 2048 MB is a little over one
   * vCPU. Measured here: `smarketing validate` on 98k leads rows (14.6 MB) takes ~1.9 s of work at ~215 MB RSS;
   * `npm run bench -- validate` ingests ~52k rows/s at 168 MB peak RSS (docs/cost.md). Benchmarks on Lambda will
   * refine it. @default 2048
   */
  readonly memorySize?: number;
  /**
   * Lambda's maximum, so a very large export (a few million rows) still completes; a normal export takes
   * seconds, so the ceiling costs nothing. @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * One validation function per dataset, each triggered by objects created and removed under `incoming/<dataset>/`
 * only. A function reads its dataset's incoming files, writes under its dataset's `accepted/`, `rejected/` and
 * `reports/` prefixes, records the upload in the table and emails ops about a rejection; when a file is deleted,
 * it retracts the file's uploads (their records stop counting) and emails ops. The pipeline never writes under
 * `incoming/`, so no output re-triggers a validation.
 */
export class UploadValidation extends Construct {
  /** The validation function of each dataset. */
  readonly functions: Readonly<Partial<Record<DatasetName, ScorecardFunction>>>;

  constructor(scope: Construct, id: string, props: UploadValidationProps) {
    super(scope, id);
    const functions: Partial<Record<DatasetName, ScorecardFunction>> = {};
    for (const dataset of props.datasets ?? DATASET_NAMES) {
      const fn = new ScorecardFunction(this, `Validate-${dataset}`, {
        entry: props.entry ?? HANDLER_ENTRIES.validateUpload,
        description: `Validates exports dropped under ${incomingPrefix(dataset)}`,
        settings: props.settings,
        memorySize: props.memorySize ?? 2048,
        timeout: props.timeout ?? Duration.minutes(15),
        environment: { [DATASET_ENV]: dataset },
        logRemovalPolicy: props.logRemovalPolicy,
        // S3 invokes asynchronously: a failed validation is retried twice, then its event goes to the queue.
        onFailure: props.failureQueue,
      });
      fn.bindBucket(props.bucket, {
        // Its uploads; and its own reports, read back when an ops notice that failed to send is retried.
        read: [incomingPrefix(dataset), `${BUCKET_PREFIX.rejected}${dataset}/`, `${BUCKET_PREFIX.reports}${dataset}/`].map((p) => `${p}*`),
        write: [BUCKET_PREFIX.accepted, BUCKET_PREFIX.rejected, BUCKET_PREFIX.reports].map((p) => `${p}${dataset}/*`),
        actions: FUNCTION_ACCESS.validateUpload.s3,
      })
        .bindTable(props.table, FUNCTION_ACCESS.validateUpload.dynamodb)
        // The rejection notice is composed as MIME and sent with SendRawEmail, like the scorecard.
        .allowSending(props.sendingIdentityArns, FUNCTION_ACCESS.validateUpload.ses);
      // Created: validate. Removed (a delete marker, or a version deleted for good): retract the file's uploads. S3
      // takes one prefix for two event types; lifecycle expirations are other events (LifecycleExpiration:*).
      const destination = new s3n.LambdaDestination(fn);
      for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
        props.bucket.addEventNotification(event, destination, { prefix: incomingPrefix(dataset) });
      }
      functions[dataset] = fn;
    }
    this.functions = functions;
  }
}
