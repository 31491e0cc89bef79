/**
 * The KPI step against history (issue 16): `kpis-history` times the run over a 14-month window of 1M leads with
 * 9M older leads stored, against the same window with no older history, in the same process, and DuckDB doing
 * the whole job today's way (every stored upload read, the later upload's record kept per key, the 14 months
 * aggregated) on the same files, single-threaded. `kpis-incremental` times a run after one new upload of 10k rows
 * and counts the bytes it read. Prints one JSON line each.
 *
 * Generating 10M records takes minutes: the stored uploads and the snapshots built from them are cached in the
 * temp dir, keyed by the parameters, and made in a child process (so the measured process's peak RSS is its own).
 * `BENCH_HISTORY_LEADS` / `BENCH_WINDOW_LEADS` scale it down.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { LeadRecord } from '../lambdas/domain/datasets/records.ts';
import { DEFAULT_SETTINGS, type Settings } from '../lambdas/domain/settings.ts';
import { parsePeriodId, periodRange } from '../lambdas/domain/periods/period.ts';
import { computeKpisForPeriods } from '../lambdas/domain/metrics/compute.ts';
import { FsObjectStore } from '../lambdas/adapters/fs-object-store.ts';
import { InMemoryUploadLedger } from '../lambdas/adapters/memory.ts';
import { FsBlobs, InMemorySnapshotPointers } from '../lambdas/adapters/snapshot-blobs.ts';
import { ParquetSnapshotStore } from '../lambdas/adapters/snapshot-parquet.ts';
import type { UploadRecord } from '../lambdas/ports/index.ts';
import type { SnapshotPointer } from '../lambdas/ports/snapshots.ts';
import type { SnapshotManifest } from '../lambdas/domain/records/snapshot.ts';
import { inputsAsOf, inputsDigest, readThroughSnapshots, syncSnapshots, toStoredKpis } from '../lambdas/use-cases/compute-kpis.ts';
import { partitionsFor, windowOf } from '../lambdas/use-cases/snapshot-window.ts';

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;
const THIS_FILE = fileURLToPath(import.meta.url);

const HISTORY = Number(process.env.BENCH_HISTORY_LEADS ?? 10_000_000);
const WINDOW = Number(process.env.BENCH_WINDOW_LEADS ?? 1_000_000);
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, timezone: 'Europe/Paris' };
const PERIODS = periodRange(parsePeriodId('2025-09'), parsePeriodId('2026-10'));
/** The window's months, and as many months before it as the older leads need at the window's monthly rate. */
const WINDOW_MONTHS = 14;
const OLDER_MONTHS = Math.max(1, Math.round(((HISTORY - WINDOW) / WINDOW) * WINDOW_MONTHS));
const SOURCES = ['Organic Search', 'Paid Search', 'Paid Social', 'Email Marketing', 'Direct Traffic', 'Referrals', 'Webinar', 'Events'];
const CACHE = join(tmpdir(), `smarketing-kpis-history-v2-${HISTORY}-${WINDOW}`);

const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** First day of the month `m` months before September 2025 (negative: after). */
const monthStart = (m: number): number => Date.UTC(2025, 8 - m, 1);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A month's leads: ids from `first`, created over the month, the funnel's dates up to ~100 days later. */
function* monthLeads(first: number, n: number, start: number, r: () => number): Generator<LeadRecord> {
  const days = (Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1) - start) / DAY_MS;
  for (let i = 0; i < n; i++) {
    const created = start + Math.floor((i / n) * days) * DAY_MS;
    const stage = r();
    const l: LeadRecord = {
      lead_id: `L${String(first + i).padStart(8, '0')}`, created_at: iso(created), source: SOURCES[Math.floor(r() * SOURCES.length)]!,
      campaign: stage < 0.5 ? 'brand' : 'always on', marketing_sourced: r() < 0.9,
    };
    if (stage < 0.4) l.mql_at = iso(created + Math.floor(r() * 20) * DAY_MS);
    if (stage < 0.14) {
      l.sql_at = iso(created + (20 + Math.floor(r() * 20)) * DAY_MS);
      l.sql_status = stage < 0.1 ? 'accepted' : 'pending';
    }
    if (stage < 0.025) l.customer_at = iso(created + (40 + Math.floor(r() * 60)) * DAY_MS);
    yield l;
  }
}

interface Stored { dir: string; uploads: UploadRecord[]; pointers: [string, SnapshotPointer][] }

/** Monthly uploads of `older` months before the window and the window's 14, then the snapshots built from them. */
async function generate(dir: string, older: number, total: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const store = new FsObjectStore();
  const ledger = new InMemoryUploadLedger();
  const r = rng(7);
  const months = older + WINDOW_MONTHS;
  let id = 0;
  for (let k = 0; k < months; k++) {
    const m = older - k; // months before the window's first: older ones first
    const n = Math.round(((k + 1) * total) / months) - Math.round((k * total) / months);
    const recordsKey = `accepted/leads/m${k}.jsonl.gz`;
    const w = store.createRecordWriter(dir, recordsKey, 'leads');
    for (const l of monthLeads(id, n, monthStart(m), r)) await w.write(l);
    await w.close();
    id += n;
    const at = new Date(Date.UTC(2026, 10, 1) + k * 60_000).toISOString();
    await ledger.recordUpload({
      uploadId: `m${String(k).padStart(4, '0')}`, dataset: 'leads', bucket: dir, key: `incoming/leads/m${k}.csv`, uploadedAt: at, status: 'accepted',
      rows: n, acceptedRows: n, recordsKey, reportKey: '', errorCounts: {}, warningCounts: {}, processedAt: at,
    });
  }
  const pointers = new InMemorySnapshotPointers();
  await syncSnapshots({ store, ledger, settings: SETTINGS, snapshots: { store: new ParquetSnapshotStore(new FsBlobs(dir)), pointers } });
  const stored: Stored = { dir, uploads: await ledger.listUploads('leads'), pointers: [...pointers.pointers] };
  await writeFile(join(dir, 'bench.json'), JSON.stringify(stored));
}

async function load(dir: string): Promise<{ store: FsObjectStore; ledger: InMemoryUploadLedger; blobs: FsBlobs; pointers: InMemorySnapshotPointers }> {
  const stored = JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8')) as Stored;
  const ledger = new InMemoryUploadLedger();
  for (const u of stored.uploads) await ledger.recordUpload(u);
  const pointers = new InMemorySnapshotPointers();
  for (const [d, p] of stored.pointers) pointers.pointers.set(d as never, p);
  return { store: new FsObjectStore(), ledger, blobs: new FsBlobs(dir), pointers };
}

/** The scheduled run up to the items it would store: sync (nothing new), read the window, compute, build the items. */
export async function run(dir: string): Promise<{ seconds: number; leads: number; value: unknown }> {
  const { store, ledger, blobs, pointers } = await load(dir);
  globalThis.gc?.();
  const t0 = performance.now();
  const deps = { store, ledger, settings: SETTINGS, snapshots: { store: new ParquetSnapshotStore(blobs), pointers } };
  const read = await readThroughSnapshots(await syncSnapshots(deps), PERIODS, deps);
  const results = computeKpisForPeriods(read.table, PERIODS, SETTINGS);
  for (const result of results) toStoredKpis(result, read, inputsAsOf(read), inputsDigest(read, SETTINGS));
  return { seconds: (performance.now() - t0) / 1000, leads: read.table.size('leads'), value: results.map((x) => x.metrics.leads!.value) };
}

/** DuckDB, one thread, today's way: every stored upload read, the later upload's record per key, 14 months counted. */
async function duckdb(dir: string, uploads: readonly UploadRecord[]): Promise<{ seconds: number; leads: number[] }> {
  const db = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
  const order = uploads.map((u, i) => `('${join(dir, u.recordsKey!)}', ${i})`).join(',');
  const from = PERIODS[0]!.startDate;
  const to = PERIODS.at(-1)!.endDate;
  const month = (c: string): string => `CASE WHEN ${c} >= DATE '${from}' AND ${c} < DATE '${to}' THEN strftime(${c}, '%Y-%m') END`;
  const t0 = performance.now();
  const rows = (await db.runAndReadAll(`
    WITH uploads(file, pos) AS (VALUES ${order}),
    raw AS (SELECT * FROM read_json([${uploads.map((u) => `'${join(dir, u.recordsKey!)}'`).join(',')}], format = 'newline_delimited', filename = true,
      columns = {lead_id: 'VARCHAR', created_at: 'DATE', source: 'VARCHAR', campaign: 'VARCHAR', mql_at: 'DATE', sql_at: 'DATE', sql_status: 'VARCHAR', customer_at: 'DATE', marketing_sourced: 'BOOLEAN'})),
    latest AS (SELECT raw.* FROM raw JOIN uploads ON raw.filename = uploads.file QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY pos DESC) = 1),
    events AS (
      SELECT ${month('created_at')} AS m, 'leads' AS k FROM latest UNION ALL SELECT ${month('mql_at')}, 'mqls' FROM latest
      UNION ALL SELECT ${month('sql_at')}, 'sqls' FROM latest UNION ALL SELECT ${month('customer_at')}, 'customers' FROM latest)
    SELECT m, count(*) FILTER (WHERE k = 'leads') AS leads, count(*) FILTER (WHERE k = 'mqls') AS mqls, count(*) FILTER (WHERE k = 'sqls') AS sqls,
      count(*) FILTER (WHERE k = 'customers') AS customers
    FROM events WHERE m IS NOT NULL GROUP BY m ORDER BY m`)).getRowObjectsJson();
  const seconds = (performance.now() - t0) / 1000;
  db.closeSync();
  return { seconds, leads: rows.map((r) => Number(r.leads)) };
}

/** A run after one new upload of 10k rows (new leads this month and corrections of older ones); the cache is left as it was. */
async function incremental(dir: string): Promise<Record<string, number | boolean>> {
  const { store, ledger, blobs, pointers } = await load(dir);
  const uploads = await ledger.listUploads('leads');
  const newKey = 'accepted/leads/new-10k.jsonl.gz';
  const w = store.createRecordWriter(dir, newKey, 'leads');
  const r = rng(11);
  // 9,000 new leads in October 2026, 1,000 corrections of leads created in the window's first months.
  for (const l of monthLeads(HISTORY, 9_000, Date.UTC(2026, 9, 1), r)) await w.write(l);
  for (const l of monthLeads(HISTORY - WINDOW, 1_000, Date.UTC(2025, 8, 1), r)) await w.write({ ...l, source: 'Partner' });
  await w.close();
  const at = new Date(Date.UTC(2026, 11, 1)).toISOString();
  await ledger.recordUpload({
    uploadId: 'new-10k', dataset: 'leads', bucket: dir, key: 'incoming/leads/new.csv', uploadedAt: at, status: 'accepted', rows: 10_000,
    acceptedRows: 10_000, recordsKey: newKey, reportKey: '', errorCounts: {}, warningCounts: {}, processedAt: at,
  });
  // The cached snapshot stays as it is: this run's objects are written, nothing of the old manifest deleted.
  const snapshotStore = Object.assign(Object.create(new ParquetSnapshotStore(blobs)) as ParquetSnapshotStore, { delete: async () => undefined });
  const deps = { store, ledger, settings: SETTINGS, snapshots: { store: snapshotStore, pointers } };
  const before = (await pointers.get('leads'))!;
  const manifestBefore = await snapshotStore.readJson<SnapshotManifest>(before.manifest);
  // Which objects the run reads, and how many bytes of each kind.
  const objectsRead = new Set<string>();
  const read0 = blobs.read.bind(blobs);
  blobs.read = async (key, start, end) => {
    objectsRead.add(key);
    return read0(key, start, end);
  };
  globalThis.gc?.();
  const t0 = performance.now();
  const synced = await syncSnapshots(deps);
  const tFold = performance.now();
  const foldBytes = blobs.bytesRead;
  const foldObjects = new Set(objectsRead);
  const read = await readThroughSnapshots(synced, PERIODS, deps);
  computeKpisForPeriods(read.table, PERIODS, SETTINGS);
  const seconds = (performance.now() - t0) / 1000;
  const after = synced.snapshots.leads.manifest;
  const rewritten = Object.entries(after.partitions).filter(([m, p]) => manifestBefore.partitions[m]?.key !== p.key);
  const { from, to } = windowOf(PERIODS);
  const windowParts = partitionsFor(after, from, to);
  const sizes = async (keys: Iterable<string>): Promise<number> => (await Promise.all([...keys].map((k) => blobs.size(k)))).reduce((a, b) => a + b, 0);
  const shardsRead = [...foldObjects].filter((k) => k.startsWith('snapshots/_keys/'));
  const partitionsReadToFold = [...foldObjects].filter((k) => k.startsWith('snapshots/leads/'));
  // What the upload touches: the old objects of the partitions it rewrote; the window: the partitions it reads.
  const touched = new Set(rewritten.map(([m]) => manifestBefore.partitions[m]?.key).filter((k) => k !== undefined));
  const windowKeys = new Set(windowParts.map((m) => after.partitions[m]!.key));
  const partitionsReadAll = [...objectsRead].filter((k) => k.startsWith('snapshots/leads/'));
  const out = {
    seconds: round(seconds), foldSeconds: round((tFold - t0) / 1000), partitionsRewritten: rewritten.length,
    partitionsReadToFold: partitionsReadToFold.length, windowPartitionsRead: windowParts.length, partitionsStored: Object.keys(after.partitions).length,
    onlyTouchedAndWindow: partitionsReadAll.every((k) => touched.has(k) || windowKeys.has(k)),
    keyShardsRead: shardsRead.length, keyShardsStored: manifestBefore.keyShards!.length, keyIndexBytes: await sizes(manifestBefore.keyShards!.map((e) => e.key)),
    keyBytesRead: await sizes(shardsRead), foldBytesRead: foldBytes, windowBytesRead: blobs.bytesRead - foldBytes,
    bytesRead: blobs.bytesRead, uploadBytes: await blobs.size(newKey), windowLeadsRead: read.table.size('leads'),
  };
  // Leave the cache as it was: this run's objects go, the cached manifest's stay.
  const named = new Set([...Object.values(manifestBefore.partitions).map((p) => p.key), ...manifestBefore.keyShards!.map((e) => e.key)]);
  const mine = [...rewritten.map(([, p]) => p.key), ...after.keyShards!.map((e) => e.key), (await pointers.get('leads'))!.manifest, newKey].filter((k) => !named.has(k));
  await blobs.delete(mine);
  void uploads;
  return out;
}

export async function historyBench(): Promise<void> {
  if (process.argv.includes('--generate') && process.argv[1] === THIS_FILE) {
    const [dir, older, total] = process.argv.slice(process.argv.indexOf('--generate') + 1);
    await generate(dir!, Number(older), Number(total));
    return;
  }
  const history = join(CACHE, 'history');
  const windowOnly = join(CACHE, 'window');
  for (const [dir, older, total] of [[history, OLDER_MONTHS, HISTORY], [windowOnly, 0, WINDOW]] as const) {
    if (existsSync(join(dir, 'bench.json'))) continue;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=12000', THIS_FILE, '--generate', dir, String(older), String(total)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`generating ${dir} failed`);
  }
  let best = { seconds: Infinity, window: Infinity, duck: Infinity };
  let check: { a: unknown; b: unknown; d: number[] } | undefined;
  const { uploads } = JSON.parse(await readFile(join(history, 'bench.json'), 'utf8')) as Stored;
  // Ours alternating, best of three (the first also warms the JIT and the file cache); then DuckDB, best of two, so
  // its gigabyte of memory does not sit in the heap's way while ours run.
  let ours: Awaited<ReturnType<typeof run>> | undefined;
  for (let round = 0; round < 3; round++) {
    const h = await run(history);
    const w = await run(windowOnly);
    best = { ...best, seconds: Math.min(best.seconds, h.seconds), window: Math.min(best.window, w.seconds) };
    ours = h;
  }
  // Peak RSS of the KPI runs alone; DuckDB runs in this process too, and its memory counts in peakRssMB.
  const runsRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  for (let round = 0; round < 2; round++) {
    const d = await duckdb(history, uploads);
    best = { ...best, duck: Math.min(best.duck, d.seconds) };
    check = { a: ours!.value, b: undefined, d: d.leads };
  }
  // Same window, same counts: the older history changes nothing in the window's leads.
  if (JSON.stringify(check!.a) !== JSON.stringify(check!.d)) throw new Error(`DuckDB counted ${JSON.stringify(check!.d)}, the KPI run ${JSON.stringify(check!.a)}`);
  console.log(JSON.stringify({
    bench: 'kpis-history', windowLeads: WINDOW, historyLeads: HISTORY, seconds: round(best.seconds), secondsWindowOnly: round(best.window),
    ratio: round(best.seconds / best.window), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), runsPeakRssMB: runsRssMB, duckdbSeconds: round(best.duck),
    vsDuckdb: round(best.seconds / best.duck),
  }));
  console.log(JSON.stringify({ bench: 'kpis-incremental', storedLeads: HISTORY, newRows: 10_000, ...(await incremental(history)) }));
}

// `node --import tsx bench/kpis-history.ts` alone, and the generating child process.
if (process.argv[1] === THIS_FILE) await historyBench();
