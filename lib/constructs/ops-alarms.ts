import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  /** Subscribed to the topic by email (SNS sends a confirmation link first). @default - no subscription */
  readonly email?: string;
}

/** Where the runbook for every alarm lives; each alarm's description points at it. */
const RUNBOOK = 'See docs/deploy.md, section "Alarms".';

/**
 * The ops alarm topic and the alarms that publish to it. The topic is encrypted with a key of its own, because
 * CloudWatch cannot publish to a topic under the AWS-managed SNS key; its key policy lets CloudWatch (and
 * only it, besides the account) use the key. Every alarm here publishes to this one topic.
 */
export class OpsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  private readonly action: actions.SnsAction;
  private readonly created: cloudwatch.AlarmBase[] = [];

  constructor(scope: Construct, id: string, props: OpsAlarmsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the scorecard ops alarm topic',
      enableKeyRotation: true,
      // Alarm messages are transient: the key goes with the stack (after KMS's waiting period).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToTheEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'], // in a key policy, "*" is this key
    }));
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Smarketing scorecard alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Every alarm that notifies the topic. */
  get alarms(): readonly cloudwatch.AlarmBase[] {
    return this.created;
  }

  private notify<T extends cloudwatch.AlarmBase>(alarm: T): T {
    alarm.addAlarmAction(this.action);
    this.created.push(alarm);
    return alarm;
  }

  /**
   * Errors and throttles of a function, each alarming on the first occurrence in 5 minutes. An error is
   * retried by Lambda (so it may heal on its own), but it always means something to read in the logs.
   */
  watchFunction(fn: lambda.IFunction, label: string): void {
    const period = Duration.minutes(5);
    this.notify(fn.metricErrors({ period, statistic: 'Sum' }).createAlarm(this, `${label}-Errors`, {
      alarmDescription: `${label}: the function failed (Lambda retries it twice, then its event goes to the failure queue). ${RUNBOOK}`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    this.notify(fn.metricThrottles({ period, statistic: 'Sum' }).createAlarm(this, `${label}-Throttles`, {
      alarmDescription: `${label}: invocations were throttled (the account's concurrency is exhausted; Lambda retries for up to 6 hours). ${RUNBOOK}`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }

  /** Any message in a failure or dead-letter queue: an event that exhausted its retries. */
  watchQueue(queue: sqs.IQueue, label: string): void {
    this.notify(queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' })
      .createAlarm(this, `${label}-Depth`, {
        alarmDescription: `${label}: an event exhausted its retries and waits in the queue (kept 14 days). ${RUNBOOK}`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
  }

  /**
   * The scorecard did not go out after the schedule fired. CloudWatch cannot look back a whole month (an
   * alarm sees at most 7 days), so the check is anchored on the schedule itself:
   * - `Due` is in ALARM for a day after Scheduler attempted the KPI run (its schedule group's attempts);
   * - `Delivered` is in ALARM for a day after the report function ran without error (Invocations − Errors);
   * - the composite `ALARM(Due) AND NOT ALARM(Delivered)` notifies, but waits `grace` for `Delivered` (its
   *   actions suppressor) first: a report delivered within the grace cancels it.
   * Built on Lambda's and Scheduler's own metrics, so it needs no code in the handlers and catches a run that
   * never happened, a destination that never fired and a report function that keeps failing alike.
   * A backfill (the KPI function invoked by hand) touches neither `Due` nor the composite.
   */
  watchScorecardDelivery(options: { scheduleGroup: scheduler.IScheduleGroup; report: lambda.IFunction; grace?: Duration }): cloudwatch.CompositeAlarm {
    const grace = options.grace ?? Duration.hours(6);
    const window = Duration.days(1);
    const due = options.scheduleGroup.metricAttempts({ period: window, statistic: 'Sum' }).createAlarm(this, 'ScorecardDue', {
      alarmDescription: 'Signal for ScorecardMissing: in ALARM for a day after the KPI schedule fired. Notifies nobody.',
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const delivered = new cloudwatch.MathExpression({
      expression: 'FILL(invocations, 0) - FILL(errors, 0)',
      usingMetrics: {
        invocations: options.report.metricInvocations({ period: window, statistic: 'Sum' }),
        errors: options.report.metricErrors({ period: window, statistic: 'Sum' }),
      },
      period: window,
      label: 'Successful report runs',
    }).createAlarm(this, 'ScorecardDelivered', {
      alarmDescription: 'Signal for ScorecardMissing: in ALARM for a day after the report function succeeded. Notifies nobody.',
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return this.notify(new cloudwatch.CompositeAlarm(this, 'ScorecardMissing', {
      alarmDescription: `The KPI schedule fired but no scorecard went out within ${grace.toHours()} hours. ${RUNBOOK}`,
      alarmRule: cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(due, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.not(cloudwatch.AlarmRule.fromAlarm(delivered, cloudwatch.AlarmState.ALARM)),
      ),
      actionsSuppressor: delivered,
      actionsSuppressorWaitPeriod: grace,
      actionsSuppressorExtensionPeriod: Duration.minutes(5),
    }));
  }
}
