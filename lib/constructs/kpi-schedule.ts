import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, HANDLER_ENTRIES } from '../../lambdas/domain/layout.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { FUNCTION_ACCESS } from '../permissions.ts';
import { InvokeFunctionDestination, ScorecardFunction } from './scorecard-function.ts';

/**
 * Scheduler's Lambda target, allowed to invoke exactly the function (CDK's `LambdaInvoke` also grants
 * `<arn>:*`, its versions and aliases, which these functions do not have).
 */
class InvokeExactFunction extends targets.LambdaInvoke {
  constructor(private readonly fn: lambda.IFunction, props: targets.ScheduleTargetBaseProps) {
    super(fn, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}

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
  /** Where a KPI run goes after Lambda's retries failed. */
  readonly failureQueue: sqs.IQueue;
  /** Where the schedule's event goes when Scheduler itself could not hand it to Lambda. */
  readonly scheduleDeadLetterQueue: sqs.IQueue;
  /** Handler file. @default HANDLER_ENTRIES.computeKpis */
  readonly entry?: string;
  /**
   * The run folds new uploads into the compacted snapshots and reads only the partitions its 14 periods need
   * (docs/snapshots.md), so memory grows with the window, not the history: ~6M window records per GB measured
   * (`npm run bench -- kpis`, docs/scale.md), so 2048 MB holds a window of ~10M records (~700k leads a month).
   * A rebuild (a retraction, a late upload) reads a dataset's whole history once. @default 2048
   */
  readonly memorySize?: number;
  /** Lambda's maximum: a rebuild reads a dataset's whole history, and a slow run must not be cut short. @default Duration.minutes(15) */
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
  /** The schedule's own group, so Scheduler's metrics (attempts, drops) are about this schedule alone. */
  readonly scheduleGroup: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: KpiScheduleProps) {
    super(scope, id);
    this.function = new ScorecardFunction(this, 'ComputeKpis', {
      entry: props.entry ?? HANDLER_ENTRIES.computeKpis,
      description: 'Computes the KPIs of a period (default: the one that just closed)',
      settings: props.settings,
      memorySize: props.memorySize ?? 2048,
      timeout: props.timeout ?? Duration.minutes(15),
      // Lambda's own retries of a failed run; the result is idempotent (KPI items are overwritten). Then the queue.
      retryAttempts: 2,
      onSuccess: props.onComputed ? new InvokeFunctionDestination(props.onComputed) : undefined,
      onFailure: props.failureQueue,
      logRemovalPolicy: props.logRemovalPolicy,
    })
      .bindBucket(props.bucket, { read: [`${BUCKET_PREFIX.accepted}*`], actions: FUNCTION_ACCESS.computeKpis.s3 })
      .bindTable(props.table, FUNCTION_ACCESS.computeKpis.dynamodb);

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Group', {});
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Computes the KPIs of the period that just closed',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.of(props.settings.timezone)),
      scheduleGroup: this.scheduleGroup,
      enabled: props.enabled ?? true,
      target: new InvokeExactFunction(this.function, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        // Covers Scheduler failing to hand the event to Lambda (throttling, a brief outage); after that the
        // event goes to the dead-letter queue instead of being dropped.
        retryAttempts: 10,
        maxEventAge: Duration.hours(12),
        deadLetterQueue: props.scheduleDeadLetterQueue,
      }),
    });
  }
}
