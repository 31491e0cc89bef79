import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fastInteger, fastIsoDate, fastMoneyMinor, localDateOf, parseBoolean, parseDateValue, parseInteger, parseMoney, parsePercent,
  type Parsed,
} from '../../lambdas/domain/validation/values.ts';

/** The value of a successful parse; fails the test with the problem otherwise. */
function valueOf<T>(r: Parsed<T>): T {
  if (!r.ok) throw new Error(`expected a value, got ${r.code}: ${r.problem}`);
  return r.value;
}

function problemOf<T>(r: Parsed<T>): { code: string; problem: string } {
  if (r.ok) throw new Error(`expected a problem, got ${JSON.stringify(r.value)}`);
  return { code: r.code, problem: r.problem };
}

describe('parseDateValue', () => {
  it.each([
    ['ISO date', '2026-10-05', '2026-10-05'],
    ['ISO timestamp without offset (local)', '2026-10-05T14:30:00', '2026-10-05T14:30:00'],
    ['ISO timestamp without seconds', '2026-10-05T14:30', '2026-10-05T14:30:00'],
    ['ISO timestamp with Z', '2026-10-05T14:30:00Z', '2026-10-05T14:30:00Z'],
    ['ISO timestamp with fractional seconds and Z', '2026-10-05T14:30:00.123Z', '2026-10-05T14:30:00Z'],
    ['ISO timestamp with +05:30', '2026-10-05T14:30:00+05:30', '2026-10-05T09:00:00Z'],
    ['ISO timestamp with +0530', '2026-10-05T14:30:00+0530', '2026-10-05T09:00:00Z'],
    ['ISO timestamp with -07:00', '2026-10-05T20:15:00-07:00', '2026-10-06T03:15:00Z'],
    ['offset moving the instant to the previous day', '2026-10-01T02:00:00+05:30', '2026-09-30T20:30:00Z'],
    ['offset moving the instant to the previous year', '2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00Z'],
    ['YYYY-MM-DD HH:mm', '2026-10-05 14:30', '2026-10-05T14:30:00'],
    ['YYYY-MM-DD HH:mm:ss', '2026-10-05 14:30:59', '2026-10-05T14:30:59'],
    ['YYYYMMDD (GA4)', '20261005', '2026-10-05'],
    ['M/D/YYYY', '10/5/2026', '2026-10-05'],
    ['MM/DD/YYYY', '10/05/2026', '2026-10-05'],
    ['M/D/YYYY H:mm', '10/5/2026 14:30', '2026-10-05T14:30:00'],
    ['M/D/YYYY h:mm PM', '10/5/2026 2:30 PM', '2026-10-05T14:30:00'],
    ['M/D/YYYY h:mm:ss pm', '10/5/2026 2:30:15 pm', '2026-10-05T14:30:15'],
    ['12 AM is midnight', '10/5/2026 12:15 AM', '2026-10-05T00:15:00'],
    ['12 PM is noon', '10/5/2026 12:15 PM', '2026-10-05T12:15:00'],
    ['surrounding spaces', '  2026-10-05  ', '2026-10-05'],
  ])('reads %s', (_what, raw, expected) => {
    expect(valueOf(parseDateValue(raw, 'MDY'))).toBe(expected);
  });

  it('reads slash dates as D/M/YYYY when configured', () => {
    expect(valueOf(parseDateValue('5/10/2026', 'DMY'))).toBe('2026-10-05');
    expect(valueOf(parseDateValue('25/12/2026 9:05 AM', 'DMY'))).toBe('2026-12-25T09:05:00');
    expect(valueOf(parseDateValue('5/10/2026', 'MDY'))).toBe('2026-05-10');
  });

  it('drops the time part for date columns and keeps month values only when allowed', () => {
    expect(valueOf(parseDateValue('2026-10-05T14:30:00+05:30', 'MDY', { dateOnly: true }))).toBe('2026-10-05');
    expect(valueOf(parseDateValue('10/5/2026 2:30 PM', 'MDY', { dateOnly: true }))).toBe('2026-10-05');
    expect(valueOf(parseDateValue('2026-10', 'MDY', { allowMonth: true }))).toBe('2026-10');
    expect(problemOf(parseDateValue('2026-10', 'MDY')).code).toBe('type-error');
    expect(problemOf(parseDateValue('2026-13', 'MDY', { allowMonth: true })).code).toBe('type-error');
  });

  it.each([
    ['30 February', '2026-02-30'],
    ['29 February of a common year', '2025-02-29'],
    ['29 February 1900 (not a leap year)', '1900-02-29'],
    ['31 April', '2026-04-31'],
    ['month 13', '2026-13-01'],
    ['day 0', '2026-10-00'],
    ['compact 30 February', '20260230'],
    ['slash 30 February', '2/30/2026'],
    ['hour 25', '2026-10-05 25:00'],
    ['minute 60', '2026-10-05T10:60:00'],
    ['13 PM', '10/5/2026 13:00 PM'],
    ['a word', 'yesterday'],
    ['a number', '45123'],
    ['two-digit year', '10/5/26'],
  ])('rejects %s as a type-error', (_what, raw) => {
    expect(problemOf(parseDateValue(raw, 'MDY')).code).toBe('type-error');
  });

  it('accepts 29 February of leap years', () => {
    expect(valueOf(parseDateValue('2024-02-29', 'MDY'))).toBe('2024-02-29');
    expect(valueOf(parseDateValue('2000-02-29', 'MDY'))).toBe('2000-02-29');
    expect(valueOf(parseDateValue('2/29/2024', 'MDY'))).toBe('2024-02-29');
  });

  it('rejects a 13th month under M/D/YYYY with a type-error that names the other order', () => {
    const p = problemOf(parseDateValue('13/5/2026', 'MDY'));
    expect(p.code).toBe('type-error');
    expect(p.problem).toContain('D/M/YYYY');
    expect(p.problem).toContain('DMY');
  });

  it('rejects a 13th month under D/M/YYYY with a type-error that names the other order', () => {
    const p = problemOf(parseDateValue('5/13/2026', 'DMY'));
    expect(p.code).toBe('type-error');
    expect(p.problem).toContain('M/D/YYYY');
    expect(p.problem).toContain('MDY');
  });
});

describe('localDateOf', () => {
  it('converts UTC instants with the given function and cuts local values to their date', () => {
    expect(localDateOf('2026-10-05T23:30:00Z', () => '2026-10-06')).toBe('2026-10-06');
    expect(localDateOf('2026-10-05T23:30:00', () => 'unused')).toBe('2026-10-05');
    expect(localDateOf('2026-10-05', () => 'unused')).toBe('2026-10-05');
  });
});

describe('parseMoney', () => {
  it.each([
    ['1234.5', 123_450],
    ['1234.50', 123_450],
    ['1234', 123_400],
    ['0', 0],
    ['0.07', 7],
    ['1,234.50', 123_450],
    ['1,234,567.89', 123_456_789],
    ['$1,234.50', 123_450],
    ['$ 1,234.50', 123_450],
    ['  $1,234.50  ', 123_450],
    ['€12.00', 1_200],
    ['£12', 1_200],
  ])('reads %s as %i minor units', (raw, minor) => {
    expect(valueOf(parseMoney(raw)).minor).toBe(minor);
  });

  it('returns the currency code written before or after the amount', () => {
    expect(valueOf(parseMoney('USD 1,234.50'))).toEqual({ minor: 123_450, currency: 'USD' });
    expect(valueOf(parseMoney('1234.50 EUR'))).toEqual({ minor: 123_450, currency: 'EUR' });
    expect(valueOf(parseMoney('1,234.50'))).toEqual({ minor: 123_450 });
  });

  it('reads a decimal comma when asked (files with ; delimiters)', () => {
    expect(valueOf(parseMoney('1.234,50', { decimalComma: true })).minor).toBe(123_450);
    expect(valueOf(parseMoney('1234,5', { decimalComma: true })).minor).toBe(123_450);
    expect(valueOf(parseMoney('1.234.567,89', { decimalComma: true })).minor).toBe(123_456_789);
    expect(valueOf(parseMoney('1 234,50', { decimalComma: true })).minor).toBe(123_450);
    expect(valueOf(parseMoney('1.234,50 EUR', { decimalComma: true }))).toEqual({ minor: 123_450, currency: 'EUR' });
  });

  it.each(['-1', '-1,234.50', '-$5.00', '$-5.00', 'USD -5', '−5.00'])('rejects negative money %s as a constraint-error', (raw) => {
    expect(problemOf(parseMoney(raw)).code).toBe('constraint-error');
  });

  it('accepts minus zero as zero', () => {
    expect(valueOf(parseMoney('-0.00')).minor).toBe(0);
  });

  it.each([
    ['a misplaced thousands separator', '1,23.50'],
    ['a group of four digits', '1,2345.00'],
    ['a group of two digits', '12,34,567'],
    ['two decimal points', '1.234.50'],
    ['a decimal comma without the decimal-comma option', '1234,50'],
    ['a word', 'twelve'],
    ['a blank currency amount', 'USD'],
  ])('rejects %s as a type-error', (_what, raw) => {
    expect(problemOf(parseMoney(raw)).code).toBe('type-error');
  });

  it('still reads a decimal point in a decimal-comma file, but a lone group of three is thousands', () => {
    expect(valueOf(parseMoney('1234.50', { decimalComma: true })).minor).toBe(123_450);
    expect(valueOf(parseMoney('1,234.50', { decimalComma: true })).minor).toBe(123_450);
    expect(valueOf(parseMoney('12.5', { decimalComma: true })).minor).toBe(1_250);
    expect(valueOf(parseMoney('1.234', { decimalComma: true })).minor).toBe(123_400);
    expect(valueOf(parseMoney('1.234', {})).minor).toBe(123);
    expect(problemOf(parseMoney('1.234.50', { decimalComma: true })).code).toBe('type-error');
    expect(problemOf(parseMoney('1.23,50', { decimalComma: true })).code).toBe('type-error');
  });

  it('is exact: 0.1 + 0.2 in minor units is 30', () => {
    const a = valueOf(parseMoney('0.1')).minor;
    const b = valueOf(parseMoney('0.2')).minor;
    expect(a + b).toBe(30);
    expect(valueOf(parseMoney('1234567.89')).minor + valueOf(parseMoney('0.11')).minor).toBe(123_456_800);
  });

  it('rounds sub-cent amounts half up to the cent', () => {
    expect(valueOf(parseMoney('0.004')).minor).toBe(0);
    expect(valueOf(parseMoney('0.005')).minor).toBe(1);
    expect(valueOf(parseMoney('12.345')).minor).toBe(1_235);
    expect(valueOf(parseMoney('12.3449')).minor).toBe(1_234);
  });

  it('rejects an amount too large to count exactly', () => {
    expect(problemOf(parseMoney('99999999999999999999')).code).toBe('type-error');
  });
});

describe('parseInteger', () => {
  it('reads whole numbers with or without thousands separators', () => {
    expect(valueOf(parseInteger('0'))).toBe(0);
    expect(valueOf(parseInteger('1234'))).toBe(1234);
    expect(valueOf(parseInteger('1,234'))).toBe(1234);
    expect(valueOf(parseInteger(' 12 '))).toBe(12);
  });

  it('rejects fractions and words as type-errors and negatives as constraint-errors', () => {
    expect(problemOf(parseInteger('1.5')).code).toBe('type-error');
    expect(problemOf(parseInteger('many')).code).toBe('type-error');
    expect(problemOf(parseInteger('-3')).code).toBe('constraint-error');
  });

  it('reads . thousands in decimal-comma files, spaces in any file, and only well-placed groups', () => {
    expect(valueOf(parseInteger('1.234', { decimalComma: true }))).toBe(1234);
    expect(valueOf(parseInteger('1.234.567', { decimalComma: true }))).toBe(1_234_567);
    expect(valueOf(parseInteger('1 234'))).toBe(1234);
    expect(valueOf(parseInteger('1\u00a0234', { decimalComma: true }))).toBe(1234);
    expect(valueOf(parseInteger("1'234"))).toBe(1234);
    expect(valueOf(parseInteger('-0'))).toBe(0);
    expect(problemOf(parseInteger('1.234')).code).toBe('type-error'); // a point is a decimal point in a , file
    expect(problemOf(parseInteger('1,234', { decimalComma: true })).code).toBe('type-error');
    expect(problemOf(parseInteger('12.34', { decimalComma: true })).code).toBe('type-error');
    expect(problemOf(parseInteger('1 23')).code).toBe('type-error');
    expect(problemOf(parseInteger('-1.234', { decimalComma: true })).code).toBe('constraint-error');
  });
});

describe('fast paths', () => {
  /** An independent reading of the ISO forms the fast path takes, through Date.UTC's calendar. */
  function oracle(s: string, dateOnly: boolean): string | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(Z?))?)?$/.exec(s);
    if (!m) return undefined;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1900 || y > 2999 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return 'invalid';
    if (m[4] === undefined) return s;
    const [hh, mm, ss] = [Number(m[5]), Number(m[6]), Number(m[7] ?? 0)];
    if (hh > 23 || mm > 59 || ss > 59) return 'invalid';
    if (dateOnly) return s.slice(0, 10);
    return `${s.slice(0, 10)}T${m[5]}:${m[6]}:${m[7] ?? '00'}${m[8] ?? ''}`;
  }
  const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  const isoish = fc.tuple(
    digits(4, 3100), digits(2, 14), digits(2, 32), fc.constantFrom('', 'T', ' '), digits(2, 25), digits(2, 61),
    fc.constantFrom('', ':00', ':59', ':60', ':5x'), fc.constantFrom('', 'Z', 'z', '+01:00'),
  ).map(([y, mo, d, sep, hh, mm, ss, z]) => (sep ? `${y}-${mo}-${d}${sep}${hh}:${mm}${ss}${ss ? z : ''}` : `${y}-${mo}-${d}`));

  it('fastIsoDate agrees with an independent reading, and parseDateValue agrees with both', () => {
    fc.assert(fc.property(isoish, fc.boolean(), (s, dateOnly) => {
      const expected = oracle(s, dateOnly);
      const fast = fastIsoDate(s, dateOnly);
      if (fast !== undefined) expect(fast).toBe(expected);
      // The forms it is for are read by it, not left to the slow path.
      if (expected !== undefined && expected !== 'invalid') expect(fast).toBe(expected);
      else expect(fast).toBeUndefined();
      const full = parseDateValue(s, 'MDY', { dateOnly });
      if (expected === 'invalid') expect(full.ok).toBe(false);
      else if (expected !== undefined) expect(full).toEqual({ ok: true, value: expected });
    }), { numRuns: 3000 });
  });

  it('fastMoneyMinor and fastInteger read only what the full parsers read the same way', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9.,$ -]{0,12}$/), (s) => {
      const m = fastMoneyMinor(s);
      if (m >= 0) expect(parseMoney(s)).toEqual({ ok: true, value: { minor: m } });
      const i = fastInteger(s);
      if (i >= 0) expect(parseInteger(s)).toEqual({ ok: true, value: i });
    }), { numRuns: 3000 });
    expect(fastMoneyMinor('1234.5')).toBe(123_450);
    expect(fastMoneyMinor('1,234.50')).toBe(-1);
    expect(fastInteger('0012')).toBe(12);
    expect(fastInteger('1e3')).toBe(-1);
  });
});

describe('parsePercent', () => {
  it.each([
    ['0.42', 0.42],
    ['42%', 0.42],
    ['42 %', 0.42],
    ['0', 0],
    ['1', 1],
    ['100%', 1],
    ['0%', 0],
    ['4.2%', 0.042],
    ['42,5%', 0.425],
  ])('reads %s as %f', (raw, v) => {
    expect(valueOf(parsePercent(raw))).toBeCloseTo(v, 12);
  });

  it('rejects values outside 0–100% as constraint-errors and words as type-errors', () => {
    expect(problemOf(parsePercent('142%')).code).toBe('constraint-error');
    expect(problemOf(parsePercent('1.5')).code).toBe('constraint-error');
    expect(problemOf(parsePercent('-5%')).code).toBe('type-error');
    expect(problemOf(parsePercent('half')).code).toBe('type-error');
  });
});

describe('parseBoolean', () => {
  const spellings = (w: string): string[] => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1), ` ${w} `];

  it.each(['true', 'yes', 'y', '1'])('reads %s (any case) as true', (w) => {
    for (const s of spellings(w)) expect(valueOf(parseBoolean(s))).toBe(true);
  });

  it.each(['false', 'no', 'n', '0'])('reads %s (any case) as false', (w) => {
    for (const s of spellings(w)) expect(valueOf(parseBoolean(s))).toBe(false);
  });

  it.each(['maybe', 'ja', '2', 'tru', 'on'])('rejects %s as a type-error', (s) => {
    expect(problemOf(parseBoolean(s)).code).toBe('type-error');
  });
});
