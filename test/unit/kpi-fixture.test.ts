/**
 * Every KPI of metrics.md on a small multi-dataset fixture (test/fixtures/kpis/october), run through the real
 * validator, the merge and the engine, against numbers computed by hand. The arithmetic is in the comments.
 *
 * The fixture, October 2026, UTC:
 * - leads: 14 contacts in a first export and 2 corrected in a second (L07 gains an MQL date on 8 October;
 *   L10's source becomes Referral). Created in October: L01–L10. L11 (created 20 August) and L12 (5 September)
 *   became customers on 15 and 20 October; L13 (28 September) became an MQL on 1 October; L14 (Events) is a
 *   September lead.
 * - opportunities: O1–O3 created in October (O1 won on 20 October), O4 and O5 created in September and won in
 *   October, O6 lost in October, O7 won in September.
 * - spend: October marketing spend on Webinar, Paid Search, Display and Events, SDR salaries as sales spend, one
 *   September row, and a "Total" summary row the validator skips.
 * - customers: a base export on 1 October (C1–C5) and one on 1 November (C4 churned on 12 October; C6, C7, C9
 *   started in October, C7 churned again on 25 October).
 * - web traffic: GA4 rows with engaged sessions (bounce rate = 1 − engaged / sessions), one of them in September.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { computeKpisForPeriods, type PeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import { METRICS, type MetricValue } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { toStoredKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { loadFixture, type LoadedFixture } from '../fixtures/kpis/load-fixture.ts';

let fixture: LoadedFixture;
let october: PeriodKpis;
/** A KPI's value without its breakdowns (test/unit/kpi-breakdowns.test.ts checks those). */
const kpi = (id: string): MetricValue => {
  const v = october.metrics[id];
  if (!v) throw new Error(`no KPI ${id}`);
  const { breakdowns: _b, breakdownLabels: _l, ...value } = v;
  return value;
};

beforeAll(async () => {
  fixture = await loadFixture('october');
  october = computeKpisForPeriods(fixture.table, [parsePeriodId('2026-10')], settingsWith())[0]!;
});

describe('the October fixture, by hand', () => {
  it('reads every file through the validator, skipping the spend summary row', () => {
    expect(fixture.reports.map((r) => [r.dataset, r.acceptedRows])).toEqual([
      ['leads', 14], ['leads', 2], ['opportunities', 7], ['spend', 7], ['customers', 5], ['customers', 4], ['web_traffic', 4],
    ]);
    expect(fixture.table.size('leads')).toBe(14); // the 2 corrected leads replace their first version
    expect(fixture.table.size('customers')).toBe(8); // C1–C7, C9: the November export's C4 replaces the October one
  });

  it('acquisition: leads, MQLs, SQLs, per source', () => {
    // leads(P): L01–L10 = 10 → webinar L01–L04 = 4, paid search L05–L07 = 3, organic search L08, L09 = 2,
    // referral L10 = 1 (corrected from organic search).
    expect(kpi('leads')).toEqual({
      value: 10,
      segments: { 'organic search': { value: 2 }, 'paid search': { value: 3 }, referral: { value: 1 }, webinar: { value: 4 } },
    });
    // mqls(P): L01–L06, L07 (corrected), L08, L13 = 9 → webinar 4, paid search L05, L06, L07 = 3, organic L08, L13 = 2.
    expect(kpi('mqls')).toEqual({ value: 9, segments: { 'organic search': { value: 2 }, 'paid search': { value: 3 }, webinar: { value: 4 } } });
    // sqls(P): L01, L02, L03, L05, L12 (2 October) = 5 → webinar 3, paid search 2.
    expect(kpi('sqls')).toEqual({ value: 5, segments: { 'paid search': { value: 2 }, webinar: { value: 3 } } });
  });

  it('conversion rates keep their numerator and denominator', () => {
    // 9 MQLs / 10 leads
    expect(kpi('lead_to_mql_rate')).toEqual({ value: 0.9, numerator: 9, denominator: 10 });
    // 5 SQLs / 9 MQLs; webinar 3 / 4, paid search 2 / 3, organic search 0 / 2
    expect(kpi('mql_to_sql_rate')).toEqual({
      value: 5 / 9, numerator: 5, denominator: 9,
      segments: {
        'organic search': { value: 0, numerator: 0, denominator: 2 },
        'paid search': { value: 2 / 3, numerator: 2, denominator: 3 },
        webinar: { value: 0.75, numerator: 3, denominator: 4 },
      },
    });
    // accepted: L01, L02, L05 = 3 of 5 SQLs (L03 rejected, L12 pending)
    expect(kpi('sql_acceptance_rate')).toEqual({ value: 0.6, numerator: 3, denominator: 5 });
    // opportunities created in October: O1, O2, O3 = 3, over 5 SQLs
    expect(kpi('sql_to_opportunity_rate')).toEqual({ value: 0.6, numerator: 3, denominator: 5 });
    // new customers come from the customers dataset (it has records): C6, C7, C9 started in October = 3, over 10 leads.
    // (From leads it would have been L11, L12 = 2.)
    expect(kpi('lead_to_customer_rate')).toEqual({ value: 0.3, numerator: 3, denominator: 10 });
    // won O1, O4, O5 = 3; lost O6 = 1 → 3 / 4
    expect(kpi('win_rate')).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
  });

  it('revenue, deal size, pipeline and the marketing-sourced shares, to the cent', () => {
    // won in October: O1 $10,000 (webinar) + O4 $8,000 (webinar) + O5 $12,000 (outbound) = $30,000
    expect(kpi('revenue')).toEqual({ value: 30_000, segments: { outbound: { value: 12_000 }, webinar: { value: 18_000 } } });
    // $30,000 / 3 deals; Σ amount² = 10,000² + 8,000² + 12,000² (the spread of deal sizes, for the breakdowns)
    expect(kpi('avg_deal_size')).toEqual({ value: 10_000, numerator: 30_000, denominator: 3, detail: { sum_of_squares: 308_000_000 } });
    // created in October: O1 $10,000 + O2 $5,000.50 + O3 $20,000 = $35,000.50
    expect(kpi('pipeline_created')).toEqual({
      value: 35_000.5, segments: { outbound: { value: 20_000 }, 'paid search': { value: 5_000.5 }, webinar: { value: 10_000 } },
    });
    // marketing-sourced (not outbound): O1 + O2 = $15,000.50 of $35,000.50 (1,500,050 / 3,500,050 cents)
    expect(kpi('marketing_sourced_pipeline_pct')).toEqual({ value: 1_500_050 / 3_500_050, numerator: 15_000.5, denominator: 35_000.5 });
    // marketing-sourced revenue: O1 + O4 = $18,000 of $30,000
    expect(kpi('marketing_sourced_revenue_pct')).toEqual({ value: 0.6, numerator: 18_000, denominator: 30_000 });
  });

  it('cost per lead, overall and per channel that is also a lead source', () => {
    // marketing spend in October: 1,000.00 + 600.25 + 299.75 + 500.00 + 100.00 = $2,500.00 (sales and September excluded)
    // $2,500 / 10 leads = $250
    // per channel: webinar $1,000 / 4 leads = $250; paid search $900 / 3 = $300; events $100 / 0 leads = null (Events
    // is a lead source, L14, with no lead this month); Display is no lead source: not a segment.
    expect(kpi('cost_per_lead')).toEqual({
      value: 250, numerator: 2_500, denominator: 10,
      segments: {
        events: { value: null, numerator: 100, denominator: 0 },
        'paid search': { value: 300, numerator: 900, denominator: 3 },
        webinar: { value: 250, numerator: 1_000, denominator: 4 },
      },
    });
    // (marketing $2,500 + sales $2,000) / 3 new customers = $1,500
    expect(kpi('cac')).toEqual({ value: 1_500, numerator: 4_500, denominator: 3 });
  });

  it('retention, ARPU, CLV and LTV : CAC', () => {
    // active at the start (30 September): C1, C2, C3, C4 = 4 (C5 churned 20 September)
    // still active at the end: C1, C2, C3 = 3 (C4 churned 12 October) → 3 / 4.
    // Seed 000's (E − N) / S would say (5 − 3) / 4 = 50%: C7 started and churned within October and would count as
    // a lost existing customer.
    expect(kpi('customer_retention_rate')).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    // active at the end: C1 $100 + C2 $200 + C3 $300 + C6 $250 + C9 $100 = $950 over 5 customers = $190
    expect(kpi('arpu')).toEqual({ value: 190, numerator: 950, denominator: 5 });
    // monthly churn = 1 (C4) / 4 = 0.25 → lifespan 4 months → $190 × 4 = $760
    expect(kpi('clv')).toEqual({
      value: 760, numerator: 190, denominator: 0.25,
      detail: { arpu: 190, monthly_churn: 0.25, lifespan_months: 4, gross_margin: 1, churned: 1, active_at_start: 4 },
    });
    // $760 / $1,500
    expect(kpi('ltv_to_cac')).toEqual({ value: 760 / 1_500, numerator: 760, denominator: 1_500 });
  });

  it('sales cycle, sessions, bounce rate and visitor to lead', () => {
    // L11: 20 August → 15 October = 11 + 30 + 15 = 56 days; L12: 5 September → 20 October = 25 + 20 = 45 days
    // (56 + 45) / 2 = 50.5
    expect(kpi('sales_cycle_days')).toEqual({ value: 50.5, numerator: 101, denominator: 2 });
    // October rows: 400 + 100 + 500 = 1,000 sessions
    expect(kpi('sessions')).toEqual({ value: 1_000 });
    // bounced: 400 × (1 − 300/400) + 100 × (1 − 50/100) + 500 × (1 − 400/500) = 100 + 50 + 100 = 250 of 1,000
    expect(kpi('bounce_rate')).toEqual({ value: 0.25, numerator: 250, denominator: 1_000 });
    // 10 leads / 1,000 sessions
    expect(kpi('visitor_to_lead_rate')).toEqual({ value: 0.01, numerator: 10, denominator: 1_000 });
  });

  it('covers every KPI of the registry', () => {
    const tested = ['leads', 'mqls', 'sqls', 'lead_to_mql_rate', 'mql_to_sql_rate', 'sql_acceptance_rate', 'sql_to_opportunity_rate',
      'lead_to_customer_rate', 'win_rate', 'revenue', 'avg_deal_size', 'pipeline_created', 'marketing_sourced_pipeline_pct',
      'marketing_sourced_revenue_pct', 'cost_per_lead', 'cac', 'customer_retention_rate', 'arpu', 'clv', 'ltv_to_cac',
      'sales_cycle_days', 'sessions', 'bounce_rate', 'visitor_to_lead_rate'];
    expect([...tested].sort()).toEqual(METRICS.map((m) => m.id).sort());
    for (const id of tested) expect(kpi(id).value, id).not.toBeNull();
  });

  it('says which uploads each KPI came from, and what each dataset has in the period', () => {
    const { summary, kpis } = toStoredKpis(october, fixture, 'as-of');
    const uploadsOf = (id: string) => kpis.find((k) => k.id === id)!.uploads;
    // Both leads files have October records (the corrected L07 and L10 replace the first file's).
    expect(uploadsOf('leads')).toEqual(['01-hubspot-contacts-2026-10.csv', '02-hubspot-contacts-corrected.csv']);
    // CAC: spend, and customers (where new customers come from). Both customer exports have customers active in October.
    expect(uploadsOf('cac')).toEqual(['google-ads-cost-2026-10.csv', 'billing-customers-2026-10-01.csv', 'billing-customers-2026-11-01.csv']);
    expect(summary.missing).toEqual([]);
    expect(summary.completeness?.leads).toMatchObject({
      // L01–L10, L11, L12 (became customers), L13 (MQL): 13 leads with a date in October; L14 has none
      records: 13, firstDate: '2026-10-01', lastDate: '2026-10-20',
      latestUpload: { uploadId: '02-hubspot-contacts-corrected.csv' },
      latestUploadInPeriod: { uploadId: '02-hubspot-contacts-corrected.csv' },
    });
    // O1–O6 (O7 closed in September)
    expect(summary.completeness?.opportunities).toMatchObject({ records: 6, firstDate: '2026-10-03', lastDate: '2026-10-25' });
    // 6 October rows (5 marketing, 1 sales); the September row and the summary row do not count
    expect(summary.completeness?.spend).toMatchObject({ records: 6, firstDate: '2026-10-01', lastDate: '2026-10-20' });
    // customers at some time in October: C1, C2, C3, C4, C6, C7, C9 = 7
    expect(summary.completeness?.customers).toMatchObject({ records: 7 });
    expect(summary.completeness?.web_traffic).toMatchObject({ records: 3, firstDate: '2026-10-01', lastDate: '2026-10-02' });
    expect(summary.completeness?.spend?.requiredBy).toEqual(['cost_per_lead', 'cac', 'ltv_to_cac']);
  });
});
