/**
 * Bringing a dataset's compacted snapshot (domain/records/snapshot.ts) up to its accepted uploads.
 *
 * The uploads after those it covers are folded in: their records merged by key (a later upload's record replaces
 * an earlier one, `DATASETS[d].keyOf`), the key index telling which partitions hold an earlier record of each key
 * (a key moves when a later upload changes its primary date's month), and only the partitions touched rewritten.
 * A snapshot that no longer covers a prefix of the accepted uploads (a retraction, a late event that sorts before
 * uploads it covers, another time zone) is rebuilt from the uploads, and `onRebuild` says why.
 *
 * Concurrent runs and crashes: every object is written under a new key; the manifest is switched by a conditional
 * write of the pointer (its version must still be the one read). A run that loses the race deletes what it wrote
 * and starts over from the winner's manifest; a run killed half-way leaves objects no manifest names, which the
 * sweep deletes once they are older than any run can be. A record is in exactly one partition of a manifest.
 */
import { randomBytes } from 'node:crypto';
import type { DatasetName } from '../domain/layout.ts';
import { DATASETS } from '../domain/datasets/registry.ts';
import type { AnyRecord, DatasetRecords } from '../domain/datasets/records.ts';
import { RecordTable } from '../domain/records/record-table.ts';
import { KeySlots } from '../domain/records/key-index.ts';
import {
  describePartition, emptyManifest, mergeByOrder, monthNumber, monthOfNumber, partitionOf, rebuildReason, recordOrder,
  type AppliedUpload, type PartitionEntry, type SnapshotManifest, type SnapshotRow,
} from '../domain/records/snapshot.ts';
import { isNotFound, type ObjectStore, type UnreadableUpload, type UploadRecord } from '../ports/index.ts';
import type { Snapshots } from '../ports/snapshots.ts';
import { SnapshotKeys } from './snapshot-keys.ts';

export const SNAPSHOT_PREFIX = 'snapshots/';
/** Where a dataset's objects go: partitions (the Glue table's location), key indexes, manifests. */
export const snapshotPrefixes = (dataset: DatasetName): string[] =>
  [`${SNAPSHOT_PREFIX}${dataset}/`, `${SNAPSHOT_PREFIX}_keys/${dataset}/`, `${SNAPSHOT_PREFIX}_manifests/${dataset}/`];

/** Objects no manifest names are deleted once older than this: longer than any run (Lambda stops one at 15 minutes). */
export const SWEEP_AGE_MS = 60 * 60 * 1000;
/** Switch attempts before a run gives up (each lost race means another run just brought the snapshot forward). */
const ATTEMPTS = 5;

export interface SnapshotSyncDeps {
  readonly objects: ObjectStore;
  readonly snapshots: Snapshots;
  readonly timezone: string;
  readonly onUnreadable?: (u: UnreadableUpload) => void;
  /** Told when a snapshot is built from all the uploads, and why (none yet, a retraction, a late event…). */
  readonly onRebuild?: (dataset: DatasetName, reason: string) => void;
  /** Records merged in memory before the partitions they touch are rewritten. @default 500000 */
  readonly batchRecords?: number;
  /** Keys a shard of the key index holds before it is split. @default KEY_SHARD_KEYS */
  readonly keyShardKeys?: number;
  /** A unique suffix for the objects of one attempt. @default random */
  readonly newId?: () => string;
  /** The sweep's clock. @default the system clock */
  readonly now?: () => Date;
}

/** A dataset's snapshot as brought up to date, and what it says about the uploads. */
export interface SyncedSnapshot {
  readonly manifest: SnapshotManifest;
  /** The accepted uploads it was brought up to. */
  readonly accepted: readonly UploadRecord[];
  /** Accepted uploads whose records count, in application order. */
  readonly read: UploadRecord[];
  readonly unreadable: UnreadableUpload[];
}

const unreadableOf = (u: UploadRecord): UnreadableUpload => ({
  dataset: u.dataset, uploadId: u.uploadId, key: u.key, recordsKey: u.recordsKey!,
  reason: `its stored records (${u.recordsKey}) are missing: deleted from the bucket? Upload ${u.key} again to count it`,
});

/**
 * Brings `dataset`'s snapshot up to its accepted, unretracted uploads in application order, as `listAccepted`
 * gives them: listed again after a lost race, since the winner may have seen uploads this run had not.
 */
export async function syncSnapshot(
  dataset: DatasetName, listAccepted: readonly UploadRecord[] | (() => Promise<readonly UploadRecord[]>), deps: SnapshotSyncDeps,
): Promise<SyncedSnapshot> {
  const { store, pointers } = deps.snapshots;
  let inconsistent: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const accepted = typeof listAccepted === 'function' ? await listAccepted() : listAccepted;
    const ids = accepted.map((u) => u.uploadId);
    const pointer = await pointers.get(dataset);
    if (!pointer && accepted.length === 0) return result(emptyManifest(dataset, deps.timezone), accepted, deps); // nothing to keep yet
    let base: SnapshotManifest | undefined;
    let reason: string | undefined = 'no snapshot yet';
    if (pointer) {
      try {
        base = await store.readJson<SnapshotManifest>(pointer.manifest);
        reason = rebuildReason(base, ids, deps.timezone) ?? (await storedRecordsChanged(base, accepted, deps.objects));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        reason = `its manifest ${pointer.manifest} is missing`;
      }
    }
    reason ??= inconsistent;
    const start = reason === undefined ? base! : emptyManifest(dataset, deps.timezone);
    if (reason === undefined && start.applied.length === accepted.length) return result(start, accepted, deps);
    if (reason !== undefined) deps.onRebuild?.(dataset, reason);
    const attemptId = `${(pointer?.version ?? 0) + 1}-${(deps.newId ?? randomId)()}`;
    const written: string[] = [];
    let next: SnapshotManifest;
    try {
      next = await fold(dataset, start, accepted.slice(start.applied.length), start.applied.length, (pointer?.version ?? 0) + 1, attemptId, written, deps);
    } catch (e) {
      // A snapshot object gone under us (a concurrent run cleaned up after switching): start over from its manifest.
      await store.delete(written).catch(() => undefined);
      if (isNotFound(e) && attempt < ATTEMPTS) continue;
      // The manifest's key index and partitions disagree (they never should): build it again from the uploads.
      if (e instanceof SnapshotInconsistent && reason === undefined) {
        inconsistent = `its key index and partitions disagree: ${e.message}`;
        continue;
      }
      throw e;
    }
    const manifestKey = `${SNAPSHOT_PREFIX}_manifests/${dataset}/${attemptId}.json`;
    await store.putJson(manifestKey, next);
    written.push(manifestKey);
    if (!(await pointers.swap(dataset, pointer?.version ?? 0, { version: next.version, manifest: manifestKey }))) {
      await store.delete(written).catch(() => undefined);
      if (attempt < ATTEMPTS) continue;
      throw new Error(`the ${dataset} snapshot was switched by other runs ${ATTEMPTS} times in a row`);
    }
    // The objects the new manifest no longer names: the replaced partitions, the old key index and manifest.
    const keep = new Set([...objectsOf(next), manifestKey]);
    const old = [...(base ? objectsOf(base) : []), ...(pointer ? [pointer.manifest] : []), ...written];
    await store.delete(old.filter((k) => !keep.has(k))).catch(() => undefined);
    await sweep(dataset, keep, deps).catch(() => undefined);
    return result(next, accepted, deps);
  }
}

/** A snapshot whose key index and partitions disagree. */
class SnapshotInconsistent extends Error {}

const randomId = (): string => randomBytes(6).toString('hex');

function objectsOf(m: SnapshotManifest): string[] {
  return [...Object.values(m.partitions).map((p) => p.key), ...(m.keyShards ?? []).map((s) => s.key)];
}

function result(m: SnapshotManifest, accepted: readonly UploadRecord[], deps: SnapshotSyncDeps): SyncedSnapshot {
  const byId = new Map(accepted.map((u) => [u.uploadId, u]));
  const read: UploadRecord[] = [];
  const unreadable: UnreadableUpload[] = [];
  for (const a of m.applied) {
    const u = byId.get(a.uploadId)!;
    if (!a.missing) { read.push(u); continue; }
    const skipped = unreadableOf(u);
    unreadable.push(skipped);
    deps.onUnreadable?.(skipped);
  }
  return { manifest: m, accepted, read, unreadable };
}

/**
 * Why a snapshot is rebuilt when the stored records of an upload it covers were deleted by hand (the upload then
 * stops counting, as a full read would leave it out), or came back after it was left out as missing. One listing
 * of each folder the records files are in (a request per thousand files), not a request per upload.
 */
async function storedRecordsChanged(m: SnapshotManifest, accepted: readonly UploadRecord[], objects: ObjectStore): Promise<string | undefined> {
  const listed = new Map<string, Set<string>>();
  for (const [i, a] of m.applied.entries()) {
    const u = accepted[i]!;
    const key = u.recordsKey!;
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    let present = listed.get(`${u.bucket}\n${folder}`);
    if (!present) listed.set(`${u.bucket}\n${folder}`, (present = new Set(await objects.listKeys(u.bucket, folder))));
    const missing = !present.has(key);
    if (missing && !a.missing) return `the stored records of upload ${u.uploadId} (${u.recordsKey}) are missing`;
    if (!missing && a.missing) return `the stored records of upload ${u.uploadId}, missing before, are back`;
  }
  return undefined;
}

/** Deletes the dataset's objects that the current manifest does not name and that no running run can still be writing. */
async function sweep(dataset: DatasetName, keep: ReadonlySet<string>, deps: SnapshotSyncDeps): Promise<void> {
  const before = (deps.now ?? (() => new Date()))().getTime() - SWEEP_AGE_MS;
  for (const prefix of snapshotPrefixes(dataset)) {
    const stale = (await deps.snapshots.store.list(prefix)).filter((o) => !keep.has(o.key) && Date.parse(o.lastModified) < before);
    await deps.snapshots.store.delete(stale.map((o) => o.key));
  }
}

/** The records being folded in: per key, the latest record, its upload, its first-met order and its month. */
class Pending {
  readonly slots = new KeySlots();
  readonly records: AnyRecord[] = [];
  readonly uploads: string[] = [];
  readonly orders: number[] = [];
  readonly months: string[] = [];

  add(key: string, record: AnyRecord, upload: string, order: number, month: string): void {
    const { slot, created } = this.slots.insert(key);
    if (created) this.orders[slot] = order;
    this.records[slot] = record;
    this.uploads[slot] = upload;
    this.months[slot] = month;
  }

  get size(): number {
    return this.slots.size;
  }
}

/** The manifest after folding `uploads` (at `position` onwards in application order) into `start`. */
async function fold(
  dataset: DatasetName, start: SnapshotManifest, uploads: readonly UploadRecord[], position: number, version: number, attemptId: string,
  written: string[], deps: SnapshotSyncDeps,
): Promise<SnapshotManifest> {
  const { store } = deps.snapshots;
  const keyOf = DATASETS[dataset].keyOf as (r: DatasetRecords[DatasetName]) => string;
  const partitions: Record<string, PartitionEntry> = { ...start.partitions };
  const keys = new SnapshotKeys(start.keyShards, store, deps.keyShardKeys);
  const applied: AppliedUpload[] = [...start.applied];
  const uploadOrder = new Map<string, number>([...start.applied, ...uploads].map((u, i) => [u.uploadId, i]));
  let segments = [...start.segments];
  let objectNo = 0;
  let pending = new Pending();
  // The first-met order and labels of segments come from a record table fed the same records a full read is.
  let segs = segmentTable(segments, deps.timezone);

  const flush = async (): Promise<void> => {
    segments = segs.segments.map((k, i) => [k, segs.segmentLabels[i]!] as const);
    segs = segmentTable(segments, deps.timezone);
    if (pending.size === 0) return;
    const p = pending;
    pending = new Pending();
    const n = p.size;
    // Phase 1: where each key's earlier record is, from the shards of the key index its keys fall in, which now
    // put each key in its new month; the partitions named give the order each was first met in.
    const found = await keys.move(p.slots.keys, p.months.map(monthNumber));
    const confirmed = new Uint8Array(n);
    const earlier = new Set<number>();
    for (const m of found) if (m >= 0) earlier.add(m);
    for (const m of [...earlier].sort((a, b) => a - b)) {
      const month = monthOfNumber(m);
      const entry = partitions[month];
      if (!entry) throw new SnapshotInconsistent(`its key index names ${month}, which has no partition`);
      const { keys: inPartition, orders } = await store.readPartitionKeys(entry.key, dataset);
      for (let i = 0; i < inPartition.length; i++) {
        const slot = p.slots.slotOf(inPartition[i]!);
        if (slot < 0) continue;
        if (found[slot] !== m) throw new SnapshotInconsistent(`key ${JSON.stringify(inPartition[i])} is in ${month}, its key index says elsewhere`);
        confirmed[slot] = 1;
        p.orders[slot] = orders[i]!; // a key keeps the order it was first met in, wherever it moves
      }
    }
    const lost = found.findIndex((m, s) => m >= 0 && confirmed[s] === 0);
    if (lost >= 0) throw new SnapshotInconsistent(`key ${JSON.stringify(p.slots.keys[lost])} is not in ${monthOfNumber(found[lost]!)}, where its key index puts it`);
    // Phase 2: rewrite every partition that gains, loses or changes a record.
    const bySlotMonth = new Map<string, number[]>();
    for (let s = 0; s < n; s++) {
      const list = bySlotMonth.get(p.months[s]!);
      if (list) list.push(s);
      else bySlotMonth.set(p.months[s]!, [s]);
    }
    const touched = new Set([...bySlotMonth.keys(), ...[...earlier].map(monthOfNumber)]);
    for (const month of [...touched].sort()) {
      const entry = partitions[month];
      const kept = entry ? (await store.readPartition(entry.key, dataset)).filter((r) => p.slots.slotOf(keyOf(r.record as never)) < 0) : [];
      const added = (bySlotMonth.get(month) ?? []).sort((a, b) => p.orders[a]! - p.orders[b]!)
        .map((s): SnapshotRow => ({ record: p.records[s]!, upload: p.uploads[s]!, order: p.orders[s]! }));
      const rows = mergeByOrder(kept, added);
      if (rows.length === 0) { delete partitions[month]; continue; }
      const key = `${SNAPSHOT_PREFIX}${dataset}/month=${month}/${attemptId}-${objectNo++}.parquet`;
      written.push(key);
      const bytes = await store.writePartition(key, dataset, rows, deps.timezone);
      partitions[month] = { key, bytes, ...describePartition(dataset, rows, deps.timezone, uploadOrder) };
    }
  };

  const batch = deps.batchRecords ?? 500_000;
  for (const [i, u] of uploads.entries()) {
    let row = 0;
    try {
      for await (const r of deps.objects.readRecords(u.bucket, u.recordsKey!)) {
        pending.add(keyOf(r as never), r, u.uploadId, recordOrder(position + i, row++), partitionOf(dataset, r as never, deps.timezone));
        segs.append(dataset, '', r as never);
        if (pending.size >= batch) await flush();
      }
    } catch (e) {
      // Missing is only ever found before the first record; a file cut short after some were merged fails the run.
      if (!isNotFound(e) || row > 0) throw e;
      applied.push({ uploadId: u.uploadId, missing: true });
      continue;
    }
    applied.push({ uploadId: u.uploadId });
  }
  await flush();

  const keyShards = await keys.save((n) => `${SNAPSHOT_PREFIX}_keys/${dataset}/${attemptId}-${n}.bin`, written);
  return {
    format: start.format, dataset, version, timezone: deps.timezone, applied, partitions, keyShards,
    records: Object.values(partitions).reduce((sum, e) => sum + e.rows, 0), segments,
  };
}

/** A record table knowing `segments` (in order, with their labels), to be fed records for the segments they add. */
function segmentTable(segments: readonly (readonly [string, string])[], timezone: string): RecordTable {
  const t = new RecordTable(timezone);
  for (const [key, label] of segments) t.registerSegment(key, label);
  return t;
}
