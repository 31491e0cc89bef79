/** All sample files of one seed, as relative path → content; no file system access. */
import { ALL_MONTHS, DEFAULT_SEED } from './calendar.ts';
import { sampleFileName } from './datasets.ts';
import { README } from './readme.ts';
import { extraShapes } from './extra-shapes.ts';
import { renderCustomers } from './writers/billing-customers.ts';
import { renderTraffic } from './writers/ga4-traffic.ts';
import { renderSpend } from './writers/google-ads-spend.ts';
import { renderLeads } from './writers/hubspot-leads.ts';
import { renderOpportunities } from './writers/salesforce-opportunities.ts';
import { simulate, type SpendRow, type TrafficRow } from './world.ts';

/** All sample files: relative path under `samples/` → file content. Pure and deterministic. */
export function generateSamples(seed: number = DEFAULT_SEED): Map<string, string> {
  const world = simulate(seed);
  const files = new Map<string, string>();
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const monthLeads = world.leads.filter((l) => l.createdMs >= m.startMs && l.createdMs < m.endMs);
    files.set(sampleFileName('leads', m.id), renderLeads(monthLeads));
    files.set(sampleFileName('opportunities', m.id), renderOpportunities(world.opportunities, m));
    files.set(sampleFileName('spend', m.id), renderSpend(world.spend.get(m.id) as SpendRow[], m));
    files.set(sampleFileName('customers', m.id), renderCustomers(world.customers, m));
    files.set(sampleFileName('web_traffic', m.id), renderTraffic(world.traffic.get(m.id) as TrafficRow[], m));
  }
  for (const [path, content] of extraShapes(seed)) files.set(path, content);
  files.set('README.md', README);
  return files;
}
