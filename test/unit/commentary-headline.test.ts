/** Rule `headline`: the three most important movements, and why each was picked. */
import { describe, expect, it } from 'vitest';
import { headline, rankMovements, scoreMovement } from '../../lambdas/domain/commentary/rules/headline.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

/** Twelve quiet months of a KPI wobbling around `base`, then `last`. */
const quiet = (base: number, last: number, wobble = 0.01): number[] => [...Array.from({ length: 12 }, (_, i) => base * (1 + (i % 2 ? wobble : -wobble))), last];

describe('rule headline', () => {
  it('puts a KPI that crossed its benchmark first, saying so', () => {
    const ctx = contextFor({
      sql_acceptance_rate: [...Array.from({ length: 12 }, () => 0.82), 0.78],
      leads: quiet(1000, 1400, 0.05),
    });
    const h = headline(ctx);
    expect(h[0]).toEqual({
      rule: 'headline', kpiId: 'sql_acceptance_rate', tone: 'bad', text: 'SQL acceptance fell 4 points to 78%, now below the 80% benchmark.', short: 'SQL acceptance down 4 pts', trend: 'down',
    });
    expect(h[1]!.kpiId).toBe('leads');
  });

  it('says when a KPI came back onto its benchmark', () => {
    const ctx = contextFor({ sql_acceptance_rate: [0.7, 0.72, 0.75, 0.85] });
    expect(headline(ctx)[0]!.text).toBe('SQL acceptance rose 10 points to 85%, back at or above the 80% benchmark.');
  });

  it('makes room for a KPI moving the wrong way three periods running, even in small steps', () => {
    const ctx = contextFor({ avg_deal_size: [6000, 5900, 5800, 5700] });
    expect(headline(ctx)).toEqual([
      { rule: 'headline', kpiId: 'avg_deal_size', tone: 'bad', text: 'Average deal size fell 1.7% to $5,700, the third fall in a row.', short: 'average deal size down 1.7%', trend: 'down' },
    ]);
  });

  it('still lets a move far outside a KPI’s habits outrank a streak', () => {
    const ctx = contextFor({ avg_deal_size: [6000, 5800, 5600, 5300], leads: quiet(1000, 1080) });
    expect(headline(ctx).map((s) => s.text)).toEqual([
      'Leads grew 6.9% to 1,080, its biggest move in 12 months.',
      'Average deal size fell 5.4% to $5,300, the third fall in a row.',
    ]);
  });

  it('weighs a move against the KPI’s own history: a steady KPI’s 8% beats a noisy KPI’s 20%', () => {
    const noisy = [100, 140, 90, 150, 80, 130, 100, 150, 90, 140, 100, 125, 150];
    const ctx = contextFor({ revenue: noisy, leads: quiet(1000, 1080) });
    expect(rankMovements(ctx.kpis).map((c) => c.facts.def.id)).toEqual(['leads', 'revenue']);
  });

  it('leaves out moves too small to matter on their own, and flat or incomparable KPIs', () => {
    const ctx = contextFor({ bounce_rate: quiet(0.41, 0.413, 0.001), sessions: quiet(40000, 40100), leads: [null, 500], mqls: [200, 200] });
    expect(scoreMovement(factsOf(ctx, 'bounce_rate'))).toBeUndefined();
    expect(scoreMovement(factsOf(ctx, 'sessions'))).toBeUndefined();
    expect(scoreMovement(factsOf(ctx, 'leads'))).toBeUndefined();
    expect(scoreMovement(factsOf(ctx, 'mqls'))).toBeUndefined();
    expect(headline(ctx)).toEqual([]);
  });

  it('says three things at most, in a stable order, and only about the KPIs it is given', () => {
    const ctx = contextFor({ leads: [100, 150], mqls: [100, 150], sqls: [100, 150], sessions: [100, 150] });
    expect(headline(ctx).map((s) => s.kpiId)).toEqual(['leads', 'mqls', 'sqls']);
    expect(headline(ctx, ctx.kpis.filter((k) => k.def.section === 'web')).map((s) => s.kpiId)).toEqual(['sessions']);
  });

  it('keeps the growth target in an SQL headline', () => {
    const ctx = contextFor({ sqls: [92, 100] });
    expect(headline(ctx)[0]!.text).toBe('SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.');
  });
});
