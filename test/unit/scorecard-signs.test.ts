/**
 * One meaning for arrows everywhere: ▲/▼ is the way the number went, whatever the tone; whether that is good news
 * is said in words (better/worse) as well as colour, in the headlines, the glance table, the cards, the source and
 * breakdown tables. A change agrees with the figures shown beside it, and "pts" is explained once.
 */
import { describe, expect, it } from 'vitest';
import { movement } from '../../lambdas/domain/commentary/rules/movement.ts';
import { formatChange, shownPoints } from '../../lambdas/domain/scorecard/format.ts';
import { GLANCE_KEY, renderScorecard } from '../../lambdas/domain/scorecard/render.ts';
import { buildScorecardView } from '../../lambdas/domain/scorecard/view-model.ts';
import type { KpiView, ScorecardView } from '../../lambdas/domain/scorecard/view.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { allKpis, contextFor, factsOf, OCTOBER, sampleView, storedKpis } from '../helpers/sample-view.ts';

const NOW = new Date('2026-11-01T06:00:00Z');
const quiet = (base: number, last: number): number[] => [...Array.from({ length: 12 }, (_, i) => base * (1 + (i % 2 ? 0.01 : -0.01))), last];

function viewOf(series: Record<string, (number | null)[]>): ScorecardView {
  return buildScorecardView({ period: OCTOBER, kpis: storedKpis(series), settings: DEFAULT_SETTINGS, generatedAt: NOW });
}
const kpi = (v: ScorecardView, id: string): KpiView => allKpis(v).find((k) => k.id === id)!;

describe('arrows say which way the number went; words and colour say whether that is good', () => {
  // CAC up 30% (bad news going up), sales cycle down 40% (good news going down), leads up (good).
  const v = viewOf({ cac: quiet(4000, 5200), sales_cycle_days: quiet(100, 60), leads: quiet(1000, 1300) });
  const { html, text } = renderScorecard(v);

  it('in the headlines: ▲ for a rise that is bad news, with the word', () => {
    const cac = v.headline.find((h) => h.kpiId === 'cac')!;
    expect(cac).toMatchObject({ trend: 'up', tone: 'bad' });
    const row = new RegExp(`<td class="dot bad"[^>]*>▲</td><td class="li"[^>]*><b class="bad"[^>]*>Worse:</b> ${cac.text.replace(/[$.]/g, '\\$&')}`);
    expect(row.test(html)).toBe(true);
    expect(text).toContain(`▲ Worse: ${cac.text.slice(0, 30)}`);
    const cycle = v.headline.find((h) => h.kpiId === 'sales_cycle_days')!;
    expect(/<td class="dot good"[^>]*>▼<\/td><td class="li"[^>]*><b class="good"[^>]*>Better:<\/b> Sales cycle fell/.test(html)).toBe(true);
    expect(cycle.trend).toBe('down');
  });

  it('in the glance table and on the cards: arrow, change and the word, in the tone colour', () => {
    // (The month before October is the quiet series' high: 4,040 and 101 days.)
    expect(/<td class="gc bad"[^>]*><b>▲\u00a0\+28\.7% worse<\/b>/.test(html)).toBe(true);
    expect(/<td class="gc good"[^>]*><b>▼\u00a0−40\.6% better<\/b>/.test(html)).toBe(true);
    expect(html.includes('▲ +28.7% (+$1,160) worse')).toBe(true);
    expect(text).toMatch(/Customer acquisition cost\s+\$5,200\s+▲ \+28\.7% worse/);
  });

  it('uses ▲ and ▼ for nothing else: each one is a KPI that went up or down (glance, card, headline), and the key', () => {
    const kpis = allKpis(v);
    const count = (arrow: string) => (html.match(new RegExp(arrow, 'g')) ?? []).length;
    const moved = (trend: string) => kpis.filter((k) => k.trend === trend).length * 2 + v.headline.filter((h) => h.trend === trend).length;
    expect(count('▲')).toBe(moved('up') + 1);
    expect(count('▼')).toBe(moved('down') + 1);
  });

  it('explains "pts" once, beside the arrows and words, in both parts', () => {
    expect(GLANCE_KEY).toContain('percentage points (pts)');
    expect(html.split('percentage points (pts)')).toHaveLength(2);
    expect(text.replace(/\s+/g, ' ').split('percentage points (pts)')).toHaveLength(2);
  });
});

describe('the source and breakdown tables: better or worse than all, in words', () => {
  const view = sampleView({
    breakdownTables: [{
      sectionId: 'conversion', kpiId: 'win_rate', title: 'Win rate by rep', note: 'All: 30%.', evidenceHead: 'Won of closed', valueHead: 'Rate',
      groups: [{ name: 'Rep', rows: [
        { name: 'Kwame', evidence: '13 of 25', value: '52.0%', tone: 'good' }, { name: 'Zoë', evidence: '2 of 30', value: '6.7%', tone: 'bad' },
      ] }],
    }],
  });
  const { html, text } = renderScorecard(view);
  const table = html.slice(html.indexOf('MQL → SQL rate by lead source'));

  it('says better, worse or in line for each source, never with an arrow', () => {
    expect(table).toMatch(/<td class="good"[^>]*><b>30\.8% better<\/b><\/td>/);
    expect(table).toMatch(/<td class="bad"[^>]*><b>22\.2% worse<\/b><\/td>/);
    expect(table).toMatch(/<td class="neutral"[^>]*>25\.0% in line<\/td>/);
    expect(table.slice(0, table.indexOf('</table>'))).not.toMatch(/[▲▼]/);
    expect(text).toMatch(/Organic search\s+52\s+16\s+30\.8% better/);
  });

  it('says better or worse for a breakdown row, with no arrow', () => {
    const bk = html.slice(html.indexOf('Win rate by rep'));
    expect(bk).toMatch(/<b>52\.0% better<\/b>/);
    expect(bk).toMatch(/<b>6\.7% worse<\/b>/);
    expect(bk.slice(0, bk.indexOf('</table>'))).not.toMatch(/[▲▼]/);
    expect(text).toMatch(/Kwame\s+13 of 25\s+52\.0% better/);
  });
});

describe('a change agrees with the figures beside it', () => {
  it('shows −0.1 pts between 40.8% and 40.9%, even when the exact rates differ by less', () => {
    expect(shownPoints(0.40849, 0.40851)).toBe(-0.1);
    expect(formatChange(0.40849, 0.40851, 'rate', 'USD')).toBe('−0.1 pts');
    const v = viewOf({ lead_to_mql_rate: [0.40851, 0.40849] });
    expect(kpi(v, 'lead_to_mql_rate')).toMatchObject({ value: '40.8%', previous: '40.9%', change: '−0.1 pts', trend: 'down', tone: 'bad' });
    const ctx = contextFor({ lead_to_mql_rate: [0.40851, 0.40849] });
    expect(movement(factsOf(ctx, 'lead_to_mql_rate'), ctx)[0]!.text).toBe('Lead → MQL fell 0.1 points to 40.8%.');
  });

  it('calls two rates that read the same unchanged, whatever their last digits', () => {
    const v = viewOf({ lead_to_mql_rate: [0.40841, 0.40849] });
    expect(kpi(v, 'lead_to_mql_rate')).toMatchObject({ value: '40.8%', previous: '40.8%', change: 'unchanged', trend: 'flat', tone: 'neutral' });
    expect(renderScorecard(v).html).toContain('– unchanged');
  });

  it('says "about the same" for a change that rounds to 0.0% between figures that read differently', () => {
    expect(formatChange(104_500, 104_450, 'money', 'USD')).toBe('about the same');
    expect(formatChange(480, 480, 'count', 'USD')).toBe('unchanged');
    const v = viewOf({ revenue: [104_450, 104_500] });
    expect(kpi(v, 'revenue')).toMatchObject({ value: '$104,500', previous: '$104,450', change: 'about the same', trend: 'flat' });
    expect(/0\.0 ?(pts|%)/.test(renderScorecard(v).html)).toBe(false);
  });
});
