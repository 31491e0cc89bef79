/**
 * Never silently wrong: an accepted upload that lacks a column some KPIs need says so (`kpi-input-missing`, naming
 * the column and the KPIs), and those KPIs are null with that reason for the periods its records count in, never 0
 * (deals without a source: 0% marketing-sourced; leads without MQL dates: 0 MQLs; customers without churn dates:
 * 100% retention).
 */
import { describe, expect, it } from 'vitest';
import { CapturingMailer, InMemoryKpiStore, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import type { StoredKpi } from '../../lambdas/ports/index.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { ingestUpload } from '../../lambdas/use-cases/ingest-upload.ts';
import { lines, settingsWith, validate } from '../helpers/export-builders.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const NOW = new Date('2026-11-02T10:00:00Z');

/** Uploads each file as an S3 event would, then runs the KPI step for October and September 2026. */
async function kpisAfter(files: Record<string, string>): Promise<{ october: Map<string, StoredKpi>; september: Map<string, StoredKpi> }> {
  const store = new MemoryBucket(true);
  const ledger = new InMemoryUploadLedger();
  const settings = settingsWith();
  const deps = { store, ledger, mailer: new CapturingMailer(), clock: { now: () => NOW }, settings };
  let n = 0;
  for (const [key, body] of Object.entries(files)) {
    n++;
    const v = store.put(key, body, `2026-11-01T10:00:0${n}.000Z`);
    const dataset = key.split('/')[1] as 'leads';
    const r = await ingestUpload({ bucket: 'b', key, versionId: v.versionId }, deps, dataset, { sequencer: String(n).padStart(16, '0') });
    expect(r.outcome, key).toBe('accepted');
  }
  const kpis = new InMemoryKpiStore();
  await computeAndStoreKpis([parsePeriodId('2026-09'), parsePeriodId('2026-10')], { store, ledger, kpis, clock: { now: () => NOW }, settings });
  const period = async (id: string) => new Map((await kpis.getPeriod(id)).kpis.map((k) => [k.id, k]));
  return { october: await period('2026-10'), september: await period('2026-09') };
}

const DEALS_WITHOUT_SOURCE = lines(['Deal ID,Create Date,Deal Stage,Close Date,Amount', 'D1,2026-10-01,Closed Won,2026-10-20,1000', 'D2,2026-10-02,Qualified,,500']);
const DEALS_WITH_SOURCE = lines(['Deal ID,Create Date,Deal Stage,Close Date,Amount,Lead Source', 'D1,2026-10-01,Closed Won,2026-10-20,1000,Web', 'D2,2026-10-02,Qualified,,500,Outbound']);

describe('kpi-input-missing', () => {
  it('the report warns, naming the column and the KPIs', async () => {
    const { report } = await validate('opportunities', DEALS_WITHOUT_SOURCE);
    expect(report.status).toBe('accepted');
    expect(report.warnings).toMatchObject([{ code: 'kpi-input-missing', column: 'source', row: 1, line: 1 }]);
    expect(report.warnings[0]!.message).toContain('Marketing-sourced pipeline, Marketing-sourced revenue will be n/a for the periods this file covers, not 0');
    expect(report.warnings[0]!.message).toContain('"columns": { "source": "<header>" }');
    const leads = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,2026-10-01,Web']));
    expect(leads.report.warnings.filter((w) => w.code === 'kpi-input-missing').map((w) => w.column)).toEqual(['mql_at', 'sql_at', 'sql_status', 'customer_at']);
  });

  it('deals without a source: marketing-sourced pipeline and revenue are n/a, not 0%; the rest is computed', async () => {
    const { october } = await kpisAfter({ 'incoming/opportunities/deals.csv': DEALS_WITHOUT_SOURCE });
    expect(october.get('marketing_sourced_pipeline_pct')).toMatchObject({
      value: null, reason: expect.stringContaining('the opportunities upload incoming/opportunities/deals.csv has no source column'),
    });
    expect(october.get('marketing_sourced_revenue_pct')?.value).toBeNull();
    expect(october.get('revenue')?.value).toBe(1000);
    expect(october.get('pipeline_created')?.value).toBe(1500);
    const sourced = await kpisAfter({ 'incoming/opportunities/deals.csv': DEALS_WITH_SOURCE });
    expect(sourced.october.get('marketing_sourced_pipeline_pct')?.value).toBeCloseTo(1000 / 1500, 9);
  });

  it('a later upload with the column that replaces every record lifts it; one that adds other records does not', async () => {
    const replaced = await kpisAfter({ 'incoming/opportunities/a.csv': DEALS_WITHOUT_SOURCE, 'incoming/opportunities/b.csv': DEALS_WITH_SOURCE });
    expect(replaced.october.get('marketing_sourced_pipeline_pct')?.value).toBeCloseTo(1000 / 1500, 9);
    const mixed = await kpisAfter({
      'incoming/opportunities/a.csv': DEALS_WITHOUT_SOURCE, 'incoming/opportunities/b.csv': DEALS_WITH_SOURCE.replace(/D(\d)/g, 'E$1'),
    });
    expect(mixed.october.get('marketing_sourced_pipeline_pct')?.value).toBeNull();
  });

  it('only the periods the upload\'s records count in', async () => {
    const { october, september } = await kpisAfter({
      'incoming/leads/sept.csv': lines(['Record ID,Create Date,Original Source', 'L0,2026-09-10,Web']),
      'incoming/leads/oct.csv': lines(['Record ID,Create Date,Original Source,MQL Date,SQL Date,SQL Status,Became a Customer Date', 'L1,2026-10-01,Web,2026-10-02,,,']),
    });
    expect(september.get('mqls')).toMatchObject({ value: null, reason: expect.stringContaining('incoming/leads/sept.csv has no mql_at column') });
    expect(september.get('leads')?.value).toBe(1);
    expect(october.get('mqls')?.value).toBe(1);
    expect(october.get('lead_to_mql_rate')?.value).toBe(1);
  });

  it('customers without churn dates or MRR: retention, ARPU and CLV are n/a, not 100%', async () => {
    const { october } = await kpisAfter({ 'incoming/customers/c.csv': lines(['Customer ID,Customer Since', 'C1,2025-01-01', 'C2,2026-10-05']) });
    expect(october.get('customer_retention_rate')).toMatchObject({ value: null, reason: expect.stringContaining('no churned_at column (churn dates)') });
    expect(october.get('arpu')?.value).toBeNull();
    expect(october.get('clv')?.value).toBeNull();
  });
});
