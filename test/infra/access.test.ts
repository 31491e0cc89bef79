/**
 * Infrastructure tests, access and configuration: each function's IAM grants (written out here by hand, not
 * read from lib/permissions.ts, which built them), SES identities, cdk-nag and its acknowledgements, and the
 * stack's configuration sources. Resources are in resources.test.ts. The default stack is synthesized once for
 * the file (test/helpers/infra-stack.ts); the configuration test synthesizes a variant of its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../../lambdas/domain/layout.ts';
import { buildStackConfig, ConfigError, readStackConfig } from '../../lib/config.ts';
import { listAcknowledgements, NAG_REASONS } from '../../lib/nag.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import type { ScorecardStack } from '../../lib/scorecard-stack.ts';
import {
  ACCOUNT, defaultStack, envOf, grantsOf, logicalId, pipelineFunctions, REGION, resourceId, statements, statementsOf,
  synth, unusedAcknowledgements, type Json,
} from '../helpers/infra-stack.ts';

let app: App;
let stack: ScorecardStack;
let template: Template;
let report: Json;
let bucket: string;
let table: string;

beforeAll(() => {
  ({ app, stack, template, report } = defaultStack());
  bucket = `<${resourceId(stack, stack.data.bucket.bucket)}.Arn>`;
  table = `<${resourceId(stack, stack.data.table.table)}.Arn>`;
});

const sesIdentity = (identity: string): string => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${identity}`;
/** `action on resource` for every pair, the form `grantsOf` lists a role's grants in. */
const on = (actions: readonly string[], resources: readonly string[]): string[] => actions.flatMap((a) => resources.map((r) => `${a} on ${r}`));

/** What every function's role holds besides its data access: its own log group, X-Ray, its failure queue. */
function baseline(fn: Construct, failureQueue: Construct): string[] {
  const logGroup = resourceId(stack, fn.node.scope!.node.findChild(`${fn.node.id}Logs`));
  return [
    ...on(['logs:CreateLogStream', 'logs:PutLogEvents'], [`<${logGroup}.Arn>`]),
    // X-Ray has no resource-level permissions.
    ...on(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
    // The on-failure destination: CDK's SqsDestination grants sending with the two lookups it needs.
    ...on(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [`<${resourceId(stack, failureQueue)}.Arn>`]),
  ];
}

describe('IAM grants, as intended (written out by hand)', () => {
  it.each(DATASET_NAMES)('validate %s: reads its incoming files and its own reports, writes its outputs, records the upload, emails ops', (dataset) => {
    const fn = stack.validation.functions[dataset]!;
    const own = (prefixes: string[]): string[] => prefixes.map((p) => `${bucket}/${p}/${dataset}/*`);
    expect(grantsOf(template, stack, fn)).toEqual([
      ...baseline(fn, stack.failures.validation.queue),
      // The exact version the event names; its copy and report, read back when a failed ops notice is retried.
      ...on(['s3:GetObject', 's3:GetObjectVersion'], own(['incoming', 'rejected', 'reports'])),
      // Whether a folder has a mapping.json: a listing of that one key (never of a folder's files).
      ...on(['s3:ListBucket'], [bucket]),
      // The records file (multipart, aborted when abandoned), the rejected copy and the report. No delete.
      ...on(['s3:PutObject', 's3:AbortMultipartUpload'], own(['accepted', 'rejected', 'reports'])),
      // findUpload, the conditional recordUpload and recordRemoval, the ops notice's pending → sent update and
      // markRetracted; Query: the key's uploads and removals when its file is deleted (listUploads, listRemovals).
      ...on(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], [table]),
      ...on(['ses:SendRawEmail'], [sesIdentity('acme.example'), sesIdentity('scorecard@acme.example')]),
    ].sort());
  });

  it('compute-kpis: reads accepted records, lists uploads, writes KPI items and invokes the report function', () => {
    const fn = stack.kpis.function;
    expect(grantsOf(template, stack, fn)).toEqual([
      ...baseline(fn, stack.failures.kpis.queue),
      ...on(['s3:GetObject'], [`${bucket}/accepted/*`, `${bucket}/snapshots/*`]),
      // The snapshots: written once each under a new key, deleted once no manifest names them.
      ...on(['s3:PutObject', 's3:DeleteObject'], [`${bucket}/snapshots/*`]),
      // On the bucket: a deleted records file reads as NoSuchKey (left out of the run), not AccessDenied; the sweep lists snapshots/.
      ...on(['s3:ListBucket'], [bucket]),
      // listUploads, putPeriod; the snapshot pointers (read, conditional put).
      ...on(['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], [table]),
      // Its on-success destination, exactly that function (no `:*` versions).
      ...on(['lambda:InvokeFunction'], [`<${logicalId(stack, stack.report.function)}.Arn>`]),
    ].sort());
  });

  it('send-scorecard: reads a period and its KPI history (the index by name), claims and records sends, emails, writes the page', () => {
    const fn = stack.report.function;
    expect(grantsOf(template, stack, fn)).toEqual([
      ...baseline(fn, stack.failures.report.queue),
      // The period's drill-down page and CSV, under web/ only; it reads no object.
      ...on(['s3:PutObject'], [`${bucket}/web/*`]),
      // The link key, to sign the email's links: that one secret.
      ...on(['secretsmanager:GetSecretValue'], [`<Ref ${resourceId(stack, stack.page.secret)}>`]),
      // getPeriod; claim (conditional put), markSent, release (conditional delete), get of an earlier claim.
      ...on(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [table]),
      // getHistory, on gsi1 only, never index/*.
      ...on(['dynamodb:Query'], [`${table}/index/gsi1`]),
      ...on(['ses:SendRawEmail'], [sesIdentity('acme.example'), sesIdentity('scorecard@acme.example')]),
    ].sort());
  });

  it('view-page: reads pages under web/ and the link key; no table, no email, no write', () => {
    const fn = stack.page.function;
    const logGroup = resourceId(stack, fn.node.scope!.node.findChild(`${fn.node.id}Logs`));
    expect(grantsOf(template, stack, fn)).toEqual([
      ...on(['logs:CreateLogStream', 'logs:PutLogEvents'], [`<${logGroup}.Arn>`]),
      ...on(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
      ...on(['s3:GetObject'], [`${bucket}/web/*`]),
      // Only so that a page that is not there reads as NoSuchKey (404 to a valid link), not AccessDenied.
      ...on(['s3:ListBucket'], [bucket]),
      ...on(['secretsmanager:GetSecretValue'], [`<Ref ${resourceId(stack, stack.page.secret)}>`]),
    ].sort());
    expect(Object.keys(envOf(template, logicalId(stack, fn)))).not.toContain('SCORECARD_TABLE');
    const roleId = stack.getLogicalId((fn.role as Json).node.defaultChild);
    expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('notify-misplaced-upload: records its notice, emails ops; no S3 at all (the event has the key)', () => {
    const fn = stack.misplaced.function;
    expect(grantsOf(template, stack, fn)).toEqual([
      ...baseline(fn, stack.failures.validation.queue),
      // claimMisplacedNotice (conditional put), findMisplacedNotice, markMisplacedNotified.
      ...on(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [table]),
      ...on(['ses:SendRawEmail'], [sesIdentity('acme.example'), sesIdentity('scorecard@acme.example')]),
    ].sort());
    expect(Object.keys(envOf(template, logicalId(stack, fn)))).not.toContain('SCORECARD_BUCKET');
  });

  it('lets functions send email only as the SES identity, never on *', () => {
    const identityArns = [sesIdentity('acme.example'), sesIdentity('scorecard@acme.example')].sort();
    const ses = statements(template).filter((s) => s.actions.some((a) => a.startsWith('ses:')));
    expect(ses.length).toBe(DATASET_NAMES.length + 2);
    for (const s of ses) expect(s.resources.sort()).toEqual(identityArns);
  });

  it('grants no wildcard actions on data and nothing on Resource * for S3 or DynamoDB; * only for X-Ray', () => {
    const all = statements(template).filter((s) => s.effect === 'Allow');
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      for (const a of s.actions) expect(['*', 's3:*', 'dynamodb:*', 'ses:*', 'sqs:*', 'lambda:*']).not.toContain(a);
      const dataActions = s.actions.filter((a) => /^(s3|dynamodb|ses):/.test(a));
      if (dataActions.length > 0) {
        expect(s.resources, `${s.policy}: ${dataActions.join(',')}`).not.toContain('*');
        // Never the whole bucket or every table: an object prefix, the table or its named index.
        for (const r of s.resources) expect(r, `${s.policy}`).not.toMatch(/^arn:aws:(s3|dynamodb):[^/]*\*|^\*$/);
      }
    }
    // The pipeline functions' only statement on * is X-Ray's (acknowledged in lib/nag.ts on that ground).
    for (const fn of pipelineFunctions(stack)) {
      const star = statementsOf(template, stack, fn).filter((s) => s.resources.includes('*'));
      expect(star.flatMap((s) => s.actions).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
    // Only the eight function roles touch DynamoDB.
    const dynamo = all.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(new Set(dynamo.map((s) => s.policy)).size).toBe(8);
    // The pipeline functions' bucket-level grants: ListBucket for the KPI function and the validation functions
    // (besides, CDK's notification handler puts the bucket's notification configuration at deploy time).
    const onBucket = pipelineFunctions(stack).flatMap((fn) => statementsOf(template, stack, fn)).filter((s) => s.resources.includes(bucket));
    const roleRef = (fn: Construct & { role?: unknown }): string => `<Ref ${resourceId(stack, (fn as { role: Construct }).role)}>`;
    expect(onBucket.map((s) => [s.roles, s.actions]).sort()).toEqual([
      stack.kpis.function, ...DATASET_NAMES.map((d) => stack.validation.functions[d]!),
    ].map((fn) => [[roleRef(fn)], ['s3:ListBucket']]).sort());
  });

  it('attaches no managed policy to a function role (no AWSLambdaBasicExecutionRole)', () => {
    for (const fn of pipelineFunctions(stack)) {
      const roleId = stack.getLogicalId((fn as Json).role.node.defaultChild);
      expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns, fn.node.path).toBeUndefined();
    }
  });
});

describe('cdk-nag', () => {
  it('passes cdk-nag (AWS Solutions and Serverless) with only the acknowledged findings, none of them stale', () => {
    const plugins = (report.pluginReports as Json[]).map((r) => [r.pluginName, r.conclusion, r.violations.length]);
    expect(plugins).toEqual(expect.arrayContaining([['AwsSolutions', 'success', 0], ['Serverless', 'success', 0]]));
    expect(unusedAcknowledgements(app, report)).toEqual([]);
  });

  it('acknowledges exactly these cdk-nag findings, for these reasons (a new one must be added here)', () => {
    const bucketArn = '<UploadsBucketC4B27CC7.Arn>';
    const prefixes = [
      'accepted/*',
      ...['accepted', 'incoming', 'rejected', 'reports'].flatMap((p) =>
        ['customers', 'leads', 'opportunities', 'spend', 'web_traffic'].map((d) => `${p}/${d}/*`)),
    ];
    expect(listAcknowledgements(app)).toEqual([
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: NAG_REASONS.cdkNotificationsHandler },
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: NAG_REASONS.xray },
      ...prefixes.map((p) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/${p}]`, reason: NAG_REASONS.s3Prefix })),
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/snapshots/*]`, reason: NAG_REASONS.snapshots },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/web/*]`, reason: NAG_REASONS.s3Prefix },
      { id: 'AwsSolutions::AwsSolutions-L1', reason: NAG_REASONS.runtime },
      { id: 'AwsSolutions::AwsSolutions-SMG4', reason: NAG_REASONS.linkKeyRotation },
      { id: 'AwsSolutions::AwsSolutions-SQS3', reason: NAG_REASONS.failureQueue },
      { id: 'Serverless::Serverless-LambdaDLQ', reason: NAG_REASONS.lambdaDlq },
      { id: 'Serverless::Serverless-LambdaDLQ', reason: NAG_REASONS.synchronous },
      { id: 'Serverless::Serverless-LambdaLatestVersion', reason: NAG_REASONS.runtime },
      { id: 'Serverless::Serverless-SQSRedrivePolicy', reason: NAG_REASONS.failureQueue },
    ]);
    // The reasons themselves, so rewording one is visible in review too.
    expect(NAG_REASONS).toMatchInlineSnapshot(`
      {
        "alarmEmail": "The alarm email subscription: SNS retries email delivery itself, and a message that still fails has no consumer to redrive it to; the alarm stays visible in CloudWatch either way.",
        "cdkNotificationsHandler": "aws-cdk-lib's own BucketNotificationsHandler (applies the bucket's event notifications at deploy time, never at run time); CDK creates its role with the basic execution policy and offers no way to replace it.",
        "failureQueue": "This queue is the end of a failure path (Lambda on-failure destination or Scheduler dead-letter queue): nothing consumes it, so a redrive policy would never apply. Its first message raises an alarm; ops replay by hand.",
        "lambdaDlq": "Every asynchronously invoked function has an on-failure destination (an encrypted SQS queue with a depth alarm), whose record carries the error and attempt count with the event; a dead-letter queue as well would deliver each failure twice.",
        "linkKeyRotation": "Rotating the link key revokes every link in every scorecard already sent (the executives' way to the page), so it is a decision, not a schedule: ops put a new value when a link leaked or someone leaves (docs/deploy.md), and each month's email brings new links. A rotation Lambda on a timer would break the links readers rely on.",
        "runtime": "The runtime is pinned (HOUSE_RUNTIME, nodejs22.x, maintained upstream until April 2027) so it changes only with a tested upgrade, not whenever Lambda ships a newer one.",
        "s3Prefix": "Object ARNs under a key prefix: export names and upload ids are only known at run time, so access is scoped to the prefix of the function's own dataset (or accepted/ for the KPI run), with object-level actions only (lib/permissions.ts): no ListBucket, no delete.",
        "snapshots": "The KPI run's compacted snapshots (snapshots/): every object is written once under a key made at run time (a version and a random id), so access is scoped to the prefix; DeleteObject only there, for the objects no manifest names any more (replaced partitions, a crashed run's leftovers).",
        "synchronous": "The page viewer is invoked only synchronously, through its Function URL: a failure goes back to the browser as an error (and raises the function's Errors alarm); there is no event to keep, so no dead-letter queue applies.",
        "xray": "X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; it is the only statement on Resource * in the function roles (asserted in test/infra).",
      }
    `);
  });

  it('warns about no placeholder address when real addresses are configured', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder'))).toEqual([]);
  });
});

describe('stack configuration', () => {
  it('flows a config file, overridden by individual context keys, into the environment, schedule, grants and retention', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-config-'));
    const file = join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        timezone: 'America/New_York',
        currency: 'eur',
        recipients: ['board@acme.example'],
        opsEmail: 'ops@acme.example',
        schedule: '30 7 2 * ? *',
        sesIdentity: 'acme.example',
        sesSandbox: true,
        removalPolicy: 'destroy',
        targets: { sql_acceptance_rate: 0.85 },
        alarmEmail: 'oncall@acme.example',
        noncurrentVersionDays: 30,
        rejectedRetentionDays: '14',
      }),
    );
    const variant = synth({ config: file, recipients: 'ceo@acme.example,cfo@acme.example' });
    const { stack, template } = variant;

    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 2 * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
    });
    expect(envOf(template, logicalId(stack, stack.report.function))).toMatchObject({
      SCORECARD_TIMEZONE: 'America/New_York',
      SCORECARD_CURRENCY: 'EUR',
      SCORECARD_RECIPIENTS: 'ceo@acme.example,cfo@acme.example',
      SCORECARD_TARGETS: '{"sql_acceptance_rate":0.85}',
    });

    // The sender was left at its placeholder: the grant follows it, and synth warns. In the SES sandbox the
    // recipients' identities are granted too: the scorecard's to the report function, ops' to the validators.
    const sesOf = (fn: Construct): string[] =>
      statementsOf(template, stack, fn)
        .filter((s) => s.actions.some((a) => a.startsWith('ses:')))
        .flatMap((s) => s.resources)
        .sort();
    expect(sesOf(stack.report.function)).toEqual(
      ['acme.example', 'scorecard@example.com', 'ceo@acme.example', 'cfo@acme.example'].map(sesIdentity).sort(),
    );
    expect(sesOf(stack.validation.functions.leads!)).toEqual(
      ['acme.example', 'scorecard@example.com', 'ops@acme.example'].map(sesIdentity).sort(),
    );
    expect(sesOf(stack.misplaced.function)).toEqual(sesOf(stack.validation.functions.leads!));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/^sender still at the example.com placeholder: pass -c sender=\.\.\. /)]);

    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email', Endpoint: 'oncall@acme.example', TopicArn: { Ref: resourceId(stack, stack.alarms.topic) },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          Match.objectLike({ Prefix: 'rejected/', ExpirationInDays: 14 }),
        ],
      },
    });
    // This variant passes cdk-nag too (the email subscription's finding is acknowledged; no stale acknowledgement).
    expect((variant.report.pluginReports as Json[]).every((r) => r.conclusion === 'success')).toBe(true);
    expect(unusedAcknowledgements(variant.app, variant.report)).toEqual([]);
    expect(listAcknowledgements(variant.app).map((a) => a.id)).toContain('Serverless::Serverless-SNSRedrivePolicy');
    // Both buckets (uploads and their access logs) are emptied by `cdk destroy` in a throw-away stack.
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('defaults to a monthly 06:00 UTC run, the sender domain as identity, and retained, protected data', () => {
    const config = buildStackConfig({ sender: 'kpi@reports.acme.example' });
    expect(config).toMatchObject({
      schedule: 'cron(0 6 1 * ? *)',
      sesIdentity: 'reports.acme.example',
      sesSandbox: false,
      dataRemoval: 'retain',
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      noncurrentVersionDays: 90,
      rejectedRetentionDays: 90,
    });
    expect(config.alarmEmail).toBeUndefined();
    // A throw-away stack turns deletion protection off, or `cdk destroy` could not delete the table.
    expect(buildStackConfig({ removalPolicy: 'destroy' }).deletionProtection).toBe(false);
    expect(config.settings.timezone).toBe('UTC');
  });

  it('follows the period type for the default schedule and accepts full expressions', () => {
    expect(buildStackConfig({ periodType: 'week' }).schedule).toBe('cron(0 6 ? * MON *)');
    expect(buildStackConfig({ periodType: 'quarter' }).schedule).toBe('cron(0 6 1 1,4,7,10 ? *)');
    expect(buildStackConfig({ schedule: 'cron(0 8 1 * ? *)' }).schedule).toBe('cron(0 8 1 * ? *)');
    expect(buildStackConfig({ schedule: 'rate(1 day)' }).schedule).toBe('rate(1 day)');
  });

  it('reads string context values the way the CLI passes them', () => {
    const config = buildStackConfig({ sesSandbox: 'true', removalPolicy: 'DESTROY' });
    expect(config.sesSandbox).toBe(true);
    expect(config.removalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  it.each([
    [{ timezone: 'Mars/Olympus_Mons' }, /timezone "Mars\/Olympus_Mons" is not an IANA time zone/],
    [{ schedule: '0 6 1 *' }, /schedule "0 6 1 \*" must be cron\(/],
    [{ sender: 'not-an-address' }, /sender "not-an-address" is not an email address/],
    [{ sesIdentity: '*' }, /sesIdentity "\*" must be one verified domain or address/],
    [{ removalPolicy: 'snapshot' }, /removalPolicy must be retain or destroy/],
    [{ sesSandbox: 'maybe' }, /sesSandbox must be true or false/],
    [{ removalPolicy: 'destroy', deletionProtection: 'true' }, /deletionProtection=true contradicts removalPolicy=destroy/],
    [{ noncurrentVersionDays: '0' }, /noncurrentVersionDays must be a whole number of days/],
    [{ rejectedRetentionDays: 'soon' }, /rejectedRetentionDays must be a whole number of days/],
    [{ alarmEmail: 'ops-at-acme' }, /alarmEmail "ops-at-acme" is not an email address/],
  ])('rejects %j with a ConfigError naming the key', (raw, message) => {
    expect(() => buildStackConfig(raw)).toThrow(ConfigError);
    expect(() => buildStackConfig(raw)).toThrow(message);
  });

  it('rejects a missing config file with its path', () => {
    const app = new App({ context: { config: 'does/not/exist.json' } });
    expect(() => readStackConfig(app.node, PROJECT_ROOT)).toThrow(/config file .*does\/not\/exist\.json cannot be read/);
  });

  it('stops `cdk synth` with a clear message when the time zone is not an IANA zone', () => {
    // The app as the CDK CLI runs it: context arrives in CDK_CONTEXT_JSON.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ timezone: 'Europe/Atlantis' }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')) },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('ConfigError: invalid setting: timezone "Europe/Atlantis" is not an IANA time zone');
  });
});
