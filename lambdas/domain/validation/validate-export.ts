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
import { DATASETS, type BuildContext, type ColumnSpec, type DatasetSpec, type ParsedCells, type RowIssue } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import { isoDateToDay, localDayNumber } from '../periods/period.ts';
import {
  BrokenTextError, ChunkDecoder, NotTabularError, NotUtf8Error, encodingFromBom, sniffUpload, utf8Cell, type TextEncodingName,
} from './decode.ts';
import { findHeader, type HeaderMapping } from './header.ts';
import { CsvParser, CsvReadError, MAX_RECORD_CHARS, lineBreaksBefore } from './csv-reader.ts';
import { CompactIdSet } from './id-set.ts';
import {
  IssueLog, type DetectedFormat, type ErrorCode, type Issue, type ValidationReport, type WarningCode,
} from './report.ts';
import {
  fastInteger, fastIsoDate, fastIsoDayKey, fastMoneyMinor, parseBoolean, parseDateValue, parseInteger, parseMoney, parsePercent,
  type Parsed,
} from './values.ts';
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
}

export interface RecordSink<R> {
  /** Takes one record; returns a promise only when the caller should wait (backpressure). */
  write(record: R): void | Promise<void>;
  /** Forget what was written: the file is read again from the start (encoding fallback). */
  reset(): void | Promise<void>;
}

export { MAX_RECORD_CHARS, readCsvRows, type CsvRow } from './csv-reader.ts';
/** Lines read ahead to find the header past titles and comment blocks. */
const HEADER_SEARCH_LINES = 60;
const HEADER_SEARCH_CHARS = 256 * 1024;

const SUMMARY_RE = /^(grand\s+)?totals?\b/i;
/** Lines report tools print under the data (Salesforce: confidentiality notice, copyright, who ran it). */
const FOOTER_RE = /^(confidential|copyright|\(c\)|©|generated\s+by|filtered\s+by|salesforce\.com|report\s+(run|generated)|exported\s+(on|by))/i;

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
  checker: RowChecker<DatasetName> | undefined;

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
      acceptedRows: c?.acceptedRows ?? 0,
      ...(droppedRows !== undefined ? { droppedRows } : {}),
      format: this.format,
      columns: this.columns,
      errorCounts: this.errors.counts,
      errors: this.errors.kept,
      warningCounts: this.warnings.counts,
      warnings: this.warnings.kept,
    };
  }
}

const pct = (f: number): string => `${Math.round(f * 10_000) / 100}%`;

async function validateOnce<N extends DatasetName>(
  open: () => AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  forcedEncoding?: TextEncodingName,
): Promise<ValidationReport> {
  const state = new ReportState(opts);
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
    sniffed = await sniffUpload(counted);
  } catch (e) {
    if (e instanceof NotTabularError) {
      state.errors.add({ code: e.code, message: e.message });
      return state.finish();
    }
    throw e;
  }
  if (sniffed.fileType === 'xlsx') {
    await validateXlsx(sniffed.bytes, opts, sink, state);
    return state.finish();
  }
  const it = sniffed.bytes[Symbol.asyncIterator]();
  try {
    await validateCsv(it, sniffed.fileType, opts, sink, state, forcedEncoding);
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
  const header = findHeader(lines, spec);
  if (!header && badBytes) notUtf8(badBytes, undefined, 1 + lineBreaksBefore(prefix, prefix.length));
  if (!header) {
    state.errors.add({ code: 'empty-file', message: 'the file has only blank or comment lines' });
    return;
  }
  const headerLine = header.lineIndex + 1;
  state.format = {
    fileType, encoding, delimiter: header.delimiter, lineEnding, headerLine, preambleLines: header.lineIndex,
  };
  if (!checkHeader(header.mapping, header.cells, headerLine, spec, opts, state)) return;

  const checker = new RowChecker(spec, header.mapping, opts, state, header.cells.length, header.delimiter === ';', sink);
  state.checker = checker as unknown as RowChecker<DatasetName>;
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
  keepShapesOf(checker, parser, decoder);
  if (checker.rows === 0) state.warnings.add({ code: 'no-rows', row: 1, line: headerLine, message: 'the file has a header but no data rows' });
}

/** Records header-level errors; returns whether rows can be read. */
function checkHeader(
  mapping: HeaderMapping, cells: readonly string[], headerLine: number, spec: DatasetSpec, opts: ValidateOptions, state: ReportState,
): boolean {
  const { errors } = state;
  state.columns = { ...mapping.headers };
  for (const c of spec.columns) if (c.helper) delete state.columns[c.name];
  if (mapping.missing.length > 0) {
    for (const name of mapping.missing) {
      const col = spec.columns.find((c) => c.name === name);
      errors.add({
        code: 'missing-column', row: 1, line: headerLine, column: name,
        message: `required column "${name}" is missing (accepted headers: ${[name, ...(col?.aliases ?? [])].join(', ')}); ` +
          `the header on line ${headerLine} has: ${cells.filter(Boolean).join(', ') || '(nothing)'}`,
      });
    }
    return false;
  }
  for (const d of mapping.duplicates) {
    errors.add({
      code: 'duplicate-column', row: 1, line: headerLine, column: d.column,
      message: `column "${d.column}" appears more than once: ${d.headers.map((h) => `"${h}"`).join(', ')}`,
    });
  }
  for (const [column, currency] of Object.entries(mapping.headerCurrency)) {
    if (currency !== opts.settings.currency) {
      errors.add({
        code: 'currency-mismatch', row: 1, line: headerLine, column, value: mapping.headers[column] ?? '',
        message: `the header says ${currency} but the configured currency is ${opts.settings.currency}`,
      });
    }
  }
  return errors.total === 0;
}

async function validateXlsx<N extends DatasetName>(
  bytes: AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  state: ReportState,
): Promise<void> {
  const spec = DATASETS[opts.dataset] as DatasetSpec<N>;
  state.format = { fileType: 'xlsx' };
  let checker: RowChecker<N> | undefined;
  let row = 1;
  let width = 0;
  try {
    const found = await readXlsxRows(bytes, spec, {
      onHeader: (header, sheet) => {
        state.format = { fileType: 'xlsx', sheet, headerLine: header.line, preambleLines: header.line - 1 };
        if (!checkHeader(header.mapping, header.cells, header.line, spec, opts, state)) return false;
        width = header.cells.length;
        checker = new RowChecker(spec, header.mapping, opts, state, width, false, sink);
        state.checker = checker as unknown as RowChecker<DatasetName>;
        return true;
      },
      onRow: async (cells, line) => {
        // A sheet stores no trailing empty cells: a short row is not missing cells, as a short CSV row is.
        while (cells.length < width) cells.push('');
        checker!.check(cells, ++row, line);
        await checker!.flush();
      },
    });
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
    if (checker.rows === 0) {
      state.warnings.add({ code: 'no-rows', row: 1, line: state.format.headerLine ?? 1, message: 'the sheet has a header but no data rows' });
    }
  }
}

type CellValue = string | number | boolean;
interface CellProblem { readonly code: ErrorCode; readonly problem: string }

/** How one mapped column of a file is read: compiled once per file from the registry and the header. */
interface ColumnPlan {
  readonly name: string;
  readonly index: number;
  /** How its cells are read (`parseCell`). */
  readonly type: ColumnSpec['type'];
  readonly dateOrder: Settings['dateOrder'];
  readonly currency: string;
  readonly decimalComma: boolean;
  /** What a blank cell is: an error (required), fine (optional), or a value with a warning. */
  readonly blank: 'error' | 'ok' | 'unknown';
  readonly isDate: boolean;
  /** A text column: its trimmed cell is its value, no parsing. */
  readonly isText: boolean;
  /** For date columns: whether a time part is dropped (the argument of `fastIsoDate`). */
  readonly dateOnly: boolean;
}

const fromParsed = <T extends CellValue>(p: Parsed<T>): T | CellProblem => (p.ok ? p.value : p);

const SQL_STATUS: ReadonlyMap<string, string> = new Map([
  ...['accepted', 'yes', 'true', '1', 'y'].map((w) => [w, 'accepted'] as const),
  ...['rejected', 'no', 'false', '0', 'n', 'unqualified'].map((w) => [w, 'rejected'] as const),
  ['pending', 'pending'],
]);

/**
 * Reads a cell of a mapped column (a trimmed, non-blank text) as the column's type. One function for every
 * file, not closures made per file: the row check's call site sees one target.
 */
function parseCell(plan: ColumnPlan, raw: string): CellValue | CellProblem {
  switch (plan.type) {
    case 'text':
      return raw;
    case 'datetime':
      return fastIsoDate(raw, false) ?? fromParsed(parseDateValue(raw, plan.dateOrder));
    case 'date':
      return fastIsoDate(raw, true) ?? fromParsed(parseDateValue(raw, plan.dateOrder, { dateOnly: true }));
    case 'day-or-month':
      return fastIsoDate(raw, true) ?? fromParsed(parseDateValue(raw, plan.dateOrder, { dateOnly: true, allowMonth: true }));
    case 'money': {
      const fast = fastMoneyMinor(raw);
      if (fast >= 0) return fast;
      const r = parseMoney(raw, { decimalComma: plan.decimalComma });
      if (!r.ok) return r;
      if (r.value.currency && r.value.currency !== plan.currency) {
        return { code: 'currency-mismatch', problem: `is in ${r.value.currency}, the configured currency is ${plan.currency}` };
      }
      return r.value.minor;
    }
    case 'integer': {
      const fast = fastInteger(raw);
      return fast >= 0 ? fast : fromParsed(parseInteger(raw, { decimalComma: plan.decimalComma }));
    }
    case 'boolean':
      return fromParsed(parseBoolean(raw));
    case 'percent':
      return fromParsed(parsePercent(raw));
    case 'sql-status':
      return SQL_STATUS.get(raw.toLowerCase())
        ?? { code: 'constraint-error', problem: 'is not an SQL status (accepted, rejected, pending)' };
    case 'currency': {
      const c = raw.toUpperCase();
      if (!/^[A-Z]{3}$/.test(c)) return { code: 'type-error', problem: 'is not an ISO 4217 currency code' };
      if (c !== plan.currency) return { code: 'currency-mismatch', problem: `differs from the configured currency ${plan.currency}` };
      return c;
    }
  }
}

const isDateType = (c: ColumnSpec): boolean => c.type === 'datetime' || c.type === 'date' || c.type === 'day-or-month';
const NUMERIC_TYPES: ReadonlySet<ColumnSpec['type']> = new Set(['money', 'integer', 'percent']);

/** Whether a cell needs trimming: it starts or ends with a space or a control character. */
function untrimmed(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a <= 32 || b <= 32 || a === 0xa0 || b === 0xa0 || a === 0xfeff || b === 0xfeff;
}
const trimmed = (s: string): string => (untrimmed(s) ? s.trim() : s);

/**
 * The objects of the last file checked, kept alive (their big storage given back) until the next one. V8 frees a
 * hidden class once no object has it, and with it the optimized code of every function that relied on it: in a
 * warm process (a warm Lambda, the benchmark) each upload after a garbage collection ran its first ~100,000
 * rows unoptimized while V8 learned the hot path again (~0.1 s per million rows).
 */
let shapeKeepers: readonly object[] = [];

const RETIRED_SINK: RecordSink<never> = { write: () => undefined, reset: () => undefined };

function keepShapesOf(checker: RowChecker<DatasetName>, ...others: object[]): void {
  checker.retire();
  shapeKeepers = [checker, ...others];
}

/**
 * Checks data rows one at a time against the dataset's columns and rules; writes each good record to the
 * sink. Everything per file (which column is where, how it is parsed) is worked out once, in the constructor.
 */
class RowChecker<N extends DatasetName> {
  /** Data records read (summary, footer and comment rows included). */
  rows = 0;
  /** Records that passed (written to the sink unless the file is already rejected). */
  acceptedRows = 0;
  /** Rows with at least one error, and the errors found in rows. */
  errorRows = 0;
  errorIssues = 0;

  private readonly plans: readonly ColumnPlan[];
  /** Parsed values of the current row, by plan. */
  private readonly values: (CellValue | undefined)[];
  private readonly dateSlots: readonly number[];
  /** Per plan, this row's date as yyyymmdd when read by the fast path as a local date; else -1. */
  private readonly dayKeys: Float64Array;
  private readonly futureLimitKey: number;
  private readonly cellsOf: CellsOf;
  /** The common case of a row in one compiled pass (see `rowReaderFor`); the loop over plans does the rest. */
  private readonly readRow: RowReader;
  /** The current row's cells by column name: one object, refilled per row (`build` keeps nothing of it). */
  private readonly parsed: ParsedCells;
  /** Date comparisons of this file (the build context of the registry's row rules). */
  private readonly dates: LocalDates;
  private readonly keyIndexes: readonly number[];
  private readonly numericIndexes: readonly number[];
  private readonly ids = new CompactIdSet();
  private readonly tolerance: number;
  private readonly rowErrors: Issue<ErrorCode>[] = [];
  private readonly issues: RowIssue[] = [];
  private writes: Promise<void>[] = [];
  /** A row with blank keys and filled numbers: a summary if it is the last row, an error if another follows. */
  private held: { cells: string[]; row: number; line: number } | undefined;
  private afterSummary = false;
  /** Kept for its hidden class only (see `keepShapesOf`): records die as soon as they are written. */
  private lastRecord: DatasetRecords[N] | undefined;

  constructor(
    private readonly spec: DatasetSpec<N>,
    mapping: HeaderMapping,
    private readonly opts: ValidateOptions,
    private readonly state: ReportState,
    private readonly headerWidth: number,
    decimalComma: boolean,
    private sink: RecordSink<DatasetRecords[N]>,
  ) {
    const { settings } = opts;
    const plans: ColumnPlan[] = [];
    for (const column of spec.columns) {
      const index = mapping.index[column.name];
      if (index === undefined) continue;
      const blank = !column.required ? 'ok'
        : spec.name === 'leads' && column.name === 'source' ? 'unknown'
          : spec.name === 'opportunities' && column.name === 'status' ? 'ok' // derivable: `build` decides
            : 'error';
      plans.push({
        name: column.name, index, type: column.type, dateOrder: settings.dateOrder, currency: settings.currency, decimalComma, blank,
        isDate: isDateType(column),
        isText: column.type === 'text', dateOnly: column.type !== 'datetime',
      });
    }
    this.plans = plans;
    this.values = plans.map(() => undefined);
    this.dateSlots = plans.flatMap((p, k) => (p.isDate ? [k] : []));
    this.dayKeys = new Float64Array(plans.length).fill(-1);
    this.cellsOf = cellsFactory(spec, plans);
    this.parsed = this.cellsOf(this.values);
    this.readRow = rowReaderFor(spec, plans);
    this.keyIndexes = spec.keyColumns.map((k) => mapping.index[k] ?? -1);
    this.numericIndexes = spec.columns.filter((c) => NUMERIC_TYPES.has(c.type) && mapping.index[c.name] !== undefined).map((c) => mapping.index[c.name]!);
    const tz = settings.timezone;
    const limit = DateTime.fromISO(opts.uploadedAt, { zone: 'utc' }).setZone(tz).plus({ days: 1 }).toISODate() ?? '9999-12-31';
    this.dates = new LocalDates(settings, limit);
    this.futureLimitKey = dayKey(limit);
    this.tolerance = settings.errorTolerance ?? 0;
  }

  /**
   * The header's columns this checker never reads (a mask for `CsvParser.skip`): not mapped to a column of the
   * dataset, and not the first one (comment and summary rows are told by their first cell).
   */
  skippableColumns(): Uint8Array {
    const mask = new Uint8Array(this.headerWidth).fill(1);
    mask[0] = 0;
    for (const p of this.plans) mask[p.index] = 0;
    return mask;
  }

  /** Waits for the sink when it asked to (backpressure); called once per chunk, not per row. */
  async flush(): Promise<void> {
    if (this.writes.length === 0) return;
    const w = this.writes;
    this.writes = [];
    await Promise.all(w);
  }

  /** The end of the data: a held blank-key row was the last one, so it is a summary row. */
  end(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    this.state.warnings.add({ code: 'summary-row', row: h.row, line: h.line, value: trimmed(h.cells[0] ?? '').slice(0, 80), message: 'summary row skipped' });
  }

  /** After the file: gives back what grew with it, keeping the object's fields and their types (see `keepShapesOf`). */
  retire(): void {
    this.ids.release();
    this.held = undefined;
    this.writes = [];
    this.sink = RETIRED_SINK; // the upload's writer (its buffers, its S3 upload) is not kept
  }

  /** A record of a CSV file as `CsvParser` hands it over; the header (row 1) is not a data row. */
  row(cells: string[], row: number, line: number): void {
    if (row > 1) this.check(cells, row, line);
  }

  check(cells: string[], row: number, line: number): void {
    this.rows++;
    // A comment line under a possible closing total does not make that total a data row.
    if (this.held && !isComment(cells)) {
      const h = this.held;
      this.held = undefined;
      this.checkRecord(h.cells, h.row, h.line);
    }
    const first = trimmed(cells[0] ?? '');
    if (first === '') {
      if (isBlankRow(cells)) return;
    } else {
      const f = first.charCodeAt(0);
      if (f === 35 /* # */) {
        this.state.warnings.add({ code: 'comment-row', row, line, value: first.slice(0, 80), message: 'comment line skipped' });
        return;
      }
      if ((f === 84 || f === 116 || f === 71 || f === 103) /* T t G g */ && SUMMARY_RE.test(first)) {
        this.afterSummary = true;
        this.state.warnings.add({ code: 'summary-row', row, line, value: first.slice(0, 80), message: 'summary row skipped' });
        return;
      }
    }
    if (this.keysBlank(cells) && this.numbersFilled(cells)) {
      this.held = { cells: cells.slice(), row, line };
      return;
    }
    this.checkRecord(cells, row, line);
  }

  private keysBlank(cells: readonly string[]): boolean {
    for (const i of this.keyIndexes) {
      const c = i < 0 ? undefined : cells[i];
      if (c !== undefined && trimmed(c) !== '') return false;
    }
    return true;
  }

  /** "Its numbers are filled": a count or an amount, not a date (a record that lost its id is an error, not a total). */
  private numbersFilled(cells: readonly string[]): boolean {
    return this.numericIndexes.some((i) => /\d/.test(cells[i] ?? ''));
  }

  private err(code: ErrorCode, row: number, line: number, column: string | undefined, value: string | undefined, message: string): void {
    this.rowErrors.push({ code, row, line, ...(column ? { column } : {}), ...(value !== undefined ? { value } : {}), message });
  }

  private checkRecord(cells: string[], row: number, line: number): void {
    const { spec, state, plans, values } = this;
    const rowErrors = this.rowErrors;
    if (rowErrors.length) rowErrors.length = 0;
    if (cells.length > this.headerWidth) {
      for (let i = this.headerWidth; i < cells.length; i++) {
        if (trimmed(cells[i]!) !== '') {
          this.err('extra-cell', row, line, undefined, cells[i], `the row has ${cells.length} cells, the header ${this.headerWidth}`);
          break;
        }
      }
    }
    // Whether a date may be after the upload day: a fast-path date past the limit, or one read another way.
    let maybeFuture = false;
    const parsed = this.parsed;
    const fast = this.readRow(cells, parsed, this.dayKeys, this.futureLimitKey, plans);
    if (fast >= 0) maybeFuture = fast === 1;
    else for (let k = 0; k < plans.length; k++) {
      const plan = plans[k]!;
      values[k] = undefined;
      const cell = cells[plan.index];
      if (cell === undefined) {
        this.err('missing-cell', row, line, plan.name, undefined, `the row has ${cells.length} cells and ends before column "${plan.name}"`);
        continue;
      }
      const raw = trimmed(cell);
      if (raw === '') {
        if (plan.blank === 'error') this.err('missing-value', row, line, plan.name, '', `required value "${plan.name}" is blank`);
        else if (plan.blank === 'unknown') {
          values[k] = 'unknown';
          state.warnings.add({ code: 'blank-value', row, line, column: plan.name, value: '', message: `blank ${plan.name} read as "unknown"` });
        }
        continue;
      }
      if (plan.isText) {
        values[k] = raw;
        continue;
      }
      let v: CellValue | CellProblem | undefined;
      if (plan.isDate) {
        // The common ISO forms inline, with their local day as a number for the future-date check below (the
        // normalized value may be a fresh string not flattened yet: comparing it would copy it).
        v = fastIsoDate(raw, plan.dateOnly);
        const key = fastIsoDayKey;
        this.dayKeys[k] = key;
        if (key < 0 || key > this.futureLimitKey) maybeFuture = true;
        if (v === undefined) v = parseCell(plan, raw);
      } else v = parseCell(plan, raw);
      if (typeof v === 'object') {
        this.err(v.code, row, line, plan.name, raw, `"${truncate(raw)}" ${v.problem}`);
        continue;
      }
      values[k] = v;
    }
    if (fast < 0) this.cellsOf(values, parsed);
    if (rowErrors.length === 0 && maybeFuture) {
      const exempt = spec.futureDateExempt?.(parsed);
      for (const k of this.dateSlots) {
        const v = parsed[plans[k]!.name];
        if (typeof v !== 'string') continue;
        const key = this.dayKeys[k]!;
        if ((key >= 0 ? key > this.futureLimitKey : this.dates.isFuture(v)) && !exempt?.includes(plans[k]!.name)) {
          this.err('future-date', row, line, plans[k]!.name, v, `${v.slice(0, 10)} is in the future (uploaded ${this.opts.uploadedAt.slice(0, 10)})`);
        }
      }
    }
    let record: DatasetRecords[N] | undefined;
    if (rowErrors.length === 0) {
      const issues = this.issues;
      if (issues.length) issues.length = 0;
      record = spec.build(parsed, this.dates, issues);
      for (const issue of issues) {
        if (issue.severity === 'error') this.err(issue.code, row, line, issue.column, stringOf(parsed[issue.column]), issue.message);
        else state.warnings.add({ code: 'blank-value', row, line, column: issue.column, message: issue.message });
      }
    }
    // Lines report tools print under the data (a Salesforce footer) fail as records: skip them instead.
    if (rowErrors.length > 0 && this.isFooter(cells)) {
      state.warnings.add({ code: 'footer-row', row, line, value: trimmed(cells[0] ?? '').slice(0, 80), message: 'report footer line skipped' });
      return;
    }
    if (spec.idColumn) {
      const id = parsed[spec.idColumn];
      if (typeof id === 'string') {
        const seen = this.ids.add(id, row);
        if (seen) this.err('duplicate-id', row, line, spec.idColumn, id, `${spec.idColumn} "${truncate(id)}" is also on row ${seen}`);
      }
    } else if (record && rowErrors.length === 0) {
      const seen = this.ids.add(spec.keyOf(record), row);
      if (seen) {
        const cols = spec.uniqueKey;
        this.err('duplicate-id', row, line, cols[0], cols.map((c) => stringOf((record as unknown as Record<string, unknown>)[c]) || '(blank)').join(' / '),
          `row ${seen} has the same ${cols.join(', ')}: the scorecard keeps one record per ${cols.join(' + ')}, so one of ` +
          'the two would be lost; put them on one row, or export without extra breakdowns (device, ad set, region…)');
      }
    }
    if (rowErrors.length > 0) {
      this.errorRows++;
      this.errorIssues += rowErrors.length;
      for (const e of rowErrors) state.errors.add(e);
      return;
    }
    if (!record) return;
    this.acceptedRows++;
    this.lastRecord = record;
    // With no tolerance, once any error is known the file is rejected whole: stop storing, keep checking.
    if (this.tolerance > 0 || state.errors.total === 0) {
      const w = this.sink.write(record);
      if (w) this.writes.push(w);
    }
  }

  /** Only the first cell filled, and it reads like a report footer, or it follows a summary row. */
  private isFooter(cells: readonly string[]): boolean {
    for (let i = 1; i < cells.length; i++) if (trimmed(cells[i]!) !== '') return false;
    return this.afterSummary || FOOTER_RE.test(trimmed(cells[0] ?? ''));
  }
}

/** `YYYY-MM-DD…` → yyyymmdd as a number (the text is known to start with a valid date). */
const dayKey = (s: string): number =>
  (s.charCodeAt(0) - 48) * 10_000_000 + (s.charCodeAt(1) - 48) * 1_000_000 + (s.charCodeAt(2) - 48) * 100_000
  + (s.charCodeAt(3) - 48) * 10_000 + (s.charCodeAt(5) - 48) * 1000 + (s.charCodeAt(6) - 48) * 100
  + (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);

const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

/**
 * The date comparisons of one file, as the registry's row rules call them (`BuildContext`). A class, not
 * closures made per file: the hot call sites then see the same functions from one upload to the next, where
 * fresh closures made V8 throw away its optimized code at the start of every file.
 *
 * Date values are local `YYYY-MM-DD…` (their first 10 characters are the local date), a month `YYYY-MM`, or
 * UTC instants ending in Z, which only need a time-zone lookup outside UTC.
 */
class LocalDates implements BuildContext {
  private readonly utc: boolean;
  private readonly tz: string;
  private readonly limitDay: number;
  /**
   * A local value is later than the limit's day exactly when it sorts after `limit` + '~' (a normalized value
   * goes on with 'T' at most, which sorts before '~'; the next day sorts after it): one string comparison, no
   * parsing. ('~' keeps the limit a one-byte string: comparing against U+FFFF is several times slower.)
   */
  private readonly limitText: string;

  constructor(readonly settings: Settings, limit: string) {
    this.tz = settings.timezone;
    this.utc = UTC_ZONES.has(settings.timezone);
    this.limitDay = isoDateToDay(limit);
    this.limitText = `${limit}~`;
  }

  localDay(value: string): number {
    return localDayNumber(value, this.tz);
  }

  before(a: string, b: string): boolean {
    return this.needsZone(a) || this.needsZone(b) ? this.localDay(a) < this.localDay(b) : localDateBefore(a, b);
  }

  /** Whether a date value is on a day after the upload day plus one. */
  isFuture(value: string): boolean {
    return this.needsZone(value) ? this.localDay(value) > this.limitDay : value > this.limitText;
  }

  private needsZone(value: string): boolean {
    return !this.utc && value.charCodeAt(value.length - 1) === 90; /* Z */
  }
}

/**
 * Whether local date value `a` is on an earlier day than `b` (both `YYYY-MM-DD…` or `YYYY-MM`, a month
 * meaning its first day), comparing characters in place.
 */
function localDateBefore(a: string, b: string): boolean {
  if (a.length === 10 && b.length === 10) return a < b;
  if (a.length >= 10 && b.length >= 10) {
    // As text, a value that does not sort first is not on an earlier day: one native comparison answers the
    // common case (dates in order); only then are the two days compared.
    if (!(a < b)) return false;
    for (let i = 0; i < 10; i++) {
      const ca = a.charCodeAt(i);
      const cb = b.charCodeAt(i);
      if (ca !== cb) return ca < cb;
    }
    return false;
  }
  for (let i = 0; i < 10; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : i === 7 ? 45 : i === 8 ? 48 : 49; // a month reads as `-01`
    const cb = i < b.length ? b.charCodeAt(i) : i === 7 ? 45 : i === 8 ? 48 : 49;
    if (ca !== cb) return ca < cb;
  }
  return false;
}

type CellsOf = (values: readonly (CellValue | undefined)[], into?: ParsedCells) => ParsedCells;

/** Compiled `cellsOf` functions by dataset and the columns a file maps, in order: see `cellsFactory`. */
const compiledCells = new Map<string, CellsOf>();

/**
 * A function that builds a row's `ParsedCells` object from its values. It is compiled from the registry's
 * column names (never from file content), so every row's object has the same shape: the registry's `build`
 * then reads it with monomorphic property loads, where per-row keyed stores were a measurable cost.
 *
 * Compiled once per dataset and column layout, not per file: files of the same layout then share the code
 * and the object shape that `build` was optimized for.
 */
function cellsFactory(spec: DatasetSpec, plans: readonly ColumnPlan[]): CellsOf {
  const slot = new Map(plans.map((p, k) => [p.name, k]));
  const key = `${spec.name}|${spec.columns.map((c) => slot.get(c.name) ?? '-').join(',')}`;
  let f = compiledCells.get(key);
  if (!f) {
    const value = (name: string): string => (slot.has(name) ? `v[${slot.get(name)}]` : 'undefined');
    const fields = spec.columns.map((c) => `${JSON.stringify(c.name)}: ${value(c.name)}`);
    const stores = spec.columns.filter((c) => slot.has(c.name)).map((c) => `o[${JSON.stringify(c.name)}] = ${value(c.name)};`);
    f = new Function('v', 'o', `if (o === undefined) return { ${fields.join(', ')} }; ${stores.join(' ')} return o;`) as CellsOf;
    compiledCells.set(key, f);
  }
  return f;
}

/**
 * Reads a row's mapped cells into `into` when every one of them is the common case: present, with no space to
 * trim, blank only where blank is allowed, a date in an ISO form `fastIsoDate` reads, any other value read without
 * a problem. Returns 1 when a date may be after `futureLimitKey` (see `RowChecker.checkRecord`), 0 when none is,
 * and -1, having decided nothing, for any other row: the loop over the column plans then reads it and says
 * what is wrong. Per plan, `dayKeys` gets the local day of a date read (yyyymmdd, or -1).
 */
type RowReader = (
  cells: readonly string[], into: ParsedCells, dayKeys: Float64Array, futureLimitKey: number, plans: readonly ColumnPlan[],
) => number;

const compiledReaders = new Map<string, RowReader>();

/**
 * The `RowReader` of a dataset and a file's column plans: straight-line code, one block per mapped column, with
 * each column's position, blank rule and type written in, compiled from the registry's column names and types
 * (never from file content). The generic loop's own work (plan fields read per cell, values staged in an array
 * and copied into the row object) was about 4% of the validation's instructions (cachegrind, leads bench file).
 * Compiled once per layout; the file's own plans (currency, date order…) are passed in.
 */
function rowReaderFor(spec: DatasetSpec, plans: readonly ColumnPlan[]): RowReader {
  const key = `${spec.name}|${plans.map((p) => `${p.name}:${p.index}:${p.type}:${p.blank}`).join(',')}`;
  let reader = compiledReaders.get(key);
  if (reader) return reader;
  const blocks = plans.map((p, k) => {
    const field = `o[${JSON.stringify(p.name)}]`;
    const read = p.isText ? `${field} = c;`
      : p.isDate ? `v = fastIsoDate(c, ${p.dateOnly}); if (v === undefined) return -1; key = dayKey(); keys[${k}] = key; `
        + `if (key < 0 || key > limit) future = 1; ${field} = v;`
        : `v = parseCell(plans[${k}], c); if (typeof v === 'object') return -1; ${field} = v;`;
    return `c = cells[${p.index}]; if (c === undefined) return -1; n = c.length;
      if (n === 0) { ${p.blank === 'ok' ? `${field} = undefined;` : 'return -1;'} } else {
        a = c.charCodeAt(0); b = c.charCodeAt(n - 1);
        if (a <= 32 || b <= 32 || a === 160 || b === 160 || a === 65279 || b === 65279) return -1;
        ${read}
      }`;
  });
  const body = `return function readRow(cells, o, keys, limit, plans) {
    let c, n, a, b, v, key, future = 0;
    ${blocks.join('\n    ')}
    return future;
  };`;
  const dayKey = (): number => fastIsoDayKey;
  reader = new Function('fastIsoDate', 'dayKey', 'parseCell', body)(fastIsoDate, dayKey, parseCell) as RowReader;
  compiledReaders.set(key, reader);
  return reader;
}

const isComment = (cells: readonly string[]): boolean => trimmed(cells[0] ?? '').startsWith('#');

function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (trimmed(c) !== '') return false;
  return true;
}

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const stringOf = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

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
