/**
 * The email's links to a period's private drill-down page: `<base><period>/?e=<expiry>&s=<signature>`, where the
 * signature is an HMAC-SHA256, keyed with a secret only the report and viewer functions can read, over the period
 * and the expiry (seconds since the epoch). One signature opens the period's page and its CSV until it expires;
 * changing the key (rotation) refuses every link signed with the old one. Pure: the key and the time are given.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PageFile } from './layout.ts';

/** A period id as the page's path carries it: 2026-10, 2026-Q4, 2026-W43. */
const PERIOD_ID = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4]|W(0[1-9]|[1-4]\d|5[0-3]))$/;
/** Query parameters: the expiry and the signature. */
export const LINK_PARAMS = { expires: 'e', signature: 's' } as const;
/** The least a key must hold: 32 bytes (256 bits), HMAC-SHA256's block strength. */
export const MIN_KEY_BYTES = 32;

export class LinkKeyError extends Error {
  override readonly name = 'LinkKeyError';
}

const message = (periodId: string, expires: number): string => `scorecard-page/v1\n${periodId}\n${expires}`;

function checkKey(key: Uint8Array): void {
  if (key.byteLength < MIN_KEY_BYTES) throw new LinkKeyError(`the link-signing key has ${key.byteLength} bytes; it needs at least ${MIN_KEY_BYTES}`);
}

/** The signature of a period's links expiring at `expires` (seconds), base64url. */
export function signature(key: Uint8Array, periodId: string, expires: number): string {
  checkKey(key);
  return createHmac('sha256', key).update(message(periodId, expires)).digest('base64url');
}

/** `e=…&s=…`: what a link to the period's page or CSV carries. */
export function signedQuery(key: Uint8Array, periodId: string, expires: number): string {
  return `${LINK_PARAMS.expires}=${expires}&${LINK_PARAMS.signature}=${signature(key, periodId, expires)}`;
}

/**
 * What the stored page writes where the CSV link's signed query goes: the viewer puts there the query of the link
 * the page was opened with (already checked), so one stored page serves every email's links.
 */
export const SIGNED_QUERY_SLOT = '__signed_query__';

/** The links of one period's page as the email and the page itself use them. */
export interface PageLinks {
  /** The page ("View in browser"). */
  readonly page: string;
  /** The page at a KPI's place. */
  kpi(kpiId: string): string;
  /** The page's definitions. */
  readonly definitions: string;
  /** The CSV of every value. */
  readonly csv: string;
}

/** The place of a KPI on the page (its element id). */
export const kpiAnchor = (kpiId: string): string => `kpi-${kpiId}`;
export const DEFINITIONS_ANCHOR = 'definitions';

/** Signed links to `base` (an absolute URL ending in `/`) for a period, valid until `expires` (seconds). */
export function signedLinks(base: string, key: Uint8Array, periodId: string, expires: number): PageLinks {
  const q = signedQuery(key, periodId, expires);
  const page = `${base}${periodId}/?${q}`;
  return { page, kpi: (id) => `${page}#${kpiAnchor(id)}`, definitions: `${page}#${DEFINITIONS_ANCHOR}`, csv: `${base}${periodId}/scorecard.csv?${q}` };
}

/** Links to a page written beside the email on disk (`smarketing report`): relative, unsigned. */
export function fileLinks(pagePath: string, csvPath: string): PageLinks {
  return { page: pagePath, kpi: (id) => `${pagePath}#${kpiAnchor(id)}`, definitions: `${pagePath}#${DEFINITIONS_ANCHOR}`, csv: csvPath };
}

/** A request for a period's page file, from its path: `/<period>/`, `/<period>/index.html`, `/<period>/scorecard.csv`. */
export function pageRequest(path: string): { periodId: string; file: PageFile } | undefined {
  const m = /^\/([^/]+)\/(index\.html|scorecard\.csv)?$/.exec(path);
  if (!m || !PERIOD_ID.test(m[1]!)) return undefined;
  return { periodId: m[1]!, file: (m[2] as PageFile | undefined) ?? 'index.html' };
}

export type LinkCheck = { ok: true; expires: number } | { ok: false; why: 'unsigned' | 'malformed' | 'expired' | 'bad signature' };

/**
 * Whether a link to `periodId` with these query parameters is valid at `nowSeconds` under `key`: signed with it,
 * for this period, not expired. The signature is compared in constant time.
 */
export function checkLink(key: Uint8Array, periodId: string, params: Readonly<Record<string, string | undefined>>, nowSeconds: number): LinkCheck {
  const e = params[LINK_PARAMS.expires];
  const s = params[LINK_PARAMS.signature];
  if (e === undefined || s === undefined) return { ok: false, why: 'unsigned' };
  if (!/^\d{1,12}$/.test(e) || !/^[A-Za-z0-9_-]{43}$/.test(s)) return { ok: false, why: 'malformed' };
  const expires = Number(e);
  const expected = Buffer.from(signature(key, periodId, expires), 'base64url');
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'bad signature' };
  // Checked after the signature, so that an expiry is only reported for a link that was really ours.
  if (expires <= nowSeconds) return { ok: false, why: 'expired' };
  return { ok: true, expires };
}
