/**
 * The embedded stand-ins for S3 (s3rver), DynamoDB (dynalite) and SES (aws-ses-v2-local), on loopback ports.
 * They speak the real AWS APIs over HTTP, so the unchanged adapters talk to them. Gaps of s3rver are closed here,
 * to behave like S3: its events carry keys not URL-encoded, it ignores prefix filters, its sequencer is the clock,
 * and it stores a key as a path, so a key with a `..` segment would be written outside its folder (refused here).
 */
import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { EventBridgeEvent } from 'aws-lambda';
import S3rver from 's3rver';
import dynalite from 'dynalite';
import sesLocalModule from 'aws-ses-v2-local';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { TABLE_SCHEMA } from '../domain/layout.ts';
import type { AwsClientConfig } from '../adapters/aws-clients.ts';
import type { S3ObjectCreatedDetail } from '../handlers/notify-misplaced-upload.ts';
import { startSecretsStandIn, type SecretsStandIn } from './secrets-stand-in.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface StandIns {
  readonly bucket: string;
  readonly table: string;
  readonly endpoints: { readonly s3: string; readonly dynamodb: string; readonly ses: string; readonly secretsmanager: string };
  /** Secrets Manager's GetSecretValue (the page's link key); `set` writes or rotates a secret. */
  readonly secrets: Pick<SecretsStandIn, 'set'>;
  /** Client configuration pointing at the stand-ins. */
  readonly aws: AwsClientConfig;
  /** Where s3rver keeps the bucket's objects (a folder per bucket inside it); removed by `stop`. */
  readonly directory: string;
  /** Subscribes to object-created events, filtered by key prefix and with keys URL-encoded as S3 sends them. */
  onObjectCreated(prefix: string, listener: (event: S3Event) => void): void;
  /**
   * Subscribes to object-removed events, likewise. The stand-in's bucket is unversioned: a delete is
   * `ObjectRemoved:Delete` without a version id (S3 with versioning sends `ObjectRemoved:DeleteMarkerCreated`).
   */
  onObjectRemoved(prefix: string, listener: (event: S3Event) => void): void;
  /** Emails the SES stand-in has received. */
  receivedEmails(): Promise<ReceivedEmail[]>;
  /**
   * The raw message a SendRawEmail call gave SES, by the message id SES answered with: the bytes as sent (the
   * stand-in's own `.eml` is rebuilt from what it parsed, its images encoded again).
   */
  rawMessage(messageId: string): Buffer | undefined;
  clearEmails(): Promise<void>;
  stop(): Promise<void>;
}

export interface ReceivedEmail {
  readonly from: string;
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
  readonly attachments: { content: string; contentType: string; filename?: string }[];
  readonly at: number;
  /** The raw MIME message, when the stand-in keeps it. */
  readonly rawData?: string;
}

/**
 * The EventBridge "Object Created" event S3 sends for an object-created notification record (what the stack's
 * rule gets): the key as stored (EventBridge does not URL-encode it).
 */
export function eventBridgeObjectCreated(record: S3EventRecord): EventBridgeEvent<'Object Created', S3ObjectCreatedDetail> {
  const o = record.s3.object;
  return {
    version: '0', id: `local-${o.sequencer ?? ''}`, 'detail-type': 'Object Created', source: 'aws.s3', account: '000000000000',
    time: record.eventTime, region: record.awsRegion, resources: [`arn:aws:s3:::${record.s3.bucket.name}`],
    detail: {
      version: '0', bucket: { name: record.s3.bucket.name },
      object: {
        key: decodeEventKey(o.key), size: o.size, ...(o.eTag ? { etag: o.eTag } : {}),
        ...(o.versionId ? { 'version-id': o.versionId } : {}), ...(o.sequencer ? { sequencer: o.sequencer } : {}),
      },
      reason: 'PutObject',
    },
  };
}

/** A key of an S3 event notification record as stored (`+` is a space there). */
const decodeEventKey = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * Why a request names an object the stand-in would store outside the bucket's folder, if it does: s3rver joins
 * the key's segments into a path, so `..` climbs out (`incoming/leads/../../../x` lands beside the bucket), `.`
 * names another key's file, and a NUL byte ends the path early. S3 itself takes such keys as plain names; no
 * export the pipeline reads has one, so the stand-in refuses them rather than write where it should not. Checked
 * on the request path (bucket and key) and on a copy's source.
 */
export function unsafeObjectPath(path: string): string | undefined {
  let decoded: string[];
  try {
    decoded = path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return 'it is not valid percent-encoding';
  }
  if (decoded.some((s) => s.includes('\0'))) return 'it contains a NUL character';
  // A decoded segment may hold a `/` (sent as %2F): split again, as s3rver does.
  const segments = decoded.flatMap((s) => s.split('/'));
  if (segments.includes('..')) return 'it has a ".." segment';
  if (segments.includes('.')) return 'it has a "." segment';
  return undefined;
}

/** URL-encodes a key the way S3 event notifications do (spaces as `+`). */
export const encodeS3EventKey = (key: string): string => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

/**
 * s3rver makes ListObjectsV2's continuation tokens with DES, which OpenSSL 3 (Node 17 on) no longer has: any
 * listing of more than a thousand keys failed with InternalError. Its tokens need no secrecy here, so where DES is
 * missing a DES cipher passes its text through (the token is then the base64 of a random IV and the last key).
 * Only the algorithm 'des' is touched, and only when the real one is unavailable.
 */
function letS3rverPaginate(): void {
  type Passthrough = { update(data: string | Buffer, encoding?: BufferEncoding): Buffer; final(): Buffer };
  const passthrough: Passthrough = { update: (data, encoding) => (typeof data === 'string' ? Buffer.from(data, encoding) : Buffer.from(data)), final: () => Buffer.alloc(0) };
  const wrap = <F extends (algorithm: string, ...rest: never[]) => unknown>(real: F): F => ((algorithm: string, ...rest: never[]) => {
    try {
      return real(algorithm, ...rest);
    } catch (e) {
      if (algorithm === 'des' && /unsupported/.test((e as Error).message)) return passthrough;
      throw e;
    }
  }) as F;
  const c = crypto as unknown as { createCipheriv: typeof crypto.createCipheriv; createDecipheriv: typeof crypto.createDecipheriv; s3rverPaginates?: true };
  if (c.s3rverPaginates) return;
  c.createCipheriv = wrap(c.createCipheriv as never) as never;
  c.createDecipheriv = wrap(c.createDecipheriv as never) as never;
  c.s3rverPaginates = true;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

export async function startStandIns(opts: { bucket?: string; table?: string } = {}): Promise<StandIns> {
  const bucket = opts.bucket ?? 'smarketing-local';
  const table = opts.table ?? 'smarketing-local';
  const dir = await mkdtemp(join(tmpdir(), 'smarketing-s3-'));

  letS3rverPaginate();
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  // First in the chain (s3rver is a Koa app, which composes its middleware when the server starts): an unsafe key
  // never reaches the store.
  (s3 as unknown as KoaApp).middleware.unshift(async (ctx, next) => {
    const copySource = ctx.get('x-amz-copy-source');
    const [path, why] = [ctx.path, copySource.split('?')[0]!]
      .map((p): [string, string | undefined] => [p, p ? unsafeObjectPath(p) : undefined])
      .find(([, reason]) => reason) ?? ['', undefined];
    if (!why) return next();
    ctx.status = 400;
    ctx.type = 'application/xml';
    const message = `The local S3 stand-in refuses the object key in ${JSON.stringify(path)}: ${why} (it stores keys as file paths)`;
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>${escapeXml(message)}</Message></Error>`;
  });
  const s3Address = await s3.run();
  const listeners: { kind: 'created' | 'removed'; prefix: string; listener: (e: S3Event) => void }[] = [];
  // s3rver's sequencer is the millisecond clock: two writes in one millisecond would tie. S3's grows with every
  // write and delete of a key; a counter does too (events are emitted in the order of the requests here).
  let writes = 0;
  s3.on('event', (event: { Records: S3EventRecord[] }) => {
    for (const record of event.Records) {
      const kind = record.eventName.startsWith('ObjectCreated:') ? 'created' : record.eventName.startsWith('ObjectRemoved:') ? 'removed' : undefined;
      if (!kind) continue;
      const rawKey = record.s3.object.key;
      const sequencer = (++writes).toString(16).toUpperCase().padStart(16, '0');
      for (const l of listeners) {
        if (l.kind !== kind || !rawKey.startsWith(l.prefix)) continue;
        const encoded: S3EventRecord = { ...record, s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3EventKey(rawKey), sequencer } } };
        l.listener({ Records: [encoded] });
      }
    }
  });

  const ddb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const ddbPort = await listen(ddb);

  // A CommonJS module with `exports.default`: under ESM its default import is the exports object.
  const sesLocal = ((sesLocalModule as unknown as { default?: typeof sesLocalModule }).default ?? sesLocalModule) as unknown as
    (c: { host: string; port: number }) => Promise<Server>;
  const ses = await sesLocal({ host: '127.0.0.1', port: 0 });
  const sesPort = (ses.address() as AddressInfo).port;
  const rawMessages = keepRawMessages(ses);

  const secrets = await startSecretsStandIn();
  const endpoints = {
    s3: `http://127.0.0.1:${s3Address.port}`,
    dynamodb: `http://127.0.0.1:${ddbPort}`,
    ses: `http://127.0.0.1:${sesPort}`,
    secretsmanager: secrets.endpoint,
  };
  const aws: AwsClientConfig = { region: LOCAL_REGION, endpoints, credentials: LOCAL_CREDENTIALS };
  await createTable(endpoints.dynamodb, table);
  // The SES stand-in keeps its inbox per process, not per server: a fresh stand-in starts with an empty one.
  await fetch(`${endpoints.ses}/clear-store`, { method: 'POST' });

  return {
    bucket, table, endpoints, aws, directory: dir, secrets,
    onObjectCreated: (prefix, listener) => { listeners.push({ kind: 'created', prefix, listener }); },
    onObjectRemoved: (prefix, listener) => { listeners.push({ kind: 'removed', prefix, listener }); },
    async receivedEmails() {
      const r = await fetch(`${endpoints.ses}/store`);
      const body = (await r.json()) as { emails: ReceivedEmail[] };
      return body.emails;
    },
    async clearEmails() {
      await fetch(`${endpoints.ses}/clear-store`, { method: 'POST' });
      rawMessages.clear();
    },
    rawMessage: (messageId) => rawMessages.get(messageId),
    async stop() {
      await s3.close();
      await new Promise<void>((r) => ddb.close(() => r()));
      ses.closeAllConnections?.();
      await new Promise<void>((r) => ses.close(() => r()));
      await secrets.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Keeps each SendRawEmail's message as the caller sent it, by the message id the stand-in answers with. The
 * stand-in is an Express app: its body parser has read the form into `req.body` by the time it answers.
 */
function keepRawMessages(server: Server): Map<string, Buffer> {
  const raw = new Map<string, Buffer>();
  server.prependListener('request', (req: IncomingMessage & { body?: Record<string, unknown> }, res: ServerResponse) => {
    if (req.method !== 'POST') return;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const body = args[0];
      const id = typeof body === 'string' || Buffer.isBuffer(body) ? /<MessageId>([^<]+)<\/MessageId>/.exec(String(body))?.[1] : undefined;
      const data = req.body?.['RawMessage.Data'];
      if (id && typeof data === 'string') raw.set(id, Buffer.from(data, 'base64'));
      return end(...args);
    }) as ServerResponse['end'];
  });
  return raw;
}

/** The part of Koa that s3rver, a Koa app, is extended through here (its typings in types/ leave Koa out). */
interface KoaApp {
  readonly middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
}
interface KoaContext {
  readonly path: string;
  get(header: string): string;
  status: number;
  type: string;
  body: unknown;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Creates the table with the same keys and index the stack declares. */
async function createTable(endpoint: string, table: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const { partitionKey, sortKey, kpiHistoryIndex: gsi } = TABLE_SCHEMA;
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, gsi.partitionKey, gsi.sortKey].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, { AttributeName: sortKey, KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: gsi.name,
      KeySchema: [{ AttributeName: gsi.partitionKey, KeyType: 'HASH' }, { AttributeName: gsi.sortKey, KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
  client.destroy();
}
