/**
 * What every handler needs, built once per container from the environment: settings, AWS clients (with the
 * endpoint overrides the local stand-ins use and the retry policy of aws-clients.ts, captured by the Tracer),
 * the adapters, a logger, metrics and a tracer (observability.ts: EMF and X-Ray in Lambda, neither elsewhere).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { RESOURCE_ENV } from '../domain/layout.ts';
import { SETTINGS_ENV, settingsFromEnv, type Settings } from '../domain/settings.ts';
import { awsConfigFromEnv, createAwsClients, type AwsClients } from '../adapters/aws-clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { createTableAdapters, type TableAdapters } from '../adapters/dynamo-store.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import type { AwsClientConfig } from '../adapters/aws-clients.ts';
import type { Clock } from '../ports/index.ts';
import { createObservability, OBSERVABILITY_ENV, type HandlerMetrics, type Observability } from './observability.ts';

export interface Runtime {
  readonly settings: Settings;
  readonly store: S3ObjectStore;
  readonly table: TableAdapters;
  readonly mailer: SesMailer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: HandlerMetrics;
  readonly tracer: Tracer;
  /**
   * What a handler's own adapters are built from (runtime-snapshots.ts, runtime-page.ts): the traced clients, the
   * client configuration and the environment. Those adapters live in modules of their own, imported by the
   * handlers that use them, so each function's bundle holds only its own (the report function no Parquet code).
   */
  readonly clients: AwsClients;
  readonly awsConfig: AwsClientConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const v = env[name];
  if (!v) throw new ConfigurationError(`environment variable ${name} is not set`);
  return v;
}

/**
 * The clients with X-Ray instrumentation when the Tracer is on (a subsegment per AWS call, with its retries and
 * throttling); returned as they are when it is off. Here rather than in aws-clients.ts, so adapters stay free of
 * Powertools. The document client shares its middleware with the DynamoDB client, so its calls are traced too.
 */
export function traceClients(clients: AwsClients, tracer: Tracer): AwsClients {
  return {
    s3: tracer.captureAWSv3Client(clients.s3),
    dynamodb: tracer.captureAWSv3Client(clients.dynamodb),
    ses: tracer.captureAWSv3Client(clients.ses),
  };
}

export function createRuntime(
  env: Readonly<Record<string, string | undefined>>,
  serviceName: string,
  observability: Observability = createObservability(serviceName, env),
): Runtime {
  const { logger, metrics, tracer } = observability;
  const config = awsConfigFromEnv(env);
  const clients = traceClients(createAwsClients(config), tracer);
  // The viewer function has no table: the table adapters are built when first used, and fail then without one.
  let tableAdapters: TableAdapters | undefined;
  return {
    settings: settingsFromEnv(env),
    store: new S3ObjectStore(clients.s3),
    get table(): TableAdapters {
      tableAdapters ??= createTableAdapters(clients.dynamodb, required(env, RESOURCE_ENV.table));
      return tableAdapters;
    },
    mailer: new SesMailer(clients.ses),
    clock: { now: () => new Date() },
    logger,
    metrics,
    tracer,
    clients,
    awsConfig: config,
    env,
  };
}

/** Builds the runtime on first use, so importing a handler has no side effects (tests, the local run). */
export function lazyRuntime(serviceName: string): () => Runtime {
  let rt: Runtime | undefined;
  let builtFor = '';
  return () => {
    // Rebuilt only when the binding changes: never on AWS, but the local run and the tests start fresh stand-ins
    // (and the tests play Lambda's part by setting its variables).
    const binding = [...Object.values(RESOURCE_ENV), ...Object.values(SETTINGS_ENV), ...OBSERVABILITY_ENV].map((name) => process.env[name] ?? '').join('|');
    if (!rt || binding !== builtFor) {
      rt = createRuntime(process.env, serviceName);
      builtFor = binding;
    }
    return rt;
  };
}
