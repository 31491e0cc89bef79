/**
 * The CSV reader layer: text → records with their record number and the physical line each starts on.
 * `validateExport` reads the data part of an export with `parseCsvText`; `readCsvRows` reads a whole upload
 * (sniffing, decoding, delimiter detection) without a dataset, for tools and the conformance tests.
 */
import { Readable } from 'node:stream';
import { parse, CsvError, type Options } from 'csv-parse';
import { NotUtf8Error, decodeText, sniffUpload, type TextEncodingName } from './decode.ts';
import { DELIMITERS, splitLine, type Delimiter } from './header.ts';

export interface CsvRow {
  readonly cells: string[];
  /** Record number, the first record read = `firstRow` (1 by default: the header is row 1). */
  readonly row: number;
  /** Physical line of the file where the record starts. */
  readonly line: number;
}

/** Longest record accepted, in characters: a longer one is `row-too-large` (usually an unclosed quote). */
export const MAX_RECORD_CHARS = 1_000_000;

/** A record that cannot be read; `row` and `line` say where reading stopped. */
export class CsvReadError extends Error {
  override name = 'CsvReadError';
  constructor(
    readonly code: 'row-too-large' | 'not-tabular' | 'encoding-error',
    message: string,
    readonly row: number,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface ParseCsvOptions {
  readonly delimiter: string;
  /** Physical line of the text's first character. @default 1 */
  readonly firstLine?: number;
  /** Number of the first record. @default 1 */
  readonly firstRow?: number;
  /** @default MAX_RECORD_CHARS */
  readonly maxRecordChars?: number;
}

/**
 * Parses CSV text (quoted fields with delimiters, doubled quotes and line breaks; CRLF, LF or CR-only line
 * ends, detected from the first one) into records. Empty lines are skipped but still counted as lines.
 */
export async function* parseCsvText(text: AsyncIterable<string>, opts: ParseCsvOptions): AsyncGenerator<CsvRow, void, undefined> {
  const maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
  const firstLine = opts.firstLine ?? 1;
  // Positions are tracked as csv-parse produces records (not as they are consumed): when it fails, the records
  // parsed before the failure are dropped from the stream, but where the failing record starts is still known.
  let row = (opts.firstRow ?? 1) - 1;
  // csv-parse's `info.lines` is the line a record ends on, but it counts a CRLF inside a quoted field as two
  // lines; `overcount` takes those back so lines stay physical.
  let overcount = 0;
  let prevEnd = 0;
  let prevEmpty = 0;
  const source = Readable.from(text);
  const parser = parse({
    delimiter: opts.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRecordChars,
    // Typed as csv-parse's record → record hook; it returns our row object, which the stream then yields.
    on_record: ((record: string[], info: { lines: number; empty_lines: number }): CsvRow => {
      for (const cell of record) overcount += countCrlf(cell);
      const start = prevEnd + 1 + (info.empty_lines - prevEmpty);
      prevEnd = info.lines - overcount;
      prevEmpty = info.empty_lines;
      row++;
      return { cells: record, row, line: firstLine - 1 + start };
    }) as unknown as Options['on_record'],
  });
  // `pipe` does not forward errors: a decoding error in the source (bytes that are not UTF-8) must end the read.
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  try {
    for await (const r of parser as AsyncIterable<CsvRow>) yield r;
  } catch (e) {
    if (e instanceof CsvError) {
      const emptyLines = (e as CsvError & { empty_lines?: number }).empty_lines ?? prevEmpty;
      const line = firstLine + prevEnd + Math.max(0, emptyLines - prevEmpty);
      if (e.code === 'CSV_MAX_RECORD_SIZE') {
        throw new CsvReadError('row-too-large',
          `a record is longer than ${maxRecordChars.toLocaleString('en-US')} characters (often an unclosed quote); reading stopped here`,
          row + 1, line);
      }
      throw new CsvReadError('not-tabular', `the file cannot be read as CSV: ${e.message}`, row + 1, line);
    }
    throw e;
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function countCrlf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\r\n'); i >= 0; i = s.indexOf('\r\n', i + 2)) n++;
  return n;
}

/** The delimiter that splits a header line into the most cells (`,` on a tie). */
export function detectDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let bestCells = 0;
  for (const d of DELIMITERS) {
    const n = splitLine(line, d).length;
    if (n > bestCells) { best = d; bestCells = n; }
  }
  return best;
}

/** Number of physical lines before character `offset` ends (line breaks: CRLF, CR, LF). */
function lineBreaksBefore(s: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

export interface CsvFormat {
  readonly encoding: TextEncodingName;
  readonly delimiter: Delimiter;
  /** Whether the bytes were not UTF-8 and were read as Windows-1252. */
  readonly encodingFallback: boolean;
}

export interface ReadCsvOptions {
  /** Delimiter to use instead of detecting it from the first non-blank line. */
  readonly delimiter?: Delimiter;
  /** Told the encoding and delimiter once they are known (again when the encoding falls back). */
  readonly onFormat?: (format: CsvFormat) => void;
}

/**
 * Reads every record of an upload (header included, as row 1), with no dataset: gunzips gzip, rejects binary
 * files (`NotTabularError`), decodes UTF-8 (BOM or not) and UTF-16 with a BOM, and bytes that are not UTF-8
 * as Windows-1252. Blank lines before the first record are skipped (and counted in `line`).
 *
 * `open` gives the bytes from the start; it is called again when the file turns out not to be UTF-8. Records
 * already yielded then are not yielded twice: they were pure ASCII, which reads the same in both encodings;
 * when they were not, the file mixes encodings and a `CsvReadError` with code `encoding-error` is thrown.
 */
export async function* readCsvRows(
  open: () => AsyncIterable<Uint8Array>,
  opts: ReadCsvOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  let yielded = 0;
  let asciiSoFar = true;
  let lastLine = 1;
  for (const encoding of [undefined, 'windows-1252'] as const) {
    let skip = yielded;
    try {
      for await (const r of readOnce(open, opts, encoding)) {
        if (skip > 0) { skip--; continue; }
        if (asciiSoFar && r.cells.some((c) => /[^\x00-\x7f]/.test(c))) asciiSoFar = false;
        yielded++;
        lastLine = r.line;
        yield r;
      }
      return;
    } catch (e) {
      if (!(e instanceof NotUtf8Error) || encoding !== undefined) throw e;
      if (!asciiSoFar) {
        throw new CsvReadError('encoding-error',
          'the file starts as UTF-8 text and then has bytes that are not UTF-8: it mixes encodings', yielded + 1, lastLine);
      }
    }
  }
}

async function* readOnce(
  open: () => AsyncIterable<Uint8Array>,
  opts: ReadCsvOptions,
  forced: TextEncodingName | undefined,
): AsyncGenerator<CsvRow, void, undefined> {
  const sniffed = await sniffUpload(open());
  let bomEncoding: TextEncodingName = 'utf-8';
  const bytes = (async function* () {
    let first = true;
    for await (const chunk of sniffed.bytes) {
      if (first && chunk.length >= 2) {
        bomEncoding = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      }
      first = false;
      yield chunk;
    }
  })();
  const text = decodeText(bytes, forced)[Symbol.asyncIterator]();
  // Read ahead to the end of the first non-blank line, to detect the delimiter and skip leading blank lines.
  let prefix = '';
  let ended = false;
  for (;;) {
    const start = prefix.search(/[^\r\n]/);
    if (start >= 0 && /[\r\n]/.test(prefix.slice(start))) break;
    const r = await text.next();
    if (r.done) { ended = true; break; }
    prefix += r.value;
  }
  const start = prefix.search(/[^\r\n]/);
  if (start < 0) return;
  const firstLineText = prefix.slice(start).split(/\r\n|\r|\n/)[0] ?? '';
  const delimiter = opts.delimiter ?? detectDelimiter(firstLineText);
  opts.onFormat?.({ encoding: forced ?? bomEncoding, delimiter, encodingFallback: forced !== undefined });
  const rest = prefix.slice(start);
  const source = (async function* () {
    yield rest;
    if (ended) return;
    for (;;) {
      const r = await text.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  yield* parseCsvText(source, { delimiter, firstLine: lineBreaksBefore(prefix, start) + 1 });
}
