/**
 * Infrastructure tests: what the stack promises (triggers, keys, schedule, least-privilege IAM, failure paths,
 * alarms, cdk-nag), asserted on the synthesized template. One file, because loading aws-cdk-lib costs seconds;
 * bundling is skipped. The stack is synthesized with the cdk-nag plugins, as `cdk synth` does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES, incomingPrefix, RESOURCE_ENV } from '../../lambdas/domain/layout.ts';
import { SETTINGS_ENV } from '../../lambdas/domain/settings.ts';
import { buildStackConfig, ConfigError, readStackConfig } from '../../lib/config.ts';
import { addNagChecks, listAcknowledgements, NAG_REASONS } from '../../lib/nag.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';
import { FUNCTION_ACCESS } from '../../lib/permissions.ts';
import { ScorecardStack } from '../../lib/scorecard-stack.ts';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
/** cdk.json's context (feature flags), so the tests synthesize what `cdk synth` does. */
const CDK_JSON_CONTEXT = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

const CONTEXT = {
  timezone: 'Europe/Paris',
  sender: 'scorecard@acme.example',
  recipients: 'ceo@acme.example, cmo@acme.example',
  opsEmail: 'ops@acme.example',
};

interface Synthesized {
  app: App;
  stack: ScorecardStack;
  template: Template;
  /** cdk.out/validation-report.json of the synth (cdk-nag's findings, failing and acknowledged). */
  report: Json;
}

/** Synthesizes the app with the cdk-nag plugins, as bin/app.ts does; a failing finding throws here. */
function synth(context: Record<string, unknown>): Synthesized {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...SKIP_BUNDLING, ...context } });
  const stack = new ScorecardStack(app, 'SmarketingScorecard', {
    env: { account: ACCOUNT, region: REGION },
    config: readStackConfig(app.node),
  });
  addNagChecks(app);
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return { app, stack, template: Template.fromStack(stack), report };
}

/** Acknowledgements recorded in the tree that no finding used: stale ones, to be deleted from lib/nag.ts. */
function unusedAcknowledgements(app: App, report: Json): string[] {
  const used = new Set<string>();
  for (const r of report.pluginReports as Json[]) {
    for (const v of (r.suppressedViolations ?? []) as Json[]) used.add(`${v.acknowledgedId} @ ${v.acknowledgedAt}`);
  }
  const unused: string[] = [];
  for (const c of app.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const id of Object.keys(entry.data as object)) if (!used.has(`${id} @ ${c.node.path}`)) unused.push(`${id} @ ${c.node.path}`);
    }
  }
  return unused;
}

// ---- template helpers ----------------------------------------------------------------------------------

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Renders an intrinsic as readable text: `arn:aws:ses:...`, `<Bucket.Arn>/incoming/leads/*`, `<Ref Table>`. */
function flat(v: Json): string {
  if (typeof v === 'string') return v;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as Json[]).map(flat).join(v['Fn::Join'][0] as string);
  if (v?.Ref === 'AWS::Partition') return 'aws';
  if (v?.Ref) return `<Ref ${v.Ref}>`;
  if (v?.['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(v);
}

const asList = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

interface Statement {
  policy: string;
  roles: string[];
  effect: string;
  actions: string[];
  resources: string[];
}

/** Every identity-policy statement: attached policies and roles' inline policies. */
function statements(template: Template): Statement[] {
  const toStatements = (policy: string, roles: string[], document: Json): Statement[] =>
    (document.Statement as Json[]).map((s) => ({
      policy,
      roles,
      effect: s.Effect as string,
      actions: asList<string>(s.Action),
      resources: asList<Json>(s.Resource).map(flat),
    }));
  const attached = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, p]: [string, Json]) =>
    toStatements(id, asList<Json>(p.Properties.Roles).map(flat), p.Properties.PolicyDocument),
  );
  const inline = Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, r]: [string, Json]) =>
    asList<Json>(r.Properties.Policies).flatMap((p) => toStatements(`${id}/${p.PolicyName}`, [`<Ref ${id}>`], p.PolicyDocument)),
  );
  return [...attached, ...inline];
}

const logicalId = (stack: ScorecardStack, fn: Construct): string => stack.getLogicalId(fn.node.defaultChild as CfnFunction);

/** The statements of the policy attached to a function's role. */
function statementsOf(template: Template, stack: ScorecardStack, fn: Construct & { role?: Json }): Statement[] {
  const roleId = stack.getLogicalId(fn.role.node.defaultChild);
  return statements(template).filter((s) => s.roles.includes(`<Ref ${roleId}>`));
}

function envOf(template: Template, id: string): Record<string, Json> {
  const fn = template.toJSON().Resources[id];
  return fn.Properties.Environment.Variables;
}

const objectArns = (s: Statement[], action: string): string[] =>
  s.filter((x) => x.actions.includes(action)).flatMap((x) => x.resources).filter((r) => r.includes('/')).sort();

// ---- the stack built from plain context ----------------------------------------------------------------

describe('SmarketingScorecard stack', () => {
  let app: App;
  let stack: ScorecardStack;
  let template: Template;
  let report: Json;
  let bucketId: string;
  let tableId: string;

  beforeAll(() => {
    ({ app, stack, template, report } = synth(CONTEXT));
    bucketId = stack.getLogicalId(stack.data.bucket.bucket.node.defaultChild as Json);
    tableId = stack.getLogicalId(stack.data.table.table.node.defaultChild as Json);
  });

  it('keeps uploads in a private, versioned, encrypted, TLS-only bucket that outlives the stack', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('triggers one distinct validation function per dataset, on objects created under its incoming prefix only', () => {
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications')) as Json[];
    expect(notifications.Properties.BucketName).toEqual({ Ref: bucketId });
    const configs = notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Json[];
    expect(configs).toHaveLength(DATASET_NAMES.length);

    const byPrefix = new Map<string, string>();
    for (const c of configs) {
      expect(c.Events).toEqual(['s3:ObjectCreated:*']);
      const rules = c.Filter.Key.FilterRules as Json[];
      expect(rules).toHaveLength(1);
      expect(rules[0].Name.toLowerCase()).toBe('prefix');
      byPrefix.set(rules[0].Value, c.LambdaFunctionArn['Fn::GetAtt'][0]);
    }
    expect([...byPrefix.keys()].sort()).toEqual(DATASET_NAMES.map(incomingPrefix).sort());
    expect(new Set(byPrefix.values()).size).toBe(DATASET_NAMES.length);
    for (const dataset of DATASET_NAMES) {
      const fnId = byPrefix.get(incomingPrefix(dataset))!;
      expect(fnId).toBe(logicalId(stack, stack.validation.functions[dataset]!));
      expect(envOf(template, fnId).SCORECARD_DATASET).toBe(dataset);
    }
  });

  it('keeps records in an on-demand table with the KPI history index and point-in-time recovery, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayEquals(
          ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
  });

  it('gives the seven pipeline functions the house runtime, their sizes and the environment they read', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ [SETTINGS_ENV.timezone]: Match.anyValue() }) } },
    });
    expect(Object.keys(functions)).toHaveLength(7);
    for (const fn of Object.values(functions) as Json[]) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        SCORECARD_TIMEZONE: 'Europe/Paris',
        SCORECARD_SENDER: 'scorecard@acme.example',
        SCORECARD_RECIPIENTS: 'ceo@acme.example,cmo@acme.example',
        SCORECARD_OPS_EMAIL: 'ops@acme.example',
        SCORECARD_CURRENCY: 'USD',
        SCORECARD_PERIOD_TYPE: 'month',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }

    for (const dataset of DATASET_NAMES) {
      const id = logicalId(stack, stack.validation.functions[dataset]!);
      expect(functions[id]!.Properties).toMatchObject({ MemorySize: 2048, Timeout: 900 });
      expect(envOf(template, id)).toMatchObject({
        [RESOURCE_ENV.bucket]: { Ref: bucketId },
        [RESOURCE_ENV.table]: { Ref: tableId },
        SCORECARD_DATASET: dataset,
      });
    }
    const kpiId = logicalId(stack, stack.kpis.function);
    expect(functions[kpiId]!.Properties).toMatchObject({ MemorySize: 2048, Timeout: 900 });
    expect(envOf(template, kpiId)).toMatchObject({
      [RESOURCE_ENV.bucket]: { Ref: bucketId },
      [RESOURCE_ENV.table]: { Ref: tableId },
    });
    const reportId = logicalId(stack, stack.report.function);
    expect(functions[reportId]!.Properties).toMatchObject({ MemorySize: 512, Timeout: 120 });
    // Every function on ARM64, the report function included: its sparklines are drawn in TypeScript, no native module.
    for (const fn of [...Object.values(stack.validation.functions), stack.kpis.function, stack.report.function]) {
      expect(functions[logicalId(stack, fn)]!.Properties.Architectures).toEqual(['arm64']);
    }
    // Sending reads no object: the report function is not bound to the bucket at all.
    expect(envOf(template, reportId)).toMatchObject({ [RESOURCE_ENV.table]: { Ref: tableId } });
    expect(Object.keys(envOf(template, reportId))).not.toContain(RESOURCE_ENV.bucket);
    // No endpoint overrides on AWS: those are for the local stand-ins.
    for (const id of Object.keys(functions)) {
      expect(Object.keys(envOf(template, id))).not.toContain(RESOURCE_ENV.s3Endpoint);
    }
  });

  it('runs the KPI function with {} on the monthly schedule, in the configured time zone, with retries and a dead-letter queue', () => {
    const kpiId = logicalId(stack, stack.kpis.function);
    const dlqId = stack.getLogicalId(stack.failures.schedule.queue.node.defaultChild as Json);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      // Its own group, so Scheduler's per-group metrics (the "scorecard due" signal) are about it alone.
      GroupName: stack.resolve(stack.kpis.scheduleGroup.scheduleGroupName),
      Target: {
        Arn: { 'Fn::GetAtt': [kpiId, 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 12 * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        RoleArn: Match.anyValue(),
      },
    });
    // Scheduler's role may invoke exactly the KPI function (not its versions, `:*`) and send to its DLQ.
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Json[];
    const schedulerRole = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const allowed = statements(template).filter((s) => s.roles.includes(`<Ref ${schedulerRole}>`));
    expect(allowed.map((s) => [s.actions, s.resources])).toEqual([
      [['lambda:InvokeFunction'], [`<${kpiId}.Arn>`]],
      [['sqs:SendMessage'], [`<${dlqId}.Arn>`]],
    ]);
  });

  it('chains the report function after each successful KPI run as its on-success destination', () => {
    const kpiId = logicalId(stack, stack.kpis.function);
    const reportId = logicalId(stack, stack.report.function);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: kpiId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnSuccess: { Destination: { 'Fn::GetAtt': [reportId, 'Arn'] } } },
    });
    const kpiInvokes = statementsOf(template, stack, stack.kpis.function).filter((s) =>
      s.actions.includes('lambda:InvokeFunction'),
    );
    expect(kpiInvokes.flatMap((s) => s.resources)).toEqual([`<${reportId}.Arn>`]);
  });

  it('lets functions send email only as the SES identity, never on *', () => {
    const identityArns = [
      `arn:aws:ses:${REGION}:${ACCOUNT}:identity/acme.example`,
      `arn:aws:ses:${REGION}:${ACCOUNT}:identity/scorecard@acme.example`,
    ];
    const ses = statements(template).filter((s) => s.actions.some((a) => a.startsWith('ses:')));
    expect(ses.length).toBe(DATASET_NAMES.length + 1);
    for (const s of ses) expect(s.resources.sort()).toEqual(identityArns.sort());

    for (const fn of [stack.report.function, ...Object.values(stack.validation.functions)]) {
      const fnSes = statementsOf(template, stack, fn).filter((s) => s.actions.some((a) => a.startsWith('ses:')));
      expect(fnSes.flatMap((s) => s.actions)).toEqual(['ses:SendRawEmail']);
    }
    const kpiSes = statementsOf(template, stack, stack.kpis.function).filter((s) => s.actions.some((a) => a.startsWith('ses:')));
    expect(kpiSes).toEqual([]);
  });

  it('grants S3 by dataset prefix: validation reads its incoming files and writes its own outputs only', () => {
    const b = `<${bucketId}.Arn>`;
    for (const dataset of DATASET_NAMES) {
      const s = statementsOf(template, stack, stack.validation.functions[dataset]!);
      // Reads the exact object version the event names, and copies it to rejected/; reads back its own report
      // (under rejected/ or reports/) when an ops notice that failed to send is retried.
      const reads = ['incoming', 'rejected', 'reports'].map((p) => `${b}/${p}/${dataset}/*`).sort();
      expect(objectArns(s, 's3:GetObject')).toEqual(reads);
      expect(objectArns(s, 's3:GetObjectVersion')).toEqual(reads);
      const outputs = ['accepted', 'rejected', 'reports'].map((p) => `${b}/${p}/${dataset}/*`).sort();
      expect(objectArns(s, 's3:PutObject')).toEqual(outputs);
      expect(objectArns(s, 's3:AbortMultipartUpload')).toEqual(outputs);
      expect(s.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:')).sort()).toEqual(
        ['s3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      );
    }
    const kpi = statementsOf(template, stack, stack.kpis.function);
    expect(objectArns(kpi, 's3:GetObject')).toEqual([`${b}/accepted/*`]);
    expect(kpi.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
    const report = statementsOf(template, stack, stack.report.function);
    expect(report.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:'))).toEqual([]);
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
    const functions = [...Object.values(stack.validation.functions), stack.kpis.function, stack.report.function];
    for (const fn of functions) {
      const star = statementsOf(template, stack, fn).filter((s) => s.resources.includes('*'));
      expect(star.flatMap((s) => s.actions).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
    // DynamoDB access names the table, and the KPI-history index by name for the report only.
    const dynamo = all.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(new Set(dynamo.map((s) => s.policy)).size).toBe(7);
    for (const s of dynamo) {
      expect(s.resources.every((r) => r === `<${tableId}.Arn>` || r === `<${tableId}.Arn>/index/gsi1`)).toBe(true);
    }
    const indexUsers = dynamo.filter((s) => s.resources.some((r) => r.includes('/index/'))).map((s) => s.policy);
    expect(indexUsers).toEqual([stack.getLogicalId((stack.report.function.role as Json).node.findChild('DefaultPolicy').node.defaultChild)]);
  });

  it('grants each function exactly the DynamoDB actions of lib/permissions.ts, and no managed policy', () => {
    const expected: [Construct, readonly string[]][] = [
      ...Object.values(stack.validation.functions).map((fn): [Construct, readonly string[]] => [fn, FUNCTION_ACCESS.validateUpload.dynamodb.table]),
      [stack.kpis.function, FUNCTION_ACCESS.computeKpis.dynamodb.table],
      [stack.report.function, FUNCTION_ACCESS.sendScorecard.dynamodb.table],
    ];
    for (const [fn, actions] of expected) {
      const onTable = statementsOf(template, stack, fn).filter((s) => s.resources.includes(`<${tableId}.Arn>`));
      expect(onTable.flatMap((s) => s.actions).sort()).toEqual([...actions].sort());
    }
    // Function roles carry no AWS-managed policy (no AWSLambdaBasicExecutionRole): logs go to their own group only.
    for (const fn of [...Object.values(stack.validation.functions), stack.kpis.function, stack.report.function]) {
      const roleId = stack.getLogicalId((fn.role as Json).node.defaultChild);
      expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      const logs = statementsOf(template, stack, fn).filter((s) => s.actions.some((a) => a.startsWith('logs:')));
      const logGroupId = stack.getLogicalId(fn.node.scope!.node.findChild(`${fn.node.id}Logs`).node.defaultChild as Json);
      expect(logs.map((s) => [s.actions.sort(), s.resources])).toEqual([[['logs:CreateLogStream', 'logs:PutLogEvents'], [`<${logGroupId}.Arn>`]]]);
    }
  });

  it('expires old versions and rejected copies, aborts stale multipart uploads and logs access to a TLS-only bucket', () => {
    const buckets = template.findResources('AWS::S3::Bucket') as Record<string, Json>;
    expect(Object.keys(buckets)).toHaveLength(2);
    const logsId = stack.getLogicalId(stack.data.bucket.accessLogs.node.defaultChild as Json);
    expect(buckets[bucketId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'uploads/',
    });
    expect(buckets[bucketId].Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-old-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
      { Id: 'expire-rejected', Status: 'Enabled', Prefix: 'rejected/', ExpirationInDays: 90 },
    ]);
    expect(buckets[logsId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: 'Enabled' }] },
      },
    });
    // Every bucket's policy denies any request not made over TLS.
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
    expect(policies.map((p) => p.Properties.Bucket.Ref).sort()).toEqual([bucketId, logsId].sort());
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    }
  });

  it('protects the table from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('gives every asynchronously invoked function bounded retries and an encrypted, TLS-only, watched failure queue', () => {
    const functions = [...Object.values(stack.validation.functions), stack.kpis.function, stack.report.function];
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[];
    expect(configs).toHaveLength(functions.length);
    const queueOf = new Map<Construct, Json>([
      ...Object.values(stack.validation.functions).map((fn): [Construct, Json] => [fn, stack.failures.validation.queue]),
      [stack.kpis.function, stack.failures.kpis.queue],
      [stack.report.function, stack.failures.report.queue],
    ]);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
    const topicId = stack.getLogicalId(stack.alarms.topic.node.defaultChild as Json);
    for (const fn of functions) {
      const config = configs.find((c) => c.Properties.FunctionName.Ref === logicalId(stack, fn));
      const queueId = stack.getLogicalId(queueOf.get(fn).node.defaultChild);
      expect(config?.Properties, fn.node.path).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    }
    // The schedule's dead-letter queue too: every queue is encrypted, TLS-only, kept 14 days and alarmed on.
    const queues = template.findResources('AWS::SQS::Queue') as Record<string, Json>;
    expect(Object.keys(queues)).toHaveLength(4);
    const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Json[];
    for (const [id, q] of Object.entries(queues)) {
      expect(q.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      const policy = queuePolicies.find((p) => p.Properties.Queues[0].Ref === id);
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      const depth = alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible'
        && a.Properties.Dimensions[0].Value['Fn::GetAtt'][0] === id);
      expect(depth.map((a) => [a.Properties.Threshold, a.Properties.ComparisonOperator, a.Properties.AlarmActions]))
        .toEqual([[1, 'GreaterThanOrEqualToThreshold', [{ Ref: topicId }]]]);
    }
  });

  it('alarms on every function\'s errors and throttles and on a missing scorecard, all to one encrypted topic', () => {
    const topicId = stack.getLogicalId(stack.alarms.topic.node.defaultChild as Json);
    const keyId = stack.getLogicalId(stack.alarms.key.node.defaultChild as Json);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    // No email configured here: no subscription (see the configuration test).
    template.resourceCountIs('AWS::SNS::Subscription', 0);

    const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Json>;
    const functions = [...Object.values(stack.validation.functions), stack.kpis.function, stack.report.function];
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = Object.values(alarms).filter((a) => a.Properties.MetricName === metric
          && a.Properties.Dimensions?.[0]?.Value?.Ref === logicalId(stack, fn));
        expect(found.map((a) => [a.Properties.Namespace, a.Properties.Statistic, a.Properties.Period, a.Properties.Threshold, a.Properties.AlarmActions]), `${fn.node.path} ${metric}`)
          .toEqual([['AWS/Lambda', 'Sum', 300, 1, [{ Ref: topicId }]]]);
      }
    }
    // Every alarm notifies the topic, except the two signals the missing-scorecard composite is built from.
    const signals = ['ScorecardDue', 'ScorecardDelivered'].map((id) => stack.getLogicalId(stack.alarms.node.findChild(id).node.defaultChild as Json));
    for (const [id, a] of Object.entries(alarms)) {
      expect(a.Properties.AlarmActions, id).toEqual(signals.includes(id) ? undefined : [{ Ref: topicId }]);
    }
    expect(Object.keys(alarms)).toHaveLength(functions.length * 2 + 4 + 2);

    // The scorecard is missing when the schedule fired (its group's attempts) and no report run succeeded
    // within 6 hours: the composite waits that long for the "delivered" signal, its actions suppressor.
    const [composite] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')) as Json[];
    expect(composite.Properties).toMatchObject({
      AlarmActions: [{ Ref: topicId }],
      ActionsSuppressor: { 'Fn::GetAtt': [signals[1], 'Arn'] },
      ActionsSuppressorWaitPeriod: 6 * 3600,
    });
    expect(flat(composite.Properties.AlarmRule)).toBe(`(ALARM("<${signals[0]}.Arn>") AND (NOT (ALARM("<${signals[1]}.Arn>"))))`);
    expect(alarms[signals[0]!].Properties).toMatchObject({
      Namespace: 'AWS/Scheduler', MetricName: 'InvocationAttemptCount', Period: 86400, Threshold: 1,
      Dimensions: [{ Name: 'ScheduleGroup', Value: stack.resolve(stack.kpis.scheduleGroup.scheduleGroupName) }],
    });
    const delivered = alarms[signals[1]!].Properties;
    expect(delivered.Metrics.find((m: Json) => m.ReturnData).Expression).toBe('FILL(invocations, 0) - FILL(errors, 0)');
    for (const m of delivered.Metrics.filter((x: Json) => x.MetricStat)) {
      expect(m.MetricStat.Metric.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: logicalId(stack, stack.report.function) } }]);
      expect(m.MetricStat.Period).toBe(86400);
    }
  });

  it('passes cdk-nag (AWS Solutions and Serverless) with only the acknowledged findings, none of them stale', () => {
    const plugins = (report.pluginReports as Json[]).map((r) => [r.pluginName, r.conclusion, r.violations.length]);
    expect(plugins).toEqual(expect.arrayContaining([['AwsSolutions', 'success', 0], ['Serverless', 'success', 0]]));
    expect(unusedAcknowledgements(app, report)).toEqual([]);
  });

  it('acknowledges exactly these cdk-nag findings, for these reasons (a new one must be added here)', () => {
    const bucket = '<UploadsBucketC4B27CC7.Arn>';
    const prefixes = [
      'accepted/*',
      ...['accepted', 'incoming', 'rejected', 'reports'].flatMap((p) =>
        ['customers', 'leads', 'opportunities', 'spend', 'web_traffic'].map((d) => `${p}/${d}/*`)),
    ];
    expect(listAcknowledgements(app)).toEqual([
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: NAG_REASONS.cdkNotificationsHandler },
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: NAG_REASONS.xray },
      ...prefixes.map((p) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucket}/${p}]`, reason: NAG_REASONS.s3Prefix })),
      { id: 'AwsSolutions::AwsSolutions-L1', reason: NAG_REASONS.runtime },
      { id: 'AwsSolutions::AwsSolutions-SQS3', reason: NAG_REASONS.failureQueue },
      { id: 'Serverless::Serverless-LambdaDLQ', reason: NAG_REASONS.lambdaDlq },
      { id: 'Serverless::Serverless-LambdaLatestVersion', reason: NAG_REASONS.runtime },
      { id: 'Serverless::Serverless-SQSRedrivePolicy', reason: NAG_REASONS.failureQueue },
    ]);
    // The reasons themselves, so rewording one is visible in review too.
    expect(NAG_REASONS).toMatchInlineSnapshot(`
      {
        "alarmEmail": "The alarm email subscription: SNS retries email delivery itself, and a message that still fails has no consumer to redrive it to; the alarm stays visible in CloudWatch either way.",
        "cdkNotificationsHandler": "aws-cdk-lib's own BucketNotificationsHandler (applies the bucket's event notifications at deploy time, never at run time); CDK creates its role with the basic execution policy and offers no way to replace it.",
        "failureQueue": "This queue is the end of a failure path (Lambda on-failure destination or Scheduler dead-letter queue): nothing consumes it, so a redrive policy would never apply. Its first message raises an alarm; ops replay by hand.",
        "lambdaDlq": "Every function is invoked asynchronously and has an on-failure destination (an encrypted SQS queue with a depth alarm), whose record carries the error and attempt count with the event; a dead-letter queue as well would deliver each failure twice.",
        "runtime": "The runtime is pinned (HOUSE_RUNTIME, nodejs22.x, maintained upstream until April 2027) so it changes only with a tested upgrade, not whenever Lambda ships a newer one.",
        "s3Prefix": "Object ARNs under a key prefix: export names and upload ids are only known at run time, so access is scoped to the prefix of the function's own dataset (or accepted/ for the KPI run), with object-level actions only (lib/permissions.ts): no ListBucket, no delete.",
        "xray": "X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; it is the only statement on Resource * in the function roles (asserted in test/infra).",
      }
    `);
  });

  it('warns about no placeholder address when real addresses are configured', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder'))).toEqual([]);
  });
});

// ---- configuration sources ------------------------------------------------------------------------------

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
    const { app, stack, template, report } = synth({ config: file, recipients: 'ceo@acme.example,cfo@acme.example' });

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
    const arn = (identity: string): string => `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${identity}`;
    const sesOf = (fn: Construct): string[] =>
      statementsOf(template, stack, fn)
        .filter((s) => s.actions.some((a) => a.startsWith('ses:')))
        .flatMap((s) => s.resources)
        .sort();
    expect(sesOf(stack.report.function)).toEqual(
      ['acme.example', 'scorecard@example.com', 'ceo@acme.example', 'cfo@acme.example'].map(arn).sort(),
    );
    expect(sesOf(stack.validation.functions.leads!)).toEqual(
      ['acme.example', 'scorecard@example.com', 'ops@acme.example'].map(arn).sort(),
    );
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('placeholder'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/^sender still at the example.com placeholder: pass -c sender=\.\.\. /)]);

    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email', Endpoint: 'oncall@acme.example', TopicArn: { Ref: stack.getLogicalId(stack.alarms.topic.node.defaultChild as Json) },
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
    expect((report.pluginReports as Json[]).every((r) => r.conclusion === 'success')).toBe(true);
    expect(unusedAcknowledgements(app, report)).toEqual([]);
    expect(listAcknowledgements(app).map((a) => a.id)).toContain('Serverless::Serverless-SNSRedrivePolicy');
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
