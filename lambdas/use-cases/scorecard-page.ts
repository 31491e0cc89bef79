/**
 * The period's drill-down page and CSV, written by the report function beside the email, and the signed links the
 * email carries to them. The page holds every KPI's whole stored history (one `getHistory` per KPI, on the KPI
 * history index), the period's breakdowns, the lead-source table, the data notes and which uploads fed each number;
 * the CSV every value with its numerator, denominator, previous value, target and breakdowns.
 */
import { METRICS } from '../domain/metrics/registry.ts';
import type { Period } from '../domain/periods/period.ts';
import { DEFAULT_LINK_VALIDITY_DAYS, type Settings } from '../domain/settings.ts';
import { signedLinks, SIGNED_QUERY_SLOT, type PageLinks } from '../domain/links.ts';
import { buildPageView } from '../domain/page/model.ts';
import { renderPage } from '../domain/page/html.ts';
import { scorecardCsv } from '../domain/scorecard/csv.ts';
import type { ScorecardView } from '../domain/scorecard/view.ts';
import type { KpiStore, LinkKeySource, PageStore, StoredKpi } from '../ports/index.ts';
import type { StoredScorecardData } from './send-scorecard.ts';

/** Where the page lives and how its links are signed; absent, the scorecard goes out without links. */
export interface PageDeps {
  readonly pages: PageStore;
  readonly key: LinkKeySource;
  /** The viewer's base URL, ending in `/` (a Lambda Function URL; the local server's on loopback). */
  readonly baseUrl: string;
}

/** The lowest period id of every type (ids sort as text in time order): a history query from the first period stored. */
const FIRST_PERIOD_ID = '0';

/** Every stored period of each KPI up to `period`, oldest first: one query per KPI on the history index. */
export async function loadHistory(period: Period, kpis: KpiStore): Promise<Map<string, StoredKpi[]>> {
  const all = await Promise.all(METRICS.map((m) => kpis.getHistory(m.id, period.type, FIRST_PERIOD_ID, period.id)));
  return new Map(METRICS.map((m, i) => [m.id, all[i]!]));
}

/** When the links of an email sent `now` stop working: `linkValidityDays` later (by default past the next scorecard). */
export function linkExpiry(now: Date, settings: Settings): number {
  const days = settings.linkValidityDays ?? DEFAULT_LINK_VALIDITY_DAYS[settings.periodType];
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

/** The signed links of a period's page for an email sent `now`. */
export async function pageLinks(period: Period, deps: PageDeps, now: Date, settings: Settings): Promise<PageLinks> {
  return signedLinks(deps.baseUrl, await deps.key.key(), period.id, linkExpiry(now, settings));
}

/** The page's HTML and the CSV, from the scorecard of every section and the stored KPIs. */
export function renderPageFiles(
  period: Period, view: ScorecardView, data: StoredScorecardData, history: ReadonlyMap<string, readonly StoredKpi[]>, settings: Settings, csvHref: string,
): { html: string; csv: string } {
  const html = renderPage(buildPageView({
    view, history, current: data.kpis.get(period.id) ?? new Map(), currency: settings.currency, csvHref,
    ...(data.summary ? { summary: data.summary } : {}),
  }));
  return { html, csv: scorecardCsv(period, data.kpis, settings) };
}

/**
 * Writes the period's page and CSV to the store. The page's CSV link carries `SIGNED_QUERY_SLOT`, which the viewer
 * fills with the query of the signed link it was opened with: one stored page serves every recipient's links.
 */
export async function publishPage(
  period: Period, view: ScorecardView, data: StoredScorecardData, kpis: KpiStore, pages: PageStore, settings: Settings,
): Promise<{ html: string; csv: string }> {
  const history = await loadHistory(period, kpis);
  const files = renderPageFiles(period, view, data, history, settings, `scorecard.csv?${SIGNED_QUERY_SLOT}`);
  await pages.put(period.id, 'index.html', files.html);
  await pages.put(period.id, 'scorecard.csv', files.csv);
  return files;
}
