/**
 * Facts: what the stored KPIs of a period and the periods before it say about each KPI (its movement, tone,
 * benchmark position, wrong-way streak, 12-period series), computed once and read by every rule and the view.
 */
import { benchmarkFor, type Benchmark, type MetricDefinition, type MetricUnit } from '../metrics/registry.ts';
import type { Period } from '../periods/period.ts';
import type { Settings } from '../settings.ts';
import type { StoredKpi } from '../model.ts';
import { benchmarkPhrase, periodName } from './phrases.ts';
import { roundsToZero } from '../scorecard/format.ts';
import type { BenchmarkFacts, BenchmarkPosition, KpiFacts, SeriesPoint, Tone, Trend } from './types.ts';

/** Stored KPIs by period id, then by KPI id. */
export type KpisByPeriod = ReadonlyMap<string, ReadonlyMap<string, StoredKpi>>;

export interface FactsInput {
  /** The period and the 12 before it, oldest first (the period last). */
  readonly window: readonly Period[];
  /** The same period a year before (inside the window for months and quarters, not for weeks). */
  readonly yearAgo: Period;
  readonly kpis: KpisByPeriod;
  readonly settings: Settings;
}

/**
 * Up, down or flat as the reader sees it: a change that rounds to 0.0% is flat, and a rate is flat when its shown
 * figures are equal (40.84% and 40.81% both read 40.8%); 40.8% against 40.9% is down.
 */
export function trendOf(cur: number | null, prev: number | null, unit: MetricUnit): Trend {
  if (cur === null || prev === null) return 'none';
  if (roundsToZero(cur, prev, unit)) return 'flat';
  return cur > prev ? 'up' : 'down';
}

/** Good news or bad, given which way is better for the KPI (a falling CAC is good). */
export function toneOf(better: MetricDefinition['better'], trend: Trend): Tone {
  if (trend === 'up') return better === 'up' ? 'good' : 'bad';
  if (trend === 'down') return better === 'down' ? 'good' : 'bad';
  return 'neutral';
}

/** The change as the card shows it: relative for counts, money, days and ratios; the difference for rates. */
export function deltaOf(cur: number | null, prev: number | null, unit: MetricUnit): number | null {
  if (cur === null || prev === null) return null;
  if (unit === 'rate') return cur - prev;
  return prev === 0 ? null : (cur - prev) / Math.abs(prev);
}

/**
 * KPIs for which being above the band is off target too. The LTV : CAC rule of thumb reads "> 5 under-investing":
 * above the band is a warning, not a win. (The registry has no field for this yet.)
 */
const ABOVE_BAND_IS_OFF: ReadonlySet<string> = new Set(['ltv_to_cac']);

/** Where `value` stands against `b` (for growth targets, its growth over `previous`), or undefined when unknowable. */
export function evaluateBenchmark(
  def: MetricDefinition, b: Benchmark | undefined, value: number | null, previous: number | null, settings: Settings, type: Period['type'],
): BenchmarkFacts | undefined {
  if (!b || b.kind === 'segments' || value === null) return undefined;
  const phrase = benchmarkPhrase(b, def, settings.currency, type);
  let position: BenchmarkPosition;
  let growth: number | undefined;
  if (b.kind === 'growth') {
    if (previous === null || previous === 0) return undefined;
    growth = (value - previous) / Math.abs(previous);
    position = growth < b.min ? 'below' : growth > b.max ? 'above' : 'within';
  } else if (b.kind === 'min') {
    position = value < b.min ? 'below' : 'within';
  } else if (b.kind === 'max') {
    position = value > b.max ? 'above' : 'within';
  } else {
    position = value < b.min ? 'below' : value > b.max ? 'above' : 'within';
  }
  const worse = def.better === 'up' ? 'below' : 'above';
  let tone: Tone = position === worse ? 'bad' : 'good';
  let off = position === worse;
  if (position === 'above' && b.kind === 'range' && ABOVE_BAND_IS_OFF.has(def.id)) {
    tone = 'neutral';
    off = true;
  }
  return { benchmark: b, position, tone, off, phrase, ...(growth !== undefined ? { growth } : {}) };
}

/** Moves in a row, ending with the last value, that went the wrong way for the KPI. A gap or a flat move ends it. */
export function wrongWayStreak(values: readonly (number | null)[], def: Pick<MetricDefinition, 'unit' | 'better'>): number {
  let streak = 0;
  for (let i = values.length - 1; i > 0; i--) {
    if (toneOf(def.better, trendOf(values[i] ?? null, values[i - 1] ?? null, def.unit)) !== 'bad') break;
    streak++;
  }
  return streak;
}

/** The facts of one KPI for the last period of `input.window`. */
export function kpiFacts(def: MetricDefinition, input: FactsInput): KpiFacts {
  const { window, settings } = input;
  const period = window[window.length - 1]!;
  const prevPeriod = window[window.length - 2];
  const at = (p: Period | undefined): StoredKpi | undefined => (p ? input.kpis.get(p.id)?.get(def.id) : undefined);
  const stored = at(period);
  const previousStored = at(prevPeriod);
  const value = stored?.value ?? null;
  const previous = previousStored?.value ?? null;
  const series: SeriesPoint[] = window.map((p) => ({ period: periodName(p), value: at(p)?.value ?? null }));
  const trend = trendOf(value, previous, def.unit);
  const b = benchmarkFor(def, settings);
  const beforePrevious = at(window[window.length - 3])?.value ?? null;
  const benchmark = evaluateBenchmark(def, b, value, previous, settings, period.type);
  const previousBenchmark = evaluateBenchmark(def, b, previous, beforePrevious, settings, period.type);
  return {
    def,
    ...(stored ? { stored } : {}),
    value,
    previous,
    yearAgo: at(input.yearAgo)?.value ?? null,
    window: series,
    storedWindow: window.map(at),
    trend,
    tone: toneOf(def.better, trend),
    delta: deltaOf(value, previous, def.unit),
    ...(benchmark ? { benchmark } : {}),
    ...(previousBenchmark ? { previousBenchmark } : {}),
    wrongWayStreak: wrongWayStreak(series.map((s) => s.value), def),
    segmentsBenchmarked: b?.kind === 'segments',
  };
}
