/**
 * `validateExport`: reads one upload as a stream, checks it against its dataset's contract (exports.md) and
 * hands each valid record to a sink as it goes, so memory stays flat whatever the file size. Returns the
 * report; the caller decides what to do with the records (keep them when accepted, drop them when not).
 *
 * The hot path is synchronous: a decoded text chunk goes through `CsvParser`, which calls `RowChecker.check`
 * once per record; only the sink's backpressure is awaited, once per chunk.
 */
import { DateTime } from 'luxon';
import type { DatasetName } from '../layout.ts';
import type { Settings } from '../settings.ts';
import { DATASETS, type DatasetSpec } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import {
  BrokenTextError, ChunkDecoder, NotTabularError, NotUtf8Error, encodingFromBom, sniffUpload, utf8Cell, type TextEncodingName,
} from './decode.ts';
import { findHeader, splitLine } from './header.ts';
import { checkHeader, type HeaderFound } from './file-checks.ts';
import { readingFor, type FileReading } from './reading.ts';
import { MappingError, parseMappingFile, type MappingFile } from '../mapping/schema.ts';
import { sinkFor } from './merge-sink.ts';
import { CsvParser, CsvReadError, MAX_RECORD_CHARS, lineBreaksBefore, nulByteMessage } from './csv-reader.ts';
import { UPLOAD_LIMITS, type UploadLimits } from './limits.ts';
import { IssueLog, type ColumnSuggestion, type DetectedFormat, type ErrorCode, type ValidationReport, type WarningCode } from './report.ts';
import { RowChecker, type RecordSink, type RowCheckerOptions } from './row-checker.ts';
import { readXlsxRows } from './xlsx.ts';

export interface ValidateOptions {
  readonly dataset: DatasetName;
  readonly settings: Settings;
  /** Bucket key or file name, for the report. */
  readonly source: string;
  /** When the upload was made (ISO instant): dates after it plus one day are `future-date` errors. */
  readonly uploadedAt: string;
  /** Called with the bytes of the upload read so far (as stored: compressed for gzip), for progress bars. */
  readonly onProgress?: (bytes: number) => void;
  /** Lower limits than limits.ts's (tests). */
  readonly limits?: Partial<UploadLimits>;
  /** The mapping file that applies to the upload (the nearest `mapping.json`), as its text and where it is. */
  readonly mapping?: { readonly source: string; readonly text: string } | { readonly source: string; readonly problem: string };
  /** Put a draft mapping.json in the report even when no column is missing (`smarketing map`). */
  readonly draft?: boolean;
}

export type { RecordSink } from './row-checker.ts';

export { MAX_RECORD_CHARS, readCsvRows, type CsvRow } from './csv-reader.ts';
/** Lines read ahead to find the header past titles and comment blocks. */
const HEADER_SEARCH_LINES = 60;
const HEADER_SEARCH_CHARS = 256 * 1024;

/** Thrown inside a read that found bytes that are not UTF-8 before any non-ASCII text: read again as Windows-1252. */
class ReadAgainAsWindows1252 extends Error {}

/**
 * Validates an upload. `open` gives the upload's bytes from the start; it may be called twice when the file
 * turns out not to be UTF-8 (then it is decoded as Windows-1252, with a warning).
 */
export async function validateExport<N extends DatasetName>(
  open: () => AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
): Promise<ValidationReport> {
  try {
    return await validateOnce(open, opts, sink);
  } catch (e) {
    if (!(e instanceof ReadAgainAsWindows1252)) throw e;
    await sink.reset();
    return validateOnce(open, opts, sink, 'windows-1252');
  }
}

/** What one read of the upload found so far; `finish` turns it into the report. */
class ReportState {
  readonly errors = new IssueLog<ErrorCode>();
  readonly warnings = new IssueLog<WarningCode>();
  format: DetectedFormat = { fileType: 'unknown' };
  columns: Record<string, string> = {};
  suggestions: Record<string, ColumnSuggestion[]> | undefined;
  mappingDraft: Record<string, unknown> | undefined;
  /** What the file's sink does at its end (a profile's several rows per key merged: merge-sink.ts). */
  merging: { finish(): Promise<void> } | undefined;
  checker: { readonly rows: number; readonly acceptedRows: number; readonly errorRows: number; readonly errorIssues: number } | undefined;

  constructor(private readonly opts: ValidateOptions) {}

  finish(): ValidationReport {
    const c = this.checker;
    const rows = c?.rows ?? 0;
    const tolerance = this.opts.settings.errorTolerance ?? 0;
    const rowErrors = c?.errorIssues ?? 0;
    const fileErrors = this.errors.total - rowErrors;
    let status: ValidationReport['status'] = this.errors.total === 0 ? 'accepted' : 'rejected';
    let droppedRows: number | undefined;
    if (status === 'rejected' && c && fileErrors === 0 && tolerance > 0 && rows > 0 && c.errorRows / rows <= tolerance) {
      status = 'accepted';
      droppedRows = c.errorRows;
      this.warnings.add({
        code: 'rows-dropped',
        message: `${c.errorRows} of ${rows} rows had errors and were left out (${pct(c.errorRows / rows)}, ` +
          `within the ${pct(tolerance)} error-rate tolerance); the other rows were accepted`,
      });
    } else if (status === 'rejected' && c && fileErrors === 0 && tolerance > 0) {
      this.warnings.add({
        code: 'rows-dropped',
        message: `${c.errorRows} of ${rows} rows had errors (${pct(rows ? c.errorRows / rows : 1)}), more than the ` +
          `${pct(tolerance)} error-rate tolerance: the file is rejected whole`,
      });
    }
    return {
      status,
      dataset: this.opts.dataset,
      source: this.opts.source,
      rows,
      // Of a rejected upload no row counts, whatever passed its checks.
      acceptedRows: status === 'accepted' ? c?.acceptedRows ?? 0 : 0,
      ...(droppedRows !== undefined ? { droppedRows } : {}),
      format: this.format,
      columns: this.columns,
      errorCounts: this.errors.counts,
      errors: this.errors.kept,
      warningCounts: this.warnings.counts,
      warnings: this.warnings.kept,
      ...(this.suggestions ? { suggestions: this.suggestions } : {}),
      ...(this.mappingDraft ? { mappingDraft: this.mappingDraft } : {}),
    };
  }

  /** The header-level checks (file-checks.ts); false when no row can be read. */
  checkHeader(spec: DatasetSpec, found: HeaderFound): boolean {
    const r = checkHeader(spec, found, this.opts.settings, this, this.opts.draft);
    this.columns = { ...found.mapping.headers };
    for (const c of spec.columns) if (c.helper) delete this.columns[c.name];
    this.suggestions = r.suggestions;
    this.mappingDraft = r.mappingDraft;
    return r.ok;
  }
}

/** The end of a file: merged records go to the sink (unless the file is rejected whole). */
async function finishRecords(state: ReportState, settings: Settings): Promise<void> {
  if (state.merging && (state.errors.total === 0 || (settings.errorTolerance ?? 0) > 0)) await state.merging.finish();
}

const pct = (f: number): string => `${Math.round(f * 10_000) / 100}%`;

/**
 * What the row checker needs of the options: dates after the upload day plus one (local) are in the future; the
 * file's date order, decimal separator, words and extra sales-sourced sources come from its profile and mapping.
 */
function checkerOptions(opts: ValidateOptions, reading: FileReading, delimiter: string | undefined): RowCheckerOptions {
  const limit = DateTime.fromISO(opts.uploadedAt, { zone: 'utc' }).setZone(opts.settings.timezone).plus({ days: 1 }).toISODate() ?? '9999-12-31';
  const salesSourced = reading.mapping?.salesSourced ?? [];
  const settings = reading.dateOrder || salesSourced.length
    ? {
      ...opts.settings,
      ...(reading.dateOrder ? { dateOrder: reading.dateOrder } : {}),
      ...(salesSourced.length ? { salesSourcedSources: [...opts.settings.salesSourcedSources, ...salesSourced] } : {}),
    }
    : opts.settings;
  // A `;`-separated file writes decimal commas unless its profile or mapping says otherwise; any other only when they say so.
  const decimalComma = reading.decimalSeparator ? reading.decimalSeparator === ',' : delimiter === ';';
  return {
    settings, futureLimit: limit, uploadedAt: opts.uploadedAt, decimalComma, values: reading.values,
    ...(reading.merge ? { mergeDuplicates: true } : {}), ...(reading.footer ? { footer: reading.footer } : {}),
    ...(reading.totalRowFirst ? { totalRowFirst: true } : {}),
    ...(reading.dateOrder ? { fileDateOrder: true } : {}),
  };
}

/** The mapping file of the upload, checked for its dataset; a bad one is the upload's `mapping-error`. */
function mappingOf(opts: ValidateOptions, state: ReportState): MappingFile | undefined | 'bad' {
  if (!opts.mapping) return undefined;
  try {
    if ('problem' in opts.mapping) throw new MappingError(opts.mapping.source, [{ path: '', message: opts.mapping.problem }]);
    return parseMappingFile(opts.mapping.text, opts.dataset, opts.mapping.source);
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    state.format = { fileType: 'unknown', mapping: opts.mapping.source };
    for (const p of e.problems) {
      state.errors.add({
        code: 'mapping-error', ...(p.path ? { column: p.path } : {}),
        message: `${e.source}${p.path ? `: ${p.path}` : ''}: ${p.message}; correct the mapping and upload it again: the uploads it rejected are validated again`,
      });
    }
    return 'bad';
  }
}

/** The report's format fields a reading adds: the profile used and the mapping file. */
const readingFormat = (r: FileReading): Pick<DetectedFormat, 'profile' | 'mapping'> =>
  ({ ...(r.profile ? { profile: r.profile.id } : {}), ...(r.mapping ? { mapping: r.mapping.source } : {}) });

async function validateOnce<N extends DatasetName>(
  open: () => AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  forcedEncoding?: TextEncodingName,
): Promise<ValidationReport> {
  const state = new ReportState(opts);
  const mapping = mappingOf(opts, state);
  if (mapping === 'bad') return state.finish();
  const limits: UploadLimits = { ...UPLOAD_LIMITS, ...opts.limits };
  let consumed = 0;
  const raw = open();
  const counted = opts.onProgress
    ? (async function* () {
      for await (const chunk of raw) {
        consumed += chunk.length;
        opts.onProgress!(consumed);
        yield chunk;
      }
    })()
    : raw;

  let sniffed;
  try {
    sniffed = await sniffUpload(counted, limits);
  } catch (e) {
    if (e instanceof NotTabularError) {
      state.errors.add({ code: e.code, message: e.message });
      return state.finish();
    }
    throw e;
  }
  if (sniffed.fileType === 'xlsx') {
    await validateXlsx(sniffed.bytes, opts, sink, state, limits, mapping);
    return state.finish();
  }
  const it = sniffed.bytes[Symbol.asyncIterator]();
  try {
    await validateCsv(it, sniffed.fileType, opts, sink, state, forcedEncoding, mapping);
  } catch (e) {
    if (e instanceof NotTabularError) state.errors.add({ code: e.code, message: e.message });
    else if (e instanceof BrokenTextError) state.errors.add({ code: 'encoding-error', message: e.message });
    else if (e instanceof CsvReadError) state.errors.add({ code: e.code, row: e.row, line: e.line, message: e.message });
    else throw e;
  } finally {
    await it.return?.();
  }
  return state.finish();
}

async function validateCsv<N extends DatasetName>(
  it: AsyncIterator<Uint8Array>,
  fileType: 'csv' | 'csv.gz',
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  state: ReportState,
  forcedEncoding: TextEncodingName | undefined,
  mappingFile: MappingFile | undefined,
): Promise<void> {
  const spec = DATASETS[opts.dataset] as DatasetSpec<N>;
  const first = await it.next();
  const head = first.done ? new Uint8Array() : first.value;
  const bom = encodingFromBom(head);
  const encoding: TextEncodingName = forcedEncoding ?? bom.encoding;
  const decoder = new ChunkDecoder(encoding, !forcedEncoding || forcedEncoding === bom.encoding, { bytesAsLatin1: true });
  const asText = decoder.bytesAsLatin1 ? utf8Cell : (s: string): string => s;
  state.format = { fileType, encoding };
  if (forcedEncoding) {
    state.warnings.add({ code: 'encoding-fallback', message: `the file is not valid UTF-8; it was read as ${forcedEncoding}` });
  } else if (bom.guessed) {
    state.warnings.add({ code: 'encoding-fallback', message: `the file is ${bom.encoding.toUpperCase()} without a byte-order mark; it was read as such` });
  }
  /** Bytes not valid UTF-8: a file that had non-ASCII UTF-8 before mixes encodings; else it is read as Windows-1252. */
  const notUtf8 = (e: NotUtf8Error, row: number | undefined, line: number): never => {
    if (!e.sawMultibyte) throw new ReadAgainAsWindows1252();
    throw new CsvReadError('encoding-error',
      `the file is UTF-8 (it has non-ASCII UTF-8 text before this line) and then has bytes that are not UTF-8: it mixes ` +
      `encodings; save the whole export again as UTF-8`, row ?? 0, line);
  };

  // Read ahead enough lines to find the header.
  let prefix = '';
  let prefixLines = 0;
  let ended = first.done === true;
  let pendingBytes: Uint8Array | undefined = first.done ? undefined : head;
  const nextText = async (): Promise<string | undefined> => {
    if (pendingBytes) { const b = pendingBytes; pendingBytes = undefined; return decoder.decode(b); }
    if (ended) return undefined;
    const r = await it.next();
    if (r.done) { ended = true; return decoder.end(); }
    return decoder.decode(r.value);
  };
  // Bytes that are not UTF-8 found while reading ahead: the text before them is read and checked, then the error
  // says in which record and on which line they are.
  let badBytes: NotUtf8Error | undefined;
  try {
    while (prefix.length < HEADER_SEARCH_CHARS && prefixLines <= HEADER_SEARCH_LINES) {
      const text = await nextText();
      if (text === undefined) break;
      prefix += text;
      prefixLines += countBreaks(text);
    }
  } catch (e) {
    if (!(e instanceof NotUtf8Error)) throw e;
    if (!e.sawMultibyte) throw new ReadAgainAsWindows1252();
    badBytes = e;
    prefix += e.text;
    ended = true;
  }
  if (prefix.trim() === '' && !badBytes) {
    state.errors.add({ code: 'empty-file', message: 'the file has no text in it' });
    return;
  }
  const lineEnding = prefix.includes('\r\n') ? 'CRLF' : prefix.includes('\r') ? 'CR' : 'LF';
  const lines = prefix.split(/\r\n|\r|\n/).slice(0, HEADER_SEARCH_LINES).map(asText);
  if (!ended || pendingBytes || badBytes) lines.pop(); // the last line may be cut in the middle
  const header = findHeader(lines, spec, (cells) => readingFor(spec, cells, mappingFile));
  // A NUL in the lines before the header (the parser sees those after it).
  const nul = prefix.indexOf('\0');
  if (nul >= 0 && (!header || nul < lineStartOffset(prefix, header.lineIndex))) {
    const line = 1 + lineBreaksBefore(prefix, nul);
    state.errors.add({ code: 'not-tabular', line, message: nulByteMessage(line) });
    return;
  }
  if (!header && badBytes) notUtf8(badBytes, undefined, 1 + lineBreaksBefore(prefix, prefix.length));
  if (!header) {
    const longLine = !/[\r\n]/.test(prefix.slice(0, HEADER_SEARCH_CHARS));
    state.errors.add(longLine && prefix.length >= HEADER_SEARCH_CHARS
      ? { code: 'row-too-large', row: 1, line: 1, message: `the first line is longer than ${HEADER_SEARCH_CHARS / 1024} KB: no export has a header that long; is the file really a CSV with one row per line?` }
      : { code: 'empty-file', message: 'the file has only blank or comment lines' });
    return;
  }
  const headerLine = header.lineIndex + 1;
  const { reading } = header;
  state.format = {
    fileType, encoding, delimiter: header.delimiter, lineEnding, headerLine, preambleLines: header.lineIndex, ...readingFormat(reading),
  };
  const sample = lines.slice(header.lineIndex + 1, -1).filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => splitLine(l, header.delimiter));
  if (!state.checkHeader(spec, { mapping: header.mapping, cells: header.cells, line: headerLine, reading, sample })) return;

  const checker = new RowChecker(spec, header.mapping, state, header.cells.length, checkerOptions(opts, reading, header.delimiter), (state.merging = sinkFor(spec, reading, sink)).sink);
  state.checker = checker;
  // Parse everything from the header line on; the header is the first record read (row 1), so data rows
  // come out numbered from 2, with their physical lines.
  const parser = new CsvParser({
    delimiter: header.delimiter, firstLine: headerLine, maxRecordChars: MAX_RECORD_CHARS, utf8Bytes: decoder.bytesAsLatin1,
    reuseCells: true, // the checker copies the one row it may hold (a possible closing total)
  });
  parser.skip = checker.skippableColumns();
  const onRow = checker; // the header is row 1: `row` skips it
  parser.push(prefix.slice(lineStartOffset(prefix, header.lineIndex)), onRow);
  await checker.flush();
  if (badBytes) notUtf8(badBytes, parser.nextRow, parser.lineAt(parser.pending));
  for (;;) {
    let text: string | undefined;
    try {
      text = await nextText();
    } catch (e) {
      if (!(e instanceof NotUtf8Error)) throw e;
      // Check the records before the bad byte, then say on which line it is.
      parser.push(e.text, onRow);
      notUtf8(e, parser.nextRow, parser.lineAt(parser.pending));
    }
    if (text === undefined) break;
    parser.push(text, onRow);
    await checker.flush();
  }
  parser.end(onRow);
  checker.end();
  await checker.flush();
  await finishRecords(state, opts.settings);
  if (checker.rows === 0) state.warnings.add({ code: 'no-rows', row: 1, line: headerLine, message: 'the file has a header but no data rows' });
}

async function validateXlsx<N extends DatasetName>(
  bytes: AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  state: ReportState,
  limits: UploadLimits,
  mappingFile: MappingFile | undefined,
): Promise<void> {
  const spec = DATASETS[opts.dataset] as DatasetSpec<N>;
  state.format = { fileType: 'xlsx', ...(mappingFile ? { mapping: mappingFile.source } : {}) };
  let checker: RowChecker<N> | undefined;
  let row = 1;
  let width = 0;
  try {
    const found = await readXlsxRows<FileReading>(bytes, spec, {
      onHeader: (header, sheet) => {
        const { reading } = header;
        state.format = { fileType: 'xlsx', sheet, headerLine: header.line, preambleLines: header.line - 1, ...readingFormat(reading) };
        if (!state.checkHeader(spec, { mapping: header.mapping, cells: header.cells, line: header.line, reading, sample: header.sample })) return false;
        width = header.cells.length;
        checker = new RowChecker(spec, header.mapping, state, width, checkerOptions(opts, reading, undefined), (state.merging = sinkFor(spec, reading, sink)).sink);
        state.checker = checker;
        return true;
      },
      onRow: async (cells, line) => {
        // A sheet stores no trailing empty cells: a short row is not missing cells, as a short CSV row is.
        while (cells.length < width) cells.push('');
        checker!.check(cells, ++row, line);
        await checker!.flush();
      },
    }, limits, (cells) => readingFor(spec, cells, mappingFile));
    if (found === 'no-sheet') state.errors.add({ code: 'empty-file', message: 'the workbook has no sheet' });
    else if (found === 'no-header') state.errors.add({ code: 'empty-file', message: 'the first sheet of the workbook is empty' });
  } catch (e) {
    if (e instanceof NotTabularError) {
      state.errors.add({ code: e.code, message: e.message });
      return;
    }
    throw e;
  }
  if (checker) {
    checker.end();
    await checker.flush();
    await finishRecords(state, opts.settings);
    if (checker.rows === 0) {
      state.warnings.add({ code: 'no-rows', row: 1, line: state.format.headerLine ?? 1, message: 'the sheet has a header but no data rows' });
    }
  }
}

function countBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Character offset where physical line `index` (0-based) starts. */
function lineStartOffset(s: string, index: number): number {
  let line = 0;
  for (let i = 0; i < s.length && line < index; i++) {
    const c = s.charCodeAt(i);
    if (c === 13) { line++; if (s.charCodeAt(i + 1) === 10) i++; if (line === index) return i + 1; }
    else if (c === 10) { line++; if (line === index) return i + 1; }
  }
  return index === 0 ? 0 : s.length;
}
