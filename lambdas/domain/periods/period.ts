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

/** The local date of a normalized value (see validation/values.ts) in a time zone. */
export function toLocalDate(value: string, timezone: string): string {
  if (!value.endsWith('Z')) return value.length === 7 ? `${value}-01` : value.slice(0, 10);
  const key = `${timezone}|${value}`;
  let d = localDateCache.get(key);
  if (d === undefined) {
    d = DateTime.fromISO(value, { zone: 'utc' }).setZone(timezone).toISODate() ?? value.slice(0, 10);
    // Bounded: exports repeat timestamps a lot, but a cache must not grow with the file.
    if (localDateCache.size > 50_000) localDateCache.clear();
    localDateCache.set(key, d);
  }
  return d;
}
const localDateCache = new Map<string, string>();
