/**
 * Numbers executives will question get a note, not silence (the formulas stay as metrics.md gives them):
 *
 * - Rule `churn-base`: a CLV whose churn rate rests on a handful of churned customers says how many, and what one
 *   churn more or fewer would make it ("CLV rests on 3 customers who churned in December 2025, of 205 at its
 *   start: one more would make it $101,794, one fewer $203,588."). LTV : CAC, computed from CLV, says the same of
 *   itself. CLV is ARPU × margin / monthly churn, and monthly churn is proportional to the churned count, so with k
 *   churns one more gives CLV × k / (k + 1), one fewer × k / (k − 1) (none: the lifespan cap).
 * - Rule `attribution`: a marketing-sourced share that shows 100% again and again (this period and at least two
 *   more of the last six) asks to check how sources are attributed: real pipelines have sales-sourced deals.
 */
import { say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

/** Fewer churned customers than this and CLV says how many it rests on. */
export const CHURN_BASE_MIN = 10;
/** Periods looked back on for a share stuck at 100%, this one included, and how many of them at 100% make a note. */
export const ATTRIBUTION_WINDOW = 6;
export const ATTRIBUTION_MIN = 3;
/** A share that shows as 100.0%. */
const FULL_SHARE = 0.9995;

const SHARES: Readonly<Record<string, string>> = {
  marketing_sourced_pipeline_pct: 'pipeline created', marketing_sourced_revenue_pct: 'revenue won',
};

/** The churns CLV rests on this period: its stored detail, or undefined (none stored, none churned, or many). */
function thinChurn(clv: KpiFacts | undefined): { churned: number; active: number; value: number } | undefined {
  const d = clv?.stored?.detail;
  if (!clv || clv.value === null || !d || d.churned === undefined || d.active_at_start === undefined) return undefined;
  if (d.churned === 0 || d.churned >= CHURN_BASE_MIN) return undefined;
  return { churned: d.churned, active: d.active_at_start, value: clv.value };
}

/** "one more would make it $17,253, one fewer $21,566" for a value inversely proportional to the churn count. */
function whatIf(value: number, k: number, unit: 'money' | 'ratio', currency: string, cap: number): string {
  const more = say((value * k) / (k + 1), unit, currency);
  const fewer = k > 1 ? say((value * k) / (k - 1), unit, currency) : `the ${cap}-month lifespan cap would apply`;
  return k > 1 ? `one more would make it ${more}, one fewer ${fewer}` : `one more would make it ${more}; with none, ${fewer}`;
}

export function churnBase(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  if (f.value === null || (f.def.id !== 'clv' && f.def.id !== 'ltv_to_cac')) return [];
  const base = thinChurn(f.def.id === 'clv' ? f : ctx.kpis.find((k) => k.def.id === 'clv'));
  if (!base) return [];
  const { churned, active } = base;
  const customers = `${churned} customer${churned === 1 ? '' : 's'} who churned in ${ctx.period.label}, of ${active} at its start`;
  const cap = ctx.clvLifespanCapMonths;
  const text = f.def.id === 'clv'
    ? `CLV rests on ${customers}: ${whatIf(f.value, churned, 'money', ctx.currency, cap)}.`
    : `Its CLV rests on ${customers}: ${whatIf(f.value, churned, 'ratio', ctx.currency, cap)}.`;
  return [{ rule: 'churn-base', kpiId: f.def.id, text }];
}

export function attribution(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const what = SHARES[f.def.id];
  if (!what || f.value === null || f.value < FULL_SHARE) return [];
  const recent = f.window.slice(-ATTRIBUTION_WINDOW).filter((p) => p.value !== null);
  const full = recent.filter((p) => p.value! >= FULL_SHARE).length;
  if (full < ATTRIBUTION_MIN) return [];
  const periods = `${ctx.period.type}s`;
  return [{
    rule: 'attribution', kpiId: f.def.id,
    text: `All ${what} was marketing-sourced in ${full} of the last ${recent.length} ${periods}: check how sources are attributed ` +
      '(are outbound and sales-generated deals tagged as such, and does the list of sales-sourced sources match the CRM\'s names?).',
  }];
}
