/**
 * What every handler needs, built once per container from the environment: settings, AWS clients (with the
 * endpoint overrides the local stand-ins use and the retry policy of aws-clients.ts), the adapters, a logger
 * and metrics (observability.ts: EMF in Lambda, recorded in memory elsewhere).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { RESOURCE_ENV } from '../domain/layout.ts';
import { SETTINGS_ENV, settingsFromEnv, type Settings } from '../domain/settings.ts';
import { awsConfigFromEnv, createAwsClients } from '../adapters/aws-clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { createTableAdapters, type TableAdapters } from '../adapters/dynamo-store.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import type { Clock } from '../ports/index.ts';
import { createObservability, type ScorecardMetrics } from './observability.ts';

export interface Runtime {
  readonly settings: Settings;
  readonly store: S3ObjectStore;
  readonly table: TableAdapters;
  readonly mailer: SesMailer;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ScorecardMetrics;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const v = env[name];
  if (!v) throw new ConfigurationError(`environment variable ${name} is not set`);
  return v;
}

export function createRuntime(env: Readonly<Record<string, string | undefined>>, serviceName: string): Runtime {
  const clients = createAwsClients(awsConfigFromEnv(env));
  const { logger, metrics } = createObservability(serviceName, env);
  return {
    settings: settingsFromEnv(env),
    store: new S3ObjectStore(clients.s3),
    table: createTableAdapters(clients.dynamodb, required(env, RESOURCE_ENV.table)),
    mailer: new SesMailer(clients.ses),
    clock: { now: () => new Date() },
    logger,
    metrics,
  };
}

/** Builds the runtime on first use, so importing a handler has no side effects (tests, the local run). */
export function lazyRuntime(serviceName: string): () => Runtime {
  let rt: Runtime | undefined;
  let builtFor = '';
  return () => {
    // Rebuilt only when the binding changes: never on AWS, but the local run and the tests start fresh stand-ins.
    const binding = [...Object.values(RESOURCE_ENV), ...Object.values(SETTINGS_ENV)].map((name) => process.env[name] ?? '').join('|');
    if (!rt || binding !== builtFor) {
      rt = createRuntime(process.env, serviceName);
      builtFor = binding;
    }
    return rt;
  };
}
