/**
 * The message as receivers see it: CRLF line ends only (a strict receiver refuses a bare LF), a sender with a
 * display name, headers that keep out-of-office replies away, attachments as parts of their own, a subject that
 * says the news, and a preheader that neither runs on into the heading nor hides text in a low-contrast colour.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { AUTOMATED_HEADERS, composeMime } from '../../lambdas/adapters/mime.ts';
import { subjectLine, SUBJECT_MAX } from '../../lambdas/domain/commentary/rules/headline.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { renderScorecard } from '../../lambdas/domain/scorecard/render.ts';
import { DEFAULT_SETTINGS, parseSettings, SettingsError } from '../../lambdas/domain/settings.ts';
import { renderStoredScorecard } from '../../lambdas/use-cases/send-scorecard.ts';
import { sampleKpiStore, sampleView } from '../helpers/sample-view.ts';

/** Where a line feed is not preceded by a carriage return, or a carriage return not followed by a line feed. */
function bareLineEnds(raw: Buffer): number[] {
  const at: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0a && raw[i - 1] !== 0x0d) at.push(i);
    if (raw[i] === 0x0d && raw[i + 1] !== 0x0a) at.push(i);
  }
  return at;
}

/** The header block of a raw message, unfolded, by lower-case name. */
function headersOf(raw: Buffer): Map<string, string> {
  const text = raw.toString('latin1');
  const block = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new Map(block.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

describe('composeMime: the wire format', () => {
  // Bodies with every kind of line end a template or a data value could bring.
  const email = {
    from: 'scorecard@acme.example',
    fromName: 'Marketing scorecard',
    replyTo: 'revops@acme.example',
    to: ['ceo@acme.example'],
    subject: 'October 2026: win rate down 6 pts',
    text: 'one\ntwo\r\nthree\rfour\n',
    html: '<p>one</p>\n<p>two</p>\r\n',
    images: [{ cid: 'spark-x@scorecard', filename: 'x.png', contentType: 'image/png' as const, content: new Uint8Array([137, 80, 78, 71]) }],
    attachments: [{ filename: 'scorecard.csv', contentType: 'text/csv; charset=utf-8', content: 'a,b\n1,2\n' }],
    date: new Date('2026-11-01T06:00:00Z'),
  };

  it('ends every line in CRLF: no bare LF or CR anywhere, headers, bodies or attachments', async () => {
    const raw = await composeMime(email);
    expect(bareLineEnds(raw)).toEqual([]);
    // The test itself catches one: the same bytes with one CRLF turned into LF fail it.
    const broken = Buffer.from(raw.toString('latin1').replace('\r\n', '\n'), 'latin1');
    expect(bareLineEnds(broken)).toHaveLength(1);
  });

  it('names the sender, says it is automatic, and sends replies to the contact', async () => {
    const headers = headersOf(await composeMime(email));
    expect(headers.get('from')).toBe('Marketing scorecard <scorecard@acme.example>');
    expect(headers.get('reply-to')).toBe('revops@acme.example');
    expect(headers.get('auto-submitted')).toBe('auto-generated');
    expect(headers.get('x-auto-response-suppress')).toBe('All');
    expect(AUTOMATED_HEADERS).toEqual({ 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' });
  });

  it('encodes a display name that is not ASCII', async () => {
    const parsed = await simpleParser(await composeMime({ ...email, fromName: 'Équipe RevOps' }));
    expect(parsed.from?.value).toEqual([{ name: 'Équipe RevOps', address: 'scorecard@acme.example' }]);
    expect(headersOf(await composeMime({ ...email, fromName: 'Équipe RevOps' })).get('from')).toMatch(/^=\?UTF-8\?/);
  });

  it('keeps a bare address without a display name, and marks an ops notice automatic too', async () => {
    const headers = headersOf(await composeMime({ from: 'scorecard@acme.example', to: ['ops@acme.example'], subject: 'Rejected', text: 'x' }));
    expect(headers.get('from')).toBe('scorecard@acme.example');
    expect(headers.get('auto-submitted')).toBe('auto-generated');
    expect(headers.has('reply-to')).toBe(false);
  });

  it('attaches files as parts of their own after the bodies: multipart/mixed around the alternatives', async () => {
    const raw = await composeMime(email);
    expect(headersOf(raw).get('content-type')).toMatch(/^multipart\/mixed;/);
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.contentDisposition])).toEqual([
      ['x.png', 'image/png', 'inline'],
      ['scorecard.csv', 'text/csv', 'attachment'],
    ]);
    expect(parsed.attachments[1]!.content.toString('utf8')).toBe('a,b\n1,2\n');
    expect(parsed.html).toContain('<p>two</p>');
  });
});

describe('the scorecard email of the samples', () => {
  const now = new Date('2026-11-01T06:00:00Z');
  const settings = { ...DEFAULT_SETTINGS, sender: 'scorecard@acme.example', contact: 'revops@acme.example' };

  it('is CRLF only, named, automatic, and its subject is the news', async () => {
    const r = await renderStoredScorecard(parsePeriodId('2026-10'), { kpis: await sampleKpiStore(), clock: { now: () => now }, settings });
    const raw = await composeMime(r.emailTo('ceo@acme.example'));
    expect(bareLineEnds(raw)).toEqual([]);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Marketing scorecard', address: 'scorecard@acme.example' }]);
    expect(parsed.replyTo?.text).toBe('revops@acme.example');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.subject).toBe(r.view.subject);
    expect(parsed.subject).toMatch(/^October 2026: /);
    expect(parsed.subject).not.toContain('Scorecard for');
    expect(parsed.subject!.length).toBeLessThanOrEqual(SUBJECT_MAX);
    // Its first item is the first headline's.
    expect(parsed.subject).toContain(r.view.headline[0]!.short!);
  });
});

describe('subjectLine', () => {
  const period = { period: { id: '2026-10', type: 'month' as const, label: 'October 2026', short: 'Oct 2026' } };
  const h = (short: string) => ({ rule: 'headline' as const, text: `${short}.`, short });

  it('says the period and its first two headlines', () => {
    expect(subjectLine(period, [h('revenue won up 12%'), h('win rate down 6 pts'), h('SQLs up 8.7%')])).toBe('October 2026: revenue won up 12%, win rate down 6 pts');
  });

  it('keeps one when two would not fit an inbox line', () => {
    const long = 'marketing-sourced pipeline up 3.8 pts';
    expect(subjectLine(period, [h(long), h('customer acquisition cost down 25.7%')])).toBe(`October 2026: ${long}`);
  });

  it('falls back to the period when nothing made news', () => {
    expect(subjectLine(period, [])).toBe('Scorecard for October 2026');
  });
});

describe('the preheader', () => {
  const { html } = renderScorecard(sampleView());
  const preheader = /<div style="([^"]*)">([^<]*)<\/div>/.exec(html)!;

  it('is the first headline, hidden, and never given a colour (SpamAssassin HTML_FONT_LOW_CONTRAST)', () => {
    expect(preheader[1]).toMatch(/display:none/);
    expect(preheader[1]).not.toMatch(/color/);
    expect(preheader[2]).toMatch(/^SQLs grew 8\.7% to 100/);
  });

  it('is padded with invisible characters so the inbox preview stops before the heading', () => {
    const padding = preheader[2]!.slice(preheader[2]!.indexOf('target.') + 'target.'.length);
    expect(padding.length).toBeGreaterThan(500);
    expect(padding.replace(/&#847;|&zwnj;|&nbsp;/g, '')).toBe('');
  });
});

describe('settings of the message', () => {
  it('takes a sender display name, refusing what would break the From header', () => {
    expect(parseSettings({ senderName: ' RevOps scorecard ' }).senderName).toBe('RevOps scorecard');
    expect(parseSettings({}).senderName).toBeUndefined();
    for (const bad of ['Eve <eve@evil.example>', 'two\nlines', 'a "quoted" name']) {
      expect(() => parseSettings({ senderName: bad })).toThrow(SettingsError);
    }
  });

  it('takes a contact address and a link validity in whole days', () => {
    expect(parseSettings({ contact: 'revops@acme.example', linkValidityDays: '90' })).toMatchObject({ contact: 'revops@acme.example', linkValidityDays: 90 });
    expect(() => parseSettings({ contact: 'RevOps <revops@acme.example>' })).toThrow(/contact/);
    expect(() => parseSettings({ linkValidityDays: 0 })).toThrow(/linkValidityDays/);
    expect(() => parseSettings({ linkValidityDays: 1.5 })).toThrow(/linkValidityDays/);
    expect(() => parseSettings({ linkValidityDays: 401 })).toThrow(/linkValidityDays/);
  });
});
