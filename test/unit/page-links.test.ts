/**
 * The drill-down page's links and its viewer: a link signed for a period opens that period's page and CSV until it
 * expires; a link without a signature, tampered with, for another period, expired, or signed with a key since
 * rotated gets 403, and the refusal says nothing about why; only a valid link learns a page is missing (404).
 */
import { describe, expect, it } from 'vitest';
import { InMemoryPageStore } from '../../lambdas/adapters/s3-page-store.ts';
import {
  checkLink, fileLinks, LinkKeyError, pageRequest, SIGNED_QUERY_SLOT, signedLinks, signedQuery,
} from '../../lambdas/domain/links.ts';
import { linkExpiry } from '../../lambdas/use-cases/scorecard-page.ts';
import { SECURITY_HEADERS, viewPage, type ViewRequest } from '../../lambdas/use-cases/view-page.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';

const KEY = Buffer.from('k'.repeat(64));
const OTHER_KEY = Buffer.from('o'.repeat(64));
const NOW = new Date('2026-11-01T06:00:00Z');
const now = Math.floor(NOW.getTime() / 1000);
const expires = now + 62 * 86_400;

/** A request for `url` (as the email carries it). */
function request(url: string, method = 'GET'): ViewRequest {
  const u = new URL(url);
  return { method, path: u.pathname, query: Object.fromEntries(u.searchParams) };
}

async function world(key: Buffer = KEY) {
  const pages = new InMemoryPageStore();
  await pages.put('2026-10', 'index.html', `<a href="scorecard.csv?${SIGNED_QUERY_SLOT}">CSV</a>`);
  await pages.put('2026-10', 'scorecard.csv', 'period,kpi_id\r\n2026-10,leads\r\n');
  let current = key;
  let clock = NOW;
  const deps = { pages, key: { key: async () => current }, clock: { now: () => clock }, contact: 'revops@acme.example' };
  return {
    pages, deps,
    rotate: (k: Buffer) => { current = k; },
    at: (d: Date) => { clock = d; },
    view: (url: string, method?: string) => viewPage(request(url, method), deps),
  };
}

describe('signed links', () => {
  const links = signedLinks('https://abc.lambda-url.eu-west-1.on.aws/', KEY, '2026-10', expires);

  it('name the period, the expiry and an HMAC of both; each KPI is a place on the page', () => {
    expect(links.page).toMatch(/^https:\/\/abc\.lambda-url\.eu-west-1\.on\.aws\/2026-10\/\?e=\d+&s=[A-Za-z0-9_-]{43}$/);
    expect(links.kpi('win_rate')).toBe(`${links.page}#kpi-win_rate`);
    expect(links.definitions).toBe(`${links.page}#definitions`);
    expect(links.csv).toBe(links.page.replace('/?', '/scorecard.csv?'));
    expect(signedQuery(KEY, '2026-10', expires)).toBe(links.page.split('?')[1]);
  });

  it('are checked in full: signature, period and expiry', () => {
    const q = Object.fromEntries(new URL(links.page).searchParams);
    expect(checkLink(KEY, '2026-10', q, now)).toEqual({ ok: true, expires });
    expect(checkLink(KEY, '2026-09', q, now)).toEqual({ ok: false, why: 'bad signature' });
    expect(checkLink(OTHER_KEY, '2026-10', q, now)).toEqual({ ok: false, why: 'bad signature' });
    expect(checkLink(KEY, '2026-10', { ...q, e: String(expires + 86_400) }, now)).toEqual({ ok: false, why: 'bad signature' });
    expect(checkLink(KEY, '2026-10', q, expires)).toEqual({ ok: false, why: 'expired' });
    expect(checkLink(KEY, '2026-10', {}, now)).toEqual({ ok: false, why: 'unsigned' });
    expect(checkLink(KEY, '2026-10', { e: 'soon', s: q.s }, now)).toEqual({ ok: false, why: 'malformed' });
  });

  it('need a key of 32 bytes at least', () => {
    expect(() => signedQuery(Buffer.from('short'), '2026-10', expires)).toThrow(LinkKeyError);
  });

  it('last linkValidityDays, by default past the next scorecard of the period type', () => {
    expect(linkExpiry(NOW, DEFAULT_SETTINGS)).toBe(now + 62 * 86_400);
    expect(linkExpiry(NOW, { ...DEFAULT_SETTINGS, periodType: 'quarter' })).toBe(now + 184 * 86_400);
    expect(linkExpiry(NOW, { ...DEFAULT_SETTINGS, linkValidityDays: 7 })).toBe(now + 7 * 86_400);
  });

  it('point at files beside the email for smarketing report', () => {
    const f = fileLinks('web/index.html', 'scorecard.csv');
    expect([f.page, f.kpi('leads'), f.csv]).toEqual(['web/index.html', 'web/index.html#kpi-leads', 'scorecard.csv']);
  });

  it('read their period and file from the path, nothing else', () => {
    expect(pageRequest('/2026-10/')).toEqual({ periodId: '2026-10', file: 'index.html' });
    expect(pageRequest('/2026-Q4/scorecard.csv')).toEqual({ periodId: '2026-Q4', file: 'scorecard.csv' });
    expect(pageRequest('/2026-W43/index.html')).toEqual({ periodId: '2026-W43', file: 'index.html' });
    for (const bad of ['/', '/2026-10', '/2026-13/', '/../web/2026-10/', '/2026-10/other.html', '/2026-10/index.html/x']) expect(pageRequest(bad), bad).toBeUndefined();
  });
});

describe('the viewer', () => {
  const base = 'https://abc.lambda-url.eu-west-1.on.aws/';
  const links = signedLinks(base, KEY, '2026-10', expires);

  it('serves the page to a signed link, with its CSV link signed the same way, and the CSV', async () => {
    const w = await world();
    const page = await w.view(links.page);
    expect(page.status).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(`<a href="scorecard.csv?${links.page.split('?')[1]}">CSV</a>`);
    const csv = await w.view(links.csv);
    expect(csv).toMatchObject({ status: 200, body: 'period,kpi_id\r\n2026-10,leads\r\n' });
    expect(csv.headers['Content-Disposition']).toBe('attachment; filename="scorecard-2026-10.csv"');
  });

  it('sends headers that keep the signed URL and the page private', async () => {
    const w = await world();
    for (const r of [await w.view(links.page), await w.view(`${base}2026-10/`)]) {
      expect(r.headers).toMatchObject(SECURITY_HEADERS);
      expect(r.headers['Referrer-Policy']).toBe('no-referrer');
      expect(r.headers['Content-Security-Policy']).toContain("default-src 'none'");
      expect(r.headers['Cache-Control']).toBe('private, no-store');
    }
  });

  it('refuses, with 403 and one message for all, a link unsigned, tampered with, for another period, or not a page', async () => {
    const w = await world();
    const sig = new URL(links.page).searchParams.get('s')!;
    const tampered = links.page.replace(sig, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    const cases = {
      unsigned: `${base}2026-10/`,
      tampered,
      'other period': links.page.replace('/2026-10/', '/2026-09/'),
      'longer expiry': links.page.replace(`e=${expires}`, `e=${expires + 86_400}`),
      'not a page': `${base}2026-10/secrets.txt?${links.page.split('?')[1]}`,
    };
    const bodies = new Set<string>();
    for (const [name, url] of Object.entries(cases)) {
      const r = await w.view(url);
      expect(r.status, name).toBe(403);
      expect(r.refused, name).toBeDefined();
      bodies.add(r.body);
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('revops@acme.example');
  });

  it('refuses an expired link, and accepts it until then', async () => {
    const w = await world();
    w.at(new Date((expires - 1) * 1000));
    expect((await w.view(links.page)).status).toBe(200);
    w.at(new Date(expires * 1000));
    expect(await w.view(links.page)).toMatchObject({ status: 403, refused: 'expired' });
  });

  it('refuses every link signed with the old key once the key is rotated', async () => {
    const w = await world();
    expect((await w.view(links.page)).status).toBe(200);
    w.rotate(OTHER_KEY);
    expect(await w.view(links.page)).toMatchObject({ status: 403, refused: 'bad signature' });
    expect((await w.view(signedLinks(base, OTHER_KEY, '2026-10', expires).page)).status).toBe(200);
  });

  it('says 404 only to a valid link whose page is not there; 405 to anything but GET and HEAD', async () => {
    const w = await world();
    const september = signedLinks(base, KEY, '2026-09', expires);
    expect((await w.view(september.page)).status).toBe(404);
    expect((await w.view(links.page, 'POST')).status).toBe(405);
    expect((await w.view(links.page, 'HEAD')).status).toBe(200);
  });
});
