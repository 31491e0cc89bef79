/**
 * Ports of the compacted snapshots (domain/records/snapshot.ts): where their objects are kept, in which format
 * (the adapter owns it, as it owns the stored records' format), and the pointer to each dataset's current manifest.
 */
import type { DatasetName } from '../domain/layout.ts';
import type { SnapshotRow } from '../domain/records/snapshot.ts';
import type { KpiColumns } from '../domain/records/snapshot-columns.ts';

/** A snapshot object, as a listing gives it. */
export interface SnapshotObject {
  readonly key: string;
  /** ISO time it was written. */
  readonly lastModified: string;
}

/**
 * The snapshots' objects. Every object is written once under a new key and never changed; a missing one is
 * `NotFoundError` (ports/object-errors.ts).
 */
export interface SnapshotStore {
  /** Writes a partition's rows (in `order`), their local days computed in `timezone`; returns its size in bytes. */
  writePartition(key: string, dataset: DatasetName, rows: readonly SnapshotRow[], timezone: string): Promise<number>;
  /** Every row of a partition, as records: for folding uploads in. */
  readPartition(key: string, dataset: DatasetName): Promise<SnapshotRow[]>;
  /** The keys (`keyOf`) and orders of a partition's rows, without the rest. */
  readPartitionKeys(key: string, dataset: DatasetName): Promise<{ keys: string[]; orders: ArrayLike<number> }>;
  /** The columns the KPI engine reads (`KPI_COLUMNS`), with nothing else. */
  readKpiColumns(key: string, dataset: DatasetName): Promise<KpiColumns>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  readBytes(key: string): Promise<Uint8Array>;
  putJson(key: string, value: unknown): Promise<void>;
  readJson<T>(key: string): Promise<T>;
  /** The objects under a prefix. */
  list(prefix: string): Promise<SnapshotObject[]>;
  /** Deletes objects; a missing one is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

/** A dataset's current manifest and its version (1, 2, …). */
export interface SnapshotPointer {
  readonly version: number;
  readonly manifest: string;
}

/** The pointer to each dataset's manifest, switched only by a conditional write. */
export interface SnapshotPointers {
  get(dataset: DatasetName): Promise<SnapshotPointer | undefined>;
  /**
   * Points `dataset` at `next` if its current version is still `expected` (0: no pointer yet); false when another
   * run switched it first, in which case nothing changed.
   */
  swap(dataset: DatasetName, expected: number, next: SnapshotPointer): Promise<boolean>;
}

/** Both, as a KPI run is given them. */
export interface Snapshots {
  readonly store: SnapshotStore;
  readonly pointers: SnapshotPointers;
}
