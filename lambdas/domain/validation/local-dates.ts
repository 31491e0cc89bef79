/**
 * The date comparisons of one file, as the registry's row rules call them (`BuildContext`), and the future-date
 * check. Date values are local `YYYY-MM-DD…` (their first 10 characters are the local date), a month `YYYY-MM`,
 * or UTC instants ending in Z, which need a time-zone lookup outside UTC.
 */
import type { BuildContext } from '../datasets/registry.ts';
import { isoDateToDay, localDayNumber } from '../periods/period.ts';
import type { Settings } from '../settings.ts';

const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

export class LocalDates implements BuildContext {
  private readonly timezone: string;
  private readonly utc: boolean;
  private readonly limitDay: number;
  /**
   * A local value is on a later day than `limit` exactly when it sorts after `limit` + '~': a normalized value
   * goes on with 'T' at most, which sorts before '~', and the next day sorts after it. One string comparison.
   */
  private readonly limitText: string;

  /** `limit`: the last local day (`YYYY-MM-DD`) a value may be on without being in the future. */
  constructor(readonly settings: Settings, limit: string) {
    this.timezone = settings.timezone;
    this.utc = UTC_ZONES.has(settings.timezone);
    this.limitDay = isoDateToDay(limit);
    this.limitText = `${limit}~`;
  }

  localDay(value: string): number {
    return localDayNumber(value, this.timezone);
  }

  before(a: string, b: string): boolean {
    return this.needsZone(a) || this.needsZone(b) ? this.localDay(a) < this.localDay(b) : localDateBefore(a, b);
  }

  /** Whether a date value is on a day after the limit. */
  isFuture(value: string): boolean {
    return this.needsZone(value) ? this.localDay(value) > this.limitDay : value > this.limitText;
  }

  private needsZone(value: string): boolean {
    return !this.utc && value.endsWith('Z');
  }
}

/**
 * Whether local date value `a` is on an earlier day than `b` (both `YYYY-MM-DD…` or `YYYY-MM`, a month meaning
 * its first day): their first ten characters compare as text, a month reading as its `-01`. Compared in place:
 * it runs for every date pair of every row, so it makes no strings.
 */
export function localDateBefore(a: string, b: string): boolean {
  if (a.length === 10 && b.length === 10) return a < b;
  for (let i = 0; i < 10; i++) {
    const ca = dayChar(a, i);
    const cb = dayChar(b, i);
    if (ca !== cb) return ca < cb;
  }
  return false;
}

/** Character `i` of a value's day: a month `YYYY-MM` reads as `YYYY-MM-01`. */
function dayChar(v: string, i: number): number {
  if (i < v.length) return v.charCodeAt(i);
  return i === 7 ? 45 /* - */ : i === 8 ? 48 /* 0 */ : 49 /* 1 */;
}
