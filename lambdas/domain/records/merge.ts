/**
 * Which records count (exports.md): across accepted uploads of a dataset, a record from a later upload
 * replaces an earlier one with the same key. Feed uploads in the order they were made.
 */
import type { DatasetName } from '../layout.ts';
import { DATASETS } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';

export class RecordMerger<N extends DatasetName> {
  private readonly byKey = new Map<string, { record: DatasetRecords[N]; uploadId: string }>();
  /** Upload ids in the order they were first added (the order the uploads were made). */
  private readonly uploads = new Set<string>();
  private readonly keyOf: (r: DatasetRecords[N]) => string;

  constructor(readonly dataset: N) {
    this.keyOf = DATASETS[dataset].keyOf as (r: DatasetRecords[N]) => string;
  }

  add(uploadId: string, record: DatasetRecords[N]): void {
    this.uploads.add(uploadId);
    this.byKey.set(this.keyOf(record), { record, uploadId });
  }

  records(): DatasetRecords[N][] {
    return [...this.byKey.values()].map((e) => e.record);
  }

  /** Uploads that still contribute at least one record, in the order they were added. */
  contributingUploads(): string[] {
    const live = new Set([...this.byKey.values()].map((e) => e.uploadId));
    return [...this.uploads].filter((u) => live.has(u));
  }
}
