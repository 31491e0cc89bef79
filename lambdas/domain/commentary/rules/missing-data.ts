/**
 * Rule `missing-data`: when a required dataset has no records for the period, the banner at the top of the email
 * says which, and which KPIs show n/a because of it.
 */
import { DATASET_WORDS, list } from '../phrases.ts';
import type { DatasetName } from '../../layout.ts';
import type { CommentaryContext, Sentence } from '../types.ts';

/** KPIs named in the banner before it summarises the rest. */
const NAMED = 4;

/** The required datasets with no records in the period. */
export const missingDatasets = (ctx: CommentaryContext): DatasetName[] =>
  ctx.summary ? ctx.requiredDatasets.filter((d) => !ctx.summary!.coverage[d]) : [];

export function missingData(ctx: CommentaryContext): Sentence[] {
  const missing = missingDatasets(ctx);
  if (missing.length === 0) return [];
  // A KPI counting new customers reads them from customers, or from leads when there are no customer records.
  const reads = (k: CommentaryContext['kpis'][number]): DatasetName[] => [...k.def.inputs, ...(k.def.usesNewCustomers ? (['customers', 'leads'] as const) : [])];
  const affected = ctx.kpis.filter((k) => k.value === null && reads(k).some((d) => missing.includes(d))).map((k) => k.def.label);
  const words = list(missing.map((d) => DATASET_WORDS[d] ?? d));
  const shown = affected.length > NAMED + 1 ? [...affected.slice(0, NAMED), `${affected.length - NAMED} more KPIs`] : affected;
  const consequence = affected.length
    ? `${list(shown)} ${affected.length === 1 ? 'shows' : 'show'} n/a`
    : 'no KPI is affected';
  return [{ rule: 'missing-data', text: `No ${words} export covers ${ctx.period.label}: ${consequence}.`, tone: 'bad' }];
}
