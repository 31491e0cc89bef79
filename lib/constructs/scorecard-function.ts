import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { RESOURCE_ENV, TABLE_SCHEMA } from '../../lambdas/domain/layout.ts';
import { settingsToEnv, type Settings } from '../../lambdas/domain/settings.ts';
import { PROJECT_ROOT, projectPath } from '../paths.ts';
import type { FunctionAccess } from '../permissions.ts';

/**
 * Prepended to the ESM bundle: CommonJS dependencies bundled into an ES module still call `require` for
 * Node built-ins, which ES modules do not have. The alias keeps the import from clashing with bundled code.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __scorecardCreateRequire } from 'node:module'; const require = __scorecardCreateRequire(import.meta.url);";

export interface ScorecardFunctionProps {
  /** Handler file, relative to the project root (a value of `HANDLER_ENTRIES`); it must export `handler`. */
  readonly entry: string;
  /** The pipeline settings, passed to the handler as environment variables (`settingsToEnv`). */
  readonly settings: Settings;
  /** What the function does, shown in the console. @default - none */
  readonly description?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** Extra environment variables, on top of the settings. Resource bindings add theirs. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** How long its logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** What `cdk destroy` does to its log group. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default lambda.Tracing.ACTIVE */
  readonly tracing?: lambda.Tracing;
  /** @default lambda.Architecture.ARM_64 */
  readonly architecture?: lambda.Architecture;
  /**
   * Async invocation retries (Lambda's own, after a function error; throttled events are retried until
   * `maxEventAge` regardless). Every function here is invoked asynchronously (by S3, Scheduler or a destination).
   * @default 2 (Lambda's maximum)
   */
  readonly retryAttempts?: number;
  /** How long Lambda keeps an async event it could not run yet (throttling) before giving up. @default Duration.hours(6) */
  readonly maxEventAge?: Duration;
  /** Where a successful async invocation's result goes. @default - nowhere */
  readonly onSuccess?: lambda.IDestination;
  /**
   * Where an async event goes once its retries or its age are exhausted: the record holds the event, the
   * error and the attempt count, which a dead-letter queue would not. Required unless `synchronous`: no async
   * failure is silent.
   */
  readonly onFailure?: sqs.IQueue;
  /**
   * The function is only invoked synchronously (the page viewer, behind its Function URL): the caller gets the
   * error, so there is no async retry, event age or failure queue to configure. @default false
   */
  readonly synchronous?: boolean;
  /** Bundling options merged over the house defaults (e.g. `nodeModules`, `commandHooks`). @default - none */
  readonly bundling?: BundlingOptions;
}

/**
 * The runtime of every function. Lambda deprecated nodejs20.x on 2026-04-30 (no new functions from 2027-02-01)
 * and the AWS SDK requires Node 22 from 2027, so functions run on 22 while the code stays Node 20 compatible
 * for developers' machines (CI tests on 20).
 */
export const HOUSE_RUNTIME = lambda.Runtime.NODEJS_22_X;
const HOUSE_TARGET = 'node22';

/** Key patterns of the bucket, e.g. `incoming/leads/*`, with the actions allowed on them. */
export interface BucketAccess {
  /** Key patterns the function may read. @default - none */
  readonly read?: readonly string[];
  /** Key patterns the function may write (never delete). @default - none */
  readonly write?: readonly string[];
  /** The actions: `FUNCTION_ACCESS.<function>.s3`. */
  readonly actions: NonNullable<FunctionAccess['s3']>;
}

/** An asynchronously invoked function's failure queue: there must be one. */
function asyncFailureQueue(props: ScorecardFunctionProps): sqs.IQueue {
  if (!props.onFailure) throw new Error(`${props.entry}: an asynchronously invoked function needs onFailure (or synchronous: true)`);
  return props.onFailure;
}

/**
 * A Lambda destination that may invoke exactly the target function. CDK's `LambdaDestination` grants the
 * function's versions and aliases too (`<arn>:*`); these functions have none, so the wildcard would only widen.
 */
export class InvokeFunctionDestination implements lambda.IDestination {
  constructor(private readonly target: lambda.IFunction) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }));
    return { destination: this.target.functionArn };
  }
}

/**
 * A Lambda function with the house defaults: Node 22 on ARM64, bundled by the local esbuild (no Docker) as
 * an ES module with source maps, its own log group, the settings in its environment, bounded async retries
 * ending in a failure queue. Its role starts empty (no managed policy): it may write to its own log group and
 * X-Ray, and resources are bound with `bindBucket` / `bindTable` / `allowSending`, which set the environment
 * variable the handler reads and grant the actions of `FUNCTION_ACCESS` in one call, so no variable name is
 * written twice.
 */
export class ScorecardFunction extends NodejsFunction {
  /** The key patterns `bindBucket` granted, for the nag acknowledgements of prefix ARNs. */
  readonly bucketPatterns: { readonly read: string[]; readonly write: string[] } = { read: [], write: [] };

  constructor(scope: Construct, id: string, props: ScorecardFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup/CreateLogStream/PutLogEvents on every log
    // group of the account): writing to its own log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${id}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    const tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    super(scope, id, {
      entry: projectPath(props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: projectPath('package-lock.json'),
      runtime: HOUSE_RUNTIME,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      tracing,
      logGroup,
      role,
      ...(props.synchronous
        ? {}
        : {
            retryAttempts: props.retryAttempts ?? 2,
            maxEventAge: props.maxEventAge ?? Duration.hours(6),
            onSuccess: props.onSuccess,
            onFailure: new destinations.SqsDestination(asyncFailureQueue(props)),
          }),
      // No POWERTOOLS_SERVICE_NAME or metrics namespace variable: the handlers set both in code
      // (lambdas/handlers/observability.ts). The Tracer works from active tracing (CDK grants the X-Ray writes).
      environment: {
        ...settingsToEnv(props.settings),
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        // Without Lambda's tracing an invocation has no trace data, and the X-Ray SDK under the Tracer would log
        // "Missing AWS Lambda trace data" for every traced call.
        ...(tracing === lambda.Tracing.DISABLED ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: HOUSE_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        minify: true,
        keepNames: true,
        // The SDK goes in the bundle: the version the lock file pins is the one the tests ran against.
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
        ...props.bundling,
      },
    });
  }

  /**
   * Sets `SCORECARD_BUCKET` and grants the given actions on the given key patterns only: object actions, never a
   * delete; and the bucket-level actions (`s3:ListBucket`) on the bucket when the function's access names them.
   * Without `s3:ListBucket` a missing key reads as AccessDenied rather than NoSuchKey: only a function that must
   * tell "missing" from "denied" (the KPI run, about a deleted records file) is given it.
   */
  bindBucket(bucket: s3.IBucket, access: BucketAccess): this {
    this.addEnvironment(RESOURCE_ENV.bucket, bucket.bucketName);
    if (access.actions.bucket?.length) {
      this.addToRolePolicy(new iam.PolicyStatement({ actions: [...access.actions.bucket], resources: [bucket.bucketArn] }));
    }
    const objects = (patterns: readonly string[] | undefined): string[] => (patterns ?? []).map((p) => bucket.arnForObjects(p));
    this.bucketPatterns.read.push(...(access.read ?? []));
    this.bucketPatterns.write.push(...(access.write ?? []));
    if (access.read?.length) {
      this.addToRolePolicy(new iam.PolicyStatement({ actions: [...access.actions.read], resources: objects(access.read) }));
    }
    if (access.write?.length) {
      if (!access.actions.write?.length) throw new Error(`${this.node.path}: write patterns given without write actions`);
      this.addToRolePolicy(new iam.PolicyStatement({ actions: [...access.actions.write], resources: objects(access.write) }));
    }
    return this;
  }

  /**
   * Sets `SCORECARD_TABLE` and grants the given actions on the table, and the index actions on the KPI-history
   * index by name (not `index/*`).
   */
  bindTable(table: dynamodb.ITable, actions: NonNullable<FunctionAccess['dynamodb']>): this {
    this.addEnvironment(RESOURCE_ENV.table, table.tableName);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions.table], resources: [table.tableArn] }));
    if (actions.index?.length) {
      this.addToRolePolicy(new iam.PolicyStatement({
        actions: [...actions.index],
        resources: [`${table.tableArn}/index/${TABLE_SCHEMA.kpiHistoryIndex.name}`],
      }));
    }
    return this;
  }

  /**
   * Sets `SCORECARD_LINK_KEY_SECRET` and grants the given actions (`GetSecretValue`) on that secret only: the key
   * that signs and checks the drill-down page's links.
   */
  bindLinkKey(secret: secretsmanager.ISecret, actions: readonly string[]): this {
    this.addEnvironment(RESOURCE_ENV.linkKeySecret, secret.secretArn);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions], resources: [secret.secretArn] }));
    return this;
  }

  /** Allows the given SES actions on the given identity ARNs only (never `*`). */
  allowSending(identityArns: readonly string[], actions: readonly string[]): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [...identityArns] }),
    );
    return this;
  }
}
