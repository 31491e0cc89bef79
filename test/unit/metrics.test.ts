// The metric registry, the worked examples and formulas of metrics.md, null values with a reason, local dates.
import { describe, expect, it } from 'vitest';
import type {
  CustomerRecord, LeadRecord, OpportunityRecord, SpendRecord, WebTrafficRecord,
} from '../../lambdas/domain/datasets/records.ts';
import { METRICS, METRIC_BY_ID, benchmarkFor } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { CATALOG, kpi, kpis, sets } from '../helpers/metric-builders.ts';

// ---- record factories: the smallest valid record, with what a test cares about on top ----

const lead = (id: string, created_at: string, more: Partial<LeadRecord> = {}): LeadRecord =>
  ({ lead_id: id, created_at, source: 'web', marketing_sourced: true, ...more });
const opp = (id: string, created_at: string, more: Partial<OpportunityRecord> = {}): OpportunityRecord =>
  ({ opportunity_id: id, created_at, status: 'open', amount_minor: 0, marketing_sourced: true, ...more });
const spend = (date: string, amount_minor: number, more: Partial<SpendRecord> = {}): SpendRecord =>
  ({ date, amount_minor, channel: 'unspecified', campaign: '', category: 'marketing', ...more });
const customer = (id: string, started_at: string, more: Partial<CustomerRecord> = {}): CustomerRecord =>
  ({ customer_id: id, started_at, ...more });
const traffic = (date: string, sessions: number, more: Partial<WebTrafficRecord> = {}): WebTrafficRecord =>
  ({ date, channel: 'all', sessions, ...more });

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** A day of October 2026, 1–31. */
const oct = (day: number): string => `2026-10-${String(day).padStart(2, '0')}`;

describe('the metric registry', () => {
  it('has every KPI of metrics.md, with its unit and direction, and nothing else', () => {
    expect(METRICS.map((m) => m.id).sort()).toEqual(CATALOG.map(([id]) => id).sort());
    for (const [id, unit, better] of CATALOG) {
      expect(METRIC_BY_ID.get(id), id).toMatchObject({ id, unit, better });
    }
  });

  it('segments the KPIs metrics.md computes per source or channel', () => {
    expect(METRIC_BY_ID.get('mql_to_sql_rate')?.segmentBy).toBe('source');
    expect(METRIC_BY_ID.get('revenue')?.segmentBy).toBe('source');
    expect(METRIC_BY_ID.get('cost_per_lead')?.segmentBy).toBe('channel');
  });

  it('gives the benchmarks of metrics.md, the lead-to-customer band by business model, and leadership targets first', () => {
    const s = settingsWith();
    const def = (id: string) => METRIC_BY_ID.get(id)!;
    expect(benchmarkFor(def('sql_acceptance_rate'), s)).toMatchObject({ kind: 'min', min: 0.8 });
    expect(benchmarkFor(def('sqls'), s)).toMatchObject({ kind: 'growth', min: 0.05, max: 0.1 });
    expect(benchmarkFor(def('lead_to_customer_rate'), s)).toMatchObject({ kind: 'range', min: 0.05, max: 0.1 });
    expect(benchmarkFor(def('lead_to_customer_rate'), settingsWith({ businessModel: 'saas' }))).toMatchObject({ kind: 'range', min: 0.02, max: 0.05 });
    expect(benchmarkFor(def('lead_to_customer_rate'), settingsWith({ businessModel: 'ecommerce' }))).toMatchObject({ kind: 'min', min: 0.2 });
    expect(benchmarkFor(def('ltv_to_cac'), s)).toMatchObject({ kind: 'range', min: 3, max: 5 });
    expect(benchmarkFor(def('sql_acceptance_rate'), settingsWith({ targets: { sql_acceptance_rate: 0.9 } }))).toMatchObject({ kind: 'min', min: 0.9 });
    expect(benchmarkFor(def('cac'), settingsWith({ targets: { cac: 500 } }))).toMatchObject({ kind: 'max', max: 500 });
  });
});

describe('worked examples of metrics.md', () => {
  it('100 SQLs, 75 accepted → sql_acceptance_rate 75%', () => {
    const leads = times(100, (i) => lead(`L${i}`, '2026-09-20', { mql_at: '2026-09-25', sql_at: oct(1 + (i % 28)), sql_status: i < 75 ? 'accepted' : 'rejected' }));
    const m = kpis(sets({ leads }));
    expect(kpi(m, 'sqls').value).toBe(100);
    expect(kpi(m, 'sql_acceptance_rate')).toMatchObject({ value: 0.75, numerator: 75, denominator: 100 });
  });

  it('webinar: 200 MQLs, 50 SQLs → mql_to_sql_rate for webinar 25%', () => {
    const webinar = times(200, (i) => lead(`W${i}`, oct(1), { source: 'Webinar', mql_at: oct(2), ...(i < 50 ? { sql_at: oct(10) } : {}) }));
    const search = times(100, (i) => lead(`S${i}`, oct(1), { source: 'Paid Search', mql_at: oct(2), ...(i < 40 ? { sql_at: oct(10) } : {}) }));
    const m = kpis(sets({ leads: [...webinar, ...search] }));
    const rate = kpi(m, 'mql_to_sql_rate');
    expect(rate.segments?.webinar).toEqual({ value: 0.25, numerator: 50, denominator: 200 });
    expect(rate.segments?.['paid search']).toEqual({ value: 0.4, numerator: 40, denominator: 100 });
    expect(rate).toMatchObject({ value: 0.3, numerator: 90, denominator: 300 });
  });

  it('1,000 leads, 50 new customers → lead_to_customer_rate 5%', () => {
    const leads = times(1000, (i) => lead(`L${i}`, oct(1 + (i % 31))));
    const customers = times(50, (i) => customer(`C${i}`, oct(1 + (i % 31))));
    const m = kpis(sets({ leads, customers: [...customers, customer('OLD', '2025-01-01')] }));
    expect(kpi(m, 'leads').value).toBe(1000);
    expect(kpi(m, 'lead_to_customer_rate')).toMatchObject({ value: 0.05, numerator: 50, denominator: 1000 });
  });

  it('50 deals won worth $250,000 → avg_deal_size $5,000', () => {
    // Not all the same size: 25 × $4,000 + 25 × $6,000.
    const won = times(50, (i) => opp(`D${i}`, '2026-08-01', { status: 'won', closed_at: oct(1 + (i % 31)), amount_minor: i % 2 ? 400_000 : 600_000 }));
    const lost = times(10, (i) => opp(`X${i}`, '2026-08-01', { status: 'lost', closed_at: oct(15), amount_minor: 999_999 }));
    const m = kpis(sets({ opportunities: [...won, ...lost] }));
    expect(kpi(m, 'revenue').value).toBe(250_000);
    expect(kpi(m, 'avg_deal_size')).toMatchObject({ value: 5000, numerator: 250_000, denominator: 50 });
    expect(kpi(m, 'win_rate')).toMatchObject({ numerator: 50, denominator: 60 });
  });

  it('ARPU $100 a month, customers stay 24 months → clv $2,400', () => {
    // 240 customers at the start of October, 10 churn in it: monthly churn 1/24, so a customer stays 24 months.
    const customers = times(240, (i) => customer(`C${i}`, '2025-06-01', { mrr_minor: 10_000, ...(i < 10 ? { churned_at: oct(10 + i) } : {}) }));
    const m = kpis(sets({ customers }));
    expect(kpi(m, 'arpu')).toMatchObject({ value: 100, numerator: 23_000, denominator: 230 });
    expect(kpi(m, 'clv').value).toBe(2400);
    expect(kpi(m, 'clv').note).toBeUndefined();
  });
});

describe('null with a reason, never 0, NaN or Infinity', () => {
  it('every KPI is null with a reason when no export covers the period', () => {
    const m = kpis(sets({ leads: [lead('L1', '2026-09-01')], spend: [spend('2026-11-01', 100)] }));
    for (const [id] of CATALOG) {
      expect(kpi(m, id).value, id).toBeNull();
      expect(kpi(m, id).reason, id).toMatch(/\S/);
    }
    expect(kpi(m, 'leads').reason).toContain('2026-10');
    expect(kpi(m, 'cost_per_lead').reason).toContain('spend');
  });

  it('a ratio with a zero denominator is null with a reason and keeps its numerator and denominator', () => {
    const m = kpis(sets({
      leads: [lead('L1', oct(3))], // no MQLs, no SQLs, no customers
      opportunities: [opp('O1', oct(4), { amount_minor: 0 })], // nothing closed, pipeline 0
      spend: [spend(oct(5), 10_000)],
      web_traffic: [traffic(oct(5), 0)],
    }));
    for (const id of ['mql_to_sql_rate', 'sql_acceptance_rate', 'sql_to_opportunity_rate', 'win_rate', 'avg_deal_size', 'marketing_sourced_pipeline_pct', 'marketing_sourced_revenue_pct', 'cac', 'visitor_to_lead_rate', 'sales_cycle_days', 'bounce_rate']) {
      expect(kpi(m, id).value, id).toBeNull();
      expect(kpi(m, id).reason, id).toMatch(/\S/);
    }
    expect(kpi(m, 'mql_to_sql_rate')).toMatchObject({ numerator: 0, denominator: 0 });
    expect(kpi(m, 'cac')).toMatchObject({ numerator: 100, denominator: 0 });
    expect(kpi(m, 'sql_to_opportunity_rate')).toMatchObject({ numerator: 1, denominator: 0 });
    // Counts that are really zero stay zero.
    expect(kpi(m, 'mqls').value).toBe(0);
    expect(kpi(m, 'lead_to_mql_rate')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(kpi(m, 'revenue').value).toBe(0);
  });

  it('ARPU, CLV and retention are null with a reason when no customer was active', () => {
    const m = kpis(sets({ customers: [customer('C1', '2026-11-15', { mrr_minor: 5000 })] }));
    for (const id of ['arpu', 'clv', 'customer_retention_rate', 'ltv_to_cac']) {
      expect(kpi(m, id).value, id).toBeNull();
      expect(kpi(m, id).reason, id).toMatch(/\S/);
    }
  });
});

describe('formulas', () => {
  it('new customers come from the customers dataset when it has records, else from leads', () => {
    const leads = [...times(20, (i) => lead(`L${i}`, '2026-09-01', { customer_at: oct(5) })), ...times(80, (i) => lead(`N${i}`, oct(2)))];
    const fromLeads = kpis(sets({ leads, spend: [spend(oct(1), 1_000_000)] }));
    expect(kpi(fromLeads, 'lead_to_customer_rate')).toMatchObject({ numerator: 20, denominator: 80, value: 0.25 });
    expect(kpi(fromLeads, 'cac')).toMatchObject({ value: 500, numerator: 10_000, denominator: 20 });
    // A customers dataset with any record wins, even when none of its customers started in the period.
    const fromCustomers = kpis(sets({ leads, customers: [customer('C1', oct(9)), customer('C2', '2024-01-01')], spend: [spend(oct(1), 1_000_000)] }));
    expect(kpi(fromCustomers, 'lead_to_customer_rate')).toMatchObject({ numerator: 1, denominator: 80 });
    expect(kpi(fromCustomers, 'cac')).toMatchObject({ value: 10_000, denominator: 1 });
  });

  it('caps the lifespan when nobody churned, and says so', () => {
    const customers = times(10, (i) => customer(`C${i}`, '2025-01-01', { mrr_minor: 10_000 }));
    const capped = kpi(kpis(sets({ customers })), 'clv');
    expect(capped.value).toBe(6000);
    expect(capped.note).toContain('60');
    expect(kpi(kpis(sets({ customers }), settingsWith({ clvLifespanCapMonths: 36 })), 'clv').value).toBe(3600);
    expect(kpi(kpis(sets({ customers }), settingsWith({ grossMargin: 0.8 })), 'clv').value).toBeCloseTo(4800, 9);
  });

  it('scales quarterly churn to a month for CLV', () => {
    // 300 customers at the start of Q4, 30 churn in it: 10% a quarter, so 1/30 a month: 30 months of $100.
    const customers = times(300, (i) => customer(`C${i}`, '2025-01-01', { mrr_minor: 10_000, ...(i < 30 ? { churned_at: '2026-11-15' } : {}) }));
    const m = kpis(sets({ customers }), settingsWith(), parsePeriodId('2026-Q4'));
    expect(kpi(m, 'clv').value).toBeCloseTo(3000, 6);
  });

  it('retention: customers at the start still active at the end (seed 000 (E − N) / S when no new customer churns)', () => {
    const customers = [
      ...times(100, (i) => customer(`S${i}`, '2025-01-01', i < 5 ? { churned_at: oct(20) } : {})), // 100 at the start, 5 leave
      ...times(10, (i) => customer(`N${i}`, oct(1 + i))), // 10 new
      customer('GONE', '2025-01-01', { churned_at: '2026-09-30' }),
    ];
    expect(kpi(kpis(sets({ customers })), 'customer_retention_rate')).toMatchObject({ value: 0.95, numerator: 95, denominator: 100 });
  });

  it('cost per lead overall and per channel where spend channels match lead sources', () => {
    const m = kpis(sets({
      leads: [...times(10, (i) => lead(`A${i}`, oct(3), { source: 'Paid Search' })), ...times(10, (i) => lead(`B${i}`, oct(3), { source: 'Organic' }))],
      spend: [spend(oct(1), 50_000, { channel: 'paid search' }), spend(oct(2), 30_000, { channel: 'Display' }), spend(oct(2), 99_999, { category: 'sales' })],
    }));
    const cpl = kpi(m, 'cost_per_lead');
    expect(cpl).toMatchObject({ value: 40, numerator: 800, denominator: 20 });
    expect(cpl.segments).toEqual({ 'paid search': { value: 50, numerator: 500, denominator: 10 } });
  });

  it('pipeline, marketing-sourced shares, SQL to opportunity, sales cycle, sessions, bounce and visitor-to-lead', () => {
    const m = kpis(sets({
      leads: [
        lead('L1', '2026-09-21', { mql_at: '2026-09-25', sql_at: oct(2), customer_at: oct(11) }), // 20 days
        lead('L2', oct(1), { mql_at: oct(2), sql_at: oct(3), customer_at: oct(31) }), // 30 days
        lead('L3', '2026-10-31T23:00:00'),
      ],
      opportunities: [
        opp('O1', oct(2), { amount_minor: 300_000, marketing_sourced: true, status: 'won', closed_at: oct(20), source: 'Webinar' }),
        opp('O2', oct(3), { amount_minor: 100_000, marketing_sourced: false, status: 'won', closed_at: oct(21), source: 'Outbound' }),
        opp('O3', oct(4), { amount_minor: 600_000, marketing_sourced: false }),
      ],
      web_traffic: [traffic(oct(1), 100, { bounce_rate: 0.5 }), traffic(oct(2), 300, { bounce_rate: 0.1 }), traffic(oct(3), 200)],
    }));
    expect(kpi(m, 'pipeline_created').value).toBe(10_000);
    expect(kpi(m, 'marketing_sourced_pipeline_pct')).toMatchObject({ value: 0.3, numerator: 3000, denominator: 10_000 });
    expect(kpi(m, 'marketing_sourced_revenue_pct')).toMatchObject({ value: 0.75, numerator: 3000, denominator: 4000 });
    expect(kpi(m, 'revenue').segments).toEqual({ outbound: { value: 1000 }, webinar: { value: 3000 } });
    expect(kpi(m, 'sql_to_opportunity_rate')).toMatchObject({ value: 1.5, numerator: 3, denominator: 2 });
    expect(kpi(m, 'sales_cycle_days')).toMatchObject({ value: 25, numerator: 50, denominator: 2 });
    expect(kpi(m, 'sessions').value).toBe(600);
    expect(kpi(m, 'bounce_rate').value).toBeCloseTo(0.2, 12);
    expect(kpi(m, 'visitor_to_lead_rate')).toMatchObject({ numerator: 2, denominator: 600 });
  });

  it('ltv_to_cac divides CLV by CAC', () => {
    const customers = [
      ...times(240, (i) => customer(`C${i}`, '2025-06-01', { mrr_minor: 10_000, ...(i < 10 ? { churned_at: oct(10) } : {}) })),
      ...times(4, (i) => customer(`N${i}`, oct(5), { mrr_minor: 10_000 })),
    ];
    const m = kpis(sets({ customers, spend: [spend(oct(1), 320_000)] }));
    expect(kpi(m, 'cac').value).toBe(800);
    expect(kpi(m, 'ltv_to_cac').value).toBeCloseTo(3, 9);
  });
});

describe('records fall in the period of their local date', () => {
  it('Asia/Tokyo: the last evening of October is October, the first minutes of November are not', () => {
    const leads = [
      lead('evening', '2026-10-31T14:30:00Z'), // 23:30 JST on 31 October
      lead('after', '2026-10-31T15:30:00Z'), // 00:30 JST on 1 November
      lead('before', '2026-09-30T15:30:00Z'), // 00:30 JST on 1 October
    ];
    const tokyo = settingsWith({ timezone: 'Asia/Tokyo' });
    expect(kpi(kpis(sets({ leads }), tokyo), 'leads').value).toBe(2);
    expect(kpi(kpis(sets({ leads }), tokyo, parsePeriodId('2026-11')), 'leads').value).toBe(1);
    expect(kpi(kpis(sets({ leads })), 'leads').value).toBe(2); // in UTC: evening and after
  });

  it('America/Los_Angeles: the last evening of October is October although it is November in UTC', () => {
    const leads = [
      lead('evening', '2026-11-01T06:30:00Z'), // 23:30 PDT on 31 October
      lead('early', '2026-10-01T06:30:00Z'), // 23:30 PDT on 30 September
      lead('local', '2026-10-31T23:30:00'), // a local date-time is already in the zone
    ];
    const la = settingsWith({ timezone: 'America/Los_Angeles' });
    expect(kpi(kpis(sets({ leads }), la), 'leads').value).toBe(2);
    expect(kpi(kpis(sets({ leads })), 'leads').value).toBe(2); // in UTC: early and local
  });
});
