/**
 * The snapshot path (fold new uploads into compacted partitions, read only the partitions a window needs) gives
 * exactly what a full re-read of every accepted upload gives: the same stored KPI items and summaries, byte for
 * byte, over random upload histories — re-uploads of a key, corrections that move a record's date to another
 * month, retractions, redelivered events, late events that sort before uploads already folded in, records
 * missing from the bucket — with the snapshot kept from one run to the next, as the Lambda keeps it.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { memorySnapshots } from '../../lambdas/adapters/snapshot-blobs.ts';
import type { AnyRecord, CustomerRecord, LeadRecord, OpportunityRecord, SpendRecord, WebTrafficRecord } from '../../lambdas/domain/datasets/records.ts';
import { DATASET_NAMES, type DatasetName } from '../../lambdas/domain/layout.ts';
import { windowOf } from '../../lambdas/use-cases/snapshot-window.ts';
import { KeyShard } from '../../lambdas/domain/records/key-index.ts';
import { monthNumber } from '../../lambdas/domain/records/snapshot.ts';
import { computeKpisForPeriods } from '../../lambdas/domain/metrics/compute.ts';
import { parsePeriodId, periodRange, type Period } from '../../lambdas/domain/periods/period.ts';
import type { ObjectInfo, ObjectRef, UploadRecord } from '../../lambdas/ports/index.ts';
import type { Snapshots } from '../../lambdas/ports/snapshots.ts';
import {
  inputsAsOf, inputsDigest, latestClosedLeadPeriodOf, loadAcceptedRecordTable, readThroughSnapshots, syncSnapshots, toStoredKpis,
  type AcceptedRecords,
} from '../../lambdas/use-cases/compute-kpis.ts';
import { latestClosedLeadPeriod } from '../../lambdas/domain/metrics/compute.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const settings = settingsWith({ timezone: 'America/New_York' });
const MONTHS = periodRange(parsePeriodId('2025-09'), parsePeriodId('2026-10'));
const WEEKS = periodRange(parsePeriodId('2026-W10'), parsePeriodId('2026-W14'));

// ---- random records: few keys (so uploads collide), dates over four years (so most partitions are outside the window) ----

const day = fc.integer({ min: 0, max: 4 * 365 }).map((d) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000));
const isoDay = day.map((d) => d.toISOString().slice(0, 10));
/** Instants near midnight: New York's local day differs from the UTC one. */
const instant = fc.tuple(day, fc.integer({ min: 0, max: 23 })).map(([d, h]) => new Date(d.getTime() + h * 3_600_000).toISOString().slice(0, 19) + 'Z');
const anyDate = fc.oneof(isoDay, instant);
const later = (base: string, days: number): string => new Date(Date.parse(base.length === 10 ? `${base}T00:00:00Z` : base) + days * 86_400_000).toISOString().slice(0, 10);
const source = fc.constantFrom('Paid Search', 'paid_search', 'Webinar', 'WEBINAR', 'Direct', '', 'Partner');
const text = fc.constantFrom('Ana', 'Bo', 'Zoë Schäfer', 'zoë schäfer', 'North', 'south', 'SMB', 'Enterprise');
const optional = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

const lead: fc.Arbitrary<LeadRecord> = fc.record({
  id: fc.integer({ min: 1, max: 40 }), created: anyDate, source, campaign: optional(fc.constantFrom('brand', 'Brand', 'q4 push')),
  stage: fc.integer({ min: 0, max: 4 }), lag: fc.integer({ min: 0, max: 200 }), status: fc.constantFrom('accepted', 'rejected', 'pending', undefined),
  mkt: fc.boolean(),
}).map((x) => ({
  lead_id: `L${x.id}`, created_at: x.created, source: x.source, ...(x.campaign ? { campaign: x.campaign } : {}),
  ...(x.stage >= 1 ? { mql_at: later(x.created, x.lag) } : {}),
  ...(x.stage >= 2 ? { sql_at: later(x.created, x.lag + 5), ...(x.status ? { sql_status: x.status as LeadRecord['sql_status'] } : {}) } : {}),
  ...(x.stage >= 3 ? { customer_at: later(x.created, x.lag + 30) } : {}),
  marketing_sourced: x.mkt,
}));

const opportunity: fc.Arbitrary<OpportunityRecord> = fc.record({
  // Many deals close in the same months (so sums of many floats, whose last digit depends on their order, are compared).
  id: fc.integer({ min: 1, max: 60 }), created: fc.oneof(isoDay, fc.integer({ min: 0, max: 90 }).map((d) => later('2026-01-01', d))),
  status: fc.constantFrom('open', 'won', 'won', 'lost'), lag: fc.integer({ min: 0, max: 400 }),
  amount: fc.integer({ min: 0, max: 500_000_000 }), source: optional(source), campaign: optional(text), owner: optional(text), region: optional(text),
  product: optional(text), segment: optional(text), mkt: fc.boolean(),
}).map((x) => ({
  opportunity_id: `O${x.id}`, created_at: x.created, status: x.status as OpportunityRecord['status'],
  ...(x.status !== 'open' ? { closed_at: later(x.created, x.lag) } : {}), amount_minor: x.amount,
  ...(x.source !== undefined ? { source: x.source } : {}), ...(x.campaign ? { campaign: x.campaign } : {}), ...(x.owner ? { owner: x.owner } : {}),
  ...(x.region ? { region: x.region } : {}), ...(x.product ? { product: x.product } : {}), ...(x.segment ? { segment: x.segment } : {}),
  marketing_sourced: x.mkt,
}));

const spend: fc.Arbitrary<SpendRecord> = fc.record({
  date: fc.oneof(isoDay, isoDay.map((d) => d.slice(0, 7))), amount: fc.integer({ min: 0, max: 10_000_000 }), channel: source.filter((s) => s !== ''),
  campaign: fc.constantFrom('brand', 'always on'), sales: fc.boolean(),
}).map((x) => ({ date: x.date, amount_minor: x.amount, channel: x.channel, campaign: x.campaign, category: x.sales ? 'sales' : 'marketing' }));

const customer: fc.Arbitrary<CustomerRecord> = fc.record({
  id: fc.integer({ min: 1, max: 12 }), started: isoDay, churn: optional(fc.integer({ min: 0, max: 900 })), mrr: optional(fc.integer({ min: 0, max: 900_000 })),
}).map((x) => ({
  customer_id: `C${x.id}`, started_at: x.started, ...(x.churn !== undefined ? { churned_at: later(x.started, x.churn) } : {}),
  ...(x.mrr !== undefined ? { mrr_minor: x.mrr } : {}),
}));

const traffic: fc.Arbitrary<WebTrafficRecord> = fc.record({
  date: isoDay, channel: source.filter((s) => s !== ''), sessions: fc.integer({ min: 0, max: 5000 }), bounce: optional(fc.double({ min: 0, max: 1, noNaN: true })),
}).map((x) => ({ date: x.date, channel: x.channel, sessions: x.sessions, ...(x.bounce !== undefined ? { bounce_rate: x.bounce } : {}) }));

const RECORDS: { readonly [N in DatasetName]: fc.Arbitrary<AnyRecord> } = {
  leads: lead, opportunities: opportunity, spend, customers: customer, web_traffic: traffic,
};

/** One event of a history. Uploads of a dataset use few file names, so a key's uploads are ordered by sequencer. */
type Step =
  | { kind: 'upload'; dataset: DatasetName; file: number; records: AnyRecord[]; lateBy: number; missing: boolean }
  | { kind: 'retract'; pick: number }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'delete-records'; pick: number }
  | { kind: 'run' };

const datasetArb = fc.constantFrom<DatasetName>('leads', 'leads', 'opportunities', 'spend', 'customers', 'web_traffic');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: datasetArb.chain((dataset) => fc.record({
    kind: fc.constant('upload' as const), dataset: fc.constant(dataset), file: fc.integer({ min: 0, max: 2 }),
    records: fc.array(RECORDS[dataset], { minLength: 0, maxLength: dataset === 'opportunities' ? 60 : 25 }),
    // Most uploads come in order; some arrive with an earlier event time than uploads already folded in.
    lateBy: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) }),
    missing: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-records' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'run' as const }) },
);

/** The test bucket, whose `head` also answers for the records files the pipeline wrote (as S3 and a folder do). */
class Bucket extends MemoryBucket {
  override async head(ref: ObjectRef): Promise<ObjectInfo> {
    const file = this.files.get(ref.key);
    return file ? { lastModified: '2026-11-01T00:00:00.000Z', size: file.length } : super.head(ref);
  }
}

class History {
  readonly store = new Bucket();
  readonly ledger = new InMemoryUploadLedger();
  readonly uploads: UploadRecord[] = [];
  private n = 0;

  async apply(s: Step): Promise<void> {
    if (s.kind === 'upload') {
      const i = ++this.n;
      const recordsKey = `accepted/${s.dataset}/u${i}.jsonl.gz`;
      const writer = this.store.createRecordWriter('b', recordsKey, s.dataset);
      for (const r of s.records) await writer.write(r);
      await writer.close();
      if (s.missing) this.store.files.delete(recordsKey);
      const at = new Date(Date.UTC(2026, 10, 1) + (i - s.lateBy * 2) * 60_000).toISOString();
      const u: UploadRecord = {
        uploadId: `up${String(i).padStart(3, '0')}`, dataset: s.dataset, bucket: 'b', key: `incoming/${s.dataset}/f${s.file}.csv`,
        uploadedAt: at, sequencer: i.toString(16).padStart(8, '0'), status: 'accepted', rows: s.records.length, acceptedRows: s.records.length,
        recordsKey, reportKey: '', errorCounts: {}, warningCounts: {}, processedAt: at,
      };
      this.uploads.push(u);
      await this.ledger.recordUpload(u);
    } else if (s.kind === 'retract' && this.uploads.length) {
      await this.ledger.markRetracted(this.uploads[s.pick % this.uploads.length]!, '2026-11-20T00:00:00.000Z');
    } else if (s.kind === 'delete-records' && this.uploads.length) {
      this.store.files.delete(this.uploads[s.pick % this.uploads.length]!.recordsKey!); // by hand, after it may have been folded in
    } else if (s.kind === 'redeliver' && this.uploads.length) {
      expect(await this.ledger.recordUpload(this.uploads[s.pick % this.uploads.length]!)).toBe(false);
    }
  }
}

/** Everything a run stores, in a form where any difference shows (key order, Map order and all). */
function stored(read: AcceptedRecords, periods: readonly Period[]): string {
  const results = computeKpisForPeriods(read.table, periods, settings);
  const items = results.map((r) => toStoredKpis(r, read, inputsAsOf(read), inputsDigest(read, settings)));
  return JSON.stringify(items, (_, v: unknown) => (v instanceof Map ? { map: [...v] } : v instanceof Set ? { set: [...v] } : v));
}

const DAY_COLUMNS = new Set(['created', 'mql', 'sql', 'customer', 'closed', 'day', 'started', 'churned']);

/**
 * A dataset's rows with a date in [from, to), in table order, every column as it reads (segments and uploads by
 * name): a snapshot table must hold these in the full table's order, so every float sum adds up the same way.
 */
function rowsIn(read: AcceptedRecords, dataset: DatasetName, from: number, to: number): string[] {
  const t = read.table;
  const store = t[dataset];
  const cols = Object.entries(store.cols as Record<string, ArrayLike<number>>);
  const out: string[] = [];
  for (let r = 0; r < store.size; r++) {
    if (!cols.some(([c, a]) => DAY_COLUMNS.has(c) && a[r]! >= from && a[r]! < to)) continue;
    out.push(JSON.stringify(cols.map(([c, a]) => (c === 'upload' ? t.uploadIds[a[r]!] : ['source', 'campaign', 'owner', 'region', 'product', 'segment', 'channel'].includes(c) ? t.segments[a[r]!] : a[r]))));
  }
  return out;
}

/** Small batches and shards of a few keys, so folds flush many times and the key index splits often. */
const tuning = fc.record({ batchRecords: fc.constantFrom(3, 500_000), keyShardKeys: fc.constantFrom(2, 5, 65_536) });
type Tuning = { batchRecords: number; keyShardKeys: number };

async function compare(h: History, snapshots: Snapshots, snapshotTuning?: Tuning): Promise<void> {
  const full = await loadAcceptedRecordTable({ store: h.store, ledger: h.ledger }, settings.timezone);
  const deps = { store: h.store, ledger: h.ledger, settings, snapshots, ...(snapshotTuning ? { snapshotTuning } : {}) };
  const synced = await syncSnapshots(deps);
  for (const periods of [MONTHS, WEEKS]) {
    const viaSnapshots = await readThroughSnapshots(synced, periods, deps);
    expect(stored(viaSnapshots, periods)).toBe(stored(full, periods));
    const { from, to } = windowOf(periods);
    for (const d of DATASET_NAMES) expect(rowsIn(viaSnapshots, d, from, to)).toEqual(rowsIn(full, d, from, to));
    // Only what the window needs was read, never more than everything.
    expect(viaSnapshots.table.size('leads')).toBeLessThanOrEqual(full.table.size('leads'));
  }
  const now = new Date('2026-11-15T12:00:00Z');
  expect((await latestClosedLeadPeriodOf(synced, 'month', now, deps))?.id).toBe(latestClosedLeadPeriod(full.table, 'month', now)?.id);
}

describe('the snapshot path against a full re-read', () => {
  it('gives the same stored KPIs over random upload histories, the snapshot kept from run to run', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), tuning, async (steps, t) => {
      const h = new History();
      const snapshots = memorySnapshots();
      for (const s of steps) {
        await h.apply(s);
        if (s.kind === 'run') await compare(h, snapshots, t);
      }
      await compare(h, snapshots, t);
    }), { numRuns: 80 });
  }, 120_000);

  it('keeps only the latest record per key, each in the partition of its primary date', async () => {
    const h = new History();
    const leadAt = (id: string, created: string): LeadRecord => ({ lead_id: id, created_at: created, source: 'Webinar', marketing_sourced: true });
    await h.apply({ kind: 'upload', dataset: 'leads', file: 0, records: [leadAt('L1', '2026-01-10'), leadAt('L2', '2026-02-10')], lateBy: 0, missing: false });
    const snapshots = memorySnapshots();
    const deps = { store: h.store, ledger: h.ledger, settings, snapshots };
    const first = await syncSnapshots(deps);
    expect(Object.keys(first.snapshots.leads.manifest.partitions)).toEqual(['2026-01', '2026-02']);
    // A correction moves L1 to March: January is emptied, March gets it, February is not rewritten.
    await h.apply({ kind: 'upload', dataset: 'leads', file: 1, records: [leadAt('L1', '2026-03-05')], lateBy: 0, missing: false });
    const second = await syncSnapshots(deps);
    const parts = second.snapshots.leads.manifest.partitions;
    expect(Object.keys(parts)).toEqual(['2026-02', '2026-03']);
    expect(parts['2026-02']!.key).toBe(first.snapshots.leads.manifest.partitions['2026-02']!.key);
    expect(second.snapshots.leads.manifest.records).toBe(2);
    expect(parts['2026-03']!.uploads).toEqual([h.uploads[1]!.uploadId]);
    // The replaced objects are gone; only the current manifest's remain.
    const left = (await snapshots.store.list('snapshots/leads/')).map((o) => o.key).sort();
    expect(left).toEqual([parts['2026-02']!.key, parts['2026-03']!.key].sort());
  });

  it('rebuilds from the uploads after a retraction or a late event, and says why', async () => {
    const h = new History();
    const snapshots = memorySnapshots();
    const rebuilt: string[] = [];
    const deps = { store: h.store, ledger: h.ledger, settings, snapshots, onRebuild: (d: DatasetName, why: string) => rebuilt.push(`${d}: ${why}`) };
    const l = (id: string): LeadRecord => ({ lead_id: id, created_at: '2026-05-01', source: 'Direct', marketing_sourced: false });
    await h.apply({ kind: 'upload', dataset: 'leads', file: 0, records: [l('L1')], lateBy: 0, missing: false });
    await syncSnapshots(deps);
    await h.apply({ kind: 'upload', dataset: 'leads', file: 1, records: [l('L2')], lateBy: 0, missing: false });
    await syncSnapshots(deps);
    await h.apply({ kind: 'upload', dataset: 'leads', file: 2, records: [l('L3')], lateBy: 5, missing: false });
    await syncSnapshots(deps);
    await h.apply({ kind: 'retract', pick: 0 });
    const synced = await syncSnapshots(deps);
    expect(rebuilt.filter((r) => r.startsWith('leads'))).toEqual([
      'leads: no snapshot yet', `leads: upload ${h.uploads[2]!.uploadId} sorts before uploads it covers (a late event)`,
      `leads: upload ${h.uploads[0]!.uploadId}, which it covers, is no longer counted (retracted)`,
    ]);
    expect(synced.snapshots.leads.manifest.records).toBe(2);
  });

  it('folds an upload of new ids reading one shard of the key index and the partitions it touches, nothing else', async () => {
    const h = new History();
    const snapshots = memorySnapshots();
    const deps = { store: h.store, ledger: h.ledger, settings, snapshots, snapshotTuning: { keyShardKeys: 16, batchRecords: 500_000 } };
    const lead = (n: number, created: string): LeadRecord => ({ lead_id: `L${String(n).padStart(6, '0')}`, created_at: created, source: 'Direct', marketing_sourced: false });
    // Two years of leads, a month's ids after the last.
    const old = Array.from({ length: 480 }, (_, i) => lead(i, `${2024 + Math.floor(i / 240)}-${String(1 + Math.floor((i % 240) / 20)).padStart(2, '0')}-10`));
    await h.apply({ kind: 'upload', dataset: 'leads', file: 0, records: old, lateBy: 0, missing: false });
    const first = (await syncSnapshots(deps)).snapshots.leads.manifest;
    expect(first.keyShards!.length).toBeGreaterThan(20);
    await h.apply({ kind: 'upload', dataset: 'leads', file: 1, records: [480, 481, 482].map((n) => lead(n, '2026-03-02')), lateBy: 0, missing: false });
    const read = vi.spyOn(snapshots.blobs, 'read');
    const next = (await syncSnapshots(deps)).snapshots.leads.manifest;
    const objects = new Set(read.mock.calls.map(([k]) => k));
    const keyShards = [...objects].filter((k) => k.startsWith('snapshots/_keys/'));
    expect(keyShards).toEqual([first.keyShards!.at(-1)!.key]);
    // No partition read: March 2026 had none; the manifest is the rest.
    expect([...objects].filter((k) => k.startsWith('snapshots/leads/'))).toEqual([]);
    expect(Object.keys(next.partitions).filter((m) => next.partitions[m]!.key !== first.partitions[m]?.key)).toEqual(['2026-03']);
    expect(next.records).toBe(483);
  });

  it('rebuilds, and says why, when the key index and the partitions disagree', async () => {
    const h = new History();
    const snapshots = memorySnapshots();
    const rebuilt: string[] = [];
    const deps = { store: h.store, ledger: h.ledger, settings, snapshots, onRebuild: (d: DatasetName, why: string) => rebuilt.push(`${d}: ${why}`) };
    const l = (id: string, created: string): LeadRecord => ({ lead_id: id, created_at: created, source: 'Direct', marketing_sourced: false });
    await h.apply({ kind: 'upload', dataset: 'leads', file: 0, records: [l('L1', '2026-05-01'), l('L2', '2026-06-01')], lateBy: 0, missing: false });
    const first = (await syncSnapshots(deps)).snapshots.leads.manifest;
    // Damage the index: it puts L1 in June (its record is in May).
    const [shard] = first.keyShards!;
    const { shard: wrong } = KeyShard.empty().upsert(['L1', 'L2'], [monthNumber('2026-06'), monthNumber('2026-06')]);
    await snapshots.blobs.put(shard!.key, wrong.encode());
    await h.apply({ kind: 'upload', dataset: 'leads', file: 1, records: [l('L1', '2026-07-01')], lateBy: 0, missing: false });
    const synced = await syncSnapshots(deps);
    expect(rebuilt.at(-1)).toBe('leads: its key index and partitions disagree: key "L1" is not in 2026-06, where its key index puts it');
    expect(Object.keys(synced.snapshots.leads.manifest.partitions)).toEqual(['2026-06', '2026-07']);
    expect(synced.snapshots.leads.manifest.records).toBe(2);
  });
});
