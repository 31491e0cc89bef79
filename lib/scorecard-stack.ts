import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_SETTINGS } from '../lambdas/domain/settings.ts';
import type { StackConfig } from './config.ts';
import { FailureQueue } from './constructs/failure-queue.ts';
import { KpiSchedule } from './constructs/kpi-schedule.ts';
import { MisplacedUploads } from './constructs/misplaced-uploads.ts';
import { OpsAlarms } from './constructs/ops-alarms.ts';
import { ReportSender } from './constructs/report-sender.ts';
import { ScorecardPage } from './constructs/scorecard-page.ts';
import { ScorecardBucket } from './constructs/scorecard-bucket.ts';
import { ScorecardTable } from './constructs/scorecard-table.ts';
import { SnapshotTables } from './constructs/snapshot-tables.ts';
import { sendingIdentityArns } from './constructs/ses-identity.ts';
import { UploadValidation } from './constructs/upload-validation.ts';
import { acknowledgeNagFindings } from './nag.ts';

export interface ScorecardStackProps extends StackProps {
  /** Settings and stack options, usually from `readStackConfig(app.node)`. */
  readonly config: StackConfig;
}

/**
 * The whole pipeline. Stateful resources (bucket, table) and the stateless ones that use them are separate
 * constructs, so the stateful ones can move to a stack of their own without changing the others.
 */
export class ScorecardStack extends Stack {
  readonly data: { readonly bucket: ScorecardBucket; readonly table: ScorecardTable };
  readonly validation: UploadValidation;
  /** Tells ops about files under `incoming/` outside every dataset folder. */
  readonly misplaced: MisplacedUploads;
  readonly kpis: KpiSchedule;
  readonly report: ReportSender;
  /** The private drill-down page of each period: its viewer (a Function URL) and the key its links are signed with. */
  readonly page: ScorecardPage;
  /** The KPI run's compacted snapshots as Glue tables Athena reads, and its grants on them. */
  readonly snapshots: SnapshotTables;
  /** Where events land once their retries are exhausted, one queue per stage. */
  readonly failures: {
    readonly validation: FailureQueue;
    readonly kpis: FailureQueue;
    readonly report: FailureQueue;
    readonly schedule: FailureQueue;
  };
  readonly alarms: OpsAlarms;

  constructor(scope: Construct, id: string, props: ScorecardStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { settings } = config;

    // Stateful: retained on `cdk destroy` unless removalPolicy=destroy.
    const bucket = new ScorecardBucket(this, 'Uploads', {
      removalPolicy: config.removalPolicy,
      noncurrentVersionDays: config.noncurrentVersionDays,
      rejectedRetentionDays: config.rejectedRetentionDays,
    });
    const table = new ScorecardTable(this, 'Records', {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
    });
    this.data = { bucket, table };

    // Every asynchronous invocation ends in one of these when its retries are exhausted.
    this.failures = {
      validation: new FailureQueue(this, 'ValidationFailures', { purpose: 'upload validation' }),
      kpis: new FailureQueue(this, 'KpiFailures', { purpose: 'KPI run' }),
      report: new FailureQueue(this, 'ReportFailures', { purpose: 'scorecard send' }),
      schedule: new FailureQueue(this, 'ScheduleDeadLetters', { purpose: 'schedule hand-over' }),
    };

    // Stateless.
    const identity = { identity: config.sesIdentity, sender: settings.sender };
    const logRemovalPolicy = config.removalPolicy;
    const opsIdentityArns = sendingIdentityArns(this, {
      ...identity,
      sandboxRecipients: config.sesSandbox ? [settings.opsEmail] : [],
    });
    this.validation = new UploadValidation(this, 'Validation', {
      bucket: bucket.bucket,
      table: table.table,
      settings,
      sendingIdentityArns: opsIdentityArns,
      failureQueue: this.failures.validation.queue,
      logRemovalPolicy,
    });
    // Uploads too (the files nobody validates): their failures go with the validation's.
    this.misplaced = new MisplacedUploads(this, 'Misplaced', {
      bucket: bucket.bucket,
      table: table.table,
      settings,
      sendingIdentityArns: opsIdentityArns,
      failureQueue: this.failures.validation.queue,
      logRemovalPolicy,
    });
    this.report = new ReportSender(this, 'Report', {
      table: table.table,
      settings,
      sendingIdentityArns: sendingIdentityArns(this, {
        ...identity,
        sandboxRecipients: config.sesSandbox ? settings.recipients : [],
      }),
      failureQueue: this.failures.report.queue,
      logRemovalPolicy,
    });
    this.page = new ScorecardPage(this, 'Page', { bucket: bucket.bucket, settings, removalPolicy: config.removalPolicy });
    this.page.bindReport(this.report.function, bucket.bucket);
    this.kpis = new KpiSchedule(this, 'Kpis', {
      bucket: bucket.bucket,
      table: table.table,
      settings,
      schedule: config.schedule,
      onComputed: this.report.function,
      failureQueue: this.failures.kpis.queue,
      scheduleDeadLetterQueue: this.failures.schedule.queue,
      logRemovalPolicy,
    });
    this.snapshots = new SnapshotTables(this, 'Snapshots', { bucket: bucket.bucket, kpiFunction: this.kpis.function });

    // Watched: every function's errors and throttles, every failure queue's depth, and the scorecard itself.
    this.alarms = new OpsAlarms(this, 'Alarms', config.alarmEmail ? { email: config.alarmEmail } : {});
    for (const [dataset, fn] of Object.entries(this.validation.functions)) this.alarms.watchFunction(fn, `Validate-${dataset}`);
    this.alarms.watchFunction(this.misplaced.function, 'NotifyMisplacedUpload');
    this.alarms.watchFunction(this.kpis.function, 'ComputeKpis');
    this.alarms.watchFunction(this.report.function, 'SendScorecard');
    this.alarms.watchFunction(this.page.function, 'ViewPage');
    for (const [stage, failures] of Object.entries(this.failures)) this.alarms.watchQueue(failures.queue, `${stage}-failures`);
    this.alarms.watchScorecardDelivery({ scheduleGroup: this.kpis.scheduleGroup, report: this.report.function });

    acknowledgeNagFindings(this);

    // The settings' addresses default to example.com placeholders so that synth works out of the box.
    const placeholders = (['sender', 'recipients', 'opsEmail'] as const).filter(
      (key) => String(settings[key]) === String(DEFAULT_SETTINGS[key]),
    );
    if (placeholders.length > 0) {
      Annotations.of(this).addWarningV2(
        'smarketing:placeholder-address',
        `${placeholders.join(', ')} still at the example.com placeholder: pass -c ${placeholders.map((k) => `${k}=...`).join(' -c ')} (see docs/deploy.md)`,
      );
    }

    new CfnOutput(this, 'BucketName', {
      value: bucket.bucket.bucketName,
      description: 'Drop exports under incoming/<dataset>/',
    });
    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'KpiFunctionName', {
      value: this.kpis.function.functionName,
      description: 'Invoke asynchronously with {"period":"2026-10"} to backfill and email a period',
    });
    new CfnOutput(this, 'AthenaWorkGroup', {
      value: this.snapshots.workgroup.ref,
      description: `Query the merged records in Athena: SELECT ... FROM ${this.snapshots.databaseName}.leads WHERE month = '2026-10'`,
    });
    new CfnOutput(this, 'ReportFunctionName', { value: this.report.function.functionName });
    new CfnOutput(this, 'PageUrl', {
      value: this.page.url.url,
      description: 'The drill-down pages\' viewer: only links signed by the report function open a page (403 otherwise)',
    });
    new CfnOutput(this, 'LinkKeySecretArn', {
      value: this.page.secret.secretArn,
      description: 'The key the page links are signed with: put a new value to revoke every link sent so far',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Every alarm publishes here: subscribe ops to it (or deploy with -c alarmEmail=...)',
    });
    for (const [stage, failures] of Object.entries(this.failures)) {
      new CfnOutput(this, `${stage[0]!.toUpperCase()}${stage.slice(1)}FailuresQueueUrl`, {
        value: failures.queue.queueUrl,
        description: `Events of the ${failures.purpose} that exhausted their retries`,
      });
    }
  }
}
