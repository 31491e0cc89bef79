/**
 * `npm run bench -- validate`: how fast an upload is validated and ingested, against the fastest bare CSV
 * parser on the same file. Generates 100,000- and 1,000,000-row HubSpot-like leads exports (quoted fields,
 * non-ASCII names, a few planted errors) in a temp dir, then measures, from a local file stream:
 *   (a) baseline: uDSV's streaming parser on the file, no validation;
 *   (b) validation alone (`validateExport`, records dropped);
 *   (c) the whole ingest: validation plus the accepted records written as the stored format (gzip JSON lines,
 *       through the same writer the S3 adapter uses) to a local file.
 * Prints one JSON line per size. `BENCH_ROWS=20000,200000` picks other sizes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { inferSchema, initParser } from 'udsv';
import { DEFAULT_SETTINGS, type Settings } from '../lambdas/domain/settings.ts';
import { validateExport, type RecordSink } from '../lambdas/domain/validation/validate-export.ts';
import type { ValidationReport } from '../lambdas/domain/validation/report.ts';
import { JsonLinesGzipWriter } from '../lambdas/adapters/record-lines.ts';
import type { AnyRecord } from '../lambdas/domain/datasets/records.ts';

const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number).filter((n) => n > 0);

const HEADER = [
  'Record ID', 'First Name', 'Last Name', 'Email', 'Create Date', 'Original Source', 'Original Source Drill-Down 1',
  'Became a Marketing Qualified Lead Date', 'Became a Sales Qualified Lead Date', 'SQL Status', 'Became a Customer Date',
].map((h) => `"${h}"`).join(',');

const FIRST = ['Zoë', 'José', 'Ann', 'Łukasz', 'Søren', 'Mia', 'François', 'Nguyễn', 'Chloé', 'Omar', 'Jürgen', 'Ana'];
const LAST = ['Ørsted', 'García', 'Lee', 'Müller', 'O\'Brien', 'Dubois', 'Smith, Jr.', 'Kowalski', 'Tanaka', 'Rossi'];
const SOURCES = ['Organic Search', 'Paid Search', 'Paid Social', 'Email Marketing', 'Direct Traffic', 'Referrals', 'Offline Sources', 'Outbound'];
const CAMPAIGNS = ['google', 'brand "always on"', 'webinar, october', 'linkedin', '', 'trade show', 'newsletter'];

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every run reads the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One data row; `plant` makes it carry an error (a bad date, a duplicate id, a stage date before creation). */
function row(i: number, r: () => number, plant: 'date' | 'duplicate' | 'order' | undefined): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const month = 1 + Math.floor(r() * 10);
  const day = 1 + Math.floor(r() * 28);
  const created = `2026-${pad(month)}-${pad(day)} ${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}`;
  const stage = r();
  const later = (d: number): string => `2026-${pad(month)}-${pad(Math.min(28, day + d))}`;
  const mql = stage < 0.4 ? later(1) : '';
  const sql = stage < 0.15 ? later(3) : '';
  const status = sql ? pick(['Accepted', 'Rejected', 'Pending']) : '';
  const customer = stage < 0.03 ? later(10) : '';
  const first = pick(FIRST);
  const last = pick(LAST);
  const id = plant === 'duplicate' ? String(100000 + i - 7) : String(100000 + i);
  return [
    `"${id}"`, csvCell(first), csvCell(last), `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}${i}@example.com`,
    plant === 'date' ? '2026-02-30 10:00' : created,
    pick(SOURCES), csvCell(pick(CAMPAIGNS)),
    plant === 'order' ? '2025-01-01' : mql, sql, status, customer,
  ].join(',');
}

/** Writes an export of `n` data rows, streaming (the generator holds one batch of rows at a time). */
export async function generate(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const r = rng(n);
  const every = Math.max(1, Math.floor(n / 6));
  let batch = [HEADER];
  for (let i = 0; i < n; i++) {
    const k = i % every;
    const plant = i > 0 && k === 0 ? (['date', 'duplicate', 'order'] as const)[(i / every) % 3] : undefined;
    batch.push(row(i, r, plant));
    if (batch.length >= 2000) {
      if (!out.write(batch.join('\n') + '\n')) await once(out, 'drain');
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  out.end();
  await finished(out);
}

/**
 * (a) uDSV, streaming, counting rows: no validation, no records kept. Bytes are decoded with a streaming
 * `TextDecoder`, the fastest way found (uDSV's README pipes `createReadStream(path, 'utf8')`, ~5% slower).
 */
async function baseline(path: string): Promise<number> {
  const decoder = new TextDecoder();
  let parser: ReturnType<typeof initParser> | undefined;
  let rows = 0;
  const count = (): void => { rows++; };
  for await (const bytes of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    const chunk = decoder.decode(bytes, { stream: true });
    parser ??= initParser(inferSchema(chunk));
    parser.chunk<string[]>(chunk, parser.stringArrs, count);
  }
  parser?.chunk<string[]>(decoder.decode(), parser.stringArrs, count);
  parser?.end();
  return rows;
}

function settings(): Settings {
  // The planted errors (a handful in a million rows) are dropped within a 0.1% tolerance, so the file is
  // accepted and (c) writes every valid record.
  return { ...DEFAULT_SETTINGS, errorTolerance: 0.001 };
}

const NULL_SINK: RecordSink<AnyRecord> = { write: () => undefined, reset: () => undefined };

async function validateOnly(path: string): Promise<ValidationReport> {
  return validateExport(() => createReadStream(path, { highWaterMark: 64 * 1024 }), {
    dataset: 'leads', settings: settings(), source: path, uploadedAt: '2026-11-02T09:00:00Z',
  }, NULL_SINK);
}

async function ingest(path: string, outPath: string): Promise<ValidationReport> {
  const file = createWriteStream(outPath);
  const writer = new JsonLinesGzipWriter(file, 'leads');
  const report = await validateExport(() => createReadStream(path, { highWaterMark: 64 * 1024 }), {
    dataset: 'leads', settings: settings(), source: path, uploadedAt: '2026-11-02T09:00:00Z',
  }, writer);
  await writer.close();
  return report;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const value = await f();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const peakRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'smarketing-bench-'));
  try {
    for (const n of SIZES) {
      const path = join(dir, `leads-${n}.csv`);
      await generate(path, n);
      const bytes = (await stat(path)).size;
      if (n === SIZES[0]) {
        // Warm the JIT once for all three (the first runs of a process are up to 1.5x slower while V8 tiers up).
        await baseline(path);
        await validateOnly(path);
        await ingest(path, join(dir, `leads-${n}.jsonl.gz`));
      }
      // Best of a few interleaved rounds: the three runs see the same machine load, and a busy moment on a
      // shared machine does not decide a figure.
      const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
      let a = { seconds: Infinity, value: 0 };
      let b = { seconds: Infinity, value: undefined as unknown as ValidationReport };
      let c = { seconds: Infinity, value: undefined as unknown as ValidationReport };
      for (let round = 0; round < rounds; round++) {
        const ra = await timed(() => baseline(path));
        if (ra.value !== n) throw new Error(`baseline read ${ra.value} rows, expected ${n}`);
        const rb = await timed(() => validateOnly(path));
        const rc = await timed(() => ingest(path, join(dir, `leads-${n}.jsonl.gz`)));
        for (const r of [rb.value, rc.value]) {
          if (r.rows !== n || r.status !== 'accepted') {
            throw new Error(`validation read ${r.rows} rows (expected ${n}), ${r.status}: ${JSON.stringify(r.errorCounts)}`);
          }
        }
        if (ra.seconds < a.seconds) a = ra;
        if (rb.seconds < b.seconds) b = rb;
        if (rc.seconds < c.seconds) c = rc;
      }
      const base = n / a.seconds;
      const val = n / b.seconds;
      const ing = n / c.seconds;
      console.log(JSON.stringify({
        bench: 'validate', rows: n, baselineRowsPerSec: round(base), validateRowsPerSec: round(val), ingestRowsPerSec: round(ing),
        validateRatio: round(val / base, 3), ingestRatio: round(ing / base, 3), peakRssMB: peakRssMB(),
      }));
      if (process.env.BENCH_VERBOSE) {
        console.error(JSON.stringify({
          mb: round(bytes / 2 ** 20, 1), status: c.value.status, acceptedRows: c.value.acceptedRows, errors: c.value.errorCounts,
          storedMB: round((await stat(join(dir, `leads-${n}.jsonl.gz`))).size / 2 ** 20, 1),
        }));
      }
      await rm(join(dir, `leads-${n}.jsonl.gz`), { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Run when executed (npm run bench); importable for profiling (`generate`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
