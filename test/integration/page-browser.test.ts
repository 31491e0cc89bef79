/**
 * The samples' drill-down page in headless Chromium, at phone (375 px) and laptop (1280 px) widths and printed:
 * no horizontal overflow, and no accessibility violation of WCAG 2.0/2.1 A and AA by axe-core; screenshots go to
 * out/screenshots/ for a human to look at. Needs Chromium as the scorecard's browser test does (skipped without it
 * off CI, required under CI=true).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLinks } from '../../lambdas/domain/links.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { loadHistory, renderPageFiles } from '../../lambdas/use-cases/scorecard-page.ts';
import { loadStoredScorecard, renderScorecardFrom } from '../../lambdas/use-cases/send-scorecard.ts';
import { CHROMIUM, Chromium, IN_CI, MISSING_CHROMIUM, openTab, type Tab } from '../helpers/chromium.ts';
import { OCTOBER, sampleKpiStore } from '../helpers/sample-view.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../out/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The rules of WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

if (!CHROMIUM && !IN_CI) console.warn(`${MISSING_CHROMIUM}: skipping the drill-down page's browser tests (required under CI=true).`);

interface Layout {
  viewport: number;
  scrollWidth: number;
  overflowing: string[];
  kpis: number;
  charts: number;
  smallestFontPx: number;
}

const LAYOUT = `(() => {
  const vw = document.documentElement.clientWidth;
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const texts = [...document.body.querySelectorAll('*')].filter((e) => visible(e) && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  return {
    viewport: vw,
    scrollWidth: document.documentElement.scrollWidth,
    overflowing: [...document.body.querySelectorAll('*')].filter((e) => visible(e) && e.getBoundingClientRect().right > vw + 0.5)
      .slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)),
    kpis: document.querySelectorAll('article.kpi').length,
    charts: document.querySelectorAll('svg.chart').length,
    smallestFontPx: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize))),
  };
})()`;

const AXE_RUN = `(async () => {
  const r = await axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA)} }, resultTypes: ['violations'] });
  return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
})()`;

describe.skipIf(!CHROMIUM && !IN_CI)('the drill-down page in a browser', () => {
  let browser: Chromium;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error(`${MISSING_CHROMIUM}, and CI is set: the page's browser tests are required in CI.`);
    dir = mkdtempSync(join(tmpdir(), 'page-browser-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    const store = await sampleKpiStore();
    const data = await loadStoredScorecard(OCTOBER, store);
    const deps = { clock: { now: () => new Date('2026-11-01T06:00:00Z') }, settings: DEFAULT_SETTINGS };
    const view = renderScorecardFrom(OCTOBER, data, deps, { links: fileLinks('index.html', 'scorecard.csv') }).view;
    const { html } = renderPageFiles(OCTOBER, view, data, await loadHistory(OCTOBER, store), DEFAULT_SETTINGS, 'scorecard.csv');
    writeFileSync(join(dir, 'index.html'), html);
    url = pathToFileURL(join(dir, 'index.html')).href;
    browser = Chromium.launch(CHROMIUM, join(dir, 'profile'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  async function withTab<T>(width: number, options: { print?: boolean }, work: (tab: Tab) => Promise<T>): Promise<T> {
    const tab = await openTab(browser, url, width, options);
    try {
      return await work(tab);
    } finally {
      await tab.close();
    }
  }

  for (const width of [375, 1280]) {
    it(`fits ${width} px with every KPI and chart, and has no WCAG A/AA violation (axe-core)`, async () => {
      await withTab(width, {}, async (tab) => {
        const m = await tab.evaluate<Layout>(LAYOUT);
        expect(m.viewport).toBe(width);
        expect(m.overflowing, 'elements past the right edge').toEqual([]);
        expect(m.scrollWidth, 'horizontal overflow').toBeLessThanOrEqual(width);
        expect(m.kpis).toBe(24);
        expect(m.charts).toBe(24);
        expect(m.smallestFontPx).toBeGreaterThanOrEqual(12);
        await tab.evaluate(AXE);
        expect(await tab.evaluate<unknown[]>(AXE_RUN), 'axe-core violations').toEqual([]);
        writeFileSync(join(SCREENSHOTS, `page-${width}.png`), await tab.screenshot());
      });
    });
  }

  it('prints on a page width without overflow, the navigation left out', async () => {
    await withTab(794, { print: true }, async (tab) => {
      const m = await tab.evaluate<Layout & { navShown: boolean }>(`Object.assign(${LAYOUT}, { navShown: getComputedStyle(document.querySelector('nav.toc')).display !== 'none' })`);
      expect(m.scrollWidth).toBeLessThanOrEqual(794);
      expect(m.navShown).toBe(false);
    });
  });
});
