/**
 * Rule `headline`: what the email says first. It opens with revenue won and pipeline created (the numbers an
 * executive reads the scorecard for), each with its news when it has some, then the three KPIs with the most
 * news, judged against their own history (news.ts): far from their norm, a move far bigger than their usual, a
 * change on a year before, three periods the same way, or a benchmark crossed. A rebound to the norm after an
 * outlier is no news. Each sentence says why it is there ("…, its lowest in 12 months", "…, double October
 * 2025's 51 days").
 */
import { formatValueInText, shownPoints } from '../../scorecard/format.ts';
import { newsOf, type News } from '../news.ts';
import { ordinal, periodAdjective, periodNoun, periods, say } from '../phrases.ts';
import { trendOf } from '../facts.ts';
import type { CommentaryContext, KpiFacts, Sentence, Trend } from '../types.ts';
import { movementClause } from './movement.ts';

/** The KPIs the headline opens with, in this order, whatever their news. */
export const OPENING: readonly string[] = ['revenue', 'pipeline_created'];
/** KPIs with news after the opening ones. */
export const NEWS_SIZE = 3;

/** A KPI's news, or undefined (the facts' own sense of flat). */
export const newsOfKpi = (f: KpiFacts): News | undefined => newsOf(f, (a, b) => trendOf(a, b, f.def.unit));

/** The KPIs with news, most first (ties in registry order). */
export function rankNews(kpis: readonly KpiFacts[]): News[] {
  return kpis
    .map((f, i) => ({ n: newsOfKpi(f), i }))
    .filter((x): x is { n: News; i: number } => x.n !== undefined)
    .sort((a, b) => b.n.score - a.n.score || a.i - b.i)
    .map((x) => x.n);
}

/** "its", or "their" for a label in the plural ("Sessions", "SQLs"). */
const its = (label: string): string => (/[^s]s$/.test(label) ? 'their' : 'its');

/** "5.2 points", "8%": the size of a change, as a sentence says it. */
function amount(f: KpiFacts, change: number, from: number, to: number): string {
  if (f.def.unit === 'rate') {
    const p = formatValueInText(Math.abs(shownPoints(to, from)) / 100, 'rate', '').replace('%', '');
    return `${p} point${p === '1' ? '' : 's'}`;
  }
  return formatValueInText(Math.abs(change), 'rate', '');
}

/** "double", "2.4 times", "half", "45% above": a value against an earlier one, for a year-on-year headline. */
function ratioWords(f: KpiFacts, from: number, to: number, change: number): string {
  if (f.def.unit !== 'rate' && from > 0 && to > 0) {
    const r = to / from;
    if (r >= 1.9 && r < 2.15) return 'double';
    if (r >= 2.15) return `${formatValueInText(r, 'ratio', '').replace(' : 1', '')} times`;
    if (r > 0.45 && r <= 0.55) return 'half';
  }
  return `${amount(f, change, from, to)} ${to > from ? 'above' : 'below'}`;
}

interface Worded {
  readonly text: string;
  readonly trend: Trend;
  readonly short: string;
}

/** A label inside a sentence: "win rate", but "SQLs", "MQL → SQL", "ARPU" as they are. */
export const inSentence = (label: string): string => (/^[A-Z][a-z]/.test(label) ? `${label[0]!.toLowerCase()}${label.slice(1)}` : label);

/** A size for a subject line: whole above 10 ("19"), else one decimal without a trailing ".0" ("6", "2.8"). */
const subjectNumber = (x: number): string => (x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));

/** A move in a few words, from `before` to `now`: "win rate down 6.1 pts", "revenue won up 12%", "SQLs up from 0". */
export function shortMove(def: KpiFacts['def'], now: number, before: number, suffix = ''): string {
  const way = now > before ? 'up' : 'down';
  if (def.unit === 'rate') {
    const pts = subjectNumber(Math.abs(shownPoints(now, before)));
    return `${inSentence(def.label)} ${way} ${pts} ${pts === '1' ? 'pt' : 'pts'}${suffix}`;
  }
  if (before === 0) return `${inSentence(def.label)} ${way} from 0${suffix}`;
  return `${inSentence(def.label)} ${way} ${subjectNumber(Math.abs((now - before) / before) * 100)}%${suffix}`;
}

const direction = (from: number, to: number): Trend => (to > from ? 'up' : to < from ? 'down' : 'flat');

/**
 * The sentence about a KPI, ending with why it is news. An opening KPI (revenue, pipeline) always says its move
 * since the previous period first, as the glance table does, and its news after it.
 */
function wordsOf(f: KpiFacts, n: News | undefined, ctx: CommentaryContext, opening: boolean): Worded | undefined {
  const v = f.value;
  if (v === null) return undefined;
  const clause = movementClause(f, ctx)!;
  const moved = f.previous !== null && f.trend !== 'flat' && f.trend !== 'none';
  const still = f.trend === 'flat' ? `${inSentence(f.def.label)} flat` : `${inSentence(f.def.label)} ${say(v, f.def.unit, ctx.currency)}`;
  const plain: Worded = { text: `${clause}.`, trend: f.trend, short: moved ? shortMove(f.def, v, f.previous!) : still };
  if (!n) return plain;
  const span = periods(n.history + 1, ctx.period.type);
  const { lead } = n;
  if (n.crossed && f.benchmark) {
    const b = f.benchmark;
    const where = b.off ? `now ${b.position} ${b.phrase}` : `back ${b.benchmark.kind === 'min' ? 'at or above' : 'within'} ${b.phrase}`;
    return { ...plain, text: `${clause}, ${where}.` };
  }
  switch (lead.kind) {
    case 'year': {
      const onYear = `${ratioWords(f, lead.from, v, lead.change)} ${ctx.yearAgo.label}’s ${say(lead.from, f.def.unit, ctx.currency)}`;
      if (opening) return { ...plain, text: `${clause}, ${onYear}.` };
      return { text: `${f.def.label}: ${say(v, f.def.unit, ctx.currency)}, ${onYear}.`, trend: direction(lead.from, v), short: shortMove(f.def, v, lead.from, ' on a year') };
    }
    case 'trend': {
      const start = f.window[f.window.length - 1 - n.run];
      const way = v > lead.from ? 'rise' : 'fall';
      return { ...plain, text: `${clause}, the ${ordinal(n.run)} ${way} in a row, from ${say(lead.from, f.def.unit, ctx.currency)} in ${start?.period.label ?? 'three periods before'}.` };
    }
    case 'norm': {
      // A new high or low: when the move went the other way (or there was none), it is where the KPI stands.
      const why = `${its(f.def.label)} ${n.extreme ?? (v > lead.from ? 'highest' : 'lowest')} in ${span}`;
      if (!opening && (!moved || direction(lead.from, v) !== f.trend)) {
        return { text: `${f.def.label}: ${say(v, f.def.unit, ctx.currency)}, ${why}.`, trend: direction(lead.from, v), short: plain.short };
      }
      return { ...plain, text: `${clause}, ${why}.` };
    }
    case 'move': {
      const times = Math.round(lead.surprise);
      const why = n.extreme ? `, ${its(f.def.label)} ${n.extreme} in ${span}`
        : n.biggestMove ? `, ${its(f.def.label)} biggest move in ${periods(n.history, ctx.period.type)}`
        : times >= 2 ? `, ${times} times ${its(f.def.label)} usual ${periodAdjective(ctx.period.type)} move` : '';
      return { ...plain, text: `${clause}${why}.` };
    }
  }
}

function sentenceOf(f: KpiFacts, n: News | undefined, ctx: CommentaryContext, opening = false): Sentence | undefined {
  const w = wordsOf(f, n, ctx, opening);
  if (!w) return undefined;
  const tone = w.trend === 'up' ? (f.def.better === 'up' ? 'good' : 'bad') : w.trend === 'down' ? (f.def.better === 'down' ? 'good' : 'bad') : 'neutral';
  return { rule: 'headline', kpiId: f.def.id, text: w.text, tone, trend: w.trend, short: w.short };
}

/**
 * The headline about the KPIs in `kpis` (by default, all of them): revenue won and pipeline created first, when
 * they are among them and have a value, then up to three KPIs with news.
 */
export function headline(ctx: CommentaryContext, kpis: readonly KpiFacts[] = ctx.kpis): Sentence[] {
  const opening = OPENING.flatMap((id) => {
    const f = kpis.find((k) => k.def.id === id);
    return f && f.value !== null ? [sentenceOf(f, newsOfKpi(f), ctx, true)!] : [];
  });
  const news = rankNews(kpis.filter((f) => !OPENING.includes(f.def.id))).slice(0, NEWS_SIZE);
  return [...opening, ...news.map((n) => sentenceOf(n.facts, n, ctx)!)];
}

/** Longest subject that shows whole in most inboxes' list view. */
export const SUBJECT_MAX = 78;

/**
 * The email's subject: the period, then its first headline (revenue, when shown) and the first that is news
 * ("October 2026: revenue won down 2.8%, win rate down 6.1 pts"), one when two would not fit; "Scorecard for
 * October 2026" when there is no headline.
 */
export function subjectLine(ctx: Pick<CommentaryContext, 'period'>, headlines: readonly Sentence[]): string {
  const shorts = headlines.map((h) => h.short).filter((s): s is string => Boolean(s));
  const firstNews = headlines.findIndex((h) => h.kpiId !== undefined && !OPENING.includes(h.kpiId));
  const picked = shorts.length > 1 && firstNews > 0 ? [shorts[0]!, headlines[firstNews]!.short!] : shorts.slice(0, 2);
  for (const n of [2, 1]) {
    const subject = `${ctx.period.label}: ${picked.slice(0, n).join(', ')}`;
    if (picked.length >= n && (subject.length <= SUBJECT_MAX || n === 1)) return subject;
  }
  return `Scorecard for ${ctx.period.label}`;
}
