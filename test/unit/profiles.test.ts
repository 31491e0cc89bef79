/**
 * Each tool profile from its fixture (test/fixtures/exports/, in the tool's own shape) to records and KPI values,
 * and the wrong numbers they fix: HubSpot deals' source, Pipedrive's status, Salesforce's Converted Date, Stripe's
 * cancelled and yearly subscriptions.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../lambdas/domain/profiles/index.ts';
import { figures, octoberKpis, validateFixture } from '../helpers/fixture-exports.ts';
import { where } from '../helpers/export-builders.ts';

describe('leads exports', () => {
  it('HubSpot contacts: lifecycle "Date entered" properties, internal source names read as labels', async () => {
    const { report, records } = await validateFixture('leads', 'hubspot-contacts.csv');
    expect(report).toMatchObject({ status: 'accepted', rows: 6, format: { profile: 'hubspot-contacts' } });
    expect(report.columns).toMatchObject({
      lead_id: 'Record ID', source: 'Original Traffic Source', mql_at: 'Date entered "Marketing Qualified Lead (Lifecycle Stage Pipeline)"',
      customer_at: 'Date entered "Customer (Lifecycle Stage Pipeline)"', owner: 'Contact owner', region: 'Country/Region',
    });
    expect(records[0]).toMatchObject({ lead_id: '51001', source: 'Organic Search', campaign: 'google', mql_at: '2026-10-02T10:00:00', customer_at: '2026-10-27T15:00:00' });
    expect(records.map((r) => r.source)).toEqual(['Organic Search', 'Paid Search', 'Paid Search', 'Referrals', 'Organic Search', 'Email Marketing']);
    const kpis = octoberKpis({ leads: records });
    expect([kpis.leads?.value, kpis.mqls?.value, kpis.sqls?.value]).toEqual([6, 4, 3]);
    expect(figures(kpis.sql_acceptance_rate)).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
  });

  it('Salesforce leads report: Converted Date is never a purchase date, the footer is skipped', async () => {
    const { report, records } = await validateFixture('leads', 'salesforce-leads.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'salesforce-leads' } });
    expect(report.columns.customer_at).toBeUndefined();
    expect(records.every((r) => r.customer_at === undefined)).toBe(true);
    expect(where(report.warnings, 'footer-row')).toHaveLength(2);
    expect(report.warnings.find((w) => w.code === 'kpi-input-missing' && w.column === 'customer_at')?.message).toContain('Sales cycle');
    const kpis = octoberKpis({ leads: records });
    expect([kpis.leads?.value, kpis.mqls?.value, kpis.sqls?.value]).toEqual([6, 4, 3]);
    // Two leads were converted in October: read as customers, lead → customer was 2/6; it is n/a (no customers export).
    expect(kpis.lead_to_customer_rate?.value).toBe(0);
  });

  it('Salesforce contacts report', async () => {
    const { report, records } = await validateFixture('leads', 'salesforce-contacts.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'salesforce-contacts' } });
    expect(records.map((r) => [r.lead_id, r.created_at, r.source])[0]).toEqual(['0035g00000B1aaA', '2026-10-01', 'Web']);
    expect(records).toHaveLength(6);
    expect(octoberKpis({ leads: records }).leads?.value).toBe(6);
  });
});

describe('opportunities exports', () => {
  const expectOctober = (kpis: ReturnType<typeof octoberKpis>): void => {
    expect(figures(kpis.win_rate)).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(kpis.revenue?.value).toBe(16_700);
    expect(kpis.pipeline_created?.value).toBe(14_000);
    expect(figures(kpis.marketing_sourced_pipeline_pct)).toEqual({ value: 6_800 / 14_000, numerator: 6_800, denominator: 14_000 });
    expect(figures(kpis.marketing_sourced_revenue_pct)).toEqual({ value: 12_500 / 16_700, numerator: 12_500, denominator: 16_700 });
  };

  it('Salesforce opportunities report: Closed/Won flags, $ amounts, M/D/YYYY, footer', async () => {
    const { report, records } = await validateFixture('opportunities', 'salesforce-opportunities.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'salesforce-opportunities' } });
    expect(records.map((r) => r.status)).toEqual(['won', 'open', 'lost', 'won', 'open']);
    expectOctober(octoberKpis({ opportunities: records }));
  });

  it('HubSpot deals: the original traffic source is read (marketing-sourced pipeline is not 0%), company-currency amounts', async () => {
    const { report, records } = await validateFixture('opportunities', 'hubspot-deals.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'hubspot-deals' } });
    expect(report.columns).toMatchObject({ source: 'Original Traffic Source', amount: 'Amount in company currency', status: 'Deal Stage' });
    expect(records.map((r) => r.source)).toEqual(['Organic Search', 'Offline Sources', 'Referrals', 'Offline Sources', 'Paid Search']);
    expect(records[1]!.amount_minor).toBe(300_000); // 2,750 GBP, 3,000 in the company's currency
    expectOctober(octoberKpis({ opportunities: records }));
  });

  it('Pipedrive deals: the outcome is Deal - Status, not the pipeline stage; deleted deals are skipped', async () => {
    const { report, records } = await validateFixture('opportunities', 'pipedrive-deals.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'pipedrive-deals' } });
    expect(report.columns).toMatchObject({ status: 'Deal - Status', closed_at: 'Deal - Deal closed on', amount: 'Deal - Value', source: 'Deal - Source channel' });
    expect(records.map((r) => [r.opportunity_id, r.status])).toEqual([['101', 'won'], ['102', 'open'], ['103', 'lost'], ['104', 'won'], ['105', 'open']]);
    expect(report.warnings).toMatchObject([{ code: 'row-skipped', row: 7, column: 'status', value: 'deleted' }]);
    expectOctober(octoberKpis({ opportunities: records }));
  });
});

describe('spend exports', () => {
  it.each([
    ['google-ads-en.csv', 'google-ads-en'],
    ['google-ads-de.csv', 'google-ads-de'],
    ['google-ads-fr.csv', 'google-ads-fr'],
    ['google-ads-es.csv', 'google-ads-es'],
    ['google-ads-es-419.csv', 'google-ads-es-419'],
    ['microsoft-ads.csv', 'microsoft-ads'],
    ['linkedin-ads.csv', 'linkedin-ads'],
    ['meta-ads.csv', 'meta-ads'],
  ])('%s: title lines, totals and the UI language\'s numbers and dates', async (file, profile) => {
    const { report, records } = await validateFixture('spend', file);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ status: 'accepted', format: { profile } });
    expect(records.map((r) => [r.date, r.campaign, r.amount_minor])).toEqual([
      ['2026-10-01', 'Brand - Search', 12_050], ['2026-10-01', 'Retargeting', 4_525], ['2026-10-02', 'Brand - Search', 9_810],
      ['2026-10-02', 'Retargeting', 5_100], ['2026-10-03', 'Brand - Search', 121_075], ['2026-10-03', 'Retargeting', 0],
    ]);
    const kpis = octoberKpis({ spend: records, leads: (await validateFixture('leads', 'hubspot-contacts.csv')).records });
    expect(kpis.cost_per_lead).toMatchObject({ numerator: 1_525.6, denominator: 6 });
    expect(kpis.cost_per_lead?.value).toBeCloseTo(1_525.6 / 6, 9);
  });
});

describe('customers exports', () => {
  const expectOctober = (kpis: ReturnType<typeof octoberKpis>): void => {
    expect(figures(kpis.customer_retention_rate)).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    // Active at the end: 99.00 + 490.00 / 12 + 3 × 49.00 + 1,188.00 / 12.
    expect(figures(kpis.arpu)).toEqual({ value: (9_900 + 4_083 + 14_700 + 9_900) / 4 / 100, numerator: 385.83, denominator: 4 });
  };

  it('Stripe subscriptions: yearly plans ÷ 12, canceled ones churn at Ended At, trials skipped, one customer per customer', async () => {
    const { report, records } = await validateFixture('customers', 'stripe-subscriptions.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'stripe-subscriptions' } });
    expect(records).toEqual([
      { customer_id: 'cus_Ruiz', started_at: '2025-01-05', mrr_minor: 9_900 },
      { customer_id: 'cus_Okafor', started_at: '2025-11-02', churned_at: '2026-10-18', mrr_minor: 19_900 },
      { customer_id: 'cus_Martin', started_at: '2026-01-10', mrr_minor: 4_083 },
      { customer_id: 'cus_Krause', started_at: '2026-10-05', mrr_minor: 14_700 },
      { customer_id: 'cus_Novak', started_at: '2026-06-01', mrr_minor: 9_900 },
    ].map((r) => expect.objectContaining(r)));
    expect(records.find((r) => r.customer_id === 'cus_Ruiz')?.churned_at).toBeUndefined();
    expect(report.warnings).toMatchObject([{ code: 'row-skipped', column: 'status', value: 'trialing' }]);
    expectOctober(octoberKpis({ customers: records }));
  });

  it('HubSpot companies: customers by lifecycle stage, ARR ÷ 12 without an MRR', async () => {
    const { report, records } = await validateFixture('customers', 'hubspot-companies.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'hubspot-companies' } });
    expect(records.map((r) => [r.customer_id, r.started_at, r.churned_at, r.mrr_minor])).toEqual([
      ['9001', '2025-01-05', undefined, 9_900], ['9002', '2025-11-02', '2026-10-18', 19_900], ['9003', '2026-01-10', undefined, 4_083],
      ['9004', '2026-10-05', undefined, 14_700], ['9005', '2026-06-01', undefined, 9_900],
    ]);
    // An opportunity, and a stage of the portal's own: no customers.
    expect(where(report.warnings, 'row-skipped')).toEqual([{ row: 7, line: 7, column: 'status' }, { row: 8, line: 8, column: 'status' }]);
    expectOctober(octoberKpis({ customers: records }));
  });
});

describe('web traffic exports', () => {
  it.each([['en'], ['de'], ['fr'], ['es']])('GA4 traffic acquisition in the %s UI', async (lang) => {
    const { report, records } = await validateFixture('web_traffic', `ga4-traffic-${lang}.csv`);
    expect(report).toMatchObject({ status: 'accepted', format: { profile: `ga4-traffic-${lang}`, headerLine: 9, preambleLines: 8 } });
    expect(records.map((r) => [r.date, r.sessions, r.engaged_sessions, r.conversions])).toEqual([
      ['2026-10-01', 1200, 900, 14], ['2026-10-01', 300, 150, 2], ['2026-10-02', 1100, 800, 11], ['2026-10-02', 450, 270, 5],
    ]);
    const kpis = octoberKpis({ web_traffic: records });
    expect(kpis.sessions?.value).toBe(3050);
    expect(figures(kpis.bounce_rate)).toEqual({ value: (3050 - 2120) / 3050, numerator: 930, denominator: 3050 });
  });
});

describe('the profile registry', () => {
  it('has a fixture and a test above for every profile', async () => {
    const tested = new Set([
      'hubspot-contacts', 'salesforce-leads', 'salesforce-contacts', 'salesforce-opportunities', 'hubspot-deals', 'pipedrive-deals',
      'google-ads-en', 'google-ads-de', 'google-ads-fr', 'google-ads-es', 'google-ads-es-419', 'microsoft-ads', 'linkedin-ads', 'meta-ads',
      'stripe-subscriptions', 'hubspot-companies', 'ga4-traffic-en', 'ga4-traffic-de', 'ga4-traffic-fr', 'ga4-traffic-es',
    ]);
    expect(PROFILES.map((p) => p.id).sort()).toEqual([...tested].sort());
    expect(new Set(PROFILES.map((p) => p.id)).size).toBe(PROFILES.length);
  });
});

describe('a mapping on top of a profile', () => {
  it('adds to it and wins over it: a custom source property of HubSpot deals, the profile still detected', async () => {
    const { fixtureBytes } = await import('../helpers/fixture-exports.ts');
    const { validate } = await import('../helpers/export-builders.ts');
    const text = fixtureBytes('hubspot-deals.csv').toString('utf8').split('\r\n').map((l, i) => (l ? `${l},"${i === 0 ? 'Lead Origin' : `origin-${i}`}"` : l)).join('\r\n');
    const { report, records } = await validate('opportunities', text, { mapping: { columns: { source: 'Lead Origin' } } });
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'hubspot-deals', mapping: 'incoming/opportunities/mapping.json' } });
    expect(report.columns.source).toBe('Lead Origin');
    expect(records.map((r) => r.source)).toEqual(['origin-1', 'origin-2', 'origin-3', 'origin-4', 'origin-5']);
  });

  it('a mapping can name the profile of a file whose header does not show it', async () => {
    const { validate, lines } = await import('../helpers/export-builders.ts');
    const { report, records } = await validate('opportunities', lines(['Deal - ID,Deal - Value,Deal - Status,Deal - Deal created,Deal - Deal closed on', '7,100,won,2026-10-01 10:00:00,2026-10-05 10:00:00']), {
      mapping: { profile: 'pipedrive-deals' },
    });
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'pipedrive-deals' } });
    expect(records.map((r) => r.status)).toEqual(['won']);
  });
});
