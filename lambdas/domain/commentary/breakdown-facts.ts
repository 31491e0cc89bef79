/**
 * What a KPI's breakdown by one dimension says, with enough volume to mean it: the values that stand out from the
 * all-values figure, better or worse.
 *
 * How volume is judged (docs/scorecard.md, "Breakdowns"):
 * - Pooling. A rep closes a handful of deals a month; one month says little. The latest periods are pooled, one,
 *   then three, then six months (quarters: 1, 2; weeks: 1, 4, 13), until the KPI's all-values denominator reaches
 *   `POOL_MIN` (200 closed deals, leads, …), at most the longest step. Numerators and denominators add up over
 *   periods, so a pooled value is exact (17 of 30 deals over May–Oct), and the choice depends on volume only,
 *   never on what the values are.
 * - Rates (win rate): the value's 95% Wilson score interval lies wholly above or below the all-values rate, and
 *   its denominator is at least `MIN_COUNT`: 1 win of 1 deal (interval 21%–100%) is never "best".
 * - Costs per unit (cost per lead): a value's leads are compared with what its spend would have bought at the
 *   all-values cost (Poisson: the gap is at least 1.96 × √expected), with at least `MIN_COUNT` leads got or
 *   expected. A value with no spend is not ranked (its cost per lead of 0 says nothing about cost).
 * - Averages (deal size): the value's average is at least 1.96 standard errors from the all-values average, the
 *   standard error taken from the spread of all deals of the pooled periods (the KPI keeps Σ amount² in its
 *   detail), with at least `MIN_COUNT` deals. Without that spread (values stored before it was kept), nothing is
 *   judged.
 * `unknown` (a blank cell) is counted in the all-values figure but is never a best or a worst.
 */
import type { MetricDefinition } from '../metrics/registry.ts';
import type { Dimension } from '../metrics/dimensions.ts';
import type { PeriodType } from '../settings.ts';
import type { KpiFacts, PeriodName } from './types.ts';

/** Periods pooled, shortest first, by period type. */
export const POOL_STEPS: Readonly<Record<PeriodType, readonly number[]>> = { month: [1, 3, 6], quarter: [1, 2], week: [1, 4, 13] };
/** The all-values denominator a pool aims for. */
export const POOL_MIN = 200;
/** The least volume (denominator; for costs, units got or expected) a value needs to be ranked. */
export const MIN_COUNT = 10;
/** 95%, two-sided. */
export const Z = 1.96;
export type StandoutTest = 'rate' | 'cost' | 'average';

/** How a KPI's values are judged, from its registry entry; undefined for a KPI that is a sum (revenue, leads). */
export function standoutTest(def: Pick<MetricDefinition, 'unit' | 'better'>): StandoutTest | undefined {
  if (def.unit === 'rate') return 'rate';
  if (def.unit === 'money') return def.better === 'down' ? 'cost' : 'average';
  return undefined;
}

/** The 95% Wilson score interval of k successes in n trials. */
export function wilson(k: number, n: number, z = Z): { lo: number; hi: number } {
  if (n === 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const d = 1 + z2 / n;
  return { lo: Math.max(0, (centre - half) / d), hi: Math.min(1, (centre + half) / d) };
}

export interface PooledValue {
  readonly key: string;
  /** As first written (the latest period's label). */
  readonly label: string;
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  /** Better or worse than the all-values figure with enough volume to say; undefined when in line or too small. */
  readonly standsOut?: 'better' | 'worse';
  /** Enough volume to be judged at all. */
  readonly judged: boolean;
}

export interface BreakdownFacts {
  readonly def: MetricDefinition;
  readonly dimension: Dimension;
  readonly test: StandoutTest;
  /** The periods pooled, oldest first. */
  readonly periods: readonly PeriodName[];
  readonly all: { readonly value: number; readonly numerator: number; readonly denominator: number };
  /** Every value of the pool, best first. */
  readonly values: readonly PooledValue[];
  /** The best and the worst value that stand out (the most extreme of each side). */
  readonly best?: PooledValue;
  readonly worst?: PooledValue;
}

/** A rate, a cost per unit and an average are all numerator / denominator. */
const ratioOf = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Whether value `v` stands out from `all` under `test` (see the module's comment). */
function judge(
  test: StandoutTest, better: 'up' | 'down', v: { numerator: number; denominator: number; value: number | null }, all: number, spread: number | undefined,
): { judged: boolean; side?: 'better' | 'worse' } {
  if (test === 'rate') {
    if (v.denominator < MIN_COUNT) return { judged: false };
    const { lo, hi } = wilson(v.numerator, v.denominator);
    const above = lo > all;
    const below = hi < all;
    if (!above && !below) return { judged: true };
    return { judged: true, side: above === (better === 'up') ? 'better' : 'worse' };
  }
  if (test === 'cost') {
    if (v.numerator <= 0 || all <= 0) return { judged: false };
    const expected = v.numerator / all;
    if (Math.max(v.denominator, expected) < MIN_COUNT) return { judged: false };
    const gap = v.denominator - expected; // more units than the spend would buy: cheaper
    if (Math.abs(gap) < Z * Math.sqrt(expected)) return { judged: true };
    return { judged: true, side: (gap > 0) === (better === 'down') ? 'better' : 'worse' };
  }
  if (v.denominator < MIN_COUNT || v.value === null || spread === undefined) return { judged: false };
  const gap = v.value - all;
  if (Math.abs(gap) < (Z * spread) / Math.sqrt(v.denominator)) return { judged: true };
  return { judged: true, side: (gap > 0) === (better === 'up') ? 'better' : 'worse' };
}

/**
 * The breakdown of `f`'s KPI by `d`, pooled over the latest periods (see the module's comment); undefined when the
 * KPI is a sum, or has no breakdown by `d` this period.
 */
export function breakdownFacts(f: KpiFacts, d: Dimension): BreakdownFacts | undefined {
  const test = standoutTest(f.def);
  const stored = f.storedWindow;
  const last = stored.length - 1;
  if (!test || !stored[last]?.breakdowns?.[d] || f.value === null) return undefined;
  const steps = POOL_STEPS[f.window[last]!.period.type];
  let take = 1;
  for (const n of steps) {
    take = Math.min(n, stored.length);
    const den = stored.slice(stored.length - take).reduce((a, k) => a + (k?.value !== null ? (k?.denominator ?? 0) : 0), 0);
    if (den >= POOL_MIN) break;
  }
  // The pool starts at its first period with a value (a pool reaching back before the data says so in its label).
  while (take > 1 && (stored[stored.length - take]?.value ?? null) === null) take--;
  const pooled = stored.slice(stored.length - take);
  const sums = new Map<string, { numerator: number; denominator: number; label: string }>();
  let numerator = 0;
  let denominator = 0;
  let squares: number | undefined = 0;
  for (const k of pooled) {
    if (!k || k.value === null) continue;
    numerator += k.numerator ?? 0;
    denominator += k.denominator ?? 0;
    const sq = k.detail?.sum_of_squares;
    squares = squares === undefined || sq === undefined ? undefined : squares + sq;
    for (const [key, v] of Object.entries(k.breakdowns?.[d] ?? {})) {
      const s = sums.get(key) ?? { numerator: 0, denominator: 0, label: key };
      s.numerator += v.numerator ?? 0;
      s.denominator += v.denominator ?? 0;
      s.label = k.breakdownLabels?.[d]?.[key] ?? key;
      sums.set(key, s);
    }
  }
  const allValue = ratioOf(numerator, denominator);
  if (allValue === null) return undefined;
  // The standard deviation of single values (deal sizes), for averages: from Σx², Σx and n of the pooled periods.
  const spread = test === 'average' && squares !== undefined && denominator > 1
    ? Math.sqrt(Math.max(0, (squares - denominator * allValue * allValue) / (denominator - 1))) : undefined;
  const up = f.def.better === 'up';
  const values: PooledValue[] = [...sums].map(([key, s]) => {
    const value = ratioOf(s.numerator, s.denominator);
    const v = { numerator: s.numerator, denominator: s.denominator, value };
    const { judged, side } = key === 'unknown' ? { judged: false, side: undefined } : judge(test, f.def.better, v, allValue, spread);
    return { key, label: s.label, ...v, judged, ...(side ? { standsOut: side } : {}) };
  });
  // Best first; a cost with no unit bought (null) is the worst of all.
  const rank = (v: PooledValue): number => (v.value === null ? (up ? -Infinity : Infinity) : v.value);
  values.sort((a, b) => (up ? rank(b) - rank(a) : rank(a) - rank(b)) || a.key.localeCompare(b.key));
  const best = values.find((v) => v.standsOut === 'better');
  const worst = [...values].reverse().find((v) => v.standsOut === 'worse');
  return {
    def: f.def, dimension: d, test, periods: f.window.slice(f.window.length - take).map((p) => p.period),
    all: { value: allValue, numerator, denominator }, values, ...(best ? { best } : {}), ...(worst ? { worst } : {}),
  };
}

/** "October 2026", or "May–Oct 2026", "Nov 2025–Apr 2026" for a pool. */
export function poolLabel(periods: readonly PeriodName[]): string {
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  if (periods.length === 1) return first.label;
  const [fName, fYear] = [first.short.replace(/ \d{4}$/, ''), first.short.slice(-4)];
  return fYear === last.short.slice(-4) ? `${fName}–${last.short}` : `${first.short}–${last.short}`;
}
