/**
 * Reading the records some periods need from the datasets' snapshots: only the partitions whose dates can fall
 * in the periods (`partitionNeeded`), only the columns the KPI engine reads, into a `RecordTable` that gives the
 * same values as one holding every merged record (segments and uploads registered in a full read's order, rows
 * merged back into it, and the whole history's lead sources and record counts from the manifests).
 */
import { DATASET_NAMES, type DatasetName } from '../domain/layout.ts';
import { RecordTable } from '../domain/records/record-table.ts';
import { partitionNeeded, type SnapshotManifest } from '../domain/records/snapshot.ts';
import { appendPartitions, type KpiColumns } from '../domain/records/snapshot-columns.ts';
import { periodDays, type Period } from '../domain/periods/period.ts';
import type { SnapshotStore } from '../ports/snapshots.ts';
import type { SyncedSnapshot } from './snapshot-sync.ts';

/** The days [from, to) the periods span together. */
export function windowOf(periods: readonly Period[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const p of periods) {
    const { startDay, endDay } = periodDays(p);
    if (startDay < from) from = startDay;
    if (endDay > to) to = endDay;
  }
  return { from, to };
}

/** The partitions (months, oldest first) of a dataset that the days [from, to) need. */
export function partitionsFor(m: SnapshotManifest, from: number, to: number): string[] {
  return Object.keys(m.partitions).sort().filter((month) => partitionNeeded(m.dataset, month, m.partitions[month]!, from, to));
}

/** Reads the partitions, a few at a time (S3 answers each read in tens of milliseconds). */
async function readAll(store: SnapshotStore, dataset: DatasetName, keys: readonly string[]): Promise<KpiColumns[]> {
  const out: KpiColumns[] = new Array(keys.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const i = next++;
      out[i] = await store.readKpiColumns(keys[i]!, dataset);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, keys.length) }, worker));
  return out;
}

/** The table of the records `periods` need, from synced snapshots, with dates in `timezone`. */
export async function loadWindowTable(
  synced: Readonly<Record<DatasetName, SyncedSnapshot>>, periods: readonly Period[], store: SnapshotStore, timezone: string,
): Promise<RecordTable> {
  const table = new RecordTable(timezone);
  for (const d of DATASET_NAMES) for (const [key, label] of synced[d].manifest.segments) table.registerSegment(key, label);
  for (const d of DATASET_NAMES) for (const u of synced[d].read) table.uploadOf(u.uploadId);
  const leadSources = new Set<string>();
  for (const p of Object.values(synced.leads.manifest.partitions)) for (const s of p.sources ?? []) leadSources.add(s);
  table.history = {
    leadSources,
    records: Object.fromEntries(DATASET_NAMES.map((d) => [d, synced[d].manifest.records])) as Record<DatasetName, number>,
  };
  const { from, to } = windowOf(periods);
  for (const d of DATASET_NAMES) {
    const m = synced[d].manifest;
    const parts = await readAll(store, d, partitionsFor(m, from, to).map((month) => m.partitions[month]!.key));
    appendPartitions(table, d, parts, { from, to });
  }
  return table;
}

/**
 * The local day of the latest lead created before day `before`, from the leads snapshot (undefined when none
 * is): the partitions' ranges answer it, or the one partition that straddles `before` is read.
 */
export async function latestLeadDayBefore(m: SnapshotManifest, before: number, store: SnapshotStore): Promise<number | undefined> {
  for (const month of Object.keys(m.partitions).sort().reverse()) {
    const p = m.partitions[month]!;
    const range = p.days.created_at;
    if (!range || range[0] >= before) continue;
    if (range[1] < before) return range[1];
    const { n, cols } = await store.readKpiColumns(p.key, 'leads');
    let latest = -Infinity;
    const created = cols.created_date!;
    for (let r = 0; r < n; r++) {
      const day = Number(created[r]);
      if (day < before && day > latest) latest = day;
    }
    return latest;
  }
  return undefined;
}
