/** Sparklines: SVG drawn from a series, rasterised once per email by resvg and cut into one PNG each. */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderSparklines, sparklinePng, sparklinePngs, sparklineSvg, SPARKLINE_SCALE, SPARKLINE_SLOT } from '../../lambdas/domain/scorecard/sparkline.ts';
import { encodePng } from '../../lambdas/domain/scorecard/png.ts';
import { buildScorecardView } from '../../lambdas/domain/scorecard/view-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { OCTOBER, storedKpis } from '../helpers/sample-view.ts';

/** Decodes the 8-bit RGBA, filter-0 PNGs this module writes (enough to look at their pixels). */
function decode(png: Uint8Array): { width: number; height: number; px: (x: number, y: number) => [number, number, number, number] } {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  expect([b[24], b[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let o = 8; o < b.length; ) {
    const len = b.readUInt32BE(o);
    if (b.toString('ascii', o + 4, o + 8) === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, px: (x, y) => { const i = y * (width * 4 + 1) + 1 + x * 4; return [raw[i]!, raw[i + 1]!, raw[i + 2]!, raw[i + 3]!]; } };
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

  it('renders a batch in one pass, each image the same as rendered alone', () => {
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
