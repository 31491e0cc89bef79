/**
 * White space around a cell never changes what it says: a file and the same file with a space after every cell
 * must give the same records, errors and warnings, whatever the values (valid or not, every dataset).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lines, validate } from '../helpers/export-builders.ts';

const day = fc.tuple(fc.integer({ min: 2025, max: 2026 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 0, max: 31 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const time = fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
/** Dates as exports write them, valid or not: ISO dates and date-times, US dates, Z instants, future ones, junk. */
const dateCell = fc.oneof(
  day,
  fc.tuple(day, fc.constantFrom(' ', 'T'), time).map(([d, sep, t]) => `${d}${sep}${t}`),
  fc.tuple(day, time).map(([d, t]) => `${d}T${t}:07Z`),
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([m, d]) => `${m}/${d}/2026`),
  fc.constantFrom('', '2027-01-05', '2026-02-30', 'n/a', '2026-1-5'),
);
const leadRow = fc.tuple(
  fc.oneof(fc.integer({ min: 1, max: 40 }).map(String), fc.constantFrom('', 'L-7', 'L-8')),
  dateCell, fc.constantFrom('', 'Organic Search', 'Paid Social', 'Outbound', 'Référence'),
  fc.constantFrom('', 'spring', 'Été'), dateCell, dateCell, fc.constantFrom('', 'Accepted', 'no', 'maybe'), dateCell,
  fc.constantFrom('', 'yes', 'false', 'perhaps'),
);
const opportunityRow = fc.tuple(
  fc.oneof(fc.integer({ min: 1, max: 40 }).map(String), fc.constantFrom('', 'D-1')),
  dateCell, fc.constantFrom('', 'Closed Won', 'closedlost', 'Qualification', 'odd'), dateCell,
  fc.constantFrom('', '1200', '99.5', '1,250.00', '$300', 'EUR 10', 'ten', '-5'), fc.constantFrom('', 'Paid Search', 'Outbound'),
);

/** A CSV line of `cells`, each followed by `after` (inside the quotes of a quoted one). */
const spendRow = fc.tuple(
  fc.oneof(day, fc.constantFrom('2026-10', '2026-13', '')), fc.constantFrom('', 'Paid Search', 'Paid Social'),
  fc.constantFrom('', 'brand', 'Été'), fc.constantFrom('', 'search', 'social'), fc.constantFrom('', '12.50', '3', '1.234,5', 'x'),
  fc.constantFrom('', 'EUR', 'USD', 'eu'),
);
const trafficRow = fc.tuple(
  day, fc.constantFrom('', '120', '1 200', '-3', '4.5'), fc.constantFrom('', 'Organic Search', 'Direct'),
  fc.constantFrom('', '80', 'many'), fc.constantFrom('', '0.42', '42%', '142%', 'n/a'), fc.constantFrom('', '3', '0'),
);

const csvLine = (cells: readonly string[], after = ''): string =>
  cells.map((c) => (c.includes(',') ? `"${c}${after}"` : `${c}${after}`)).join(',');

async function sameEitherWay(dataset: 'leads' | 'opportunities' | 'spend' | 'web_traffic', header: string, rows: string[][]): Promise<void> {
  const plain = await validate(dataset, lines([header, ...rows.map((r) => csvLine(r))]), { settings: { errorTolerance: 1 } });
  const withSpaces = await validate(dataset, lines([header, ...rows.map((r) => csvLine(r, ' '))]), { settings: { errorTolerance: 1 } });
  expect(withSpaces.records).toEqual(plain.records);
  expect(withSpaces.report.errors).toEqual(plain.report.errors);
  expect(withSpaces.report.warnings).toEqual(plain.report.warnings);
  expect(withSpaces.report.errorCounts).toEqual(plain.report.errorCounts);
}

describe('the compiled row reader and the loop over column plans', () => {
  it('read leads rows the same way, good and bad', async () => {
    const header = 'Record ID,Create Date,Original Source,Campaign,MQL Date,SQL Date,SQL Status,Converted Date,Marketing Sourced';
    await fc.assert(fc.asyncProperty(fc.array(leadRow, { minLength: 1, maxLength: 30 }), async (rows) => {
      await sameEitherWay('leads', header, rows.map((r) => [...r]));
    }), { numRuns: 150 });
  });

  it('read opportunity rows the same way, money and closing dates included', async () => {
    const header = 'Deal ID,Create Date,Deal Stage,Close Date,Amount,Original Source';
    await fc.assert(fc.asyncProperty(fc.array(opportunityRow, { minLength: 1, maxLength: 30 }), async (rows) => {
      await sameEitherWay('opportunities', header, rows.map((r) => [...r]));
    }), { numRuns: 150 });
  });

  it('read spend and traffic rows the same way: months, currencies, integers and percentages', async () => {
    await fc.assert(fc.asyncProperty(fc.array(spendRow, { minLength: 1, maxLength: 30 }), async (rows) => {
      await sameEitherWay('spend', 'Day,Channel,Campaign,Category,Cost,Currency', rows.map((r) => [...r]));
    }), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.array(trafficRow, { minLength: 1, maxLength: 30 }), async (rows) => {
      await sameEitherWay('web_traffic', 'Date,Sessions,Channel,Engaged sessions,Bounce rate,Conversions', rows.map((r) => [...r]));
    }), { numRuns: 100 });
  });

  it('takes the common row through the compiled reader: the file without spaces has records to compare', async () => {
    const { report, records } = await validate('leads', lines([
      'Record ID,Create Date,Original Source,MQL Date', '1,2026-10-01 09:30,Organic Search,2026-10-02', '2,2026-10-03,Outbound,',
    ]));
    expect(report.status).toBe('accepted');
    expect(records.map((r) => [r.lead_id, r.created_at, r.source, r.mql_at])).toEqual([
      ['1', '2026-10-01T09:30:00', 'Organic Search', '2026-10-02'], ['2', '2026-10-03', 'Outbound', undefined],
    ]);
  });
});
