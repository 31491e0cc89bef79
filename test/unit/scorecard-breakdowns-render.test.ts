/**
 * The breakdown tables in the email: under their KPI's section in the HTML and the text part, names escaped, and
 * the email under Gmail's clipping size even when every dimension of every KPI has a best and a worst value.
 */
import Mustache from 'mustache';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { renderScorecard, TEXT_WIDTH } from '../../lambdas/domain/scorecard/render.ts';
import type { BreakdownTableView } from '../../lambdas/domain/scorecard/view.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { renderStoredScorecard } from '../../lambdas/use-cases/send-scorecard.ts';
import { SAMPLE_BANNER, sampleKpiStore, sampleView } from '../helpers/sample-view.ts';

const row = (name: string, good: boolean) => ({ name, evidence: good ? '1,234 of 2,345' : '$123,456 for 1,234', value: good ? '52.6%' : '$12,345.67', tone: good ? 'good' as const : 'bad' as const });
/** A table with a best and a worst value for each of `dims`, names as long as real campaign names get. */
const table = (sectionId: string, kpiId: string, dims: readonly string[]): BreakdownTableView => ({
  sectionId, kpiId, title: `${kpiId} by ${dims.join(', ')}`,
  note: 'May–Oct 2026 · all: 30.5% (60 of 197 closed deals). Better: above, worse: below it beyond chance (95% interval), 10 closed deals or more.',
  evidenceHead: 'Won of closed', valueHead: 'Rate',
  groups: dims.map((d) => ({ name: d, rows: [row(`2026 Q4 | Search | Generic | EMEA | ${d} best`, true), row(`2026 Q4 | Display | Retargeting | NA | ${d} worst`, false)] })),
});
const FULL = [
  table('acquisition', 'cost_per_lead', ['Source', 'Campaign']),
  table('conversion', 'win_rate', ['Source', 'Rep', 'Region', 'Product', 'Segment']),
  table('revenue', 'avg_deal_size', ['Rep', 'Region', 'Product', 'Segment']),
];

describe('breakdown tables in the email', () => {
  it('come under their section, in the HTML and in the text part, with names escaped', () => {
    const hostile = { ...FULL[1]!, groups: [{ name: 'Rep', rows: [row('<img src=x onerror=alert(1)> & Zoë', true)] }] };
    const { html, text } = renderScorecard(sampleView({ breakdownTables: [hostile] }));
    expect(html).toContain(Mustache.escape('<img src=x onerror=alert(1)> & Zoë'));
    expect(html).not.toContain('<img src=x');
    const conversion = html.indexOf('>Conversion</h2>');
    const revenue = html.indexOf('>Revenue</h2>');
    const at = html.indexOf(Mustache.escape(hostile.title));
    expect(conversion).toBeGreaterThan(0);
    expect(at > conversion && at < revenue).toBe(true);
    const t = text.indexOf(hostile.title.toUpperCase());
    expect(t > text.indexOf('\nCONVERSION\n') && t < text.indexOf('\nREVENUE\n')).toBe(true);
    expect(text).toMatch(/<img src=x onerror=alert\(1\)> & Zoë\s+1,234 of 2,345\s+52\.6% better/);
  });

  it('keep the text part within its width, a long name on lines of its own', () => {
    const { text } = renderScorecard(sampleView({ breakdownTables: FULL }));
    expect(text.split('\n').filter((l) => [...l].length > TEXT_WIDTH)).toEqual([]);
    expect(text).toMatch(/2026 Q4 \| Search \| Generic \| EMEA \| Rep best\s+1,234 of 2,345\s+52\.6% better/);
  });

  it('keep a full scorecard under 90 KB of HTML with a best and a worst value for every dimension of every KPI', () => {
    const { html } = renderScorecard(sampleView({ banner: SAMPLE_BANNER, breakdownTables: FULL }));
    expect(FULL.flatMap((t) => t.groups.flatMap((g) => g.rows))).toHaveLength(22);
    expect(Buffer.byteLength(html)).toBeLessThan(90 * 1024);
  });

  describe('the samples’ October scorecard', () => {
    let rendered: Awaited<ReturnType<typeof renderStoredScorecard>>;
    beforeAll(async () => {
      rendered = await renderStoredScorecard(parsePeriodId('2026-10'), {
        kpis: await sampleKpiStore(), clock: { now: () => new Date('2026-11-01T06:00:00Z') }, settings: DEFAULT_SETTINGS,
      });
    });

    it('says which reps close and which open, which region wins more, which product sells bigger deals, which campaign to double down on', () => {
      const tables = rendered.view.breakdownTables ?? [];
      const rows = (kpiId: string, group: string) => tables.find((t) => t.kpiId === kpiId)?.groups.find((g) => g.name === group)?.rows.map((r) => [r.name, r.tone]);
      expect(rows('win_rate', 'Rep')).toEqual([['Kwame Mensah', 'good'], ['Zoë Schäfer', 'bad']]);
      expect(rows('win_rate', 'Region')?.[0]).toEqual(['EMEA', 'good']);
      expect(rows('avg_deal_size', 'Product')).toEqual([['Scorecard Enterprise', 'good'], ['Data Connectors', 'bad']]);
      expect(rows('cost_per_lead', 'Campaign')?.[0]).toEqual(['Monthly Newsletter', 'good']);
      const text = rendered.text.replace(/\s+/g, ' ');
      expect(text).toContain('Which reps close: Kwame Mensah at 52% (13 of 25 closed deals); which open but rarely close: Zoë Schäfer');
      expect(text).toContain('Double down on Monthly Newsletter: the lowest cost per lead');
    });

    it('stays under 90 KB of HTML', () => {
      expect(Buffer.byteLength(rendered.html)).toBeLessThan(90 * 1024);
    });
  });
});
