/** Starts the embedded stand-ins and binds the handlers to them, as `smarketing local` does. */
import { DeleteObjectCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { startStandIns, type StandIns } from '../../lambdas/local/stand-ins.ts';
import { bindHandlersEnv } from '../../lambdas/local/pipeline.ts';
import { createAwsClients, type AwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { createTableAdapters, type TableAdapters } from '../../lambdas/adapters/dynamo-store.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/domain/settings.ts';

export interface TestStack {
  readonly standIns: StandIns;
  readonly clients: AwsClients;
  readonly table: TableAdapters;
  /** Events S3 (the stand-in) emitted for `incoming/`, URL-encoded as S3 sends them. */
  readonly events: S3Event[];
  /** Object-removed events for `incoming/`, likewise. */
  readonly removals: S3Event[];
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** Deletes an object (the stand-in's bucket is unversioned: the object is gone). */
  remove(key: string): Promise<void>;
  getText(key: string): Promise<string>;
  list(prefix: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startTestStack(settings: Settings = DEFAULT_SETTINGS): Promise<TestStack> {
  const standIns = await startStandIns();
  bindHandlersEnv(standIns, settings);
  const clients = createAwsClients(standIns.aws);
  const events: S3Event[] = [];
  const removals: S3Event[] = [];
  standIns.onObjectCreated('incoming/', (e) => events.push(e));
  standIns.onObjectRemoved('incoming/', (e) => removals.push(e));
  return {
    standIns, clients, events, removals,
    table: createTableAdapters(clients.dynamodb, standIns.table),
    async put(key, body) {
      await clients.s3.send(new PutObjectCommand({ Bucket: standIns.bucket, Key: key, Body: body }));
    },
    async remove(key) {
      await clients.s3.send(new DeleteObjectCommand({ Bucket: standIns.bucket, Key: key }));
    },
    async getText(key) {
      const r = await clients.s3.send(new GetObjectCommand({ Bucket: standIns.bucket, Key: key }));
      return r.Body!.transformToString();
    },
    async list(prefix) {
      const r = await clients.s3.send(new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: prefix }));
      return (r.Contents ?? []).map((o) => o.Key!).sort();
    },
    stop: () => standIns.stop(),
  };
}
