/**
 * Sending the scorecard: read the period's KPIs and the previous period's, build the view, render it, and
 * send one email per recipient, exactly once: a conditional send record in the table is claimed before the
 * send and released if SES fails, so a retried invocation sends only what was not sent.
 */
import type { Settings } from '../domain/settings.ts';
import { previousPeriod, type Period } from '../domain/periods/period.ts';
import { buildScorecardView } from '../domain/scorecard/view-model.ts';
import { renderScorecard } from '../domain/scorecard/render.ts';
import { composeScorecardEmail } from '../domain/scorecard/mime.ts';
import type { ScorecardView } from '../domain/scorecard/view.ts';
import type { Clock, KpiStore, Mailer, SendLedger, StoredKpi } from '../ports/index.ts';

export interface SendDeps {
  readonly kpis: KpiStore;
  readonly sends: SendLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly settings: Settings;
}

export class NoKpisError extends Error {
  override name = 'NoKpisError';
}

export interface RenderedScorecard {
  readonly view: ScorecardView;
  readonly html: string;
  readonly text: string;
  /** The MIME message for a recipient. */
  compose(to: string): Promise<Buffer>;
}

const byId = (items: readonly StoredKpi[]): Map<string, StoredKpi> => new Map(items.map((k) => [k.id, k]));

/** Reads what the scorecard needs from the store and renders it. */
export async function renderStoredScorecard(period: Period, deps: Pick<SendDeps, 'kpis' | 'clock' | 'settings'>): Promise<RenderedScorecard> {
  const current = await deps.kpis.getPeriod(period.id);
  if (current.kpis.length === 0) throw new NoKpisError(`no KPIs are stored for ${period.id}: run the KPI step first`);
  const prev = previousPeriod(period);
  const previous = await deps.kpis.getPeriod(prev.id);
  const now = deps.clock.now();
  const view = buildScorecardView({
    period, previousPeriod: prev, current: byId(current.kpis), previous: byId(previous.kpis),
    ...(current.summary ? { summary: current.summary } : {}), settings: deps.settings, generatedAt: now,
  });
  const { html, text } = renderScorecard(view);
  return {
    view, html, text,
    compose: (to) => composeScorecardEmail({ from: deps.settings.sender, to: [to], subject: view.title, html, text, images: [], date: now }),
  };
}

export interface SendResult {
  readonly period: string;
  readonly sent: readonly string[];
  readonly alreadySent: readonly string[];
}

export async function sendScorecard(period: Period, deps: SendDeps): Promise<SendResult> {
  const scorecard = await renderStoredScorecard(period, deps);
  const sent: string[] = [];
  const alreadySent: string[] = [];
  for (const to of deps.settings.recipients) {
    if (!(await deps.sends.claim(period.id, to, deps.clock.now().toISOString()))) {
      alreadySent.push(to);
      continue;
    }
    try {
      const raw = await scorecard.compose(to);
      const messageId = await deps.mailer.sendRaw(raw, deps.settings.sender, [to]);
      await deps.sends.markSent(period.id, to, messageId, deps.clock.now().toISOString());
      sent.push(to);
    } catch (e) {
      await deps.sends.release(period.id, to);
      throw e;
    }
  }
  return { period: period.id, sent, alreadySent };
}
