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

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : MONTH_DAYS[m] ?? 31;
}

function isValidDate(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const isoDate = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;

/** The value of the ASCII digits `s[at..at+n)`, or -1 when one is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The characters of the value `fastIsoDate` is reading (a scratch buffer: one read of each character). */
const ISO_CHARS = new Uint8Array(20);

/**
 * The forms nearly every export uses, read without a regular expression or an allocation beyond the result:
 * `YYYY-MM-DD`, and that followed by `T` or a space and `HH:mm`, `HH:mm:ss` or `HH:mm:ssZ`. Returns the
 * normalized value, or undefined when `s` is anything else (valid or not): `parseDateValue` then decides.
 *
 * A tight loop copies the characters into `ISO_CHARS` first, and the checks read them from there: reading each
 * with `charCodeAt` made this function's machine code 7 KB (every read handles every kind of string), and the
 * validation's hot code then fitted the processor's instruction cache less well.
 */
export function fastIsoDate(s: string, dateOnly: boolean): string | undefined {
  const n = s.length;
  if (n !== 10 && n !== 16 && n !== 19 && n !== 20) return undefined;
  const ch = ISO_CHARS;
  for (let i = 0; i < n; i++) ch[i] = s.charCodeAt(i); // above 0xff wraps, and is then no digit nor separator
  if (ch[4] !== 45 || ch[7] !== 45) return undefined;
  // One unsigned comparison per digit: a character below '0' wraps to a large number.
  const y0 = ch[0]! - 48, y1 = ch[1]! - 48, y2 = ch[2]! - 48, y3 = ch[3]! - 48;
  const m0 = ch[5]! - 48, m1 = ch[6]! - 48, d0 = ch[8]! - 48, d1 = ch[9]! - 48;
  if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (m0 >>> 0) > 1 || (m1 >>> 0) > 9 || (d0 >>> 0) > 3 || (d1 >>> 0) > 9) {
    return undefined;
  }
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > (mo === 2 ? daysInMonth(y, 2) : MONTH_DAYS[mo]!)) return undefined;
  if (n === 10) return s;
  const sep = ch[10]!;
  if ((sep !== 84 /* T */ && sep !== 32) || ch[13] !== 58) return undefined;
  const h0 = ch[11]! - 48, h1 = ch[12]! - 48, i0 = ch[14]! - 48, i1 = ch[15]! - 48;
  if ((h0 >>> 0) > 2 || (h1 >>> 0) > 9 || (i0 >>> 0) > 5 || (i1 >>> 0) > 9 || h0 * 10 + h1 > 23) return undefined;
  if (n >= 19) {
    const s0 = ch[17]! - 48, s1 = ch[18]! - 48;
    if (ch[16] !== 58 || (s0 >>> 0) > 5 || (s1 >>> 0) > 9) return undefined;
    if (n === 20 && ch[19] !== 90 /* Z */) return undefined;
  }
  if (dateOnly) return s.slice(0, 10);
  if (sep === 84 && n >= 19) return s; // already `YYYY-MM-DDTHH:mm:ss` or `…Z`
  if (n === 20) return `${s.slice(0, 10)}T${s.slice(11, 20)}`;
  // One flat string from the character codes: joining slices makes a rope that is copied again when first read
  // (by a date comparison or the record encoder), which measured twice the cost over a million rows.
  return String.fromCharCode(
    ch[0]!, ch[1]!, ch[2]!, ch[3]!, 45, ch[5]!, ch[6]!, 45, ch[8]!, ch[9]!, 84, ch[11]!, ch[12]!, 58, ch[14]!, ch[15]!, 58,
    n === 16 ? 48 : ch[17]!, n === 16 ? 48 : ch[18]!,
  );
}

/** The largest whole amount whose minor units (× 100, plus cents) are still an exact (safe) integer. */
const MAX_FAST_UNITS = Math.floor(Number.MAX_SAFE_INTEGER / 100) - 1;

/**
 * Plain money (`1234`, `1234.5`, `1234.50`: digits and at most one point with one or two decimals) in minor
 * units, without a regular expression; -1 for anything else, which `parseMoney` then reads.
 */
export function fastMoneyMinor(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === 0) return -1;
  // Past 2^53 minor units a number is no longer exact: `parseMoney` says the amount is too large.
  if (v > MAX_FAST_UNITS) return -1;
  if (i === n) return v * 100;
  if (s.charCodeAt(i) !== 46 /* . */ || n - i - 1 < 1 || n - i - 1 > 2) return -1;
  const d1 = s.charCodeAt(i + 1) - 48;
  const d2 = n - i - 1 === 2 ? s.charCodeAt(i + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  return v * 100 + d1 * 10 + d2;
}

/** A plain whole number (ASCII digits only, up to 15 of them); -1 for anything else. */
export function fastInteger(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  return digitsAt(s, 0, n);
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
/** Slash dates, and dash dates with the year last (`16-04-2024`, as Excel re-saves them): read in the configured order. */
const SLASH_RE = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
/** Dotted dates (`05.10.2026`) are day-first in every locale that writes them, whatever the configured order. */
const DOTTED_RE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
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
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2));
    // Real offsets run from -12:00 to +14:00; anything past ±14:00 (or 60 minutes) is a typo, not a zone.
    if (minutes > 59 || hours * 60 + minutes > 14 * 60) return typeError(`has the offset ${offset}, beyond ±14:00`);
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  // Date.UTC does arithmetic only here (no string parsing): local wall time minus its offset is UTC.
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm, ss) - offsetMinutes * 60_000);
  return ok(t.toISOString().slice(0, 19) + 'Z');
}

/**
 * Reads a date or timestamp. `dateOnly` drops any time part (for columns that are dates).
 * Month values (`2026-10`) are accepted only when `allowMonth` is set, as `YYYY-MM`; dash dates with the year last
 * (`16-04-2026`) only when `dashes` is (the file's date order is known: see `ColumnPlan.dashDates`).
 */
export function parseDateValue(
  raw: string,
  dateOrder: DateOrder,
  opts: { dateOnly?: boolean; allowMonth?: boolean; dashes?: boolean } = {},
): Parsed<string> {
  const s = raw.trim();
  const fast = fastIsoDate(s, opts.dateOnly === true);
  if (fast !== undefined) return ok(fast);
  let m = ISO_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    if (m[4] === undefined) return ok(isoDate(y, mo, d));
    // A date column drops the time, but a time that cannot be is still an error.
    const withT = withTime(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[8]);
    return withT.ok && opts.dateOnly ? ok(isoDate(y, mo, d)) : withT;
  }
  m = COMPACT_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    return ok(isoDate(y, mo, d));
  }
  m = DOTTED_RE.exec(s);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date (dotted dates are read day first: DD.MM.YYYY)');
    if (m[4] === undefined) return ok(isoDate(y, mo, d));
    const withT = withTime(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), undefined);
    return withT.ok && opts.dateOnly ? ok(isoDate(y, mo, d)) : withT;
  }
  m = SLASH_RE.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = Number(m[4]);
    // Dash dates are written day first and month first alike: read only in an order said for the file.
    if (m[2] === '-' && !opts.dashes) {
      return typeError('has dashes and the year last, which tools write day first and month first alike: say which in mapping.json, ' +
        `"dateOrder": "DMY" (day first) or "MDY" (month first)${a > 12 ? '; this one can only be day first' : b > 12 ? '; this one can only be month first' : ''}`);
    }
    const [mo, d] = dateOrder === 'MDY' ? [a, b] : [b, a];
    if (mo > 12 && d <= 12) {
      const sep = m[2]!;
      const other = dateOrder === 'MDY' ? `D${sep}M${sep}YYYY` : `M${sep}D${sep}YYYY`;
      return typeError(`has no month ${mo}: the file's ${sep === '/' ? 'slash' : 'dash'} dates look like ${other}; set the date order to ${dateOrder === 'MDY' ? 'DMY' : 'MDY'}`);
    }
    if (!isValidDate(y, mo, d)) return typeError('is not a calendar date');
    if (m[5] === undefined) return ok(isoDate(y, mo, d));
    let hh = Number(m[5]);
    const ampm = m[8]?.toLowerCase();
    if (ampm) {
      if (hh < 1 || hh > 12) return typeError('is not a valid 12-hour time');
      hh = (hh % 12) + (ampm === 'pm' ? 12 : 0);
    }
    const withT = withTime(y, mo, d, hh, Number(m[6]), Number(m[7] ?? 0), undefined);
    return withT.ok && opts.dateOnly ? ok(isoDate(y, mo, d)) : withT;
  }
  // Microsoft Advertising's hourly time unit writes the day and the hour: `2026-10-05|13`.
  if (/^\d{4}-\d{2}-\d{2}\|\d{1,2}$/.test(s)) return typeError('is an hour of a day (an hourly report): export the report with a daily time unit');
  if (opts.allowMonth) {
    m = MONTH_RE.exec(s);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return ok(`${m[1]}-${m[2]}`);
  }
  return typeError(
    `is not a date (expected YYYY-MM-DD, YYYY-MM-DD HH:mm, YYYYMMDD, DD.MM.YYYY or ${dateOrder === 'MDY' ? 'M/D/YYYY or M-D-YYYY' : 'D/M/YYYY or D-M-YYYY'})`,
  );
}

// Thousands may be grouped with spaces of any kind: French exports write a (narrow) no-break space, `1 234,56`.
const MONEY_RE = /^([A-Z]{3})?\s*([-−]?)\s*([$€£¥₹₩])?\s*([-−]?)([\d.,' \u00a0\u202f]*\d(?:[.,]\d+)?)\s*([$€£¥₹₩])?\s*([A-Z]{3})?$/;

/** The currencies a symbol can stand for: `$` is the sign of many dollars (and pesos), `¥` of yen and yuan. */
const SYMBOL_CURRENCIES: Readonly<Record<string, readonly string[]>> = {
  $: ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'ARS', 'CLP', 'COP', 'TWD'],
  '€': ['EUR'], '£': ['GBP'], '¥': ['JPY', 'CNY'], '₹': ['INR'], '₩': ['KRW'],
};

/**
 * Whether money written with `symbol` and/or `code` can be in `currency`; undefined when it can, else the
 * problem (for a `currency-mismatch`). A bare amount is in the configured currency.
 */
export function currencyMismatch(written: { currency?: string; symbol?: string }, currency: string): string | undefined {
  if (written.currency && written.currency !== currency) return `is in ${written.currency}, the configured currency is ${currency}`;
  if (written.symbol && !SYMBOL_CURRENCIES[written.symbol]?.includes(currency)) {
    const could = SYMBOL_CURRENCIES[written.symbol]!;
    return `is in ${could.length === 1 ? could[0] : `${written.symbol} (${could.slice(0, 3).join(', ')}…)`}, the configured currency is ${currency}`;
  }
  return undefined;
}

/**
 * Reads money into integer minor units. `decimalComma` (files with `;` delimiters) reads `1.234,50`.
 * Returns the currency code written in the cell, if any, for the caller to check.
 */
export function parseMoney(
  raw: string,
  opts: { decimalComma?: boolean; minorDigits?: number } = {},
): Parsed<{ minor: number; currency?: string; symbol?: string }> {
  const s = raw.trim();
  const m = MONEY_RE.exec(s);
  if (!m) return typeError('is not an amount of money');
  const negative = m[2] !== '' || m[4] !== '';
  // `USD 5 EUR` or `$5€` name two currencies: which one is meant cannot be told.
  if (m[1] && m[7] && m[1] !== m[7]) return typeError(`names two currencies (${m[1]} and ${m[7]})`);
  if (m[3] && m[6]) return typeError('has two currency signs');
  const currency = m[1] ?? m[7];
  const symbol = m[3] ?? m[6];
  if (currency && symbol && !SYMBOL_CURRENCIES[symbol]?.includes(currency)) return typeError(`names two currencies (${symbol} and ${currency})`);
  let digits = (m[5] ?? '').replace(/[' \u00a0\u202f]/g, '');
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
  return ok({ minor, ...(currency ? { currency } : {}), ...(symbol ? { symbol } : {}) });
}

/** Spaces that group thousands: a space, a no-break space, a narrow no-break space, an apostrophe (Swiss). */
const SPACE_GROUPS = /^\d{1,3}([ \u00a0\u202f']\d{3})+$/;

/**
 * Reads a count. Thousands may be grouped with `,` (`1,234`), or with `.` when `decimalComma` is set (files
 * with `;` delimiters write `1.234`), or with spaces (`1 234`) in either.
 */
export function parseInteger(raw: string, opts: { decimalComma?: boolean } = {}): Parsed<number> {
  const t = raw.trim();
  const fast = fastInteger(t);
  if (fast >= 0) return ok(fast);
  const negative = t.startsWith('-') || t.startsWith('−');
  const body = negative ? t.slice(1).trimStart() : t;
  const group = opts.decimalComma ? '.' : ',';
  let digits: string | undefined;
  if (/^\d+$/.test(body)) digits = body;
  else if (new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(body)) digits = body.split(group).join('');
  else if (SPACE_GROUPS.test(body)) digits = body.replace(/\D/g, '');
  if (digits === undefined) return typeError('is not a whole number');
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return typeError('is too large a number');
  if (negative && n !== 0) return constraintError('is negative: counts must be 0 or more');
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
