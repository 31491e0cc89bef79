/** Customers: an existing base before the range, one per won deal inside it, and monthly churn. */
import { ALL_MONTHS, DAY_MS, RANGE_START, SAMPLE_MONTHS, dayStart, monthOf } from './calendar.ts';
import { round2 } from './format.ts';
import { SALES_SOURCED } from './market.ts';
import { type Rng } from './random.ts';
import { type Customer, type Lead, type Opportunity } from './world.ts';

export function simulateCustomers(rng: Rng, leads: readonly Lead[]): Customer[] {
  // Customers: an existing base, then one per won deal; monthly churn of 1.5–3 %.
  const customers: Customer[] = [];
  const baseStart = Date.UTC(2021, 2, 1);
  const baseEnd = RANGE_START - DAY_MS;
  let baseId = 10_417;
  for (let i = 0; i < 200; i++) {
    baseId += rng.int(1, 9);
    const startedMs = dayStart(rng.range(baseStart, baseEnd));
    customers.push({
      id: `C-${baseId}`,
      startedMs,
      mrr: Math.min(2_000, Math.max(200, Math.round((600 * rng.noise(0.6)) / 10) * 10)),
      marketingSourced: rng.chance(0.6),
      fileMonth: SAMPLE_MONTHS[0] as string,
    });
  }
  customers.sort((a, b) => a.startedMs - b.startedMs || a.id.localeCompare(b.id));
  const leadCustomers = leads
    .filter((l) => l.customerMs !== undefined && l.opportunity !== undefined)
    .sort((a, b) => (a.customerMs as number) - (b.customerMs as number));
  for (const l of leadCustomers) {
    const startedMs = dayStart(l.customerMs as number);
    if (startedMs < RANGE_START) continue; // before the range: part of the existing base already
    customers.push({
      id: `C-${l.id}`,
      startedMs,
      mrr: Math.min(2_000, Math.max(200, round2((l.opportunity as Opportunity).amount / 12))),
      marketingSourced: !SALES_SOURCED.has(l.source),
      fileMonth: monthOf(startedMs).id,
    });
  }
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const churnRate = rng.range(0.015, 0.03);
    for (const c of customers) {
      if (c.startedMs >= m.startMs || c.churnedMs !== undefined) continue; // only customers active at the start
      if (rng.chance(churnRate)) c.churnedMs = m.startMs + rng.int(0, m.days - 1) * DAY_MS;
    }
  }
  return customers;
}
