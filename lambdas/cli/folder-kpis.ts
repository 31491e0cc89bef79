/** What `kpis` and `report` share: the pipeline's use cases run over the `--data` folder. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Settings } from '../domain/settings.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import type { MetricValue } from '../domain/metrics/registry.ts';
import { parsePeriodId, type Period } from '../domain/periods/period.ts';
import type { InMemoryKpiStore } from '../adapters/memory.ts';
import {
  latestClosedLeadPeriodOf, periodsToCompute, readThroughSnapshots, storeKpisFrom, syncSnapshots,
} from '../use-cases/compute-kpis.ts';
import { ingestFolder, rejectedReports, withFolderRun, type FolderInput } from './composition.ts';
import { loadSettings, UsageError, type Io } from './options.ts';

/** What `kpis` and `report` compute from a folder: the files' outcomes and, when any was accepted, the KPIs. */
export type FolderKpis =
  | { readonly computed: false; readonly inputs: FolderInput[]; readonly rejected: ValidationReport[] }
  | {
    readonly computed: true; readonly inputs: FolderInput[]; readonly settings: Settings; readonly now: Date;
    readonly period: Period; readonly kpis: InMemoryKpiStore;
  };

/**
 * Runs the pipeline's use cases over the `--data` folder (see composition.ts): every file ingested, then the KPI
 * step for the period (`--period`, or the latest closed period with leads) and, with `trend`, the periods
 * before it that the scheduled run recomputes with it.
 */
export async function computeFromFolder(v: Record<string, unknown>, io: Io, trend: boolean): Promise<FolderKpis> {
  if (typeof v.data !== 'string') throw new UsageError('--data <dir> is required');
  const settings = await loadSettings(v, io.cwd);
  const dataDir = resolve(io.cwd, v.data);
  if (!(await isFolder(dataDir))) throw new UsageError(`--data ${v.data} is not a folder: give the folder that holds <dataset>/ sub-folders (like samples/)`);
  const now = io.now();
  const named = typeof v.period === 'string' ? parsePeriodId(v.period) : undefined;
  return withFolderRun(dataDir, settings, now, async (run): Promise<FolderKpis> => {
    const inputs = await ingestFolder(run);
    if (!inputs.some((i) => i.status === 'accepted')) return { computed: false, inputs, rejected: await rejectedReports(run) };
    // The Lambda's path: fold the uploads into snapshots, then read only the partitions the periods need.
    const synced = await syncSnapshots(run);
    const period = named ?? await latestClosedLeadPeriodOf(synced, settings.periodType, now, run);
    if (!period) throw new UsageError('no lead records dated in a closed period: name one with --period');
    const periods = trend ? periodsToCompute({ period: period.id }, now, settings.periodType, settings.timezone).periods : [period];
    await storeKpisFrom(await readThroughSnapshots(synced, periods, run), periods, run);
    return { computed: true, inputs, settings, period, kpis: run.kpis, now };
  });
}

/** A period's KPIs as computed, read back from the store (without what storing adds to each). */
export async function storedMetrics(kpis: InMemoryKpiStore, period: Period): Promise<Record<string, MetricValue>> {
  const metrics: Record<string, MetricValue> = {};
  for (const k of (await kpis.getPeriod(period.id)).kpis) {
    const { id, periodId: _p, periodType: _t, uploads: _u, computedAt: _c, ...value } = k;
    metrics[id] = value;
  }
  return metrics;
}


async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
