/**
 * The edge cases of the KPI engine, each on its own fixture under test/fixtures/kpis/ run through the real
 * validator and merge: time zones east and west of UTC, a daylight-saving change, an empty period, zero
 * denominators, a churn-free month, a re-upload that replaces records.
 */
import { describe, expect, it } from 'vitest';
import { computeKpisForPeriods, type PeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { RecordTable } from '../../lambdas/domain/records/record-table.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { toStoredKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { loadFixture } from '../fixtures/kpis/load-fixture.ts';

async function compute(name: string, periodIds: readonly string[], overrides: Partial<Settings> = {}): Promise<PeriodKpis[]> {
  const f = await loadFixture(name, overrides);
  return computeKpisForPeriods(f.table, periodIds.map(parsePeriodId), settingsWith(overrides));
}

/** The lead sources counted in a period: the fixtures name each lead's source after the lead. */
const leadsIn = (k: PeriodKpis): string[] => Object.keys(k.metrics.leads?.segments ?? {}).sort();

describe('records on the last local evening of a month', () => {
  // The leads (created_at):
  //   A 2026-10-31T14:30Z   B 2026-10-31T15:30Z   C 2026-11-01T06:30Z   D 2026-10-01T06:30Z   E 2026-09-30T15:30Z
  //   F 2026-10-31 (a date: local everywhere)   G 2026-10-31 23:30 (a local date-time)   H 2026-10-31T23:30-07:00
  it('in UTC', async () => {
    const [oct] = await compute('zones', ['2026-10']);
    expect(leadsIn(oct!)).toEqual(['a', 'b', 'd', 'f', 'g']); // C and H are 1 November, E 30 September
  });

  it('in Asia/Tokyo (UTC+9): 23:30 on 31 October is October, 00:30 on 1 November is not', async () => {
    const [oct, nov] = await compute('zones', ['2026-10', '2026-11'], { timezone: 'Asia/Tokyo' });
    // A = 23:30 JST 31 Oct, D = 15:30 JST 1 Oct, E = 00:30 JST 1 Oct; B = 00:30 JST 1 Nov, C and H = 15:30 JST 1 Nov
    expect(leadsIn(oct!)).toEqual(['a', 'd', 'e', 'f', 'g']);
    expect(leadsIn(nov!)).toEqual(['b', 'c', 'h']);
  });

  it('in America/Los_Angeles (UTC−7): 23:30 on 31 October is October although it is November in UTC', async () => {
    const [sep, oct] = await compute('zones', ['2026-09', '2026-10'], { timezone: 'America/Los_Angeles' });
    // C and H = 23:30 PDT 31 Oct; A, B = morning of 31 Oct; D = 23:30 PDT 30 Sep; E = 08:30 PDT 30 Sep
    expect(leadsIn(oct!)).toEqual(['a', 'b', 'c', 'f', 'g', 'h']);
    expect(leadsIn(sep!)).toEqual(['d', 'e']);
  });
});

describe('a daylight-saving change (Europe/Paris leaves summer time on 25 October 2026, 01:00 UTC)', () => {
  const paris = { timezone: 'Europe/Paris' } as const;

  it('puts month boundaries at local midnight on both sides of the change', async () => {
    const [sep, oct, nov] = await compute('dst', ['2026-09', '2026-10', '2026-11'], paris);
    // P1 22:59:59Z = 23:59:59 CET 31 Oct (+1 after the change); P2 23:00Z = 00:00 CET 1 Nov
    // P3 22:00Z 30 Sep = 00:00 CEST 1 Oct (+2 before it); P4 21:59:59Z = 23:59:59 CEST 30 Sep
    expect(leadsIn(sep!)).toEqual(['p4']);
    expect(leadsIn(oct!)).toEqual(['p1', 'p10', 'p3', 'p5', 'p6', 'p7', 'p8', 'p9']);
    expect(leadsIn(nov!)).toEqual(['p2']);
  });

  it('puts ISO week boundaries at local midnight, with the 25-hour Sunday whole in its week', async () => {
    const [w42, w43, w44] = await compute('dst', ['2026-W42', '2026-W43', '2026-W44'], paris);
    // W43 = Mon 19 – Sun 25 Oct. P7 = 00:00 CEST 19 Oct, P8 = 23:59:59 CEST 18 Oct.
    // P9 = 02:30 CEST and P10 = 02:30 CET on 25 Oct (the hour that happens twice); P5 = 23:59:59 CET 25 Oct;
    // P6 = 00:00 CET 26 Oct.
    expect(leadsIn(w42!)).toEqual(['p8']);
    expect(leadsIn(w43!)).toEqual(['p10', 'p5', 'p7', 'p9']);
    expect(leadsIn(w44!)).toEqual(['p1', 'p2', 'p6']);
  });
});

describe('an empty period', () => {
  it('gives every KPI null with a reason naming the period, and the completeness check lists every dataset', async () => {
    const f = await loadFixture('october');
    const [june] = computeKpisForPeriods(f.table, [parsePeriodId('2024-06')], settingsWith());
    for (const def of METRICS) {
      expect(june!.metrics[def.id]!.value, def.id).toBeNull();
      expect(june!.metrics[def.id]!.reason, def.id).toMatch(/2024-06/);
    }
    expect(june!.metrics.leads!.reason).toBe('no leads export covers 2024-06');
    const { summary, kpis } = toStoredKpis(june!, f, 'as-of');
    expect(summary.missing).toEqual(['leads', 'opportunities', 'spend', 'customers', 'web_traffic']);
    expect(summary.completeness?.leads).toEqual({
      records: 0, requiredBy: expect.arrayContaining(['leads', 'cost_per_lead']),
      latestUpload: { uploadId: '02-hubspot-contacts-corrected.csv', key: 'incoming/leads/02-hubspot-contacts-corrected.csv', uploadedAt: expect.any(String) },
    });
    expect(summary.uploads.leads).toEqual([]);
    expect(kpis.every((k) => k.uploads.length === 0)).toBe(true);
  });

  it('is empty on an empty table too', () => {
    const [p] = computeKpisForPeriods(new RecordTable('UTC'), [parsePeriodId('2026-W43')], settingsWith());
    for (const def of METRICS) expect(p!.metrics[def.id]!.value, def.id).toBeNull();
  });
});

describe('zero denominators', () => {
  it('are null with a reason, keeping numerator and denominator; real zeros stay zero', async () => {
    const [oct] = await compute('zero-denominators', ['2026-10']);
    const m = oct!.metrics;
    // One lead, no MQL or SQL; one open deal of $0; $100 of spend; one customer who started in October, no MRR;
    // one day of traffic with 0 sessions.
    expect(m.leads).toMatchObject({ value: 1 });
    expect(m.mqls).toMatchObject({ value: 0 });
    expect(m.lead_to_mql_rate).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(m.mql_to_sql_rate).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no MQLs in 2026-10' });
    expect(m.sql_acceptance_rate).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no SQLs in 2026-10' });
    expect(m.sql_to_opportunity_rate).toMatchObject({ value: null, numerator: 1, denominator: 0, reason: 'no SQLs in 2026-10' });
    expect(m.win_rate).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no deals closed in 2026-10' });
    expect(m.revenue).toMatchObject({ value: 0 });
    expect(m.avg_deal_size).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no deals won in 2026-10' });
    expect(m.pipeline_created).toMatchObject({ value: 0 });
    expect(m.marketing_sourced_pipeline_pct).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no pipeline was created in 2026-10' });
    expect(m.marketing_sourced_revenue_pct).toMatchObject({ value: null, reason: 'no revenue was won in 2026-10' });
    // 1 new customer (C1), from the customers dataset: these have denominators
    expect(m.lead_to_customer_rate).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(m.cost_per_lead).toMatchObject({ value: 100, numerator: 100, denominator: 1, segments: { web: { value: 100, numerator: 100, denominator: 1 } } });
    expect(m.cac).toMatchObject({ value: 100, numerator: 100, denominator: 1 });
    expect(m.customer_retention_rate).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no customers were active at the start of 2026-10' });
    expect(m.arpu).toMatchObject({ value: null, reason: 'no active customer has an MRR at the end of 2026-10' });
    expect(m.clv).toMatchObject({ value: null });
    expect(m.ltv_to_cac).toMatchObject({ value: null, reason: 'no active customer has an MRR at the end of 2026-10' });
    expect(m.sales_cycle_days).toMatchObject({ value: null, numerator: 0, denominator: 0, reason: 'no lead became a customer in 2026-10' });
    expect(m.sessions).toMatchObject({ value: 0 });
    expect(m.bounce_rate).toMatchObject({ value: null, denominator: 0 });
    expect(m.visitor_to_lead_rate).toMatchObject({ value: null, numerator: 1, denominator: 0, reason: 'no sessions were recorded in 2026-10' });
    for (const def of METRICS) {
      const v = m[def.id]!;
      if (v.value === null) expect(v.reason, def.id).toMatch(/\S/);
      else expect(Number.isFinite(v.value), def.id).toBe(true);
    }
  });
});

describe('a churn-free month', () => {
  it('caps the CLV lifespan and says so; LTV : CAC rests on it', async () => {
    const [oct] = await compute('churn-free', ['2026-10']);
    const m = oct!.metrics;
    // C1–C4 active all month, C5 new on 15 October, nobody churned: ARPU $100 × the 60-month cap = $6,000
    expect(m.customer_retention_rate).toMatchObject({ value: 1, numerator: 4, denominator: 4 });
    expect(m.arpu).toMatchObject({ value: 100, numerator: 500, denominator: 5 });
    expect(m.clv).toMatchObject({
      value: 6_000, note: 'no customer churned in 2026-10, so lifespan is capped at 60 months',
      detail: { arpu: 100, monthly_churn: 0, lifespan_months: 60, gross_margin: 1 },
    });
    // ($700 + $500) / 1 new customer = $1,200; $6,000 / $1,200 = 5
    expect(m.cac).toMatchObject({ value: 1_200, numerator: 1_200, denominator: 1 });
    expect(m.ltv_to_cac).toMatchObject({ value: 5, numerator: 6_000, denominator: 1_200 });
    // No leads export: the lead KPIs say so, and new customers still come from the customers dataset.
    expect(m.leads).toMatchObject({ value: null, reason: 'no leads export covers 2026-10' });
    const [capped36] = await compute('churn-free', ['2026-10'], { clvLifespanCapMonths: 36, grossMargin: 0.5 });
    expect(capped36!.metrics.clv).toMatchObject({ value: 1_800, note: expect.stringContaining('36 months') }); // 100 × 36 × 0.5
  });
});

describe('a re-upload that replaces records', () => {
  // First export: R1–R4 created 1–4 October, source Web. Corrected export: R2 created 28 September, R3's source
  // is Ads, R5 created 5 October from Ads.
  it('counts the later upload\'s version of each record, and names the uploads that fall in each period', async () => {
    const f = await loadFixture('re-upload');
    const [sep, oct] = computeKpisForPeriods(f.table, [parsePeriodId('2026-09'), parsePeriodId('2026-10')], settingsWith());
    expect(oct!.metrics.leads).toEqual({ value: 4, segments: { ads: { value: 2 }, web: { value: 2 } } }); // R1, R4 web; R3, R5 ads
    expect(sep!.metrics.leads).toEqual({ value: 1, segments: { web: { value: 1 } } }); // R2
    expect(oct!.datasets.leads.uploads).toEqual(['01-first-export.csv', '02-corrected-export.csv']);
    // The first export's September? None: its R2 was replaced. Only the corrected export has a September lead.
    expect(sep!.datasets.leads.uploads).toEqual(['02-corrected-export.csv']);
    expect(toStoredKpis(sep!, f, 'as-of').kpis.find((k) => k.id === 'leads')!.uploads).toEqual(['02-corrected-export.csv']);
  });

  it('gives the same KPIs when an upload is delivered twice, and the later upload wins when the order changes', async () => {
    const f = await loadFixture('re-upload');
    const [first, corrected] = f.recordsByFile;
    const apply = (order: typeof f.recordsByFile): PeriodKpis => {
      const t = new RecordTable('UTC');
      for (const u of order) for (const r of u.records) t.add('leads', u.file, r as never);
      return computeKpisForPeriods(t, [parsePeriodId('2026-10')], settingsWith())[0]!;
    };
    const once = apply([first!, corrected!]);
    expect(apply([first!, corrected!, corrected!])).toEqual(once);
    expect(apply([first!, first!, corrected!])).toEqual(once);
    // Applied the other way round, the first export's versions win: R2 is an October lead again, all from Web.
    expect(apply([corrected!, first!]).metrics.leads).toEqual({ value: 5, segments: { ads: { value: 1 }, web: { value: 4 } } });
  });
});
