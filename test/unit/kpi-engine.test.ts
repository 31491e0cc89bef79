/**
 * The KPI engine's own mechanics: the compact record table (merge by key, upload lineage, segment names), one pass
 * over many periods, monthly spend in weekly periods, retention when new customers churn.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerRecord, LeadRecord, SpendRecord } from '../../lambdas/domain/datasets/records.ts';
import { computeKpisForPeriods, computePeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import type { RecordSets } from '../../lambdas/domain/metrics/measures.ts';
import { parsePeriodId, periodRange } from '../../lambdas/domain/periods/period.ts';
import { RecordTable, segmentKey } from '../../lambdas/domain/records/record-table.ts';
import { settingsWith } from '../helpers/export-builders.ts';

const lead = (id: string, created_at: string, more: Partial<LeadRecord> = {}): LeadRecord =>
  ({ lead_id: id, created_at, source: 'Web', marketing_sourced: true, ...more });
const spend = (date: string, amount_minor: number, more: Partial<SpendRecord> = {}): SpendRecord =>
  ({ date, amount_minor, channel: 'Web', campaign: '', category: 'marketing', ...more });
const customer = (id: string, started_at: string, more: Partial<CustomerRecord> = {}): CustomerRecord =>
  ({ customer_id: id, started_at, ...more });
const sets = (p: Partial<RecordSets>): RecordSets => ({ leads: [], opportunities: [], spend: [], customers: [], web_traffic: [], ...p });

describe('RecordTable', () => {
  it('merges by the dataset key: a later upload replaces the record, and lineage follows the live rows', () => {
    const t = new RecordTable('UTC');
    t.add('leads', 'u1', lead('L1', '2026-10-01'));
    t.add('leads', 'u1', lead('L2', '2026-10-02'));
    t.add('leads', 'u2', lead('L1', '2026-09-01', { source: 'Ads' }));
    expect(t.size('leads')).toBe(2);
    expect(t.contributingUploads('leads')).toEqual(['u1', 'u2']);
    t.add('leads', 'u3', lead('L2', '2026-10-02'));
    expect(t.contributingUploads('leads')).toEqual(['u2', 'u3']);
    const [sep, oct] = computeKpisForPeriods(t, [parsePeriodId('2026-09'), parsePeriodId('2026-10')], settingsWith());
    expect(sep!.metrics.leads).toEqual({ value: 1, segments: { ads: { value: 1 } } });
    expect(oct!.datasets.leads.uploads).toEqual(['u3']);
  });

  it('grows past its initial capacity', () => {
    const t = new RecordTable('UTC');
    for (let i = 0; i < 5000; i++) t.add('leads', `u${i % 3}`, lead(`L${i}`, '2026-10-01'));
    expect(t.size('leads')).toBe(5000);
    expect(computeKpisForPeriods(t, [parsePeriodId('2026-10')], settingsWith())[0]!.metrics.leads!.value).toBe(5000);
  });

  it('names segments in lower case, with spaces and underscores made one space; blank is unknown', () => {
    expect(segmentKey(' Paid  Search ')).toBe('paid search');
    expect(segmentKey('paid_search')).toBe('paid search');
    expect(segmentKey('E-mail')).toBe('e-mail');
    expect(segmentKey('')).toBe('unknown');
    expect(segmentKey(undefined)).toBe('unknown');
  });
});

describe('one pass over many periods', () => {
  it('gives each period what computing it alone gives', () => {
    const records = sets({
      leads: [lead('A', '2026-09-30T23:30:00Z', { mql_at: '2026-10-02', sql_at: '2026-10-20' }), lead('B', '2026-10-15'), lead('C', '2026-12-01')],
      spend: [spend('2026-10', 31_000), spend('2026-11-03', 500)],
      customers: [customer('C1', '2025-01-01', { mrr_minor: 100, churned_at: '2026-11-10' }), customer('C2', '2026-10-10', { mrr_minor: 300 })],
    });
    const s = settingsWith({ timezone: 'Europe/Paris' });
    const periods = [
      ...periodRange(parsePeriodId('2026-08'), parsePeriodId('2026-12')),
      ...periodRange(parsePeriodId('2026-W39'), parsePeriodId('2026-W49')),
      parsePeriodId('2026-Q4'), parsePeriodId('2026-10'), // a duplicate of one already listed
    ];
    expect(computeKpisForPeriods(new RecordTable('Europe/Paris'), [], s)).toEqual([]);
    const table = new RecordTable('Europe/Paris');
    for (const d of ['leads', 'spend', 'customers'] as const) for (const r of records[d]) table.append(d, '', r as never);
    const all = computeKpisForPeriods(table, periods, s);
    expect(all.map((k) => k.period.id)).toEqual(periods.map((p) => p.id));
    all.forEach((k, i) => expect(k, periods[i]!.id).toEqual(computePeriodKpis(records, periods[i]!, s)));
  });

  it('refuses a table read in another time zone', () => {
    expect(() => computeKpisForPeriods(new RecordTable('UTC'), [parsePeriodId('2026-10')], settingsWith({ timezone: 'Asia/Tokyo' }))).toThrow(/UTC/);
  });
});

describe('monthly spend rows', () => {
  it('count whole in their month and quarter', () => {
    const r = sets({ spend: [spend('2026-10', 31_000)], leads: [lead('L', '2026-10-05')] });
    expect(computePeriodKpis(r, parsePeriodId('2026-10'), settingsWith()).metrics.cost_per_lead).toMatchObject({ value: 310, numerator: 310 });
    expect(computePeriodKpis(r, parsePeriodId('2026-Q4'), settingsWith()).metrics.cost_per_lead).toMatchObject({ numerator: 310 });
  });

  it('are spread over the days of the month in weekly periods, in whole cents that add up to the month', () => {
    // $310.01 over October's 31 days: 1,000 cents a day, and the first day one cent more.
    const r = sets({ spend: [spend('2026-10', 31_001)], leads: ['01', '06', '13', '20', '27'].map((d) => lead(d, `2026-10-${d}`)) });
    const weeks = periodRange(parsePeriodId('2026-W40'), parsePeriodId('2026-W44')); // 28 Sep – 1 Nov
    const table = new RecordTable('UTC');
    for (const s of r.spend) table.append('spend', 'u', s);
    for (const l of r.leads) table.append('leads', 'u', l);
    const byWeek = computeKpisForPeriods(table, weeks, settingsWith()).map((k) => k.metrics.cost_per_lead!.numerator);
    // W40 holds 1–4 Oct (4 days, with the extra cent), W41–W43 7 days each, W44 26–31 Oct (6 days).
    expect(byWeek).toEqual([40.01, 70, 70, 70, 60]);
    expect(Math.round(byWeek.reduce((a, b) => a! + b!, 0)! * 100)).toBe(31_001);
  });
});

describe('customer retention', () => {
  it('stays in [0, 1] when new customers churn in the period (where (E − N) / S would go negative)', () => {
    // One customer at the start, still there at the end; five new ones who all left within October.
    const customers = [
      customer('OLD', '2025-01-01', { mrr_minor: 10_000 }),
      ...Array.from({ length: 5 }, (_, i) => customer(`N${i}`, '2026-10-02', { churned_at: '2026-10-20', mrr_minor: 10_000 })),
    ];
    const m = computePeriodKpis(sets({ customers }), parsePeriodId('2026-10'), settingsWith()).metrics;
    // Seed formula: E = 1, N = 5, S = 1 → (1 − 5) / 1 = −400%. Counted on the starting cohort: 1 of 1 stayed.
    expect(m.customer_retention_rate).toEqual({ value: 1, numerator: 1, denominator: 1 });
    // Churn is measured on the same cohort: nobody of it left, so the lifespan is capped, not 1 / (5 / 1).
    expect(m.clv).toMatchObject({ value: 6000, note: expect.stringContaining('capped') });
  });
});
