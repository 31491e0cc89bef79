/**
 * AWS SDK v3 clients, built from configuration: on AWS the defaults; against the local stand-ins (or any
 * S3/DynamoDB/SES-compatible endpoint) the endpoints given. The same adapters run everywhere.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { RESOURCE_ENV } from '../domain/layout.ts';

export interface AwsEndpoints {
  readonly s3?: string;
  readonly dynamodb?: string;
  readonly ses?: string;
}

export interface AwsClientConfig {
  readonly region?: string;
  readonly endpoints?: AwsEndpoints;
  /** Explicit credentials (the local stand-ins accept any); absent on AWS, where the role provides them. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
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
  };
  const s3 = new S3Client({
    ...common,
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
  const ddb = new DynamoDBClient({ ...common, ...(cfg.endpoints?.dynamodb ? { endpoint: cfg.endpoints.dynamodb } : {}) });
  const dynamodb = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const ses = new SESClient({ ...common, ...(cfg.endpoints?.ses ? { endpoint: cfg.endpoints.ses } : {}) });
  return { s3, dynamodb, ses };
}

/** Client configuration from a Lambda's environment (endpoint overrides only when set). */
export function awsConfigFromEnv(env: Readonly<Record<string, string | undefined>>): AwsClientConfig {
  const endpoints: { s3?: string; dynamodb?: string; ses?: string } = {};
  if (env[RESOURCE_ENV.s3Endpoint]) endpoints.s3 = env[RESOURCE_ENV.s3Endpoint]!;
  if (env[RESOURCE_ENV.dynamodbEndpoint]) endpoints.dynamodb = env[RESOURCE_ENV.dynamodbEndpoint]!;
  if (env[RESOURCE_ENV.sesEndpoint]) endpoints.ses = env[RESOURCE_ENV.sesEndpoint]!;
  return { ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}), endpoints };
}
