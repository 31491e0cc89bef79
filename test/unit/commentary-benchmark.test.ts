/** Rule `benchmark`: where the KPI stands against its benchmark, with the numbers behind it. */
import { describe, expect, it } from 'vitest';
import { benchmark } from '../../lambdas/domain/commentary/rules/benchmark.ts';
import { DEFAULT_SETTINGS, parseSettings } from '../../lambdas/domain/settings.ts';
import type { StoredKpi } from '../../lambdas/ports/index.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const say = (id: string, values: (number | null)[], current: Partial<StoredKpi> = {}, settings = DEFAULT_SETTINGS) => {
  const ctx = contextFor({ [id]: values }, { [id]: current }, { settings });
  return benchmark(factsOf(ctx, id), ctx);
};

describe('rule benchmark', () => {
  it('says the spec’s SQL acceptance example word for word', () => {
    expect(say('sql_acceptance_rate', [0.8, 0.75], { numerator: 75, denominator: 100 })).toEqual([{
      rule: 'benchmark', kpiId: 'sql_acceptance_rate', tone: 'bad',
      text: 'SQL acceptance 75% is below the 80% benchmark: 25 of 100 SQLs were rejected.',
    }]);
  });

  it('on target, says so with the accepted share, marked as restating the badge', () => {
    expect(say('sql_acceptance_rate', [0.85], { numerator: 85, denominator: 100 })).toEqual([{
      rule: 'benchmark', kpiId: 'sql_acceptance_rate', tone: 'good', restates: true,
      text: 'SQL acceptance 85% meets the 80% benchmark: 85 of 100 SQLs were accepted.',
    }]);
  });

  it('uses the band of the business model', () => {
    const lead = { numerator: 50, denominator: 1000 };
    expect(say('lead_to_customer_rate', [0.04], { numerator: 40, denominator: 1000 })[0]!.text)
      .toBe('Lead → customer 4% is below the 5–10% benchmark: 40 of 1,000 leads became customers.');
    expect(say('lead_to_customer_rate', [0.05], lead, parseSettings({ businessModel: 'saas' }))[0]!.text)
      .toBe('Lead → customer 5% is within the 2–5% benchmark: 50 of 1,000 leads became customers.');
    expect(say('lead_to_customer_rate', [0.05], lead, parseSettings({ businessModel: 'ecommerce' }))[0])
      .toMatchObject({ text: 'Lead → customer 5% is below the 20% benchmark: 50 of 1,000 leads became customers.', tone: 'bad' });
  });

  it('says "target" for leadership’s own target, whichever way is better', () => {
    const settings = parseSettings({ targets: { cost_per_lead: 50, win_rate: 0.3 } });
    expect(say('cost_per_lead', [61], { numerator: 6100, denominator: 100 }, settings)[0]).toMatchObject({
      text: 'Cost per lead $61.00 is above the $50.00 target: $6,100 of marketing spend for 100 leads.', tone: 'bad',
    });
    expect(say('win_rate', [0.32], { numerator: 32, denominator: 100 }, settings)[0]).toMatchObject({
      text: 'Win rate 32% meets the 30% target: 32 of 100 closed deals were won.', tone: 'good',
    });
  });

  it('treats LTV : CAC above its band as off target (under-investing), not as a win', () => {
    const [s] = say('ltv_to_cac', [6.2], { numerator: 31000, denominator: 5000 });
    expect(s).toMatchObject({ text: 'LTV : CAC 6.2 : 1 is above the benchmark (3–5): CLV $31,000 against CAC $5,000.', tone: 'neutral' });
    expect(s!.restates).toBeUndefined();
  });

  it('leaves growth targets to rule movement and per-source benchmarks to rule lead-sources', () => {
    expect(say('sqls', [92, 100])).toEqual([]);
    expect(say('mql_to_sql_rate', [0.3], { numerator: 30, denominator: 100 })).toEqual([]);
  });

  it('says nothing for a KPI without a benchmark or without a value', () => {
    expect(say('leads', [480])).toEqual([]);
    expect(say('sql_acceptance_rate', [0.8, null])).toEqual([]);
  });

  it('still says the position when the numbers behind it are not stored', () => {
    expect(say('sql_acceptance_rate', [0.7])[0]!.text).toBe('SQL acceptance 70% is below the 80% benchmark.');
  });
});
