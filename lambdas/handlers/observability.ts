/**
 * Logs, metrics and traces for the handlers, with Powertools for AWS Lambda. middleware.ts puts the three around
 * every invocation (Middy): the request id on every log line, metrics flushed, the invocation traced.
 *
 * - Logs: structured JSON (Powertools Logger), level from `POWERTOOLS_LOG_LEVEL` (INFO by default). What a
 *   handler logs is keys, ids and counts: never an address, a name or a row value (exports and recipients are
 *   personal data). `redactEmails` is there for text that may carry one (an SDK error message, say). The
 *   invocation event is never logged (`POWERTOOLS_LOGGER_LOG_EVENT` is overridden): a resend event names
 *   recipients.
 * - Metrics: CloudWatch embedded metric format (EMF), namespace `SmarketingScorecard`, one dimension `service`.
 *   Each count is published at once as its own EMF log line (Powertools' single-metric mode), so a count made
 *   before a failure or a timeout is not lost with it; the `logMetrics` middleware flushes anything still
 *   buffered at the end of the invocation.
 * - Traces: Powertools Tracer (X-Ray), on only inside Lambda. One subsegment per invocation (annotated with the
 *   service and cold start, without the handler's response: it can list recipients) and one per AWS call, through
 *   the SDK clients runtime.ts has the Tracer capture.
 *
 * Metrics go to stdout (where Lambda's log agent turns them into CloudWatch metrics) only inside Lambda. Anywhere
 * else (the tests, `smarketing local`, the CLI) they are recorded in memory and printed nowhere, unless
 * `POWERTOOLS_METRICS_DISABLED=false` asks for the EMF lines; `POWERTOOLS_METRICS_DISABLED=true` silences them in
 * Lambda too. Tracing is off outside Lambda whatever the environment says, so nothing tries to reach an X-Ray
 * daemon; `POWERTOOLS_TRACE_ENABLED=false` turns it off in Lambda too.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
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
  /** Adds `value` (default 1) to a metric; published immediately. A count of zero publishes nothing. */
  count(name: MetricName, value?: number): void;
}

/** The handlers' metrics: a Powertools `Metrics`, so the `logMetrics` middleware can flush it, that also counts. */
export type HandlerMetrics = Metrics & ScorecardMetrics;

/**
 * Counts kept in memory: outside Lambda, and for tests to assert on. A Powertools `Metrics` whose flush prints
 * nothing, so the handlers run the same middleware everywhere.
 */
export class RecordedMetrics extends Metrics implements ScorecardMetrics {
  readonly recorded: { name: MetricName; value: number }[] = [];

  constructor(serviceName?: string) {
    super({ namespace: METRICS_NAMESPACE, ...(serviceName ? { serviceName } : {}) });
  }

  count(name: MetricName, value = 1): void {
    if (value <= 0) return; // as EmfMetrics: what is recorded is what would have been published
    this.recorded.push({ name, value });
  }

  /** The sum of a metric's counts. */
  total(name: MetricName): number {
    return this.recorded.filter((r) => r.name === name).reduce((a, r) => a + r.value, 0);
  }

  /** Prints nothing: anything added through Powertools' own API is dropped. */
  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

/** Counts published as EMF through Powertools, one line per count. */
class EmfMetrics extends Metrics implements ScorecardMetrics {
  constructor(serviceName: string) {
    super({ namespace: METRICS_NAMESPACE, serviceName, singleMetric: true });
  }

  count(name: MetricName, value = 1): void {
    if (value <= 0) return; // an empty count is not worth a log line (CloudWatch reads "no data" as zero)
    this.addMetric(name, MetricUnit.Count, value);
  }

  /**
   * `logMetrics` flushes after every invocation, and the counts are already out: an invocation that counted
   * nothing (a duplicate event) is normal here, not worth Powertools' "No application metrics" warning.
   */
  override publishStoredMetrics(): this {
    return this.hasStoredMetrics() ? super.publishStoredMetrics() : this;
  }
}

export interface Observability {
  readonly logger: Logger;
  readonly metrics: HandlerMetrics;
  readonly tracer: Tracer;
}

/**
 * The environment variables the observability is built from (runtime.ts rebuilds it when one changes). Powertools
 * reads some of them from `process.env` itself (log level, trace and metrics switches, `AWS_EXECUTION_ENV`).
 */
export const OBSERVABILITY_ENV = [
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_TRACE_ENABLED',
] as const;

/** Whether this process is a Lambda function: Lambda sets the variable, nothing here does. */
export function inLambda(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}

/** Whether metrics are published as EMF: in Lambda unless disabled, elsewhere only when asked for. */
export function publishesMetrics(env: Readonly<Record<string, string | undefined>>): boolean {
  const disabled = env.POWERTOOLS_METRICS_DISABLED?.trim().toLowerCase();
  if (disabled === 'true' || disabled === '1') return false;
  if (disabled === 'false' || disabled === '0') return true;
  return inLambda(env);
}

/** The logger, metrics and tracer of one handler (`serviceName` is the `service` of logs, metrics and traces). */
export function createObservability(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env): Observability {
  const logger = new Logger({ serviceName });
  const metrics = publishesMetrics(env) ? new EmfMetrics(serviceName) : new RecordedMetrics(serviceName);
  const tracer = new Tracer({
    serviceName,
    // Powertools alone traces wherever AWS_EXECUTION_ENV is set (ECS and CodeBuild set it too): outside Lambda
    // the X-Ray SDK would look for a daemon. In Lambda, Powertools decides (POWERTOOLS_TRACE_ENABLED).
    enabled: inLambda(env),
    // Every outgoing call is an SDK call, traced by its client (runtime.ts); patching Node's http module as well
    // would record each call twice.
    captureHTTPsRequests: false,
  });
  return { logger, metrics, tracer };
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
