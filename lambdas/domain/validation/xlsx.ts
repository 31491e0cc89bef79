/**
 * Reading the first sheet of an Excel workbook (`.xlsx`) as rows of cell text, streaming, with exceljs's
 * `WorkbookReader`. Cells are turned into the text a CSV export of the sheet would hold, in the forms the
 * value parsers read (a date cell → `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm:ss`, a number → its shortest decimal
 * form, a boolean → `true` / `false`), so a workbook is validated by the very same rules as a CSV file.
 *
 * Memory: rows stream; exceljs keeps the shared-strings table (every distinct text of the workbook) in memory,
 * and when the sheet comes before that table in the archive (as Excel writes it) it parks the sheet's XML in a
 * temporary file until the table has been read.
 */
import { Readable } from 'node:stream';
import type { DatasetSpec } from '../datasets/registry.ts';
import { NotTabularError } from './decode.ts';
import { findHeaderInRows, type HeaderMapping } from './header.ts';

/** Rows read ahead to find the header past a report's title rows. */
const HEADER_SEARCH_ROWS = 60;

export interface XlsxHeader {
  readonly cells: readonly string[];
  readonly mapping: HeaderMapping;
  /** Index of the header among the non-empty rows read ahead. */
  readonly lineIndex: number;
  /** Sheet row number of the header (1 = the sheet's first row). */
  readonly line: number;
}

export interface XlsxHandlers {
  /** Told the header and the sheet's name; returns false to stop reading (a header error). */
  onHeader(header: XlsxHeader, sheet: string): boolean;
  /** Each non-empty row after the header, with its sheet row number. */
  onRow(cells: string[], line: number): Promise<void>;
}

interface ExcelCell { readonly value: unknown; readonly numFmt?: string }
interface ExcelRow {
  readonly number: number;
  eachCell(opts: { includeEmpty: boolean }, f: (cell: ExcelCell, col: number) => void): void;
}
interface ExcelSheet extends AsyncIterable<ExcelRow> { readonly name?: string }

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A date cell as the value parsers read it: local wall time (Excel dates have no zone), seconds rounded. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const date = `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) return date;
  return `${date}T${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
}

/** Whether a number format shows a date or a time (exceljs's own test: y, m, d, h, s outside quotes and brackets). */
const isDateFormat = (fmt: string | undefined): boolean =>
  !!fmt && /[ymdhMsb]/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** An Excel serial day number (1900 system) as a date. */
const serialToDate = (serial: number): Date => new Date(Math.round((serial - 25569) * 86_400_000));

/** The text of one cell, as a CSV export of the sheet would have it. */
export function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text?: string }[]; text?: unknown; error?: string; formula?: string };
    // A formula's cached result; exceljs leaves a date result as its serial number.
    if ('formula' in v || 'sharedFormula' in v) {
      return typeof v.result === 'number' && isDateFormat(numFmt) ? dateText(serialToDate(v.result)) : cellText(v.result, numFmt);
    }
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if (v.text !== undefined) return cellText(v.text, numFmt); // a hyperlink
    if (typeof v.error === 'string') return v.error; // #N/A, #VALUE!…: read as text, so the cell fails its type check
  }
  return String(value);
}

function rowCells(row: ExcelRow): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    while (cells.length < col - 1) cells.push('');
    cells[col - 1] = cellText(cell.value, cell.numFmt);
  });
  return cells;
}

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

/**
 * Reads the workbook's first sheet (in tab order): finds the header among its first rows, then hands every
 * non-empty row after it to `onRow`. A workbook that cannot be read is a `NotTabularError`.
 */
export async function readXlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  spec: DatasetSpec,
  handlers: XlsxHandlers,
): Promise<'read' | 'stopped' | 'no-sheet' | 'no-header'> {
  const { default: ExcelJS } = await import('exceljs');
  const input = Readable.from(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  // Errors of the handlers (the sink, the checker) pass through as they are; anything else is the workbook's.
  let handlerError: unknown;
  const call = async <T>(f: () => T | Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      handlerError = e;
      throw e;
    }
  };
  try {
    for await (const sheet of reader as unknown as AsyncIterable<ExcelSheet>) {
      const firstTab = (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.[0]?.name;
      if (firstTab !== undefined && sheet.name !== undefined && sheet.name !== firstTab) continue;
      const ahead: { cells: string[]; line: number }[] = [];
      let started = false;
      const start = async (): Promise<'read' | 'stopped' | 'no-header'> => {
        started = true;
        const header = findHeaderInRows(ahead.map((r) => r.cells), spec);
        if (!header) return 'no-header';
        const line = ahead[header.lineIndex]!.line;
        const go = await call(() => handlers.onHeader({ ...header, line }, sheet.name ?? 'Sheet1'));
        if (!go) return 'stopped';
        for (const r of ahead.slice(header.lineIndex + 1)) await call(() => handlers.onRow(r.cells, r.line));
        return 'read';
      };
      for await (const row of sheet) {
        const cells = rowCells(row);
        if (isBlank(cells)) continue;
        if (!started) {
          ahead.push({ cells, line: row.number });
          if (ahead.length < HEADER_SEARCH_ROWS) continue;
          const r = await start();
          if (r !== 'read') return r;
          continue;
        }
        await call(() => handlers.onRow(cells, row.number));
      }
      return started ? 'read' : start();
    }
    return 'no-sheet';
  } catch (e) {
    if (handlerError !== undefined && e === handlerError) throw e;
    throw new NotTabularError(`the workbook cannot be read (${(e as Error).message ?? e}): save it again as .xlsx, or export it as CSV`);
  } finally {
    input.destroy();
  }
}
