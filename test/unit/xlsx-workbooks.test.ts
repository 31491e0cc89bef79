/**
 * .xlsx files as other tools write them, and as they arrive damaged: parts in openpyxl's (pandas') order with
 * absolute relationship targets, tabs in another order than their parts, the 1904 date system, a damaged or
 * truncated sheet stream. Each ends in a report (the hang cases would otherwise run into the test timeout).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validate } from '../helpers/export-builders.ts';
import { damageEntry, handWorkbook, serialOf, zipArchive, zipParts, type HandCell } from '../helpers/xlsx-builder.ts';

const LEADS_HEADER: HandCell[] = ['Record ID', 'Create Date', 'Original Source'];

/** The columns these tests write, of each record read. */
const read = (records: readonly { lead_id: string; created_at: string; source: string }[]) =>
  records.map(({ lead_id, created_at, source }) => ({ lead_id, created_at, source }));

async function exceljsWorkbook(rows: number, opts: { date1904?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (opts.date1904) wb.properties.date1904 = true;
  const ws = wb.addWorksheet('Leads');
  ws.addRow(['Record ID', 'Create Date', 'Original Source']);
  for (let i = 0; i < rows; i++) {
    const row = ws.addRow([`L-${i}`, new Date(Date.UTC(2026, 9, 1 + (i % 28), 9, 30)), `Source ${(i * 7919) % 101}`]);
    row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('.xlsx part order and tab names', () => {
  it.each(['openpyxl', 'excel'] as const)('reads the first tab whatever its name (%s layout)', async (layout) => {
    const bytes = handWorkbook({
      layout,
      sheets: [{ name: 'Leads export', rows: [LEADS_HEADER, ['L-1', { serial: serialOf('2026-10-01') }, 'Organic Search']] }],
    });
    const { report, records } = await validate('leads', bytes);
    expect(report.errors).toEqual([]);
    expect(report.format).toMatchObject({ fileType: 'xlsx', sheet: 'Leads export' });
    expect(read(records)).toEqual([{ lead_id: 'L-1', created_at: '2026-10-01', source: 'Organic Search' }]);
  });

  it.each(['openpyxl', 'excel'] as const)('reads the first sheet in tab order, not in part order (%s layout)', async (layout) => {
    const bytes = handWorkbook({
      layout,
      tabOrder: [1, 0],
      sheets: [
        { name: 'Notes', rows: [['not the data']] },
        { name: 'Data', rows: [LEADS_HEADER, ['L-9', '2026-10-02', 'Referrals']] },
      ],
    });
    const { report, records } = await validate('leads', bytes);
    expect(report.errors).toEqual([]);
    expect(report.format.sheet).toBe('Data');
    expect(records.map((r) => r.lead_id)).toEqual(['L-9']);
  });

  it('reads an archive whose directory gives sizes and offsets as zip64', async () => {
    const plain = handWorkbook({ sheets: [{ name: 'S', rows: [LEADS_HEADER, ['L-1', '2026-10-01', 'Direct']] }] });
    const { report, records } = await validate('leads', zipArchive(zipParts(plain), { zip64: true }));
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.lead_id)).toEqual(['L-1']);
  });

  it('reads elements with a namespace prefix (x:row, x:c) as some .NET writers write them', async () => {
    const bytes = handWorkbook({ prefix: 'x', sheets: [{ name: 'S', rows: [LEADS_HEADER, ['L-1', '2026-10-01', 'Direct']] }] });
    const { report, records } = await validate('leads', bytes);
    expect(report.errors).toEqual([]);
    expect(read(records)).toEqual([{ lead_id: 'L-1', created_at: '2026-10-01', source: 'Direct' }]);
  });
});

describe('.xlsx in the 1904 date system', () => {
  const rows = (date1904: boolean): HandCell[][] => [
    LEADS_HEADER,
    ['L-1', { serial: serialOf('2026-10-01', date1904) }, 'Organic Search'],
    ['L-2', { serial: serialOf('2026-10-02T14:30:00', date1904), format: 'datetime' }, 'Organic Search'],
    ['L-3', { serial: serialOf('2026-10-03', date1904), format: 'builtin' }, 'Organic Search'],
  ];
  const expected = [
    { lead_id: 'L-1', created_at: '2026-10-01', source: 'Organic Search' },
    { lead_id: 'L-2', created_at: '2026-10-02T14:30:00', source: 'Organic Search' },
    { lead_id: 'L-3', created_at: '2026-10-03', source: 'Organic Search' },
  ];

  it.each([
    ['date1904="1", openpyxl layout', { date1904: true as const, layout: 'openpyxl' as const }],
    ['date1904="true", Excel layout', { date1904: 'true' as const, layout: 'excel' as const }],
  ])('shifts date cells by the 1904 base (%s)', async (_what, opts) => {
    const { report, records } = await validate('leads', handWorkbook({ ...opts, sheets: [{ name: 'S', rows: rows(true) }] }));
    expect(report.errors).toEqual([]);
    expect(read(records)).toEqual(expected);
  });

  it('shifts formula results with a date format too', async () => {
    const bytes = handWorkbook({ date1904: true, sheets: [{ name: 'S', rows: rows(true), formulas: true }] });
    const { records } = await validate('leads', bytes);
    expect(read(records)).toEqual(expected);
  });

  it('reads the same dates from a 1900-system workbook', async () => {
    const { records } = await validate('leads', handWorkbook({ sheets: [{ name: 'S', rows: rows(false), formulas: true }] }));
    expect(read(records)).toEqual(expected);
  });

  it('reads a workbook exceljs wrote with date1904 set', async () => {
    const { report, records } = await validate('leads', await exceljsWorkbook(3, { date1904: true }));
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.created_at)).toEqual(['2026-10-01T09:30:00', '2026-10-02T09:30:00', '2026-10-03T09:30:00']);
  });
});

describe('damaged .xlsx files end in a report', () => {
  it.each([0.005, 0.5, 0.9])('rejects a workbook whose sheet stream is damaged (at %s of it) as not-tabular', async (at) => {
    const good = await exceljsWorkbook(3000);
    const bad = damageEntry(good, 'xl/worksheets/sheet1.xml', at);
    const { report } = await validate('leads', bad);
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    expect(report.errors[0]?.message).toMatch(/damaged/);
  });

  it('rejects a workbook whose sheet entry is cut short inside the archive', async () => {
    const rows = Array.from({ length: 2000 }, (_, i): HandCell[] => [`L-${i}`, '2026-10-01', 'Direct']);
    const whole = handWorkbook({ layout: 'excel', sheets: [{ name: 'S', rows: [LEADS_HEADER, ...rows] }] });
    // The same parts, the sheet's compressed stream cut to half (its sizes and CRC still those of the whole).
    const cut = zipArchive(zipParts(whole).map(({ name, data }) => ({
      name, data, ...(name === 'xl/worksheets/sheet1.xml' ? { damage: (b: Buffer) => b.subarray(0, b.length >> 1) } : {}),
    })));
    const { report } = await validate('leads', cut);
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    expect(report.errors[0]?.message).toMatch(/damaged/);
  });

  it('rejects a part whose bytes do not match their checksum', async () => {
    const sheetXml = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      '<row r="1"><c r="A1" t="inlineStr"><is><t>Record ID</t></is></c></row></sheetData></worksheet>';
    const good = handWorkbook({ layout: 'excel', sheets: [{ name: 'S', rows: [['x']] }] });
    // Stored (not deflated), one letter changed after the CRC was taken: only the checksum can tell.
    const flipped = zipArchive(zipParts(good).map(({ name, data }) => (name === 'xl/worksheets/sheet1.xml'
      ? { name, data: sheetXml, store: true, damage: (b: Buffer) => Buffer.from(b.toString('latin1').replace('Record', 'Recard'), 'latin1') }
      : { name, data })));
    const { report } = await validate('leads', flipped);
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    expect(report.errors[0]?.message).toMatch(/damaged/);
  });
});
