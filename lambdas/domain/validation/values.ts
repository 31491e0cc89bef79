/**
 * Parsers for the cell formats of exports.md. Each returns a normalized value or a `ValueProblem`; none of
 * them uses `Date.parse` (which accepts 30 February) or floating point for money.
 *
 * Normalized forms:
 * - a date-only value is a local date `YYYY-MM-DD` (in the reporting time zone);
 * - a timestamp without offset is a local date-time `YYYY-MM-DDTHH:mm:ss`;
 * - a timestamp with an offset is converted to a UTC instant `YYYY-MM-DDTHH:mm:ssZ`;
 * - money is an integer count of minor units (cents), so sums are exact.
 */
import type { DateOrder } from '../settings.ts';

export interface ValueProblem {
  readonly problem: string;
  /** 'type-error' for an unreadable value, 'constraint-error' for a readable one out of bounds. */
  readonly code: 'type-error' | 'constraint-error';
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & ValueProblem);

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const typeError = (problem: string): Parsed<never> => ({ ok: false, code: 'type-error', problem });
const constraintError = (problem: string): Parsed<never> => ({ ok: false, code: 'constraint-error', problem });

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isValidDate(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const isoDate = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_RE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

function withTime(
  y: number, m: number, d: number, hh: number, mm: number, ss: number, offset: string | undefined,
): Parsed<string> {
  if (hh > 23 || mm > 59 || ss > 59) return typeError('is not a valid time of day');
  if (offset === undefined) return ok(`${isoDate(y, m, d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`);
  let offsetMinutes = 0;
  if (!/^(z|utc)$/i.test(offset)) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  // Date.UTC does arithmetic only here (no string parsing): local wall time minus its offset is UTC.
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm, ss) - offsetMinutes * 60_000);
  return ok(t.toISOString().slice(0, 19) + 'Z');
}

/**
 * Reads a date or timestamp. `dateOnly` drops any time part (for columns that are dates).
 * Month values (`2026-10`) are accepted only when `allowMonth` is set, as `YYYY-MM`.
 */
export function parseDateValue(
  raw: string,
  dateOrder: DateOrder,
  opts: { dateOnly?: boolean; allowMonth?: boolean } = {},
): Parsed<string> {
  const s = raw.trim();
  let m = ISO_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    if (m[4] === undefined || opts.dateOnly) return ok(isoDate(y, mo, d));
    return withTime(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[8]);
  }
  m = COMPACT_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    return ok(isoDate(y, mo, d));
  }
  m = SLASH_RE.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = Number(m[3]);
    const [mo, d] = dateOrder === 'MDY' ? [a, b] : [b, a];
    if (mo > 12 && d <= 12) {
      const other = dateOrder === 'MDY' ? 'D/M/YYYY' : 'M/D/YYYY';
      return typeError(`has no month ${mo}: the file's slash dates look like ${other}; set the date order to ${dateOrder === 'MDY' ? 'DMY' : 'MDY'}`);
    }
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    if (m[4] === undefined || opts.dateOnly) return ok(isoDate(y, mo, d));
    let hh = Number(m[4]);
    const ampm = m[7]?.toLowerCase();
    if (ampm) {
      if (hh < 1 || hh > 12) return typeError('is not a valid 12-hour time');
      hh = (hh % 12) + (ampm === 'pm' ? 12 : 0);
    }
    return withTime(y, mo, d, hh, Number(m[5]), Number(m[6] ?? 0), undefined);
  }
  if (opts.allowMonth) {
    m = MONTH_RE.exec(s);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return ok(`${m[1]}-${m[2]}`);
  }
  return typeError(
    `is not a date (expected YYYY-MM-DD, YYYY-MM-DD HH:mm, YYYYMMDD or ${dateOrder === 'MDY' ? 'M/D/YYYY' : 'D/M/YYYY'})`,
  );
}

const MONEY_RE = /^([A-Z]{3})?\s*([-−]?)\s*([$€£¥])?\s*([-−]?)([\d.,' ]*\d(?:[.,]\d+)?)\s*([A-Z]{3})?$/;

/**
 * Reads money into integer minor units. `decimalComma` (files with `;` delimiters) reads `1.234,50`.
 * Returns the currency code written in the cell, if any, for the caller to check.
 */
export function parseMoney(
  raw: string,
  opts: { decimalComma?: boolean; minorDigits?: number } = {},
): Parsed<{ minor: number; currency?: string }> {
  const s = raw.trim();
  const m = MONEY_RE.exec(s);
  if (!m) return typeError('is not an amount of money');
  const negative = m[2] !== '' || m[4] !== '';
  const currency = m[1] ?? m[6];
  let digits = (m[5] ?? '').replace(/[' ]/g, '');
  // A `;` file may still write `1234.50` or `1,234.50`: a point that is the last separator and not a
  // thousands group (`1.234`) is a decimal point.
  const lastPoint = digits.lastIndexOf('.');
  const pointIsDecimal = lastPoint > digits.lastIndexOf(',') && !/^\d{1,3}(\.\d{3})+$/.test(digits);
  const decimalComma = opts.decimalComma === true && !pointIsDecimal;
  const decimalSep = decimalComma ? ',' : '.';
  const groupSep = decimalComma ? '.' : ',';
  // Group separators must sit between groups of three digits.
  const [intPartRaw, fracPart, extra] = digits.split(decimalSep);
  if (extra !== undefined || intPartRaw === undefined) return typeError('is not an amount of money');
  if (intPartRaw.includes(groupSep) && !new RegExp(`^\\d{1,3}(\\${groupSep}\\d{3})+$`).test(intPartRaw)) {
    return typeError('is not an amount of money (misplaced thousands separator)');
  }
  const intPart = intPartRaw.split(groupSep).join('');
  const minorDigits = opts.minorDigits ?? 2;
  const frac = fracPart ?? '';
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(frac)) return typeError('is not an amount of money');
  if (frac.length > minorDigits && /[1-9]/.test(frac.slice(minorDigits))) {
    // Sub-cent amounts are rounded half-up to the cent, not rejected: ad platforms export them.
  }
  digits = intPart + frac.padEnd(minorDigits, '0').slice(0, minorDigits);
  let minor = Number(digits);
  if (frac.length > minorDigits && Number(frac[minorDigits]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return typeError('is too large an amount');
  if (negative && minor !== 0) return constraintError('is negative: amounts must be 0 or more');
  return ok(currency ? { minor, currency } : { minor });
}

export function parseInteger(raw: string): Parsed<number> {
  const s = raw.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^[-−]?\d+$/.test(s)) return typeError('is not a whole number');
  const n = Number(s.replace('−', '-'));
  if (!Number.isSafeInteger(n)) return typeError('is too large a number');
  if (n < 0) return constraintError('is negative: counts must be 0 or more');
  return ok(n);
}

/** `0.42`, `42%`, `42 %` → 0.42. A bare number above 1 is read as a percent only when it has a % sign. */
export function parsePercent(raw: string): Parsed<number> {
  const s = raw.trim();
  const m = /^(\d+(?:[.,]\d+)?)\s*(%?)$/.exec(s);
  if (!m) return typeError('is not a fraction or a percent');
  const n = Number((m[1] ?? '').replace(',', '.'));
  const v = m[2] ? n / 100 : n;
  if (v < 0 || v > 1) return constraintError('is not between 0 and 100%');
  return ok(v);
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

export function parseBoolean(raw: string): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return typeError('is not a yes/no value (true/false, yes/no, y/n, 1/0)');
}

/** The local date (`YYYY-MM-DD`) of a normalized date value; `toLocal` converts UTC instants to the zone. */
export function localDateOf(value: string, toLocal: (instant: string) => string): string {
  return value.endsWith('Z') ? toLocal(value) : value.slice(0, 10);
}
