/**
 * The snapshots' stored form: one Parquet file per partition (hyparquet-writer to write, hyparquet to read: pure
 * JavaScript, no native module, about 100 KB bundled), which Athena reads as the Glue tables of
 * lib/constructs/snapshot-tables.ts and the KPI run reads column by column.
 *
 * Columns: every field of the stored record (`RECORD_FIELDS`, text as UTF-8 strings, money as INT64 minor units,
 * counts and rates as DOUBLE, flags as BOOLEAN, absent as NULL); each date field's local day in the reporting
 * time zone as a DATE (`created_at` → `created_date`, `date` → `day`); `upload_id`, the upload the record came
 * from; and `record_order` (see `recordOrder`). Rows are in `record_order`.
 *
 * `ParquetSnapshotStore` is the `SnapshotStore` over any `BlobStore` (S3, a directory, memory).
 */
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { DatasetName } from '../domain/layout.ts';
import { DATASETS } from '../domain/datasets/registry.ts';
import { RECORD_FIELDS, type AnyRecord, type DatasetRecords } from '../domain/datasets/records.ts';
import { DATE_FIELDS, dayColumn, fieldKind, type SnapshotRow } from '../domain/records/snapshot.ts';
import { KPI_COLUMNS, type KpiColumns } from '../domain/records/snapshot-columns.ts';
import { localDayNumber } from '../domain/periods/period.ts';
import type { SnapshotObject, SnapshotStore } from '../ports/snapshots.ts';

/** Objects by key, with ranged reads; counts the bytes it reads (the benchmark reports them). */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  size(key: string): Promise<number>;
  /** Bytes [start, end) of an object. */
  read(key: string, start: number, end: number): Promise<Uint8Array>;
  list(prefix: string): Promise<SnapshotObject[]>;
  delete(keys: readonly string[]): Promise<void>;
  readonly bytesRead: number;
}

interface SchemaElement {
  name: string;
  type?: 'BYTE_ARRAY' | 'INT64' | 'DOUBLE' | 'BOOLEAN' | 'INT32';
  converted_type?: 'UTF8' | 'DATE';
  repetition_type?: 'OPTIONAL' | 'REQUIRED';
  num_children?: number;
}

const ELEMENT: Readonly<Record<ReturnType<typeof fieldKind>, Omit<SchemaElement, 'name'>>> = {
  STRING: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  INT64: { type: 'INT64' },
  DOUBLE: { type: 'DOUBLE' },
  BOOLEAN: { type: 'BOOLEAN' },
};

/** A partition's rows as one Parquet file. */
export function encodePartition(dataset: DatasetName, rows: readonly SnapshotRow[], timezone: string): Uint8Array {
  const fields = RECORD_FIELDS[dataset] as readonly string[];
  const dates = DATE_FIELDS[dataset] as readonly string[];
  const n = rows.length;
  const schema: SchemaElement[] = [{ name: 'root', num_children: fields.length + dates.length + 2 }];
  const columnData: { name: string; data: unknown[] | Float64Array }[] = [];
  for (const f of fields) {
    const kind = fieldKind(f);
    const data = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const v = (rows[i]!.record as unknown as Record<string, unknown>)[f];
      data[i] = v === undefined || v === null ? null : kind === 'INT64' ? BigInt(v as number) : v;
    }
    schema.push({ name: f, ...ELEMENT[kind], repetition_type: 'OPTIONAL' });
    columnData.push({ name: f, data });
  }
  for (const f of dates) {
    const data = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const v = (rows[i]!.record as unknown as Record<string, unknown>)[f];
      data[i] = typeof v === 'string' && v !== '' ? localDayNumber(v, timezone) : null;
    }
    schema.push({ name: dayColumn(f), type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' });
    columnData.push({ name: dayColumn(f), data });
  }
  schema.push({ name: 'upload_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
  columnData.push({ name: 'upload_id', data: rows.map((r) => r.upload) });
  schema.push({ name: 'record_order', type: 'DOUBLE', repetition_type: 'REQUIRED' });
  columnData.push({ name: 'record_order', data: Float64Array.from(rows, (r) => r.order) });
  // hyparquet-writer's types describe its own schema type; these elements are that shape.
  const buffer = parquetWriteBuffer({ columnData: columnData as never, schema: schema as never, rowGroupSize: 250_000 });
  return new Uint8Array(buffer);
}

/** Days stay numbers (hyparquet would make a `Date` of each). */
const PARSERS = { dateFromDays: (days: number): number => days };

type Column = ArrayLike<unknown>;

/** The named columns of a Parquet file, each as one array of its `n` values. */
async function readColumns(file: AsyncBuffer, columns: readonly string[]): Promise<{ n: number; cols: Record<string, Column> }> {
  const metadata: FileMetaData = await parquetMetadataAsync(file, { parsers: PARSERS });
  const n = Number(metadata.num_rows);
  const chunks = new Map<string, { rowStart: number; data: Column }[]>();
  await parquetRead({
    file, metadata, columns: [...columns], parsers: PARSERS,
    onChunk: (c) => {
      let list = chunks.get(c.columnName);
      if (!list) chunks.set(c.columnName, (list = []));
      list.push({ rowStart: c.rowStart, data: c.columnData as Column });
    },
  });
  const cols: Record<string, Column> = {};
  for (const name of columns) {
    const list = (chunks.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart);
    if (list.length === 1 && list[0]!.data.length === n) { cols[name] = list[0]!.data; continue; }
    const all = new Array<unknown>(n);
    for (const { rowStart, data } of list) for (let i = 0; i < data.length && rowStart + i < n; i++) all[rowStart + i] = data[i];
    cols[name] = all;
  }
  return { n, cols };
}

/** A record from row `i` of the record fields' columns: absent fields left out, numbers as numbers. */
function recordAt(fields: readonly string[], cols: Record<string, Column>, i: number): AnyRecord {
  const r: Record<string, unknown> = {};
  for (const f of fields) {
    const v = cols[f]![i];
    if (v === null || v === undefined) continue;
    r[f] = typeof v === 'bigint' ? Number(v) : v;
  }
  return r as unknown as AnyRecord;
}

export class ParquetSnapshotStore implements SnapshotStore {
  constructor(readonly blobs: BlobStore) {}

  private async file(key: string): Promise<AsyncBuffer> {
    const byteLength = await this.blobs.size(key);
    return { byteLength, slice: async (start, end) => copyOut(await this.blobs.read(key, start, end ?? byteLength)) };
  }

  async writePartition(key: string, dataset: DatasetName, rows: readonly SnapshotRow[], timezone: string): Promise<number> {
    const bytes = encodePartition(dataset, rows, timezone);
    await this.blobs.put(key, bytes);
    return bytes.byteLength;
  }

  async readPartition(key: string, dataset: DatasetName): Promise<SnapshotRow[]> {
    const fields = RECORD_FIELDS[dataset] as readonly string[];
    const { n, cols } = await readColumns(await this.file(key), [...fields, 'upload_id', 'record_order']);
    const rows: SnapshotRow[] = new Array(n);
    for (let i = 0; i < n; i++) {
      rows[i] = { record: recordAt(fields, cols, i), upload: cols.upload_id![i] as string, order: cols.record_order![i] as number };
    }
    return rows;
  }

  async readPartitionKeys(key: string, dataset: DatasetName): Promise<{ keys: string[]; orders: ArrayLike<number> }> {
    const fields = DATASETS[dataset].uniqueKey;
    const { n, cols } = await readColumns(await this.file(key), [...fields, 'record_order']);
    const keyOf = DATASETS[dataset].keyOf as (r: DatasetRecords[DatasetName]) => string;
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = keyOf(recordAt(fields, cols, i) as never);
    return { keys, orders: cols.record_order as ArrayLike<number> };
  }

  async readKpiColumns(key: string, dataset: DatasetName): Promise<KpiColumns> {
    return readColumns(await this.file(key), KPI_COLUMNS[dataset]) as Promise<KpiColumns>;
  }

  putBytes(key: string, bytes: Uint8Array): Promise<void> {
    return this.blobs.put(key, bytes);
  }

  async readBytes(key: string): Promise<Uint8Array> {
    return this.blobs.read(key, 0, await this.blobs.size(key));
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.blobs.put(key, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  async readJson<T>(key: string): Promise<T> {
    return JSON.parse(Buffer.from(await this.readBytes(key)).toString('utf8')) as T;
  }

  list(prefix: string): Promise<SnapshotObject[]> {
    return this.blobs.list(prefix);
  }

  delete(keys: readonly string[]): Promise<void> {
    return keys.length ? this.blobs.delete(keys) : Promise.resolve();
  }
}

/** The bytes as an ArrayBuffer of their own (hyparquet reads the whole buffer it is given). */
function copyOut(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
