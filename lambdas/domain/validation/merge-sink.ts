/**
 * Where a file's records go: straight to the caller's sink, or, for a profile with several rows per record key (a
 * Stripe customer's subscriptions), into a merging sink that hands the merged records on at the end of the file
 * (datasets/merge-rows.ts). Such files are small: a customer list.
 */
import type { DatasetName } from '../layout.ts';
import type { DatasetSpec } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import { ROW_MERGERS } from '../datasets/merge-rows.ts';
import type { FileReading } from './reading.ts';
import type { RecordSink } from './row-checker.ts';

/** The sink the row checker writes to, and what to do at the end of the file. */
export interface FileSink<R> {
  readonly sink: RecordSink<R>;
  /** Hands the records kept back on (a merging sink); nothing for a plain one. */
  finish(): Promise<void>;
}

class MergingSink<R> implements RecordSink<R>, FileSink<R> {
  readonly sink: RecordSink<R> = this;
  private readonly byKey = new Map<string, R>();

  constructor(private readonly keyOf: (r: R) => string, private readonly merge: (a: R, b: R) => R, private readonly out: RecordSink<R>) {}

  write(record: R): void {
    const key = this.keyOf(record);
    const seen = this.byKey.get(key);
    this.byKey.set(key, seen === undefined ? record : this.merge(seen, record));
  }

  reset(): void {
    this.byKey.clear();
  }

  async finish(): Promise<void> {
    for (const r of this.byKey.values()) await this.out.write(r);
    this.byKey.clear();
  }
}

export function sinkFor<N extends DatasetName>(spec: DatasetSpec<N>, reading: FileReading, sink: RecordSink<DatasetRecords[N]>): FileSink<DatasetRecords[N]> {
  const merge = reading.merge ? (ROW_MERGERS[spec.name] as ((a: DatasetRecords[N], b: DatasetRecords[N]) => DatasetRecords[N]) | undefined) : undefined;
  if (!merge) return { sink, finish: async () => undefined };
  return new MergingSink<DatasetRecords[N]>((r) => spec.keyOf(r), merge, sink);
}
