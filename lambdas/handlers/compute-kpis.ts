/**
 * Scheduled after each period closes: computes the period that just ended (and the trend window before it).
 * Invoked with `{ "period": "2026-10" }` it computes that period and its trend window; with
 * `{ "from": "2026-01", "to": "2026-10" }` it backfills the range (the ids say the period type). The records are
 * read once and every period is computed in one pass. Its result is the report function's input (async on-success
 * destination).
 */
import { computeAndStoreKpis, periodsToCompute } from '../use-cases/compute-kpis.ts';
import { lambdaHandler } from './middleware.ts';
import { countKpis } from './observability.ts';
import type { Runtime } from './runtime.ts';
import { snapshotsOf } from './runtime-snapshots.ts';

export interface ComputeKpisEvent {
  readonly period?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ComputeKpisResult {
  /** The period the scorecard is about. */
  readonly period: string;
  readonly computed: readonly string[];
}

// Which periods an event computes lives with the use case, so the CLI's `report` computes the same ones.
export { TREND_WINDOW, periodsToCompute } from '../use-cases/compute-kpis.ts';

async function computeKpis(event: ComputeKpisEvent | undefined, rt: Runtime): Promise<ComputeKpisResult> {
  const { target, periods } = periodsToCompute(event ?? {}, rt.clock.now(), rt.settings.periodType, rt.settings.timezone);
  const results = await computeAndStoreKpis(periods, {
    store: rt.store, ledger: rt.table.uploads, kpis: rt.table.kpis, clock: rt.clock, settings: rt.settings,
    ...(snapshotsOf(rt) ? { snapshots: snapshotsOf(rt)! } : {}),
    // Rare (a retraction, a late event, the first run): the run then reads every upload of the dataset once.
    onRebuild: (dataset, reason) => rt.logger.info('snapshot rebuilt from the uploads', { dataset, reason }),
    // The run goes on without the upload (each period summary names it); logged at error level, not as a warning.
    onUnreadable: (u) => rt.logger.error('stored records missing: upload left out of the KPIs', {
      dataset: u.dataset, uploadId: u.uploadId, key: u.key, recordsKey: u.recordsKey, reason: u.reason,
    }),
  });
  const last = results.find((r) => r.period.id === target.id);
  const missing = last ? Object.entries(last.coverage).filter(([, covered]) => !covered).map(([d]) => d) : [];
  rt.logger.info('KPIs computed', { period: target.id, periods: results.length, missingDatasets: missing });
  const result = { period: target.id, computed: results.map((r) => r.period.id) };
  countKpis(rt.metrics, result);
  return result;
}

/** Scheduler invokes it with `{}`; a backfill with a period or a range. */
export const handler = lambdaHandler('compute-kpis', computeKpis);
