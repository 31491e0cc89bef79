/**
 * KPIs an accepted upload cannot support: its file lacked a column they need (datasets/kpi-inputs.ts: deals without
 * a source, leads without MQL dates, customers without churn dates). For each period in which a record of such an
 * upload counts, those KPIs are null with the reason, never a number computed as if the column were blank.
 */
import { KPI_INPUTS } from '../datasets/kpi-inputs.ts';
import type { DatasetName } from '../layout.ts';
import type { DatasetInPeriod } from './measures.ts';
import type { MetricValue } from './registry.ts';

/** An accepted upload and the KPI input columns its file lacked. */
export interface UploadGap {
  readonly dataset: DatasetName;
  readonly key: string;
  readonly missing: readonly string[];
}

/** Upload id → what it lacks; only uploads that lack something. */
export type KpiGaps = ReadonlyMap<string, UploadGap>;

/** The gaps of accepted uploads, from their records (`missingInputs`). */
export function kpiGapsOf(uploads: Iterable<{ readonly uploadId: string; readonly dataset: DatasetName; readonly key: string; readonly missingInputs?: readonly string[] }>): KpiGaps {
  const gaps = new Map<string, UploadGap>();
  for (const u of uploads) if (u.missingInputs?.length) gaps.set(u.uploadId, { dataset: u.dataset, key: u.key, missing: u.missingInputs });
  return gaps;
}

/**
 * The period's KPIs with those its uploads cannot support made null, with the reason. `inputs` are the datasets
 * each KPI was computed from in the period; `newCustomersFrom` where its new customers came from.
 */
export function withGaps(
  metrics: Readonly<Record<string, MetricValue>>,
  inputs: Readonly<Record<string, readonly DatasetName[]>>,
  datasets: { readonly [N in DatasetName]: DatasetInPeriod },
  newCustomersFrom: DatasetName,
  gaps: KpiGaps,
): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = { ...metrics };
  if (gaps.size === 0) return out;
  const nulled = new Set<string>();
  for (const dataset of Object.keys(datasets) as DatasetName[]) {
    for (const uploadId of datasets[dataset].uploads ?? []) {
      const gap = gaps.get(uploadId);
      if (!gap) continue;
      for (const input of KPI_INPUTS[dataset].filter((k) => gap.missing.includes(k.column))) {
        const kpis = [...input.kpis, ...(newCustomersFrom === 'leads' ? input.kpisWhenNewCustomersFromLeads ?? [] : [])];
        for (const id of kpis) {
          const current = out[id];
          // Only where the KPI read this dataset in the period; the first reason found is kept.
          if (!current || !inputs[id]?.includes(dataset) || nulled.has(id)) continue;
          nulled.add(id);
          out[id] = { value: null, reason: `the ${dataset} upload ${gap.key} has no ${input.column} column (${input.loses}), so this is n/a rather than a wrong number` };
        }
      }
    }
  }
  return out;
}
