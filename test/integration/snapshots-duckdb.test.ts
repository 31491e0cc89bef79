/**
 * The snapshot files, read by an independent reader: DuckDB (its Node package, a prebuilt engine) reads the
 * Parquet partitions the KPI run wrote, as Athena would through the Glue tables (Hive-style `month=` folders):
 * every merged record once, with its fields, types and local days; and three KPIs written as SQL (the KPI step
 * beyond one Lambda, docs/scale.md) give what the KPI engine gives.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { fsSnapshots } from '../../lambdas/adapters/snapshot-blobs.ts';
import type { AnyRecord, LeadRecord, OpportunityRecord } from '../../lambdas/domain/datasets/records.ts';
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import { computeKpisForPeriods } from '../../lambdas/domain/metrics/compute.ts';
import { parsePeriodId, periodRange } from '../../lambdas/domain/periods/period.ts';
import { readThroughSnapshots, syncSnapshots } from '../../lambdas/use-cases/compute-kpis.ts';
import { leadsSql, pipelineSql, winRateSql, type TableSource } from '../../scripts/athena/kpi-sql.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const settings = settingsWith({ timezone: 'UTC' });
const PERIODS = periodRange(parsePeriodId('2026-01'), parsePeriodId('2026-06'));
const SOURCES = ['Webinar', 'Paid Search', 'Direct'];

let dir: string;
let db: DuckDBConnection;
const expected = new Map<string, LeadRecord>();
let engine: ReturnType<typeof computeKpisForPeriods>;

const lead = (i: number, v: number): LeadRecord => ({
  lead_id: `L${i}`, created_at: `2026-0${1 + ((i + v) % 6)}-${String(1 + (i % 27)).padStart(2, '0')}`, source: SOURCES[(i + v) % 3]!,
  ...(i % 3 === 0 ? { mql_at: `2026-0${1 + ((i + v) % 6)}-28` } : {}), ...(i % 4 === 0 ? { campaign: 'brand' } : {}), marketing_sourced: i % 2 === 0,
});
const deal = (i: number, v: number): OpportunityRecord => ({
  opportunity_id: `O${i}`, created_at: `2026-0${1 + (i % 5)}-0${1 + (i % 9)}`, status: v === 0 ? 'open' : i % 3 === 0 ? 'lost' : 'won',
  ...(v === 0 ? {} : { closed_at: `2026-0${2 + (i % 5)}-1${i % 9}` }), amount_minor: 100_000 + i * 1_234, marketing_sourced: true,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshots-duckdb-'));
  const store = new MemoryBucket();
  const ledger = new InMemoryUploadLedger();
  let n = 0;
  const upload = async (dataset: DatasetName, records: AnyRecord[]): Promise<void> => {
    const recordsKey = `accepted/${dataset}/u${++n}.jsonl.gz`;
    const w = store.createRecordWriter('b', recordsKey, dataset);
    for (const r of records) await w.write(r);
    await w.close();
    const at = new Date(Date.UTC(2026, 6, 1, 0, n)).toISOString();
    await ledger.recordUpload({
      uploadId: `u${n}`, dataset, bucket: 'b', key: `incoming/${dataset}/f${n}.csv`, uploadedAt: at, status: 'accepted', rows: records.length,
      acceptedRows: records.length, recordsKey, reportKey: '', errorCounts: {}, warningCounts: {}, processedAt: at,
    });
  };
  // Leads 0-299, then a re-export of 100-199 that moves some to another month and source: the later one counts.
  const first = Array.from({ length: 300 }, (_, i) => lead(i, 0));
  const second = Array.from({ length: 100 }, (_, i) => lead(100 + i, 1));
  for (const r of [...first, ...second]) expected.set(r.lead_id, r);
  await upload('leads', first);
  await upload('leads', second);
  await upload('opportunities', Array.from({ length: 80 }, (_, i) => deal(i, 0)));
  await upload('opportunities', Array.from({ length: 40 }, (_, i) => deal(i * 2, 1)));

  const snapshots = fsSnapshots(dir);
  const deps = { store, ledger, settings, snapshots };
  const read = await readThroughSnapshots(await syncSnapshots(deps), PERIODS, deps);
  engine = computeKpisForPeriods(read.table, PERIODS, settings);
  db = await (await DuckDBInstance.create(':memory:')).connect();
});

afterAll(async () => {
  db?.closeSync();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const source: TableSource = (dataset) => `read_parquet('${join(dir, 'snapshots', dataset)}/*/*.parquet', hive_partitioning = true)`;
const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];

describe('the snapshot files, read by DuckDB', () => {
  it('hold every merged lead once, with its fields, types, local day and month partition', async () => {
    const got = await rows(`
      SELECT lead_id, created_at, source, campaign, mql_at, marketing_sourced, CAST(created_date AS VARCHAR) AS created_date,
             CAST(mql_date AS VARCHAR) AS mql_date, month, upload_id, typeof(created_date) AS date_type, typeof(marketing_sourced) AS flag_type
      FROM ${source('leads')} ORDER BY lead_id`);
    expect(got).toHaveLength(expected.size);
    for (const r of got) {
      const want = expected.get(r.lead_id as string)!;
      expect(r).toEqual({
        lead_id: want.lead_id, created_at: want.created_at, source: want.source, campaign: want.campaign ?? null, mql_at: want.mql_at ?? null,
        marketing_sourced: want.marketing_sourced, created_date: want.created_at, mql_date: want.mql_at ?? null, month: want.created_at.slice(0, 7),
        upload_id: Number(want.lead_id.slice(1)) >= 100 && Number(want.lead_id.slice(1)) < 200 ? 'u2' : 'u1', date_type: 'DATE', flag_type: 'BOOLEAN',
      });
    }
  });

  it('hold money as BIGINT minor units and an open deal without a close date', async () => {
    const [r] = await rows(`SELECT typeof(amount_minor) AS t, count(*) FILTER (WHERE status = 'open' AND closed_date IS NOT NULL) AS open_closed FROM ${source('opportunities')} GROUP BY 1`);
    expect(r).toEqual({ t: 'BIGINT', open_closed: '0' });
  });

  it('give leads, pipeline created and win rate per month as the KPI engine does (the SQL of docs/scale.md)', async () => {
    const from = PERIODS[0]!.startDate;
    const to = PERIODS.at(-1)!.endDate;
    const byPeriod = (list: Record<string, unknown>[]): Map<string, Record<string, unknown>> => new Map(list.map((r) => [r.period as string, r]));
    const leads = byPeriod(await rows(leadsSql(source, from, to)));
    const pipeline = byPeriod(await rows(pipelineSql(source, from, to)));
    const wins = byPeriod(await rows(winRateSql(source, from, to)));
    for (const result of engine) {
      const id = result.period.id;
      expect(Number(leads.get(id)?.leads ?? 0)).toBe(result.metrics.leads!.value ?? 0);
      expect(Number(pipeline.get(id)?.pipeline_minor ?? 0) / 100).toBeCloseTo(result.metrics.pipeline_created!.value ?? 0, 6);
      const w = wins.get(id);
      expect(w ? Number(w.won) / Number(w.closed) : null).toBe(result.metrics.win_rate!.value === null ? null : result.metrics.win_rate!.numerator! / result.metrics.win_rate!.denominator!);
    }
    expect([...leads.values()].reduce((s, r) => s + Number(r.leads), 0)).toBe(expected.size);
  });
});
