/**
 * Base measures of metrics.md, for many periods in one pass over the merged records. Every KPI is a formula over
 * these, so the records are scanned once however many KPIs and periods there are: each record's dates are looked
 * up in a day → period table and added to that period's accumulators.
 */
import { DATASET_NAMES, type DatasetName } from '../layout.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import type { Period } from '../periods/period.ts';
import { RecordTable } from '../records/record-table.ts';
import { PeriodGrid, Presence, sumCustomers, sumLeads, sumOpportunities, sumSpend, sumTraffic } from './dataset-passes.ts';
import { measureDimensions, type PeriodDimensions } from './breakdowns.ts';

export type RecordSets = { readonly [N in DatasetName]: readonly DatasetRecords[N][] };

/** Counts (and sums) overall and per segment (see `segmentKey`: lower-cased source or channel). */
export interface Tally {
  total: number;
  by: Map<string, number>;
}

export interface PeriodMeasures {
  readonly period: Period;
  /** Whether each dataset has records in the period (see `DatasetInPeriod.records`). */
  readonly covered: { readonly [N in DatasetName]: boolean };
  readonly leads: Tally;
  readonly mqls: Tally;
  readonly sqls: Tally;
  readonly sqlsAccepted: number;
  /** new_customers(P): from the customers dataset when it has any record, else leads with customer_at in P. */
  readonly newCustomers: number;
  readonly newCustomersFrom: 'customers' | 'leads';
  readonly oppsCreated: number;
  /** Σ amount (minor units) of opportunities created in P, overall and per source. */
  readonly pipelineMinor: Tally;
  readonly marketingPipelineMinor: number;
  readonly won: number;
  readonly lost: number;
  readonly revenueMinor: Tally;
  /** Σ (amount in whole major units)² of the deals won in P: the spread of deal sizes, to judge a breakdown's average by. */
  readonly revenueSquares: number;
  readonly marketingRevenueMinor: number;
  readonly marketingSpendMinor: Tally;
  readonly salesSpendMinor: number;
  /** Every lead source of the leads dataset (any period), for matching spend channels to sources. */
  readonly leadSources: ReadonlySet<string>;
  /** active(start P): started before P and not churned before P. */
  readonly activeAtStart: number;
  /** active(end P): started before the end of P and not churned by then. */
  readonly activeAtEnd: number;
  /** Of the customers active at the start of P, those still active at its end, and those who churned in P. */
  readonly retainedFromStart: number;
  readonly churnedFromStart: number;
  /** Every customer with `churned_at` in P (including customers who also started in P). */
  readonly churned: number;
  /** Σ mrr (minor) of customers active at the end with a known MRR, how many have one, and how many do not. */
  readonly mrrAtEndMinor: number;
  readonly mrrCountAtEnd: number;
  readonly mrrMissingAtEnd: number;
  readonly salesCycleDays: { sum: number; count: number };
  readonly sessions: number;
  /** Σ bounce_rate × sessions over rows with a bounce rate, and Σ sessions of those rows. */
  readonly bounceWeighted: { bounced: number; sessions: number };
  /** Per breakdown dimension, the measures of each of its values (when breakdowns were measured). */
  readonly dimensions?: PeriodDimensions;
}

export interface MeasureOptions {
  /** Measure every breakdown dimension too (the source is always measured, for the per-source segments). @default true */
  readonly breakdowns?: boolean;
}

/** What a dataset contributes to a period: the data-completeness check and the uploads a KPI came from. */
export interface DatasetInPeriod {
  /**
   * Records that fall in the period: leads with any of their dates in it, opportunities created or closed in it,
   * spend and traffic rows dated in it (a monthly spend row in every week it overlaps), customers active at some
   * time in it.
   */
  readonly records: number;
  /** The first and last local date of those records' dates that lie in the period. */
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** Uploads with a record in the period, in upload order; absent when the records do not say their upload. */
  readonly uploads?: readonly string[];
}

export interface PeriodData {
  readonly measures: PeriodMeasures;
  readonly datasets: { readonly [N in DatasetName]: DatasetInPeriod };
}

/**
 * The base measures of each period, from the merged records of `table` (dates already in its time zone), in one
 * pass over the records per period type. Results are in the order of `periods`.
 */
export function measurePeriods(table: RecordTable, periods: readonly Period[], options: MeasureOptions = {}): PeriodData[] {
  const out = new Map<Period, PeriodData>();
  for (const type of ['month', 'quarter', 'week'] as const) {
    const group = periods.filter((p) => p.type === type);
    if (group.length === 0) continue;
    const results = measureGroup(table, group, options.breakdowns ?? true);
    group.forEach((p, i) => out.set(p, results[i]!));
  }
  return periods.map((p) => out.get(p)!);
}

/** Periods of one type (they never overlap), measured in one pass over each dataset. */
function measureGroup(table: RecordTable, input: readonly Period[], breakdowns: boolean): PeriodData[] {
  // Duplicates share one slot.
  const ids = [...new Set(input.map((p) => p.id))];
  const slotOf = new Map(ids.map((id, i) => [id, i]));
  const grid = new PeriodGrid(ids.map((id) => input.find((p) => p.id === id)!));
  const presence = Object.fromEntries(
    DATASET_NAMES.map((d) => [d, new Presence(grid.n, table.uploadIds.length)]),
  ) as Record<DatasetName, Presence>;
  const leads = sumLeads(table, grid, presence.leads, breakdowns);
  const opps = sumOpportunities(table, grid, presence.opportunities, breakdowns);
  const spend = sumSpend(table, grid, presence.spend, breakdowns);
  const customers = sumCustomers(table, grid, presence.customers);
  const traffic = sumTraffic(table, grid, presence.web_traffic);

  const nSeg = table.segments.length;
  // A table read from snapshots holds only the rows these periods need: the whole history's facts come with it.
  const leadSources = table.history?.leadSources ?? new Set(table.segments.filter((_, i) => leads.sourceSeen[i]));
  const hasCustomers = (table.history?.records.customers ?? table.customers.size) > 0;
  /** The total and the per-segment values of period p, for the segments with at least one record. */
  const tally = (sums: Float64Array, counts: Float64Array, p: number): Tally => {
    const by = new Map<string, number>();
    let total = 0;
    for (let s = 0; s < nSeg; s++) {
      if (counts[p * nSeg + s]! > 0) {
        const v = sums[p * nSeg + s]!;
        by.set(table.segments[s]!, v);
        total += v;
      }
    }
    return { total, by };
  };

  const results = grid.periods.map((period, p): PeriodData => {
    const datasets = Object.fromEntries(DATASET_NAMES.map((d) => [d, presence[d].result(p, table.uploadIds)])) as PeriodData['datasets'];
    const measures: PeriodMeasures = {
      period,
      covered: Object.fromEntries(DATASET_NAMES.map((d) => [d, datasets[d].records > 0])) as PeriodMeasures['covered'],
      leads: tally(leads.leadsBy, leads.leadsBy, p),
      mqls: tally(leads.mqlsBy, leads.mqlsBy, p),
      sqls: tally(leads.sqlsBy, leads.sqlsBy, p),
      sqlsAccepted: leads.sqlsAccepted[p]!,
      newCustomers: hasCustomers ? customers.started[p]! : leads.customers[p]!,
      newCustomersFrom: hasCustomers ? 'customers' : 'leads',
      oppsCreated: opps.created[p]!,
      pipelineMinor: tally(opps.pipelineBy, opps.pipelineN, p),
      marketingPipelineMinor: opps.marketingPipeline[p]!,
      won: opps.won[p]!,
      lost: opps.lost[p]!,
      revenueMinor: tally(opps.revenueBy, opps.revenueN, p),
      revenueSquares: opps.revenueSquares[p]!,
      marketingRevenueMinor: opps.marketingRevenue[p]!,
      marketingSpendMinor: tally(spend.spendBy, spend.spendN, p),
      salesSpendMinor: spend.salesSpend[p]!,
      leadSources,
      activeAtStart: customers.activeAtStart[p]!,
      activeAtEnd: customers.activeAtEnd[p]!,
      retainedFromStart: customers.retained[p]!,
      churnedFromStart: customers.churnedFromStart[p]!,
      churned: customers.churned[p]!,
      mrrAtEndMinor: customers.mrrAtEnd[p]!,
      mrrCountAtEnd: customers.mrrCount[p]!,
      mrrMissingAtEnd: customers.mrrMissing[p]!,
      salesCycleDays: { sum: leads.cycleSum[p]!, count: leads.customers[p]! },
      sessions: traffic.sessions[p]!,
      bounceWeighted: { bounced: traffic.bouncedMicro[p]! / 1e6, sessions: traffic.bounceSessions[p]! },
      ...(breakdowns ? { dimensions: measureDimensions(table, p, leads, opps, spend) } : {}),
    };
    return { measures, datasets };
  });
  return input.map((p) => results[slotOf.get(p.id)!]!);
}

/**
 * A table of already-merged records (each counts, whatever its key), for callers that hold record objects: the
 * CLI and tests. Cached per records object and time zone, so computing many periods converts the dates once.
 */
const tables = new WeakMap<RecordSets, Map<string, RecordTable>>();
export function tableOf(records: RecordSets, timezone: string): RecordTable {
  let byZone = tables.get(records);
  if (!byZone) tables.set(records, (byZone = new Map()));
  let table = byZone.get(timezone);
  if (!table) {
    table = new RecordTable(timezone);
    for (const d of DATASET_NAMES) for (const r of records[d]) table.append(d, '', r as never);
    byZone.set(timezone, table);
  }
  return table;
}

/** The base measures of one period, from merged record objects. */
export function measurePeriod(records: RecordSets, period: Period, timezone: string): PeriodMeasures {
  return measurePeriods(tableOf(records, timezone), [period])[0]!.measures;
}
