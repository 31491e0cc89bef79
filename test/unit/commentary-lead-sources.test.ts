/** Rule `lead-sources`: the best and worst lead source by MQL → SQL, against the all-source rate. */
import { describe, expect, it } from 'vitest';
import { leadSources, MIN_SOURCE_DENOMINATOR, rankSources } from '../../lambdas/domain/commentary/rules/lead-sources.ts';
import type { SegmentValue } from '../../lambdas/domain/metrics/registry.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const seg = (sqls: number, mqls: number): SegmentValue => ({ value: mqls ? sqls / mqls : null, numerator: sqls, denominator: mqls });

const say = (segments: Record<string, SegmentValue>) => {
  const sqls = Object.values(segments).reduce((a, s) => a + (s.numerator ?? 0), 0);
  const mqls = Object.values(segments).reduce((a, s) => a + (s.denominator ?? 0), 0);
  const ctx = contextFor({ mql_to_sql_rate: [sqls / mqls] }, { mql_to_sql_rate: { numerator: sqls, denominator: mqls, segments } });
  return leadSources(factsOf(ctx, 'mql_to_sql_rate'), ctx);
};

describe('rule lead-sources', () => {
  it('names the best and the worst source with their numbers (the spec’s webinar example: 50 of 200 is 25%)', () => {
    expect(say({ webinar: seg(50, 200), referrals: seg(9, 18), 'direct traffic': seg(3, 17), 'organic search': seg(30, 100) })).toEqual([{
      rule: 'lead-sources', kpiId: 'mql_to_sql_rate',
      text: 'Best lead source: referrals at 50% (9 of 18 MQLs); worst: direct traffic at 17.6% (3 of 17); all sources: 27.5%.',
    }]);
  });

  it('leaves out sources too small to mean anything, and says so', () => {
    const s = say({ webinar: seg(50, 200), tiny: seg(3, 3), search: seg(10, 100), partner: seg(0, 2) });
    expect(s.map((x) => x.text)).toEqual([
      'Best lead source: webinar at 25% (50 of 200 MQLs); worst: search at 10% (10 of 100); all sources: 20.7%.',
      `2 sources with fewer than ${MIN_SOURCE_DENOMINATOR} MQLs are left out.`,
    ]);
  });

  it('only calls a source best when it beats the all-source rate, worst when below it', () => {
    expect(say({ a: seg(10, 40), b: seg(10, 40) })).toEqual([]);
  });

  it('keeps a source name exactly as the data has it (the renderer escapes it)', () => {
    expect(say({ '<script>x</script>': seg(20, 40), b: seg(5, 40) })[0]!.text).toContain('<script>x</script> at 50%');
  });

  it('ranks by rate, ties by name, and says nothing for KPIs not benchmarked per source', () => {
    expect(rankSources({ b: seg(5, 10), a: seg(5, 10), c: seg(9, 10) }).ranked.map((r) => r.source)).toEqual(['c', 'a', 'b']);
    const ctx = contextFor({ leads: [100] }, { leads: { segments: { webinar: { value: 10 } } } });
    expect(leadSources(factsOf(ctx, 'leads'), ctx)).toEqual([]);
  });
});
