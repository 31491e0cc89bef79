/**
 * `npm run bench -- kpis`: the KPI step on a large account. Generates, in a temp dir, stored accepted records in
 * the format the validator writes (gzip JSON lines, one file per upload, through the stores' own writer) for 1,000,000 leads, 200,000
 * opportunities, 100,000 customers and a year of daily spend and traffic, as a year of monthly uploads plus
 * re-uploads that replace records (closed deals, a corrected month, churned customers). Then measures:
 *   - baseline: reading and decoding every stored record (gunzip, lines, JSON.parse), nothing computed;
 *   - kpis: what the scheduled run does before it writes to DynamoDB: read the ledger, read and merge every
 *     accepted upload (later upload wins per key), compute the closed month and the 13 before it, and build the
 *     items to store.
 * Both read through the file-system `ObjectStore` (the stored format's reader, the S3 adapter's too, over a file),
 * so the ratio is what merging and computing add to reading. Prints one JSON line. `BENCH_LEADS=100000` scales it
 * down.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyRecord, CustomerRecord, LeadRecord, OpportunityRecord, SpendRecord, WebTrafficRecord } from '../lambdas/domain/datasets/records.ts';
import { DATASET_NAMES, type DatasetName } from '../lambdas/domain/layout.ts';
import { DEFAULT_SETTINGS, type Settings } from '../lambdas/domain/settings.ts';
import { parsePeriodId, periodRange, previousPeriod } from '../lambdas/domain/periods/period.ts';
import { computeKpisForPeriods } from '../lambdas/domain/metrics/compute.ts';
import { inputsAsOf, inputsDigest, loadAcceptedRecordTable, toStoredKpis } from '../lambdas/use-cases/compute-kpis.ts';
import type { ObjectStore, UploadLedger, UploadRecord } from '../lambdas/ports/index.ts';
import { FsObjectStore } from '../lambdas/adapters/fs-object-store.ts';
import { InMemoryUploadLedger } from '../lambdas/adapters/memory.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const OPPS = Math.round(LEADS / 5);
const CUSTOMERS = Math.round(LEADS / 10);
const TARGET = parsePeriodId('2026-10');
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, timezone: 'Europe/Paris' };

// ---- the data ----

/** Deterministic pseudo-random numbers (a 32-bit LCG). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 10, 1); // the year of data: November 2025 to October 2026
const DAYS = 365;
const instant = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const monthOf = (ms: number): number => Math.min(11, Math.floor((ms - START) / (DAYS * DAY_MS / 12)));
const SOURCES = ['Organic Search', 'Paid Search', 'Paid Social', 'Email Marketing', 'Direct Traffic', 'Referrals', 'Webinar', 'Events', 'Outbound', 'Partner'];
const CAMPAIGNS = ['brand', 'always on', 'q4 push', 'retargeting'];

/** Writes the stored records of uploads, streaming, one file per upload; keeps the ledger records of the uploads. */
class Uploads {
  readonly records: UploadRecord[] = [];
  private n = 0;
  constructor(private readonly dir: string, private readonly store: ObjectStore) {}

  async write(dataset: DatasetName, name: string, rows: Iterable<AnyRecord>): Promise<void> {
    const key = `accepted/${dataset}/${name}.jsonl.gz`;
    const writer = this.store.createRecordWriter(this.dir, key, dataset);
    let count = 0;
    for (const r of rows) {
      await writer.write(r);
      count++;
    }
    await writer.close();
    const at = instant(START + DAYS * DAY_MS + this.n++ * 60_000);
    this.records.push({
      uploadId: `${dataset}-${name}`, dataset, bucket: this.dir, key: `incoming/${dataset}/${name}.csv`, uploadedAt: at,
      status: 'accepted', rows: count, acceptedRows: count, recordsKey: key, reportKey: '', errorCounts: {}, warningCounts: {},
      processedAt: at,
    });
  }
}

function* leads(from: number, to: number, r: () => number, corrected = false): Generator<LeadRecord> {
  for (let i = from; i < to; i++) {
    const created = START + Math.floor((i / LEADS) * DAYS * DAY_MS) + Math.floor(r() * 3_600_000);
    const stage = r();
    const l: LeadRecord = {
      lead_id: `L${String(i).padStart(7, '0')}`, created_at: instant(created), source: SOURCES[Math.floor(r() * SOURCES.length)]!,
      campaign: CAMPAIGNS[Math.floor(r() * CAMPAIGNS.length)]!, marketing_sourced: r() < 0.9,
    };
    if (corrected) l.source = `${l.source}`.toUpperCase();
    if (stage < 0.4) l.mql_at = instant(created + Math.floor(r() * 20 * DAY_MS));
    if (stage < 0.14) {
      l.sql_at = instant(created + 20 * DAY_MS + Math.floor(r() * 20 * DAY_MS));
      l.sql_status = stage < 0.1 ? 'accepted' : stage < 0.12 ? 'rejected' : 'pending';
    }
    if (stage < 0.025) l.customer_at = instant(created + 40 * DAY_MS + Math.floor(r() * 60 * DAY_MS));
    yield l;
  }
}

function opportunity(i: number, r: () => number, closed: boolean): OpportunityRecord {
  const created = START + Math.floor((i / OPPS) * DAYS * DAY_MS);
  const o: OpportunityRecord = {
    opportunity_id: `O${String(i).padStart(6, '0')}`, created_at: day(created), status: 'open',
    amount_minor: 100_000 + Math.floor(r() * 5_000_000), source: SOURCES[i % SOURCES.length]!, lead_id: `L${i * 5}`,
    marketing_sourced: i % 7 !== 0,
  };
  if (closed) {
    o.status = r() < 0.35 ? 'won' : 'lost';
    o.closed_at = day(created + 30 * DAY_MS);
  }
  return o;
}

async function generate(dir: string, store: ObjectStore): Promise<UploadRecord[]> {
  const up = new Uploads(dir, store);
  const r = rng(42);
  const perMonth = LEADS / 12;
  for (let m = 0; m < 12; m++) await up.write('leads', `leads-${m + 1}`, leads(Math.round(m * perMonth), Math.round((m + 1) * perMonth), r));
  // A corrected re-export of the sixth month: every record replaces its earlier version.
  await up.write('leads', 'leads-6-corrected', leads(Math.round(5 * perMonth), Math.round(6 * perMonth), r, true));

  // Opportunities: each month's file has the deals created in it, and again (closed) those created the month
  // before that closed, half of them: a later upload replaces the open record.
  const perOppMonth = OPPS / 12;
  for (let m = 0; m < 12; m++) {
    const created = function* (): Generator<OpportunityRecord> {
      for (let i = Math.round(m * perOppMonth); i < Math.round((m + 1) * perOppMonth); i++) yield opportunity(i, r, false);
      if (m > 0) for (let i = Math.round((m - 1) * perOppMonth); i < Math.round(m * perOppMonth); i += 2) yield opportunity(i, r, true);
    };
    await up.write('opportunities', `opportunities-${m + 1}`, created());
  }

  // Customers: the base, then an update with churn dates for a tenth of them.
  const customer = (i: number, churn: boolean): CustomerRecord => {
    const started = START - 3 * DAYS * DAY_MS + Math.floor((i / CUSTOMERS) * 4 * DAYS * DAY_MS);
    return {
      customer_id: `C${i}`, started_at: day(started), mrr_minor: 5_000 + (i % 100) * 1_000,
      ...(churn ? { churned_at: day(Math.max(started + 30 * DAY_MS, START + (i % DAYS) * DAY_MS)) } : {}),
    };
  };
  await up.write('customers', 'customers-base', (function* () { for (let i = 0; i < CUSTOMERS; i++) yield customer(i, false); })());
  await up.write('customers', 'customers-churn', (function* () { for (let i = 0; i < CUSTOMERS; i += 10) yield customer(i, true); })());

  // A year of daily spend per channel and campaign (plus the SDR team as sales spend), and daily traffic per channel.
  await up.write('spend', 'spend-year', (function* (): Generator<SpendRecord> {
    for (let d = 0; d < DAYS; d++) {
      const date = day(START + d * DAY_MS);
      for (const channel of SOURCES) {
        for (const campaign of CAMPAIGNS) yield { date, amount_minor: 10_000 + ((d * 31 + channel.length * 7) % 50_000), channel, campaign, category: 'marketing' };
      }
      yield { date, amount_minor: 250_000, channel: 'Outbound', campaign: 'sdr team', category: 'sales' };
    }
  })());
  await up.write('web_traffic', 'traffic-year', (function* (): Generator<WebTrafficRecord> {
    for (let d = 0; d < DAYS; d++) {
      for (const channel of SOURCES) {
        const sessions = 2_000 + ((d * 17 + channel.length * 13) % 3_000);
        yield { date: day(START + d * DAY_MS), channel, sessions, engaged_sessions: Math.floor(sessions * 0.6), bounce_rate: 0.4 };
      }
    }
  })());
  return up.records;
}

// ---- the measured work ----

async function baseline(store: ObjectStore, ledger: UploadLedger): Promise<number> {
  let n = 0;
  for (const d of DATASET_NAMES) {
    for (const u of await ledger.listUploads(d)) {
      for await (const rec of store.readRecords(u.bucket, u.recordsKey!)) if (rec) n++;
    }
  }
  return n;
}

async function computeKpis(store: ObjectStore, ledger: UploadLedger): Promise<{ leads: number; items: number; value: unknown }> {
  const read = await loadAcceptedRecordTable({ store, ledger }, SETTINGS.timezone);
  const periods = periodRange(previousPeriod(TARGET, 13), TARGET);
  const results = computeKpisForPeriods(read.table, periods, SETTINGS);
  const asOf = inputsAsOf(read);
  const digest = inputsDigest(read, SETTINGS);
  let items = 0;
  for (const result of results) items += toStoredKpis(result, read, asOf, digest).kpis.length + 1;
  return { leads: read.table.size('leads'), items, value: results.at(-1)!.metrics };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const value = await f();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'smarketing-kpis-bench-'));
  try {
    const store = new FsObjectStore();
    const ledger = new InMemoryUploadLedger();
    for (const u of await generate(dir, store)) await ledger.recordUpload(u);
    // Two rounds, alternating, best of each: the first round also warms the JIT and the file cache.
    let base = Infinity;
    let full = Infinity;
    let result: Awaited<ReturnType<typeof computeKpis>> | undefined;
    for (let round = 0; round < 2; round++) {
      const b = await timed(() => baseline(store, ledger));
      base = Math.min(base, b.seconds);
      const k = await timed(() => computeKpis(store, ledger));
      full = Math.min(full, k.seconds);
      result = k.value;
    }
    if (result!.leads !== LEADS) throw new Error(`merged ${result!.leads} leads, expected ${LEADS}`);
    console.log(JSON.stringify({
      bench: 'kpis', leads: LEADS, periods: 14, seconds: round(full, 2), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      baselineSeconds: round(base, 2), ratio: round(full / base, 2),
    }));
    if (process.env.BENCH_VERBOSE) console.error(JSON.stringify(result!.value, null, 1).slice(0, 4000));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

export { generate };
