import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { ScorecardFunction } from './scorecard-function.ts';

export interface ReportSenderProps {
  /** Where KPI values are read and send records written. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings; `sender` and `recipients` address the email. */
  readonly settings: Settings;
  /** SES identity ARNs the scorecard may be sent as. */
  readonly sendingIdentityArns: readonly string[];
  /** Handler file. @default HANDLER_ENTRIES.sendScorecard */
  readonly entry?: string;
  /** To be revisited from benchmarks. @default 512 */
  readonly memorySize?: number;
  /** To be revisited from benchmarks. @default Duration.minutes(2) */
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
    })
      .bindTable(props.table, 'readWrite')
      .allowSending(props.sendingIdentityArns, ['ses:SendRawEmail']);
  }
}
