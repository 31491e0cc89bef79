/**
 * Sends the scorecard of a period. Invoked as the KPI function's on-success destination (the period is in
 * `responsePayload`), or directly with `{ "period": "2026-10" }`; ops re-send a recipient whose delivery is
 * unknown with `{ "period": "2026-10", "resend": ["cfo@example.com"] }`.
 */
import { parsePeriodId } from '../domain/periods/period.ts';
import { SendIncompleteError, sendOptionsFrom, sendScorecard, type SendResult } from '../use-cases/send-scorecard.ts';
import { CLAIM_LEASE_MARGIN_MS, lambdaHandler, type InvocationContext } from './middleware.ts';
import { countSends, redactEmails } from './observability.ts';
import type { Runtime } from './runtime.ts';
import { pageOf } from './runtime-page.ts';

export type SendScorecardEvent =
  | { readonly period?: string; readonly resend?: readonly string[] }
  | { readonly responsePayload?: { readonly period?: string } };

export class BadEventError extends Error {
  override name = 'BadEventError';
}

export function periodOfEvent(event: SendScorecardEvent): string {
  const id = ('responsePayload' in event ? event.responsePayload?.period : undefined) ?? ('period' in event ? event.period : undefined);
  if (!id) throw new BadEventError('the event names no period (expected { "period": "2026-10" } or a destination record)');
  return id;
}


async function sendPeriodScorecard(event: SendScorecardEvent, rt: Runtime, context: InvocationContext): Promise<SendResult> {
  const period = parsePeriodId(periodOfEvent(event));
  const resend = 'resend' in event && Array.isArray(event.resend) ? event.resend.map(String) : [];
  // A claim is safe to call stale once this invocation can no longer be running.
  const remaining = context.getRemainingTimeInMillis?.();
  const page = pageOf(rt);
  try {
    const result = await sendScorecard(
      period,
      {
        kpis: rt.table.kpis, sends: rt.table.sends, mailer: rt.mailer, clock: rt.clock, settings: rt.settings,
        // The page and its links when the stack bound the function to them (always, deployed).
        ...(page?.baseUrl ? { page: { pages: page.pages, key: page.key, baseUrl: page.baseUrl } } : {}),
      },
      { ...sendOptionsFrom(rt.settings), ...(remaining ? { claimLeaseMs: remaining + CLAIM_LEASE_MARGIN_MS } : {}), ...(resend.length ? { resend } : {}) },
    );
    countSends(rt.metrics, result);
    if (result.uncertain.length) rt.logger.error('scorecard delivery unknown', { period: period.id, uncertain: result.uncertain.length });
    rt.logger.info('scorecard sent', { period: period.id, sent: result.sent.length, alreadySent: result.alreadySent.length, held: result.held });
    return result;
  } catch (e) {
    if (e instanceof SendIncompleteError) rt.logger.error('scorecard send incomplete', {
      period: period.id, sent: e.result.sent.length, failed: e.result.failed.length, errors: e.result.failed.map((f) => redactEmails(f.error)),
    });
    throw e;
  }
}

export const handler = lambdaHandler('send-scorecard', sendPeriodScorecard);
