/**
 * The commentary rules, grouped as the email uses them: the sentences under each KPI, the headline, the banner
 * and the data notes. `RULES` lists every rule with what it says (docs/scorecard.md reads the same list).
 */
import { action } from './rules/action.ts';
import { benchmark } from './rules/benchmark.ts';
import { cappedLifespan, kpiNote } from './rules/capped-lifespan.ts';
import { dataNote, dataNoteWithUploads } from './rules/data-note.ts';
import { leadSources } from './rules/lead-sources.ts';
import { breakdowns } from './rules/breakdowns.ts';
import { attribution, churnBase } from './rules/questioned.ts';
import { missingData } from './rules/missing-data.ts';
import { movement } from './rules/movement.ts';
import { streak } from './rules/streak.ts';
import { rejectedUploads, unreadableUploads, uploads } from './rules/uploads.ts';
import type { CommentaryContext, KpiFacts, RuleId, Sentence } from './types.ts';

export type { CommentaryContext, KpiFacts, RuleId, Sentence, Tone, Trend } from './types.ts';
export { headline, subjectLine } from './rules/headline.ts';
export { missingDatasets } from './rules/missing-data.ts';

/** Every rule and what it says, in the order the email shows them. */
export const RULES: readonly { readonly id: RuleId; readonly says: string }[] = [
  {
    id: 'headline',
    says: 'revenue won and pipeline created first, then the three KPIs with the most news against their own history (a new high or low, a move far bigger than their usual, a change on a year before, three periods the same way, a benchmark crossed), material changes only; a rebound to the norm after an outlier is no news',
  },
  { id: 'missing-data', says: 'a banner when a required dataset has no records for the period, naming the KPIs that show n/a' },
  { id: 'data-note', says: 'why a KPI is not available, and which uploads its inputs came from' },
  { id: 'movement', says: 'how the KPI moved since the previous period, with the growth target when it has one' },
  { id: 'streak', says: 'a KPI that moved the wrong way three periods running, from what to what' },
  { id: 'benchmark', says: 'where the KPI stands against its benchmark or leadership target, with the numbers behind it' },
  { id: 'lead-sources', says: 'the best and worst lead source by MQL → SQL against the all-source rate' },
  {
    id: 'breakdowns',
    says: 'per rep, region, product, segment, source or campaign, the best and worst value that stand out from the all-values figure with enough volume (pooled periods, a 95% interval, a minimum count), with the seed\'s advice: which reps close, which open; double down on the cheapest campaign',
  },
  { id: 'capped-lifespan', says: 'that CLV (and LTV : CAC) used the lifespan cap because nobody churned' },
  { id: 'churn-base', says: 'a CLV (and LTV : CAC) resting on fewer than 10 churned customers: how many, and what one churn more or fewer would make it' },
  { id: 'attribution', says: 'a marketing-sourced share at 100% in 3 or more of the last 6 periods, this one included: check how sources are attributed' },
  { id: 'kpi-note', says: 'any other remark the KPI step stored with a value' },
  { id: 'action', says: 'the action the sources recommend, for a KPI off its benchmark or moving the wrong way three periods running' },
  { id: 'uploads', says: 'per dataset, how many uploads the numbers came from and the latest' },
  { id: 'rejected-uploads', says: 'uploads that were rejected and are not counted' },
  { id: 'unreadable-uploads', says: 'accepted uploads whose stored records could not be read, so the numbers leave them out' },
];

type KpiRule = (f: KpiFacts, ctx: CommentaryContext) => Sentence[];

/** The rules that write under a KPI, in reading order: what happened, against what, why, then what to do. */
const KPI_RULES: readonly KpiRule[] = [
  dataNote, movement, streak, benchmark, leadSources, breakdowns, cappedLifespan, churnBase, attribution, kpiNote, action,
];

/** The sentences under one KPI. */
export const kpiCommentary = (f: KpiFacts, ctx: CommentaryContext): Sentence[] => KPI_RULES.flatMap((rule) => rule(f, ctx));

/** The banner, when required data is missing. */
export const banner = (ctx: CommentaryContext): Sentence | undefined => missingData(ctx)[0];

/** The data notes: where the numbers came from, what was rejected, and each KPI in `kpis` that is not available. */
export const dataNotes = (ctx: CommentaryContext, kpis: readonly KpiFacts[] = ctx.kpis): Sentence[] => [
  ...uploads(ctx),
  ...rejectedUploads(ctx),
  ...unreadableUploads(ctx),
  ...kpis.flatMap((f) => dataNoteWithUploads(f, ctx)),
];
