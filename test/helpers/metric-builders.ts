/** What the KPI tests share: record sets, the October 2026 KPIs of a set, and the KPI table of metrics.md. */
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import { computePeriodKpis, type PeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import type { RecordSets } from '../../lambdas/domain/metrics/measures.ts';
import type { MetricValue } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { settingsWith } from './export-builders.ts';

export function sets(partial: Partial<{ [N in DatasetName]: RecordSets[N] }> = {}): RecordSets {
  return { leads: [], opportunities: [], spend: [], customers: [], web_traffic: [], ...partial };
}

export const OCTOBER = parsePeriodId('2026-10');
export const kpis = (records: RecordSets, settings = settingsWith(), period = OCTOBER): PeriodKpis['metrics'] =>
  computePeriodKpis(records, period, settings).metrics;
export const kpi = (m: PeriodKpis['metrics'], id: string): MetricValue => {
  const v = m[id];
  if (!v) throw new Error(`no KPI ${id}`);
  return v;
};

/** The KPI table of metrics.md: id, unit, better. */
export const CATALOG: readonly [string, string, 'up' | 'down'][] = [
  ['leads', 'count', 'up'],
  ['mqls', 'count', 'up'],
  ['sqls', 'count', 'up'],
  ['lead_to_mql_rate', 'rate', 'up'],
  ['mql_to_sql_rate', 'rate', 'up'],
  ['sql_acceptance_rate', 'rate', 'up'],
  ['sql_to_opportunity_rate', 'rate', 'up'],
  ['lead_to_customer_rate', 'rate', 'up'],
  ['win_rate', 'rate', 'up'],
  ['revenue', 'money', 'up'],
  ['avg_deal_size', 'money', 'up'],
  ['pipeline_created', 'money', 'up'],
  ['marketing_sourced_pipeline_pct', 'rate', 'up'],
  ['marketing_sourced_revenue_pct', 'rate', 'up'],
  ['cost_per_lead', 'money', 'down'],
  ['cac', 'money', 'down'],
  ['customer_retention_rate', 'rate', 'up'],
  ['arpu', 'money', 'up'],
  ['clv', 'money', 'up'],
  ['ltv_to_cac', 'ratio', 'up'],
  ['sales_cycle_days', 'days', 'down'],
  ['sessions', 'count', 'up'],
  ['bounce_rate', 'rate', 'down'],
  ['visitor_to_lead_rate', 'rate', 'up'],
];
