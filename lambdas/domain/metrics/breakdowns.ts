/**
 * Breakdowns (metrics.md, "Breakdowns"): a KPI computed per value of a dimension, by its own formula.
 *
 * The passes measure, per period, the base measures a breakdown can read for every value of every dimension
 * (`measureDimensions`). A KPI's value for one value is its registry formula applied to those measures as if they
 * were the whole period (`sliceMeasures`): the registry entry that computes the KPI computes its breakdowns, so
 * the two can never disagree. A measure not kept per value (retention, sessions…) is NaN in a slice, so a KPI
 * declared as broken down by a dimension its formula cannot be broken down by fails loudly instead of printing
 * the period's total under every value.
 *
 * Every value the period's records carry is listed (blank = `unknown`), so the values of a dimension add up to
 * the KPI: sums add up to the total, ratios' numerators and denominators add up to the KPI's. A KPI read from two
 * datasets has no value for a value only one of them carries (`breakdownsOf`).
 */
import type { DatasetName } from '../layout.ts';
import type { RecordTable } from '../records/record-table.ts';
import type { LeadSums, OpportunitySums, SpendSums } from './dataset-passes.ts';
import { DIMENSIONS, type BreakdownLabels, type BreakdownValue, type Breakdowns, type Dimension } from './dimensions.ts';
import type { PeriodMeasures, Tally } from './measures.ts';
import { inputsOf, type MetricContext, type MetricDefinition, type MetricValue } from './registry.ts';

/** What one value of a dimension measures in a period; NaN where the dimension is not read from the dataset. */
export interface DimensionSlice {
  readonly leads: number;
  readonly mqls: number;
  readonly sqls: number;
  readonly oppsCreated: number;
  readonly pipelineMinor: number;
  readonly won: number;
  readonly lost: number;
  readonly revenueMinor: number;
  readonly marketingSpendMinor: number;
  /** The datasets with records counted under this value in the period. */
  readonly datasets: readonly DatasetName[];
}

export interface DimensionMeasures {
  /** Per value (lower case) with a record in the period, sorted by value. */
  readonly values: ReadonlyMap<string, DimensionSlice>;
  /** The values as first written, where that differs from the value. */
  readonly labels: Readonly<Record<string, string>>;
}

export type PeriodDimensions = Readonly<Partial<Record<Dimension, DimensionMeasures>>>;

/** The measures per value of every dimension measured, for period slot `p` of the passes' accumulators. */
export function measureDimensions(table: RecordTable, p: number, leads: LeadSums, opps: OpportunitySums, spend: SpendSums): PeriodDimensions {
  const nSeg = table.segments.length;
  const out: Partial<Record<Dimension, DimensionMeasures>> = {};
  for (const d of Object.keys(DIMENSIONS) as Dimension[]) {
    const l = leads.by[d];
    const o = opps.by[d];
    const s = spend.by[d];
    if (!l && !o && !s) continue;
    const values = new Map<string, DimensionSlice>();
    const labels: Record<string, string> = {};
    const order: number[] = [];
    for (let v = 0; v < nSeg; v++) {
      const i = p * nSeg + v;
      const inLeads = l !== undefined && l.leads[i]! + l.mqls[i]! + l.sqls[i]! > 0;
      const inOpps = o !== undefined && o.created[i]! + o.won[i]! + o.lost[i]! > 0;
      const inSpend = s !== undefined && s.rows[i]! > 0;
      if (inLeads || inOpps || inSpend) order.push(v);
    }
    order.sort((a, b) => (table.segments[a]! < table.segments[b]! ? -1 : 1));
    for (const v of order) {
      const i = p * nSeg + v;
      const key = table.segments[v]!;
      values.set(key, {
        leads: l ? l.leads[i]! : NaN, mqls: l ? l.mqls[i]! : NaN, sqls: l ? l.sqls[i]! : NaN,
        oppsCreated: o ? o.created[i]! : NaN, pipelineMinor: o ? o.pipeline[i]! : NaN, won: o ? o.won[i]! : NaN,
        lost: o ? o.lost[i]! : NaN, revenueMinor: o ? o.revenue[i]! : NaN, marketingSpendMinor: s ? s.spend[i]! : NaN,
        datasets: [
          ...(l && l.leads[i]! + l.mqls[i]! + l.sqls[i]! > 0 ? ['leads' as const] : []),
          ...(o && o.created[i]! + o.won[i]! + o.lost[i]! > 0 ? ['opportunities' as const] : []),
          ...(s && s.rows[i]! > 0 ? ['spend' as const] : []),
        ],
      });
      const label = table.segmentLabels[v]!;
      if (label !== key) labels[key] = label;
    }
    out[d] = { values, labels };
  }
  return out;
}

const NO_SEGMENTS: ReadonlyMap<string, number> = new Map();
const tally = (total: number): Tally => ({ total, by: NO_SEGMENTS as Map<string, number> });

/** The period's measures as if one value's records were all there is; what is not kept per value is NaN. */
export function sliceMeasures(m: PeriodMeasures, s: DimensionSlice): PeriodMeasures {
  return {
    period: m.period, covered: m.covered, leadSources: m.leadSources, newCustomersFrom: m.newCustomersFrom,
    leads: tally(s.leads), mqls: tally(s.mqls), sqls: tally(s.sqls), sqlsAccepted: NaN, newCustomers: NaN,
    oppsCreated: s.oppsCreated, pipelineMinor: tally(s.pipelineMinor), marketingPipelineMinor: NaN, won: s.won, lost: s.lost,
    revenueMinor: tally(s.revenueMinor), revenueSquares: NaN, marketingRevenueMinor: NaN, marketingSpendMinor: tally(s.marketingSpendMinor), salesSpendMinor: NaN,
    activeAtStart: NaN, activeAtEnd: NaN, retainedFromStart: NaN, churnedFromStart: NaN, churned: NaN,
    mrrAtEndMinor: NaN, mrrCountAtEnd: NaN, mrrMissingAtEnd: NaN, salesCycleDays: { sum: NaN, count: NaN }, sessions: NaN,
    bounceWeighted: { bounced: NaN, sessions: NaN },
  };
}

const isNaNish = (v: number | null | undefined): boolean => typeof v === 'number' && Number.isNaN(v);

/** A KPI value of one breakdown value: its value, numerator and denominator (the reason and the rest stay with the KPI). */
function pick(id: string, d: Dimension, key: string, v: MetricValue): BreakdownValue {
  if (isNaNish(v.value) || isNaNish(v.numerator) || isNaNish(v.denominator)) {
    throw new Error(`KPI ${id} is declared as broken down by ${d}, but its formula reads a measure not kept per ${d} (value "${key}")`);
  }
  if (v.value !== null && !Number.isFinite(v.value)) throw new Error(`KPI ${id} by ${d} "${key}": non-finite value ${v.value}`);
  return {
    value: v.value,
    ...(v.numerator !== undefined ? { numerator: v.numerator } : {}),
    ...(v.denominator !== undefined ? { denominator: v.denominator } : {}),
  };
}

/**
 * The breakdowns of one KPI for a period, from its registry entry: per dimension in `def.breakdownBy` that the
 * period's records carry (some value other than `unknown` among the records the KPI reads), every value of it.
 * Undefined when the KPI has none (no value this period, no breakdown declared, or none carried).
 */
export function breakdownsOf(
  def: MetricDefinition, total: MetricValue, m: PeriodMeasures, ctx: MetricContext,
): { breakdowns: Breakdowns; labels?: BreakdownLabels } | undefined {
  if (!def.breakdownBy || !m.dimensions || total.value === null) return undefined;
  const inputs = new Set<DatasetName>(inputsOf(def, m));
  const breakdowns: Partial<Record<Dimension, Record<string, BreakdownValue>>> = {};
  const labels: Partial<Record<Dimension, Record<string, string>>> = {};
  for (const d of def.breakdownBy) {
    const dm = m.dimensions[d];
    if (!dm) continue;
    const keys = [...dm.values.keys()].filter((k) => dm.values.get(k)!.datasets.some((ds) => inputs.has(ds)));
    if (!keys.some((k) => k !== 'unknown')) continue;
    const values: Record<string, BreakdownValue> = {};
    const names: Record<string, string> = {};
    // A KPI read from two datasets (cost per lead: spend over leads) is known for a value only when both carry it:
    // leads from "Paid Search" whose spend came with no channel did not cost nothing. Such a value keeps its
    // numerator and denominator (they still add up to the KPI's) and has no value.
    const needed = [...inputs].filter((ds) => DIMENSIONS[d].readFrom[ds] !== undefined);
    for (const k of keys) {
      const slice = dm.values.get(k)!;
      const v = pick(def.id, d, k, def.compute(sliceMeasures(m, slice), ctx));
      values[k] = needed.length > 1 && !needed.every((ds) => slice.datasets.includes(ds)) ? { ...v, value: null } : v;
      if (dm.labels[k] !== undefined) names[k] = dm.labels[k];
    }
    breakdowns[d] = values;
    if (Object.keys(names).length) labels[d] = names;
  }
  if (Object.keys(breakdowns).length === 0) return undefined;
  return { breakdowns, ...(Object.keys(labels).length ? { labels } : {}) };
}
