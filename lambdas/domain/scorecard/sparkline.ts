/**
 * Sparklines: a KPI's last 12 periods as a small PNG, drawn as SVG and rasterised with resvg. No text, so no font
 * is needed (a Lambda has none). Drawn at twice the 120 × 36 slot for sharp phone screens, on a transparent
 * background with a mid-grey line, so it reads on the white card and when a mail client forces dark mode.
 * The numbers themselves are in the image's alt text and the text part: the chart only shows the shape.
 */
import { Resvg } from '@resvg/resvg-js';
import { encodePng } from './png.ts';
import type { InlineImage, KpiView, ScorecardView, Tone } from './view.ts';

/** The slot in the email, in CSS pixels. */
export const SPARKLINE_SLOT = { width: 120, height: 36 } as const;
/** Pixels per CSS pixel. */
export const SPARKLINE_SCALE = 2;

/** Mid-grey: about 3.3:1 on white and on the dark greys clients use for dark mode. */
const LINE = '#8a939e';
/** The last point, by tone: mid-tone green and red that stay visible on light and dark backgrounds. */
const DOT: Readonly<Record<Tone, string>> = { good: '#2f9e44', bad: '#e03131', neutral: '#8a939e' };

const W = SPARKLINE_SLOT.width * SPARKLINE_SCALE;
const H = SPARKLINE_SLOT.height * SPARKLINE_SCALE;
/** Room for the end dot and the line's width. */
const PAD = 7;
const round = (v: number): number => Math.round(v * 10) / 10;

/** The shapes of one sparkline, `top` pixels down (a sheet stacks several). */
function shapes(values: readonly (number | null)[], tone: Tone, top: number): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number): number => round(PAD + (i * (W - 2 * PAD)) / Math.max(1, values.length - 1));
  // A flat series sits in the middle rather than on the floor.
  const y = (v: number): number => round(top + (max === min ? H / 2 : H - PAD - ((v - min) / (max - min)) * (H - 2 * PAD)));
  const has = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  let path = '';
  const lone: string[] = [];
  values.forEach((v, i) => {
    if (!has(v)) return;
    const joined = has(values[i - 1]);
    path += `${joined ? 'L' : 'M'}${x(i)} ${y(v)}`;
    if (!joined && !has(values[i + 1]) && i !== values.length - 1) lone.push(`<circle cx="${x(i)}" cy="${y(v)}" r="2.5" fill="${LINE}"/>`);
  });
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  return (
    (path ? `<path d="${path}" fill="none" stroke="${LINE}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>` : '') +
    lone.join('') +
    (has(last) ? `<circle cx="${x(lastIndex)}" cy="${y(last)}" r="5" fill="${DOT[tone]}"/>` : '')
  );
}

const svgOf = (height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}">${body}</svg>`;

/** The sparkline as SVG (240 × 72). Gaps (null) break the line; a point with no neighbour is drawn as a dot. */
export function sparklineSvg(values: readonly (number | null)[], tone: Tone = 'neutral'): string {
  return svgOf(H, shapes(values, tone, 0));
}

export interface SparklineData {
  readonly values: readonly (number | null)[];
  readonly tone?: Tone;
}

/**
 * Rasterises sparklines to PNGs (240 × 72, transparent), all in one resvg pass: they are stacked on one sheet,
 * rendered once and cut apart. Each sits in its own 72-pixel band, so nothing bleeds from one to the next.
 */
export function sparklinePngs(items: readonly SparklineData[]): Uint8Array[] {
  if (items.length === 0) return [];
  const sheet = svgOf(H * items.length, items.map((it, k) => shapes(it.values, it.tone ?? 'neutral', k * H)).join(''));
  // No system fonts: the SVG has no text, and scanning the font directories costs more than the drawing.
  const pixels = new Resvg(sheet, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().pixels;
  const band = W * H * 4;
  return items.map((_, k) => new Uint8Array(encodePng(W, H, pixels.subarray(k * band, (k + 1) * band))));
}

/** One sparkline as PNG bytes. */
export const sparklinePng = (values: readonly (number | null)[], tone: Tone = 'neutral'): Uint8Array => sparklinePngs([{ values, tone }])[0]!;

/** Every sparkline the view references, one inline image each, in the order the email shows them. */
export function renderSparklines(view: ScorecardView): InlineImage[] {
  const kpis = view.sections.flatMap((s) => s.kpis).filter((k): k is KpiView & Required<Pick<KpiView, 'sparkline' | 'series'>> => Boolean(k.sparkline && k.series));
  const pngs = sparklinePngs(kpis.map((k) => ({ values: k.series.map((p) => p.value), tone: k.tone })));
  return kpis.map((k, i) => ({ cid: k.sparkline.cid, filename: `${k.id}.png`, contentType: 'image/png', content: pngs[i]! }));
}
