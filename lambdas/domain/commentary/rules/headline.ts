/**
 * Rule `headline`: the three most important movements of the period, opening the email. A move's importance is
 * how unusual it is for that KPI (its size in multiples of the KPI's typical move over the window, so a noisy
 * KPI needs a bigger move to make the headline), plus 3 when the KPI crossed its benchmark (into or out of
 * trouble) and 2 when it moved the wrong way a third period running. A move too small to matter on its own
 * (under 5%, or a point for rates) makes the headline only by crossing a benchmark or extending a wrong-way
 * streak. Each sentence says why it was picked.
 */
import { ordinal, periods } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';
import { deltaOf } from '../facts.ts';
import { movementClause } from './movement.ts';
import { STREAK_LENGTH } from './streak.ts';

export const HEADLINE_SIZE = 3;

/** Typical size of a move when a KPI has too little history to measure its own: 10% or 2 points. */
const DEFAULT_SPREAD = { relative: 0.1, points: 0.02 } as const;
/** The smallest move worth a headline on its own: 5%, or 1 point for rates. */
export const MATERIAL_MOVE = { relative: 0.05, points: 0.01 } as const;
/** Past moves needed to measure a KPI's own spread, and to call a move its biggest. */
const MIN_HISTORY = 4;
const CROSSED_WEIGHT = 3;
const STREAK_WEIGHT = 2;

export type HeadlineReason = 'crossed-benchmark' | 'wrong-way' | 'biggest-move' | 'unusual-move';

export interface HeadlineCandidate {
  readonly facts: KpiFacts;
  readonly score: number;
  readonly reason: HeadlineReason;
  /** Moves compared when the reason is `biggest-move`, this one included. */
  readonly compared: number;
}

/** The KPI's earlier moves in the window (not this period's), in the unit of `delta`. */
function pastMoves(f: KpiFacts): number[] {
  const out: number[] = [];
  for (let i = 1; i < f.window.length - 1; i++) {
    const d = deltaOf(f.window[i]!.value, f.window[i - 1]!.value, f.def.unit);
    if (d !== null) out.push(d);
  }
  return out;
}

const rms = (xs: readonly number[]): number => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);

/** Scores a KPI's movement; undefined when it did not move or cannot be compared. */
export function scoreMovement(f: KpiFacts): HeadlineCandidate | undefined {
  if (f.delta === null || f.trend === 'flat' || f.trend === 'none') return undefined;
  const past = pastMoves(f);
  const spread = past.length >= MIN_HISTORY ? rms(past) : f.def.unit === 'rate' ? DEFAULT_SPREAD.points : DEFAULT_SPREAD.relative;
  const z = Math.abs(f.delta) / Math.max(spread, 1e-9);
  const crossed = Boolean(f.benchmark && f.previousBenchmark && f.benchmark.benchmark.kind !== 'growth' && f.benchmark.off !== f.previousBenchmark.off);
  const wrongWay = f.wrongWayStreak >= STREAK_LENGTH;
  const material = Math.abs(f.delta) >= (f.def.unit === 'rate' ? MATERIAL_MOVE.points : MATERIAL_MOVE.relative);
  if (!material && !crossed && !wrongWay) return undefined;
  const biggest = past.length >= MIN_HISTORY && past.every((d) => Math.abs(f.delta!) > Math.abs(d));
  const reason: HeadlineReason = crossed ? 'crossed-benchmark' : wrongWay ? 'wrong-way' : biggest ? 'biggest-move' : 'unusual-move';
  return { facts: f, score: z + (crossed ? CROSSED_WEIGHT : 0) + (wrongWay ? STREAK_WEIGHT : 0), reason, compared: past.length + 1 };
}

/** Why the KPI is in the headline, as the end of its sentence. */
function because(c: HeadlineCandidate, ctx: CommentaryContext): string {
  const f = c.facts;
  switch (c.reason) {
    case 'crossed-benchmark': {
      const b = f.benchmark!;
      if (b.off) return `, now ${b.position} ${b.phrase}`;
      return `, back ${b.benchmark.kind === 'min' ? 'at or above' : 'within'} ${b.phrase}`;
    }
    case 'wrong-way':
      return `, the ${ordinal(f.wrongWayStreak)} ${f.def.better === 'up' ? 'fall' : 'rise'} in a row`;
    case 'biggest-move':
      return `, its biggest move in ${periods(c.compared, ctx.period.type)}`;
    case 'unusual-move':
      return '';
  }
}

/** The candidates, most important first (ties in registry order). */
export function rankMovements(kpis: readonly KpiFacts[]): HeadlineCandidate[] {
  return kpis
    .map((f, i) => ({ c: scoreMovement(f), i }))
    .filter((x): x is { c: HeadlineCandidate; i: number } => x.c !== undefined)
    .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
    .map((x) => x.c);
}

/** The headline: up to three sentences about the KPIs in `kpis` (by default, all of them). */
export function headline(ctx: CommentaryContext, kpis: readonly KpiFacts[] = ctx.kpis): Sentence[] {
  return rankMovements(kpis).slice(0, HEADLINE_SIZE).map((c) => ({
    rule: 'headline',
    kpiId: c.facts.def.id,
    text: `${movementClause(c.facts, ctx)}${because(c, ctx)}.`,
    tone: c.facts.tone,
    trend: c.facts.trend,
    short: shortMove(c.facts.def, c.facts.value!, c.facts.previous!),
  }));
}

/** A label inside a sentence: "win rate", but "SQLs", "MQL → SQL", "ARPU" as they are. */
export const inSentence = (label: string): string => (/^[A-Z][a-z]/.test(label) ? `${label[0]!.toLowerCase()}${label.slice(1)}` : label);

/** A size for a subject line: whole above 10 ("19"), else one decimal without a trailing ".0" ("6", "2.8"). */
const subjectNumber = (x: number): string => (x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));

/** A move in a few words, from `before` to `now`: "win rate down 6 pts", "revenue won up 12%", "SQLs up from 0". */
export function shortMove(def: KpiFacts['def'], now: number, before: number): string {
  const way = now > before ? 'up' : 'down';
  if (def.unit === 'rate') {
    const pts = subjectNumber(Math.abs(now - before) * 100);
    return `${inSentence(def.label)} ${way} ${pts} ${pts === '1' ? 'pt' : 'pts'}`;
  }
  if (before === 0) return `${inSentence(def.label)} ${way} from 0`;
  return `${inSentence(def.label)} ${way} ${subjectNumber(Math.abs((now - before) / before) * 100)}%`;
}

/** Longest subject that shows whole in most inboxes' list view. */
export const SUBJECT_MAX = 78;

/**
 * The email's subject: the period and its first two headlines in a few words ("October 2026: pipeline created up
 * 68%, win rate down 6 pts"), one when two would not fit; "Scorecard for October 2026" when nothing made news.
 */
export function subjectLine(ctx: Pick<CommentaryContext, 'period'>, headlines: readonly Sentence[]): string {
  const shorts = headlines.map((h) => h.short).filter((s): s is string => Boolean(s));
  for (const n of [2, 1]) {
    const subject = `${ctx.period.label}: ${shorts.slice(0, n).join(', ')}`;
    if (shorts.length >= n && (subject.length <= SUBJECT_MAX || n === 1)) return subject;
  }
  return `Scorecard for ${ctx.period.label}`;
}
