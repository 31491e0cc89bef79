/** Every KPI of the registry for a set of periods, from merged records. Pure. */
import type { Settings } from '../settings.ts';
import { dayToIsoDate, isoDateToDay, periodContaining, toLocalDate, type Period } from '../periods/period.ts';
import type { DatasetName } from '../layout.ts';
import type { RecordTable } from '../records/record-table.ts';
import { measurePeriods, tableOf, type DatasetInPeriod, type MeasureOptions, type PeriodData, type RecordSets } from './measures.ts';
import { METRICS, inputsOf, type MetricValue } from './registry.ts';
import { breakdownsOf } from './breakdowns.ts';
import { withGaps, type KpiGaps } from './kpi-gaps.ts';

export interface PeriodKpis {
  readonly period: Period;
  readonly timezone: string;
  readonly currency: string;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Datasets with records in the period, and those without. */
  readonly coverage: { readonly [N in DatasetName]: boolean };
  /** Per dataset: records in the period, their date range, the uploads they came from. */
  readonly datasets: { readonly [N in DatasetName]: DatasetInPeriod };
  /** Per KPI id: the datasets it was computed from (its inputs, and where new customers came from). */
  readonly inputs: Readonly<Record<string, readonly DatasetName[]>>;
}

/** Values are finite numbers or null: a NaN or an Infinity here is a bug, so it throws. */
function assertFinite(id: string, v: MetricValue): MetricValue {
  if (v.value !== null && !Number.isFinite(v.value)) throw new Error(`KPI ${id} computed a non-finite value ${v.value}`);
  return v;
}

function kpisOf(data: PeriodData, settings: Settings, gaps?: KpiGaps): PeriodKpis {
  const m = data.measures;
  const metrics: Record<string, MetricValue> = {};
  const inputs: Record<string, DatasetName[]> = {};
  for (const def of METRICS) {
    const value = assertFinite(def.id, def.compute(m, { settings }));
    const by = breakdownsOf(def, value, m, { settings });
    metrics[def.id] = by ? { ...value, breakdowns: by.breakdowns, ...(by.labels ? { breakdownLabels: by.labels } : {}) } : value;
    inputs[def.id] = inputsOf(def, m);
  }
  return {
    period: m.period, timezone: settings.timezone, currency: settings.currency, coverage: m.covered,
    metrics: gaps?.size ? withGaps(metrics, inputs, data.datasets, m.newCustomersFrom, gaps) : metrics,
    datasets: data.datasets, inputs,
  };
}

/**
 * Every KPI of each period, from a table of merged records, in one pass over the records. The table's dates were
 * converted in its time zone, which must be the settings' one. `gaps`: the accepted uploads that lack a column some
 * KPIs need (kpi-gaps.ts); those KPIs are null, with the reason, in the periods where their records count.
 */
export function computeKpisForPeriods(
  table: RecordTable, periods: readonly Period[], settings: Settings, options: MeasureOptions = {}, gaps?: KpiGaps,
): PeriodKpis[] {
  if (table.timezone !== settings.timezone) {
    throw new Error(`the records were read in ${table.timezone}, the settings say ${settings.timezone}`);
  }
  return measurePeriods(table, periods, options).map((d) => kpisOf(d, settings, gaps));
}

/** Every KPI of one period, from merged record objects (each record counts once, whatever its key). */
export function computePeriodKpis(records: RecordSets, period: Period, settings: Settings): PeriodKpis {
  return computeKpisForPeriods(tableOf(records, settings.timezone), [period], settings)[0]!;
}

/**
 * The latest period of `type` that has closed at instant `now` (seen in the table's time zone) and has a lead
 * created in it, or undefined when no lead is: what a preview of the scorecard is about when no period is named.
 */
export function latestClosedLeadPeriod(table: RecordTable, type: Period['type'], now: Date): Period | undefined {
  const today = toLocalDate(now.toISOString(), table.timezone);
  // Every period that starts before the current one's start has closed.
  const openFrom = isoDateToDay(periodContaining(type, today).startDate);
  const created = table.leads.cols.created;
  let latest = -Infinity;
  for (let r = 0; r < table.leads.size; r++) {
    const day = created[r]!;
    if (day < openFrom && day > latest) latest = day;
  }
  return latest === -Infinity ? undefined : periodContaining(type, dayToIsoDate(latest));
}
