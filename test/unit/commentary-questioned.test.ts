/**
 * Numbers executives will question get a note: rule `churn-base` (a CLV resting on a handful of churned customers
 * says how many, and what one more or fewer would make it) and rule `attribution` (a marketing-sourced share at 100%
 * again and again asks to check how sources are attributed).
 */
import { describe, expect, it } from 'vitest';
import { attribution, churnBase } from '../../lambdas/domain/commentary/rules/questioned.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const clvDetail = (churned: number, active: number) => ({ arpu: 700, monthly_churn: churned / active, lifespan_months: active / churned, gross_margin: 1, churned, active_at_start: active });

describe('rule churn-base', () => {
  it('says how many churns CLV rests on, and what one more or fewer would make it (CLV ∝ 1 / churns)', () => {
    const ctx = contextFor({ clv: [20_000, 18_000], ltv_to_cac: [4, 4] }, { clv: { detail: clvDetail(9, 241) } });
    expect(churnBase(factsOf(ctx, 'clv'), ctx)).toEqual([{
      rule: 'churn-base', kpiId: 'clv',
      text: 'CLV rests on 9 customers who churned in October 2026, of 241 at its start: one more would make it $16,200, one fewer $20,250.',
    }]);
    expect(churnBase(factsOf(ctx, 'ltv_to_cac'), ctx)[0]!.text).toBe(
      'Its CLV rests on 9 customers who churned in October 2026, of 241 at its start: one more would make it 3.6 : 1, one fewer 4.5 : 1.',
    );
  });

  it('with one churn, says that none would mean the lifespan cap', () => {
    const ctx = contextFor({ clv: [135_725] }, { clv: { detail: clvDetail(1, 205) } });
    expect(churnBase(factsOf(ctx, 'clv'), ctx)[0]!.text).toBe(
      'CLV rests on 1 customer who churned in October 2026, of 205 at its start: one more would make it $67,863; with none, the 60-month lifespan cap would apply.',
    );
  });

  it('says nothing with 10 churns or more, with none (the capped-lifespan rule speaks), or without the counts', () => {
    for (const detail of [clvDetail(10, 241), { ...clvDetail(1, 200), churned: 0 }, { arpu: 700 }]) {
      const ctx = contextFor({ clv: [20_000] }, { clv: { detail } });
      expect(churnBase(factsOf(ctx, 'clv'), ctx)).toEqual([]);
    }
    const ctx = contextFor({ clv: [20_000], arpu: [700] }, { clv: { detail: clvDetail(3, 100) } });
    expect(churnBase(factsOf(ctx, 'arpu'), ctx)).toEqual([]);
  });
});

describe('rule attribution', () => {
  it('asks to check attribution when a marketing-sourced share is 100% in 3 or more of the last 6 periods, this one included', () => {
    const ctx = contextFor({ marketing_sourced_revenue_pct: [0.9, 1, 1, 1, 0.757, 0.976, 1] });
    expect(attribution(factsOf(ctx, 'marketing_sourced_revenue_pct'), ctx)).toEqual([{
      rule: 'attribution', kpiId: 'marketing_sourced_revenue_pct',
      text: 'All revenue won was marketing-sourced in 4 of the last 6 months: check how sources are attributed (are outbound and ' +
        'sales-generated deals tagged as such, and does the list of sales-sourced sources match the CRM\'s names?).',
    }]);
  });

  it('says nothing when this period is below 100%, when 100% is rare, or for other KPIs', () => {
    const below = contextFor({ marketing_sourced_pipeline_pct: [1, 1, 1, 1, 1, 0.97] });
    expect(attribution(factsOf(below, 'marketing_sourced_pipeline_pct'), below)).toEqual([]);
    const rare = contextFor({ marketing_sourced_pipeline_pct: [1, 0.9, 0.9, 0.95, 0.9, 1] });
    expect(attribution(factsOf(rare, 'marketing_sourced_pipeline_pct'), rare)).toEqual([]);
    const other = contextFor({ sql_acceptance_rate: [1, 1, 1] });
    expect(attribution(factsOf(other, 'sql_acceptance_rate'), other)).toEqual([]);
  });
});
