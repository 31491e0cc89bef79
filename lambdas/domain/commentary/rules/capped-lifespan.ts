/**
 * Rule `capped-lifespan`: when nobody churned in the period, CLV's lifespan is the configured cap, not a measured
 * one; CLV and LTV : CAC both say so. Rule `kpi-note`: any other remark the KPI step stored with a value.
 */
import { say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

const CLV = 'clv';
/** KPIs computed from CLV, which inherit its cap. */
const FROM_CLV: ReadonlySet<string> = new Set(['ltv_to_cac']);

const clvFacts = (ctx: CommentaryContext): KpiFacts | undefined => ctx.kpis.find((k) => k.def.id === CLV);
const isCapped = (clv: KpiFacts | undefined): boolean => clv !== undefined && clv.value !== null && Boolean(clv.stored?.note);

export function cappedLifespan(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  if (f.value === null) return [];
  const cap = ctx.clvLifespanCapMonths;
  if (f.def.id === CLV && isCapped(f)) {
    return [{
      rule: 'capped-lifespan', kpiId: f.def.id,
      text: `No customer churned in ${ctx.period.label}, so CLV assumes the ${cap}-month lifespan cap instead of a measured churn rate.`,
    }];
  }
  const clv = clvFacts(ctx);
  if (FROM_CLV.has(f.def.id) && isCapped(clv)) {
    return [{
      rule: 'capped-lifespan', kpiId: f.def.id,
      text: `It rests on a CLV of ${say(clv!.value!, 'money', ctx.currency)} with the lifespan capped at ${cap} months (no churn in ${ctx.period.label}).`,
    }];
  }
  return [];
}

export function kpiNote(f: KpiFacts, _ctx: CommentaryContext): Sentence[] {
  const note = f.stored?.note;
  if (!note || f.value === null || f.def.id === CLV) return [];
  return [{ rule: 'kpi-note', kpiId: f.def.id, text: `Note: ${note}.` }];
}
