/**
 * `buildScorecardView`: stored KPIs of the period, the 12 before it and a year before → what the email shows.
 * The numbers (value, previous, change in % or points, year-over-year, 12-period series), the tone, the badge,
 * the commentary (every sentence carrying its rule), sections per recipient group.
 */
import { describe, expect, it } from 'vitest';
import { buildScorecardView, scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import { renderScorecard } from '../../lambdas/domain/scorecard/render.ts';
import { METRICS, SECTIONS } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { RULES } from '../../lambdas/domain/commentary/index.ts';
import type { StoredKpi, PeriodSummary } from '../../lambdas/ports/index.ts';
import type { KpiView, ScorecardView } from '../../lambdas/domain/scorecard/view.ts';
import { OCTOBER, storedKpis, summaryFor } from '../helpers/sample-view.ts';

const NOW = new Date('2026-11-01T06:00:00Z');

function view(
  series: Record<string, (number | null)[]>, current: Record<string, Partial<StoredKpi>> = {},
  extra: { summary?: PeriodSummary; sections?: ('acquisition' | 'conversion' | 'revenue' | 'efficiency' | 'web')[] } = {},
): ScorecardView {
  return buildScorecardView({ period: OCTOBER, kpis: storedKpis(series, current), settings: DEFAULT_SETTINGS, generatedAt: NOW, ...extra });
}

const kpi = (v: ScorecardView, id: string): KpiView => {
  const k = v.sections.flatMap((s) => s.kpis).find((x) => x.id === id);
  if (!k) throw new Error(`no ${id} in the view`);
  return k;
};

const thirteen = (first: number, step: number): number[] => Array.from({ length: 13 }, (_, i) => first + i * step);

describe('scorecardPeriods', () => {
  it('reads the period and the 12 before it; for months the year before is among them', () => {
    const { window, yearAgo, all } = scorecardPeriods(OCTOBER);
    expect(window.map((p) => p.id)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(yearAgo.id).toBe('2025-10');
    expect(all).toEqual(window);
  });

  it('adds the year before when it lies further back (weeks), and spans three years of quarters', () => {
    const weeks = scorecardPeriods(parsePeriodId('2026-W43'));
    expect(weeks.window).toHaveLength(13);
    expect(weeks.yearAgo.id).toBe('2025-W43');
    expect(weeks.all.map((p) => p.id)).toEqual(['2025-W43', ...weeks.window.map((p) => p.id)]);
    const quarters = scorecardPeriods(parsePeriodId('2026-Q4'));
    expect(quarters.window[0]!.id).toBe('2023-Q4');
    expect(quarters.yearAgo.id).toBe('2025-Q4');
    expect(quarters.all).toHaveLength(13);
  });
});

describe('buildScorecardView', () => {
  const v = view(
    { sqls: thirteen(40, 5).map((x, i) => (i === 12 ? 100 : i === 11 ? 92 : x)), sql_acceptance_rate: [0.815, 0.75], cac: [5000, 4000], leads: [1000, 1000.2] },
    { sql_acceptance_rate: { numerator: 75, denominator: 100 } },
    { summary: summaryFor() },
  );

  it('shows every KPI of the registry, in its section, in registry order', () => {
    expect(v.sections.map((s) => s.id)).toEqual(SECTIONS.map((s) => s.id));
    expect(v.sections.flatMap((s) => s.kpis.map((k) => k.id))).toEqual(
      SECTIONS.flatMap((s) => METRICS.filter((m) => m.section === s.id).map((m) => m.id)),
    );
    expect(v.definitions).toHaveLength(METRICS.length);
  });

  it('gives value, previous, change in percent with its absolute change, and the year before', () => {
    expect(kpi(v, 'sqls')).toMatchObject({
      value: '100', previous: '92', change: '+8.7%', changeAbsolute: '+8', trend: 'up', tone: 'good',
      yearAgo: { label: 'October 2025', value: '40', change: '+150.0%' },
    });
  });

  it('gives the change of a rate in points, and tone by direction (a falling CAC is good)', () => {
    expect(kpi(v, 'sql_acceptance_rate')).toMatchObject({ value: '75.0%', previous: '81.5%', change: '−6.5 pts', changeAbsolute: null, tone: 'bad', yearAgo: null });
    expect(kpi(v, 'cac')).toMatchObject({ change: '−20.0%', changeAbsolute: '−$1,000', trend: 'down', tone: 'good' });
    expect(kpi(v, 'leads')).toMatchObject({ change: 'unchanged', changeAbsolute: null, trend: 'flat', tone: 'neutral' });
  });

  it('shows a KPI with no value as n/a with its reason', () => {
    const arpu = kpi(v, 'arpu');
    expect(arpu).toMatchObject({ value: 'n/a', previous: null, change: null, trend: 'none' });
    expect(arpu.commentary.map((c) => c.rule)).toEqual(['data-note']);
  });

  it('carries the benchmark badge with its position and tone', () => {
    expect(kpi(v, 'sql_acceptance_rate').benchmark).toEqual({ text: 'Below the 80% benchmark', position: 'below', tone: 'bad', off: true });
    expect(kpi(v, 'sqls').benchmark).toEqual({ text: 'Within the 5–10% monthly growth target', position: 'within', tone: 'good', off: false });
    expect(kpi(v, 'leads').benchmark).toBeUndefined();
  });

  it('keeps the last 12 periods as the series, states them in the alt text and as text', () => {
    const k = kpi(v, 'sqls');
    expect(k.series).toHaveLength(12);
    expect(k.series![0]).toEqual({ label: 'Nov 2025', value: 45 });
    expect(k.series![11]).toEqual({ label: 'Oct 2026', value: 100 });
    // The alt text says what the line shows (low, high, now), not twelve numbers; the text part has them all.
    expect(k.sparkline).toEqual({ cid: 'spark-sqls@scorecard', alt: 'SQLs, Nov 2025 to Oct 2026: low 45 in Nov 2025, high 100 in Oct 2026, now 100' });
    expect(k.seriesText).toMatch(/^Nov 2025 45 · Dec 2025 50 · .* · Sep 2026 92 · Oct 2026 100$/);
    expect(kpi(v, 'sql_acceptance_rate').sparkline!.alt).toBe('SQL acceptance, Nov 2025 to Oct 2026: low 75.0% in Oct 2026, high 81.5% in Sep 2026, now 75.0%; no figure for 10 of 12');
  });

  it('draws no sparkline for fewer than two figures', () => {
    expect(kpi(view({ leads: [480] }), 'leads').sparkline).toBeUndefined();
  });

  it('writes commentary from the rules only, each sentence naming its rule and KPI', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const k of v.sections.flatMap((s) => s.kpis)) {
      for (const c of k.commentary) {
        expect(ids.has(c.rule)).toBe(true);
        expect(c.kpiId).toBe(k.id);
      }
    }
    expect(kpi(v, 'sql_acceptance_rate').commentary.map((c) => c.rule)).toEqual(['movement', 'benchmark', 'action']);
    for (const s of [...v.headline, ...v.dataNotes]) expect(ids.has(s.rule)).toBe(true);
    expect(v.headline.every((h) => h.rule === 'headline')).toBe(true);
  });

  it('opens with at most three headlines', () => {
    expect(v.headline.length).toBeGreaterThan(0);
    expect(v.headline.length).toBeLessThanOrEqual(3);
  });

  it('names the period, the previous one and when it was generated', () => {
    expect(v).toMatchObject({
      title: 'Scorecard for October 2026', periodLabel: 'October 2026', periodId: '2026-10',
      previousPeriodLabel: 'September 2026', previousPeriodShort: 'Sep', generatedAt: 'Generated 2026-11-01 06:00 UTC',
    });
  });

  it('puts the banner up when a required dataset is missing', () => {
    const missing = view({ sessions: [null] }, {}, { summary: summaryFor({ coverage: { leads: true, opportunities: true, spend: true, customers: true, web_traffic: false } }) });
    expect(missing.banner).toMatch(/^No web traffic export covers October 2026: /);
    expect(missing.missingDatasets).toEqual(['web_traffic']);
    expect(v.banner).toBeUndefined();
  });

  it('builds the lead-source table under its section, biggest source first', () => {
    const t = view({ mql_to_sql_rate: [0.25] }, {
      mql_to_sql_rate: { numerator: 60, denominator: 240, segments: { webinar: { value: 0.25, numerator: 50, denominator: 200 }, direct: { value: 0.25, numerator: 10, denominator: 40 }, none: { value: null, numerator: 0, denominator: 0 } } },
    }).sourceTable!;
    expect(t).toMatchObject({ sectionId: 'conversion', title: 'MQL → SQL by lead source', allSourceRate: '25.0%' });
    expect(t.rows.map((r) => [r.source, r.mqls, r.sqls, r.rate, r.tone])).toEqual([['webinar', '200', '50', '25.0%', 'neutral'], ['direct', '40', '10', '25.0%', 'neutral']]);
  });

  it('shows a recipient group only its sections, with a headline and notes about those', () => {
    const series = { leads: [100, 150], sessions: [100, 200], revenue: [100, 300], arpu: [null] };
    const web = view(series, {}, { sections: ['web'] });
    expect(web.sections.map((s) => s.id)).toEqual(['web']);
    expect(web.headline.map((h) => h.kpiId)).toEqual(['sessions']);
    expect(web.definitions.map((d) => d.label)).toEqual(['Sessions', 'Bounce rate', 'Visitor → lead']);
    expect(web.dataNotes.every((n) => !n.kpiId || ['sessions', 'bounce_rate', 'visitor_to_lead_rate'].includes(n.kpiId))).toBe(true);
    expect(web.sourceTable).toBeUndefined();
  });

  it('keeps hostile source names as text from the data through the commentary to the escaped HTML', () => {
    const hostile = { '<script>alert(1)</script>': { value: 0.5, numerator: 20, denominator: 40 }, '"><img src=x onerror=alert(1)> & co': { value: 0.1, numerator: 4, denominator: 40 } };
    const v2 = view({ mql_to_sql_rate: [0.3] }, { mql_to_sql_rate: { numerator: 24, denominator: 80, segments: hostile } });
    expect(kpi(v2, 'mql_to_sql_rate').commentary.find((c) => c.rule === 'lead-sources')!.text).toContain('<script>alert(1)</script> at 50%');
    const { html, text } = renderScorecard(v2);
    expect(html).not.toMatch(/<script|<img src=x|onerror=alert/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt; at 50%');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; co');
    expect(text).toContain('<script>alert(1)</script> at 50%');
  });

  it('is pure: the same stored KPIs give the same view', () => {
    expect(view({ sqls: [92, 100] })).toEqual(view({ sqls: [92, 100] }));
  });
});
