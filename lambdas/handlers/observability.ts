/**
 * Logs and metrics for the handlers, with Powertools for AWS Lambda.
 *
 * - Logs: structured JSON (Powertools Logger), level from `POWERTOOLS_LOG_LEVEL` (INFO by default). What a
 *   handler logs is keys, ids and counts: never an address, a name or a row value (exports and recipients are
 *   personal data). `redactEmails` is there for text that may carry one (an SDK error message, say).
 * - Metrics: CloudWatch embedded metric format (EMF), namespace `SmarketingScorecard`, one dimension `service`.
 *   Each count is published at once as its own EMF log line (Powertools' single-metric mode), so a handler
 *   never has to flush, and a count made before a failure is not lost with it.
 *
 * Metrics go to stdout (where Lambda's log agent turns them into CloudWatch metrics) only inside Lambda. Anywhere
 * else (the tests, `smarketing local`, the CLI) they are recorded in memory and printed nowhere, unless
 * `POWERTOOLS_METRICS_DISABLED=false` asks for the EMF lines; `POWERTOOLS_METRICS_DISABLED=true` silences them in
 * Lambda too.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ComputeKpisResult } from './compute-kpis.ts';
import type { IngestOutcome } from '../use-cases/ingest-upload.ts';
import type { SendResult } from '../use-cases/send-scorecard.ts';

export const METRICS_NAMESPACE = 'SmarketingScorecard';

/** Every metric the pipeline emits, all counts. */
export const METRIC = {
  /** Data rows read from an export, accepted or rejected. */
  RowsValidated: 'RowsValidated',
  UploadsAccepted: 'UploadsAccepted',
  UploadsRejected: 'UploadsRejected',
  /** Periods whose KPIs were computed and stored. */
  KpisComputed: 'KpisComputed',
  /** Scorecard emails handed to SES (a recipient already sent for the period is not counted). */
  ScorecardsSent: 'ScorecardsSent',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** What the handlers count with. */
export interface ScorecardMetrics {
  /** Adds `value` (default 1) to a metric; published immediately. */
  count(name: MetricName, value?: number): void;
}

/** Counts kept in memory: outside Lambda, and for tests to assert on. */
export class RecordedMetrics implements ScorecardMetrics {
  readonly recorded: { name: MetricName; value: number }[] = [];

  count(name: MetricName, value = 1): void {
    this.recorded.push({ name, value });
  }

  /** The sum of a metric's counts. */
  total(name: MetricName): number {
    return this.recorded.filter((r) => r.name === name).reduce((a, r) => a + r.value, 0);
  }
}

/** Counts published as EMF through Powertools, one line per count. */
class PowertoolsMetrics implements ScorecardMetrics {
  constructor(private readonly metrics: Metrics) {}

  count(name: MetricName, value = 1): void {
    if (value <= 0) return; // an empty count is not worth a log line (CloudWatch reads "no data" as zero)
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }
}

export interface Observability {
  readonly logger: Logger;
  readonly metrics: ScorecardMetrics;
}

/** Whether metrics are published as EMF: in Lambda unless disabled, elsewhere only when asked for. */
export function publishesMetrics(env: Readonly<Record<string, string | undefined>>): boolean {
  const disabled = env.POWERTOOLS_METRICS_DISABLED?.trim().toLowerCase();
  if (disabled === 'true' || disabled === '1') return false;
  if (disabled === 'false' || disabled === '0') return true;
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}

/** The logger and metrics of one handler (`serviceName` is the `service` key of logs and metrics). */
export function createObservability(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env): Observability {
  const logger = new Logger({ serviceName });
  const metrics = publishesMetrics(env)
    ? new PowertoolsMetrics(new Metrics({ namespace: METRICS_NAMESPACE, serviceName, singleMetric: true }))
    : new RecordedMetrics();
  return { logger, metrics };
}

// ---- what each handler counts, so the metric names live here only -----------------------------------------

/** validate-upload: rows read, and the upload's outcome (a duplicate or ignored event counts nothing). */
export function countIngest(metrics: ScorecardMetrics, result: IngestOutcome): void {
  if (result.outcome !== 'accepted' && result.outcome !== 'rejected') return;
  metrics.count(METRIC.RowsValidated, result.report.rows);
  metrics.count(result.outcome === 'accepted' ? METRIC.UploadsAccepted : METRIC.UploadsRejected);
}

/** compute-kpis: the periods computed. */
export function countKpis(metrics: ScorecardMetrics, result: ComputeKpisResult): void {
  metrics.count(METRIC.KpisComputed, result.computed.length);
}

/** send-scorecard: the emails sent by this invocation. */
export function countSends(metrics: ScorecardMetrics, result: SendResult): void {
  metrics.count(METRIC.ScorecardsSent, result.sent.length);
}

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;

/** Replaces every email address in a text with `<email>`, for messages that may quote one (SES errors do). */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, '<email>');
}
