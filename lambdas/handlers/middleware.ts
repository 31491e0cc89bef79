/**
 * How a handler runs: its work wrapped in Powertools' Middy middlewares, in the order Powertools documents —
 * the Tracer opens the invocation's subsegment first and closes it last, metrics are flushed after the work (or
 * its error), and the Logger stamps every line with the invocation's request id.
 *
 * The handler is also called directly, with the event only (`smarketing local`, the tests): it is then given a
 * context of its own, with a local request id and no deadline.
 */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { lazyRuntime, type Runtime } from './runtime.ts';

/** The Lambda context as the work may read it: outside Lambda it has no deadline (`getRemainingTimeInMillis`). */
export type InvocationContext = Partial<Context>;

/** Added to a claim's lease (the invocation's remaining time) for the clock skew between this function and whoever reads the claim. */
export const CLAIM_LEASE_MARGIN_MS = 30_000;

/** What a handler does with one event. */
export type HandlerWork<E, R> = (event: E, rt: Runtime, context: InvocationContext) => Promise<R>;

/** A handler as Lambda calls it, and as the local run and the tests call it (no context, or a part of one). */
export type Handler<E, R> = (event: E, context?: InvocationContext) => Promise<R>;

/**
 * A context for a call from outside Lambda: what the Logger adds to each line (function name, request id).
 * Without `getRemainingTimeInMillis`, Middy sets no early timeout and send-scorecard keeps its default lease.
 */
export function localContext(functionName: string): InvocationContext {
  return { functionName, awsRequestId: `local-${randomUUID()}` };
}

/** `work` as a Lambda handler, in the middlewares, with the runtime built (and rebuilt) by runtime.ts. */
export function lambdaHandler<E, R>(serviceName: string, work: HandlerWork<E, R>): Handler<E, R> {
  const runtime = lazyRuntime(serviceName);
  let wrapped: { readonly rt: Runtime; readonly run: (event: E, context: Context) => Promise<R> } | undefined;
  return (event, context) => {
    const rt = runtime();
    // The middlewares hold the runtime's logger, metrics and tracer: wrapped again when the runtime is rebuilt.
    if (wrapped?.rt !== rt) {
      // No early timeout (Middy's default ends the invocation 5 ms before Lambda would, leaving the work running into
      // the next one): Lambda's own timeout stops the work and resets the environment, and send-scorecard's claim
      // lease counts on no invocation outliving its deadline.
      const run = middy((e: E, c: Context) => work(e, rt, c), { timeoutEarlyInMillis: 0 })
        // The response is not put in the trace: a send result lists recipients' addresses.
        .use(captureLambdaHandler(rt.tracer, { captureResponse: false }))
        .use(logMetrics(rt.metrics))
        // Never the event either, whatever POWERTOOLS_LOGGER_LOG_EVENT says: a resend event names recipients.
        .use(injectLambdaContext(rt.logger, { logEvent: false }));
      wrapped = { rt, run };
    }
    // Middy and Powertools read every field of the context as optional (they run outside Lambda too).
    return wrapped.run(event, (context ?? localContext(serviceName)) as Context);
  };
}
