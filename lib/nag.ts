/**
 * cdk-nag: the rule packs the app is checked against, and every finding the stack acknowledges, with why.
 * This module is the only place an acknowledgement may be written; test/infra lists them all, so a new one
 * is a visible change in review.
 *
 * cdk-nag 3 runs as a CDK validation plugin: a finding that is neither fixed nor acknowledged fails `cdk synth`
 * and is written to `cdk.out/validation-report.json` (acknowledged ones too, with their reason). An
 * acknowledgement names one finding by its full id, `<pack>::<rule>[<finding>]`, on the narrowest construct.
 */
import { CfnResource, Stack, Validations, type App } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ScorecardStack } from './scorecard-stack.ts';
import { SNAPSHOTS_PREFIX } from './constructs/snapshot-tables.ts';

/** Adds the AWS Solutions and Serverless packs to every stack of the app. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** The reasons, one per kind of acknowledged finding. */
export const NAG_REASONS = {
  s3Prefix:
    'Object ARNs under a key prefix: export names and upload ids are only known at run time, so access is scoped '
    + 'to the prefix of the function\'s own dataset (or accepted/ for the KPI run), with object-level actions only '
    + '(lib/permissions.ts): no ListBucket, no delete.',
  snapshots:
    'The KPI run\'s compacted snapshots (snapshots/): every object is written once under a key made at run time (a '
    + 'version and a random id), so access is scoped to the prefix; DeleteObject only there, for the objects no manifest '
    + 'names any more (replaced partitions, a crashed run\'s leftovers).',
  xray:
    'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions; it is the '
    + 'only statement on Resource * in the function roles (asserted in test/infra).',
  runtime:
    'The runtime is pinned (HOUSE_RUNTIME, nodejs22.x, maintained upstream until April 2027) so it changes only '
    + 'with a tested upgrade, not whenever Lambda ships a newer one.',
  lambdaDlq:
    'Every asynchronously invoked function has an on-failure destination (an encrypted SQS queue with a depth '
    + 'alarm), whose record carries the error and attempt count with the event; a dead-letter queue as well would '
    + 'deliver each failure twice.',
  failureQueue:
    'This queue is the end of a failure path (Lambda on-failure destination or Scheduler dead-letter queue): '
    + 'nothing consumes it, so a redrive policy would never apply. Its first message raises an alarm; ops replay by hand.',
  cdkNotificationsHandler:
    'aws-cdk-lib\'s own BucketNotificationsHandler (applies the bucket\'s event notifications at deploy time, never '
    + 'at run time); CDK creates its role with the basic execution policy and offers no way to replace it.',
  synchronous:
    'The page viewer is invoked only synchronously, through its Function URL: a failure goes back to the browser as '
    + 'an error (and raises the function\'s Errors alarm); there is no event to keep, so no dead-letter queue applies.',
  linkKeyRotation:
    'Rotating the link key revokes every link in every scorecard already sent (the executives\' way to the page), so '
    + 'it is a decision, not a schedule: ops put a new value when a link leaked or someone leaves (docs/deploy.md), '
    + 'and each month\'s email brings new links. A rotation Lambda on a timer would break the links readers rely on.',
  alarmEmail:
    'The alarm email subscription: SNS retries email delivery itself, and a message that still fails has no '
    + 'consumer to redrive it to; the alarm stays visible in CloudWatch either way.',
} as const;

function ack(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** `<LogicalId.Arn>` as cdk-nag prints a bucket ARN inside a finding id. */
function arnToken(bucket: s3.IBucket): string {
  return `<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnResource)}.Arn>`;
}

/** S3 object-prefix findings of a function's role, one per granted pattern. */
function ackS3Prefixes(role: IConstruct, bucket: s3.IBucket, patterns: readonly string[]): void {
  for (const pattern of patterns) {
    ack(role, `AwsSolutions::AwsSolutions-IAM5[Resource::${arnToken(bucket)}/${pattern}]`, NAG_REASONS.s3Prefix);
  }
}

/**
 * Acknowledges the findings the stack keeps on purpose, each on the construct it is about. Call once, at the
 * end of the stack's constructor.
 */
export function acknowledgeNagFindings(stack: ScorecardStack): void {
  const bucket = stack.data.bucket.bucket;
  const functions = [...Object.values(stack.validation.functions), stack.misplaced.function, stack.kpis.function, stack.report.function];
  for (const fn of [...functions, stack.page.function]) {
    ack(fn, 'AwsSolutions::AwsSolutions-L1', NAG_REASONS.runtime);
    ack(fn, 'Serverless::Serverless-LambdaLatestVersion', NAG_REASONS.runtime);
    ack(fn, 'Serverless::Serverless-LambdaDLQ', functions.includes(fn) ? NAG_REASONS.lambdaDlq : NAG_REASONS.synchronous);
    ack(fn.role!, 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', NAG_REASONS.xray);
  }
  // The drill-down pages: the report function writes them, the viewer reads them, under web/ only.
  ackS3Prefixes(stack.report.function.role!, bucket, stack.report.function.bucketPatterns.write);
  ackS3Prefixes(stack.page.function.role!, bucket, stack.page.function.bucketPatterns.read);
  ack(stack.page.secret, 'AwsSolutions::AwsSolutions-SMG4', NAG_REASONS.linkKeyRotation);
  for (const fn of Object.values(stack.validation.functions)) {
    const statements = fn.bucketPatterns;
    ackS3Prefixes(fn.role!, bucket, [...statements.read, ...statements.write]);
  }
  const snapshots = `${SNAPSHOTS_PREFIX}*`;
  ackS3Prefixes(stack.kpis.function.role!, bucket, stack.kpis.function.bucketPatterns.read.filter((p) => p !== snapshots));
  ack(stack.kpis.function.role!, `AwsSolutions::AwsSolutions-IAM5[Resource::${arnToken(bucket)}/${snapshots}]`, NAG_REASONS.snapshots);

  for (const failures of Object.values(stack.failures)) {
    ack(failures.queue, 'AwsSolutions::AwsSolutions-SQS3', NAG_REASONS.failureQueue);
    ack(failures.queue, 'Serverless::Serverless-SQSRedrivePolicy', NAG_REASONS.failureQueue);
  }
  for (const subscription of stack.alarms.topic.node.children.filter((c) => c.node.id !== 'Resource' && c.node.id !== 'Policy')) {
    ack(subscription, 'Serverless::Serverless-SNSRedrivePolicy', NAG_REASONS.alarmEmail);
  }

  // Singletons aws-cdk-lib adds at the stack's root.
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      ack(child, 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', NAG_REASONS.cdkNotificationsHandler);
    }
  }
}

/** Every acknowledgement recorded under `root`: unique id and reason pairs, sorted by id. */
export function listAcknowledgements(root: IConstruct): { id: string; reason: string }[] {
  const seen = new Map<string, { id: string; reason: string }>();
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) seen.set(`${id}\n${reason}`, { id, reason });
    }
  }
  return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id) || a.reason.localeCompare(b.reason));
}
