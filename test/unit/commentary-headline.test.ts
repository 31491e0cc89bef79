/**
 * Rule `headline`: revenue and pipeline first, then the KPIs with the most news against their own history (far
 * from their norm, a move bigger than their usual, a year before, three periods the same way, a benchmark crossed),
 * each saying why; a rebound to the norm after an outlier is no news. Tested on constructed histories.
 */
import { describe, expect, it } from 'vitest';
import { newsOf } from '../../lambdas/domain/commentary/news.ts';
import { trendOf } from '../../lambdas/domain/commentary/facts.ts';
import { headline, newsOfKpi, rankNews, subjectLine } from '../../lambdas/domain/commentary/rules/headline.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

/** Twelve months of a KPI wobbling by ±`wobble` around `base` (October 2025 to September 2026), then October's `last`. */
const steady = (base: number, last: number, wobble = 0.02): number[] => [...Array.from({ length: 12 }, (_, i) => base * (1 + (i % 2 ? wobble : -wobble))), last];
/** A rate's twelve months within ±`pts` points of `base`, then `last`. */
const steadyRate = (base: number, last: number, pts = 0.01): number[] => [...Array.from({ length: 12 }, (_, i) => base + (i % 2 ? pts : -pts)), last];
/** Revenue and pipeline that did nothing remarkable. */
const QUIET_MONEY = { revenue: steady(100_000, 104_000), pipeline_created: steady(300_000, 309_000) };

const news = (series: Record<string, (number | null)[]>) => headline(contextFor({ ...QUIET_MONEY, ...series })).slice(2);

describe('rule headline: the opening', () => {
  it('opens with revenue won and pipeline created, in that order, even when they did nothing remarkable', () => {
    const h = headline(contextFor({ ...QUIET_MONEY, win_rate: steadyRate(0.38, 0.32, 0.015) }));
    expect(h.map((s) => s.kpiId)).toEqual(['revenue', 'pipeline_created', 'win_rate']);
    expect(h[0]).toMatchObject({ text: 'Revenue won rose 2% to $104,000.', trend: 'up', tone: 'good', short: 'revenue won up 2%' });
    expect(h[1]!.text).toBe('Pipeline created rose 1% to $309,000.');
  });

  it('says why when revenue or pipeline is news too', () => {
    const h = headline(contextFor({ revenue: steady(100_000, 70_000), pipeline_created: steady(300_000, 309_000) }));
    expect(h[0]).toMatchObject({ kpiId: 'revenue', tone: 'bad', trend: 'down' });
    expect(h[0]!.text).toBe('Revenue won fell 31.4% to $70,000, its lowest in 13 months.');
  });

  it('leaves them out of a variant whose sections do not show them, and when they have no value', () => {
    const ctx = contextFor({ ...QUIET_MONEY, sessions: steady(40_000, 52_000) });
    expect(headline(ctx, ctx.kpis.filter((k) => k.def.section === 'web')).map((s) => s.kpiId)).toEqual(['sessions']);
    expect(headline(contextFor({ sessions: steady(40_000, 52_000) })).map((s) => s.kpiId)).toEqual(['sessions']);
  });
});

describe('rule headline: what is news', () => {
  it('a 6-point fall in a steady win rate', () => {
    expect(news({ win_rate: steadyRate(0.38, 0.32, 0.015) })).toEqual([{
      rule: 'headline', kpiId: 'win_rate', tone: 'bad', trend: 'down', short: 'win rate down 7.5 pts',
      text: 'Win rate fell 7.5 points to 32%, its lowest in 13 months.',
    }]);
  });

  it('a 19% drop in a steady average deal size', () => {
    const [h] = news({ avg_deal_size: steady(10_000, 8_300, 0.03) });
    expect(h).toMatchObject({ kpiId: 'avg_deal_size', tone: 'bad', trend: 'down' });
    expect(h!.text).toBe('Average deal size fell 19.4% to $8,300, its lowest in 13 months.');
  });

  it('a sales cycle that doubled on a year, in small monthly steps', () => {
    const cycle = [50, 55, 60, 65, 70, 74, 78, 82, 86, 90, 93, 96, 100];
    const [h] = news({ sales_cycle_days: cycle });
    expect(h).toMatchObject({ kpiId: 'sales_cycle_days', tone: 'bad', trend: 'up', short: 'sales cycle up 100% on a year' });
    expect(h!.text).toBe('Sales cycle: 100 days, double October 2025’s 50 days.');
  });

  it('not a rebound to the norm after an outlier: the outlier month was the news', () => {
    const norm = steadyRate(0.58, 0.58, 0.015).slice(0, 11);
    const outlier = headline(contextFor({ ...QUIET_MONEY, sql_to_opportunity_rate: [...norm, 0.58, 0.365] }));
    expect(outlier.map((s) => s.text)).toContain('SQL → opportunity fell 21.5 points to 36.5%, its lowest in 13 months.');
    const rebound = contextFor({ ...QUIET_MONEY, sql_to_opportunity_rate: [...norm.slice(1), 0.58, 0.365, 0.582] });
    expect(newsOfKpi(factsOf(rebound, 'sql_to_opportunity_rate'))).toBeUndefined();
    expect(headline(rebound).map((s) => s.kpiId)).toEqual(['revenue', 'pipeline_created']);
  });

  it('not a move of a noisy KPI that is usual for it: a steady KPI’s 12% outranks a noisy one’s 25%', () => {
    const noisy = [100, 140, 90, 150, 80, 130, 100, 150, 90, 140, 100, 120, 150];
    const ranked = rankNews(contextFor({ mqls: noisy, leads: steady(1000, 1120, 0.01) }).kpis).map((n) => n.facts.def.id);
    expect(ranked[0]).toBe('leads');
    expect(news({ mqls: noisy })).toEqual([]);
  });

  it('not a change too small to matter, however unusual: under 2 points or 10%', () => {
    const ctx = contextFor({ bounce_rate: steadyRate(0.41, 0.425, 0.001), leads: steady(1000, 1080, 0.005), mqls: [200, 200] });
    expect(newsOfKpi(factsOf(ctx, 'bounce_rate'))).toBeUndefined();
    expect(newsOfKpi(factsOf(ctx, 'leads'))).toBeUndefined();
    expect(newsOfKpi(factsOf(ctx, 'mqls'))).toBeUndefined();
  });

  it('a KPI that crossed its benchmark, saying so, first among the news', () => {
    const h = news({ sql_acceptance_rate: steadyRate(0.82, 0.785, 0.005), leads: steady(1000, 1150, 0.01) });
    expect(h[0]).toMatchObject({ kpiId: 'sql_acceptance_rate', text: 'SQL acceptance fell 4 points to 78.5%, now below the 80% benchmark.' });
  });

  it('three periods the same way, from where it started', () => {
    // (A year before, ARPU was as high as now: the run is the news, not the year.)
    const arpu = [730, 612, 588, 606, 594, 600, 612, 588, 600, 600, 640, 690, 740];
    const [h] = news({ arpu });
    expect(h!.text).toBe('ARPU rose 7.2% to $740.00, the third rise in a row, from $600.00 in July 2026.');
  });

  it('three news at most after the opening, revenue outcomes before web traffic at the same unusualness', () => {
    const ctx = contextFor({
      ...QUIET_MONEY, sessions: steady(40_000, 30_000), avg_deal_size: steady(10_000, 7_500), leads: steady(1000, 750), mqls: steady(400, 300),
    });
    expect(headline(ctx).map((s) => s.kpiId)).toEqual(['revenue', 'pipeline_created', 'avg_deal_size', 'leads', 'mqls']);
  });

  it('needs a few periods of history to judge a KPI by its own; until then only a big move counts', () => {
    const young = contextFor({ leads: [1000, 1080], mqls: [100, 150] });
    expect(newsOfKpi(factsOf(young, 'leads'))).toBeUndefined();
    expect(newsOf(factsOf(young, 'mqls'), (a, b) => trendOf(a, b, 'count'))?.lead.kind).toBe('move');
  });
});

describe('subjectLine, from the headline', () => {
  it('is revenue and the first piece of news', () => {
    const ctx = contextFor({ ...QUIET_MONEY, win_rate: steadyRate(0.38, 0.32, 0.015) });
    expect(subjectLine(ctx, headline(ctx))).toBe('October 2026: revenue won up 2%, win rate down 7.5 pts');
  });
});
