/**
 * Concurrent KPI runs and crashes on the stand-ins (s3rver for the snapshot objects, dynalite for the pointer): a
 * run killed half-way through writing partitions, or two runs (the schedule and a backfill) interleaved, never
 * lose or double a record: the values are those of a full read, each key is in one partition, and the objects no
 * manifest names are deleted (right away by the run that switched, or by the sweep once old enough).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { InMemoryKpiStore } from '../../lambdas/adapters/memory.ts';
import { s3Snapshots } from '../../lambdas/adapters/s3-snapshot-blobs.ts';
import { DynamoSnapshotPointers } from '../../lambdas/adapters/dynamo-snapshot-pointers.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { parsePeriodId, periodRange } from '../../lambdas/domain/periods/period.ts';
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import type { SnapshotPointer, SnapshotPointers, Snapshots, SnapshotStore } from '../../lambdas/ports/snapshots.ts';
import { computeAndStoreKpis, syncSnapshots } from '../../lambdas/use-cases/compute-kpis.ts';
import { SWEEP_AGE_MS } from '../../lambdas/use-cases/snapshot-sync.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const PERIODS = periodRange(parsePeriodId('2026-01'), parsePeriodId('2026-10'));
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Leads over several months (so a run writes several partitions), `prefix` making their ids. */
function leadsFile(prefix: string, months: number[]): string {
  const rows = months.flatMap((m, i) => [0, 1, 2].map((k) => `${prefix}${i}-${k},2026-${String(m).padStart(2, '0')}-1${k},Webinar`));
  return `Record ID,Create Date,Original Source\n${rows.join('\n')}\n`;
}

async function upload(key: string, body: string): Promise<void> {
  await stack.put(key, body);
  expect(await validateUpload(stack.events.at(-1)!)).toEqual({ outcomes: ['accepted'] });
}

const deps = (snapshots: Snapshots, kpis = new InMemoryKpiStore()) => ({
  store: new S3ObjectStore(stack.clients.s3), ledger: stack.table.uploads, kpis, clock: { now: () => new Date() }, settings: DEFAULT_SETTINGS, snapshots,
});
const real = (): Snapshots => s3Snapshots(stack.clients.s3, stack.standIns.bucket, new DynamoSnapshotPointers(stack.clients.dynamodb, stack.standIns.table));

/** Every period's stored KPI values, by period and id. */
async function values(kpis: InMemoryKpiStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of PERIODS) for (const k of (await kpis.getPeriod(p.id)).kpis) out[`${p.id} ${k.id}`] = k.value;
  return out;
}

/** What a full read of every upload stores. */
async function fullRead(): Promise<Record<string, unknown>> {
  const kpis = new InMemoryKpiStore();
  const { snapshots: _, ...rest } = deps(real(), kpis);
  await computeAndStoreKpis(PERIODS, rest);
  return values(kpis);
}

/** The snapshot objects under a dataset's partitions. */
const partitionObjects = async (dataset: DatasetName): Promise<string[]> => stack.list(`snapshots/${dataset}/`);

describe('snapshots on the stand-ins', () => {
  it('a run killed after writing some partitions changes nothing; the next run is exact and the sweep removes its leftovers', async () => {
    await upload('incoming/leads/a.csv', leadsFile('A', [1, 2, 3, 4]));
    const base = real();
    let writes = 0;
    const crashing: SnapshotStore = Object.assign(Object.create(base.store) as SnapshotStore, {
      writePartition: async (...args: Parameters<SnapshotStore['writePartition']>) => {
        if (++writes > 2) throw new Error('killed');
        return base.store.writePartition(...args);
      },
      // Killed: nothing after the crash runs, not even the cleanup of what it wrote.
      delete: async () => undefined,
    });
    await expect(computeAndStoreKpis(PERIODS, deps({ store: crashing, pointers: base.pointers }))).rejects.toThrow('killed');
    expect(await base.pointers.get('leads')).toBeUndefined(); // never switched
    expect((await partitionObjects('leads')).length).toBe(2); // what it wrote, named by no manifest

    const kpis = new InMemoryKpiStore();
    await computeAndStoreKpis(PERIODS, deps(real(), kpis));
    expect(await values(kpis)).toEqual(await fullRead());
    expect((await kpis.getPeriod('2026-02')).kpis.find((k) => k.id === 'leads')?.value).toBe(3);

    // An hour later, a run sweeps what the killed one left.
    const later = () => new Date(Date.now() + SWEEP_AGE_MS + 60_000);
    const synced = await syncSnapshots({ ...deps(real()), snapshots: real(), onRebuild: () => undefined });
    expect((await partitionObjects('leads')).length).toBe(6); // 4 current + 2 leftovers, too young to sweep
    await upload('incoming/leads/b.csv', leadsFile('B', [5]));
    const { syncSnapshot } = await import('../../lambdas/use-cases/snapshot-sync.ts');
    const uploads = (await stack.table.uploads.listUploads('leads')).filter((u) => u.status === 'accepted' && !u.retractedAt);
    const after = await syncSnapshot('leads', uploads, { objects: new S3ObjectStore(stack.clients.s3), snapshots: real(), timezone: DEFAULT_SETTINGS.timezone, now: later });
    const named = Object.values(after.manifest.partitions).map((p) => p.key).sort();
    expect(await partitionObjects('leads')).toEqual(named);
    expect(named.length).toBe(5);
    expect(synced.snapshots.leads.manifest.records).toBe(12);
    expect(after.manifest.records).toBe(15);
  });

  it('two runs at once (the schedule and a backfill): one switches, the other starts over from its manifest; no record lost or doubled', async () => {
    await upload('incoming/leads/c.csv', leadsFile('C', [2, 6]));
    const base = real();
    // Run A reaches its switch first but is held there until run B, which also saw upload d.csv, has switched.
    let releaseA!: () => void;
    const aHeld = new Promise<void>((r) => { releaseA = r; });
    let aAtSwitch!: () => void;
    const aReady = new Promise<void>((r) => { aAtSwitch = r; });
    let held = false;
    const slowPointers: SnapshotPointers = {
      get: (d) => base.pointers.get(d),
      swap: async (d: DatasetName, expected: number, next: SnapshotPointer) => {
        if (d === 'leads' && !held) { held = true; aAtSwitch(); await aHeld; }
        return base.pointers.swap(d, expected, next);
      },
    };
    const kpisA = new InMemoryKpiStore();
    const runA = computeAndStoreKpis(PERIODS, deps({ store: base.store, pointers: slowPointers }, kpisA));
    await aReady;
    await upload('incoming/leads/d.csv', leadsFile('D', [2, 7]));
    const kpisB = new InMemoryKpiStore();
    await computeAndStoreKpis(PERIODS, deps(real(), kpisB));
    releaseA();
    await runA;

    const expected = await fullRead();
    expect(await values(kpisB)).toEqual(expected);
    // A lost the race, started over from B's manifest (which covers d.csv too) and computed the same.
    expect(await values(kpisA)).toEqual(expected);
    const pointer = (await base.pointers.get('leads'))!;
    const manifest = await base.store.readJson<{ records: number; applied: unknown[]; partitions: Record<string, { key: string }> }>(pointer.manifest);
    expect(manifest.records).toBe(27); // a.csv 12, b.csv 3, c.csv 6, d.csv 6: every lead once
    expect(manifest.applied).toHaveLength(4);
    expect(await partitionObjects('leads')).toEqual(Object.values(manifest.partitions).map((p) => p.key).sort());
  });
});
