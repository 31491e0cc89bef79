/**
 * Rule `lead-sources`: for a KPI benchmarked per lead source (MQL → SQL), the best and the worst source against
 * the all-source rate, with their numbers ("Best lead source: referrals at 50% (9 of 18 MQLs); worst: direct
 * traffic at 17.6% (3 of 17); all sources: 34.2%."). Source names are data, so the sentence never needs them to
 * agree with a verb. Sources too small to say anything about are left out, and the commentary says so.
 */
import type { SegmentValue } from '../../metrics/registry.ts';
import { formatCount } from '../../scorecard/format.ts';
import { say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

/** A source needs this many in its denominator (MQLs) before its rate means anything. */
export const MIN_SOURCE_DENOMINATOR = 10;

/** The noun of the denominator, per KPI. */
const DENOMINATOR_NOUN: Readonly<Record<string, string>> = { mql_to_sql_rate: 'MQLs' };

type Ranked = { readonly source: string; readonly value: number; readonly numerator: number; readonly denominator: number };

/** Sources with a rate and enough volume, best first (ties by name, so the order is stable). */
export function rankSources(segments: Readonly<Record<string, SegmentValue>>, minDenominator = MIN_SOURCE_DENOMINATOR): { ranked: Ranked[]; small: number } {
  const all = Object.entries(segments).filter(([, s]) => s.value !== null && (s.denominator ?? 0) > 0);
  const ranked = all
    .filter(([, s]) => (s.denominator ?? 0) >= minDenominator)
    .map(([source, s]) => ({ source, value: s.value!, numerator: s.numerator ?? 0, denominator: s.denominator ?? 0 }))
    .sort((a, b) => b.value - a.value || a.source.localeCompare(b.source));
  return { ranked, small: all.length - ranked.length };
}

export function leadSources(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const segments = f.stored?.segments;
  if (!f.segmentsBenchmarked || !segments || f.value === null) return [];
  const { ranked, small } = rankSources(segments);
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  const noun = DENOMINATOR_NOUN[f.def.id] ?? '';
  const rate = (r: Ranked, withNoun: boolean): string =>
    `${say(r.value, f.def.unit, ctx.currency)} (${formatCount(r.numerator)} of ${formatCount(r.denominator)}${withNoun && noun ? ` ${noun}` : ''})`;
  const parts: string[] = [];
  if (best && best.value > f.value) parts.push(`Best lead source: ${best.source} at ${rate(best, true)}`);
  if (worst && worst !== best && worst.value < f.value) parts.push(`${parts.length ? 'worst' : 'Worst lead source'}: ${worst.source} at ${rate(worst, parts.length === 0)}`);
  if (parts.length === 0) return [];
  const all = say(f.value, f.def.unit, ctx.currency);
  const sentences: Sentence[] = [
    { rule: 'lead-sources', kpiId: f.def.id, text: `${parts.join('; ')}; all sources: ${all}.` },
  ];
  if (small > 0) {
    sentences.push({
      rule: 'lead-sources', kpiId: f.def.id,
      text: `${small} source${small === 1 ? '' : 's'} with fewer than ${MIN_SOURCE_DENOMINATOR} ${noun || 'records'} ${small === 1 ? 'is' : 'are'} left out.`,
    });
  }
  return sentences;
}
