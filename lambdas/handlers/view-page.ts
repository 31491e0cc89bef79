/**
 * The viewer of the private drill-down pages, behind a Lambda Function URL (auth NONE: a browser cannot sign AWS
 * requests; the link's HMAC signature is the authorization). Every request is checked by `viewPage`: a valid
 * signed link gets the page or its CSV, anything else 403. Logs say what was asked and why it was refused, never
 * the signature.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { viewPage } from '../use-cases/view-page.ts';
import { lambdaHandler } from './middleware.ts';
import type { Runtime } from './runtime.ts';
import { pageOf } from './runtime-page.ts';

export class PageNotBoundError extends Error {
  override name = 'PageNotBoundError';
}

async function servePage(event: LambdaFunctionURLEvent, rt: Runtime): Promise<LambdaFunctionURLResult> {
  const page = pageOf(rt);
  if (!page) throw new PageNotBoundError('the viewer needs SCORECARD_BUCKET and SCORECARD_LINK_KEY_SECRET');
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  const r = await viewPage(
    { method, path, query: event.queryStringParameters ?? {} },
    { pages: page.pages, key: page.key, clock: rt.clock, contact: rt.settings.contact ?? rt.settings.opsEmail },
  );
  if (r.refused) rt.logger.info('page request refused', { path, status: r.status, reason: r.refused });
  else rt.logger.info('page served', { path, status: r.status });
  return { statusCode: r.status, headers: { ...r.headers }, body: method === 'HEAD' ? '' : r.body };
}

export const handler = lambdaHandler('view-page', servePage);
