/**
 * `validateExport`: reads one upload as a stream, checks it against its dataset's contract (exports.md) and
 * hands each valid record to a sink as it goes, so memory stays flat whatever the file size. Returns the
 * report; the caller decides what to do with the records (keep them when accepted, drop them when not).
 */
import { DateTime } from 'luxon';
import type { DatasetName } from '../layout.ts';
import type { Settings } from '../settings.ts';
import { DATASETS, type ColumnSpec, type DatasetSpec, type ParsedCells } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import { NotTabularError, NotUtf8Error, decodeText, sniffUpload, type TextEncodingName } from './decode.ts';
import { toLocalDate } from '../periods/period.ts';
import { findHeader, type HeaderMapping } from './header.ts';
import { CsvReadError, MAX_RECORD_CHARS, parseCsvText } from './csv-reader.ts';
import {
  IssueLog, type DetectedFormat, type ErrorCode, type Issue, type ValidationReport, type WarningCode,
} from './report.ts';
import {
  parseBoolean, parseDateValue, parseInteger, parseMoney, parsePercent, type Parsed,
} from './values.ts';

export interface ValidateOptions {
  readonly dataset: DatasetName;
  readonly settings: Settings;
  /** Bucket key or file name, for the report. */
  readonly source: string;
  /** When the upload was made (ISO instant): dates after it plus one day are `future-date` errors. */
  readonly uploadedAt: string;
  /** Called with the bytes consumed so far, for progress bars. */
  readonly onProgress?: (bytes: number) => void;
}

export interface RecordSink<R> {
  write(record: R): void | Promise<void>;
  /** Forget what was written: the file is read again from the start (encoding fallback). */
  reset(): void | Promise<void>;
}

export { MAX_RECORD_CHARS, readCsvRows, type CsvRow } from './csv-reader.ts';
/** Lines read ahead to find the header past titles and comment blocks. */
const HEADER_SEARCH_LINES = 60;
const HEADER_SEARCH_CHARS = 256 * 1024;

const SUMMARY_RE = /^(grand\s+)?totals?\b/i;

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
    return await validateOnce(open(), opts, sink);
  } catch (e) {
    if (!(e instanceof NotUtf8Error)) throw e;
    await sink.reset();
    return validateOnce(open(), opts, sink, 'windows-1252');
  }
}

async function validateOnce<N extends DatasetName>(
  bytes: AsyncIterable<Uint8Array>,
  opts: ValidateOptions & { readonly dataset: N },
  sink: RecordSink<DatasetRecords[N]>,
  forcedEncoding?: TextEncodingName,
): Promise<ValidationReport> {
  const spec = DATASETS[opts.dataset] as DatasetSpec<N>;
  const errors = new IssueLog<ErrorCode>();
  const warnings = new IssueLog<WarningCode>();
  let format: DetectedFormat = { fileType: 'unknown' };
  let columns: Record<string, string> = {};
  let rows = 0;
  let acceptedRows = 0;

  const finish = (): ValidationReport => ({
    status: errors.total === 0 ? 'accepted' : 'rejected',
    dataset: opts.dataset,
    source: opts.source,
    rows,
    acceptedRows,
    format,
    columns,
    errorCounts: errors.counts,
    errors: errors.kept,
    warningCounts: warnings.counts,
    warnings: warnings.kept,
  });

  let sniffed;
  try {
    sniffed = await sniffUpload(bytes);
  } catch (e) {
    if (e instanceof NotTabularError) {
      errors.add({ code: e.code, message: e.message });
      return finish();
    }
    throw e;
  }
  let consumed = 0;
  const counted = (async function* () {
    for await (const chunk of sniffed.bytes) {
      consumed += chunk.length;
      opts.onProgress?.(consumed);
      yield chunk;
    }
  })();
  const bom = await peekBom(counted);
  const encoding: TextEncodingName = forcedEncoding ?? bom.encoding;
  if (forcedEncoding) {
    warnings.add({ code: 'encoding-fallback', message: `the file is not valid UTF-8; it was read as ${forcedEncoding}` });
  }
  const text = decodeText(bom.bytes, forcedEncoding)[Symbol.asyncIterator]();

  // Read ahead enough lines to find the header.
  let prefix = '';
  let ended = false;
  try {
    while (!ended && prefix.length < HEADER_SEARCH_CHARS && countLines(prefix) <= HEADER_SEARCH_LINES) {
      const r = await text.next();
      if (r.done) ended = true;
      else prefix += r.value;
    }
  } catch (e) {
    if (!(e instanceof NotTabularError)) throw e;
    errors.add({ code: e.code, message: e.message });
    format = { fileType: sniffed.fileType, encoding };
    return finish();
  }
  if (prefix.trim() === '') {
    errors.add({ code: 'empty-file', message: 'the file has no text in it' });
    format = { fileType: sniffed.fileType, encoding };
    return finish();
  }
  const lineEnding = prefix.includes('\r\n') ? 'CRLF' : prefix.includes('\r') ? 'CR' : 'LF';
  const lines = prefix.split(/\r\n|\r|\n/).slice(0, HEADER_SEARCH_LINES);
  if (!ended) lines.pop(); // the last line may be cut in the middle
  const header = findHeader(lines, spec);
  if (!header) {
    errors.add({ code: 'empty-file', message: 'the file has only blank or comment lines' });
    return finish();
  }
  const headerLine = header.lineIndex + 1;
  format = {
    fileType: sniffed.fileType, encoding, delimiter: header.delimiter, lineEnding, headerLine,
    preambleLines: header.lineIndex,
  };
  const mapping = header.mapping;
  columns = { ...mapping.headers };
  for (const c of spec.columns) if (c.helper) delete columns[c.name];
  if (mapping.missing.length > 0) {
    for (const name of mapping.missing) {
      const col = spec.columns.find((c) => c.name === name);
      errors.add({
        code: 'missing-column', row: 1, line: headerLine, column: name,
        message: `required column "${name}" is missing (accepted headers: ${[name, ...(col?.aliases ?? [])].join(', ')}); ` +
          `the header on line ${headerLine} has: ${header.cells.filter(Boolean).join(', ') || '(nothing)'}`,
      });
    }
    return finish();
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
  if (errors.total > 0) return finish();

  // Parse everything from the header line on; line numbers are offset back to the physical file.
  const offset = lineStartOffset(prefix, header.lineIndex);
  const rest = prefix.slice(offset);
  const source = (async function* () {
    yield rest;
    if (ended) return;
    for (;;) {
      const r = await text.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  const ctx: RowContext<N> = {
    spec, mapping, opts, errors, warnings, ids: new Set<string>(),
    futureLimit: DateTime.fromISO(opts.uploadedAt, { zone: 'utc' }).setZone(opts.settings.timezone).plus({ days: 1 }).toISODate() ?? '9999-12-31',
    headerWidth: header.cells.length,
    decimalComma: header.delimiter === ';',
  };
  let first = true;
  let pending: PendingRow | undefined;
  try {
    // The header is the first record read (row 1), so data rows come out numbered from 2.
    for await (const record of parseCsvText(source, { delimiter: header.delimiter, firstLine: headerLine, maxRecordChars: MAX_RECORD_CHARS })) {
      if (first) { first = false; continue; }
      rows++;
      const current: PendingRow = { cells: record.cells, row: record.row, line: record.line };
      if (pending) acceptedRows += await checkRow(pending, ctx, sink, false);
      pending = current;
    }
  } catch (e) {
    if (e instanceof CsvReadError && e.code !== 'encoding-error') {
      errors.add({ code: e.code, row: e.row, line: e.line, message: e.message });
      return finish();
    }
    if (e instanceof NotTabularError) {
      errors.add({ code: e.code, message: e.message });
      return finish();
    }
    throw e;
  }
  if (pending) acceptedRows += await checkRow(pending, ctx, sink, true);
  if (rows === 0) warnings.add({ code: 'no-rows', row: 1, line: headerLine, message: 'the file has a header but no data rows' });
  return finish();
}

interface PendingRow {
  readonly cells: readonly string[];
  readonly row: number;
  readonly line: number;
}

interface RowContext<N extends DatasetName> {
  readonly spec: DatasetSpec<N>;
  readonly mapping: HeaderMapping;
  readonly opts: ValidateOptions;
  readonly errors: IssueLog<ErrorCode>;
  readonly warnings: IssueLog<WarningCode>;
  readonly ids: Set<string>;
  readonly futureLimit: string;
  readonly headerWidth: number;
  readonly decimalComma: boolean;
}

/** Checks one data row; returns 1 when it produced a record, else 0. */
async function checkRow<N extends DatasetName>(
  { cells, row, line }: PendingRow,
  ctx: RowContext<N>,
  sink: RecordSink<DatasetRecords[N]>,
  isLast: boolean,
): Promise<number> {
  const { spec, mapping, errors, warnings, opts } = ctx;
  const firstCell = (cells[0] ?? '').trim();
  if (cells.every((c) => c.trim() === '')) return 0;
  if (firstCell.startsWith('#')) {
    warnings.add({ code: 'comment-row', row, line, value: firstCell.slice(0, 80), message: 'comment line skipped' });
    return 0;
  }
  if (SUMMARY_RE.test(firstCell) || (isLast && isBlankKeyRow(cells, ctx))) {
    warnings.add({ code: 'summary-row', row, line, value: firstCell.slice(0, 80), message: 'summary row skipped' });
    return 0;
  }
  const rowErrors: Issue<ErrorCode>[] = [];
  const err = (code: ErrorCode, column: string | undefined, value: string | undefined, message: string): void => {
    rowErrors.push({ code, row, line, ...(column ? { column } : {}), ...(value !== undefined ? { value } : {}), message });
  };
  if (cells.length > ctx.headerWidth) {
    const extra = cells.slice(ctx.headerWidth).filter((c) => c.trim() !== '');
    if (extra.length > 0) err('extra-cell', undefined, extra[0], `the row has ${cells.length} cells, the header ${ctx.headerWidth}`);
  }
  const parsed: Record<string, string | number | boolean | undefined> = {};
  for (const column of spec.columns) {
    const i = mapping.index[column.name];
    if (i === undefined) continue;
    if (i >= cells.length) {
      err('missing-cell', column.name, undefined, `the row has ${cells.length} cells and ends before column "${column.name}"`);
      continue;
    }
    const raw = (cells[i] ?? '').trim();
    if (raw === '') {
      if (column.required) {
        if (spec.name === 'leads' && column.name === 'source') {
          parsed.source = 'unknown';
          warnings.add({ code: 'blank-value', row, line, column: 'source', value: '', message: 'blank source read as "unknown"' });
        } else if (!(spec.name === 'opportunities' && column.name === 'status')) {
          err('missing-value', column.name, '', `required value "${column.name}" is blank`);
        }
      }
      continue;
    }
    const r = parseCell(column, raw, ctx);
    if (!r.ok) {
      err(r.code === 'currency-mismatch' ? 'currency-mismatch' : r.code, column.name, raw, `"${truncate(raw)}" ${r.problem}`);
      continue;
    }
    parsed[column.name] = r.value;
  }
  if (rowErrors.length === 0) {
    const exempt = spec.futureDateExempt?.(parsed) ?? [];
    for (const column of spec.columns) {
      if (!isDateType(column) || exempt.includes(column.name)) continue;
      const v = parsed[column.name];
      if (typeof v === 'string' && toLocalDate(v, opts.settings.timezone) > ctx.futureLimit) {
        err('future-date', column.name, v, `${v.slice(0, 10)} is in the future (uploaded ${opts.uploadedAt.slice(0, 10)})`);
      }
    }
  }
  let record: DatasetRecords[N] | undefined;
  if (rowErrors.length === 0) {
    const built = spec.build(parsed as ParsedCells, { settings: opts.settings });
    for (const issue of built.issues) {
      if (issue.severity === 'error') err(issue.code, issue.column, stringOf(parsed[issue.column]), issue.message);
      else warnings.add({ code: 'blank-value', row, line, column: issue.column, message: issue.message });
    }
    record = built.record;
  }
  if (spec.idColumn) {
    const id = parsed[spec.idColumn];
    if (typeof id === 'string') {
      if (ctx.ids.has(id)) err('duplicate-id', spec.idColumn, id, `${spec.idColumn} "${truncate(id)}" appears on an earlier row`);
      else ctx.ids.add(id);
    }
  }
  for (const e of rowErrors) errors.add(e);
  if (rowErrors.length > 0 || !record) return 0;
  // Once any error is known the file is rejected whole: stop storing records, keep checking rows.
  if (errors.total === 0) await sink.write(record);
  return 1;
}

type CellResult = Parsed<string | number | boolean> | { ok: false; code: 'currency-mismatch'; problem: string };

function parseCell<N extends DatasetName>(column: ColumnSpec, raw: string, ctx: RowContext<N>): CellResult {
  const { settings } = ctx.opts;
  switch (column.type) {
    case 'text':
      return { ok: true, value: raw };
    case 'datetime':
      return parseDateValue(raw, settings.dateOrder);
    case 'date':
      return parseDateValue(raw, settings.dateOrder, { dateOnly: true });
    case 'day-or-month':
      return parseDateValue(raw, settings.dateOrder, { dateOnly: true, allowMonth: true });
    case 'money': {
      const r = parseMoney(raw, { decimalComma: ctx.decimalComma });
      if (!r.ok) return r;
      if (r.value.currency && r.value.currency !== settings.currency) {
        return { ok: false, code: 'currency-mismatch', problem: `is in ${r.value.currency}, the configured currency is ${settings.currency}` };
      }
      return { ok: true, value: r.value.minor };
    }
    case 'integer':
      return parseInteger(raw);
    case 'boolean':
      return parseBoolean(raw);
    case 'percent':
      return parsePercent(raw);
    case 'sql-status': {
      const s = raw.toLowerCase();
      if (['accepted', 'yes', 'true', '1', 'y'].includes(s)) return { ok: true, value: 'accepted' };
      if (['rejected', 'no', 'false', '0', 'n', 'unqualified'].includes(s)) return { ok: true, value: 'rejected' };
      if (s === 'pending') return { ok: true, value: 'pending' };
      return { ok: false, code: 'constraint-error', problem: 'is not an SQL status (accepted, rejected, pending)' };
    }
    case 'currency': {
      const c = raw.toUpperCase();
      if (!/^[A-Z]{3}$/.test(c)) return { ok: false, code: 'type-error', problem: 'is not an ISO 4217 currency code' };
      if (c !== settings.currency) return { ok: false, code: 'currency-mismatch', problem: `differs from the configured currency ${settings.currency}` };
      return { ok: true, value: c };
    }
  }
}

const isDateType = (c: ColumnSpec): boolean => c.type === 'datetime' || c.type === 'date' || c.type === 'day-or-month';

function isBlankKeyRow<N extends DatasetName>(cells: readonly string[], ctx: RowContext<N>): boolean {
  const keyBlank = ctx.spec.keyColumns.every((k) => {
    const i = ctx.mapping.index[k];
    return i === undefined || (cells[i] ?? '').trim() === '';
  });
  // "Its numbers are filled": a count or an amount, not a date (a record that lost its id is an error, not a total).
  const numberFilled = ctx.spec.columns.some((c) => {
    const i = ctx.mapping.index[c.name];
    return NUMERIC_TYPES.has(c.type) && i !== undefined && /\d/.test(cells[i] ?? '');
  });
  return keyBlank && numberFilled;
}

const NUMERIC_TYPES: ReadonlySet<ColumnSpec['type']> = new Set(['money', 'integer', 'percent']);

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const stringOf = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

function countLines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10 || s.charCodeAt(i) === 13) n++;
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

async function peekBom(bytes: AsyncIterable<Uint8Array>): Promise<{ encoding: TextEncodingName; bytes: AsyncIterable<Uint8Array> }> {
  // decodeText reads the BOM itself; this only reports which encoding it will use.
  const it = bytes[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? new Uint8Array() : first.value;
  const encoding: TextEncodingName =
    head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8';
  return {
    encoding,
    bytes: (async function* () {
      if (!first.done) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })(),
  };
}
