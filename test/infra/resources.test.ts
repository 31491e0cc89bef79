/**
 * Infrastructure tests, the resources: storage and its triggers, the functions, the KPI schedule and the report
 * chained after it, failure paths and alarms, asserted on the synthesized template. Grants, cdk-nag and
 * configuration are in access.test.ts. The stack is synthesized once for the file (test/helpers/infra-stack.ts).
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES, incomingPrefix, RESOURCE_ENV } from '../../lambdas/domain/layout.ts';
import { SETTINGS_ENV } from '../../lambdas/domain/settings.ts';
import type { ScorecardStack } from '../../lib/scorecard-stack.ts';
import {
  defaultStack, envOf, flat, logicalId, pipelineFunctions, resourceId, statements, statementsOf, type Json,
} from '../helpers/infra-stack.ts';

let stack: ScorecardStack;
let template: Template;
let bucketId: string;
let tableId: string;

beforeAll(() => {
  ({ stack, template } = defaultStack());
  bucketId = resourceId(stack, stack.data.bucket.bucket);
  tableId = resourceId(stack, stack.data.table.table);
});

const TLS_ONLY = { Bool: { 'aws:SecureTransport': 'false' } };
const PRIVATE = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const AES256 = { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] };

describe('storage and triggers', () => {
  it('keeps uploads in a private, versioned, encrypted, TLS-only bucket that outlives the stack', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: PRIVATE,
        BucketEncryption: AES256,
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: TLS_ONLY }),
        ]),
      },
    });
  });

  it('triggers one distinct validation function per dataset, on objects created and removed under its incoming prefix only', () => {
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications')) as Json[];
    expect(notifications.Properties.BucketName).toEqual({ Ref: bucketId });
    const configs = notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Json[];
    expect(configs).toHaveLength(DATASET_NAMES.length * 2);

    const byPrefix = new Map<string, { fn: string; events: string[] }>();
    for (const c of configs) {
      const rules = c.Filter.Key.FilterRules as Json[];
      expect(rules).toHaveLength(1);
      expect(rules[0].Name.toLowerCase()).toBe('prefix');
      const fn = c.LambdaFunctionArn['Fn::GetAtt'][0] as string;
      const seen = byPrefix.get(rules[0].Value) ?? { fn, events: [] };
      expect(seen.fn).toBe(fn); // one function per prefix, for both event types
      byPrefix.set(rules[0].Value, { fn, events: [...seen.events, ...c.Events].sort() });
    }
    expect([...byPrefix.keys()].sort()).toEqual(DATASET_NAMES.map(incomingPrefix).sort());
    expect(new Set([...byPrefix.values()].map((v) => v.fn)).size).toBe(DATASET_NAMES.length);
    for (const dataset of DATASET_NAMES) {
      const { fn, events } = byPrefix.get(incomingPrefix(dataset))!;
      // Removed: a delete marker, or a version deleted for good (retraction). Lifecycle expirations are other events.
      expect(events).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
      expect(fn).toBe(logicalId(stack, stack.validation.functions[dataset]!));
      expect(envOf(template, fn).SCORECARD_DATASET).toBe(dataset);
    }
    // The bucket's events also go to EventBridge (the misplaced-upload rule).
    expect(notifications.Properties.NotificationConfiguration.EventBridgeConfiguration).toEqual({});
  });

  it('sends every Object Created under incoming/ of the bucket to the misplaced-upload function, with retries and a dead-letter queue', () => {
    const fnId = logicalId(stack, stack.misplaced.function);
    const queueId = resourceId(stack, stack.failures.validation.queue);
    template.resourceCountIs('AWS::Events::Rule', 1);
    const [rule] = Object.values(template.findResources('AWS::Events::Rule')) as Json[];
    expect(rule.Properties).toMatchObject({
      State: 'ENABLED',
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'incoming/' }] } },
      },
    });
    expect(rule.Properties.EventBusName).toBeUndefined(); // the default bus, where S3 sends its events
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    })]);
    // EventBridge may invoke the function for this rule only; and send to the queue for this rule only.
    const ruleId = Object.keys(template.findResources('AWS::Events::Rule'))[0]!;
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Json[];
    const eventsStatements = queuePolicies.flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((st) => st.Principal?.Service === 'events.amazonaws.com');
    expect(eventsStatements).toEqual([expect.objectContaining({
      Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
    })]);
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

  it('protects the table from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('expires old versions and rejected copies, aborts stale multipart uploads and logs access to a TLS-only bucket', () => {
    const buckets = template.findResources('AWS::S3::Bucket') as Record<string, Json>;
    expect(Object.keys(buckets)).toHaveLength(2);
    const logsId = resourceId(stack, stack.data.bucket.accessLogs);
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
        PublicAccessBlockConfiguration: PRIVATE,
        BucketEncryption: AES256,
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: 'Enabled' }] },
      },
    });
    // Every bucket's policy denies any request not made over TLS.
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
    expect(policies.map((p) => p.Properties.Bucket.Ref).sort()).toEqual([bucketId, logsId].sort());
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: TLS_ONLY,
      }));
    }
  });
});

describe('pipeline functions', () => {
  it('gives the eight pipeline functions and the page viewer the house runtime, their sizes and the environment they read', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ [SETTINGS_ENV.timezone]: Match.anyValue() }) } },
    });
    expect(Object.keys(functions)).toHaveLength(9);
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
    // The misplaced-upload notifier: one table write and one email, small and short; the table, no bucket.
    const misplacedId = logicalId(stack, stack.misplaced.function);
    expect(functions[misplacedId]!.Properties).toMatchObject({ MemorySize: 256, Timeout: 30 });
    expect(envOf(template, misplacedId)).toMatchObject({ [RESOURCE_ENV.table]: { Ref: tableId } });
    expect(Object.keys(envOf(template, misplacedId))).not.toContain(RESOURCE_ENV.bucket);
    // Every function on ARM64, the report function included: its sparklines are drawn in TypeScript, no native module.
    for (const fn of pipelineFunctions(stack)) {
      expect(functions[logicalId(stack, fn)]!.Properties.Architectures).toEqual(['arm64']);
    }
    // The report function writes the period's page beside the email, and signs its links for the viewer's URL.
    expect(envOf(template, reportId)).toMatchObject({
      [RESOURCE_ENV.table]: { Ref: tableId },
      [RESOURCE_ENV.bucket]: { Ref: bucketId },
      [RESOURCE_ENV.linkKeySecret]: { Ref: resourceId(stack, stack.page.secret) },
      [RESOURCE_ENV.pageUrl]: { 'Fn::GetAtt': [resourceId(stack, stack.page.url), 'FunctionUrl'] },
    });
    // No endpoint overrides on AWS: those are for the local stand-ins.
    for (const id of Object.keys(functions)) {
      expect(Object.keys(envOf(template, id))).not.toContain(RESOURCE_ENV.s3Endpoint);
    }
  });
});

describe('the private drill-down page', () => {
  it('is served by a small synchronous viewer behind a Function URL that only its signature check guards', () => {
    const viewerId = logicalId(stack, stack.page.function);
    const viewer = template.toJSON().Resources[viewerId];
    expect(viewer.Properties).toMatchObject({ MemorySize: 256, Timeout: 10, Architectures: ['arm64'], Runtime: 'nodejs22.x' });
    expect(envOf(template, viewerId)).toMatchObject({
      [RESOURCE_ENV.bucket]: { Ref: bucketId },
      [RESOURCE_ENV.linkKeySecret]: { Ref: resourceId(stack, stack.page.secret) },
    });
    expect(Object.keys(envOf(template, viewerId))).not.toContain(RESOURCE_ENV.table);
    // Behind its URL only: no async retries or failure queue to configure.
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[];
    expect(configs.filter((c) => c.Properties.FunctionName.Ref === viewerId)).toEqual([]);
    // A browser cannot sign AWS requests: the URL is open (auth NONE) and the function refuses unsigned links (403).
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [viewerId, 'Arn'] } });
    const permissions = (Object.values(template.findResources('AWS::Lambda::Permission')) as Json[])
      .filter((p) => flat(p.Properties.FunctionName) === `<${viewerId}.Arn>`)
      .map((p) => ({ action: p.Properties.Action, principal: p.Properties.Principal, authType: p.Properties.FunctionUrlAuthType, viaUrl: p.Properties.InvokedViaFunctionUrl }));
    expect(permissions).toEqual([
      { action: 'lambda:InvokeFunctionUrl', principal: '*', authType: 'NONE', viaUrl: undefined },
      { action: 'lambda:InvokeFunction', principal: '*', authType: undefined, viaUrl: true },
    ]);
    // Its errors and throttles alarm like every function's.
    const alarms = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[])
      .filter((a) => a.Properties.Dimensions?.[0]?.Value?.Ref === viewerId).map((a) => a.Properties.MetricName).sort();
    expect(alarms).toEqual(['Errors', 'Throttles']);
    template.hasOutput('PageUrl', { Value: { 'Fn::GetAtt': [resourceId(stack, stack.page.url), 'FunctionUrl'] } });
  });

  it('signs links with a generated key kept in Secrets Manager, retained, rotated by hand only', () => {
    const secretId = resourceId(stack, stack.page.secret);
    const secret = template.toJSON().Resources[secretId];
    expect(secret.Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    // Readable by the report and viewer functions only.
    const readers = statements(template).filter((s) => s.actions.some((a) => a.startsWith('secretsmanager:'))).map((s) => s.roles).flat().sort();
    expect(readers).toEqual([
      `<Ref ${stack.getLogicalId((stack.page.function.role as Json).node.defaultChild)}>`,
      `<Ref ${stack.getLogicalId((stack.report.function.role as Json).node.defaultChild)}>`,
    ].sort());
    template.hasOutput('LinkKeySecretArn', { Value: { Ref: secretId } });
  });

  it('keeps the pages in the private bucket: no policy lets anyone in, only the TLS denial', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
    const forUploads = policies.filter((p) => p.Properties.Bucket.Ref === bucketId);
    for (const p of forUploads) {
      for (const st of p.Properties.PolicyDocument.Statement as Json[]) expect(st.Effect, JSON.stringify(st)).toBe('Deny');
    }
    template.hasResourceProperties('AWS::S3::Bucket', { PublicAccessBlockConfiguration: PRIVATE });
  });
});

describe('KPI schedule and the report chained after it', () => {
  it('runs the KPI function with {} on the monthly schedule, in the configured time zone, with retries and a dead-letter queue', () => {
    const kpiId = logicalId(stack, stack.kpis.function);
    const dlqId = resourceId(stack, stack.failures.schedule.queue);
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
    const kpiInvokes = statementsOf(template, stack, stack.kpis.function).filter((s) => s.actions.includes('lambda:InvokeFunction'));
    expect(kpiInvokes.flatMap((s) => s.resources)).toEqual([`<${reportId}.Arn>`]);
  });
});

describe('failure paths and alarms', () => {
  it('gives every asynchronously invoked function bounded retries and an encrypted, TLS-only, watched failure queue', () => {
    const functions = pipelineFunctions(stack);
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[];
    expect(configs).toHaveLength(functions.length);
    const queueOf = new Map<Construct, Construct>([
      ...Object.values(stack.validation.functions).map((fn): [Construct, Construct] => [fn, stack.failures.validation.queue]),
      [stack.misplaced.function, stack.failures.validation.queue],
      [stack.kpis.function, stack.failures.kpis.queue],
      [stack.report.function, stack.failures.report.queue],
    ]);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
    const topicId = resourceId(stack, stack.alarms.topic);
    for (const fn of functions) {
      const config = configs.find((c) => c.Properties.FunctionName.Ref === logicalId(stack, fn));
      const queueId = resourceId(stack, queueOf.get(fn)!);
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
        Effect: 'Deny', Action: 'sqs:*', Condition: TLS_ONLY,
      }));
      const depth = alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible'
        && a.Properties.Dimensions[0].Value['Fn::GetAtt'][0] === id);
      expect(depth.map((a) => [a.Properties.Threshold, a.Properties.ComparisonOperator, a.Properties.AlarmActions]))
        .toEqual([[1, 'GreaterThanOrEqualToThreshold', [{ Ref: topicId }]]]);
    }
  });

  it('alarms on every function\'s errors and throttles and on a missing scorecard, all to one encrypted topic', () => {
    const topicId = resourceId(stack, stack.alarms.topic);
    const keyId = resourceId(stack, stack.alarms.key);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: TLS_ONLY }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    // No email configured here: no subscription (see the configuration test in access.test.ts).
    template.resourceCountIs('AWS::SNS::Subscription', 0);

    const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Json>;
    // The pipeline's functions and the page viewer.
    const functions = [...pipelineFunctions(stack), stack.page.function];
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = Object.values(alarms).filter((a) => a.Properties.MetricName === metric
          && a.Properties.Dimensions?.[0]?.Value?.Ref === logicalId(stack, fn));
        expect(found.map((a) => [a.Properties.Namespace, a.Properties.Statistic, a.Properties.Period, a.Properties.Threshold, a.Properties.AlarmActions]), `${fn.node.path} ${metric}`)
          .toEqual([['AWS/Lambda', 'Sum', 300, 1, [{ Ref: topicId }]]]);
      }
    }
    // Every alarm notifies the topic, except the two signals the missing-scorecard composite is built from.
    const signals = ['ScorecardDue', 'ScorecardDelivered'].map((id) => resourceId(stack, stack.alarms.node.findChild(id)));
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
});
