/**
 * Infrastructure tests: what the stack promises (triggers, keys, schedule, least-privilege IAM), asserted on
 * the synthesized template. One file, because loading aws-cdk-lib costs seconds; bundling is skipped.
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
import { PROJECT_ROOT } from '../../lib/paths.ts';
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

function synth(context: Record<string, unknown>): { stack: ScorecardStack; template: Template } {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...SKIP_BUNDLING, ...context } });
  const stack = new ScorecardStack(app, 'SmarketingScorecard', {
    env: { account: ACCOUNT, region: REGION },
    config: readStackConfig(app.node),
  });
  return { stack, template: Template.fromStack(stack) };
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
  let stack: ScorecardStack;
  let template: Template;
  let bucketId: string;
  let tableId: string;

  beforeAll(() => {
    ({ stack, template } = synth(CONTEXT));
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
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
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
    // Sending reads no object: the report function is not bound to the bucket at all.
    expect(envOf(template, reportId)).toMatchObject({ [RESOURCE_ENV.table]: { Ref: tableId } });
    expect(Object.keys(envOf(template, reportId))).not.toContain(RESOURCE_ENV.bucket);
    // No endpoint overrides on AWS: those are for the local stand-ins.
    for (const id of Object.keys(functions)) {
      expect(Object.keys(envOf(template, id))).not.toContain(RESOURCE_ENV.s3Endpoint);
    }
  });

  it('runs the KPI function with {} on the monthly schedule, in the configured time zone, with retries', () => {
    const kpiId = logicalId(stack, stack.kpis.function);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [kpiId, 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 12 * 3600 },
        RoleArn: Match.anyValue(),
      },
    });
    // Scheduler's role may invoke the KPI function and nothing else.
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Json[];
    const schedulerRole = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const invoke = statements(template).filter((s) => s.roles.includes(`<Ref ${schedulerRole}>`));
    expect(invoke.flatMap((s) => s.actions)).toEqual(['lambda:InvokeFunction']);
    expect(invoke.flatMap((s) => s.resources).every((r) => r.startsWith(`<${kpiId}.Arn>`))).toBe(true);
  });

  it('chains the report function after each successful KPI run as its on-success destination', () => {
    const kpiId = logicalId(stack, stack.kpis.function);
    const reportId = logicalId(stack, stack.report.function);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: kpiId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnSuccess: { Destination: { 'Fn::GetAtt': [reportId, 'Arn'] } } },
    });
    const kpiInvokes = statementsOf(template, stack, stack.kpis.function).filter((s) =>
      s.actions.includes('lambda:InvokeFunction'),
    );
    expect(kpiInvokes.flatMap((s) => s.resources).every((r) => r.startsWith(`<${reportId}.Arn>`))).toBe(true);
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
      expect(objectArns(s, 's3:GetObject*')).toEqual([`${b}/incoming/${dataset}/*`]);
      expect(objectArns(s, 's3:PutObject')).toEqual(
        ['accepted', 'rejected', 'reports'].map((p) => `${b}/${p}/${dataset}/*`).sort(),
      );
      expect(s.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
    }
    const kpi = statementsOf(template, stack, stack.kpis.function);
    expect(objectArns(kpi, 's3:GetObject*')).toEqual([`${b}/accepted/*`]);
    expect(objectArns(kpi, 's3:PutObject')).toEqual([]);
    const report = statementsOf(template, stack, stack.report.function);
    expect(report.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('grants no wildcard actions on data and nothing on Resource * for S3, DynamoDB or SES', () => {
    const all = statements(template).filter((s) => s.effect === 'Allow');
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      for (const a of s.actions) expect(['*', 's3:*', 'dynamodb:*', 'ses:*']).not.toContain(a);
      const dataActions = s.actions.filter((a) => /^(s3|dynamodb|ses):/.test(a));
      if (dataActions.length > 0) expect(s.resources, `${s.policy}: ${dataActions.join(',')}`).not.toContain('*');
    }
    // DynamoDB access names the table and its indexes only.
    const dynamo = all.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(new Set(dynamo.map((s) => s.policy)).size).toBe(7);
    for (const s of dynamo) {
      expect(s.resources.every((r) => r === `<${tableId}.Arn>` || r === `<${tableId}.Arn>/index/*`)).toBe(true);
    }
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
      }),
    );
    const { stack, template } = synth({ config: file, recipients: 'ceo@acme.example,cfo@acme.example' });

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
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('defaults to a monthly 06:00 UTC run, the sender domain as identity, and retained data', () => {
    const config = buildStackConfig({ sender: 'kpi@reports.acme.example' });
    expect(config).toMatchObject({
      schedule: 'cron(0 6 1 * ? *)',
      sesIdentity: 'reports.acme.example',
      sesSandbox: false,
      dataRemoval: 'retain',
      removalPolicy: RemovalPolicy.RETAIN,
    });
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
