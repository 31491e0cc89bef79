/** Rule `movement`: the move since the previous period in words, with the growth target when there is one. */
import { describe, expect, it } from 'vitest';
import { movement } from '../../lambdas/domain/commentary/rules/movement.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const say = (series: Record<string, (number | null)[]>, id: string) => {
  const ctx = contextFor(series);
  return movement(factsOf(ctx, id), ctx);
};

describe('rule movement', () => {
  it('says the spec’s SQL example word for word, inside the growth target', () => {
    expect(say({ sqls: [92, 100] }, 'sqls')).toEqual([
      { rule: 'movement', kpiId: 'sqls', text: 'SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.', tone: 'good' },
    ]);
  });

  it('places the growth against the target: below, above, and when SQLs fell', () => {
    expect(say({ sqls: [100, 103] }, 'sqls')[0]!.text).toBe('SQLs grew 3% to 103, below the 5–10% monthly growth target.');
    expect(say({ sqls: [100, 125] }, 'sqls')[0]!.text).toBe('SQLs grew 25% to 125, above the 5–10% monthly growth target.');
    expect(say({ sqls: [100, 90] }, 'sqls')[0]).toMatchObject({ text: 'SQLs fell 10% to 90, below the 5–10% monthly growth target.', tone: 'bad' });
  });

  it('speaks of points for rates', () => {
    expect(say({ sql_acceptance_rate: [0.815, 0.75] }, 'sql_acceptance_rate')[0]).toMatchObject({
      text: 'SQL acceptance fell 6.5 points to 75%.', tone: 'bad',
    });
    expect(say({ win_rate: [0.3, 0.31] }, 'win_rate')[0]!.text).toBe('Win rate rose 1 point to 31%.');
  });

  it('knows which way is good: a falling CAC is good news, a longer sales cycle bad', () => {
    expect(say({ cac: [5000, 4500] }, 'cac')[0]).toMatchObject({ text: 'Customer acquisition cost fell 10% to $4,500.', tone: 'good' });
    expect(say({ sales_cycle_days: [40, 44] }, 'sales_cycle_days')[0]).toMatchObject({ text: 'Sales cycle rose 10% to 44 days.', tone: 'bad' });
  });

  it('calls a move that rounds to nothing flat', () => {
    expect(say({ leads: [1000, 1000.2] }, 'leads')[0]).toMatchObject({ text: 'Leads held at 1,000.', tone: 'neutral' });
  });

  it('says when there is nothing to compare with, and moves from zero without a percentage', () => {
    expect(say({ leads: [480] }, 'leads')[0]!.text).toBe('Leads was 480; there is no figure for September 2026 to compare with.');
    expect(say({ leads: [0, 12] }, 'leads')[0]!.text).toBe('Leads grew from 0 to 12.');
  });

  it('says nothing about a KPI with no value (rule data-note does)', () => {
    expect(say({ leads: [480, null] }, 'leads')).toEqual([]);
  });

  it('marks a plain movement as restating the card’s figures, but not one with a growth target', () => {
    expect(say({ leads: [465, 480] }, 'leads')[0]!.restates).toBe(true);
    expect(say({ sqls: [92, 100] }, 'sqls')[0]!.restates).toBeUndefined();
    expect(say({ leads: [480] }, 'leads')[0]!.restates).toBeUndefined();
  });
});
