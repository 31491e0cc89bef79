/**
 * Sends the scorecard of a period. Invoked as the KPI function's on-success destination (the period is in
 * `responsePayload`), or directly with `{ "period": "2026-10" }`.
 */
import { parsePeriodId } from '../domain/periods/period.ts';
import { sendScorecard, type SendResult } from '../use-cases/send-scorecard.ts';
import { lazyRuntime } from './runtime.ts';

const runtime = lazyRuntime('send-scorecard');

export type SendScorecardEvent = { readonly period?: string } | { readonly responsePayload?: { readonly period?: string } };

export class BadEventError extends Error {
  override name = 'BadEventError';
}

export function periodOfEvent(event: SendScorecardEvent): string {
  const id = ('responsePayload' in event ? event.responsePayload?.period : undefined) ?? ('period' in event ? event.period : undefined);
  if (!id) throw new BadEventError('the event names no period (expected { "period": "2026-10" } or a destination record)');
  return id;
}

export async function handler(event: SendScorecardEvent): Promise<SendResult> {
  const rt = runtime();
  const period = parsePeriodId(periodOfEvent(event));
  const result = await sendScorecard(period, { kpis: rt.table.kpis, sends: rt.table.sends, mailer: rt.mailer, clock: rt.clock, settings: rt.settings });
  rt.logger.info('scorecard sent', { period: period.id, sent: result.sent.length, alreadySent: result.alreadySent.length });
  return result;
}
