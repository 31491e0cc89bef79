/**
 * What an upload may expand to: decompressed CSV size, compression ratio, gzip inside gzip, workbook size,
 * shared-strings table, cells. Past a limit the upload is rejected as `too-large` (gzip inside gzip as
 * `not-tabular`) with a message that says the limit and what to do, quickly, whatever the file expands to.
 * Small limits are passed in where the defaults would need gigabytes of test data.
 */
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS, type UploadLimits } from '../../lambdas/domain/validation/limits.ts';
import { validateExport } from '../../lambdas/domain/validation/validate-export.ts';
import type { ValidationReport } from '../../lambdas/domain/validation/report.ts';
import { UPLOADED_AT, gzip, lines, memorySink, openBytes, settingsWith, validate, type Content } from '../helpers/export-builders.ts';
import { handWorkbook, zipArchive, zipParts, type HandCell } from '../helpers/xlsx-builder.ts';

const HEADER = 'Record ID,Create Date,Original Source';
const leadLines = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `L-${from + i},2026-10-01,Source ${(i * 7919) % 101}`);

/** Validates leads with some limits lowered. */
async function validateWith(limits: Partial<UploadLimits>, content: Content, chunkSize = 64 * 1024): Promise<ValidationReport> {
  return validateExport(openBytes(content, { chunkSize }), {
    dataset: 'leads', settings: settingsWith(), source: 'incoming/leads/x', uploadedAt: UPLOADED_AT, limits,
  }, memorySink());
}

const codes = (r: ValidationReport): string[] => r.errors.map((e) => e.code);

describe('limits are named, documented constants', () => {
  it('has every limit above what a real export needs', () => {
    expect(UPLOAD_LIMITS.maxCsvBytes).toBeGreaterThanOrEqual(1024 ** 3);
    expect(UPLOAD_LIMITS.maxWorkbookCells).toBeGreaterThanOrEqual(1_048_576 * 10);
    expect(UPLOAD_LIMITS.maxCompressionRatio).toBeGreaterThanOrEqual(100);
  });
});

describe('gzip uploads', () => {
  it('rejects a gzip inside a gzip as not-tabular, saying to decompress it once', async () => {
    const { report, records } = await validate('leads', gzip(gzip(lines([HEADER, ...leadLines(10)]))));
    expect(codes(report)).toEqual(['not-tabular']);
    expect(report.errors[0]?.message).toMatch(/twice/);
    expect(records).toEqual([]);
  });

  it('rejects gzip data that expands past the compression ratio as too-large, long before its end', async () => {
    // 1 GiB of the same line in 2.6 MB (400 fold): 1024 gzip members of 1 MiB each, which gunzip reads one after the other.
    const block = gzipSync('L-1,2026-10-01,Organic Search\n'.repeat(Math.ceil(1024 * 1024 / 30)));
    const bomb = Buffer.concat([gzipSync(`${HEADER}\n`), ...Array.from({ length: 1024 }, () => block)]);
    let read = 0;
    const report = await validateExport(() => (async function* () {
      for (let i = 0; i < bomb.length; i += 4096) { read = i + 4096; yield bomb.subarray(i, i + 4096); }
    })(), { dataset: 'leads', settings: settingsWith(), source: 'x', uploadedAt: UPLOADED_AT }, memorySink());
    expect(codes(report)).toContain('too-large');
    expect(report.errors.find((e) => e.code === 'too-large')?.message).toMatch(/expands more than \d+-fold/);
    expect(read).toBeLessThan(bomb.length / 4); // stopped after a small part of the file
  });

  it('rejects a CSV whose decompressed text is past the size limit, naming it and what to do', async () => {
    const csv = lines([HEADER, ...leadLines(40_000)]);
    for (const content of [csv, gzip(csv)]) {
      const report = await validateWith({ maxCsvBytes: 256 * 1024 }, content);
      expect(codes(report)).toEqual(['too-large']);
      expect(report.errors[0]?.message).toMatch(/256 KiB/);
      expect(report.errors[0]?.message).toMatch(/split/);
    }
    // At the limit exactly: read.
    const small = lines([HEADER, ...leadLines(10)]);
    expect(codes(await validateWith({ maxCsvBytes: Buffer.byteLength(small) }, gzip(small)))).toEqual([]);
  });

  it('rejects gzip data damaged in the middle within the read, as not-tabular', async () => {
    const gz = gzip(lines([HEADER, ...leadLines(50_000)]));
    const bad = Buffer.from(gz);
    for (let i = gz.length >> 1; i < (gz.length >> 1) + 64; i++) bad[i] = bad[i]! ^ 0xff;
    const { report } = await validate('leads', bad, { chunkSize: 64 * 1024 });
    // Rows decoded from the damaged bytes may fail their checks first; the damage itself is what rejects it.
    expect(report.status).toBe('rejected');
    expect(report.errors.find((e) => e.code === 'not-tabular')?.message).toMatch(/corrupt/);
  });
});

describe('.xlsx uploads', () => {
  const rows = (n: number): HandCell[][] => [['Record ID', 'Create Date', 'Original Source'],
    ...Array.from({ length: n }, (_, i): HandCell[] => [`L-${i}`, '2026-10-01', `Source ${i}`])];

  it('rejects a workbook file larger than the limit as too-large, saying to export CSV', async () => {
    const report = await validateWith({ maxWorkbookBytes: 8 * 1024 }, handWorkbook({ sheets: [{ name: 'S', rows: rows(2000) }] }));
    expect(codes(report)).toEqual(['too-large']);
    expect(report.errors[0]?.message).toMatch(/8 KiB/);
    expect(report.errors[0]?.message).toMatch(/CSV/);
  });

  it('rejects a sheet with more cells than the limit as too-large', async () => {
    const bytes = handWorkbook({ sheets: [{ name: 'S', rows: rows(2000) }] });
    const report = await validateWith({ maxWorkbookCells: 3000 }, bytes);
    expect(codes(report)).toEqual(['too-large']);
    expect(report.errors[0]?.message).toMatch(/3,000 cells/);
    expect(codes(await validateWith({ maxWorkbookCells: 3 * 2001 }, bytes))).toEqual([]);
  });

  it('rejects a shared-strings table past the limit from the size the archive gives, before inflating it', async () => {
    const bytes = handWorkbook({ sheets: [{ name: 'S', rows: rows(2000) }] });
    const told = await validateWith({ maxWorkbookTableBytes: 16 * 1024 }, bytes);
    expect(codes(told)).toEqual(['too-large']);
    expect(told.errors[0]?.message).toMatch(/shared-strings table expands to more than 16 KiB/);
    // An archive that gives a smaller size than its bytes inflate to is damaged (or forged): it stops there.
    const lying = zipArchive(zipParts(bytes).map(({ name, data }) => (name === 'xl/sharedStrings.xml' ? { name, data, claimSize: 1000 } : { name, data })));
    const forged = await validateWith({ maxWorkbookTableBytes: 16 * 1024 }, lying);
    expect(codes(forged)).toEqual(['not-tabular']);
    expect(forged.errors[0]?.message).toMatch(/longer than its zip directory says/);
  });

  it('rejects at once a part whose declared size is past the limit (a zip bomb), with the default limits', async () => {
    const bytes = handWorkbook({ sheets: [{ name: 'S', rows: rows(10) }] });
    const bomb = zipArchive(zipParts(bytes).map(({ name, data }) => (name === 'xl/sharedStrings.xml' ? { name, data, claimSize: 0xfffffff0 } : { name, data })));
    const { report } = await validate('leads', bomb);
    expect(codes(report)).toEqual(['too-large']);
  });

  it('rejects a sheet part that expands past the limit', async () => {
    const bytes = handWorkbook({ sheets: [{ name: 'S', rows: rows(2000) }] });
    const report = await validateWith({ maxWorkbookPartBytes: 32 * 1024 }, bytes);
    expect(codes(report)).toEqual(['too-large']);
    expect(report.errors[0]?.message).toMatch(/32 KiB/);
  });

  it('still reads a workbook within every limit (exceljs-written)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Leads');
    for (const r of rows(500)) ws.addRow(r);
    const { report, records } = await validate('leads', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(report.errors).toEqual([]);
    expect(records).toHaveLength(500);
  });
});

describe('NUL bytes anywhere in a CSV', () => {
  const withNulAt = (row: number, text: string): string =>
    lines([HEADER, ...leadLines(row - 2), text, ...leadLines(100, row)]);

  it('rejects a NUL past the first 64 KB as not-tabular, naming its row and line', async () => {
    const csv = withNulAt(5000, 'L-x,2026-10-01,Organic\0Search');
    expect(Buffer.byteLength(csv.slice(0, csv.indexOf('\0')))).toBeGreaterThan(64 * 1024);
    for (const content of [csv, gzip(csv)]) {
      const { report } = await validate('leads', content, { chunkSize: 64 * 1024 });
      expect(report.status).toBe('rejected');
      expect(report.errors.map((e) => ({ code: e.code, row: e.row, line: e.line }))).toEqual([{ code: 'not-tabular', row: 5000, line: 5000 }]);
      expect(report.errors[0]?.message).toMatch(/NUL/);
      expect(report.errors[0]?.message).toMatch(/line 5000/);
    }
  });

  it('names the line of a NUL inside a quoted multi-line cell, and finds one in a column not read', async () => {
    const quoted = withNulAt(3000, 'L-x,2026-10-01,"Organic\nSearch\n\0"');
    const { report } = await validate('leads', quoted, { chunkSize: 4096 });
    expect(report.errors.map((e) => ({ code: e.code, row: e.row, line: e.line }))).toEqual([{ code: 'not-tabular', row: 3000, line: 3000 }]);
    expect(report.errors[0]?.message).toMatch(/line 3002/);
    const extra = lines([`${HEADER},Notes`, ...leadLines(3000).map((l) => `${l},x`), 'L-y,2026-10-01,Direct,a\0b']);
    expect(codes((await validate('leads', extra, { chunkSize: 4096 })).report)).toEqual(['not-tabular']);
  });

  it('rejects a NUL in the lines before the header, past the first bytes', async () => {
    const title = Array.from({ length: 40 }, (_, i) => `Report line ${i} ${'-'.repeat(150)}`);
    title[30] = `Report line 30 \0`;
    const { report } = await validate('leads', lines([...title, HEADER, ...leadLines(5)]), { chunkSize: 4096 });
    expect(report.errors.map((e) => ({ code: e.code, line: e.line }))).toEqual([{ code: 'not-tabular', line: 31 }]);
  });

  it('rejects a NUL character in UTF-16 text past the first bytes', async () => {
    const csv = withNulAt(3000, 'L-x,2026-10-01,Organic\0Search');
    const { report } = await validate('leads', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]), { chunkSize: 64 * 1024 });
    expect(report.errors.map((e) => ({ code: e.code, row: e.row }))).toEqual([{ code: 'not-tabular', row: 3000 }]);
  });
});
