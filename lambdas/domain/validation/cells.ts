/**
 * How a file's mapped columns are read: one `ColumnPlan` per column the header maps, worked out once per file
 * from the dataset registry, the header and the settings; `parseCell` reads one cell of a plan.
 */
import type { Settings } from '../settings.ts';
import { normalizeHeader, type ColumnSpec, type DatasetSpec } from '../datasets/registry.ts';
import type { HeaderMapping } from './header.ts';
import type { ValueMap } from './reading.ts';
import type { ErrorCode } from './report.ts';
import { toLocalDate } from '../periods/period.ts';
import {
  currencyMismatch, fastInteger, fastIsoDate, fastMoneyMinor, parseBoolean, parseDateValue, parseInteger, parseMoney, parsePercent, type Parsed,
} from './values.ts';

export type CellValue = string | number | boolean;

/** Why a cell could not be read: the error code and the end of the sentence `"<value>" …`. */
export interface CellProblem {
  readonly code: ErrorCode;
  readonly problem: string;
}

/** How one mapped column of a file is read. */
export interface ColumnPlan {
  readonly name: string;
  /** Where the column is in the file's rows. */
  readonly index: number;
  /** Where the column is in the dataset's columns (the row's values: see row-cells.ts). */
  readonly column: number;
  readonly type: ColumnSpec['type'];
  readonly dateOrder: Settings['dateOrder'];
  /** The reporting time zone: an instant in a date-only column is on its local day there. */
  readonly timezone: string;
  readonly currency: string;
  readonly decimalComma: boolean;
  /** What a blank cell is: an error (required), fine (optional), or the value "unknown" with a warning. */
  readonly blank: 'error' | 'ok' | 'unknown';
  readonly isDate: boolean;
  /** A text column whose value is taken as it is: no parsing, only trimming. */
  readonly isText: boolean;
  /**
   * A text column that identifies a record (its id, a part of its key, a reference to a lead): compared after
   * Unicode normalisation (`normalizeText`). Other text (sources, channels) is only trimmed.
   */
  readonly isKey: boolean;
  /** The file's words for the column's values (a profile's or mapping's vocabulary), read before the value. */
  readonly values: ValueMap | undefined;
  /** Where the last day goes when a cell holds a range of days (`DatasetSpec.dayRange`): the end column's plan. */
  readonly rangeEnd: ColumnPlan | undefined;
  /**
   * Dash dates with the year last are read (in `dateOrder`): the file's mapping or profile says its date order, or
   * the settings say DMY (not the default, so someone chose it).
   */
  readonly dashDates: boolean;
  /** Where else the file writes this column, under the same header (`HeaderMapping.repeats`): every copy must agree. */
  readonly alsoAt: readonly number[] | undefined;
}

const DATE_TYPES: ReadonlySet<ColumnSpec['type']> = new Set(['datetime', 'date', 'day-or-month']);

/** The plans of the columns a header maps, in the registry's column order. */
export function planColumns(
  spec: DatasetSpec, mapping: HeaderMapping, settings: Settings, decimalComma: boolean, values?: Readonly<Record<string, ValueMap>>,
  fileDateOrder = false,
): ColumnPlan[] {
  const dashDates = fileDateOrder || settings.dateOrder === 'DMY';
  const plans: ColumnPlan[] = [];
  const planOf = (column: ColumnSpec, i: number, index: number, rangeEnd?: ColumnPlan): ColumnPlan => ({
    name: column.name, index, column: i, type: column.type, dateOrder: settings.dateOrder, timezone: settings.timezone, currency: settings.currency, decimalComma,
    blank: blankRule(spec, column), isDate: DATE_TYPES.has(column.type), isText: column.type === 'text',
    isKey: column.name === spec.idColumn || column.name === 'lead_id' || spec.uniqueKey.includes(column.name),
    // Always present (undefined or not): every plan has one shape, so the row loop's reads stay monomorphic.
    values: values?.[column.name], rangeEnd, dashDates, alsoAt: mapping.repeats[column.name],
  });
  const range = spec.dayRange;
  const endAt = range ? spec.columns.findIndex((c) => c.name === range.end) : -1;
  const startHeader = normalizeHeader(range ? mapping.headers[range.start] ?? '' : '');
  const endRead = range !== undefined && range.endOnlyWith.some((h) => normalizeHeader(h) === startHeader);
  spec.columns.forEach((column, i) => {
    const index = column.name === range?.end && !endRead ? undefined : mapping.index[column.name];
    if (index === undefined) return;
    // The end of a range is set from the start's cell, read as the end column is (mapped or not).
    const rangeEnd = range && endAt >= 0 && column.name === range.start ? planOf(spec.columns[endAt]!, endAt, endRead ? mapping.index[range.end] ?? -1 : -1) : undefined;
    plans.push(planOf(column, i, index, rangeEnd));
  });
  return plans;
}

function blankRule(spec: DatasetSpec, column: ColumnSpec): ColumnPlan['blank'] {
  if (!column.required) return 'ok';
  // A lead with no source still counts, as "unknown"; an opportunity's status can be derived (`build` decides).
  if (spec.name === 'leads' && column.name === 'source') return 'unknown';
  if (spec.name === 'opportunities' && column.name === 'status') return 'ok';
  return 'error';
}

const fromParsed = <T extends CellValue>(p: Parsed<T>): T | CellProblem => (p.ok ? p.value : p);

const SQL_STATUS: ReadonlyMap<string, string> = new Map([
  ...['accepted', 'yes', 'true', '1', 'y'].map((w) => [w, 'accepted'] as const),
  ...['rejected', 'no', 'false', '0', 'n', 'unqualified'].map((w) => [w, 'rejected'] as const),
  ['pending', 'pending'],
]);

/** An amount with a decimal comma (`59,78`, `1.234,50`): read only where a profile or mapping says the file writes them. */
const DECIMAL_COMMA = /^[^\d,]*(\d{1,3}([.\s\u00a0\u202f']\d{3})+|\d+),\d{1,2}[^\d,]*$/;
const DECIMAL_COMMA_PROBLEM: CellProblem = {
  code: 'type-error',
  problem: 'is not an amount here: the file is not known to write decimal commas. If "," is its decimal separator, say so in ' +
    'mapping.json: "decimalSeparator": ","',
};

/** Reads a cell of a mapped column (trimmed, not blank) as the column's type. */
export function parseCell(plan: ColumnPlan, raw: string): CellValue | CellProblem {
  switch (plan.type) {
    case 'text':
      return normalizeText(raw);
    case 'datetime':
      return fastIsoDate(raw, false) ?? fromParsed(parseDateValue(raw, plan.dateOrder, { dashes: plan.dashDates }));
    case 'date':
    case 'day-or-month': {
      const v = fastIsoDate(raw, false) ?? fromParsed(parseDateValue(raw, plan.dateOrder, { allowMonth: plan.type === 'day-or-month', dashes: plan.dashDates }));
      return typeof v === 'string' ? localDateValue(v, plan.timezone) : v;
    }
    case 'money': {
      const fast = fastMoneyMinor(raw);
      if (fast >= 0) return fast;
      const r = parseMoney(raw, { decimalComma: plan.decimalComma });
      if (!r.ok) return plan.decimalComma || !DECIMAL_COMMA.test(raw) ? r : DECIMAL_COMMA_PROBLEM;
      const mismatch = currencyMismatch(r.value, plan.currency);
      return mismatch ? { code: 'currency-mismatch', problem: mismatch } : r.value.minor;
    }
    case 'integer': {
      const fast = fastInteger(raw);
      return fast >= 0 ? fast : fromParsed(parseInteger(raw, { decimalComma: plan.decimalComma }));
    }
    case 'boolean':
      return fromParsed(parseBoolean(raw));
    case 'percent':
      return fromParsed(parsePercent(raw));
    case 'sql-status':
      return SQL_STATUS.get(raw.toLowerCase())
        ?? { code: 'constraint-error', problem: 'is not an SQL status (accepted, rejected, pending)' };
    case 'currency': {
      const c = raw.toUpperCase();
      if (!/^[A-Z]{3}$/.test(c)) return { code: 'type-error', problem: 'is not an ISO 4217 currency code' };
      if (c !== plan.currency) return { code: 'currency-mismatch', problem: `differs from the configured currency ${plan.currency}` };
      return c;
    }
  }
}

/**
 * Characters that show nothing: soft hyphen, Mongolian vowel separator, zero-width space and joiners, direction
 * marks and embeddings, word joiner and invisible operators, direction isolates, BOM.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Text as it is compared and stored: Unicode NFC (a composed `é` and `e` + combining accent are one spelling),
 * without invisible characters, so `José` typed two ways, or `L1` with a zero-width space pasted after it, are
 * one id, not two records. Plain ASCII (nearly every cell) is returned as it is.
 */
export function normalizeText(s: string): string {
  // A loop, not a regular expression: it runs on every text cell, nearly all short and ASCII.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return s.replace(INVISIBLE, '').normalize('NFC');
  }
  return s;
}

/**
 * The date a date-only column keeps of a value: a month stays a month; an instant (`…Z`, read from a value with
 * an offset) is on its local day in the reporting time zone, as the same instant in a date-time column is; a
 * local date-time keeps its date. One rule everywhere: the same instant never lands on two different days.
 */
export function localDateValue(value: string, timezone: string): string {
  if (value.length === 7) return value;
  return value.endsWith('Z') ? toLocalDate(value, timezone) : value.slice(0, 10);
}

/** Whether a cell needs trimming: it starts or ends with white space, a control character, NBSP or a BOM. */
function untrimmed(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a <= 32 || b <= 32 || a === 0xa0 || b === 0xa0 || a === 0xfeff || b === 0xfeff;
}

/** The cell without surrounding white space; the same string when there is none (most cells). */
export const trimmed = (s: string): string => (untrimmed(s) ? s.trim() : s);
