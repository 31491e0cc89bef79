/**
 * What counts as news for a KPI this period, judged against its own history (the headline rule picks from it).
 *
 * Four comparisons, each in the KPI's natural unit (points for rates, relative change otherwise):
 * - `move`: since the previous period, against the size of its usual move (1.48 × the median of its past moves);
 * - `norm`: a new high or low (beyond every value of the periods before it), against their median in their spread
 *   (1.48 × the median absolute deviation: a robust standard deviation that one outlier does not inflate);
 * - `year`: against the same period a year before, in the spread of a difference of two levels (spread × √2);
 * - `trend`: three moves the same way, from where it stood three periods ago, in the same spread.
 *
 * A comparison counts when its change is material for the business (2 points for a rate, 10% otherwise) and at
 * least one usual spread (one and a half for a year), and scores min(change / material, 3) × min(change / usual,
 * 3): big for the business and unusual for the KPI. A
 * rebound is no news: a move back to the norm (within one spread of it, or three quarters of the way), from a
 * previous period (or a year-ago one) more than two spreads off it, scores nothing. The KPI's score is its best comparison's, weighted by its section (revenue first, web
 * last), plus 3 when it crossed its benchmark into or out of trouble.
 */
import type { MetricDefinition } from '../metrics/registry.ts';
import type { SectionId } from '../metrics/registry.ts';
import type { KpiFacts, Trend } from './types.ts';

export type NewsKind = 'move' | 'norm' | 'year' | 'trend';

export interface Comparison {
  readonly kind: NewsKind;
  /** The value compared with: the previous period's, the median, the year-ago one, the one three periods back. */
  readonly from: number;
  /** The change from `from`, in points (as a fraction) for rates, relative otherwise. */
  readonly change: number;
  /** |change| in materials: 1 is the least change that matters (2 points, 10%). */
  readonly materiality: number;
  /** |change| in the KPI's usual spread for this comparison. */
  readonly surprise: number;
  readonly score: number;
}

export interface News {
  readonly facts: KpiFacts;
  /** The comparison that makes the news (the best scoring one). */
  readonly lead: Comparison;
  readonly score: number;
  /** Crossed its benchmark into or out of trouble since the previous period. */
  readonly crossed: boolean;
  /** The periods of history the norm was taken over (the non-empty ones before this period). */
  readonly history: number;
  /** The value is beyond every one of `history`: a new high or low. */
  readonly extreme?: 'highest' | 'lowest';
  /** The move since the previous period is bigger than any in the window. */
  readonly biggestMove: boolean;
  /** Moves in a row the same way, ending with this one (the `trend` comparison starts `run` periods back). */
  readonly run: number;
}

/** The least change that matters for the business: 2 points for a rate, 10% for anything else. */
export const MATERIAL = { points: 0.02, relative: 0.1 } as const;
/** The least spread a KPI is credited with, so that a very steady one does not make a small move news. */
const SPREAD_FLOOR = { points: 0.005, relative: 0.025 } as const;
/** Past values needed to measure a KPI's own norm and spread. */
export const MIN_HISTORY = 4;
/** Each comparison's ratios are capped, so that one enormous ratio cannot carry a trivial change. */
const CAP = 3;
/** The least score that makes news; a benchmark crossed makes news whatever the score. */
export const NEWS_THRESHOLD = 2;
const CROSSED_WEIGHT = 3;
/** MAD → standard deviation for normally distributed values. */
const MAD_SCALE = 1.4826;

/** Revenue outcomes first, web traffic last: what an executive reads the scorecard for. */
export const SECTION_WEIGHT: Readonly<Record<SectionId, number>> = { revenue: 1.5, conversion: 1.25, efficiency: 1.25, acquisition: 1, web: 0.75 };

const isRate = (def: Pick<MetricDefinition, 'unit'>): boolean => def.unit === 'rate';

/** The change from `from` to `to` in the KPI's unit: points (as a fraction) for rates, relative otherwise. */
export function changeOf(def: Pick<MetricDefinition, 'unit'>, from: number, to: number): number | undefined {
  if (isRate(def)) return to - from;
  return from === 0 ? undefined : (to - from) / Math.abs(from);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The KPI's spread around `med`, in its unit (robust: 1.48 × the median absolute deviation), at least the floor. */
function spreadOf(def: Pick<MetricDefinition, 'unit'>, values: readonly number[], med: number): number {
  const floor = isRate(def) ? SPREAD_FLOOR.points : SPREAD_FLOOR.relative;
  const mad = median(values.map((v) => Math.abs(v - med)));
  const scale = isRate(def) ? 1 : Math.abs(med) || 1;
  return Math.max(floor, (MAD_SCALE * mad) / scale);
}

/**
 * The least surprise a comparison needs to count: one usual spread; a year-on-year change, between two single
 * periods of a noisy KPI, one and a half.
 */
const MIN_SURPRISE: Readonly<Record<NewsKind, number>> = { move: 1, norm: 1, trend: 1, year: 1.5 };

function comparison(kind: NewsKind, def: MetricDefinition, from: number, to: number, usual: number): Comparison | undefined {
  const change = changeOf(def, from, to);
  if (change === undefined) return undefined;
  const materiality = Math.abs(change) / (isRate(def) ? MATERIAL.points : MATERIAL.relative);
  const surprise = Math.abs(change) / usual;
  const score = materiality >= 1 && surprise >= MIN_SURPRISE[kind] ? Math.min(materiality, CAP) * Math.min(surprise, CAP) : 0;
  return { kind, from, change, materiality, surprise, score };
}

/** The periods, oldest first, that went the same non-flat way ending with this one. */
function runLength(values: readonly (number | null)[], trendOf: (a: number, b: number) => Trend): number {
  let n = 0;
  let way: Trend | undefined;
  for (let i = values.length - 1; i > 0; i--) {
    const a = values[i - 1];
    const b = values[i];
    if (a === null || a === undefined || b === null || b === undefined) break;
    const t = trendOf(a, b);
    if (t !== 'up' && t !== 'down') break;
    if (way && t !== way) break;
    way = t;
    n++;
  }
  return n;
}

/**
 * The KPI's news this period, or undefined when it has none worth a headline (no value, nothing material, or
 * nothing unusual for it). `trendOf` is the facts' (a change that rounds to zero is flat).
 */
export function newsOf(f: KpiFacts, trendOf: (a: number, b: number) => Trend): News | undefined {
  const { def, value: v, previous: p } = f;
  if (v === null) return undefined;
  const before = f.window.slice(0, -1).map((x) => x.value);
  const history = before.filter((x): x is number => x !== null);
  const enough = history.length >= MIN_HISTORY;
  const med = enough ? median(history) : undefined;
  // Without enough history, a KPI's spread is taken as one material: only a change of several materials is news.
  const spread = med !== undefined ? spreadOf(def, history, med) : (isRate(def) ? MATERIAL.points : MATERIAL.relative);
  const moves: number[] = [];
  for (let i = 1; i < before.length; i++) {
    const a = before[i - 1];
    const b = before[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const c = changeOf(def, a, b);
    if (c !== undefined) moves.push(Math.abs(c));
  }
  const floor = isRate(def) ? SPREAD_FLOOR.points : SPREAD_FLOOR.relative;
  const usualMove = moves.length >= MIN_HISTORY - 1 ? Math.max(floor, MAD_SCALE * median(moves)) : spread;

  const found: Comparison[] = [];
  // Back to the norm from an outlier (the previous period, or the same period a year before): no news.
  const rebound = (from: number): boolean => {
    if (med === undefined) return false;
    const off = Math.abs(changeOf(def, med, from) ?? 0);
    const now = Math.abs(changeOf(def, med, v) ?? 0);
    // Off: more than two spreads from the norm. Back: within one spread, or three quarters of the way.
    return off > 2 * spread && (now <= spread || now <= off / 4);
  };
  if (p !== null && f.trend !== 'flat') {
    const move = comparison('move', def, p, v, usualMove);
    // A rebound to the norm after an outlier is no news: the outlier was.
    if (move && !rebound(p)) found.push(move);
  }
  // Far from its norm is news when it is beyond every value of the window (a new high or low): a value the KPI
  // already reached within the year is not unusual for it, however far from the median.
  const extreme = history.length >= MIN_HISTORY
    ? (v > Math.max(...history) ? 'highest' : v < Math.min(...history) ? 'lowest' : undefined)
    : undefined;
  const norm = med !== undefined && extreme ? comparison('norm', def, med, v, spread) : undefined;
  const year = f.yearAgo !== null && !rebound(f.yearAgo) ? comparison('year', def, f.yearAgo, v, spread * Math.SQRT2) : undefined;
  const run = runLength(f.window.map((x) => x.value), trendOf);
  const start = f.window[f.window.length - 1 - run]?.value;
  const trend = run >= 3 && start !== null && start !== undefined ? comparison('trend', def, start, v, spread * Math.SQRT2) : undefined;
  // On equal (capped) scores, the more unusual change leads; on equal ones, the richer story: a year, then a run,
  // then a new high or low, then the move.
  found.unshift(...[year, trend, norm].filter((c): c is Comparison => c !== undefined));

  const crossed = Boolean(f.benchmark && f.previousBenchmark && f.benchmark.benchmark.kind !== 'growth' && f.benchmark.off !== f.previousBenchmark.off);
  const raw = (c: Comparison): number => c.materiality * c.surprise;
  const lead = [...found].sort((a, b) => b.score - a.score || raw(b) - raw(a))[0];
  if (!lead || (lead.score === 0 && !crossed)) return undefined;
  const score = lead.score * SECTION_WEIGHT[def.section] + (crossed ? CROSSED_WEIGHT : 0);
  if (score < NEWS_THRESHOLD) return undefined;
  const last = p === null ? undefined : changeOf(def, p, v);
  const biggestMove = last !== undefined && moves.length >= MIN_HISTORY - 1 && moves.every((m) => Math.abs(last) > m);
  return { facts: f, lead, score, crossed, history: history.length, ...(extreme ? { extreme } : {}), biggestMove, run };
}
