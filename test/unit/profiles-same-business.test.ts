/**
 * One business (October 2026: six leads, five deals, six days of ads, five customers, two days of traffic) exported
 * by different tools, in their languages and shapes, and by the team's own sheets with a mapping file: every KPI
 * comes out the same, whichever tool each dataset came from.
 */
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { figures, octoberKpis, validateFixture, type Records } from '../helpers/fixture-exports.ts';

const LEADS = ['hubspot-contacts.csv', 'salesforce-leads.csv'];
const OPPORTUNITIES: [string, string?][] = [
  ['salesforce-opportunities.csv'], ['hubspot-deals.csv'], ['pipedrive-deals.csv'], ['team-deals.csv', 'team-deals.mapping.json'],
];
const SPEND = ['google-ads-en.csv', 'google-ads-de.csv', 'google-ads-fr.csv', 'google-ads-es.csv', 'google-ads-es-419.csv', 'microsoft-ads.csv', 'linkedin-ads.csv', 'meta-ads.csv'];
const CUSTOMERS: [string, string?][] = [['stripe-subscriptions.csv'], ['hubspot-companies.csv'], ['team-customers.csv', 'team-customers.mapping.json']];
const TRAFFIC = ['ga4-traffic-en.csv', 'ga4-traffic-de.csv', 'ga4-traffic-fr.csv', 'ga4-traffic-es.csv'];

async function records<N extends keyof Records>(dataset: N, file: string, mapping?: string): Promise<Records[N]> {
  const { report, records } = await validateFixture(dataset, file, mapping);
  expect(report.errors, file).toEqual([]);
  expect(report.status, file).toBe('accepted');
  return records as Records[N];
}

/** Every KPI's value, numerator and denominator (segments name each tool's own source and channel words). */
const allFigures = (kpis: ReturnType<typeof octoberKpis>) => Object.fromEntries(METRICS.map((m) => [m.id, figures(kpis[m.id])]));

describe('the same business exported by different tools', () => {
  it('gives the same KPIs whichever tool each dataset came from', async () => {
    const leads = await records('leads', 'hubspot-contacts.csv');
    const combos = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const [opps, oppsMapping] = OPPORTUNITIES[i % OPPORTUNITIES.length]!;
      const [customers, customersMapping] = CUSTOMERS[i % CUSTOMERS.length]!;
      return {
        name: [opps, SPEND[i]!, customers, TRAFFIC[i % TRAFFIC.length]!].join(' + '),
        kpis: allFigures(octoberKpis({
          leads,
          opportunities: await records('opportunities', opps, oppsMapping),
          spend: await records('spend', SPEND[i]!),
          customers: await records('customers', customers, customersMapping),
          web_traffic: await records('web_traffic', TRAFFIC[i % TRAFFIC.length]!),
        })),
      };
    }));
    const [first, ...others] = combos;
    // The business's numbers are there: not a comparison of empty results.
    expect(first!.kpis.revenue!.value).toBe(16_700);
    expect(first!.kpis.customer_retention_rate!.value).toBe(0.75);
    expect(first!.kpis.sessions!.value).toBe(3050);
    for (const other of others) expect(other.kpis, `${other.name} against ${first!.name}`).toEqual(first!.kpis);
  });

  it('HubSpot contacts and a Salesforce leads report give the same funnel', async () => {
    const [hubspot, salesforce] = await Promise.all(LEADS.map(async (f) => octoberKpis({ leads: await records('leads', f) })));
    for (const id of ['leads', 'mqls', 'sqls', 'lead_to_mql_rate', 'mql_to_sql_rate', 'sql_acceptance_rate']) {
      expect(figures(salesforce![id]), id).toEqual(figures(hubspot![id]));
    }
    expect(hubspot!.mqls!.value).toBe(4);
  });
});
