/**
 * The optional columns some KPIs cannot do without: an upload accepted without one of them says so (a
 * `kpi-input-missing` warning) and those KPIs are null, with the reason, for the periods its records count in
 * (metrics/kpi-gaps.ts): deals without a source would otherwise give 0% marketing-sourced pipeline, leads without
 * MQL dates 0 MQLs, customers without churn dates 100% retention.
 */
import type { DatasetName } from '../layout.ts';

export interface KpiInput {
  readonly column: string;
  /** Columns that stand in for it (a `marketing_sourced` column says what a source would). */
  readonly unless?: readonly string[];
  /** KPIs (ids of metrics/registry.ts) that read it. */
  readonly kpis: readonly string[];
  /** KPIs that read it only when new customers come from the leads (no customers dataset). */
  readonly kpisWhenNewCustomersFromLeads?: readonly string[];
  /** What is lost without it, in words. */
  readonly loses: string;
}

export const KPI_INPUTS: { readonly [N in DatasetName]: readonly KpiInput[] } = {
  leads: [
    { column: 'mql_at', kpis: ['mqls', 'lead_to_mql_rate', 'mql_to_sql_rate'], loses: 'MQL dates' },
    { column: 'sql_at', kpis: ['sqls', 'mql_to_sql_rate', 'sql_acceptance_rate', 'sql_to_opportunity_rate'], loses: 'SQL dates' },
    { column: 'sql_status', kpis: ['sql_acceptance_rate'], loses: 'whether sales accepted each SQL' },
    {
      column: 'customer_at', kpis: ['sales_cycle_days'], kpisWhenNewCustomersFromLeads: ['lead_to_customer_rate', 'cac', 'ltv_to_cac'],
      loses: 'the date each lead became a customer',
    },
  ],
  opportunities: [
    {
      column: 'source', unless: ['marketing_sourced'], kpis: ['marketing_sourced_pipeline_pct', 'marketing_sourced_revenue_pct'],
      loses: 'the source of each deal (so which deals marketing sourced)',
    },
  ],
  spend: [],
  customers: [
    { column: 'churned_at', unless: ['cancelled_at'], kpis: ['customer_retention_rate', 'clv', 'ltv_to_cac'], loses: 'churn dates' },
    { column: 'mrr', unless: ['arr'], kpis: ['arpu', 'clv', 'ltv_to_cac'], loses: 'each customer\'s MRR' },
  ],
  web_traffic: [],
};

/** The KPI inputs a file with these columns lacks. */
export function missingKpiInputs(dataset: DatasetName, has: (column: string) => boolean): KpiInput[] {
  return KPI_INPUTS[dataset].filter((k) => !has(k.column) && !(k.unless ?? []).some(has));
}
