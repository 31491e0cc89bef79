// Row-level errors (code, row, line, column, value), row keys, and cells in columns the dataset does not read.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../lambdas/domain/validation/report.ts';
import { LEADS_HEADER, OPPS_HEADER, SPEND_HEADER, gzip, lines, validate, where } from '../helpers/export-builders.ts';
import { validateExport } from '../../lambdas/domain/validation/validate-export.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';

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
