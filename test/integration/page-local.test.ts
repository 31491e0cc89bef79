/**
 * `smarketing local` end to end on the shipped samples: the message SES was given (CRLF only, the automatic-mail
 * headers, a text/csv part, under 90 KB of HTML with the breakdowns in it) and its links, which open the drill-down
 * page served on loopback — each KPI's link its place on the page, the page's CSV link the CSV — while a tampered,
 * unsigned or expired link is refused.
 */
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalPipeline, type LocalRunResult } from '../../lambdas/local/pipeline.ts';
import { signedLinks } from '../../lambdas/domain/links.ts';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';

const LINK_KEY = 'local-test-key-'.padEnd(64, 'x');
const SAMPLES = join(import.meta.dirname, '..', '..', 'samples');

let run: LocalRunResult;
let raw: Buffer;
let links: string[];

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=');

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'page-local-'));
  run = await runLocalPipeline({ dataDir: SAMPLES, outDir: out, settings: DEFAULT_SETTINGS, period: '2026-10', keepRunning: true, linkKey: LINK_KEY });
  const email = run.emails.find((e) => e.to.includes('executives@example.com'))!;
  raw = await readFile(email.eml);
  const html = await readFile(email.html, 'utf8');
  links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => decode(m[1]!));
}, 120_000);

afterAll(async () => {
  await run?.stop?.();
});

describe('the message SES was given, written by smarketing local', () => {
  it('is CRLF only, says it is automatic, names its sender, and attaches the CSV', async () => {
    expect(raw.toString('latin1')).not.toMatch(/(?<!\r)\n|\r(?!\n)/);
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.from?.value[0]).toEqual({ name: 'Marketing scorecard', address: 'scorecard@example.com' });
    expect(parsed.subject).toMatch(/^October 2026: revenue won (up|down) /);
    const csv = parsed.attachments.filter((a) => a.contentType === 'text/csv');
    expect(csv.map((a) => a.filename)).toEqual(['scorecard.csv']);
    expect(csv[0]!.content.toString('utf8')).toContain('2026-10,win_rate,Win rate,rate');
  });

  it('stays under 90 KB of HTML with the breakdowns in it', async () => {
    const html = String((await simpleParser(raw, { keepCidLinks: true })).html);
    expect(html).toContain('Win rate by');
    expect(Buffer.byteLength(html)).toBeLessThan(90 * 1024);
  });
});

describe('its links, served on loopback', () => {
  it('"View in browser" opens the page, and every KPI’s link its place on it', async () => {
    expect(links[0]!.startsWith(run.pageUrl)).toBe(true);
    const page = await fetch(links[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const body = await page.text();
    for (const m of METRICS) {
      const link = links.find((l) => l.endsWith(`#kpi-${m.id}`));
      expect(link, m.id).toBeDefined();
      expect(link!.split('#')[0]).toBe(links[0]);
      expect(body).toContain(`id="kpi-${m.id}"`);
    }
  });

  it('the page’s own link opens the CSV', async () => {
    const body = await (await fetch(links[0]!)).text();
    const href = decode(/href="(scorecard\.csv\?[^"]+)"/.exec(body)![1]!);
    const csv = await fetch(new URL(href, links[0]!));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('2026-10,leads,Leads,count');
  });

  it('refuses a tampered, an unsigned, another period’s and an expired link with 403', async () => {
    const url = new URL(links[0]!);
    const sig = url.searchParams.get('s')!;
    const expired = signedLinks(run.pageUrl, Buffer.from(LINK_KEY), '2026-10', Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000)).page;
    const valid = signedLinks(run.pageUrl, Buffer.from(LINK_KEY), '2026-10', Math.floor(Date.parse('2099-01-01T00:00:00Z') / 1000)).page;
    expect((await fetch(valid)).status).toBe(200);
    for (const bad of [
      links[0]!.replace(sig, `${sig.slice(0, 10)}${sig[10] === 'a' ? 'b' : 'a'}${sig.slice(11)}`),
      `${run.pageUrl}2026-10/`,
      links[0]!.replace('/2026-10/', '/2026-09/'),
      expired,
    ]) {
      const r = await fetch(bad);
      expect(r.status, bad).toBe(403);
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
