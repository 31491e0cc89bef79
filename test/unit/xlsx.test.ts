/**
 * Excel uploads (.xlsx, first sheet), with workbooks built in the test by exceljs: recognised by content
 * (a zip with `xl/` entries), cells mapped to the same normalized values as CSV text, rows and lines as the
 * sheet numbers them; other zips are a clear `not-tabular`.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipEntryNames } from '../../lambdas/domain/validation/decode.ts';
import { cellText, isDateFormat } from '../../lambdas/domain/validation/xlsx.ts';
import { gzip, validate, where } from '../helpers/export-builders.ts';

type Cell = string | number | boolean | Date | null | ExcelJS.CellValue;

/** An .xlsx file (bytes) with one sheet per entry, rows as given (row 1 first). */
async function workbook(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((cells, i) => {
      const row = ws.getRow(i + 1);
      cells.forEach((v, j) => {
        if (v === null) return;
        const cell = row.getCell(j + 1);
        cell.value = v as ExcelJS.CellValue;
        if (v instanceof Date) cell.numFmt = v.getUTCHours() || v.getUTCMinutes() ? 'yyyy-mm-dd hh:mm' : 'yyyy-mm-dd';
      });
      row.commit();
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same through exceljs's streaming writer, with inline or shared strings (entries in another order). */
async function streamedWorkbook(rows: Cell[][], useSharedStrings: boolean): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings, useStyles: true });
  const ws = wb.addWorksheet('Export');
  for (const cells of rows) ws.addRow(cells).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const at = (iso: string): Date => new Date(`${iso}Z`);

describe('.xlsx uploads', () => {
  it('reads the first sheet with typed cells: dates, timestamps, numbers, booleans, text', async () => {
    const bytes = await workbook({
      Leads: [
        ['Record ID', 'Create Date', 'Original Source', 'Became a Marketing Qualified Lead Date', 'Marketing Sourced', 'Campaign'],
        [101, at('2026-10-01T09:15:00'), 'Organic Search', day('2026-10-02'), true, 'Café José'],
        ['L-2', day('2026-10-03'), 'Outbound', null, false, null],
        ['L-3', '2026-10-04', 'Paid Social', '10/5/2026', 'yes', 'text dates read as in CSV'],
      ],
      Notes: [['not', 'read'], ['x', 'y']],
    });
    const { report, records } = await validate('leads', bytes, { source: 'incoming/leads/export.xlsx' });
    expect(report.errors).toEqual([]);
    expect(report.format).toMatchObject({ fileType: 'xlsx', sheet: 'Leads', headerLine: 1, preambleLines: 0 });
    expect(records).toEqual([
      { lead_id: '101', created_at: '2026-10-01T09:15:00', source: 'Organic Search', mql_at: '2026-10-02', marketing_sourced: true, campaign: 'Café José' },
      { lead_id: 'L-2', created_at: '2026-10-03', source: 'Outbound', marketing_sourced: false },
      { lead_id: 'L-3', created_at: '2026-10-04', source: 'Paid Social', mql_at: '2026-10-05', marketing_sourced: true, campaign: 'text dates read as in CSV' },
    ]);
  });

  it('is recognised by content whatever the name, and gzip or a renamed .csv makes no difference', async () => {
    const bytes = await workbook({ S: [['Date', 'Sessions'], [day('2026-10-01'), 12]] });
    const { report, records } = await validate('web_traffic', bytes, { source: 'incoming/web_traffic/traffic.csv' });
    expect(report.format.fileType).toBe('xlsx');
    expect(records).toEqual([{ date: '2026-10-01', channel: 'all', sessions: 12 }]);
    const gz = await validate('web_traffic', gzip(bytes));
    expect(gz.report.errors).toMatchObject([{ code: 'not-tabular' }]);
    expect(gz.report.errors[0]?.message).toContain('.xlsx');
  });

  it('numbers rows and lines as the sheet does, past title rows and blank rows', async () => {
    const bytes = await workbook({
      Report: [
        ['Spend report'],
        ['October 2026'],
        ['Day', 'Campaign', 'Cost'],
        [day('2026-10-01'), 'Brand', 12.5],
        [],
        [day('2026-10-02'), 'Brand', 'twelve'],
        [day('2026-10-03'), 'Brand', -1],
      ],
    });
    const { report } = await validate('spend', bytes);
    expect(report.format).toMatchObject({ fileType: 'xlsx', headerLine: 3, preambleLines: 2 });
    // Row = record number (header = 1, blank rows not counted); line = the sheet's row number.
    expect(where(report.errors, 'type-error')).toEqual([{ row: 3, line: 6, column: 'amount' }]);
    expect(where(report.errors, 'constraint-error')).toEqual([{ row: 4, line: 7, column: 'amount' }]);
  });

  it.each([true, false])('reads a workbook written by a streaming writer (shared strings: %s)', async (shared) => {
    const bytes = await streamedWorkbook([['Customer ID', 'Customer Since', 'MRR'], ['C-1', '2026-10-01', 99.5], ['C-2', '2026-10-02', 10]], shared);
    const { report, records } = await validate('customers', bytes);
    expect(report.errors).toEqual([]);
    expect(records).toEqual([
      { customer_id: 'C-1', started_at: '2026-10-01', mrr_minor: 9_950 },
      { customer_id: 'C-2', started_at: '2026-10-02', mrr_minor: 1_000 },
    ]);
  });

  it('reads money from numbers exactly and a formula by its cached result', async () => {
    const bytes = await workbook({
      S: [
        ['Day', 'Campaign', 'Cost'],
        [day('2026-10-01'), 'Brand', 0.1],
        [day('2026-10-02'), 'Brand', { formula: 'B2*3', result: 0.3 } as ExcelJS.CellFormulaValue],
        [day('2026-10-03'), 'Brand', 1234.565],
      ],
    });
    const { report, records } = await validate('spend', bytes);
    expect(report.status).toBe('accepted');
    expect(records.map((r) => r.amount_minor)).toEqual([10, 30, 123_457]);
  });

  it('rejects a workbook whose first sheet lacks a required column, naming what it found', async () => {
    const bytes = await workbook({ Sheet1: [['Email', 'Name'], ['a@b.c', 'Ann']] });
    const { report } = await validate('leads', bytes);
    expect(report.status).toBe('rejected');
    expect(where(report.errors, 'missing-column').map((e) => e.column)).toEqual(['lead_id', 'created_at', 'source']);
    expect(report.errors[0]?.message).toContain('Email');
  });

  it('accepts a header-only sheet with no-rows, and calls an empty sheet an empty file', async () => {
    const headerOnly = await validate('web_traffic', await workbook({ S: [['Date', 'Sessions']] }));
    expect(headerOnly.report).toMatchObject({ status: 'accepted', rows: 0 });
    expect(headerOnly.report.warnings.map((w) => w.code)).toEqual(['no-rows']);
    const empty = await validate('web_traffic', await workbook({ S: [] }));
    expect(empty.report.errors.map((e) => e.code)).toEqual(['empty-file']);
  });

  it('rejects other zip archives as not-tabular, saying what they are', async () => {
    const wb = await workbook({ S: [['a']] });
    // The same archive with the workbook's entries renamed: a zip that is not a workbook.
    const renamed = Buffer.from(wb.toString('latin1').replaceAll('xl/', 'zz/').replaceAll('[Content_Types]', '[Content_Typez]'), 'latin1');
    const { report } = await validate('leads', renamed);
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    expect(report.errors[0]?.message).toContain('zip archive');
    const docx = Buffer.from(wb.toString('latin1').replaceAll('xl/', 'word/'), 'latin1');
    expect((await validate('leads', docx)).report.errors[0]?.message).toContain('Word document');
  });

  it('rejects a corrupt workbook as not-tabular instead of failing', async () => {
    const wb = await workbook({ S: [['Date', 'Sessions'], [day('2026-10-01'), 12]] });
    const { report } = await validate('web_traffic', wb.subarray(0, Math.floor(wb.length / 2)));
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
  });

  it('lists the entries of a zip from its first bytes', async () => {
    const names = zipEntryNames(await workbook({ S: [['a']] }));
    expect(names.some((n) => n.startsWith('xl/'))).toBe(true);
  });
});

describe('cellText', () => {
  it.each([
    ['s', 'text', false, 'text'],
    ['inlineStr', 'Zoë', false, 'Zoë'],
    ['str', 'formula text', false, 'formula text'],
    ['n', '42', false, '42'],
    ['n', '0.25', false, '0.25'],
    ['n', '1.5E-3', false, '0.0015'],
    ['n', '', false, ''],
    ['b', '1', false, 'true'],
    ['b', '0', false, 'false'],
    ['e', '#N/A', false, '#N/A'],
    ['n', '46300', true, '2026-10-05'],
    ['n', '46300.604166666664', true, '2026-10-05T14:30:00'],
    // Excel serial fractions land a hair off the second: rounded.
    ['n', '46300.60416665', true, '2026-10-05T14:30:00'],
    ['n', '46300', false, '46300'],
    ['d', '2026-10-05T14:30:00', false, '2026-10-05T14:30:00'],
    ['d', '2026-10-05T00:00:00Z', false, '2026-10-05'],
  ] as [string, string, boolean, string][])('t=%j %j (date format: %j) → %j', (type, value, isDate, text) => {
    expect(cellText(type, value, isDate, false)).toBe(text);
  });

  it('counts serials from 1904 in the 1904 date system', () => {
    expect(cellText('n', String(46300 - 1462), true, true)).toBe('2026-10-05');
    expect(cellText('n', '0', true, true)).toBe('1904-01-01');
    expect(cellText('n', '1', true, false)).toBe('1899-12-31');
  });

  it.each([
    ['yyyy-mm-dd', true], ['m/d/yy h:mm', true], ['[$-409]mmmm d, yyyy', true], ['DD/MM/YYYY', true], ['h:mm AM/PM', true],
    ['General', false], ['0.00', false], ['#,##0 "days"', false], ['[Red]0.00', false], ['0.00E+00', false], ['@', false],
  ] as [string, boolean][])('format %j is a date format: %j', (fmt, isDate) => {
    expect(isDateFormat(fmt)).toBe(isDate);
  });
});
