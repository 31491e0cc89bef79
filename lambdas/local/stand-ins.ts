/**
 * The embedded stand-ins for S3 (s3rver), DynamoDB (dynalite) and SES (aws-ses-v2-local), on loopback ports.
 * They speak the real AWS APIs over HTTP, so the unchanged adapters talk to them. Two gaps of s3rver are
 * closed here, to behave like S3: its events carry keys not URL-encoded and it ignores prefix filters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import S3rver from 's3rver';
import dynalite from 'dynalite';
import sesLocalModule from 'aws-ses-v2-local';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { TABLE_SCHEMA } from '../domain/layout.ts';
import type { AwsClientConfig } from '../adapters/aws-clients.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface StandIns {
  readonly bucket: string;
  readonly table: string;
  readonly endpoints: { readonly s3: string; readonly dynamodb: string; readonly ses: string };
  /** Client configuration pointing at the stand-ins. */
  readonly aws: AwsClientConfig;
  /** Subscribes to object-created events, filtered by key prefix and with keys URL-encoded as S3 sends them. */
  onObjectCreated(prefix: string, listener: (event: S3Event) => void): void;
  /** Emails the SES stand-in has received. */
  receivedEmails(): Promise<ReceivedEmail[]>;
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

/** URL-encodes a key the way S3 event notifications do (spaces as `+`). */
export const encodeS3EventKey = (key: string): string => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

export async function startStandIns(opts: { bucket?: string; table?: string } = {}): Promise<StandIns> {
  const bucket = opts.bucket ?? 'smarketing-local';
  const table = opts.table ?? 'smarketing-local';
  const dir = await mkdtemp(join(tmpdir(), 'smarketing-s3-'));

  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const s3Address = await s3.run();
  const listeners: { prefix: string; listener: (e: S3Event) => void }[] = [];
  // s3rver's sequencer is the millisecond clock: two writes in one millisecond would tie. S3's grows with every
  // write of a key; a counter does too (events are emitted in write order here).
  let writes = 0;
  s3.on('event', (event: { Records: S3EventRecord[] }) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const rawKey = record.s3.object.key;
      const sequencer = (++writes).toString(16).toUpperCase().padStart(16, '0');
      for (const l of listeners) {
        if (!rawKey.startsWith(l.prefix)) continue;
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

  const endpoints = {
    s3: `http://127.0.0.1:${s3Address.port}`,
    dynamodb: `http://127.0.0.1:${ddbPort}`,
    ses: `http://127.0.0.1:${sesPort}`,
  };
  const aws: AwsClientConfig = { region: LOCAL_REGION, endpoints, credentials: LOCAL_CREDENTIALS };
  await createTable(endpoints.dynamodb, table);

  return {
    bucket, table, endpoints, aws,
    onObjectCreated: (prefix, listener) => { listeners.push({ prefix, listener }); },
    async receivedEmails() {
      const r = await fetch(`${endpoints.ses}/store`);
      const body = (await r.json()) as { emails: ReceivedEmail[] };
      return body.emails;
    },
    async clearEmails() {
      await fetch(`${endpoints.ses}/clear-store`, { method: 'POST' });
    },
    async stop() {
      await s3.close();
      await new Promise<void>((r) => ddb.close(() => r()));
      ses.closeAllConnections?.();
      await new Promise<void>((r) => ses.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

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
