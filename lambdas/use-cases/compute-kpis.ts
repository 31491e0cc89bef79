/**
 * Computing KPIs: merge the accepted records of every dataset (later uploads replace earlier records with the
 * same key), compute the requested periods in one pass and store them. The trend window is recomputed with the
 * period, so a corrected upload fixes the history the scorecard shows too.
 */
import { createHash } from 'node:crypto';
import { DATASET_NAMES, type DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import { RecordTable } from '../domain/records/record-table.ts';
import { computeKpisForPeriods, type PeriodKpis } from '../domain/metrics/compute.ts';
import { kpiGapsOf } from '../domain/metrics/kpi-gaps.ts';
import { METRICS } from '../domain/metrics/registry.ts';
import {
  dayToIsoDate, isoDateToDay, lastClosedPeriod, parsePeriodId, periodContaining, periodRange, previousPeriod, toLocalDate, type Period,
} from '../domain/periods/period.ts';
import {
  isNotFound, type Clock, type DatasetCompleteness, type KpiStore, type ObjectStore, type PeriodSummary, type StoredKpi,
  type UnreadableUpload, type UploadLedger, type UploadRecord, type UploadRef,
} from '../ports/index.ts';
import type { Snapshots } from '../ports/snapshots.ts';
import { syncSnapshot, type SnapshotSyncDeps, type SyncedSnapshot } from './snapshot-sync.ts';
import { latestLeadDayBefore, loadWindowTable } from './snapshot-window.ts';

export interface ComputeDeps {
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly kpis: KpiStore;
  /** Not read for the values (they depend on the inputs only); kept for the handler's contract. */
  readonly clock: Clock;
  readonly settings: Settings;
  /** Told about each accepted upload left out because its stored records are missing (the handler logs an error). */
  readonly onUnreadable?: (u: UnreadableUpload) => void;
  /**
   * The compacted snapshots (docs/snapshots.md): the run folds new uploads into them and reads only the partitions
   * its periods need. Without them every accepted record is read, as `loadAcceptedRecordTable` does.
   */
  readonly snapshots?: Snapshots;
  /** Told when a dataset's snapshot is built from all its uploads, and why (the handler logs it). */
  readonly onRebuild?: (dataset: DatasetName, reason: string) => void;
}

/** Periods recomputed before the target one, so trends and year-over-year read fresh values. */
export const TREND_WINDOW = 13;

/** Which periods to compute: one period (or the last closed one) and its trend window, or a range. */
export interface PeriodsRequest {
  readonly period?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * The periods a request computes, oldest first, and the one the scorecard is about: `{ period }` (or nothing:
 * the last closed period at `now`) with the `TREND_WINDOW` periods before it, or `{ from, to }` (the ids say
 * the period type) and its last period.
 */
export function periodsToCompute(request: PeriodsRequest, now: Date, periodType: Period['type'], timezone: string): { target: Period; periods: Period[] } {
  if (request.from || request.to) {
    const from = parsePeriodId(request.from ?? request.to!);
    const to = parsePeriodId(request.to ?? request.from!);
    return { target: to, periods: periodRange(from, to) };
  }
  const target = request.period ? parsePeriodId(request.period) : lastClosedPeriod(periodType, now, timezone);
  return { target, periods: periodRange(previousPeriod(target, TREND_WINDOW), target) };
}

/** The upload outcomes a computation read. */
export interface UploadsRead {
  /** Per dataset, the accepted uploads, oldest first (the order their records apply in). */
  readonly uploads: Readonly<Record<DatasetName, readonly UploadRecord[]>>;
  readonly rejected: readonly UploadRecord[];
  /** Accepted uploads whose file was deleted from `incoming/`: their records no longer count. */
  readonly retracted?: readonly UploadRecord[];
  /** Accepted uploads whose stored records are missing: left out of the values, and named in each period's summary. */
  readonly unreadable?: readonly UnreadableUpload[];
}

/** Merged records in the KPI engine's compact form, with the upload outcomes they came from. */
export interface AcceptedRecords extends UploadsRead {
  readonly table: RecordTable;
}

export async function listOutcomes(ledger: UploadLedger, datasets: readonly DatasetName[] = DATASET_NAMES): Promise<{ accepted: Record<DatasetName, UploadRecord[]>; rejected: UploadRecord[]; retracted: UploadRecord[] }> {
  const accepted = {} as Record<DatasetName, UploadRecord[]>;
  const rejected: UploadRecord[] = [];
  const retracted: UploadRecord[] = [];
  for (const dataset of datasets) {
    const all = await ledger.listUploads(dataset);
    // A retracted upload's file was deleted from incoming/: its records stop counting (a re-upload is a new upload).
    accepted[dataset] = all.filter((u) => u.status === 'accepted' && u.recordsKey && !u.retractedAt);
    retracted.push(...all.filter((u) => u.status === 'accepted' && u.retractedAt));
    rejected.push(...all.filter((u) => u.status === 'rejected'));
  }
  return { accepted, rejected, retracted };
}

/**
 * Reads every accepted upload's records into a `RecordTable` (dates seen in `timezone`), dataset by dataset,
 * oldest upload first, so a later upload's record replaces an earlier one with the same key. Records are
 * streamed: only the table's columns and the merge keys stay in memory.
 *
 * An upload whose stored records are missing (`NotFoundError`: the file was deleted by hand) is left out and
 * reported (`unreadable`, `onUnreadable`) rather than failing every run until someone notices. Any other read
 * error (throttling, the network, a corrupt file) fails the run, so Lambda retries it.
 */
export async function loadAcceptedRecordTable(deps: Pick<ComputeDeps, 'store' | 'ledger' | 'onUnreadable'>, timezone: string): Promise<AcceptedRecords> {
  const { accepted, rejected, retracted } = await listOutcomes(deps.ledger);
  const table = new RecordTable(timezone);
  const read = {} as Record<DatasetName, UploadRecord[]>;
  const unreadable: UnreadableUpload[] = [];
  for (const dataset of DATASET_NAMES) {
    read[dataset] = [];
    for (const u of accepted[dataset]) {
      let added = 0;
      try {
        for await (const r of deps.store.readRecords(u.bucket, u.recordsKey!)) {
          table.add(dataset, u.uploadId, r as never);
          added++;
        }
      } catch (e) {
        // Missing is only ever found before the first record; a file cut short after some records were merged
        // cannot be taken back out of the table, so that fails the run like any other error.
        if (!isNotFound(e) || added > 0) throw e;
        const skipped: UnreadableUpload = {
          dataset, uploadId: u.uploadId, key: u.key, recordsKey: u.recordsKey!,
          reason: `its stored records (${u.recordsKey}) are missing: deleted from the bucket? Upload ${u.key} again to count it`,
        };
        unreadable.push(skipped);
        deps.onUnreadable?.(skipped);
        continue;
      }
      read[dataset].push(u);
    }
  }
  return { table, uploads: read, rejected, retracted, ...(unreadable.length ? { unreadable } : {}) };
}

/**
 * When the values were "computed", as far as the stored items say: the newest outcome among the uploads read.
 * Deriving it from the inputs (not the clock) makes a recompute over the same inputs write identical items.
 */
export function inputsAsOf(read: UploadsRead): string {
  let latest = '';
  for (const u of [...DATASET_NAMES.flatMap((d) => read.uploads[d]), ...read.rejected]) {
    const t = u.processedAt || u.uploadedAt;
    if (t > latest) latest = t;
  }
  // A retraction changes the inputs without a new outcome: its time counts too.
  for (const u of read.retracted ?? []) if (u.retractedAt && u.retractedAt > latest) latest = u.retractedAt;
  return latest || new Date(0).toISOString();
}

/** A digest of what the values depend on: the upload outcomes read and the settings the formulas use. */
export function inputsDigest(read: UploadsRead, settings: Settings): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({
    uploads: DATASET_NAMES.map((d) => read.uploads[d].map((u) => [u.uploadId, u.recordsKey ?? '', u.processedAt])),
    rejected: read.rejected.map((u) => [u.uploadId, u.processedAt]),
    ...(read.retracted?.length ? { retracted: read.retracted.map((u) => [u.uploadId, u.retractedAt ?? '']) } : {}),
    ...(read.unreadable?.length ? { unreadable: read.unreadable.map((u) => u.uploadId) } : {}),
    settings: [settings.timezone, settings.currency, settings.clvLifespanCapMonths, settings.grossMargin ?? null],
  }));
  return h.digest('hex').slice(0, 32);
}

const refOf = (u: UploadRecord): UploadRef => ({ uploadId: u.uploadId, key: u.key, uploadedAt: u.uploadedAt });

/** The stored form of one period's KPIs. */
export function toStoredKpis(result: PeriodKpis, read: UploadsRead, computedAt: string, digest?: string): { summary: PeriodSummary; kpis: StoredKpi[] } {
  // Per dataset, the uploads with records in the period.
  const inPeriod = {} as Record<DatasetName, readonly string[]>;
  for (const d of DATASET_NAMES) inPeriod[d] = result.datasets?.[d]?.uploads ?? [];
  const kpis: StoredKpi[] = METRICS.map((def) => ({
    ...result.metrics[def.id]!,
    id: def.id,
    periodId: result.period.id,
    periodType: result.period.type,
    uploads: (result.inputs?.[def.id] ?? def.inputs).flatMap((d) => inPeriod[d]),
    computedAt,
  }));
  const uploads = {} as Record<DatasetName, { uploadId: string; key: string; uploadedAt: string; rows: number }[]>;
  const completeness = {} as Record<DatasetName, DatasetCompleteness>;
  for (const d of DATASET_NAMES) {
    const live = new Set(inPeriod[d]);
    const used = read.uploads[d].filter((u) => live.has(u.uploadId));
    uploads[d] = used.map((u) => ({ uploadId: u.uploadId, key: u.key, uploadedAt: u.uploadedAt, rows: u.acceptedRows }));
    const ds = result.datasets?.[d];
    const latest = read.uploads[d].at(-1);
    const latestIn = used.at(-1);
    completeness[d] = {
      records: ds?.records ?? (result.coverage[d] ? 1 : 0),
      ...(ds?.firstDate ? { firstDate: ds.firstDate } : {}),
      ...(ds?.lastDate ? { lastDate: ds.lastDate } : {}),
      ...(latest ? { latestUpload: refOf(latest) } : {}),
      ...(latestIn ? { latestUploadInPeriod: refOf(latestIn) } : {}),
      requiredBy: METRICS.filter((def) => (result.inputs?.[def.id] ?? def.inputs).includes(d)).map((def) => def.id),
    };
  }
  const summary: PeriodSummary = {
    periodId: result.period.id, periodType: result.period.type, timezone: result.timezone, currency: result.currency,
    coverage: result.coverage, uploads,
    rejected: read.rejected.map((u) => ({
      key: u.key, dataset: u.dataset, uploadedAt: u.uploadedAt,
      errors: Object.values(u.errorCounts).reduce((a, b) => a + (b ?? 0), 0),
    })),
    completeness,
    missing: DATASET_NAMES.filter((d) => !result.coverage[d]),
    ...(read.unreadable?.length ? { unreadableUploads: read.unreadable } : {}),
    ...(digest ? { inputsDigest: digest } : {}),
    computedAt,
  };
  return { summary, kpis };
}

/**
 * Computes and stores the given periods; returns what was computed, oldest first. The records are read once and
 * every period is computed in the same pass over them. Same inputs, same items: nothing stored depends on the
 * clock (see `inputsAsOf`).
 */
export async function computeAndStoreKpis(periods: readonly Period[], deps: ComputeDeps): Promise<PeriodKpis[]> {
  const { snapshots } = deps;
  if (!snapshots) return storeKpisFrom(await loadAcceptedRecordTable(deps, deps.settings.timezone), periods, deps);
  const withSnapshots = { ...deps, snapshots };
  return storeKpisFrom(await readThroughSnapshots(await syncSnapshots(withSnapshots), periods, withSnapshots), periods, deps);
}

/** The upload outcomes and every dataset's snapshot, brought up to the accepted uploads. */
export interface SyncedRecords {
  readonly snapshots: Readonly<Record<DatasetName, SyncedSnapshot>>;
  readonly rejected: readonly UploadRecord[];
  readonly retracted: readonly UploadRecord[];
}

type SnapshotDeps = Pick<ComputeDeps, 'store' | 'ledger' | 'onUnreadable' | 'onRebuild' | 'settings'> & {
  readonly snapshots: Snapshots;
  /** How a fold batches records and cuts the key index (snapshot-sync.ts); the defaults suit a Lambda. */
  readonly snapshotTuning?: Pick<SnapshotSyncDeps, 'batchRecords' | 'keyShardKeys'>;
};

/** Brings every dataset's snapshot up to its accepted uploads (folding in the new ones; see snapshot-sync.ts). */
export async function syncSnapshots(deps: SnapshotDeps): Promise<SyncedRecords> {
  const { accepted, rejected, retracted } = await listOutcomes(deps.ledger);
  const snapshots = {} as Record<DatasetName, SyncedSnapshot>;
  for (const d of DATASET_NAMES) {
    let list: readonly UploadRecord[] | undefined = accepted[d];
    // The first attempt uses the listing above; one after a lost race lists again (the winner may have seen more).
    const listAccepted = async (): Promise<readonly UploadRecord[]> => {
      const first = list;
      list = undefined;
      return first ?? (await listOutcomes(deps.ledger, [d])).accepted[d];
    };
    snapshots[d] = await syncSnapshot(d, listAccepted, {
      objects: deps.store, snapshots: deps.snapshots, timezone: deps.settings.timezone,
      ...(deps.onUnreadable ? { onUnreadable: deps.onUnreadable } : {}), ...(deps.onRebuild ? { onRebuild: deps.onRebuild } : {}),
      ...deps.snapshotTuning,
    });
  }
  return { snapshots, rejected, retracted };
}

/**
 * The records `periods` need, read from synced snapshots, with the outcomes they came from: what
 * `loadAcceptedRecordTable` gives, for those periods. A partition deleted under the run (another run switched the
 * snapshot and cleaned up) makes it sync again and read the new one.
 */
export async function readThroughSnapshots(synced: SyncedRecords, periods: readonly Period[], deps: SnapshotDeps): Promise<AcceptedRecords> {
  for (let attempt = 1; ; attempt++) {
    try {
      const table = await loadWindowTable(synced.snapshots, periods, deps.snapshots.store, deps.settings.timezone);
      const uploads = {} as Record<DatasetName, UploadRecord[]>;
      for (const d of DATASET_NAMES) uploads[d] = synced.snapshots[d].read;
      const unreadable = DATASET_NAMES.flatMap((d) => synced.snapshots[d].unreadable);
      return { table, uploads, rejected: synced.rejected, retracted: synced.retracted, ...(unreadable.length ? { unreadable } : {}) };
    } catch (e) {
      if (!isNotFound(e) || attempt >= 3) throw e;
      synced = await syncSnapshots({ ...deps, onUnreadable: () => undefined });
    }
  }
}

/**
 * The latest period of `type` that has closed at `now` (in the settings' time zone) and has a lead created in
 * it, from the leads snapshot: `latestClosedLeadPeriod` without reading every lead.
 */
export async function latestClosedLeadPeriodOf(synced: SyncedRecords, type: Period['type'], now: Date, deps: SnapshotDeps): Promise<Period | undefined> {
  const today = toLocalDate(now.toISOString(), deps.settings.timezone);
  const openFrom = isoDateToDay(periodContaining(type, today).startDate);
  const day = await latestLeadDayBefore(synced.snapshots.leads.manifest, openFrom, deps.snapshots.store);
  return day === undefined ? undefined : periodContaining(type, dayToIsoDate(day));
}

/**
 * `computeAndStoreKpis` from records already read, for a caller that looks at them first (the CLI picks its
 * default period from the table). `read` must come from `loadAcceptedRecordTable` in the settings' time zone.
 */
export async function storeKpisFrom(read: AcceptedRecords, periods: readonly Period[], deps: Pick<ComputeDeps, 'kpis' | 'settings'>): Promise<PeriodKpis[]> {
  const computedAt = inputsAsOf(read);
  const digest = inputsDigest(read, deps.settings);
  // Accepted uploads that lack a column some KPIs need: those KPIs are null, with the reason, where they count.
  const results = computeKpisForPeriods(read.table, periods, deps.settings, {}, kpiGapsOf(DATASET_NAMES.flatMap((d) => read.uploads[d])));
  for (const result of results) {
    const { summary, kpis } = toStoredKpis(result, read, computedAt, digest);
    await deps.kpis.putPeriod(summary, kpis);
  }
  return results;
}
