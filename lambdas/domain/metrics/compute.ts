/** `computePeriodKpis`: every KPI of the registry for one period, from merged records. Pure. */
import type { Settings } from '../settings.ts';
import type { Period } from '../periods/period.ts';
import type { DatasetName } from '../layout.ts';
import { measurePeriod, type RecordSets } from './measures.ts';
import { METRICS, type MetricValue } from './registry.ts';

export interface PeriodKpis {
  readonly period: Period;
  readonly timezone: string;
  readonly currency: string;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Datasets with records dated in the period, and those without. */
  readonly coverage: { readonly [N in DatasetName]: boolean };
}

/** Values are finite numbers or null: a NaN or an Infinity here is a bug, so it throws. */
function assertFinite(id: string, v: MetricValue): MetricValue {
  if (v.value !== null && !Number.isFinite(v.value)) throw new Error(`KPI ${id} computed a non-finite value ${v.value}`);
  return v;
}

export function computePeriodKpis(records: RecordSets, period: Period, settings: Settings): PeriodKpis {
  const measures = measurePeriod(records, period, settings.timezone);
  const metrics: Record<string, MetricValue> = {};
  for (const def of METRICS) metrics[def.id] = assertFinite(def.id, def.compute(measures, { settings }));
  return { period, timezone: settings.timezone, currency: settings.currency, metrics, coverage: measures.covered };
}
