/**
 * Base measures of metrics.md for one period, computed in one pass over the merged records. Every KPI is a
 * formula over these, so the records are scanned once however many KPIs there are.
 */
import type { DatasetName } from '../layout.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import { inPeriod, toLocalDate, type Period } from '../periods/period.ts';

export type RecordSets = { readonly [N in DatasetName]: readonly DatasetRecords[N][] };

/** Counts (and sums) overall and per segment (lower-cased source or channel). */
export interface Tally {
  total: number;
  by: Map<string, number>;
}

const tally = (): Tally => ({ total: 0, by: new Map() });
const add = (t: Tally, segment: string | undefined, n = 1): void => {
  t.total += n;
  if (segment !== undefined) {
    const key = segment.trim().toLowerCase() || 'unknown';
    t.by.set(key, (t.by.get(key) ?? 0) + n);
  }
};

export interface PeriodMeasures {
  readonly period: Period;
  /** Whether each dataset has any record dated in the period (customers: any record at all). */
  readonly covered: { readonly [N in DatasetName]: boolean };
  readonly leads: Tally;
  readonly mqls: Tally;
  readonly sqls: Tally;
  readonly sqlsAccepted: number;
  /** new_customers(P): from the customers dataset when it has records, else leads with customer_at in P. */
  readonly newCustomers: number;
  readonly newCustomersFrom: 'customers' | 'leads';
  readonly oppsCreated: number;
  /** Σ amount (minor units) of opportunities created in P, overall and per source. */
  readonly pipelineMinor: Tally;
  readonly marketingPipelineMinor: number;
  readonly won: number;
  readonly lost: number;
  readonly revenueMinor: Tally;
  readonly marketingRevenueMinor: number;
  readonly marketingSpendMinor: Tally;
  readonly salesSpendMinor: number;
  readonly activeAtStart: number;
  readonly activeAtEnd: number;
  readonly churned: number;
  /** Σ mrr (minor) of customers active at the end with a known MRR, and how many have one. */
  readonly mrrAtEndMinor: number;
  readonly mrrCountAtEnd: number;
  readonly salesCycleDays: { sum: number; count: number };
  readonly sessions: number;
  /** Σ bounce_rate × sessions over rows with a bounce rate, and Σ sessions of those rows. */
  readonly bounceWeighted: { bounced: number; sessions: number };
}

const dayNumber = (localDate: string): number => Date.UTC(
  Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10)),
) / 86_400_000;

/** Computes the base measures of `period` from merged records, in `timezone`. */
export function measurePeriod(records: RecordSets, period: Period, timezone: string): PeriodMeasures {
  const local = (v: string): string => toLocalDate(v, timezone);
  const inP = (v: string | undefined): boolean => v !== undefined && inPeriod(period, local(v));

  const leads = tally();
  const mqls = tally();
  const sqls = tally();
  let sqlsAccepted = 0;
  let leadCustomers = 0;
  const cycle = { sum: 0, count: 0 };
  let leadsCovered = false;
  for (const l of records.leads) {
    const created = inP(l.created_at);
    if (created) { add(leads, l.source); leadsCovered = true; }
    if (inP(l.mql_at)) { add(mqls, l.source); leadsCovered = true; }
    if (inP(l.sql_at)) {
      add(sqls, l.source);
      if (l.sql_status === 'accepted') sqlsAccepted++;
      leadsCovered = true;
    }
    if (l.customer_at !== undefined && inP(l.customer_at)) {
      leadCustomers++;
      cycle.sum += dayNumber(local(l.customer_at)) - dayNumber(local(l.created_at));
      cycle.count++;
      leadsCovered = true;
    }
  }

  let oppsCreated = 0;
  const pipeline = tally();
  let marketingPipeline = 0;
  let won = 0;
  let lost = 0;
  const revenue = tally();
  let marketingRevenue = 0;
  let oppsCovered = false;
  for (const o of records.opportunities) {
    if (inP(o.created_at)) {
      oppsCreated++;
      add(pipeline, o.source ?? 'unknown', o.amount_minor);
      if (o.marketing_sourced) marketingPipeline += o.amount_minor;
      oppsCovered = true;
    }
    if (o.status !== 'open' && inP(o.closed_at)) {
      oppsCovered = true;
      if (o.status === 'won') {
        won++;
        add(revenue, o.source ?? 'unknown', o.amount_minor);
        if (o.marketing_sourced) marketingRevenue += o.amount_minor;
      } else lost++;
    }
  }

  const marketingSpend = tally();
  let salesSpend = 0;
  let spendCovered = false;
  for (const s of records.spend) {
    if (!inP(s.date)) continue;
    spendCovered = true;
    if (s.category === 'sales') salesSpend += s.amount_minor;
    else add(marketingSpend, s.channel, s.amount_minor);
  }

  let newFromCustomers = 0;
  let activeAtStart = 0;
  let activeAtEnd = 0;
  let churned = 0;
  let mrrAtEnd = 0;
  let mrrCount = 0;
  for (const c of records.customers) {
    const started = local(c.started_at);
    const churnedAt = c.churned_at !== undefined ? local(c.churned_at) : undefined;
    if (inPeriod(period, started)) newFromCustomers++;
    if (started < period.startDate && (churnedAt === undefined || churnedAt >= period.startDate)) activeAtStart++;
    if (started < period.endDate && (churnedAt === undefined || churnedAt >= period.endDate)) {
      activeAtEnd++;
      if (c.mrr_minor !== undefined) { mrrAtEnd += c.mrr_minor; mrrCount++; }
    }
    if (churnedAt !== undefined && inPeriod(period, churnedAt)) churned++;
  }
  const hasCustomers = records.customers.length > 0;

  let sessions = 0;
  const bounce = { bounced: 0, sessions: 0 };
  // Bounced sessions are summed in whole millionths: an integer sum does not depend on the order of the records
  // (a float sum does, so merged uploads in another order would give another last digit).
  let bouncedMicro = 0;
  let trafficCovered = false;
  for (const w of records.web_traffic) {
    if (!inP(w.date)) continue;
    trafficCovered = true;
    sessions += w.sessions;
    if (w.bounce_rate !== undefined) {
      bouncedMicro += Math.round(w.bounce_rate * w.sessions * 1e6);
      bounce.sessions += w.sessions;
    }
  }
  bounce.bounced = bouncedMicro / 1e6;

  return {
    period,
    covered: { leads: leadsCovered, opportunities: oppsCovered, spend: spendCovered, customers: hasCustomers, web_traffic: trafficCovered },
    leads, mqls, sqls, sqlsAccepted,
    newCustomers: hasCustomers ? newFromCustomers : leadCustomers,
    newCustomersFrom: hasCustomers ? 'customers' : 'leads',
    oppsCreated, pipelineMinor: pipeline, marketingPipelineMinor: marketingPipeline,
    won, lost, revenueMinor: revenue, marketingRevenueMinor: marketingRevenue,
    marketingSpendMinor: marketingSpend, salesSpendMinor: salesSpend,
    activeAtStart, activeAtEnd, churned, mrrAtEndMinor: mrrAtEnd, mrrCountAtEnd: mrrCount,
    salesCycleDays: cycle, sessions, bounceWeighted: bounce,
  };
}

/**
 * The latest period with lead records that has closed by `today` (local date), or undefined when there are
 * none: what a preview of the scorecard is about when no period is named.
 */
export function latestClosedDataPeriod(
  records: RecordSets, type: Period['type'], timezone: string, today: string,
  periodOf: (type: Period['type'], localDate: string) => Period,
): Period | undefined {
  let latest = '';
  for (const l of records.leads) {
    const d = toLocalDate(l.created_at, timezone);
    if (d > latest && d < today) latest = d;
  }
  if (!latest) return undefined;
  const p = periodOf(type, latest);
  // The period holding the newest record may still be open: then the one before it is the latest closed.
  return p.endDate <= today ? p : undefined;
}
