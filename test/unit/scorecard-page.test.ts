/**
 * The drill-down page, the CSV of every value, and the email's links to them, on the samples' October scorecard:
 * the page holds every KPI's whole stored history with numerators and denominators, the breakdowns, the lead-source
 * table, the data notes and the uploads behind each number; the CSV every value; the email links the page (and each
 * KPI's place on it), sends the definitions there, says who sends it, to whom and whom to ask, and attaches the CSV.
 */
import { simpleParser } from 'mailparser';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeMime } from '../../lambdas/adapters/mime.ts';
import { InMemoryPageStore } from '../../lambdas/adapters/s3-page-store.ts';
import { fileLinks, signedLinks } from '../../lambdas/domain/links.ts';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { renderPage } from '../../lambdas/domain/page/html.ts';
import { buildPageView } from '../../lambdas/domain/page/model.ts';
import { CSV_COLUMNS, scorecardCsv } from '../../lambdas/domain/scorecard/csv.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { loadHistory, publishPage, renderPageFiles } from '../../lambdas/use-cases/scorecard-page.ts';
import { loadStoredScorecard, renderScorecardFrom, type StoredScorecardData } from '../../lambdas/use-cases/send-scorecard.ts';
import type { StoredKpi } from '../../lambdas/ports/index.ts';
import { HOSTILE, OCTOBER, sampleKpiStore, storedKpis } from '../helpers/sample-view.ts';

const NOW = new Date('2026-11-01T06:00:00Z');
const SETTINGS = { ...DEFAULT_SETTINGS, sender: 'scorecard@acme.example', recipients: ['ceo@acme.example', 'cmo@acme.example'], contact: 'revops@acme.example' };
const KEY = Buffer.from('k'.repeat(64));
const LINKS = signedLinks('https://viewer.example/', KEY, '2026-10', 1_800_000_000);

let store: Awaited<ReturnType<typeof sampleKpiStore>>;
let data: StoredScorecardData;
let history: Map<string, StoredKpi[]>;

beforeAll(async () => {
  store = await sampleKpiStore();
  data = await loadStoredScorecard(OCTOBER, store);
  history = await loadHistory(OCTOBER, store);
});

const render = (options = {}) => renderScorecardFrom(OCTOBER, data, { clock: { now: () => NOW }, settings: SETTINGS }, { links: LINKS, ...options });
const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=');

describe('the email links to the page', () => {
  it('"View in browser" first, then each KPI’s name links to its place on the page', () => {
    const { html } = render();
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => decode(m[1]!));
    expect(hrefs[0]).toBe(LINKS.page);
    expect(html.indexOf('View in browser')).toBeLessThan(html.indexOf('Headlines'));
    for (const m of METRICS) expect(hrefs, m.id).toContain(LINKS.kpi(m.id));
    expect(hrefs).toContain(LINKS.definitions);
  });

  it('moves the definitions to the page, and says who sends it, to whom, and whom to ask', () => {
    const { html, text } = render();
    expect(html).not.toContain(METRICS[0]!.definition);
    expect(text).toContain(LINKS.definitions);
    const footer = 'Sent by Marketing scorecard (scorecard@acme.example) to ceo@acme.example, cmo@acme.example. Questions about these numbers: revops@acme.example (or reply to this email).';
    expect(html).toContain(footer);
    expect(text.replace(/\s+/g, ' ')).toContain(footer);
    expect(text).toContain(`View in browser, with every KPI’s history, breakdowns and sources:\n${LINKS.page}`);
    // A version for one group names that group's recipients.
    expect(render({ recipients: ['vp@acme.example'], sections: ['revenue'] }).html).toContain('to vp@acme.example.');
  });

  it('keeps the definitions in an email with no page', () => {
    const { html } = renderScorecardFrom(OCTOBER, data, { clock: { now: () => NOW }, settings: SETTINGS });
    expect(html).toContain(METRICS[0]!.definition);
    expect(html).not.toContain('View in browser');
  });

  it('attaches scorecard.csv, stays CRLF only, and keeps the HTML under 90 KB with links and breakdowns', async () => {
    const r = render();
    expect(r.view.breakdownTables?.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(r.html)).toBeLessThan(90 * 1024);
    const raw = await composeMime(r.emailTo('ceo@acme.example'));
    expect(raw.toString('latin1')).not.toMatch(/(?<!\r)\n/);
    const parsed = await simpleParser(raw);
    const csv = parsed.attachments.find((a) => a.contentType === 'text/csv');
    expect(csv?.filename).toBe('scorecard.csv');
    expect(csv?.contentDisposition).toBe('attachment');
    expect(csv?.content.toString('utf8')).toBe(r.csv);
  });
});

describe('scorecard.csv', () => {
  const rows = (csv: string): Record<string, string>[] => parse(csv, { columns: true, bom: true, record_delimiter: '\r\n' });

  it('has a row per KPI, per lead source and per breakdown value, with numerator, denominator, previous value and target', () => {
    const r = rows(scorecardCsv(OCTOBER, data.kpis, SETTINGS));
    const kpiRows = r.filter((x) => x.dimension === '');
    expect(kpiRows.map((x) => x.kpi_id)).toEqual(METRICS.map((m) => m.id));
    const current = data.kpis.get('2026-10')!;
    const previous = data.kpis.get('2026-09')!;
    const acceptance = kpiRows.find((x) => x.kpi_id === 'sql_acceptance_rate')!;
    expect(acceptance).toMatchObject({
      period: '2026-10', unit: 'rate', value: String(current.get('sql_acceptance_rate')!.value),
      numerator: String(current.get('sql_acceptance_rate')!.numerator), denominator: String(current.get('sql_acceptance_rate')!.denominator),
      previous_value: String(previous.get('sql_acceptance_rate')!.value), target_kind: 'min', target_min: '0.8',
    });
    expect(kpiRows.find((x) => x.kpi_id === 'revenue')).toMatchObject({ currency: 'USD' });
    // Every breakdown value of the period is there.
    const winRate = current.get('win_rate')!;
    for (const [d, values] of Object.entries(winRate.breakdowns ?? {})) {
      expect(r.filter((x) => x.kpi_id === 'win_rate' && x.dimension === d)).toHaveLength(Object.keys(values).length);
    }
    expect(r.some((x) => x.kpi_id === 'mql_to_sql_rate' && x.dimension === 'source')).toBe(true);
  });

  it('is RFC 4180 with CRLF and a byte-order mark, and never lets data start a formula', () => {
    const kpis = storedKpis({ leads: [100, 120] }, {
      leads: { breakdowns: { campaign: { '=cmd|x': { value: 5 }, 'a, "b"': { value: 7 } } } },
    });
    const csv = scorecardCsv(OCTOBER, kpis, SETTINGS);
    expect(csv.startsWith('\uFEFFperiod,')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(`\uFEFF${CSV_COLUMNS.join(',')}`);
    expect(csv).not.toMatch(/(?<!\r)\n/);
    const items = rows(csv).filter((x) => x.dimension === 'campaign').map((x) => x.item);
    expect(items).toEqual(["'=cmd|x", 'a, "b"']);
  });

  it('for a group, only its sections', () => {
    const ids = new Set(rows(scorecardCsv(OCTOBER, data.kpis, SETTINGS, ['web'])).map((x) => x.kpi_id));
    expect([...ids].sort()).toEqual(METRICS.filter((m) => m.section === 'web').map((m) => m.id).sort());
  });
});

describe('the page', () => {
  it('holds every KPI at its anchor with its whole stored history, numerators and denominators', () => {
    const { html } = renderPageFiles(OCTOBER, render().view, data, history, SETTINGS, '../scorecard.csv');
    for (const m of METRICS) {
      expect(html, m.id).toContain(`id="kpi-${m.id}"`);
      const stored = history.get(m.id)!;
      expect(html).toContain(`${m.label}, every period: ${stored.length} periods stored`);
    }
    // Every stored period: the samples hold more than the 12 a sparkline shows.
    expect(history.get('leads')!.length).toBeGreaterThan(12);
    const acceptance = data.kpis.get('2026-10')!.get('sql_acceptance_rate')!;
    expect(html).toMatch(new RegExp(`<th scope="row">Oct 2026</th><td>[0-9.]+%</td><td>${acceptance.numerator}</td><td>${acceptance.denominator}</td>`));
    expect(html).toContain('href="../scorecard.csv"');
  });

  it('shows the breakdowns, the lead-source table, the data notes, the uploads behind each number and the definitions', () => {
    const view = render().view;
    const { html } = renderPageFiles(OCTOBER, view, data, history, SETTINGS, '../scorecard.csv');
    expect(html).toContain('Win rate by rep');
    expect(html).toContain('Kwame Mensah');
    expect(html).toContain(view.sourceTable!.title);
    for (const n of view.dataNotes) expect(html).toContain(n.text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').slice(0, 40));
    expect(html).toMatch(/From: [^<]*salesforce-opportunities-2026-10\.csv \(opportunities\)/);
    expect(html).toContain('id="definitions"');
    for (const m of METRICS) expect(html).toContain(`id="definition-${m.id}"`);
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes data, so a name can never become markup', () => {
    const kpis = storedKpis({ leads: [100, 120] }, { leads: { breakdowns: { campaign: { x: { value: 5 } } }, breakdownLabels: { campaign: { x: HOSTILE.script } } } });
    const view = renderScorecardFrom(OCTOBER, { kpis }, { clock: { now: () => NOW }, settings: SETTINGS }).view;
    const html = renderPage(buildPageView({ view, history: new Map(), current: kpis.get('2026-10')!, currency: 'USD', csvHref: 'x.csv' }));
    expect(html).not.toContain(HOSTILE.script);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is published to the store with its CSV, the CSV link left for the viewer to sign', async () => {
    const pages = new InMemoryPageStore();
    await publishPage(parsePeriodId('2026-10'), render().view, data, store, pages, SETTINGS);
    expect(await pages.get('2026-10', 'index.html')).toContain('href="scorecard.csv?__signed_query__"');
    expect(await pages.get('2026-10', 'scorecard.csv')).toBe(scorecardCsv(OCTOBER, data.kpis, SETTINGS));
  });

  it('links from smarketing report’s email to the page beside it', () => {
    const r = renderScorecardFrom(OCTOBER, data, { clock: { now: () => NOW }, settings: SETTINGS }, { links: fileLinks('web/index.html', 'scorecard.csv') });
    expect(r.html).toContain('href="web&#x2F;index.html#kpi-leads"');
  });
});
