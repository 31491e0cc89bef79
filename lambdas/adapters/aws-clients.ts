/**
 * AWS SDK v3 clients, built from configuration: on AWS the defaults; against the local stand-ins (or any
 * S3/DynamoDB/SES-compatible endpoint) the endpoints given. The same adapters run everywhere.
 *
 * Retries are set here, per client (`AWS_RETRY`), and not from the environment (`AWS_MAX_ATTEMPTS` and
 * `AWS_RETRY_MODE` are ignored once a client sets them): the SDK's retry middleware retries throttling, 5xx and
 * transient network errors with exponential backoff and full jitter, within the attempts given. What is still
 * failing after that is thrown, the handler rethrows, Lambda retries the invocation twice, and then the event goes
 * to the function's failure queue.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { RESOURCE_ENV } from '../domain/layout.ts';

export interface AwsEndpoints {
  readonly s3?: string;
  readonly dynamodb?: string;
  readonly ses?: string;
  /** The page's link key (secrets-link-key.ts builds that client). */
  readonly secretsmanager?: string;
}

/** An SDK client's retry settings. */
export interface RetryPolicy {
  /** `standard`: backoff and jitter; `adaptive`: the same, plus client-side rate limiting once throttled. */
  readonly retryMode: 'standard' | 'adaptive';
  /** Attempts in all, the first included (1 turns the SDK's retries off). */
  readonly maxAttempts: number;
}

/**
 * The retry policy of each client.
 * - S3, standard, 5 attempts: 503 SlowDown and 500s are rare and brief at this pipeline's request rate (a few
 *   requests per upload). A GetObject body that breaks mid-stream is not retried by the SDK (it cannot rewind a
 *   stream): the validation fails and Lambda retries it from the start, which is safe (the ledger records once).
 * - DynamoDB, adaptive, 8 attempts: an on-demand table throttles bursts beyond its current capacity (the KPI run
 *   writes a few hundred items at once); adaptive mode slows the client down instead of hammering, and
 *   `batchPut` retries BatchWrite's unprocessed items on top.
 * - SES, 1 attempt: the SDK's retries are off. SesMailer retries throttling itself, and must not repeat a
 *   request that got no answer (a timeout, a reset connection): SES may have accepted it, and the SDK's standard
 *   mode would send the email again.
 */
export const AWS_RETRY = {
  s3: { retryMode: 'standard', maxAttempts: 5 },
  dynamodb: { retryMode: 'adaptive', maxAttempts: 8 },
  ses: { retryMode: 'standard', maxAttempts: 1 },
} as const satisfies Record<'s3' | 'dynamodb' | 'ses', RetryPolicy>;

export interface AwsClientConfig {
  readonly region?: string;
  readonly endpoints?: AwsEndpoints;
  /** Explicit credentials (the local stand-ins accept any); absent on AWS, where the role provides them. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Per-client retry overrides (tests). @default AWS_RETRY */
  readonly retry?: Partial<Record<keyof typeof AWS_RETRY, RetryPolicy>>;
  /** The HTTP handler of every client (tests inject faults with one). @default - the SDK's Node handler */
  readonly requestHandler?: NonNullable<S3ClientConfig['requestHandler']>;
}

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly ses: SESClient;
}

export function createAwsClients(cfg: AwsClientConfig = {}): AwsClients {
  const common = {
    ...(cfg.region ? { region: cfg.region } : {}),
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    ...(cfg.requestHandler ? { requestHandler: cfg.requestHandler } : {}),
  };
  const retry = { ...AWS_RETRY, ...cfg.retry };
  const s3 = new S3Client({
    ...common,
    ...retry.s3,
    ...(cfg.endpoints?.s3
      ? {
          endpoint: cfg.endpoints.s3,
          forcePathStyle: true,
          // Local S3 stand-ins store aws-chunked framing as content when the SDK adds checksums to streams.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  const ddb = new DynamoDBClient({ ...common, ...retry.dynamodb, ...(cfg.endpoints?.dynamodb ? { endpoint: cfg.endpoints.dynamodb } : {}) });
  const dynamodb = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const ses = new SESClient({ ...common, ...retry.ses, ...(cfg.endpoints?.ses ? { endpoint: cfg.endpoints.ses } : {}) });
  return { s3, dynamodb, ses };
}

/** Client configuration from a Lambda's environment (endpoint overrides only when set). */
export function awsConfigFromEnv(env: Readonly<Record<string, string | undefined>>): AwsClientConfig {
  const endpoints: { s3?: string; dynamodb?: string; ses?: string; secretsmanager?: string } = {};
  if (env[RESOURCE_ENV.s3Endpoint]) endpoints.s3 = env[RESOURCE_ENV.s3Endpoint]!;
  if (env[RESOURCE_ENV.dynamodbEndpoint]) endpoints.dynamodb = env[RESOURCE_ENV.dynamodbEndpoint]!;
  if (env[RESOURCE_ENV.sesEndpoint]) endpoints.ses = env[RESOURCE_ENV.sesEndpoint]!;
  if (env[RESOURCE_ENV.secretsManagerEndpoint]) endpoints.secretsmanager = env[RESOURCE_ENV.secretsManagerEndpoint]!;
  return { ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}), endpoints };
}
