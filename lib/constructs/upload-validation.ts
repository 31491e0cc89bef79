import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, DATASET_NAMES, HANDLER_ENTRIES, incomingPrefix, type DatasetName } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
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
  /** Datasets to validate, one function each. @default DATASET_NAMES */
  readonly datasets?: readonly DatasetName[];
  /** Handler file. @default HANDLER_ENTRIES.validateUpload */
  readonly entry?: string;
  /** To be revisited from benchmarks (a large export parsed in memory). @default 2048 */
  readonly memorySize?: number;
  /** To be revisited from benchmarks. @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * One validation function per dataset, each triggered by objects created under `incoming/<dataset>/` only.
 * A function reads its dataset's incoming files, writes under its dataset's `accepted/`, `rejected/` and
 * `reports/` prefixes, records the upload in the table and emails ops about a rejection. The pipeline never
 * writes under `incoming/`, so no output re-triggers a validation.
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
      });
      fn.bindBucket(props.bucket, {
        read: [`${incomingPrefix(dataset)}*`],
        write: [BUCKET_PREFIX.accepted, BUCKET_PREFIX.rejected, BUCKET_PREFIX.reports].map((p) => `${p}${dataset}/*`),
      })
        .bindTable(props.table, 'readWrite')
        // The rejection notice is composed as MIME and sent with SendRawEmail, like the scorecard.
        .allowSending(props.sendingIdentityArns, ['ses:SendRawEmail']);
      props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), {
        prefix: incomingPrefix(dataset),
      });
      functions[dataset] = fn;
    }
    this.functions = functions;
  }
}
