import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailureQueueProps {
  /** What failed, in words, for outputs and alarm descriptions, e.g. "upload validation". */
  readonly purpose: string;
  /** How long a failed event waits for someone to look at it. @default Duration.days(14) (the SQS maximum) */
  readonly retentionPeriod?: Duration;
}

/**
 * Where an event ends up once every retry failed: a Lambda on-failure destination (the record carries the
 * original event, the error and the attempt count) or a schedule's dead-letter queue. Encrypted, TLS-only, kept
 * the SQS maximum of 14 days so a failure at the start of a long weekend is still there to read and replay.
 * Nothing consumes it: an alarm on its depth tells ops, who read, fix and replay (docs/deploy.md). Deleted with
 * the stack: what it holds can be recreated from the retained bucket (re-upload, backfill).
 */
export class FailureQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly purpose: string;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.purpose = props.purpose;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
  }
}
