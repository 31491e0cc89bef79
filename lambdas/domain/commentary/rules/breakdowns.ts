/**
 * Rule `breakdowns`: for a KPI broken down by rep, region, product, segment, source or campaign, per dimension the
 * best and the worst value that stand out from the all-values figure with enough volume to mean it
 * (breakdown-facts.ts says how that is judged), with their numbers and the seed's advice:
 * - win rate by rep: which reps close, which open (a rep who closes least but created more than an even share of
 *   the pipeline opens more than they close) — seed 000;
 * - cost per lead by campaign: double down on the cheapest campaign (seed 002's "lowest cost per …"; the
 *   breakdowns carry cost per lead, not per SQL);
 * - any other: "By region, best: EMEA at 44.6% (29 of 65 closed deals); worst: …; all regions: 30.5%, May–Oct 2026."
 * Names are data, so no sentence needs them to agree with a verb. The lead-source table already ranks MQL → SQL by
 * source, so that breakdown is left to the `lead-sources` rule.
 */
import { DIMENSIONS, type Dimension } from '../../metrics/dimensions.ts';
import { formatCount, formatMoney } from '../../scorecard/format.ts';
import { breakdownFacts, poolLabel, type BreakdownFacts, type PooledValue } from '../breakdown-facts.ts';
import { say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

/** What a KPI's denominator counts, for "17 of 30 closed deals". */
export const UNIT_NOUN: Readonly<Record<string, string>> = {
  win_rate: 'closed deals', mql_to_sql_rate: 'MQLs', avg_deal_size: 'won', cost_per_lead: 'leads',
};

/** Money as evidence reads it: whole units ("$450", "$6,952"). */
const wholeMoney = (v: number, currency: string): string => formatMoney(Math.round(v), currency).replace(/\.00$/, '');

/** The numbers behind a pooled value: "17 of 30 closed deals", "$450 for 53 leads", "19 won" (without the noun: "17 of 30", "19"). */
export function evidenceOf(b: Pick<BreakdownFacts, 'def' | 'test'>, v: Pick<PooledValue, 'numerator' | 'denominator'>, currency: string, withNoun = true): string {
  const noun = UNIT_NOUN[b.def.id] ?? '';
  const den = `${formatCount(v.denominator)}${withNoun && noun ? ` ${noun}` : ''}`;
  if (b.test === 'rate') return `${formatCount(v.numerator)} of ${den}`;
  if (b.test === 'cost') return `${wholeMoney(v.numerator, currency)} for ${den}`;
  return den;
}

/** A pooled value in words: "Kwame Mensah at 56.7% (17 of 30 closed deals)"; a cost with no unit bought says so. */
function valuePhrase(b: BreakdownFacts, v: PooledValue, currency: string, withNoun: boolean): string {
  if (v.value === null) return `${v.label}, ${wholeMoney(v.numerator, currency)} spent and no ${UNIT_NOUN[b.def.id] === 'leads' ? 'lead' : 'unit'}`;
  return `${v.label} at ${say(v.value, b.def.unit, currency)} (${evidenceOf(b, v, currency, withNoun)})`;
}

/** Words for the two ends of a KPI's scale: best and worst, or what they mean for this KPI. */
function ends(b: BreakdownFacts): [string, string] {
  if (b.test === 'cost') return ['lowest cost', 'highest'];
  if (b.test === 'average') return ['biggest', 'smallest'];
  return ['best', 'worst'];
}

/** The rep who closes least, when they also opened more than an even share of the pool's pipeline. */
function opensMore(b: BreakdownFacts, ctx: CommentaryContext): string | undefined {
  const worst = b.worst;
  const pipeline = ctx.kpis.find((k) => k.def.id === 'pipeline_created');
  if (!worst || !pipeline) return undefined;
  const pooled = pipeline.storedWindow.slice(pipeline.storedWindow.length - b.periods.length);
  let mine = 0;
  let all = 0;
  const reps = new Set<string>();
  for (const k of pooled) {
    for (const [key, v] of Object.entries(k?.breakdowns?.owner ?? {})) {
      all += v.value ?? 0;
      if (key !== 'unknown') reps.add(key);
      if (key === worst.key) mine += v.value ?? 0;
    }
  }
  if (all <= 0 || reps.size < 2 || mine / all < 1 / reps.size) return undefined;
  return `${wholeMoney(mine, ctx.currency)} of pipeline created (${say(mine / all, 'rate', ctx.currency)} of all; an even share is ${say(1 / reps.size, 'rate', ctx.currency)})`;
}

function repSentence(b: BreakdownFacts, ctx: CommentaryContext, tail: string): string {
  const { best, worst } = b;
  const parts: string[] = [];
  if (best) parts.push(`Which reps close: ${valuePhrase(b, best, ctx.currency, true)}`);
  if (worst) {
    const opened = opensMore(b, ctx);
    parts.push(opened
      ? `${parts.length ? 'which' : 'Which'} open but rarely close: ${worst.label}, with ${opened}, won ${formatCount(worst.numerator)} of ` +
        `${formatCount(worst.denominator)} (${say(worst.value ?? 0, 'rate', ctx.currency)})`
      : `${parts.length ? 'closes least' : 'Closes least'}: ${valuePhrase(b, worst, ctx.currency, !best)}`);
  }
  return `${parts.join('; ')}; all reps: ${tail}.`;
}

function campaignSentence(b: BreakdownFacts, ctx: CommentaryContext, tail: string): string {
  const parts: string[] = [];
  if (b.best) parts.push(`Double down on ${valuePhrase(b, b.best, ctx.currency, true).replace(' at ', ': the lowest cost per lead, ')}`);
  if (b.worst) parts.push(`${parts.length ? 'costliest' : 'Costliest campaign'}: ${valuePhrase(b, b.worst, ctx.currency, !b.best)}`);
  return `${parts.join('; ')}; all campaigns: ${tail}.`;
}

function genericSentence(b: BreakdownFacts, ctx: CommentaryContext, tail: string): string {
  const spec = DIMENSIONS[b.dimension];
  const [hi, lo] = ends(b);
  const parts: string[] = [];
  if (b.best) parts.push(`${hi}: ${valuePhrase(b, b.best, ctx.currency, true)}`);
  if (b.worst) parts.push(`${lo}: ${valuePhrase(b, b.worst, ctx.currency, !b.best)}`);
  return `By ${spec.noun}, ${parts.join('; ')}; all ${spec.plural}: ${tail}.`;
}

/** The dimensions of a KPI whose breakdown the email comments on (the lead-source table has MQL → SQL by source). */
export function commentedDimensions(f: KpiFacts): Dimension[] {
  return (f.def.breakdownBy ?? []).filter((d) => !(f.segmentsBenchmarked && d === 'source'));
}

export function breakdowns(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const out: Sentence[] = [];
  for (const d of commentedDimensions(f)) {
    const b = breakdownFacts(f, d);
    if (!b || (!b.best && !b.worst)) continue;
    const tail = `${say(b.all.value, f.def.unit, ctx.currency)}, ${poolLabel(b.periods)}`;
    // Reps and campaigns carry the seed's advice; any other breakdown only puts its table into words, which the
    // email leaves out (`restates`): the table under the section shows the same values.
    const advice = d === 'owner' && f.def.id === 'win_rate' ? repSentence(b, ctx, tail) : d === 'campaign' && b.test === 'cost' ? campaignSentence(b, ctx, tail) : undefined;
    out.push(advice ? { rule: 'breakdowns', kpiId: f.def.id, text: advice } : { rule: 'breakdowns', kpiId: f.def.id, text: genericSentence(b, ctx, tail), restates: true });
  }
  return out;
}
