import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { RESOURCE_ENV } from '../../lambdas/domain/layout.ts';
import { settingsToEnv, type Settings } from '../../lambdas/domain/settings.ts';
import { PROJECT_ROOT, projectPath } from '../paths.ts';

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
  /** Async invocation retries (Lambda's own, after a function error). @default 2 */
  readonly retryAttempts?: number;
  /** Where a successful async invocation's result goes. @default - nowhere */
  readonly onSuccess?: lambda.IDestination;
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

/** Read or write access to key patterns of the bucket, e.g. `incoming/leads/*`. */
export interface BucketAccess {
  /** Key patterns the function may read (GetObject*, and list the bucket). @default - none */
  readonly read?: readonly string[];
  /** Key patterns the function may write (PutObject, no delete). @default - none */
  readonly write?: readonly string[];
}

/**
 * A Lambda function with the house defaults: Node 20 on ARM64, bundled by the local esbuild (no Docker) as
 * an ES module with source maps, its own log group, the settings in its environment. Resources are bound
 * with `bindBucket` / `bindTable` / `allowSending`, which set the environment variable the handler reads and
 * grant the matching access in one call, so no variable name is written twice.
 */
export class ScorecardFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ScorecardFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: projectPath(props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: projectPath('package-lock.json'),
      runtime: HOUSE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(1),
      tracing: props.tracing ?? lambda.Tracing.ACTIVE,
      logGroup,
      retryAttempts: props.retryAttempts,
      onSuccess: props.onSuccess,
      environment: {
        ...settingsToEnv(props.settings),
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
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

  /** Sets `SCORECARD_BUCKET` and grants read / write on the given key patterns only. */
  bindBucket(bucket: s3.IBucket, access: BucketAccess): this {
    this.addEnvironment(RESOURCE_ENV.bucket, bucket.bucketName);
    for (const pattern of access.read ?? []) bucket.grantRead(this, pattern);
    for (const pattern of access.write ?? []) bucket.grantPut(this, pattern);
    return this;
  }

  /** Sets `SCORECARD_TABLE` and grants data access to the table and its indexes. */
  bindTable(table: dynamodb.ITable, access: 'read' | 'readWrite'): this {
    this.addEnvironment(RESOURCE_ENV.table, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
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
