/**
 * The "never silently wrong" rules of the export contract (docs/exports.md), each at the level where it happens:
 * a value is read right or the upload says why not; a row is never dropped for what its first cell looks like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEADS_HEADER, SPEND_HEADER, lines, validate, where } from '../helpers/export-builders.ts';
import { normalizeText } from '../../lambdas/domain/validation/cells.ts';
import { fastMoneyMinor, parseDateValue, parseMoney } from '../../lambdas/domain/validation/values.ts';

describe('rows that only look like summaries or comments are data', () => {
  it.each([
    ['Total Wine - Spring Promo'], ['#BlackFriday'], ['Grand total sale'], ['Totaux promo'], ['Gesamtpaket'],
  ])('a spend row with campaign "%s" in the first column counts', async (campaign) => {
    const content = lines(['Campaign,Day,Channel,Category,Cost', `"${campaign}",2026-10-01,Search,marketing,5.00`, 'Brand,2026-10-01,Search,marketing,7.00']);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('accepted');
    expect(records.map((r) => r.campaign)).toEqual([campaign, 'Brand']);
    expect(report.warnings.filter((w) => w.code === 'summary-row' || w.code === 'comment-row')).toEqual([]);
  });

  it.each([['#1001'], ['Total Energies'], ['Totals-7']])('a lead whose id is "%s" counts, in the middle or at the end', async (id) => {
    for (const rows of [[`${id},2026-10-01,web,,,,`, 'L2,2026-10-02,web,,,,'], ['L2,2026-10-02,web,,,,', `${id},2026-10-01,web,,,,`]]) {
      const { report, records } = await validate('leads', lines([LEADS_HEADER, ...rows]));
      expect(report.status).toBe('accepted');
      expect(records.map((r) => r.lead_id).sort()).toEqual([id, 'L2'].sort());
    }
  });

  it('an ads report total row (a total label, blank keys) is a summary wherever it is; rows after the data are skipped', async () => {
    const content = lines([SPEND_HEADER, 'Total: account,,,,12.00', '2026-10-01,Search,Brand,marketing,5.00', 'Gesamt,,,,5.00', '# exported by a tool']);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('accepted');
    expect(records).toHaveLength(1);
    expect(where(report.warnings, 'summary-row').map((w) => w.row)).toEqual([2, 4]);
    expect(where(report.warnings, 'comment-row').map((w) => w.row)).toEqual([5]);
  });

  it('property: valid rows whatever their first cell says, with a closing total, give every record and one summary', async () => {
    const firstCell = fc.oneof(
      fc.constantFrom('Total', 'Totals', 'Grand total', 'Gesamt', 'Totaux', 'Summe', '#', '# note', '#1', 'Total Wine', '#BlackFriday'),
      fc.stringMatching(/^[A-Za-z#][A-Za-z0-9 #-]{0,12}$/),
    ).map((s) => s.trim()).filter((s) => s !== '');
    await fc.assert(fc.asyncProperty(fc.uniqueArray(firstCell, { minLength: 1, maxLength: 8, selector: (s) => normalizeText(s).toLowerCase() }), async (campaigns) => {
      const rows = campaigns.map((c, i) => `"${c}",2026-10-${String((i % 28) + 1).padStart(2, '0')},Search,marketing,${i + 1}.00`);
      const total = campaigns.reduce((a, _, i) => a + i + 1, 0);
      const content = lines(['Campaign,Day,Channel,Category,Cost', ...rows, `Total,,,,${total}.00`]);
      const { report, records } = await validate('spend', content);
      expect(report.errors).toEqual([]);
      expect(records.map((r) => r.campaign)).toEqual(campaigns);
      expect(where(report.warnings, 'summary-row')).toHaveLength(1);
    }), { numRuns: 60 });
  });
});

describe('currency', () => {
  it.each([
    ['€5', 'EUR'], ['£5', 'GBP'], ['¥500', 'JPY'], ['5 €', 'EUR'], ['₹90', 'INR'],
  ])('%s is a currency-mismatch when the configured currency is USD', async (amount, code) => {
    const { report } = await validate('spend', lines([SPEND_HEADER, `2026-10-01,Search,Brand,marketing,"${amount}"`]));
    expect(report.status).toBe('rejected');
    expect(report.errors).toMatchObject([{ code: 'currency-mismatch', row: 2, column: 'amount' }]);
    expect(report.errors[0]!.message).toContain(code);
  });

  it('a symbol of the configured currency is fine: € in EUR, $ in CAD', async () => {
    expect((await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,€5']), { settings: { currency: 'EUR' } })).report.status).toBe('accepted');
    expect((await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,$5']), { settings: { currency: 'CAD' } })).report.status).toBe('accepted');
  });

  it('an amount naming two currencies is an error, not the first one', () => {
    expect(parseMoney('USD 5 EUR')).toMatchObject({ ok: false, code: 'type-error' });
    expect(parseMoney('$5 EUR')).toMatchObject({ ok: false, code: 'type-error' });
    expect(parseMoney('€5 EUR')).toEqual({ ok: true, value: { minor: 500, currency: 'EUR', symbol: '€' } });
  });

  it('amounts beyond exact integers are refused, on the fast path too', async () => {
    expect(fastMoneyMinor('999999999999999')).toBe(-1);
    expect(fastMoneyMinor('90071992547409')).toBe(-1);
    expect(fastMoneyMinor('90071992547408')).toBe(9_007_199_254_740_800);
    expect(parseMoney('999999999999999')).toMatchObject({ ok: false, code: 'type-error' });
    const { report } = await validate('spend', lines([SPEND_HEADER, '2026-10-01,Search,Brand,marketing,999999999999999']));
    expect(report.errors).toMatchObject([{ code: 'type-error', column: 'amount' }]);
  });
});

describe('dates', () => {
  it('dotted dates are day first, whatever the configured order', () => {
    expect(parseDateValue('05.10.2026', 'MDY')).toEqual({ ok: true, value: '2026-10-05' });
    expect(parseDateValue('05.10.2026', 'DMY')).toEqual({ ok: true, value: '2026-10-05' });
    expect(parseDateValue('31.12.2026 14:30', 'MDY')).toEqual({ ok: true, value: '2026-12-31T14:30:00' });
    expect(parseDateValue('12.31.2026', 'MDY')).toMatchObject({ ok: false, code: 'type-error' });
  });

  it.each(['2026-10-01T10:00:00+99:99', '2026-10-01T10:00:00+14:30', '2026-10-01T10:00:00-15:00', '2026-10-01T10:00:00+05:75'])(
    'the offset of %s is refused', (v) => {
      expect(parseDateValue(v, 'MDY')).toMatchObject({ ok: false, code: 'type-error' });
    });

  it('offsets up to ±14:00 are read', () => {
    expect(parseDateValue('2026-10-01T10:00:00+14:00', 'MDY')).toEqual({ ok: true, value: '2026-09-30T20:00:00Z' });
    expect(parseDateValue('2026-10-01T10:00:00-12:00', 'MDY')).toEqual({ ok: true, value: '2026-10-01T22:00:00Z' });
  });

  it('an instant in a date-only column is on its local day in the reporting time zone, as in a date-time column', async () => {
    const settings = { timezone: 'America/New_York' };
    const instant = '2026-11-01T02:00:00Z'; // 22:00 on Oct 31 in New York
    const customers = await validate('customers', lines(['Customer ID,Customer Since', `C1,${instant}`]), { settings });
    expect(customers.records.map((r) => r.started_at)).toEqual(['2026-10-31']);
    const spend = await validate('spend', lines([SPEND_HEADER, '2026-11-01T03:30:00Z,Search,Brand,marketing,5']), { settings });
    expect(spend.records.map((r) => r.date)).toEqual(['2026-10-31']);
    const local = await validate('customers', lines(['Customer ID,Customer Since', 'C1,2026-11-01 02:00']), { settings });
    expect(local.records.map((r) => r.started_at)).toEqual(['2026-11-01']);
  });
});

describe('ids are compared as NFC text without invisible characters', () => {
  it('José typed composed and decomposed, and L1 with a zero-width space, are duplicates', async () => {
    const composed = 'Jos\u00e9';
    const decomposed = 'Jose\u0301';
    const { report } = await validate('leads', lines([LEADS_HEADER, `${composed},2026-10-01,web,,,,`, `${decomposed},2026-10-02,web,,,,`]));
    expect(where(report.errors, 'duplicate-id')).toEqual([{ row: 3, line: 3, column: 'lead_id' }]);
    const zw = await validate('leads', lines([LEADS_HEADER, 'L1,2026-10-01,web,,,,', 'L1\u200b,2026-10-02,web,,,,']));
    expect(where(zw.report.errors, 'duplicate-id')).toEqual([{ row: 3, line: 3, column: 'lead_id' }]);
  });

  it('stored ids are the normalized text', async () => {
    const { records } = await validate('leads', lines([LEADS_HEADER, 'Jose\u0301\u200d,2026-10-01,web,,,,']));
    expect(records.map((r) => r.lead_id)).toEqual(['Jos\u00e9']);
  });

  it('property: two spellings are one id exactly when their NFC forms without invisible characters are equal', () => {
    const invisible = fc.constantFrom('', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f', '\u202a', '\u2066', '\u180e');
    const letter = fc.constantFrom('e', '\u00e9', 'e\u0301', 'A', '\u00c5', 'A\u030a', '\u212b', 'n', '\u00f1', 'n\u0303', '1', '-');
    const spelling = fc.array(fc.tuple(letter, invisible).map(([l, i]) => l + i), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    fc.assert(fc.property(spelling, spelling, (a, b) => {
      const canonical = (s: string): string => s.replace(/[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '').normalize('NFC');
      expect(normalizeText(a) === normalizeText(b)).toBe(canonical(a) === canonical(b));
      expect(normalizeText(a)).toBe(canonical(a));
    }), { numRuns: 2000 });
  });
});

describe('a total and its parts in one file are refused (overlapping-granularity)', () => {
  it('a spend month row and day rows of that month on the same channel and campaign', async () => {
    const content = lines([SPEND_HEADER, '2026-10,Search,Brand,marketing,300', '2026-10-05,Search,Brand,marketing,10', '2026-10-06,Search,Other,marketing,10']);
    const { report } = await validate('spend', content);
    expect(report.status).toBe('rejected');
    expect(where(report.errors, 'overlapping-granularity')).toEqual([{ row: 3, line: 3, column: 'date' }]);
    expect(report.errors[0]!.message).toContain('row 2');
  });

  it('months and days of different channels, or of different months, are fine', async () => {
    const content = lines([SPEND_HEADER, '2026-10,Search,Brand,marketing,300', '2026-10-05,Social,Brand,marketing,10', '2026-11-02,Search,Brand,marketing,10']);
    expect((await validate('spend', content)).report.status).toBe('accepted');
  });

  it('a GA4 day total (no channel) and the same day per channel', async () => {
    const content = lines(['Date,Session default channel group,Sessions', '20261001,Organic Search,10', '20261001,,25', '20261002,,7']);
    const { report } = await validate('web_traffic', content);
    expect(report.status).toBe('rejected');
    expect(where(report.errors, 'overlapping-granularity')).toEqual([{ row: 3, line: 3, column: 'date' }]);
  });
});

describe('messages say what is wrong', () => {
  it('a rejected report counts no accepted rows', async () => {
    const { report } = await validate('leads', lines([LEADS_HEADER, 'L1,2026-10-01,web,,,,', 'L2,not a date,web,,,,', 'L3,2026-10-01,web,,,,']));
    expect(report).toMatchObject({ status: 'rejected', rows: 3, acceptedRows: 0 });
  });

  it('a header line of 256 KB or more is "row-too-large", not "only blank lines"', async () => {
    const { report } = await validate('leads', `${'Record ID,'.repeat(30_000)}\nL1,2026-10-01\n`, { chunkSize: 65_536 });
    expect(report.errors).toMatchObject([{ code: 'row-too-large', line: 1 }]);
  });

  it('control characters from cells and file names are shown escaped, never obeyed by a terminal or mail reader', async () => {
    const { formatReportSummary, formatRejectionEmail } = await import('../../lambdas/domain/validation/summary.ts');
    const { report } = await validate('leads', lines([LEADS_HEADER, 'L1,"\x1b[2J\x1b[31mboom",web,,,,']), { source: 'incoming/leads/a\x1b]0;x\x07.csv' });
    const text = formatReportSummary(report) + formatRejectionEmail(report, 'r.json').text + formatRejectionEmail(report, 'r.json').subject;
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(text).toContain('\\u001b[2J');
  });
});

describe('encodings and line ends say what they are', () => {
  it('UTF-16 without a byte-order mark is read, with a warning, not called binary', async () => {
    const { utf16le, utf16be } = await import('../helpers/export-builders.ts');
    const text = `${LEADS_HEADER}\nL1,2026-10-01,Référence,,,,\n`;
    for (const bytes of [utf16le(text, false), utf16be(text, false)]) {
      const { report, records } = await validate('leads', bytes);
      expect(report.status).toBe('accepted');
      expect(records.map((r) => r.source)).toEqual(['Référence']);
      expect(report.warnings).toMatchObject([{ code: 'encoding-fallback' }]);
    }
  });

  it('binary data with NUL bytes at random places is still refused', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0, 0, 1, 0, 0x22, 0, 0, 9, 0x41, 0x42, 0, 0x43, 7, 0, 0, 0]);
    expect((await validate('leads', Buffer.concat([Buffer.from('x,y\n'), bytes]))).report.errors).toMatchObject([{ code: 'not-tabular' }]);
  });

  it('a CR alone in a CRLF file: the error says the line endings are mixed', async () => {
    const mixed = `${LEADS_HEADER}\r\nL1,2026-10-01,web,,,,\r\nL3,2026-10-03,"web",,,,\rL4,2026-10-04,web,,,,\r\n`;
    const { report } = await validate('leads', mixed);
    expect(report.errors[0]).toMatchObject({ code: 'extra-cell', row: 3 });
    expect(report.errors[0]!.message).toContain('mixed line endings');
  });
});

describe('the summary shows only what was found', () => {
  it('a file rejected before its header prints no "undefined" and no empty sheet name', async () => {
    const { formatReportSummary } = await import('../../lambdas/domain/validation/summary.ts');
    const base = { status: 'rejected', dataset: 'leads', source: 'x', rows: 0, acceptedRows: 0, columns: {}, errorCounts: { 'not-tabular': 1 }, errors: [], warningCounts: {}, warnings: [] } as const;
    for (const format of [{ fileType: 'xlsx' }, { fileType: 'csv', encoding: 'utf-8' }] as const) {
      const text = formatReportSummary({ ...base, format });
      expect(text).not.toMatch(/undefined|sheet ""/);
    }
  });
});
