/**
 * Computing KPIs: merge the accepted records of every dataset (later uploads replace earlier records with the
 * same key), compute the requested periods and store them. The trend window is recomputed with the period,
 * so a corrected upload fixes the history the scorecard shows too.
 */
import { DATASET_NAMES, type DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import type { DatasetRecords } from '../domain/datasets/records.ts';
import { RecordMerger } from '../domain/records/merge.ts';
import type { RecordSets } from '../domain/metrics/measures.ts';
import { computePeriodKpis, type PeriodKpis } from '../domain/metrics/compute.ts';
import { METRICS } from '../domain/metrics/registry.ts';
import type { Period } from '../domain/periods/period.ts';
import type { Clock, KpiStore, ObjectStore, PeriodSummary, StoredKpi, UploadLedger, UploadRecord } from '../ports/index.ts';

export interface ComputeDeps {
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly kpis: KpiStore;
  readonly clock: Clock;
  readonly settings: Settings;
}

export interface LoadedRecords {
  readonly records: RecordSets;
  readonly uploads: Readonly<Record<DatasetName, UploadRecord[]>>;
  readonly contributing: Readonly<Record<DatasetName, string[]>>;
  readonly rejected: UploadRecord[];
}

/** Reads and merges every accepted upload's records, dataset by dataset, oldest upload first. */
export async function loadAcceptedRecords(deps: Pick<ComputeDeps, 'store' | 'ledger'>): Promise<LoadedRecords> {
  const records = {} as { [N in DatasetName]: DatasetRecords[N][] };
  const uploads = {} as Record<DatasetName, UploadRecord[]>;
  const contributing = {} as Record<DatasetName, string[]>;
  const rejected: UploadRecord[] = [];
  for (const dataset of DATASET_NAMES) {
    const all = await deps.ledger.listUploads(dataset);
    const accepted = all.filter((u) => u.status === 'accepted' && u.recordsKey);
    rejected.push(...all.filter((u) => u.status === 'rejected'));
    const merger = new RecordMerger(dataset);
    for (const u of accepted) {
      for await (const r of deps.store.readRecords(u.bucket, u.recordsKey!)) {
        merger.add(u.uploadId, r as DatasetRecords[typeof dataset]);
      }
    }
    (records as Record<DatasetName, unknown[]>)[dataset] = merger.records();
    uploads[dataset] = accepted;
    contributing[dataset] = merger.contributingUploads();
  }
  return { records, uploads, contributing, rejected };
}

/** The stored form of one period's KPIs. */
export function toStoredKpis(result: PeriodKpis, loaded: LoadedRecords, computedAt: string): { summary: PeriodSummary; kpis: StoredKpi[] } {
  const kpis: StoredKpi[] = METRICS.map((def) => ({
    ...result.metrics[def.id]!,
    id: def.id,
    periodId: result.period.id,
    periodType: result.period.type,
    uploads: def.inputs.flatMap((d) => loaded.contributing[d]).sort(),
    computedAt,
  }));
  const uploads = {} as Record<DatasetName, { uploadId: string; key: string; uploadedAt: string; rows: number }[]>;
  for (const d of DATASET_NAMES) {
    const live = new Set(loaded.contributing[d]);
    uploads[d] = loaded.uploads[d]
      .filter((u) => live.has(u.uploadId))
      .map((u) => ({ uploadId: u.uploadId, key: u.key, uploadedAt: u.uploadedAt, rows: u.acceptedRows }));
  }
  const summary: PeriodSummary = {
    periodId: result.period.id, periodType: result.period.type, timezone: result.timezone, currency: result.currency,
    coverage: result.coverage, uploads,
    rejected: loaded.rejected.map((u) => ({
      key: u.key, dataset: u.dataset, uploadedAt: u.uploadedAt,
      errors: Object.values(u.errorCounts).reduce((a, b) => a + (b ?? 0), 0),
    })),
    computedAt,
  };
  return { summary, kpis };
}

/** Computes and stores the given periods; returns what was computed, oldest first. */
export async function computeAndStoreKpis(periods: readonly Period[], deps: ComputeDeps): Promise<PeriodKpis[]> {
  const loaded = await loadAcceptedRecords(deps);
  const computedAt = deps.clock.now().toISOString();
  const results: PeriodKpis[] = [];
  for (const period of periods) {
    const result = computePeriodKpis(loaded.records, period, deps.settings);
    const { summary, kpis } = toStoredKpis(result, loaded, computedAt);
    await deps.kpis.putPeriod(summary, kpis);
    results.push(result);
  }
  return results;
}
