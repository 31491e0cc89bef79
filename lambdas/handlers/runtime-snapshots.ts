/**
 * The compacted snapshots of a runtime (`snapshots/` in the bucket, pointers in the table), for the KPI function:
 * a module of its own so only that function's bundle holds the Parquet code.
 */
import { RESOURCE_ENV } from '../domain/layout.ts';
import { s3Snapshots } from '../adapters/s3-snapshot-blobs.ts';
import { DynamoSnapshotPointers } from '../adapters/dynamo-snapshot-pointers.ts';
import type { Snapshots } from '../ports/snapshots.ts';
import type { Runtime } from './runtime.ts';

const built = new WeakMap<Runtime, Snapshots | undefined>();

/** The snapshots, when the function is bound to a bucket and a table; built once per runtime. */
export function snapshotsOf(rt: Runtime): Snapshots | undefined {
  if (built.has(rt)) return built.get(rt);
  const bucket = rt.env[RESOURCE_ENV.bucket];
  const table = rt.env[RESOURCE_ENV.table];
  const snapshots = bucket && table ? s3Snapshots(rt.clients.s3, bucket, new DynamoSnapshotPointers(rt.clients.dynamodb, table)) : undefined;
  built.set(rt, snapshots);
  return snapshots;
}
