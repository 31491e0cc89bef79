/**
 * Rules `streak` (a KPI moving the wrong way three periods running) and `action` (the registry's recommended
 * action, for a KPI off its benchmark or on such a streak).
 */
import { describe, expect, it } from 'vitest';
import { streak } from '../../lambdas/domain/commentary/rules/streak.ts';
import { action, actionTrigger } from '../../lambdas/domain/commentary/rules/action.ts';
import { METRIC_BY_ID } from '../../lambdas/domain/metrics/registry.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const run = (id: string, values: (number | null)[], current = {}) => {
  const ctx = contextFor({ [id]: values }, { [id]: current });
  const f = factsOf(ctx, id);
  return { f, streak: streak(f, ctx), action: action(f, ctx) };
};

describe('rule streak', () => {
  it('names a third fall in a row, from where it started', () => {
    expect(run('avg_deal_size', [6000, 5800, 5400, 5000]).streak).toEqual([{
      rule: 'streak', kpiId: 'avg_deal_size', tone: 'bad',
      text: 'Average deal size has fallen 3 months running, from $6,000 in July 2026 to $5,000.',
    }]);
  });

  it('counts the whole streak, and a rise is the wrong way for a KPI where down is better', () => {
    expect(run('win_rate', [0.4, 0.38, 0.36, 0.35, 0.3]).streak[0]!.text).toBe('Win rate has fallen 4 months running, from 40% in June 2026 to 30%.');
    expect(run('cac', [4000, 4100, 4300, 4600]).streak[0]!.text).toBe('Customer acquisition cost has risen 3 months running, from $4,000 in July 2026 to $4,600.');
  });

  it('needs three wrong-way moves: two, a flat month or a gap end it', () => {
    expect(run('avg_deal_size', [5800, 5400, 5000]).streak).toEqual([]);
    expect(run('avg_deal_size', [6000, 5800, 5800, 5400, 5000]).streak).toEqual([]);
    expect(run('avg_deal_size', [6000, 5800, null, 5400, 5000]).streak).toEqual([]);
    expect(run('avg_deal_size', [5000, 5400, 5800, 6000]).streak).toEqual([]);
  });
});

describe('rule action', () => {
  it('recommends the registry’s action for a KPI off its benchmark', () => {
    const r = run('sql_acceptance_rate', [0.8, 0.75], { numerator: 75, denominator: 100 });
    expect(actionTrigger(r.f)).toBe('off-benchmark');
    expect(r.action).toEqual([{ rule: 'action', kpiId: 'sql_acceptance_rate', text: `Recommended: ${METRIC_BY_ID.get('sql_acceptance_rate')!.action}` }]);
  });

  it('recommends it for a KPI without a benchmark that moved the wrong way three periods running', () => {
    const r = run('avg_deal_size', [6000, 5800, 5400, 5000]);
    expect(actionTrigger(r.f)).toBe('wrong-way');
    expect(r.action[0]!.text).toBe('Recommended: Target higher-value accounts and review discounting.');
  });

  it('recommends it when SQL growth falls short of its target', () => {
    expect(run('sqls', [100, 102]).action).toHaveLength(1);
    expect(run('sqls', [100, 107]).action).toEqual([]);
  });

  it('recommends it for LTV : CAC above its band too (under-investing)', () => {
    expect(run('ltv_to_cac', [6.5]).action[0]!.text).toMatch(/above 5, growth is probably under-funded/);
  });

  it('stays quiet for a KPI on target and not trending the wrong way, or with no value', () => {
    expect(run('sql_acceptance_rate', [0.85, 0.84, 0.83, 0.82], { numerator: 82, denominator: 100 }).action).toHaveLength(1); // 3 falls
    expect(run('sql_acceptance_rate', [0.8, 0.82]).action).toEqual([]);
    expect(run('avg_deal_size', [5000, 5400]).action).toEqual([]);
    expect(run('avg_deal_size', [6000, 5800, 5400, null]).action).toEqual([]);
  });
});
