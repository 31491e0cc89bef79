/**
 * Serving the private drill-down page: a request for `/<period>/` (or `index.html`, `scorecard.csv`) with the
 * signed query of an email's link gets the stored file; anything else gets 403 — no signature, a signature that
 * does not match (tampered with, for another period, or made with a key since rotated), an expired link, a path
 * that is no page. The refusal says the same in every case, so a refused request learns nothing (not even whether
 * the period has a page); only a valid link learns that a page is missing (404).
 */
import { checkLink, pageRequest, SIGNED_QUERY_SLOT, signedQuery } from '../domain/links.ts';
import type { Clock, LinkKeySource, PageStore } from '../ports/index.ts';

export interface ViewRequest {
  readonly method: string;
  /** The URL's path, e.g. `/2026-10/`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export interface ViewResponse {
  readonly status: 200 | 403 | 404 | 405;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Why a request was refused, for the logs (never shown to the requester). */
  readonly refused?: string;
}

export interface ViewDeps {
  readonly pages: PageStore;
  readonly key: LinkKeySource;
  readonly clock: Clock;
  /** Whom to ask for a new link, said on the refusal page. */
  readonly contact: string;
}

/**
 * Every response: nothing but this origin's inline styles runs or loads (the page has no script), the signed URL is
 * never sent on as a Referer, nothing is cached on the way or indexed.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
};

const HTML = 'text/html; charset=utf-8';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function message(status: ViewResponse['status'], title: string, text: string, refused?: string): ViewResponse {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)}</title></head><body style="font-family:sans-serif;margin:2em;max-width:40em"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>\n`;
  return { status, headers: { ...SECURITY_HEADERS, 'Content-Type': HTML }, body, ...(refused ? { refused } : {}) };
}

export async function viewPage(req: ViewRequest, deps: ViewDeps): Promise<ViewResponse> {
  const refuse = (why: string): ViewResponse => message(403, 'This link does not open the scorecard',
    `It has expired or is not a link from a scorecard email. Open the link in the latest scorecard email, or ask ${deps.contact}.`, why);
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...refuse(`method ${req.method}`), status: 405, headers: { ...SECURITY_HEADERS, 'Content-Type': HTML, Allow: 'GET, HEAD' } };
  const target = pageRequest(req.path);
  if (!target) return refuse('not a page path');
  const key = await deps.key.key();
  const check = checkLink(key, target.periodId, req.query, Math.floor(deps.clock.now().getTime() / 1000));
  if (!check.ok) return refuse(check.why);
  const body = await deps.pages.get(target.periodId, target.file);
  if (body === undefined) return message(404, 'No scorecard page for this period', `The link is valid, but the page of ${target.periodId} is not there. Ask ${deps.contact}.`);
  if (target.file === 'scorecard.csv') {
    return {
      status: 200, body,
      headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="scorecard-${target.periodId}.csv"` },
    };
  }
  // The page's own link to its CSV carries the query it was opened with (checked above, so only digits and base64url).
  const query = signedQuery(key, target.periodId, check.expires);
  return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': HTML }, body: body.split(SIGNED_QUERY_SLOT).join(query) };
}
