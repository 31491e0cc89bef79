import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { ScorecardFunction } from './scorecard-function.ts';

export interface ReportSenderProps {
  /** Where KPI values are read and send records written. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings; `sender` and `recipients` address the email. */
  readonly settings: Settings;
  /** SES identity ARNs the scorecard may be sent as. */
  readonly sendingIdentityArns: readonly string[];
  /** Where a send goes after Lambda's retries failed. */
  readonly failureQueue: sqs.IQueue;
  /** Handler file. @default HANDLER_ENTRIES.sendScorecard */
  readonly entry?: string;
  /**
   * Renders one HTML scorecard (a few hundred KB) and a MIME message per recipient: small. 512 MB also buys
   * the CPU to render in well under a second; benchmarks will refine it. @default 512
   */
  readonly memorySize?: number;
  /**
   * Rendering plus one SES call per recipient, each retried by the SDK under throttling (SES's default send
   * rate is 14 messages a second): two minutes covers dozens of recipients with room. @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The function that renders a period's scorecard from the table and emails it with `ses:SendRawEmail` (HTML,
 * text and inline images in one MIME message). It records one send per period and recipient, so a retried
 * invocation does not email anyone twice.
 */
export class ReportSender extends Construct {
  readonly function: ScorecardFunction;

  constructor(scope: Construct, id: string, props: ReportSenderProps) {
    super(scope, id);
    this.function = new ScorecardFunction(this, 'SendScorecard', {
      entry: props.entry ?? HANDLER_ENTRIES.sendScorecard,
      description: 'Renders and emails the scorecard of a computed period',
      settings: props.settings,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(2),
      logRemovalPolicy: props.logRemovalPolicy,
      // Invoked asynchronously (the KPI function's on-success destination): retried twice, then the queue.
      // Retrying is safe: a recipient already sent is skipped (the send ledger).
      onFailure: props.failureQueue,
    })
      .bindTable(props.table, FUNCTION_ACCESS.sendScorecard.dynamodb)
      .allowSending(props.sendingIdentityArns, FUNCTION_ACCESS.sendScorecard.ses);
  }
}
