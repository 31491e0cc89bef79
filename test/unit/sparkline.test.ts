/**
 * Sparklines: the geometry of a series (as SVG, and rasterised to PNG by the module's own rasteriser). The
 * pixel tests check the geometry independently: where the line goes, what stays transparent, the colours.
 */
import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderSparklines, sparklinePng, sparklinePngs, sparklineSvg, SPARKLINE_SCALE, SPARKLINE_SLOT } from '../../lambdas/domain/scorecard/sparkline.ts';
import { encodePng } from '../../lambdas/domain/scorecard/png.ts';
import { buildScorecardView } from '../../lambdas/domain/scorecard/view-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { OCTOBER, storedKpis } from '../helpers/sample-view.ts';

/** Decodes the 8-bit RGBA, filter-0 PNGs this module writes (enough to look at their pixels). */
type Rgba = [number, number, number, number];
interface Decoded {
  width: number;
  height: number;
  px: (x: number, y: number) => Rgba;
  /** The pixels, row by row, RGBA. */
  rgba: Buffer;
}

function decode(png: Uint8Array): Decoded {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const types: string[] = [];
  const idat: Buffer[] = [];
  for (let o = 8; o < b.length; ) {
    const len = b.readUInt32BE(o);
    const type = b.toString('ascii', o + 4, o + 8);
    expect(b.readUInt32BE(o + 8 + len), `${type} CRC`).toBe(crc32(b.subarray(o + 4, o + 8 + len)));
    types.push(type);
    if (type === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  expect(b.readUInt32BE(8)).toBe(13); // IHDR length
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  expect([...b.subarray(24, 29)]).toEqual([8, 6, 0, 0, 0]); // 8-bit RGBA, deflate, adaptive filtering, no interlace
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)], 'filter type').toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba, px: (x, y) => { const i = (y * width + x) * 4; return [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!, rgba[i + 3]!]; } };
}

const GREY: Rgba = [0x8a, 0x93, 0x9e, 255];
const TONE: Record<'good' | 'bad' | 'neutral', Rgba> = { good: [0x2f, 0x9e, 0x44, 255], bad: [0xe0, 0x31, 0x31, 0xff], neutral: GREY };

/** Where the design puts point i of n with value v in a series from min to max (240 × 72, 7 px padding). */
const at = (i: number, n: number, v: number, min: number, max: number): { x: number; y: number } =>
  ({ x: 7 + (i * 226) / (n - 1), y: max === min ? 36 : 65 - ((v - min) / (max - min)) * 58 });

/** Distance from (x, y) to segment a–b. */
function toSegment(x: number, y: number, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - a.x - t * dx, y - a.y - t * dy);
}

/** Every pixel as its centre and colour. */
function* pixels(img: Decoded): Generator<{ x: number; y: number; c: Rgba }> {
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) yield { x: x + 0.5, y: y + 0.5, c: img.px(x, y) };
}

const SERIES = [10, 12, 11, 14, 13, 15, 17, 16, 18, 20, 19, 22];

describe('sparklines', () => {
  it('is 240 × 72 pixels for a 120 × 36 slot, transparent around the line', () => {
    const { width, height, px } = decode(sparklinePng(SERIES, 'good'));
    expect([width, height]).toEqual([SPARKLINE_SLOT.width * SPARKLINE_SCALE, SPARKLINE_SLOT.height * SPARKLINE_SCALE]);
    expect(px(0, 0)[3]).toBe(0);
    expect(px(239, 71)[3]).toBe(0);
  });

  it('draws a mid-grey line and a last point in the tone’s colour, no text', () => {
    const svg = sparklineSvg(SERIES, 'bad');
    expect(svg).toContain('stroke="#8a939e"');
    expect(svg).toContain('fill="#e03131"');
    expect(svg).not.toMatch(/<text/);
    const { px } = decode(sparklinePng(SERIES, 'bad'));
    // The last point sits at the top right (the series ends on its maximum).
    const [r, g, b, a] = px(233, 7);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
  });

  it('breaks the line at a gap, dots a lone point, centres a flat series', () => {
    const gap = sparklineSvg([1, 2, null, 4, null, 6, 7]);
    expect(gap.match(/M/g)).toHaveLength(3); // 1–2, the lone 4 (drawn by its dot), 6–7
    expect(gap.match(/<circle/g)).toHaveLength(2); // the lone 4, and the last point
    expect(sparklineSvg([5, 5, 5])).toContain('M7 36L120 36L233 36');
    expect(sparklineSvg([null, null])).not.toContain('<path');
  });

  it('draws the line opaque where it goes, and nothing beyond its edge', () => {
    const points = SERIES.map((v, i) => at(i, SERIES.length, v, 10, 22));
    const img = decode(sparklinePng(SERIES, 'neutral'));
    const distance = (x: number, y: number): number => Math.min(...points.slice(1).map((p, i) => toSegment(x, y, points[i]!, p)));
    let drawn = 0;
    for (const { x, y, c } of pixels(img)) {
      const d = distance(x, y);
      // The stroke is 3 px wide: its middle 2 px are solid, and its anti-aliased edge ends half a pixel out.
      if (d <= 0.9) expect(c, `${x},${y}`).toEqual(GREY);
      if (d >= 2.1 && Math.hypot(x - 233, y - 7) > 5.6) expect(c[3], `${x},${y}`).toBe(0);
      if (c[3] > 0) drawn++;
    }
    // 226 px of line, and the end dot: the line is there, and not a blob.
    expect(drawn).toBeGreaterThan(700);
    expect(drawn).toBeLessThan(1200);
    // Anti-aliased edge pixels keep the line's colour (straight alpha, not premultiplied): they fade, not darken.
    const edges = [...pixels(img)].filter((p) => p.c[3] > 0 && p.c[3] < 255);
    expect(edges.length).toBeGreaterThan(200);
    for (const p of edges) expect(p.c.slice(0, 3)).toEqual(GREY.slice(0, 3));
  });

  it('puts the last point in the tone’s colour, and no tone colour when the last period has no value', () => {
    for (const tone of ['good', 'bad', 'neutral'] as const) {
      const { px } = decode(sparklinePng(SERIES, tone));
      // The dot's centre (233, 7) and a ring of pixels within its 5 px radius.
      for (const [x, y] of [[232, 6], [233, 7], [229, 7], [236, 7], [232, 3], [232, 10]] as const) expect(px(x, y)).toEqual(TONE[tone]);
    }
    const img = decode(sparklinePng([...SERIES.slice(0, 11), null], 'bad'));
    for (const { c } of pixels(img)) if (c[3] > 0) expect(c.slice(0, 3)).toEqual(GREY.slice(0, 3));
    expect(img.px(233, 7)[3]).toBe(0);
  });

  it('leaves gaps empty, draws a lone point as a small grey dot', () => {
    const values = [1, 2, null, null, 5, null, 3, 4];
    const n = values.length;
    const x = (i: number): number => at(i, n, 0, 0, 1).x;
    const img = decode(sparklinePng(values, 'good'));
    const columnDrawn = (px: number): boolean => Array.from({ length: 72 }, (_, y) => img.px(px, y)[3]).some((a) => a > 0);
    // Between 2 (index 1) and the lone 5 (index 4), and between the lone 5 and 3 (index 6): nothing, beyond the
    // line's round cap (1.5 px) and the lone dot (2.5 px) and half a pixel of anti-aliasing.
    for (let px = Math.ceil(x(1) + 2); px < Math.floor(x(4) - 3); px++) expect(columnDrawn(px), `column ${px}`).toBe(false);
    for (let px = Math.ceil(x(4) + 3); px < Math.floor(x(6) - 2); px++) expect(columnDrawn(px), `column ${px}`).toBe(false);
    // The lone 5 is the maximum: a grey dot of radius 2.5 at the top, 5 px across.
    const lone = at(4, n, 5, 1, 5);
    expect(img.px(Math.floor(lone.x), Math.floor(lone.y))).toEqual(GREY);
    const dotPixels = [...pixels(img)].filter((p) => p.c[3] > 0 && Math.abs(p.x - lone.x) < 5 && Math.abs(p.y - lone.y) < 5);
    expect(dotPixels.length).toBeGreaterThan(15);
    expect(dotPixels.length).toBeLessThan(35);
    // An empty series draws nothing.
    expect([...pixels(decode(sparklinePng([null, null, null])))].every((p) => p.c[3] === 0)).toBe(true);
  });

  it('draws a flat series across the middle', () => {
    const { px } = decode(sparklinePng([5, 5, 5, 5], 'neutral'));
    // y = 36 with a 3 px stroke: rows 35 and 36 solid, 34 and 37 half covered, nothing beyond.
    for (const x of [20, 120, 200]) {
      expect([33, 34, 35, 36, 37, 38].map((y) => px(x, y)[3])).toEqual([0, 128, 255, 255, 128, 0]);
    }
  });

  it('writes the same bytes every time', () => {
    const once = Buffer.from(sparklinePng(SERIES, 'good'));
    expect(Buffer.from(sparklinePng(SERIES, 'good')).equals(once)).toBe(true);
    // The pixels themselves, pinned: a change to the drawing shows here (look at the images, then update it).
    const hash = (png: Uint8Array): string => createHash('sha256').update(decode(png).rgba).digest('hex').slice(0, 16);
    expect([hash(once), hash(sparklinePng([1, 2, null, 4, null, 6, 7], 'bad')), hash(sparklinePng([5, 5, 5]))]).toMatchInlineSnapshot(`
      [
        "0353bed4f6d22976",
        "56fc67ac3ed7011e",
        "1ea3a5ebfcfc8e57",
      ]
    `);
  });

  it('renders a batch, each image the same as rendered alone', () => {
    const items = [{ values: SERIES, tone: 'good' as const }, { values: [3, 1, 2], tone: 'bad' as const }, { values: [null, 1, 1] }];
    const batch = sparklinePngs(items);
    expect(batch).toHaveLength(3);
    items.forEach((it, i) => expect(Buffer.from(batch[i]!).equals(Buffer.from(sparklinePng(it.values, it.tone)))).toBe(true));
    expect(sparklinePngs([])).toEqual([]);
  });

  it('gives one inline image per sparkline of the view, under its Content-ID', () => {
    const view = buildScorecardView({ period: OCTOBER, kpis: storedKpis({ leads: [1, 2, 3], sqls: [4, 5], mqls: [6] }), settings: DEFAULT_SETTINGS, generatedAt: new Date(0) });
    const images = renderSparklines(view);
    expect(images.map((i) => [i.cid, i.filename, i.contentType])).toEqual([
      ['spark-leads@scorecard', 'leads.png', 'image/png'],
      ['spark-sqls@scorecard', 'sqls.png', 'image/png'],
    ]);
    expect(images.every((i) => i.content.byteLength < 4096)).toBe(true);
  });

  it('encodes PNGs that round-trip, and refuses a wrong buffer size', () => {
    const rgba = new Uint8Array(2 * 2 * 4).map((_, i) => i * 10);
    expect(decode(encodePng(2, 2, rgba)).px(1, 1)).toEqual([120, 130, 140, 150]);
    expect(() => encodePng(2, 2, new Uint8Array(3))).toThrow(RangeError);
  });
});
