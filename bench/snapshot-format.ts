/**
 * Parquet (the snapshots) against gzip JSON lines (the stored uploads) for the same 1M leads, from the window cache
 * of kpis-history.ts (run it first): bytes on disk, seconds to read every record back as objects, seconds to read
 * only the KPI engine's columns, seconds to write. Prints one JSON line: `node --import tsx --expose-gc bench/snapshot-format.ts`.
 */
import { readdir, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecordLines, JsonLinesGzipWriter } from '../lambdas/adapters/record-lines.ts';
import { FsBlobs } from '../lambdas/adapters/snapshot-blobs.ts';
import { encodePartition, ParquetSnapshotStore } from '../lambdas/adapters/snapshot-parquet.ts';
import type { SnapshotRow } from '../lambdas/domain/records/snapshot.ts';

const WINDOW = Number(process.env.BENCH_WINDOW_LEADS ?? 1_000_000);
const dir = join(tmpdir(), `smarketing-kpis-history-v1-${Number(process.env.BENCH_HISTORY_LEADS ?? 10_000_000)}-${WINDOW}`, 'window');

async function files(sub: string, ext: string): Promise<string[]> {
  return (await readdir(join(dir, sub), { recursive: true })).filter((f) => f.endsWith(ext)).map((f) => join(dir, sub, f)).sort();
}
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  globalThis.gc?.();
  const t0 = performance.now();
  const v = await f();
  return [v, (performance.now() - t0) / 1000];
};
const size = async (list: string[]): Promise<number> => (await Promise.all(list.map((f) => stat(f)))).reduce((s, x) => s + x.size, 0);

const json = await files('accepted/leads', '.jsonl.gz');
const parquet = (await files('snapshots/leads', '.parquet')).map((f) => f.slice(dir.length + 1));
const store = new ParquetSnapshotStore(new FsBlobs(dir));
const [records, jsonRead] = await time(async () => {
  const out: SnapshotRow[] = [];
  for (const f of json) for await (const r of readRecordLines(createReadStream(f))) out.push({ record: r, upload: f, order: out.length });
  return out;
});
const [, parquetRead] = await time(async () => { let n = 0; for (const k of parquet) n += (await store.readPartition(k, 'leads')).length; return n; });
const [, parquetColumns] = await time(async () => { let n = 0; for (const k of parquet) n += (await store.readKpiColumns(k, 'leads')).n; return n; });
const [, parquetWrite] = await time(async () => { for (let i = 0; i < records.length; i += 100_000) encodePartition('leads', records.slice(i, i + 100_000), 'Europe/Paris'); });
const [, jsonWrite] = await time(async () => {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const w = new JsonLinesGzipWriter(sink, 'leads');
  for (const r of records) { const p = w.write(r.record); if (p) await p; }
  await w.close();
});
const r2 = (n: number): number => Math.round(n * 100) / 100;
console.log(JSON.stringify({
  bench: 'snapshot-format', leads: records.length, jsonLinesMB: r2((await size(json)) / 1e6), parquetMB: r2((await size(parquet.map((k) => join(dir, k)))) / 1e6),
  jsonReadSeconds: r2(jsonRead), parquetReadSeconds: r2(parquetRead), parquetKpiColumnsSeconds: r2(parquetColumns),
  jsonWriteSeconds: r2(jsonWrite), parquetWriteSeconds: r2(parquetWrite),
}));
