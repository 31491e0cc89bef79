import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { ScorecardFunction } from './scorecard-function.ts';

export interface KpiScheduleProps {
  /** The bucket whose `accepted/` records the KPIs are computed from. */
  readonly bucket: s3.IBucket;
  /** Where upload records are read and KPI values written. */
  readonly table: dynamodb.ITable;
  /** The pipeline settings; `timezone` is also the schedule's time zone. */
  readonly settings: Settings;
  /** Scheduler expression, evaluated in `settings.timezone`, e.g. `cron(0 6 1 * ? *)`. */
  readonly schedule: string;
  /**
   * Invoked with the KPI function's result (the async on-success destination record, whose
   * `responsePayload` is `{ period, ... }`) after every successful asynchronous run.
   * @default - nothing is chained
   */
  readonly onComputed?: lambda.IFunction;
  /** Handler file. @default HANDLER_ENTRIES.computeKpis */
  readonly entry?: string;
  /** To be revisited from benchmarks (every accepted record of the period and the year before). @default 2048 */
  readonly memorySize?: number;
  /** To be revisited from benchmarks. @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** Whether the schedule runs. @default true */
  readonly enabled?: boolean;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The KPI function and the EventBridge Scheduler schedule that runs it with `{}` (the handler computes the
 * period that just closed, in the configured time zone). Scheduler invokes asynchronously, so a successful
 * run hands its result to `onComputed` through a Lambda destination.
 */
export class KpiSchedule extends Construct {
  readonly function: ScorecardFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: KpiScheduleProps) {
    super(scope, id);
    this.function = new ScorecardFunction(this, 'ComputeKpis', {
      entry: props.entry ?? HANDLER_ENTRIES.computeKpis,
      description: 'Computes the KPIs of a period (default: the one that just closed)',
      settings: props.settings,
      memorySize: props.memorySize ?? 2048,
      timeout: props.timeout ?? Duration.minutes(15),
      // Lambda's own retries of a failed run; the result is idempotent (KPI items are overwritten).
      retryAttempts: 2,
      onSuccess: props.onComputed ? new destinations.LambdaDestination(props.onComputed) : undefined,
      logRemovalPolicy: props.logRemovalPolicy,
    })
      .bindBucket(props.bucket, { read: [`${BUCKET_PREFIX.accepted}*`] })
      .bindTable(props.table, 'readWrite');

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Computes the KPIs of the period that just closed',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.of(props.settings.timezone)),
      enabled: props.enabled ?? true,
      target: new targets.LambdaInvoke(this.function, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        // Covers Scheduler failing to hand the event to Lambda (throttling, a brief outage).
        retryAttempts: 10,
        maxEventAge: Duration.hours(12),
      }),
    });
  }
}
