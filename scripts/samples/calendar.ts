/**
 * The fixed month range of the samples and the UTC calendar arithmetic the simulation and the
 * writers share. The range includes PRE_HISTORY_MONTHS before FIRST_MONTH whose leads are not
 * written, so deals and customers already flow when the first file starts.
 */

/** First month that has sample files. */
export const FIRST_MONTH = '2025-09';
/** Last (latest closed) month that has sample files. */
export const LAST_MONTH = '2026-10';
/** No date in the samples lies after this day (except open opportunities' expected close dates). */
export const RANGE_END_DATE = '2026-10-31';
/** Months of simulated history before FIRST_MONTH: their leads are not written, but their deals and customers flow into the range. */
export const PRE_HISTORY_MONTHS = 6;
export const DEFAULT_SEED = 20261055;

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export interface Month {
  id: string; // YYYY-MM
  year: number;
  month: number; // 1..12
  index: number; // 0 = FIRST_MONTH, negative = pre-history
  startMs: number;
  endMs: number; // exclusive: first instant of next month
  days: number;
}

function monthFrom(year: number, month: number, index: number): Month {
  const startMs = Date.UTC(year, month - 1, 1);
  const endMs = Date.UTC(year, month, 1);
  return {
    id: `${year}-${String(month).padStart(2, '0')}`,
    year,
    month,
    index,
    startMs,
    endMs,
    days: Math.round((endMs - startMs) / DAY_MS),
  };
}

function buildMonths(): Month[] {
  const [fy, fm] = FIRST_MONTH.split('-').map(Number) as [number, number];
  const [ly, lm] = LAST_MONTH.split('-').map(Number) as [number, number];
  const out: Month[] = [];
  let y = fy;
  let m = fm;
  for (let i = 0; i < PRE_HISTORY_MONTHS; i++) {
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  let index = -PRE_HISTORY_MONTHS;
  for (;;) {
    out.push(monthFrom(y, m, index));
    if (y === ly && m === lm) break;
    index += 1;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export const ALL_MONTHS = buildMonths();
/** The months that get files, oldest first. */
export const SAMPLE_MONTHS: readonly string[] = ALL_MONTHS.filter((m) => m.index >= 0).map((m) => m.id);
/** First instant after the range (2026-11-01T00:00Z). */
export const END_EXCL = (ALL_MONTHS[ALL_MONTHS.length - 1] as Month).endMs;
export const RANGE_START = (ALL_MONTHS.find((m) => m.index === 0) as Month).startMs;

export function monthOf(ms: number): Month {
  const m = ALL_MONTHS.find((x) => ms >= x.startMs && ms < x.endMs);
  if (!m) throw new Error(`no month for ${new Date(ms).toISOString()}`);
  return m;
}

export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
export const weekday = (ms: number) => new Date(ms).getUTCDay(); // 0 = Sunday
