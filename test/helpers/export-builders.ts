/**
 * Builders for export files in memory: bytes in the encodings and compressions real tools produce, the
 * `open` function `validateExport` and `readCsvRows` read from, and an in-memory record sink.
 */
import { gzipSync } from 'node:zlib';
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import type { DatasetRecords } from '../../lambdas/domain/datasets/records.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/domain/settings.ts';
import { validateExport, type RecordSink } from '../../lambdas/domain/validation/validate-export.ts';
import type { ValidationReport } from '../../lambdas/domain/validation/report.ts';

export type Content = string | Uint8Array;

const toBytes = (c: Content): Uint8Array => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);

/**
 * The `open` function of an upload held in memory. Each call starts again from the first byte (the validator
 * reads twice when it falls back to Windows-1252). `chunkSize` splits the bytes as a network stream would.
 */
export function openBytes(content: Content, opts: { chunkSize?: number } = {}): () => AsyncIterable<Uint8Array> {
  const bytes = toBytes(content);
  const size = opts.chunkSize ?? Math.max(bytes.length, 1);
  return () => (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })();
}

/** Joins lines with a line end (LF by default), with a final line end unless `final` is false. */
export function lines(rows: readonly string[], eol: '\n' | '\r\n' | '\r' = '\n', final = true): string {
  return rows.join(eol) + (final ? eol : '');
}

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export const withUtf8Bom = (text: string): Buffer => Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);

/** UTF-16 little-endian with a BOM, as Excel's "Unicode text" writes it. */
export const utf16le = (text: string, bom = true): Buffer =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);

/** UTF-16 big-endian with a BOM. */
export function utf16be(text: string, bom = true): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), be]);
}

/** Windows-1252 / Latin-1 bytes for text in the Latin-1 range (é → 0xE9), as old Excel saves a CSV. */
export const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

export const gzip = (content: Content): Buffer => gzipSync(toBytes(content));

/** An in-memory sink that remembers what was written and how often it was reset. */
export interface MemorySink<R> extends RecordSink<R> {
  readonly records: R[];
  resets: number;
}

export function memorySink<R>(): MemorySink<R> {
  const sink: MemorySink<R> = {
    records: [],
    resets: 0,
    write(r) { sink.records.push(r); },
    reset() { sink.records.length = 0; sink.resets++; },
  };
  return sink;
}

export function settingsWith(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

export interface ValidateResult<N extends DatasetName> {
  readonly report: ValidationReport;
  readonly records: DatasetRecords[N][];
  readonly sink: MemorySink<DatasetRecords[N]>;
}

/** Default upload time of the tests: after every date in them, so `future-date` only fires when meant to. */
export const UPLOADED_AT = '2026-11-02T09:00:00Z';

/** Validates an in-memory export of `dataset` and returns the report and the records written to the sink. */
export async function validate<N extends DatasetName>(
  dataset: N,
  content: Content,
  opts: {
    settings?: Partial<Settings>; uploadedAt?: string; source?: string; chunkSize?: number;
    /** A mapping file that applies: its JSON (an object is written out), and where it is. */
    mapping?: { source?: string; text: string } | Record<string, unknown>; draft?: boolean;
  } = {},
): Promise<ValidateResult<N>> {
  const mapping = opts.mapping === undefined ? undefined
    : typeof opts.mapping.text === 'string' ? { source: (opts.mapping.source as string | undefined) ?? `incoming/${dataset}/mapping.json`, text: opts.mapping.text }
      : { source: `incoming/${dataset}/mapping.json`, text: JSON.stringify(opts.mapping) };
  const sink = memorySink<DatasetRecords[N]>();
  const report = await validateExport(
    openBytes(content, opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
    {
      dataset,
      settings: settingsWith(opts.settings),
      source: opts.source ?? `incoming/${dataset}/test.csv`,
      uploadedAt: opts.uploadedAt ?? UPLOADED_AT,
      ...(mapping ? { mapping } : {}),
      ...(opts.draft ? { draft: true } : {}),
    },
    sink,
  );
  return { report, records: sink.records, sink };
}

/** The issues of one code, reduced to where they are (what tests assert on). */
export const where = (issues: readonly { code: string; row?: number; line?: number; column?: string }[], code: string) =>
  issues.filter((i) => i.code === code).map((i) => ({ row: i.row, line: i.line, column: i.column }));

/** Header lines of the validation tests' minimal leads, opportunities and spend exports. */
export const LEADS_HEADER =
  'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status,Became a Customer Date';
export const OPPS_HEADER = 'Deal ID,Create Date,Deal Stage,Close Date,Amount,Original Source';
export const SPEND_HEADER = 'Day,Channel,Campaign,Category,Cost';
