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
 * so the ratio is what merging and computing add to reading. `BENCH_LEADS=100000` scales it down.
 *
 * The deals have 50 owners, 5 regions, 8 products and 3 segments, and leads, deals and spend 200 campaigns, so the
 * `kpis` line includes the breakdowns the scheduled run computes. A second line, `kpis-breakdowns`, says what they
 * cost: the same KPI step with and without breakdowns, each in a process of its own (so each has its own peak RSS),
 * best of two runs, the whole step and the computation alone (measuring and computing, the records already read).
 * The table's dimension columns are filled while reading in both (they are part of the stored records).
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
/** 200 campaigns, each on one channel; 50 reps; regions, products and segments as a mid-sized sales team has them. */
const CAMPAIGNS = Array.from({ length: 200 }, (_, i) => `${SOURCES[i % SOURCES.length]} | ${2025 + (i % 2)} campaign ${String(i).padStart(3, '0')}`);
const OWNERS = Array.from({ length: 50 }, (_, i) => `Rep ${String(i).padStart(2, '0')}`);
const REGIONS = ['North America', 'EMEA', 'APAC', 'LATAM', 'DACH'];
const PRODUCTS = ['Core', 'Pro', 'Enterprise', 'Connectors', 'Analytics', 'Services', 'Training', 'Support'];
const SEGMENTS = ['SMB', 'Mid-Market', 'Enterprise'];

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
    campaign: CAMPAIGNS[i % CAMPAIGNS.length]!, owner: OWNERS[i % OWNERS.length]!, region: REGIONS[i % REGIONS.length]!,
    product: PRODUCTS[i % PRODUCTS.length]!, segment: SEGMENTS[i % SEGMENTS.length]!, marketing_sourced: i % 7 !== 0,
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

  // A year of daily spend per campaign, on its channel (plus the SDR team as sales spend), and daily traffic per channel.
  await up.write('spend', 'spend-year', (function* (): Generator<SpendRecord> {
    for (let d = 0; d < DAYS; d++) {
      const date = day(START + d * DAY_MS);
      for (const [i, campaign] of CAMPAIGNS.entries()) {
        const channel = SOURCES[i % SOURCES.length]!;
        yield { date, amount_minor: 2_000 + ((d * 31 + i * 7) % 10_000), channel, campaign, category: 'marketing' };
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

async function computeKpis(
  store: ObjectStore, ledger: UploadLedger, breakdowns = true,
): Promise<{ leads: number; items: number; computeSeconds: number; value: unknown }> {
  const read = await loadAcceptedRecordTable({ store, ledger }, SETTINGS.timezone);
  const periods = periodRange(previousPeriod(TARGET, 13), TARGET);
  const t0 = process.hrtime.bigint();
  const results = computeKpisForPeriods(read.table, periods, SETTINGS, { breakdowns });
  const computeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const asOf = inputsAsOf(read);
  const digest = inputsDigest(read, SETTINGS);
  let items = 0;
  for (const result of results) items += toStoredKpis(result, read, asOf, digest).kpis.length + 1;
  return { leads: read.table.size('leads'), items, computeSeconds, value: results.at(-1)!.metrics };
}

/** The uploads' ledger records, kept beside the files for the child processes. */
const LEDGER_FILE = 'ledger.json';

/** In a child process: the KPI step with or without breakdowns, best of two, and this process's peak RSS. */
async function child(dir: string, breakdowns: boolean): Promise<void> {
  const store = new FsObjectStore();
  const ledger = new InMemoryUploadLedger();
  for (const u of JSON.parse(await readFile(join(dir, LEDGER_FILE), 'utf8')) as UploadRecord[]) await ledger.recordUpload(u);
  let seconds = Infinity;
  let computeSeconds = Infinity;
  for (let i = 0; i < 2; i++) {
    const k = await timed(() => computeKpis(store, ledger, breakdowns));
    seconds = Math.min(seconds, k.seconds);
    computeSeconds = Math.min(computeSeconds, k.value.computeSeconds);
  }
  console.log(JSON.stringify({ seconds, computeSeconds, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

/** Runs `child` in a process of its own and returns what it printed. */
function inChild(dir: string, breakdowns: boolean): { seconds: number; computeSeconds: number; peakRssMB: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_CHILD: breakdowns ? 'with' : 'without', BENCH_DIR: dir }, encoding: 'utf8', maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child (${breakdowns ? 'with' : 'without'} breakdowns) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; computeSeconds: number; peakRssMB: number };
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
    const uploads = await generate(dir, store);
    for (const u of uploads) await ledger.recordUpload(u);
    await writeFile(join(dir, LEDGER_FILE), JSON.stringify(uploads));
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
    // What breakdowns cost: each variant in a fresh process, interleaved, the same data.
    const without = inChild(dir, false);
    const withB = inChild(dir, true);
    console.log(JSON.stringify({
      bench: 'kpis-breakdowns', leads: LEADS, owners: OWNERS.length, campaigns: CAMPAIGNS.length, periods: 14,
      withBreakdowns: { seconds: round(withB.seconds, 2), computeSeconds: round(withB.computeSeconds, 2), peakRssMB: withB.peakRssMB },
      withoutBreakdowns: { seconds: round(without.seconds, 2), computeSeconds: round(without.computeSeconds, 2), peakRssMB: without.peakRssMB },
      extraSeconds: round(withB.seconds - without.seconds, 2), extraComputeSeconds: round(withB.computeSeconds - without.computeSeconds, 2),
      extraRssMB: withB.peakRssMB - without.peakRssMB,
    }));
    if (process.env.BENCH_VERBOSE) console.error(JSON.stringify(result!.value, null, 1).slice(0, 4000));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.env.BENCH_CHILD) await child(process.env.BENCH_DIR!, process.env.BENCH_CHILD === 'with');
  else {
    await main();
    // The run against years of history and after one upload (issue 16), in a process of its own: its peak RSS is its own.
    const history = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(import.meta.dirname, 'kpis-history.ts')], { stdio: 'inherit' });
    if (history.status !== 0) process.exitCode = 1;
  }
}

export { generate };
