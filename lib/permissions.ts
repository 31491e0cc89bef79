/**
 * What each function may do, as IAM actions: the single list the stack grants from and the adapter tests
 * check the handlers against (every AWS call a handler makes must map to an action granted here, so a new
 * call without a grant fails a test instead of failing with AccessDenied in production).
 *
 * Pure data: no aws-cdk-lib import, so tests outside test/infra can read it without loading the CDK.
 */

/** The IAM actions of one function, per service. Resources are decided by the constructs (prefixes, table). */
export interface FunctionAccess {
  readonly s3?: {
    /** On the key patterns the function reads. */
    readonly read: readonly string[];
    /** On the key patterns the function writes. @default - none */
    readonly write?: readonly string[];
    /** On the bucket itself (`s3:ListBucket`). @default - none */
    readonly bucket?: readonly string[];
  };
  readonly dynamodb?: {
    /** On the table. */
    readonly table: readonly string[];
    /** On the KPI-history index (`<table arn>/index/gsi1`) only, never `index/*`. @default - none */
    readonly index?: readonly string[];
  };
  /** On the SES identities the function sends as. @default - none */
  readonly ses?: readonly string[];
  /** On the secret holding the drill-down page's link key. @default - none */
  readonly secretsmanager?: readonly string[];
}

/**
 * Per function. Each line names the adapter calls that need it:
 * - validate-upload: HeadObject/GetObject of an exact version (`GetObjectVersion`), CopyObject of that version
 *   to `rejected/`; PutObject and a multipart upload of the records file (`AbortMultipartUpload` when it is
 *   abandoned); GetItem (`findUpload`), conditional PutItem (`recordUpload`, `recordRemoval`), UpdateItem (the ops
 *   notice, `markRetracted`), Query (`listUploads` and `listRemovals`, when a file is deleted); SendRawEmail to ops;
 *   ListBucket, for the one-key listings that say whether a folder has a `mapping.json` (`readTextIfExists`).
 * - compute-kpis: GetObject (and HeadObject) of records files (no version); ListBucket, so that S3 answers a missing
 *   records file with NoSuchKey rather than AccessDenied, and to list `snapshots/` for the sweep; GetObject,
 *   PutObject and DeleteObject(s) of the snapshots' objects under `snapshots/`; Query (`listUploads`) and
 *   BatchWriteItem (`putPeriod`); GetItem and conditional PutItem of the snapshot pointers.
 * - notify-misplaced-upload: no S3 (the event has the key); conditional PutItem (`claimMisplacedNotice`), GetItem
 *   (`findMisplacedNotice`), UpdateItem (`markMisplacedNotified`); SendRawEmail to ops.
 * - send-scorecard: Query of a period (`getPeriod`) and of a KPI's history on the index (`getHistory`);
 *   conditional PutItem (`claim`), UpdateItem (`markSent`), conditional DeleteItem (`release`), GetItem (`get`,
 *   reading a claim left by an earlier invocation); SendRawEmail; PutObject of the period's page and CSV under `web/`
 *   (`S3PageStore.put`); GetSecretValue of the link key (`SecretsManagerLinkKey`), to sign the email's links.
 * - view-page: GetObject of a page or CSV under `web/` (`S3PageStore.get`); ListBucket, only so that a missing page
 *   reads as NoSuchKey (404 to a valid link) rather than AccessDenied; GetSecretValue of the link key, to check links.
 */
export const FUNCTION_ACCESS = {
  validateUpload: {
    s3: { read: ['s3:GetObject', 's3:GetObjectVersion'], write: ['s3:PutObject', 's3:AbortMultipartUpload'], bucket: ['s3:ListBucket'] },
    dynamodb: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'] },
    ses: ['ses:SendRawEmail'],
  },
  computeKpis: {
    s3: { read: ['s3:GetObject'], write: ['s3:PutObject', 's3:DeleteObject'], bucket: ['s3:ListBucket'] },
    dynamodb: { table: ['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'] },
  },
  sendScorecard: {
    s3: { read: [], write: ['s3:PutObject'] },
    dynamodb: {
      table: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      index: ['dynamodb:Query'],
    },
    ses: ['ses:SendRawEmail'],
    secretsmanager: ['secretsmanager:GetSecretValue'],
  },
  viewPage: {
    s3: { read: ['s3:GetObject'], bucket: ['s3:ListBucket'] },
    secretsmanager: ['secretsmanager:GetSecretValue'],
  },
  notifyMisplacedUpload: {
    dynamodb: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    ses: ['ses:SendRawEmail'],
  },
} as const satisfies Record<string, FunctionAccess>;

export type FunctionName = keyof typeof FUNCTION_ACCESS;

/**
 * The IAM actions an SDK v3 command needs (S3, DynamoDB document client, SES), by command class name.
 * `VersionId` on a read adds `s3:GetObjectVersion`; a copy needs read on its source and PutObject on its target.
 */
export function iamActionsOf(commandName: string, input: Readonly<Record<string, unknown>> = {}): string[] {
  const versioned = typeof input.VersionId === 'string' && input.VersionId !== '';
  switch (commandName) {
    case 'HeadObjectCommand':
    case 'GetObjectCommand':
      return versioned ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'];
    case 'ListObjectsV2Command':
      return ['s3:ListBucket'];
    case 'CopyObjectCommand':
      return String(input.CopySource ?? '').includes('versionId=')
        ? ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']
        : ['s3:GetObject', 's3:PutObject'];
    case 'PutObjectCommand':
    case 'CreateMultipartUploadCommand':
    case 'UploadPartCommand':
    case 'CompleteMultipartUploadCommand':
      return ['s3:PutObject'];
    case 'DeleteObjectsCommand':
      return ['s3:DeleteObject'];
    case 'AbortMultipartUploadCommand':
      return ['s3:AbortMultipartUpload'];
    case 'ListObjectsV2Command':
      return ['s3:ListBucket'];
    case 'GetCommand':
    case 'GetItemCommand':
      return ['dynamodb:GetItem'];
    case 'PutCommand':
    case 'PutItemCommand':
      return ['dynamodb:PutItem'];
    case 'UpdateCommand':
    case 'UpdateItemCommand':
      return ['dynamodb:UpdateItem'];
    case 'DeleteCommand':
    case 'DeleteItemCommand':
      return ['dynamodb:DeleteItem'];
    case 'QueryCommand':
      return ['dynamodb:Query'];
    case 'BatchWriteCommand':
    case 'BatchWriteItemCommand':
      return ['dynamodb:BatchWriteItem'];
    case 'SendRawEmailCommand':
      return ['ses:SendRawEmail'];
    case 'GetSecretValueCommand':
      return ['secretsmanager:GetSecretValue'];
    default:
      throw new Error(`no IAM mapping for ${commandName}: add it to iamActionsOf and grant it in FUNCTION_ACCESS`);
  }
}

/** Every action a function is granted, flattened (index actions marked with the `index:` prefix). */
export function grantedActions(access: FunctionAccess): Set<string> {
  return new Set([
    ...(access.s3?.read ?? []),
    ...(access.s3?.write ?? []),
    ...(access.s3?.bucket ?? []),
    ...(access.dynamodb?.table ?? []),
    ...(access.dynamodb?.index ?? []).map((a) => `index:${a}`),
    ...(access.ses ?? []),
    ...(access.secretsmanager ?? []),
  ]);
}
