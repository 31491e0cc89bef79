// Whole-file outcomes: empty and non-tabular files, header errors, rejection of the whole file, the error-rate tolerance.
import { describe, expect, it } from 'vitest';
import { LEADS_HEADER, gzip, lines, validate, where, withUtf8Bom } from '../helpers/export-builders.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from('content.csv')]);

describe('file-level errors', () => {
  it('rejects a 0-byte file as empty-file', async () => {
    const { report, records } = await validate('leads', '');
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['empty-file']);
    expect(records).toEqual([]);
  });

  it.each([
    ['blank lines only', '\n\r\n   \n'],
    ['comment lines only', '# GA4 export\n# nothing else\n'],
    ['a UTF-8 BOM only', withUtf8Bom('')],
    ['a gzip of nothing', gzip('')],
  ])('rejects a file with %s as empty-file', async (_what, content) => {
    const { report } = await validate('leads', content);
    expect(report.errorCounts).toEqual({ 'empty-file': 1 });
  });

  it.each([
    ['a PNG image', PNG],
    ['a zip archive', ZIP],
    ['text with NUL bytes', Buffer.from('Record ID,Create Date,Source\n1,2026-10-01,\0web\n')],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')],
    ['a gzip-compressed PNG', gzip(PNG)],
  ])('rejects %s as not-tabular, and names what it is', async (_what, content) => {
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    expect(records).toEqual([]);
  });

  it('rejects truncated gzip data as not-tabular instead of failing', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `L${i},2026-10-01,source ${(i * 7919) % 10_007}`);
    const whole = gzip(lines(['Record ID,Create Date,Source', ...rows]));
    for (const cut of [whole.subarray(0, 20), whole.subarray(0, Math.floor(whole.length * 0.8))]) {
      const { report } = await validate('leads', cut);
      expect(report.status).toBe('rejected');
      expect(report.errors.map((e) => e.code)).toEqual(['not-tabular']);
    }
  });

  it('says which kind of file it got', async () => {
    const { report } = await validate('leads', PNG);
    expect(report.errors[0]?.message).toContain('PNG');
  });
});

describe('header errors', () => {
  it('rejects a file without a required column, naming it and listing the headers found', async () => {
    const { report, records } = await validate('leads', lines(['Record ID,Email,Create Date,First Name', '1,a@b.c,2026-10-01,Ann']));
    expect(report.status).toBe('rejected');
    expect(where(report.errors, 'missing-column')).toEqual([{ row: 1, line: 1, column: 'source' }]);
    const message = report.errors[0]?.message ?? '';
    for (const found of ['Record ID', 'Email', 'Create Date', 'First Name']) expect(message).toContain(found);
    expect(records).toEqual([]);
  });

  it('reports every missing column, on the header line after a preamble', async () => {
    const { report } = await validate('spend', lines(['Campaign report', '"October 1, 2026 - October 31, 2026"', 'Campaign,Clicks', 'Brand,12']));
    expect(where(report.errors, 'missing-column')).toEqual([
      { row: 1, line: 3, column: 'date' },
      { row: 1, line: 3, column: 'amount' },
    ]);
  });

  it('rejects two headers that are the same after normalising as duplicate-column', async () => {
    const { report, records } = await validate('leads', lines(['Record ID,Create Date,create_date,Source', '1,2026-10-01,2026-10-01,web']));
    expect(report.status).toBe('rejected');
    expect(where(report.errors, 'duplicate-column')).toEqual([{ row: 1, line: 1, column: 'created_at' }]);
    expect(records).toEqual([]);
  });

  it('rejects a header currency other than the configured one as currency-mismatch', async () => {
    const content = lines(['Reporting starts,Reporting ends,Campaign name,Amount spent (EUR)', '2026-10-01,2026-10-01,Retargeting,12.50']);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('rejected');
    expect(report.errors).toMatchObject([{ code: 'currency-mismatch', row: 1, line: 1, column: 'amount', value: 'Amount spent (EUR)' }]);
    expect(records).toEqual([]);
    const eur = await validate('spend', content, { settings: { currency: 'EUR' } });
    expect(eur.report.status).toBe('accepted');
  });
});

describe('a file with an error is rejected whole', () => {
  it('writes no record after the first error and reports the file as rejected', async () => {
    const content = lines([LEADS_HEADER, 'L1,2026-10-01,web,,,,', 'L2,2026-10-01,web,,,,', 'L3,bad,web,,,,', 'L4,2026-10-01,web,,,,', 'L5,2026-10-01,web,,,,']);
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('rejected');
    expect(report.rows).toBe(5);
    expect(records.map((r) => r.lead_id)).toEqual(['L1', 'L2']);
  });
});

describe('the error-rate tolerance', () => {
  const content = lines([LEADS_HEADER, 'L1,2026-10-01,web,,,,', 'L2,not a date,web,,,,', 'L3,2026-10-01,web,,,,', 'L1,2026-10-02,web,,,,', 'L5,2026-10-01,web,,,,']);

  it('rejects the file whole by default', async () => {
    const { report } = await validate('leads', content);
    expect(report.status).toBe('rejected');
    expect(report.droppedRows).toBeUndefined();
  });

  it('accepts the valid rows when the share of rows with errors is within it, and says how many were dropped', async () => {
    const { report, records } = await validate('leads', content, { settings: { errorTolerance: 0.4 } });
    expect(report).toMatchObject({ status: 'accepted', rows: 5, acceptedRows: 3, droppedRows: 2 });
    expect(report.errorCounts).toEqual({ 'type-error': 1, 'duplicate-id': 1 });
    expect(report.warnings).toMatchObject([{ code: 'rows-dropped' }]);
    expect(report.warnings[0]?.message).toContain('2 of 5 rows');
    expect(records.map((r) => r.lead_id)).toEqual(['L1', 'L3', 'L5']);
  });

  it('rejects the file whole when more rows have errors, and says so', async () => {
    const { report } = await validate('leads', content, { settings: { errorTolerance: 0.2 } });
    expect(report.status).toBe('rejected');
    expect(report.warnings[0]?.message).toContain('more than the 20% error-rate tolerance');
  });

  it('never accepts a file with a file-level error', async () => {
    const { report } = await validate('leads', lines(['Record ID,Create Date', 'L1,2026-10-01']), { settings: { errorTolerance: 1 } });
    expect(report.status).toBe('rejected');
    const broken = await validate('leads', `${LEADS_HEADER}\nL1,2026-10-01,web,,,,\nL2,2026-10-01,"web\n`, { settings: { errorTolerance: 1 } });
    expect(broken.report.status).toBe('rejected');
  });
});
