/**
 * Rule `breakdowns` and the facts it stands on (commentary/breakdown-facts.ts): periods pooled by volume, a value
 * called best or worst only when the difference is more than chance (a Wilson interval for rates, a Poisson test
 * for costs, the spread of deal sizes for averages) with a minimum count; the seed's advice for reps and campaigns;
 * the breakdown tables of the view.
 */
import { describe, expect, it } from 'vitest';
import { breakdownFacts, POOL_MIN, poolLabel, wilson } from '../../lambdas/domain/commentary/breakdown-facts.ts';
import { breakdowns } from '../../lambdas/domain/commentary/rules/breakdowns.ts';
import type { KpisByPeriod } from '../../lambdas/domain/commentary/facts.ts';
import type { BreakdownValue, Dimension } from '../../lambdas/domain/metrics/dimensions.ts';
import type { StoredKpi } from '../../lambdas/domain/model.ts';
import { previousPeriod } from '../../lambdas/domain/periods/period.ts';
import { breakdownTable } from '../../lambdas/domain/scorecard/breakdown-tables.ts';
import { commentaryContext, scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { factsOf, OCTOBER } from '../helpers/sample-view.ts';

type Values = Record<string, [number, number]>; // value key → [numerator, denominator]

/**
 * One KPI with a breakdown by `d` in each of the last `months` months (the same every month), and the context;
 * `others` adds breakdowns by other dimensions (of the same records: their values add up to the same total).
 */
function context(
  id: string, d: Dimension, values: Values, months = 1, more: Record<string, Partial<StoredKpi>> = {}, labels: Record<string, string> = {},
  others: Partial<Record<Dimension, Values>> = {},
) {
  const kpis = new Map<string, Map<string, StoredKpi>>(scorecardPeriods(OCTOBER).all.map((p) => [p.id, new Map()]));
  for (let i = 0; i < months; i++) {
    const p = previousPeriod(OCTOBER, i);
    const by: Record<string, BreakdownValue> = {};
    let num = 0;
    let den = 0;
    for (const [k, [n, m]] of Object.entries(values)) {
      by[k] = { value: m ? n / m : null, numerator: n, denominator: m };
      num += n;
      den += m;
    }
    kpis.get(p.id)!.set(id, {
      id, periodId: p.id, periodType: 'month', value: num / den, numerator: num, denominator: den, uploads: [], computedAt: '',
      breakdowns: { [d]: by, ...Object.fromEntries(Object.entries(others).map(([o, vs]) => [o, Object.fromEntries(
        Object.entries(vs).map(([k, [n, m]]) => [k, { value: m ? n / m : null, numerator: n, denominator: m }]),
      )])) }, ...(Object.keys(labels).length ? { breakdownLabels: { [d]: labels } } : {}), ...more[p.id],
    });
  }
  return commentaryContext({ period: OCTOBER, kpis: kpis as KpisByPeriod, settings: DEFAULT_SETTINGS, generatedAt: new Date(0) });
}

describe('breakdown facts', () => {
  it('Wilson interval: 1 win of 1 spans 21%–100%; 17 of 30 is 39%–73%', () => {
    const one = wilson(1, 1);
    expect(one.lo).toBeCloseTo(0.2065, 3);
    expect(one.hi).toBe(1);
    const w = wilson(17, 30);
    expect(w.lo).toBeCloseTo(0.3920, 3);
    expect(w.hi).toBeCloseTo(0.7262, 3);
  });

  it('a rep with 1 win of 1 deal is never best; with 10 deals or more, only an interval clear of the all-values rate counts', () => {
    const ctx = context('win_rate', 'owner', { lucky: [1, 1], strong: [18, 30], even: [10, 30], weak: [3, 30], unknown: [0, 20] });
    const b = breakdownFacts(factsOf(ctx, 'win_rate'), 'owner')!;
    expect(b.all).toEqual({ value: 32 / 111, numerator: 32, denominator: 111 });
    expect(b.best?.key).toBe('strong');
    expect(b.worst?.key).toBe('weak');
    expect(b.values.find((v) => v.key === 'lucky')).toMatchObject({ judged: false, value: 1 });
    expect(b.values.find((v) => v.key === 'even')).toMatchObject({ judged: true });
    expect(b.values.find((v) => v.key === 'even')!.standsOut).toBeUndefined();
    // A blank owner counts in the total, but is never a best or a worst.
    expect(b.values.find((v) => v.key === 'unknown')).toMatchObject({ judged: false });
  });

  it(`pools months until the all-values denominator reaches ${POOL_MIN} (1, 3, then 6 months), and says which`, () => {
    // 70 closed a month: 210 in three months.
    const three = breakdownFacts(factsOf(context('win_rate', 'owner', { a: [10, 35], b: [5, 35] }, 12), 'win_rate'), 'owner')!;
    expect(three.periods.map((p) => p.id)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(three.all).toEqual({ value: 45 / 210, numerator: 45, denominator: 210 });
    // 60 a month: 180 in three, so six; 20 a month never reaches 200: six months, the longest step.
    expect(breakdownFacts(factsOf(context('win_rate', 'owner', { a: [10, 30], b: [5, 30] }, 12), 'win_rate'), 'owner')!.periods).toHaveLength(6);
    const tiny = breakdownFacts(factsOf(context('win_rate', 'owner', { a: [2, 10], b: [1, 10] }, 12), 'win_rate'), 'owner')!;
    expect(tiny.periods).toHaveLength(6);
    expect(poolLabel(tiny.periods)).toBe('May–Oct 2026');
    // A pool reaching back before the data starts at the first month with a value.
    expect(poolLabel(breakdownFacts(factsOf(context('win_rate', 'owner', { a: [2, 10], b: [1, 10] }, 2), 'win_rate'), 'owner')!.periods)).toBe('Sep–Oct 2026');
    const big = breakdownFacts(factsOf(context('win_rate', 'owner', { a: [100, 150], b: [40, 150] }, 12), 'win_rate'), 'owner')!;
    expect(big.periods.map((p) => p.id)).toEqual(['2026-10']);
    expect(poolLabel(big.periods)).toBe('October 2026');
  });

  it('cost per lead: a value is cheaper or dearer when its leads are beyond chance from what its spend buys at the all-values cost', () => {
    // All: $10,000 for 200 leads = $50. "cheap": $1,000 bought 60 (20 expected); "dear": $4,000 bought 40 (80 expected);
    // "near": $2,000 bought 45 (40 expected: within chance); "idle": $1,000, no lead (20 expected); "free": no spend.
    const ctx = context('cost_per_lead', 'campaign', { cheap: [1000, 60], dear: [4000, 40], near: [2000, 45], idle: [1000, 0], free: [0, 30], rest: [2000, 25] });
    const b = breakdownFacts(factsOf(ctx, 'cost_per_lead'), 'campaign')!;
    expect(b.all.value).toBe(50);
    expect(b.best?.key).toBe('cheap');
    expect(b.worst?.key).toBe('idle'); // spent and bought nothing: the worst of all
    expect(b.values.find((v) => v.key === 'dear')?.standsOut).toBe('worse');
    expect(b.values.find((v) => v.key === 'near')?.standsOut).toBeUndefined();
    expect(b.values.find((v) => v.key === 'free')).toMatchObject({ judged: false });
  });

  it('deal size: an average stands out by the spread of all deals (Σ amount² kept with the KPI), with 10 deals or more', () => {
    // 40 deals: 20 of $20,000 ("big"), 20 of $5,000 ("small"): all $12,500, spread $7,596 → a 20-deal average is
    // clear of the mean by more than 1.96 × 7,596 / √20 = $3,329.
    const squares = 20 * 20_000 ** 2 + 20 * 5_000 ** 2;
    const ctx = context('avg_deal_size', 'product', { big: [400_000, 20], small: [100_000, 20] }, 1, { '2026-10': { detail: { sum_of_squares: squares } } });
    const b = breakdownFacts(factsOf(ctx, 'avg_deal_size'), 'product')!;
    expect(b.best?.key).toBe('big');
    expect(b.worst?.key).toBe('small');
    // Without the spread (values stored before it was kept), nothing is judged.
    const old = breakdownFacts(factsOf(context('avg_deal_size', 'product', { big: [400_000, 20], small: [100_000, 20] }), 'avg_deal_size'), 'product')!;
    expect(old.best).toBeUndefined();
    expect(old.values.every((v) => !v.judged)).toBe(true);
  });
});

describe('rule breakdowns', () => {
  it('win rate by rep: which reps close, which open (pipeline above an even share) but rarely close', () => {
    const ctx = context('win_rate', 'owner', { 'kwame mensah': [18, 30], 'zoë schäfer': [3, 30], 'dana whitfield': [10, 30] }, 1, {
      '2026-10': {},
    }, { 'kwame mensah': 'Kwame Mensah', 'zoë schäfer': 'Zoë Schäfer', 'dana whitfield': 'Dana Whitfield' });
    const win = factsOf(ctx, 'win_rate');
    const pipeline = factsOf(ctx, 'pipeline_created');
    const withPipeline = {
      ...ctx,
      kpis: ctx.kpis.map((k) => (k === pipeline ? {
        ...k, storedWindow: [...k.storedWindow.slice(0, -1), {
          id: 'pipeline_created', periodId: '2026-10', periodType: 'month' as const, value: 500_000, uploads: [], computedAt: '',
          breakdowns: { owner: { 'kwame mensah': { value: 100_000 }, 'zoë schäfer': { value: 250_000 }, 'dana whitfield': { value: 150_000 } } },
        }],
      } : k)),
    };
    expect(breakdowns(win, withPipeline)).toEqual([{
      rule: 'breakdowns', kpiId: 'win_rate',
      text: 'Which reps close: Kwame Mensah at 60% (18 of 30 closed deals); which open but rarely close: Zoë Schäfer, with $250,000 of ' +
        'pipeline created (50% of all; an even share is 33.3%), won 3 of 30 (10%); all reps: 34.4%, October 2026.',
    }]);
    // Without pipeline to show they open, the weak closer is only the one who closes least.
    expect(breakdowns(win, ctx)[0]!.text).toContain('; closes least: Zoë Schäfer at 10% (3 of 30);');
  });

  it('cost per lead by campaign: double down on the cheapest; a campaign that spent and bought nothing says so', () => {
    const ctx = context('cost_per_lead', 'campaign', { newsletter: [450, 53], event: [7000, 0], search: [9000, 150] }, 1, {}, { newsletter: 'Monthly Newsletter', event: 'Event: Dreamforce' });
    expect(breakdowns(factsOf(ctx, 'cost_per_lead'), ctx).map((s) => s.text)).toEqual([
      'Double down on Monthly Newsletter: the lowest cost per lead, $8.49 ($450 for 53 leads); costliest: Event: Dreamforce, $7,000 spent and no lead; ' +
        'all campaigns: $81.03, October 2026.',
    ]);
  });

  it('any other breakdown is worded, marked as restating its table, and nothing is said when nothing stands out', () => {
    const ctx = context('win_rate', 'region', { emea: [40, 60], apac: [5, 50], na: [30, 100] }, 1, {}, { emea: 'EMEA', apac: 'APAC', na: 'North America' });
    expect(breakdowns(factsOf(ctx, 'win_rate'), ctx)).toEqual([{
      rule: 'breakdowns', kpiId: 'win_rate', restates: true,
      text: 'By region, best: EMEA at 66.7% (40 of 60 closed deals); worst: APAC at 10% (5 of 50); all regions: 35.7%, October 2026.',
    }]);
    const even = context('win_rate', 'region', { emea: [20, 60], na: [30, 100] });
    expect(breakdowns(factsOf(even, 'win_rate'), even)).toEqual([]);
    // MQL → SQL by source is the lead-source table's: no breakdown sentence for it.
    const sources = context('mql_to_sql_rate', 'source', { a: [40, 60], b: [5, 50] });
    expect(breakdowns(factsOf(sources, 'mql_to_sql_rate'), sources)).toEqual([]);
  });

  it('the table: per dimension with a standout its best and worst row, the dimensions where nothing does named', () => {
    const ctx = context('win_rate', 'region', { emea: [40, 60], apac: [5, 50], na: [30, 100] }, 1, {}, { emea: 'EMEA', apac: 'APAC' }, {
      segment: { smb: [38, 105], enterprise: [37, 105] }, product: { pro: [75, 210] },
    });
    expect(breakdownTable(factsOf(ctx, 'win_rate'), 'USD')).toEqual({
      sectionId: 'conversion', kpiId: 'win_rate', title: 'Win rate by region',
      note: 'October 2026 · all: 35.7% (75 of 210 closed deals). Better: above, worse: below it beyond chance (95% interval), 10 closed deals or more. ' +
        'No product or segment stands out.',
      evidenceHead: 'Won of closed', valueHead: 'Rate',
      groups: [{ name: 'Region', rows: [
        { name: 'EMEA', evidence: '40 of 60', value: '66.7%', tone: 'good' },
        { name: 'APAC', evidence: '5 of 50', value: '10.0%', tone: 'bad' },
      ] }],
    });
    expect(breakdownTable(factsOf(context('win_rate', 'region', { emea: [20, 60], na: [30, 100] }), 'win_rate'), 'USD')).toBeUndefined();
  });
});
