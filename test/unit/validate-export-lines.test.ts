// Row numbers and physical lines, and the warnings for rows that are skipped or read with a default.
import { describe, expect, it } from 'vitest';
import { LEADS_HEADER, SPEND_HEADER, lines, validate, where } from '../helpers/export-builders.ts';

describe('row numbers and physical lines', () => {
  it('numbers the header row 1, skips blank lines, and gives the line a multi-line record starts on', async () => {
    const content = [
      'Record ID,Create Date,Original Source,Campaign', // line 1, row 1
      'L1,2026-10-01,web,"Spring', // line 2, row 2 (spans lines 2-3)
      'launch"',
      '', // line 4
      '', // line 5
      'L2,2026-10-02,web,plain', // line 6, row 3
      'L3,nope,web,"a', // line 7, row 4 (spans 7-9)
      'b',
      'c"',
      'L4,also bad,web,x', // line 10, row 5
      '',
    ].join('\n');
    const { report } = await validate('leads', content);
    expect(where(report.errors, 'type-error')).toEqual([
      { row: 4, line: 7, column: 'created_at' },
      { row: 5, line: 10, column: 'created_at' },
    ]);
    expect(report.rows).toBe(4);
  });

  it('counts lines the same with CRLF line ends and CRLF inside quoted fields', async () => {
    const content = [
      'Record ID,Create Date,Original Source,Campaign', // 1
      'L1,2026-10-01,web,"Spring', // 2-3
      'launch"',
      '', // 4
      'L2,2026-10-02,web,"a', // 5-7
      'b',
      'c"',
      'L3,bad,web,x', // 8
    ].join('\r\n');
    const { report } = await validate('leads', content);
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 4, line: 8 }]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const)('counts lines after a preamble with %s line ends', async (name, eol) => {
    const content = lines([
      'Campaign report', // 1
      '"October 1, 2026 - October 31, 2026"', // 2
      SPEND_HEADER, // 3, row 1
      '2026-10-01,Search,Brand,marketing,1.00', // 4, row 2
      '', // 5
      '2026-10-02,Search,"Brand', // 6-7, row 3
      'two",marketing,1.00',
      '2026-10-03,Search,Brand,marketing,oops', // 8, row 4
    ], eol);
    const { report } = await validate('spend', content);
    expect(report.format).toMatchObject({ headerLine: 3, preambleLines: 2, lineEnding: name });
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 4, line: 8, column: 'amount' }]);
  });

  it('counts the GA4 comment block in the line numbers', async () => {
    const content = lines(['# Traffic acquisition', '# Start date: 20261001', '', 'Date,Sessions', '20261001,12', '20261002,-3']);
    const { report } = await validate('web_traffic', content);
    expect(report.format.headerLine).toBe(4);
    expect(report.errors).toMatchObject([{ code: 'constraint-error', row: 3, line: 6, column: 'sessions' }]);
  });
});

describe('warnings', () => {
  it('no-rows: a header and no data is accepted with a warning', async () => {
    const { report, records } = await validate('leads', lines([LEADS_HEADER]));
    expect(report.status).toBe('accepted');
    expect(report.rows).toBe(0);
    expect(report.warnings).toMatchObject([{ code: 'no-rows', row: 1, line: 1 }]);
    expect(records).toEqual([]);
  });

  it.each([
    ['Total', 'Total,,,,12.00'],
    ['Total: Account', 'Total: Account,,,,12.00'],
    ['Grand total', 'Grand total,,,,12.00'],
    ['Grand Totals (2 records)', '"Grand Totals (2 records)",,,,12.00'],
    ['a last row with blank keys and filled numbers', ',,,,12.00'],
  ])('summary-row: %s is skipped with a warning', async (_what, summary) => {
    const content = lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,5.00', '2026-10-02,Search,Brand,marketing,7.00', summary]);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('accepted');
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 4, line: 4, column: undefined }]);
    expect(records.map((r) => r.amount_minor)).toEqual([500, 700]);
  });

  it('a closing blank-key total followed only by comment lines is still a summary row', async () => {
    const content = lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,5.00', ',,,,5.00', '# exported by a tool', '# the end']);
    const { report } = await validate('spend', content);
    expect(report.errors).toEqual([]);
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 3, line: 3, column: undefined }]);
    expect(report.warningCounts).toEqual({ 'summary-row': 1, 'comment-row': 2 });
  });

  it('a blank-key row that is not the last one is an error, not a summary', async () => {
    const content = lines([SPEND_HEADER, ',,,,12.00', '2026-10-01,Search,Brand,marketing,5.00']);
    const { report } = await validate('spend', content);
    expect(report.errors).toMatchObject([{ code: 'missing-value', row: 2, column: 'date' }]);
  });

  it('comment-row: # lines after the data are skipped with a warning', async () => {
    const content = lines(['Date,Sessions', '20261001,12', '# ----', '# Generated by GA4', '20261002,3']);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(where(report.warnings, 'comment-row')).toEqual([
      { row: 3, line: 3, column: undefined },
      { row: 4, line: 4, column: undefined },
    ]);
    expect(records.map((r) => r.sessions)).toEqual([12, 3]);
  });

  it('a blank lead source is read as "unknown", with a warning', async () => {
    const { report, records } = await validate('leads', lines([LEADS_HEADER, 'L1,2026-10-01,,,,,']));
    expect(report.status).toBe('accepted');
    expect(report.warnings).toMatchObject([{ code: 'blank-value', row: 2, line: 2, column: 'source' }]);
    expect(records[0]).toMatchObject({ source: 'unknown', marketing_sourced: true });
  });
});
