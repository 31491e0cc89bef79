/**
 * Compacted snapshots of the merged records (docs/snapshots.md): per dataset, the latest record of each key,
 * partitioned by the local month of the record's primary date, behind a manifest. A KPI run folds in only the
 * uploads the manifest does not cover yet, then reads only the partitions its periods need.
 *
 * This module is the pure part: the manifest's shape, which month a record goes to, what each partition keeps
 * about its dates (so a window can tell which partitions it needs), and whether a snapshot can be carried forward
 * or must be rebuilt from the uploads.
 */
import type { DatasetName } from '../layout.ts';
import { RECORD_FIELDS, type AnyRecord, type DatasetRecords } from '../datasets/records.ts';
import { daysFromCivil, dayToIsoDate, localDayNumber } from '../periods/period.ts';
import { segmentKey } from './record-table.ts';

/** The version of the stored form; a manifest of another format is rebuilt. */
export const SNAPSHOT_FORMAT = 2;

/** The date fields of each dataset, the primary one first: its local month names the record's partition. */
export const DATE_FIELDS = {
  leads: ['created_at', 'mql_at', 'sql_at', 'customer_at'],
  opportunities: ['created_at', 'closed_at'],
  spend: ['date'],
  customers: ['started_at', 'churned_at'],
  web_traffic: ['date'],
} as const satisfies { readonly [N in DatasetName]: readonly (keyof DatasetRecords[N])[] };

/** The column holding a date field's local day (a Parquet DATE): `created_at` → `created_date`, `date` → `day`. */
export const dayColumn = (field: string): string => (field.endsWith('_at') ? `${field.slice(0, -3)}_date` : 'day');

type Kind = 'STRING' | 'INT64' | 'DOUBLE' | 'BOOLEAN';
const KINDS: Readonly<Record<string, Kind>> = {
  amount_minor: 'INT64', mrr_minor: 'INT64', sessions: 'DOUBLE', engaged_sessions: 'DOUBLE', bounce_rate: 'DOUBLE', conversions: 'DOUBLE',
  marketing_sourced: 'BOOLEAN',
};
/** The Parquet kind of a record field: money in minor units, counts and rates, flags; every other field is text. */
export const fieldKind = (field: string): Kind => KINDS[field] ?? 'STRING';
const ATHENA_TYPES: Readonly<Record<Kind, string>> = { STRING: 'string', INT64: 'bigint', DOUBLE: 'double', BOOLEAN: 'boolean' };

/**
 * The columns of a dataset's partitions, in file order, with their Athena types (the Glue tables list these): every
 * record field, each date field's local day, the upload a record came from and its `record_order`.
 */
export function snapshotColumns(dataset: DatasetName): { name: string; athenaType: string }[] {
  return [
    ...(RECORD_FIELDS[dataset] as readonly string[]).map((f) => ({ name: f, athenaType: ATHENA_TYPES[fieldKind(f)] })),
    ...(DATE_FIELDS[dataset] as readonly string[]).map((f) => ({ name: dayColumn(f), athenaType: 'date' })),
    { name: 'upload_id', athenaType: 'string' },
    { name: 'record_order', athenaType: 'double' },
  ];
}

/** A record as a snapshot holds it: the upload it came from and when its key was first met (see `recordOrder`). */
export interface SnapshotRow {
  readonly record: AnyRecord;
  readonly upload: string;
  readonly order: number;
}

/**
 * When a key was first met in a full read of the uploads: the upload's position in application order and the
 * record's row in it. A full read keeps one row per key where the key first appeared; a snapshot keeps this
 * number, so rows read from several partitions are put back in that order and every sum adds up in the same
 * order as a full read (a float sum depends on it).
 */
export const recordOrder = (uploadPosition: number, row: number): number => uploadPosition * 2 ** 32 + row;

/** An upload the snapshot reflects, in application order; `missing` when its stored records could not be read. */
export interface AppliedUpload {
  readonly uploadId: string;
  readonly missing?: true;
}

export interface PartitionEntry {
  /** The object holding the partition's rows. */
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  /** The uploads with a record in the partition, in application order. */
  readonly uploads: readonly string[];
  /** Per date field, the first and last local day among the records that have it. */
  readonly days: Readonly<Record<string, readonly [number, number]>>;
  /** Date fields some record has no value for (a customer who has not churned is active ever after). */
  readonly open: readonly string[];
  /** Leads only: the sources (segment keys) of its records, for the "every lead source" of the measures. */
  readonly sources?: readonly string[];
}

/** One shard of the key index: the keys from `first` up to the next shard's first. */
export interface KeyShardEntry {
  /** The lowest key it may hold ('' for the first shard). */
  readonly first: string;
  /** Its object. */
  readonly key: string;
  readonly keys: number;
  readonly bytes: number;
}

export interface SnapshotManifest {
  readonly format: number;
  readonly dataset: DatasetName;
  readonly version: number;
  /** The time zone the local days were computed in; another zone means a rebuild. */
  readonly timezone: string;
  readonly applied: readonly AppliedUpload[];
  /** By local month, `YYYY-MM`. */
  readonly partitions: Readonly<Record<string, PartitionEntry>>;
  /** The key index (`key-index.ts`): where each key's record is, in shards by key range, in key order. */
  readonly keyShards?: readonly KeyShardEntry[];
  readonly records: number;
  /** Every segment met in the uploads (sources, channels, breakdown values), in first-met order, with its label. */
  readonly segments: readonly (readonly [string, string])[];
}

export const emptyManifest = (dataset: DatasetName, timezone: string): SnapshotManifest => ({
  format: SNAPSHOT_FORMAT, dataset, version: 0, timezone, applied: [], partitions: {}, records: 0, segments: [],
});

/** A month as one number (year × 12 + month − 1): the key index stores it in 16 bits. */
export const monthNumber = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOfNumber = (n: number): string => `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;

/** The partition of a record: the local month of its primary date. */
export function partitionOf<N extends DatasetName>(dataset: N, record: DatasetRecords[N], timezone: string): string {
  const value = (record as unknown as Record<string, string>)[DATE_FIELDS[dataset][0]]!;
  return dayToIsoDate(localDayNumber(value, timezone)).slice(0, 7);
}

/** First day of a month and first day after it, as day numbers. */
export function monthDays(month: string): { start: number; end: number } {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return { start: daysFromCivil(y, m, 1), end: m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1) };
}

/** What a partition keeps about its rows: uploads, date ranges, open dates, lead sources. */
export function describePartition(dataset: DatasetName, rows: readonly SnapshotRow[], timezone: string, uploadOrder: ReadonlyMap<string, number>):
  Omit<PartitionEntry, 'key' | 'bytes'> {
  const fields = DATE_FIELDS[dataset] as readonly string[];
  const min = fields.map(() => Infinity);
  const max = fields.map(() => -Infinity);
  const open = fields.map(() => false);
  const uploads = new Set<string>();
  const sources = new Set<string>();
  for (const { record, upload } of rows) {
    const r = record as unknown as Record<string, unknown>;
    uploads.add(upload);
    for (let f = 0; f < fields.length; f++) {
      const v = r[fields[f]!];
      if (typeof v !== 'string' || v === '') { open[f] = true; continue; }
      const day = localDayNumber(v, timezone);
      if (day < min[f]!) min[f] = day;
      if (day > max[f]!) max[f] = day;
    }
    if (dataset === 'leads') sources.add(segmentKey(r.source as string | undefined));
  }
  const days: Record<string, [number, number]> = {};
  fields.forEach((f, i) => { if (min[i]! <= max[i]!) days[f] = [min[i]!, max[i]!]; });
  return {
    rows: rows.length,
    uploads: [...uploads].sort((a, b) => (uploadOrder.get(a) ?? 0) - (uploadOrder.get(b) ?? 0)),
    days,
    open: fields.filter((_, i) => open[i]),
    ...(dataset === 'leads' ? { sources: [...sources].sort() } : {}),
  };
}

/**
 * Whether a partition can hold a record that counts in the days [from, to) (the union of the periods computed).
 * Conservative (a range that overlaps may still hold no date inside), never the other way:
 * - leads and opportunities count in a period any of their dates falls in: a lead created in 2024 that became a
 *   customer this month is read, through its partition's range of `customer_at`;
 * - a customer counts in every period it is active in: started before the window's end and not churned before
 *   its start (one who has not churned is active ever after);
 * - spend and traffic count by their own date (a monthly spend row is spread over its month, in weekly periods),
 *   which lies in the partition's month.
 */
export function partitionNeeded(dataset: DatasetName, month: string, p: PartitionEntry, from: number, to: number): boolean {
  const overlaps = (field: string): boolean => {
    const range = p.days[field];
    return range !== undefined && range[0] < to && range[1] >= from;
  };
  switch (dataset) {
    case 'customers': {
      const started = p.days.started_at;
      if (!started || started[0] >= to) return false;
      const churned = p.days.churned_at;
      return p.open.includes('churned_at') || (churned !== undefined && churned[1] >= from);
    }
    case 'spend':
    case 'web_traffic': {
      const { start, end } = monthDays(month);
      return start < to && end > from;
    }
    default:
      return (DATE_FIELDS[dataset] as readonly string[]).some(overlaps);
  }
}

/**
 * Whether a snapshot reflecting `applied` can be carried forward to the accepted uploads `accepted` (in
 * application order) by folding in the uploads after it: it must cover a prefix of them. Otherwise, why it is
 * rebuilt: an upload it covers was retracted (or is no longer accepted), or an upload arrived that sorts before
 * one it covers (a late event); or it was computed in another time zone or format.
 */
export function rebuildReason(m: SnapshotManifest, accepted: readonly string[], timezone: string): string | undefined {
  if (m.format !== SNAPSHOT_FORMAT) return `its format is ${m.format}, not ${SNAPSHOT_FORMAT}`;
  if (m.timezone !== timezone) return `its days are in ${m.timezone}, the settings say ${timezone}`;
  for (let i = 0; i < m.applied.length; i++) {
    const covered = m.applied[i]!.uploadId;
    if (covered === accepted[i]) continue;
    return accepted.includes(covered) && i < accepted.length
      ? `upload ${accepted[i]} sorts before uploads it covers (a late event)`
      : `upload ${covered}, which it covers, is no longer counted (retracted)`;
  }
  return undefined;
}

/** Rows of two lists each in `order`, as one list in `order`. */
export function mergeByOrder(a: readonly SnapshotRow[], b: readonly SnapshotRow[]): SnapshotRow[] {
  const out: SnapshotRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.order <= b[j]!.order ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
