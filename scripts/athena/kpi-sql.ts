/**
 * Three KPIs as SQL over the snapshot tables (docs/scale.md: the KPI step beyond one Lambda), written once for
 * Athena (Trino) and DuckDB alike: `source(dataset)` names the table (`smarketing_scorecard.leads` in Athena,
 * `read_parquet('…/snapshots/leads/*\/*.parquet', hive_partitioning = true)` in DuckDB). Days are the stored local
 * days (`*_date`, DATE), money is in minor units; each query gives one row per month of [from, to).
 *
 * And today's way, for the benchmark: every stored upload read, the later upload's record kept per key.
 */
export type TableSource = (dataset: 'leads' | 'opportunities') => string;

const month = (column: string): string => `substr(CAST(${column} AS VARCHAR), 1, 7)`;
const within = (column: string, from: string, to: string): string => `${column} >= DATE '${from}' AND ${column} < DATE '${to}'`;

/** leads(P): leads created in the month. */
export const leadsSql = (source: TableSource, from: string, to: string): string => `
  SELECT ${month('created_date')} AS period, count(*) AS leads
  FROM ${source('leads')}
  WHERE ${within('created_date', from, to)}
  GROUP BY 1 ORDER BY 1`;

/** pipeline_created(P): Σ amount (minor units) of opportunities created in the month. */
export const pipelineSql = (source: TableSource, from: string, to: string): string => `
  SELECT ${month('created_date')} AS period, sum(amount_minor) AS pipeline_minor
  FROM ${source('opportunities')}
  WHERE ${within('created_date', from, to)}
  GROUP BY 1 ORDER BY 1`;

/** win_rate(P): deals won / deals closed (won or lost) in the month. */
export const winRateSql = (source: TableSource, from: string, to: string): string => `
  SELECT ${month('closed_date')} AS period, count_if(status = 'won') AS won, count(*) AS closed
  FROM ${source('opportunities')}
  WHERE status IN ('won', 'lost') AND ${within('closed_date', from, to)}
  GROUP BY 1 ORDER BY 1`;
