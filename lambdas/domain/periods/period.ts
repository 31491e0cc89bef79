/**
 * Periods: calendar months, quarters and ISO weeks in the configured IANA time zone. A period is a range of
 * local calendar dates [startDate, endDate); a record falls in it when its date, seen in that zone, does.
 * Ids: `2026-10`, `2026-Q4`, `2026-W43`.
 */
import { DateTime } from 'luxon';
import type { PeriodType } from '../settings.ts';

export interface Period {
  readonly type: PeriodType;
  readonly id: string;
  /** First local date in the period, `YYYY-MM-DD`. */
  readonly startDate: string;
  /** First local date after the period (exclusive). */
  readonly endDate: string;
}

export class PeriodError extends Error {
  override name = 'PeriodError';
}

const MONTH_ID = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_ID = /^(\d{4})-Q([1-4])$/;
const WEEK_ID = /^(\d{4})-W(\d{2})$/;

function fromStart(type: PeriodType, start: DateTime): Period {
  const end = type === 'month' ? start.plus({ months: 1 }) : type === 'quarter' ? start.plus({ months: 3 }) : start.plus({ weeks: 1 });
  const id =
    type === 'month'
      ? start.toFormat('yyyy-MM')
      : type === 'quarter'
        ? `${start.year}-Q${start.quarter}`
        : `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
  return { type, id, startDate: start.toISODate()!, endDate: end.toISODate()! };
}

/** Parses a period id; the type follows from its form. */
export function parsePeriodId(id: string): Period {
  let m = MONTH_ID.exec(id);
  if (m) return fromStart('month', DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: 'utc' }));
  m = QUARTER_ID.exec(id);
  if (m) return fromStart('quarter', DateTime.fromObject({ year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone: 'utc' }));
  m = WEEK_ID.exec(id);
  if (m) {
    const start = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone: 'utc' });
    if (!start.isValid || start.weekYear !== Number(m[1])) throw new PeriodError(`"${id}" is not an ISO week`);
    return fromStart('week', start);
  }
  throw new PeriodError(`"${id}" is not a period id (expected 2026-10, 2026-Q4 or 2026-W43)`);
}

/** The period of a given type that contains a local date (`YYYY-MM-DD`). */
export function periodContaining(type: PeriodType, localDate: string): Period {
  const d = DateTime.fromISO(localDate, { zone: 'utc' });
  if (!d.isValid) throw new PeriodError(`"${localDate}" is not a date`);
  const start = type === 'month' ? d.startOf('month') : type === 'quarter' ? d.startOf('quarter') : d.startOf('week');
  return fromStart(type, start);
}

/** The period just before (n = 1) or n periods before. */
export function previousPeriod(p: Period, n = 1): Period {
  const start = DateTime.fromISO(p.startDate, { zone: 'utc' });
  const back = p.type === 'month' ? { months: n } : p.type === 'quarter' ? { months: 3 * n } : { weeks: n };
  return periodContaining(p.type, start.minus(back).toISODate()!);
}

/** The same period a year before (for weeks: the same ISO week number of the previous week-year, when it exists). */
export function samePeriodLastYear(p: Period): Period {
  if (p.type === 'week') {
    // Not "52 weeks back": after a 53-week year that lands one week off. Week 53 without a match → the last week.
    const [year, week] = p.id.split('-W').map(Number) as [number, number];
    const start = DateTime.fromObject({ weekYear: year - 1, weekNumber: week, weekday: 1 }, { zone: 'utc' });
    if (start.isValid && start.weekYear === year - 1) return fromStart('week', start);
    return previousPeriod(parsePeriodId(`${year}-W01`));
  }
  return periodContaining(p.type, DateTime.fromISO(p.startDate, { zone: 'utc' }).minus({ years: 1 }).toISODate()!);
}

/** The last period that has fully ended at instant `now`, seen in `timezone`: what the scheduled run computes. */
export function lastClosedPeriod(type: PeriodType, now: Date, timezone: string): Period {
  const today = DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
  return previousPeriod(periodContaining(type, today));
}

/** Periods from `from` to `to` inclusive, oldest first. */
export function periodRange(from: Period, to: Period): Period[] {
  if (from.type !== to.type) throw new PeriodError(`a range needs two periods of one type (${from.id}, ${to.id})`);
  if (from.startDate > to.startDate) throw new PeriodError(`${from.id} is after ${to.id}`);
  const out: Period[] = [];
  for (let p = to; p.startDate >= from.startDate; p = previousPeriod(p)) out.unshift(p);
  return out;
}

/** Whether a local date lies in the period. */
export const inPeriod = (p: Period, localDate: string): boolean => localDate >= p.startDate && localDate < p.endDate;

/** Human label: "October 2026", "Q4 2026", "Week 43, 2026". */
export function periodLabel(p: Period): string {
  const start = DateTime.fromISO(p.startDate, { zone: 'utc' }).setLocale('en-US');
  if (p.type === 'month') return start.toFormat('LLLL yyyy');
  if (p.type === 'quarter') return `Q${start.quarter} ${start.year}`;
  return `Week ${start.weekNumber}, ${start.weekYear}`;
}

// ---- local dates as day numbers ----
//
// The KPI engine compares millions of dates with period boundaries. It does so on integers: a local calendar date
// is its day number (days since 1970-01-01), a period is the day numbers [startDay, endDay). A UTC instant becomes
// a local day through the zone's UTC offset at that instant, looked up once per zone and UTC hour (offsets change
// at most once in an hour, and an hour that holds a change is resolved instant by instant), so a daylight-saving
// change moves exactly the instants it should from one local day to the next.

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The `YYYY-MM-DD` of a day number (civil_from_days). */
export function dayToIsoDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** The day number of a `YYYY-MM-DD` local date. */
export const isoDateToDay = (date: string): number => daysFromCivil(digits(date, 0, 4), digits(date, 5, 2), digits(date, 8, 2));

/** The first day and the first day after a period, as day numbers. */
export const periodDays = (p: Period): { readonly startDay: number; readonly endDay: number } =>
  ({ startDay: isoDateToDay(p.startDate), endDay: isoDateToDay(p.endDate) });

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

const HOUR_S = 3600;
/** Per zone: UTC hour → the zone's offset in seconds during that whole hour, or NaN when it changes inside it. */
const offsetCaches = new Map<string, Map<number, number>>();
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'utc', 'Z', 'GMT', 'Etc/GMT']);

function offsetAt(timezone: string, epochSeconds: number): number {
  const minutes = DateTime.fromMillis(epochSeconds * 1000, { zone: timezone }).offset;
  return Number.isFinite(minutes) ? minutes * 60 : 0;
}

/** The zone's UTC offset, in seconds, at an instant given in seconds since the epoch. */
export function zoneOffsetSeconds(timezone: string, epochSeconds: number): number {
  if (UTC_ZONES.has(timezone)) return 0;
  let cache = offsetCaches.get(timezone);
  if (!cache) offsetCaches.set(timezone, (cache = new Map()));
  const hour = Math.floor(epochSeconds / HOUR_S);
  let offset = cache.get(hour);
  if (offset === undefined) {
    const first = offsetAt(timezone, hour * HOUR_S);
    offset = first === offsetAt(timezone, hour * HOUR_S + HOUR_S - 1) ? first : Number.NaN;
    // Bounded: a century of hours is under a million entries, but a cache must not grow without limit.
    if (cache.size > 1_000_000) cache.clear();
    cache.set(hour, offset);
  }
  return Number.isNaN(offset) ? offsetAt(timezone, epochSeconds) : offset;
}

/**
 * The local day number of a normalized value (see validation/values.ts): a local date `YYYY-MM-DD`, a month
 * `YYYY-MM` (its first day), a local date-time `YYYY-MM-DDTHH:mm:ss`, or a UTC instant `YYYY-MM-DDTHH:mm:ssZ`
 * (seen in `timezone`).
 */
export function localDayNumber(value: string, timezone: string): number {
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 2);
  if (value.length === 7) return daysFromCivil(y, m, 1);
  const day = daysFromCivil(y, m, digits(value, 8, 2));
  if (value.charCodeAt(value.length - 1) !== 90 /* Z */) return day;
  const seconds = day * 86_400 + digits(value, 11, 2) * 3600 + digits(value, 14, 2) * 60 + (value.length >= 20 ? digits(value, 17, 2) : 0);
  return Math.floor((seconds + zoneOffsetSeconds(timezone, seconds)) / 86_400);
}

/** The local date of a normalized value (see `localDayNumber`) in a time zone, `YYYY-MM-DD`. */
export function toLocalDate(value: string, timezone: string): string {
  if (!value.endsWith('Z')) return value.length === 7 ? `${value}-01` : value.slice(0, 10);
  return dayToIsoDate(localDayNumber(value, timezone));
}
