import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LeadRecord, OpportunityRecord } from '../../lambdas/domain/datasets/records.ts';
import { ERROR_CODES } from '../../lambdas/domain/validation/report.ts';
import {
  gzip, latin1, lines, utf16be, utf16le, validate, where, withUtf8Bom,
} from '../helpers/export-builders.ts';
import { validateExport } from '../../lambdas/domain/validation/validate-export.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';

const LEADS_HEADER =
  'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status,Became a Customer Date';
const OPPS_HEADER = 'Deal ID,Create Date,Deal Stage,Close Date,Amount,Original Source';
const SPEND_HEADER = 'Day,Channel,Campaign,Category,Cost';

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

describe('row errors carry their code, row, line, column and value', () => {
  const leads = (...rows: string[]) => lines([LEADS_HEADER, ...rows]);

  it('extra-cell: a row with more non-blank cells than the header', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,', 'L2,2026-10-01,web,,,,,surplus'));
    expect(report.errors).toMatchObject([{ code: 'extra-cell', row: 3, line: 3, value: 'surplus' }]);
  });

  it('ignores trailing empty cells beyond the header', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,,,'));
    expect(report.status).toBe('accepted');
  });

  it('missing-cell: a row that ends before a mapped column', async () => {
    const { report } = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,2026-10-01', 'L2,2026-10-01,web']));
    expect(report.errors).toMatchObject([{ code: 'missing-cell', row: 2, line: 2, column: 'source' }]);
  });

  it('missing-value: a blank required cell', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,', 'L2,,web,,,,'));
    expect(report.errors).toMatchObject([{ code: 'missing-value', row: 3, line: 3, column: 'created_at', value: '' }]);
  });

  it('missing-value: a last row with a blank id and only dates filled is an error, not a summary row', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,', ',2026-10-02,web,,,,'));
    expect(report.errors).toMatchObject([{ code: 'missing-value', row: 3, line: 3, column: 'lead_id' }]);
    expect(report.warnings).toEqual([]);
  });

  it('type-error: an unreadable date, with the value', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,', 'L2,2026-02-30,web,,,,'));
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 3, line: 3, column: 'created_at', value: '2026-02-30' }]);
  });

  it('type-error: a 13th month in M/D/YYYY names the other order', async () => {
    const { report } = await validate('leads', leads('L1,13/10/2026,web,,,,'));
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 2, line: 2, column: 'created_at', value: '13/10/2026' }]);
    expect(report.errors[0]?.message).toContain('D/M/YYYY');
    const dmy = await validate('leads', leads('L1,13/10/2026,web,,,,'), { settings: { dateOrder: 'DMY' } });
    expect(dmy.report.status).toBe('accepted');
    expect(dmy.records[0]?.created_at).toBe('2026-10-13');
  });

  it('type-error: unreadable money, and misplaced thousands separators', async () => {
    const { report } = await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,ten', '2026-10-02,Search,Brand,marketing,"1,23.50"']));
    expect(where(report.errors, 'type-error')).toEqual([
      { row: 2, line: 2, column: 'amount' },
      { row: 3, line: 3, column: 'amount' },
    ]);
  });

  it('constraint-error: negative money, a bad enum, an out-of-range count', async () => {
    const opps = await validate('opportunities', lines([OPPS_HEADER, 'D1,2026-10-01,Closed Won,2026-10-20,-500,web']));
    expect(opps.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, line: 2, column: 'amount', value: '-500' }]);
    const status = await validate('leads', leads('L1,2026-10-01,web,,2026-10-03,maybe,'));
    expect(status.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, column: 'sql_status', value: 'maybe' }]);
    const category = await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,partners,5.00']));
    expect(category.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, column: 'category' }]);
    const traffic = await validate('web_traffic', lines(['Date,Sessions,Engaged sessions', '20261001,10,12']));
    expect(traffic.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, column: 'engaged_sessions' }]);
  });

  it('duplicate-id: the second row with an id', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,,', 'L2,2026-10-01,web,,,,', 'L1,2026-10-02,ads,,,,'));
    expect(report.errors).toMatchObject([{ code: 'duplicate-id', row: 4, line: 4, column: 'lead_id', value: 'L1' }]);
  });

  it('date-order: a stage date before the creation date, an SQL before its MQL', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-05,web,2026-10-04,,,', 'L2,2026-10-01,web,2026-10-05,2026-10-03,,'));
    expect(where(report.errors, 'date-order')).toEqual([
      { row: 2, line: 2, column: 'mql_at' },
      { row: 3, line: 3, column: 'sql_at' },
    ]);
  });

  it('date-order compares days, not times: a stage date on the creation day is in order, whatever the times', async () => {
    const { report } = await validate('leads', leads(
      'L1,2026-10-05 18:30,web,2026-10-05,2026-10-05 09:00,,', // same day, earlier time: in order
      'L2,2026-10-05 00:00,web,2026-10-04 23:59,,,', // the day before: out of order
      'L3,2026-10-05,web,2026-10-06 00:00,2026-10-05 23:59,,', // SQL the day before its MQL
    ));
    expect(where(report.errors, 'date-order')).toEqual([
      { row: 3, line: 3, column: 'mql_at' },
      { row: 4, line: 4, column: 'sql_at' },
    ]);
  });

  it('date-order compares local dates: a timestamp with an offset and a date of the same local day are in order', async () => {
    // 23:30 in Chicago on 1 October is 04:30 UTC on 2 October; the MQL date is 1 October, Chicago time.
    const content = leads('L1,2026-10-01T23:30:00-05:00,web,2026-10-01,,,');
    const { report, records } = await validate('leads', content, { settings: { timezone: 'America/Chicago' } });
    expect(report.errors).toEqual([]);
    expect(records[0]).toMatchObject({ created_at: '2026-10-02T04:30:00Z', mql_at: '2026-10-01' });
  });

  it('missing-value: an SQL status without an SQL date', async () => {
    const { report } = await validate('leads', leads('L1,2026-10-01,web,,,Accepted,'));
    expect(report.errors).toMatchObject([{ code: 'missing-value', row: 2, column: 'sql_at' }]);
  });

  it('future-date: later than the upload time plus one day, in the reporting time zone', async () => {
    const content = leads('L1,2026-10-16T23:59:00,web,,,,', 'L2,2026-10-17,web,,,,');
    const { report } = await validate('leads', content, { uploadedAt: '2026-10-15T12:00:00Z' });
    expect(report.errors).toMatchObject([{ code: 'future-date', row: 3, line: 3, column: 'created_at' }]);
    // In Tokyo the upload happened on 16 October local time, so 17 October is not in the future.
    const tokyo = await validate('leads', content, { uploadedAt: '2026-10-15T20:00:00Z', settings: { timezone: 'Asia/Tokyo' } });
    expect(tokyo.report.status).toBe('accepted');
  });

  it('future-date: dates read by the slower paths (slash dates, offsets, instants) are checked too', async () => {
    const content = leads(
      'L1,10/16/2026,web,,,,', // fine: the limit is 16 October
      'L2,10/17/2026 09:00,web,,,,', // a slash date after it
      'L3,2026-10-01,web,2026-10-17T01:00:00+02:00,,,', // 16 October 23:00 UTC: fine in UTC
      'L4,2026-10-01,web,2026-10-17T00:30:00Z,,,', // an instant on 17 October UTC
    );
    const { report } = await validate('leads', content, { uploadedAt: '2026-10-15T12:00:00Z', settings: { dateOrder: 'MDY' } });
    expect(report.errors).toMatchObject([
      { code: 'future-date', row: 3, column: 'created_at' },
      { code: 'future-date', row: 5, column: 'mql_at' },
    ]);
    expect(report.errors).toHaveLength(2);
  });

  it('currency-mismatch: a money cell or a currency column in another currency', async () => {
    const cell = await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,12.00 EUR']));
    expect(cell.report.errors).toMatchObject([{ code: 'currency-mismatch', row: 2, line: 2, column: 'amount', value: '12.00 EUR' }]);
    const column = await validate('spend', lines(['Day,Campaign,Currency code,Cost', '2026-10-01,Brand,USD,1.00', '2026-10-02,Brand,GBP,1.00']));
    expect(column.report.errors).toMatchObject([{ code: 'currency-mismatch', row: 3, line: 3, column: 'currency', value: 'GBP' }]);
  });

  it('row-too-large: an unclosed quote that swallows the rest of a big file', async () => {
    const content = `${LEADS_HEADER}\nL1,2026-10-01,web,,,,\nL2,2026-10-01,"web${'x'.repeat(1_100_000)}\n`;
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('rejected');
    expect(report.errors).toMatchObject([{ code: 'row-too-large', row: 3, line: 3 }]);
    expect(report.acceptedRows).toBeLessThanOrEqual(1); // what reached the sink is dropped: the upload is rejected
  });

  it('closes the upload\'s stream when reading stops early (a record too large), plain or gzip', async () => {
    // An S3 download left open holds its connection (and the local S3 stand-in's) until the process ends.
    // Ids that do not compress, so that the gzip is still several chunks long after the point where reading stops.
    const rest = Array.from({ length: 200_000 }, (_, i) => `L${createHash('sha1').update(String(i)).digest('hex')},2026-10-01,web,,,,`).join('\n');
    const content = Buffer.from(`${LEADS_HEADER}\nL1,2026-10-01,"web${'x'.repeat(1_100_000)}\n${rest}\n`);
    for (const bytes of [content, gzip(content)]) {
      let served = 0;
      let closed = false;
      const open = (): AsyncIterable<Uint8Array> => (async function* () {
        try {
          for (let at = 0; at < bytes.length; at += 64 * 1024) {
            served = at;
            yield bytes.subarray(at, at + 64 * 1024);
          }
        } finally {
          closed = true;
        }
      })();
      const report = await validateExport(open, {
        dataset: 'leads', settings: DEFAULT_SETTINGS, source: 'x.csv', uploadedAt: '2026-11-02T09:00:00Z',
      }, { write: () => undefined, reset: () => undefined });
      expect(report.errorCounts).toEqual({ 'row-too-large': 1 });
      expect(served).toBeLessThan(bytes.length - 64 * 1024); // it did stop early
      await new Promise((r) => setImmediate(r)); // a piped gzip source closes on the next turn
      expect(closed).toBe(true);
    }
  });

  it('not-tabular: an unclosed quote at the end of a small file, with where it starts', async () => {
    const { report } = await validate('leads', `${LEADS_HEADER}\nL1,2026-10-01,web,,,,\nL2,2026-10-01,"web\n`);
    expect(report.errors).toMatchObject([{ code: 'not-tabular', row: 3, line: 3 }]);
  });

  it('counts every error but keeps the first 100 per code', async () => {
    const rows = Array.from({ length: 130 }, (_, i) => `L${i},not a date,web,,,,`);
    const { report } = await validate('leads', leads(...rows));
    expect(report.errorCounts).toEqual({ 'type-error': 130 });
    expect(report.errors).toHaveLength(100);
    expect(report.errors[99]).toMatchObject({ row: 101, line: 101 });
  });

  it('uses only the error codes of exports.md', async () => {
    const { report } = await validate('leads', leads('L1,x,web,,,,', 'L1,2026-10-01,web,2026-09-01,,,', 'L3,2026-10-01,web,,,,,x'));
    for (const e of report.errors) expect(ERROR_CODES).toContain(e.code);
    expect(Object.keys(report.errorCounts).sort()).toEqual(['date-order', 'duplicate-id', 'extra-cell', 'type-error']);
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

describe('encodings, compression and line ends', () => {
  const text = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Café José', 'L2,2026-10-02,web,Zürich']);
  const expectCampaigns = (records: LeadRecord[]) =>
    expect(records.map((r) => r.campaign)).toEqual(['Café José', 'Zürich']);

  it('reads UTF-8 without a BOM', async () => {
    const { report, records } = await validate('leads', text);
    expect(report.format).toMatchObject({ fileType: 'csv', encoding: 'utf-8', delimiter: ',', lineEnding: 'LF' });
    expectCampaigns(records);
  });

  it('reads UTF-8 with a BOM and keeps the BOM out of the first header', async () => {
    const { report, records } = await validate('leads', withUtf8Bom(text));
    expect(report.columns.lead_id).toBe('Record ID');
    expect(report.warnings).toEqual([]);
    expectCampaigns(records);
  });

  it.each([
    ['UTF-16 LE', utf16le(text.replaceAll(',', '\t')), 'utf-16le'],
    ['UTF-16 BE', utf16be(text.replaceAll(',', '\t')), 'utf-16be'],
  ])('reads %s with a BOM (Excel "Unicode text", tab-separated)', async (_what, bytes, encoding) => {
    const { report, records } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ encoding, delimiter: '\t' });
    expectCampaigns(records);
  });

  it('reads Windows-1252 bytes that are not UTF-8, with an encoding-fallback warning and no U+FFFD', async () => {
    const bytes = latin1(text);
    expect(bytes.includes(0xe9)).toBe(true); // é is one byte, 0xE9
    const { report, records, sink } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.format.encoding).toBe('windows-1252');
    expect(report.warnings.map((w) => w.code)).toEqual(['encoding-fallback']);
    expectCampaigns(records);
    expect(JSON.stringify(records)).not.toContain('\uFFFD');
    expect(sink.resets).toBe(1);
  });

  it('falls back to Windows-1252 for a byte far into a big file, forgetting the records written before', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `L${i},2026-10-01,web,campaign number ${i}`);
    const bytes = Buffer.concat([Buffer.from(lines(['Record ID,Create Date,Original Source,Campaign', ...rows])), latin1('L-last,2026-10-01,web,Café\n')]);
    const { report, records, sink } = await validate('leads', bytes, { chunkSize: 64 * 1024 });
    expect(report.status).toBe('accepted');
    expect(report.warnings.map((w) => w.code)).toEqual(['encoding-fallback']);
    expect(sink.resets).toBe(1);
    expect(records).toHaveLength(20_001);
    expect(records.at(-1)?.campaign).toBe('Café');
  });

  it('reads gzip-compressed input', async () => {
    const { report, records } = await validate('leads', gzip(text), { chunkSize: 7 });
    expect(report.format).toMatchObject({ fileType: 'csv.gz', encoding: 'utf-8' });
    expectCampaigns(records);
  });

  it('reads gzip-compressed UTF-16 and gzip-compressed Windows-1252', async () => {
    expectCampaigns((await validate('leads', gzip(utf16le(text)))).records);
    const fallback = await validate('leads', gzip(latin1(text)));
    expect(fallback.report.warnings.map((w) => w.code)).toEqual(['encoding-fallback']);
    expectCampaigns(fallback.records);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const)('reads %s line ends', async (name, eol) => {
    const content = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Café José', 'L2,2026-10-02,web,Zürich'], eol);
    const { report, records } = await validate('leads', content);
    expect(report.format.lineEnding).toBe(name);
    expectCampaigns(records);
  });

  it('reads a file whose bytes arrive one at a time', async () => {
    const { records } = await validate('leads', withUtf8Bom(text), { chunkSize: 1 });
    expectCampaigns(records);
  });

  it('reads ; delimiters with decimal-comma money', async () => {
    const content = lines(['Day;Channel;Campaign;Cost', '2026-10-01;Paid Search;Brand;1.234,50', '2026-10-02;Paid Search;Brand;"12,5"', '2026-10-03;Paid Search;Brand;7']);
    const { report, records } = await validate('spend', content);
    expect(report.format.delimiter).toBe(';');
    expect(records.map((r) => r.amount_minor)).toEqual([123_450, 1_250, 700]);
  });

  it('still reads decimal-point money in a ; file', async () => {
    const content = lines(['Day;Channel;Cost', '2026-10-01;Search;1234.50', '2026-10-02;Search;"1,234.50"', '2026-10-03;Search;1.234']);
    const { report, records } = await validate('spend', content);
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.amount_minor)).toEqual([123_450, 123_450, 123_400]);
  });
});

describe('the records written to the sink', () => {
  it('normalizes lead dates and statuses and derives marketing_sourced from the source', async () => {
    const content = lines([
      LEADS_HEADER,
      'L1,2026-10-01 09:15,Organic Search,2026-10-02T10:00:00Z,10/3/2026,Accepted,',
      'L2,10/1/2026 9:15 PM,Outbound,,2026-10-04,Unqualified,',
      'L3,20261001,Sales Generated,,2026-10-04,yes,2026-10-20',
      'L4,2026-10-01,SDR prospecting,,2026-10-04,No,',
      'L5,2026-10-01,Paid Social,,2026-10-04,pending,',
      'L6,2026-10-01T08:00:00+02:00,BDR,,2026-10-04,REJECTED,',
    ]);
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('accepted');
    expect(report.acceptedRows).toBe(6);
    expect(records).toEqual<LeadRecord[]>([
      {
        lead_id: 'L1', created_at: '2026-10-01T09:15:00', source: 'Organic Search', mql_at: '2026-10-02T10:00:00Z',
        sql_at: '2026-10-03', sql_status: 'accepted', marketing_sourced: true,
      },
      { lead_id: 'L2', created_at: '2026-10-01T21:15:00', source: 'Outbound', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
      {
        lead_id: 'L3', created_at: '2026-10-01', source: 'Sales Generated', sql_at: '2026-10-04', sql_status: 'accepted',
        customer_at: '2026-10-20', marketing_sourced: false,
      },
      { lead_id: 'L4', created_at: '2026-10-01', source: 'SDR prospecting', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
      { lead_id: 'L5', created_at: '2026-10-01', source: 'Paid Social', sql_at: '2026-10-04', sql_status: 'pending', marketing_sourced: true },
      { lead_id: 'L6', created_at: '2026-10-01T06:00:00Z', source: 'BDR', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
    ]);
  });

  it('takes a Marketing Sourced column over the source, and a configured sales-sourced list', async () => {
    const content = lines(['Record ID,Create Date,Source,Marketing Sourced', 'L1,2026-10-01,Outbound,yes', 'L2,2026-10-01,Webinar,N', 'L3,2026-10-01,Partner referral,']);
    const { records } = await validate('leads', content);
    expect(records.map((r) => r.marketing_sourced)).toEqual([true, false, true]);
    const custom = await validate('leads', content, { settings: { salesSourcedSources: ['partner'] } });
    expect(custom.records.map((r) => r.marketing_sourced)).toEqual([true, false, false]);
  });

  it('maps opportunity stage labels to a status and drops an open deal\'s expected close date, even in the future', async () => {
    const content = lines([
      OPPS_HEADER,
      'D1,2026-09-01,Closed Won,2026-10-20,"$12,500.00",Organic Search',
      'D2,2026-09-01,closedlost,2026-10-21,800,Outbound',
      'D3,2026-10-01,Contract Sent,2027-03-31,"USD 2,000",',
      'D4,2026-10-01,Won,2026-10-25,0,webinar',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records).toEqual<OpportunityRecord[]>([
      { opportunity_id: 'D1', created_at: '2026-09-01', status: 'won', closed_at: '2026-10-20', amount_minor: 1_250_000, source: 'Organic Search', marketing_sourced: true },
      { opportunity_id: 'D2', created_at: '2026-09-01', status: 'lost', closed_at: '2026-10-21', amount_minor: 80_000, source: 'Outbound', marketing_sourced: false },
      { opportunity_id: 'D3', created_at: '2026-10-01', status: 'open', amount_minor: 200_000, marketing_sourced: false },
      { opportunity_id: 'D4', created_at: '2026-10-01', status: 'won', closed_at: '2026-10-25', amount_minor: 0, source: 'webinar', marketing_sourced: true },
    ]);
  });

  it('holds a won deal to the future-date rule and requires its close date', async () => {
    const content = lines([OPPS_HEADER, 'D1,2026-10-01,Closed Won,2027-03-31,100,web', 'D2,2026-10-01,Closed Lost,,100,web', 'D3,2026-10-01,,,100,web']);
    const { report } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['future-date', 2, 'closed_at'],
      ['missing-value', 3, 'closed_at'],
      ['missing-value', 4, 'status'],
    ]);
  });

  it("lets a Salesforce report's Closed and Won columns decide the status", async () => {
    const content = lines([
      'Opportunity ID,Created Date,Stage,Close Date,Amount,Closed,Won',
      'O1,10/1/2026,Negotiation,10/20/2026,100,1,1',
      'O2,10/1/2026,Closed Won,10/21/2026,100,TRUE,FALSE',
      'O3,10/1/2026,Closed Won,12/31/2026,100,false,false',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records.map((r) => [r.opportunity_id, r.status, r.closed_at])).toEqual([
      ['O1', 'won', '2026-10-20'],
      ['O2', 'lost', '2026-10-21'],
      ['O3', 'open', undefined],
    ]);
    expect(report.columns).not.toHaveProperty('closed_flag');
  });

  it('derives the status from Closed and Won when a Salesforce report has no Stage column', async () => {
    const content = lines(['Opportunity ID,Created Date,Close Date,Amount,Closed,Won', 'O1,10/1/2026,10/20/2026,100,1,0']);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records).toMatchObject([{ opportunity_id: 'O1', status: 'lost', closed_at: '2026-10-20' }]);
  });

  it('defaults spend channel, campaign and category, and keys by all of them', async () => {
    const content = lines(['Month,Cost,Category', '2026-10,"1,000.00",Sales', '2026-10,250,']);
    const { records } = await validate('spend', content);
    expect(records).toEqual([
      { date: '2026-10', amount_minor: 100_000, channel: 'unspecified', campaign: '', category: 'sales' },
      { date: '2026-10', amount_minor: 25_000, channel: 'unspecified', campaign: '', category: 'marketing' },
    ]);
  });

  it('derives the bounce rate from engaged sessions, or reads it as a fraction or a percent', async () => {
    const content = lines(['Date,Channel,Sessions,Engaged sessions,Bounce rate', '20261001,Organic,200,150,', '20261001,Paid,100,,42%', '20261002,Paid,100,,0.5']);
    const { records } = await validate('web_traffic', content);
    expect(records).toEqual([
      { date: '2026-10-01', channel: 'Organic', sessions: 200, engaged_sessions: 150, bounce_rate: 0.25 },
      { date: '2026-10-01', channel: 'Paid', sessions: 100, bounce_rate: 0.42 },
      { date: '2026-10-02', channel: 'Paid', sessions: 100, bounce_rate: 0.5 },
    ]);
  });
});

describe('vendor header sets', () => {
  it('HubSpot contacts export', async () => {
    const content = lines([
      '"Record ID","First Name","Last Name","Email","Lifecycle Stage","Create Date","Original Source","Original Source Drill-Down 1",' +
        '"Became a Marketing Qualified Lead Date","Became a Sales Qualified Lead Date","SQL Status","Became a Customer Date","Message"',
      '"101","Zoë","Ørsted","zoe@example.com","Customer","2026-10-01 08:00","Organic Search","google","2026-10-02 09:00","2026-10-05 10:30","Accepted","2026-10-28 16:00","Hi, ""team""',
      'second line"',
      '"102","Ann","Lee","ann@example.com","Lead","2026-10-03 11:00","Offline Sources","trade show","","","","",""',
    ], '\r\n');
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('accepted');
    expect(report.columns).toEqual({
      lead_id: 'Record ID', created_at: 'Create Date', source: 'Original Source', campaign: 'Original Source Drill-Down 1',
      mql_at: 'Became a Marketing Qualified Lead Date', sql_at: 'Became a Sales Qualified Lead Date', sql_status: 'SQL Status',
      customer_at: 'Became a Customer Date',
    });
    expect(records).toEqual([
      {
        lead_id: '101', created_at: '2026-10-01T08:00:00', source: 'Organic Search', campaign: 'google', mql_at: '2026-10-02T09:00:00',
        sql_at: '2026-10-05T10:30:00', sql_status: 'accepted', customer_at: '2026-10-28T16:00:00', marketing_sourced: true,
      },
      { lead_id: '102', created_at: '2026-10-03T11:00:00', source: 'Offline Sources', campaign: 'trade show', marketing_sourced: true },
    ]);
  });

  it('Salesforce opportunities report', async () => {
    const content = lines([
      '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Probability (%)","Amount","Created Date","Close Date","Lead Source","Lead ID"',
      '"006A1","Acme - Platform","Acme","Jo Smith","Closed Won","100","$12,500.00","9/14/2026","10/20/2026","Web","00QA1"',
      '"006A2","Globex - Pilot","Globex","Jo Smith","Proposal/Price Quote","60","$3,000.00","10/2/2026","1/15/2027","Outbound Prospecting",""',
      '"006A3","Initech","Initech","Sam Roe","Closed Lost","0","$800.00","10/5/2026","10/30/2026","Partner Referral",""',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.status).toBe('accepted');
    expect(report.columns).toMatchObject({ opportunity_id: 'Opportunity ID', status: 'Stage', amount: 'Amount', created_at: 'Created Date', closed_at: 'Close Date', source: 'Lead Source', lead_id: 'Lead ID' });
    expect(records).toEqual([
      { opportunity_id: '006A1', created_at: '2026-09-14', status: 'won', closed_at: '2026-10-20', amount_minor: 1_250_000, source: 'Web', lead_id: '00QA1', marketing_sourced: true },
      { opportunity_id: '006A2', created_at: '2026-10-02', status: 'open', amount_minor: 300_000, source: 'Outbound Prospecting', marketing_sourced: false },
      { opportunity_id: '006A3', created_at: '2026-10-05', status: 'lost', closed_at: '2026-10-30', amount_minor: 80_000, source: 'Partner Referral', marketing_sourced: true },
    ]);
  });

  it('Google Ads campaign report: title, date range, header, Total row', async () => {
    const content = lines([
      'Campaign report',
      '"October 1, 2026 - October 31, 2026"',
      'Day,Campaign,Campaign type,Currency code,Cost,Impressions,Clicks',
      '2026-10-01,Brand - Search,Search,USD,"1,234.56","12,000",340',
      '2026-10-01,Display - Retargeting,Display,USD,15.10,900,2',
      'Total: Account,--,--,USD,"1,249.66","12,900",342',
    ]);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ headerLine: 3, preambleLines: 2 });
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 4, line: 6, column: undefined }]);
    expect(records).toEqual([
      { date: '2026-10-01', amount_minor: 123_456, channel: 'unspecified', campaign: 'Brand - Search', category: 'marketing' },
      { date: '2026-10-01', amount_minor: 1_510, channel: 'unspecified', campaign: 'Display - Retargeting', category: 'marketing' },
    ]);
  });

  it('Meta ads export: Reporting starts/ends and Amount spent (USD); a row spanning two months is an error', async () => {
    const header = 'Campaign name,Reporting starts,Reporting ends,Results,Amount spent (USD)';
    const ok = await validate('spend', lines([header, 'Autumn prospecting,2026-10-01,2026-10-31,120,842.17', 'Retargeting,2026-10-05,2026-10-05,3,12.00']));
    expect(ok.report.status).toBe('accepted');
    expect(ok.report.columns).toMatchObject({ date: 'Reporting starts', amount: 'Amount spent (USD)', campaign: 'Campaign name' });
    expect(ok.records.map((r) => [r.date, r.amount_minor, r.campaign])).toEqual([
      ['2026-10-01', 84_217, 'Autumn prospecting'],
      ['2026-10-05', 1_200, 'Retargeting'],
    ]);
    const spanning = await validate('spend', lines([header, 'Autumn prospecting,2026-09-28,2026-10-04,120,842.17']));
    expect(spanning.report.status).toBe('rejected');
    expect(spanning.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, line: 2 }]);
    expect(spanning.report.errors[0]?.message).toContain('daily breakdown');
  });

  it('GA4 traffic acquisition export', async () => {
    const content = lines([
      '# ----------------------------------------',
      '# Traffic acquisition: Session primary channel group (Default Channel Group)',
      '# Account: Acme',
      '# Start date: 20261001',
      '# End date: 20261031',
      '# ----------------------------------------',
      '',
      'Date,Session primary channel group,Sessions,Engaged sessions,Key events',
      '20261001,Organic Search,1200,900,14',
      '20261001,Direct,300,150,2',
    ]);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ headerLine: 8, preambleLines: 7 });
    expect(records).toEqual([
      { date: '2026-10-01', channel: 'Organic Search', sessions: 1200, engaged_sessions: 900, bounce_rate: 0.25, conversions: 14 },
      { date: '2026-10-01', channel: 'Direct', sessions: 300, engaged_sessions: 150, bounce_rate: 0.5, conversions: 2 },
    ]);
  });

  it('a hand-made customers sheet', async () => {
    const content = withUtf8Bom(lines([
      'Customer ID,Company,Customer Since,Churn Date,MRR,Marketing Sourced',
      'C-1,Acme,3/15/2025,,"$1,200.00",yes',
      'C-2,Globex,1/2/2026,10/31/2026,$99,no',
      'C-3,Initech,2026-10-01,,,',
    ], '\r\n'));
    const { report, records } = await validate('customers', content);
    expect(report.status).toBe('accepted');
    expect(records).toEqual([
      { customer_id: 'C-1', started_at: '2025-03-15', mrr_minor: 120_000, marketing_sourced: true },
      { customer_id: 'C-2', started_at: '2026-01-02', churned_at: '2026-10-31', mrr_minor: 9_900, marketing_sourced: false },
      { customer_id: 'C-3', started_at: '2026-10-01' },
    ]);
    const early = await validate('customers', lines(['Customer ID,Customer Since,Churn Date', 'C-1,2026-10-05,2026-10-01']));
    expect(early.report.errors).toMatchObject([{ code: 'date-order', row: 2, column: 'churned_at' }]);
  });
});

describe('mixed encodings', () => {
  it('encoding-error: UTF-8 text with non-ASCII characters, then bytes that are not UTF-8, with the line of the bad byte', async () => {
    const head = lines(['Record ID,Create Date,Original Source,Campaign', 'L1,2026-10-01,web,Zürich', ...Array.from({ length: 3000 }, (_, i) => `L${i + 2},2026-10-01,web,plain`)]);
    const bytes = Buffer.concat([Buffer.from(head), latin1('L9999,2026-10-01,web,Café\n')]);
    for (const chunkSize of [undefined, 4096]) {
      const { report, sink } = await validate('leads', bytes, chunkSize ? { chunkSize } : {});
      expect(report.status).toBe('rejected');
      expect(report.errors).toMatchObject([{ code: 'encoding-error', row: 3003, line: 3003 }]);
      expect(report.errors[0]?.message).toContain('mixes encodings');
      expect(sink.resets).toBe(0); // not read again as Windows-1252: that would garble "Zürich"
    }
  });

  it('still reads a file as Windows-1252 when only ASCII came before its first non-UTF-8 byte', async () => {
    const bytes = Buffer.concat([Buffer.from('Record ID,Create Date,Original Source,Campaign\nL1,2026-10-01,web,plain\n'), latin1('L2,2026-10-01,web,Café\n')]);
    const { report, records } = await validate('leads', bytes);
    expect(report.status).toBe('accepted');
    expect(report.warnings.map((w) => w.code)).toEqual(['encoding-fallback']);
    expect(records.map((r) => r.campaign)).toEqual(['plain', 'Café']);
  });

  it('reads non-ASCII UTF-8 cells split across chunks at every byte, quoted or not', async () => {
    const text = lines(['Record ID,Create Date,Original Source,Campaign', 'Ł1,2026-10-01,Ōrganic,"Zoë, 😀 ✓"', 'L2,2026-10-02,web,Ørsted — “quoted”']);
    for (const chunkSize of [1, 2, 3, 5]) {
      const { records } = await validate('leads', text, { chunkSize });
      expect(records.map((r) => [r.lead_id, r.source, r.campaign])).toEqual([
        ['Ł1', 'Ōrganic', 'Zoë, 😀 ✓'],
        ['L2', 'web', 'Ørsted — “quoted”'],
      ]);
    }
  });

  it('gives the non-ASCII value of a bad cell in the report as written', async () => {
    const { report } = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,le 1er octobre,web']));
    expect(report.errors).toMatchObject([{ code: 'type-error', value: 'le 1er octobre' }]);
    const accent = await validate('leads', lines(['Record ID,Create Date,Original Source', 'L1,1 º octobre,web']));
    expect(accent.report.errors).toMatchObject([{ code: 'type-error', value: '1 º octobre' }]);
  });

  it('encoding-error: UTF-16 with a broken character (a lone surrogate)', async () => {
    const good = utf16le('Record ID\tCreate Date\tOriginal Source\nL1\t2026-10-01\tweb\n');
    const broken = Buffer.concat([good, Buffer.from([0x00, 0xd8, 0x41, 0x00, 0x0a, 0x00])]); // U+D800 then "A\n"
    const { report } = await validate('leads', broken);
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => e.code)).toEqual(['encoding-error']);
  });

  it('reads a non-ASCII header', async () => {
    const { report, records } = await validate('customers', withUtf8Bom(lines(['Customer ID,Société,Start Date', 'C1,Café SA,2026-10-01'])));
    expect(report.status).toBe('accepted');
    expect(records).toEqual([{ customer_id: 'C1', started_at: '2026-10-01' }]);
  });
});

describe('keys of spend and web traffic rows', () => {
  it('duplicate-id: two spend rows with the same date, channel, campaign and category (the KPI step would keep one)', async () => {
    const content = lines([
      'Day,Channel,Campaign,Category,Cost',
      '2026-10-01,Search,Brand,marketing,5.00',
      '2026-10-01,Search,Generic,marketing,6.00',
      '2026-10-01,search,BRAND,,7.00', // the key ignores case, and a blank category is marketing
      '2026-10-01,Search,Brand,sales,8.00',
    ]);
    const { report } = await validate('spend', content);
    expect(report.errors).toMatchObject([{ code: 'duplicate-id', row: 4, line: 4, column: 'date', value: '2026-10-01 / search / BRAND / marketing' }]);
    expect(report.errors[0]?.message).toContain('row 2');
  });

  it('duplicate-id: two web traffic rows for the same date and channel (an export with an extra dimension)', async () => {
    const content = lines(['Date,Session default channel group,Device category,Sessions', '20261001,Organic Search,desktop,10', '20261001,Organic Search,mobile,12', '20261001,Direct,desktop,3']);
    const { report } = await validate('web_traffic', content);
    expect(report.errors).toMatchObject([{ code: 'duplicate-id', row: 3, line: 3, column: 'date' }]);
    expect(report.errors[0]?.message).toMatch(/device|breakdown/);
  });

  it('keeps monthly spend rows of different months and channels apart', async () => {
    const content = lines(['Month,Channel,Cost', '2026-09,Search,1', '2026-10,Search,1', '2026-10,Social,1']);
    expect((await validate('spend', content)).report.status).toBe('accepted');
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

describe('more vendor details', () => {
  it('GA4: the real header "Session primary channel group (Default Channel Group)"', async () => {
    const content = lines([
      '# Traffic acquisition: Session primary channel group (Default Channel Group)',
      'Date,Session primary channel group (Default Channel Group),Sessions,Engaged sessions,Key events,Total revenue (USD)',
      '20261001,Organic Search,1200,900,14,12.5',
    ]);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(report.columns.channel).toBe('Session primary channel group (Default Channel Group)');
    expect(records).toEqual([{ date: '2026-10-01', channel: 'Organic Search', sessions: 1200, engaged_sessions: 900, bounce_rate: 0.25, conversions: 14 }]);
  });

  it('a header that matches as written wins over one that matches without its parenthesised part', async () => {
    const { report } = await validate('web_traffic', lines(['Date,Channel (legacy),Channel,Sessions', '20261001,a,b,1']));
    expect(report.status).toBe('accepted');
    expect(report.columns.channel).toBe('Channel');
  });

  it('Meta: a row spanning two reporting periods of the configured type', async () => {
    const header = 'Campaign name,Reporting starts,Reporting ends,Amount spent (USD)';
    const octoberToNovember = lines([header, 'Autumn,2026-10-26,2026-11-01,10.00']);
    const month = await validate('spend', octoberToNovember);
    expect(month.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, column: 'date_end' }]);
    expect(month.report.errors[0]?.message).toContain('two reporting months (2026-10 and 2026-11)');
    // The same row lies in one quarter, and in one ISO week (Monday 26 October .. Sunday 1 November).
    expect((await validate('spend', octoberToNovember, { settings: { periodType: 'quarter' } })).report.status).toBe('accepted');
    expect((await validate('spend', octoberToNovember, { settings: { periodType: 'week' } })).report.status).toBe('accepted');
    const twoWeeks = await validate('spend', lines([header, 'Autumn,2026-10-01,2026-10-05,10.00']), { settings: { periodType: 'week' } });
    expect(twoWeeks.report.errors[0]?.message).toContain('two reporting weeks (2026-W40 and 2026-W41)');
    const backwards = await validate('spend', lines([header, 'Autumn,2026-10-05,2026-10-01,10.00']));
    expect(backwards.report.errors).toMatchObject([{ code: 'date-order', column: 'date_end' }]);
  });

  it('Salesforce: the footer under a report (Grand Totals, confidentiality notice, copyright) is skipped', async () => {
    const content = lines([
      '"Opportunity ID","Opportunity Name","Stage","Amount","Created Date","Close Date"',
      '"006A1","Acme","Closed Won","$12,500.00","9/14/2026","10/20/2026"',
      '"006A2","Globex","Prospecting","$3,000.00","10/2/2026","1/15/2027"',
      '"Grand Totals (2 records)","","","$15,500.00","",""',
      '""',
      '""',
      '"Confidential Information - Do Not Distribute"',
      '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
    ], '\r\n');
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.opportunity_id)).toEqual(['006A1', '006A2']);
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 4, line: 4, column: undefined }]);
    // The `""` lines are records too (one empty cell each: skipped as blank, still counted).
    expect(where(report.warnings, 'footer-row')).toEqual([
      { row: 7, line: 7, column: undefined },
      { row: 8, line: 8, column: undefined },
    ]);
  });

  it('a lone filled first cell in the middle of the data is an error, not a footer', async () => {
    const content = lines(['Record ID,Create Date,Original Source', 'L1,2026-10-01,web', 'L2', 'L3,2026-10-01,web']);
    const { report } = await validate('leads', content);
    expect(report.errors).toMatchObject([{ code: 'missing-cell', row: 3 }, { code: 'missing-cell', row: 3 }]);
  });

  it('; files: counts with . or space thousands separators', async () => {
    const content = lines(['Date;Sessions;Engaged sessions;Key events', '20261001;1.234;1 000;"2.000"', '20261002;12;7;0']);
    const { report, records } = await validate('web_traffic', content);
    expect(report.errors).toEqual([]);
    expect(records.map((r) => [r.sessions, r.engaged_sessions, r.conversions])).toEqual([[1234, 1000, 2000], [12, 7, 0]]);
    const bad = await validate('web_traffic', lines(['Date;Sessions', '20261001;1.5']));
    expect(bad.report.errors).toMatchObject([{ code: 'type-error', column: 'sessions', value: '1.5' }]);
  });
});

describe('columns the dataset does not read', () => {
  it('a row filled only in unmapped columns is not taken for a blank row', async () => {
    const content = lines(['Record ID,First Name,Create Date,Original Source', 'L1,Ann,2026-10-01,web', ',Bob,,', 'L3,Cy,2026-10-01,web']);
    const { report } = await validate('leads', content);
    expect(report.errors.map((e) => [e.code, e.row, e.column])).toEqual([['missing-value', 3, 'lead_id'], ['missing-value', 3, 'created_at']]);
  });

  it('an extra cell past the header is reported with its value even when earlier columns are not read', async () => {
    const { report } = await validate('leads', lines(['Record ID,First Name,Create Date,Original Source', 'L1,Ann,2026-10-01,web,Zoë']));
    expect(report.errors).toMatchObject([{ code: 'extra-cell', row: 2, value: 'Zoë' }]);
  });
});
