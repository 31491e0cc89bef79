import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { compileScorecardTemplate } from '../../scripts/compile-templates.ts';
import { SCORECARD_TEMPLATE } from '../../lambdas/domain/scorecard/compiled-template.ts';
import { composeMime, ScorecardEmailError } from '../../lambdas/adapters/mime.ts';
import { renderScorecard, TEXT_WIDTH } from '../../lambdas/domain/scorecard/render.ts';
import type { ScorecardView } from '../../lambdas/domain/scorecard/view.ts';
import { allKpis, HOSTILE, hostileView, SAMPLE_BANNER, sampleImages, sampleView } from '../helpers/sample-view.ts';

/** What a value looks like in the HTML: mustache's own escaping. */
const esc = (s: string): string => Mustache.escape(s);
/** Text with its wrapping undone, so a sentence split over lines still matches. */
const flat = (s: string): string => s.replace(/\s+/g, ' ');

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Problems with the element nesting of an HTML document; [] when every tag is closed in order. */
function nestingProblems(html: string): string[] {
  const problems: string[] = [];
  const opened = (html.match(/<!--\[if /g) ?? []).length;
  const closed = (html.match(/<!\[endif\]-->/g) ?? []).length;
  if (opened !== closed) problems.push(`${opened} <!--[if …]> but ${closed} <![endif]-->`);
  // Conditional comments hold Outlook-only markup that is balanced only across comments: leave them out.
  const body = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!doctype[^>]*>/i, '')
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/gi, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, slash, rawName, selfClosing] = m;
    const name = (rawName ?? '').toLowerCase();
    if (VOID_ELEMENTS.has(name) || selfClosing) continue;
    if (!slash) stack.push(name);
    else if (stack.at(-1) === name) stack.pop();
    else problems.push(`</${name}> at ${m.index} closes <${stack.at(-1) ?? 'nothing'}>`);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

interface MimePart {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  readonly parts: readonly MimePart[];
}

/** Just enough of a MIME parser to check the message's structure and get its bodies back. */
function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const boundary = /^multipart\/.*boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((p) => parseMime(p.replace(/^\r\n/, '')))
    : [];
  return { headers, body, parts };
}

const contentType = (p: MimePart): string => (p.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

function decodeBody(p: MimePart): Buffer {
  const cte = (p.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = p.body.replace(/\r\n$/, '');
  if (cte === 'base64') return Buffer.from(body, 'base64');
  if (cte === 'quoted-printable') {
    const unfolded = body.replace(/=\r\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < unfolded.length; i++) {
      if (unfolded[i] === '=') {
        bytes.push(parseInt(unfolded.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(unfolded.charCodeAt(i));
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(body, 'utf8');
}

describe('compiled template', () => {
  it('is up to date with templates/*.mjml (run npm run build:templates)', async () => {
    expect(SCORECARD_TEMPLATE).toBe(await compileScorecardTemplate());
  });

  it('never renders data unescaped', () => {
    expect(SCORECARD_TEMPLATE).not.toMatch(/\{\{\{|\{\{&/);
  });

  it('declares a light colour scheme', () => {
    expect(SCORECARD_TEMPLATE).toContain('<meta name="color-scheme" content="light">');
    expect(SCORECARD_TEMPLATE).toContain('<meta name="supported-color-schemes" content="light">');
  });
});

describe('renderScorecard', () => {
  const view = sampleView({ banner: SAMPLE_BANNER });
  const { html, text } = renderScorecard(view);

  it('shows every KPI label, value, change, comparison and commentary sentence in the HTML', () => {
    for (const k of allKpis(view)) {
      expect(html).toContain(esc(k.label));
      expect(html).toContain(`>${esc(k.value)}<`);
      if (k.change) expect(html).toContain(esc(k.change));
      if (k.previous) expect(html).toContain(esc(`vs ${k.previous} in ${view.previousPeriodLabel}`));
      if (k.benchmark) expect(html).toContain(esc(k.benchmark.text));
      for (const c of k.commentary) expect(html).toContain(esc(c.rule === 'action' ? c.text.replace(/^Recommended: /, '') : c.text));
    }
  });

  it('shows every KPI in the text part too', () => {
    const t = flat(text);
    for (const k of allKpis(view)) {
      expect(t).toContain(k.label);
      expect(t).toContain(k.value);
      if (k.change) expect(t).toContain(k.change);
      if (k.benchmark) expect(t).toContain(k.benchmark.text);
      for (const c of k.commentary) expect(t).toContain(c.text);
    }
  });

  it('marks the change with an arrow (which way it went) and a word (good news or bad) as well as a colour', () => {
    expect(html).toContain('▲ +8.7% better');
    expect(html).toContain('▼ −6.5 pts worse');
    expect(html).toContain('▼ −8.5% better'); // a falling CAC is good news
    expect(html).toContain('– unchanged');
    expect(html).toContain(esc(`No figure for ${view.previousPeriodLabel}`));
    expect(text).toContain('100 · ▲ +8.7% better · vs 92 in September 2026');
  });

  it('colours every change and source rate by its tone, one colour per tone', () => {
    const colours = { good: new Set<string>(), bad: new Set<string>(), neutral: new Set<string>() };
    for (const m of html.matchAll(/class="(?:chg )?(good|bad|neutral)"[^>]*style="[^"]*;color:(#[0-9a-f]{6})/g)) {
      colours[m[1] as keyof typeof colours].add(m[2]!);
    }
    expect(colours.good.size).toBe(1);
    expect(colours.bad.size).toBe(1);
    expect(colours.neutral.size).toBe(1);
    expect(new Set([...colours.good, ...colours.bad, ...colours.neutral]).size).toBe(3);
    const tagged = html.match(/<(?:p|td) class="(?:chg )?(?:good|bad|neutral)"/g) ?? [];
    const rows = view.sourceTable!.rows.length;
    expect(tagged).toHaveLength(allKpis(view).filter((k) => k.change !== null).length + rows);
  });

  it('opens with every KPI at a glance: value and change in its tone colour, a warning for one off its benchmark', () => {
    const glance = html.slice(html.indexOf('At a glance'), html.indexOf(`>${esc(view.sections[0]!.title)}</h2>`));
    const cells = [...glance.matchAll(/<td class="gc (good|bad|neutral)"[^>]*>(?:<b>)?([^<]*)</g)];
    const kpis = allKpis(view);
    expect(cells.map((c) => c[1])).toEqual(kpis.map((k) => k.tone));
    const word = { good: ' better', bad: ' worse', neutral: '' } as const;
    // (Arrow and figure are held together by no-break spaces.)
    expect(cells.map((c) => c[2]!.replace(/\u00a0/g, ' '))).toEqual(kpis.map((k) => (k.change === null ? '' : esc(`${{ up: '▲', down: '▼', flat: '–', none: '' }[k.trend]} ${k.change}${word[k.tone]}`))));
    expect((glance.match(/&#9888;|⚠/g) ?? []).length - 1).toBe(kpis.filter((k) => k.benchmark?.off).length);
    expect(flat(text)).toContain('AT A GLANCE');
  });

  it('shows the headline, source table, notes, definitions and generation time in both parts', () => {
    const t = flat(text);
    const table = view.sourceTable!;
    for (const s of [...view.headline.map((h) => h.text), ...view.dataNotes.map((n) => n.text), view.generatedAt, table.title]) {
      expect(html).toContain(esc(s));
      expect(t.toUpperCase()).toContain(s.toUpperCase());
    }
    for (const r of table.rows) {
      expect(html).toContain(`>${esc(r.source)}<`);
      expect(t).toContain(r.source);
    }
    for (const d of view.definitions) {
      expect(html).toContain(esc(d.definition));
      expect(t).toContain(`${d.label}: ${d.definition}`);
    }
  });

  it('references each sparkline by Content-ID with its alt text', () => {
    for (const k of allKpis(view)) {
      if (k.sparkline) expect(html).toContain(`src="cid:${esc(k.sparkline.cid)}" alt="${esc(k.sparkline.alt)}"`);
    }
    const imgs = html.match(/<img\b/g) ?? [];
    expect(imgs).toHaveLength(allKpis(view).filter((k) => k.sparkline).length);
  });

  it('produces well-formed HTML with every mustache tag expanded', () => {
    expect(nestingProblems(html)).toEqual([]);
    expect(html).not.toMatch(/\{\{|\}\}/);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<title>${esc(view.title)}</title>`);
  });

  it('stays well-formed without the optional parts', () => {
    const bare: ScorecardView = { ...sampleView(), headline: [], sections: [], dataNotes: [], definitions: [] };
    delete (bare as { sourceTable?: unknown }).sourceTable;
    const r = renderScorecard(bare);
    expect(nestingProblems(r.html)).toEqual([]);
    expect(r.html).not.toContain('Headlines');
    expect(r.html).not.toContain('class="grid"');
    expect(r.text).not.toContain('HEADLINES');
    expect(r.text).not.toContain('ABOUT THE DATA');
  });

  it('shows the banner only when it is set', () => {
    expect(html).toContain(esc(SAMPLE_BANNER));
    expect(html).toContain('Missing data:');
    expect(text).toContain('MISSING DATA:');
    const without = renderScorecard(sampleView());
    expect(without.html).not.toContain('Missing data:');
    expect(without.html).not.toContain('class="warn"');
    expect(without.text).not.toContain('MISSING DATA');
  });

  it('keeps the HTML of a full scorecard under 90 KB, well below Gmail’s ~102 KB clipping', () => {
    expect(allKpis(view).length).toBeGreaterThanOrEqual(24);
    expect(Buffer.byteLength(html)).toBeLessThan(90 * 1024);
  });

  it(`wraps the text part at ${TEXT_WIDTH} characters`, () => {
    const long = text.split('\n').filter((l) => [...l].length > TEXT_WIDTH);
    expect(long).toEqual([]);
  });

  it('is pure: the same view renders the same bodies', () => {
    expect(renderScorecard(sampleView({ banner: SAMPLE_BANNER }))).toEqual({ html, text });
  });
});

describe('renderScorecard with hostile data', () => {
  const view = hostileView();
  const { html, text } = renderScorecard(view);

  it('escapes markup in every field', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/i);
    expect(html).not.toContain('onerror=');
    expect(html).not.toContain('"onerror');
    expect(html).toContain('&amp;');
    expect(html).toContain(esc(HOSTILE.script));
    expect(html).toContain(esc(HOSTILE.img));
    expect(html).toContain(esc(HOSTILE.quotes));
    expect(html).toContain(esc(HOSTILE.single));
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&quot;quoted&quot;');
    expect(html).toContain('&#39;single&#39;');
  });

  it('keeps attribute values inside their quotes', () => {
    expect(html).toContain('src="cid:spark-x&quot;onerror&#x3D;&quot;alert(1)@scorecard"');
    // Every <img> has exactly the attributes the template gives it.
    for (const tag of html.match(/<img\b[^>]*>/g) ?? []) {
      expect(tag.match(/\s([\w-]+)=/g)?.map((a) => a.trim())).toEqual(['class=', 'src=', 'alt=', 'width=', 'height=', 'style=']);
    }
  });

  it('still produces well-formed HTML', () => {
    expect(nestingProblems(html)).toEqual([]);
  });

  it('keeps the data as plain text in the text part', () => {
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.amp);
  });
});

describe('composeMime (the scorecard)', () => {
  const view = sampleView();
  const { html, text } = renderScorecard(view);
  const images = sampleImages(view);
  const subject = `${view.title} — SQLs ▲ 8.7%`;
  const base = {
    from: 'Scorecard <scorecard@example.com>',
    to: ['ceo@example.com', 'cmo@example.com'],
    subject,
    html,
    text,
    images,
    messageId: '<2026-10.scorecard@example.com>',
    date: new Date('2026-11-01T06:00:00Z'),
  };

  it('nests text and HTML as alternatives, with the images related to the HTML', async () => {
    const raw = (await composeMime(base)).toString('latin1');
    const root = parseMime(raw);
    expect(contentType(root)).toBe('multipart/alternative');
    expect(root.parts.map(contentType)).toEqual(['text/plain', 'multipart/related']);
    const [plain, related] = root.parts as [MimePart, MimePart];
    expect(related.parts.map(contentType)).toEqual(['text/html', ...images.map(() => 'image/png')]);

    expect(decodeBody(plain).toString('utf8').replace(/\r\n/g, '\n')).toBe(text);
    expect(decodeBody(related.parts[0]!).toString('utf8').replace(/\r\n/g, '\n')).toBe(html);
    related.parts.slice(1).forEach((part, i) => {
      const img = images[i]!;
      expect(part.headers.get('content-id')).toBe(`<${img.cid}>`);
      expect(part.headers.get('content-disposition')).toMatch(/^inline/);
      expect(decodeBody(part).equals(Buffer.from(img.content))).toBe(true);
    });
  });

  it('is plain multipart/alternative without images', async () => {
    const root = parseMime((await composeMime({ ...base, images: [] })).toString('latin1'));
    expect(contentType(root)).toBe('multipart/alternative');
    expect(root.parts.map(contentType)).toEqual(['text/plain', 'text/html']);
  });

  it('encodes the subject and every body as 7-bit lines SES accepts', async () => {
    const raw = await composeMime(base);
    const root = parseMime(raw.toString('latin1'));
    expect(root.headers.get('subject')).toMatch(/^=\?UTF-8\?[QB]\?/i);
    expect(raw.every((b) => b < 0x80)).toBe(true);
    expect(Math.max(...raw.toString('latin1').split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(root.headers.get('mime-version')).toBe('1.0');
    expect(root.headers.get('message-id')).toBe('<2026-10.scorecard@example.com>');
    expect(root.headers.get('date')).toBe('Sun, 01 Nov 2026 06:00:00 +0000');
    expect(root.headers.get('to')).toBe('ceo@example.com, cmo@example.com');
  });

  it('is byte-for-byte reproducible given a date, a Message-ID and a boundary', async () => {
    const a = await composeMime({ ...base, boundary: 'fixed' });
    const b = await composeMime({ ...base, boundary: 'fixed' });
    expect(a.equals(b)).toBe(true);
  });

  it('refuses two images under one Content-ID', async () => {
    const [img] = images;
    await expect(composeMime({ ...base, images: [img!, img!] })).rejects.toBeInstanceOf(ScorecardEmailError);
  });
});
