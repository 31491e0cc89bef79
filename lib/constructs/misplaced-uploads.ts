import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { ScorecardFunction } from './scorecard-function.ts';

export interface MisplacedUploadsProps {
  /** The bucket exports are dropped into; it must send its events to EventBridge (`eventBridgeEnabled`). */
  readonly bucket: s3.IBucket;
  /** Where each notice is recorded, so a version is reported once. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings (`sender`, `opsEmail`). */
  readonly settings: Settings;
  /** SES identity ARNs the notice to ops may be sent as. */
  readonly sendingIdentityArns: readonly string[];
  /** Where an event goes once EventBridge could not deliver it, or the function's retries failed. */
  readonly failureQueue: sqs.IQueue;
  /** Handler file. @default HANDLER_ENTRIES.notifyMisplacedUpload */
  readonly entry?: string;
  /** One table write, one small email: nothing to hold. @default 256 */
  readonly memorySize?: number;
  /** Two or three DynamoDB calls and one SES call, each retried by its client. @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Files dropped under `incoming/` outside every dataset folder (`incoming/Leads/`, `incoming/deals/`, the top of
 * `incoming/`) would be validated by nobody. The bucket's notifications cannot catch them: S3 refuses two
 * notifications of one event type whose prefixes overlap, and the five `incoming/<dataset>/` triggers exist. So
 * an EventBridge rule takes every Object Created event under `incoming/` to a small function that ignores the
 * dataset folders and emails ops where the file should go, once per object version.
 */
export class MisplacedUploads extends Construct {
  readonly function: ScorecardFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: MisplacedUploadsProps) {
    super(scope, id);
    this.function = new ScorecardFunction(this, 'NotifyMisplacedUpload', {
      entry: props.entry ?? HANDLER_ENTRIES.notifyMisplacedUpload,
      description: `Tells ops about files under ${BUCKET_PREFIX.incoming} outside every dataset folder`,
      settings: props.settings,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      logRemovalPolicy: props.logRemovalPolicy,
      // EventBridge invokes asynchronously: retried twice by Lambda, then the queue. Retrying is safe: a notice
      // already sent is recorded (the table), one still pending is sent again.
      onFailure: props.failureQueue,
    })
      .bindTable(props.table, FUNCTION_ACCESS.notifyMisplacedUpload.dynamodb)
      .allowSending(props.sendingIdentityArns, FUNCTION_ACCESS.notifyMisplacedUpload.ses);

    this.rule = new events.Rule(this, 'Rule', {
      description: `Object Created under ${BUCKET_PREFIX.incoming} of the uploads bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: events.Match.prefix(BUCKET_PREFIX.incoming) },
        },
      },
      targets: [new targets.LambdaFunction(this.function, {
        // EventBridge's own delivery retries (Lambda throttled or unavailable), then the same failure queue.
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.failureQueue,
      })],
    });
  }
}
