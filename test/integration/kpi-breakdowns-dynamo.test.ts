/**
 * Breakdowns in DynamoDB (dynalite, which enforces the 400 KB item limit as DynamoDB does): items of their own per
 * KPI and dimension in the period's partition, split in parts when large, read back onto their KPI by the period's
 * Query. A company with 300 campaigns, and one with 3,000 long campaign names, round-trip exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREAKDOWN_PART_BYTES, DynamoKpiStore, breakdownItems } from '../../lambdas/adapters/dynamo-kpi-store.ts';
import type { BreakdownValue } from '../../lambdas/domain/metrics/dimensions.ts';
import type { PeriodSummary, StoredKpi } from '../../lambdas/ports/index.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SUMMARY = (periodId: string): PeriodSummary => ({
  periodId, periodType: 'month', timezone: 'UTC', currency: 'USD',
  coverage: { leads: true, opportunities: true, spend: true, customers: false, web_traffic: false },
  uploads: { leads: [], opportunities: [], spend: [], customers: [], web_traffic: [] }, rejected: [], computedAt: '2026-11-01T06:00:00.000Z',
});

/** A period's cost per lead, revenue and leads broken down by `n` campaigns named `width` characters long. */
function kpisWithCampaigns(periodId: string, n: number, width: number): StoredKpi[] {
  const names = Array.from({ length: n }, (_, i) => `Campaign ${String(i).padStart(4, '0')} – Süd ${'x'.repeat(width)}`.slice(0, width));
  const by = (f: (i: number) => BreakdownValue): Record<string, BreakdownValue> => Object.fromEntries(names.map((c, i) => [c.toLowerCase(), f(i)]));
  const labels = { campaign: Object.fromEntries(names.map((c) => [c.toLowerCase(), c])) };
  const base = { periodId, periodType: 'month' as const, uploads: ['u1', 'u2'], computedAt: '2026-11-01T06:00:00.000Z' };
  return [
    { ...base, id: 'cost_per_lead', value: 52.5, numerator: 123456.78, denominator: 2352, breakdowns: { campaign: by((i) => ({ value: 10 + i / 7, numerator: 1234.56 + i, denominator: 17 + i })) }, breakdownLabels: labels },
    { ...base, id: 'revenue', value: 987654.32, breakdowns: { campaign: by((i) => ({ value: 1000 + i })), owner: { 'zoë schäfer': { value: 12 } } }, breakdownLabels: { ...labels, owner: { 'zoë schäfer': 'Zoë Schäfer' } } },
    { ...base, id: 'leads', value: 2352, breakdowns: { campaign: by((i) => ({ value: i })) } },
    { ...base, id: 'sessions', value: 44671 },
  ];
}

describe('KPI breakdowns in DynamoDB', () => {
  it('300 campaigns: one item per KPI and dimension, under the item limit, read back onto each KPI', async () => {
    const kpis = kpisWithCampaigns('2026-10', 300, 60);
    const items = DynamoKpiStore.items(SUMMARY('2026-10'), kpis);
    expect(items.map((i) => i.sk).sort()).toEqual([
      '#PERIOD', 'cost_per_lead', 'cost_per_lead#BY#campaign#000', 'leads', 'leads#BY#campaign#000', 'revenue', 'revenue#BY#campaign#000',
      'revenue#BY#owner#000', 'sessions',
    ]);
    // The KPI items carry no breakdowns (their history index stays small); the breakdown items no index keys.
    expect(items.find((i) => i.sk === 'revenue')).not.toHaveProperty('breakdowns');
    expect(items.find((i) => i.sk === 'revenue#BY#campaign#000')).not.toHaveProperty('gsi1pk');
    await stack.table.kpis.putPeriod(SUMMARY('2026-10'), kpis);
    const back = await stack.table.kpis.getPeriod('2026-10');
    expect(new Map(back.kpis.map((k) => [k.id, k]))).toEqual(new Map(kpis.map((k) => [k.id, k])));
    const history = await stack.table.kpis.getHistory('revenue', 'month', '2026-10', '2026-10');
    expect(history).toHaveLength(1);
    expect(history[0]).not.toHaveProperty('breakdowns');
  });

  it('3,000 long campaign names: split in parts DynamoDB takes, in order; a recompute with fewer removes the stale parts', async () => {
    const kpis = kpisWithCampaigns('2026-09', 3000, 120);
    // In one item, one KPI's campaigns alone would pass DynamoDB's 400 KB.
    expect(Buffer.byteLength(JSON.stringify(kpis[0]))).toBeGreaterThan(400 * 1024);
    const parts = breakdownItems(kpis[0]!);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(BREAKDOWN_PART_BYTES + 1024);
    await stack.table.kpis.putPeriod(SUMMARY('2026-09'), kpis);
    const back = await stack.table.kpis.getPeriod('2026-09');
    const cpl = back.kpis.find((k) => k.id === 'cost_per_lead')!;
    expect(cpl).toEqual(kpis[0]);
    expect(Object.keys(cpl.breakdowns!.campaign!)).toEqual(Object.keys(kpis[0]!.breakdowns!.campaign!)); // order kept

    const fewer = kpisWithCampaigns('2026-09', 10, 20);
    await stack.table.kpis.putPeriod(SUMMARY('2026-09'), fewer);
    const again = await stack.table.kpis.getPeriod('2026-09');
    expect(new Map(again.kpis.map((k) => [k.id, k]))).toEqual(new Map(fewer.map((k) => [k.id, k])));
  });
});
