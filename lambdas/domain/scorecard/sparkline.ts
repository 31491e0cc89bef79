/**
 * Sparklines: a KPI's last 12 periods as a small PNG, rasterised here in plain TypeScript (no native module, no
 * font: a sparkline has no text). Drawn at twice the 120 × 36 slot for sharp phone screens, on a transparent
 * background with a mid-grey line, so it reads on the white card and when a mail client forces dark mode.
 * The numbers themselves are in the image's alt text and the text part: the chart only shows the shape.
 *
 * One geometry (`layout`) feeds both outputs: `sparklineSvg` writes it as SVG (for reading and debugging) and
 * `sparklinePngs` rasterises it. The shapes are few and simple — a polyline with round joins and caps, which is
 * exactly the set of points within half the stroke width of one of its segments, and discs — so each pixel's
 * coverage comes from its centre's distance to the shape (a one-pixel ramp across the edge, the coverage of a
 * straight edge), without supersampling.
 */
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
/** Stroke width of the line, radius of a lone point's dot and of the last point's dot, in pixels. */
const STROKE = 3;
const LONE_R = 2.5;
const LAST_R = 5;
const round = (v: number): number => Math.round(v * 10) / 10;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** What a sparkline draws, in pixels from its top left. */
interface Layout {
  /** Runs of consecutive known values: one polyline each (a run of one point is a move with nothing drawn). */
  readonly runs: readonly (readonly Point[])[];
  /** Points with no known neighbour (other than the last point, which has its own dot): a small grey dot each. */
  readonly lone: readonly Point[];
  /** The last period, when it has a value: a dot in the tone's colour. */
  readonly last: Point | null;
}

const has = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

function layout(values: readonly (number | null)[]): Layout {
  const known = values.filter(has);
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number): number => round(PAD + (i * (W - 2 * PAD)) / Math.max(1, values.length - 1));
  // A flat series sits in the middle rather than on the floor.
  const y = (v: number): number => round(max === min ? H / 2 : H - PAD - ((v - min) / (max - min)) * (H - 2 * PAD));
  const runs: Point[][] = [];
  const lone: Point[] = [];
  values.forEach((v, i) => {
    if (!has(v)) return;
    const p = { x: x(i), y: y(v) };
    if (has(values[i - 1])) runs[runs.length - 1]!.push(p);
    else runs.push([p]);
    if (!has(values[i - 1]) && !has(values[i + 1]) && i !== values.length - 1) lone.push(p);
  });
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  return { runs, lone, last: has(last) ? { x: x(lastIndex), y: y(last) } : null };
}

// ---- SVG ---------------------------------------------------------------------------------------------------

/** The sparkline as SVG (240 × 72). Gaps (null) break the line; a point with no neighbour is drawn as a dot. */
export function sparklineSvg(values: readonly (number | null)[], tone: Tone = 'neutral'): string {
  const { runs, lone, last } = layout(values);
  const path = runs.map((run) => run.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join('')).join('');
  const body =
    (path ? `<path d="${path}" fill="none" stroke="${LINE}" stroke-width="${STROKE}" stroke-linejoin="round" stroke-linecap="round"/>` : '') +
    lone.map((p) => `<circle cx="${p.x}" cy="${p.y}" r="${LONE_R}" fill="${LINE}"/>`).join('') +
    (last ? `<circle cx="${last.x}" cy="${last.y}" r="${LAST_R}" fill="${DOT[tone]}"/>` : '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${body}</svg>`;
}

// ---- raster ------------------------------------------------------------------------------------------------

/** How much of pixel (px, py) a shape covers, from its centre's signed distance to the shape's edge. */
const coverage = (distanceOutside: number): number => Math.min(1, Math.max(0, 0.5 - distanceOutside));

/** The pixel range (inclusive) a shape spanning [lo, hi] can touch, within [0, size). */
const span = (lo: number, hi: number, size: number): [number, number] => [Math.max(0, Math.floor(lo - 0.5)), Math.min(size - 1, Math.ceil(hi + 0.5))];

/**
 * Adds a segment with round caps (a capsule of radius `r` around a → b) to a coverage mask: each pixel keeps
 * the larger coverage, so where segments overlap at a joint the line is not drawn twice (no darker knots).
 */
function capsule(mask: Float32Array, a: Point, b: Point, r: number): void {
  const [x0, x1] = span(Math.min(a.x, b.x) - r, Math.max(a.x, b.x) + r, W);
  const [y0, y1] = span(Math.min(a.y, b.y) - r, Math.max(a.y, b.y) + r, H);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (let py = y0; py <= y1; py++) {
    const cy = py + 0.5 - a.y;
    for (let px = x0; px <= x1; px++) {
      const cx = px + 0.5 - a.x;
      // The nearest point of the segment to the pixel's centre, as a fraction of a → b.
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, (cx * dx + cy * dy) / len2));
      const ex = cx - t * dx;
      const ey = cy - t * dy;
      const c = coverage(Math.sqrt(ex * ex + ey * ey) - r);
      const i = py * W + px;
      if (c > mask[i]!) mask[i] = c;
    }
  }
}

const disc = (mask: Float32Array, p: Point, r: number): void => capsule(mask, p, p, r);

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const LINE_RGB = rgb(LINE);
const DOT_RGB: Readonly<Record<Tone, [number, number, number]>> = { good: rgb(DOT.good), bad: rgb(DOT.bad), neutral: rgb(DOT.neutral) };

/** The sparkline's pixels: 240 × 72 RGBA, not premultiplied, transparent where nothing is drawn. */
function rasterise(values: readonly (number | null)[], tone: Tone): Uint8Array {
  const { runs, lone, last } = layout(values);
  // Grey (the line and lone dots, one layer so they never double up), then the last point's dot over it.
  const grey = new Float32Array(W * H);
  for (const run of runs) for (let i = 1; i < run.length; i++) capsule(grey, run[i - 1]!, run[i]!, STROKE / 2);
  for (const p of lone) disc(grey, p, LONE_R);
  const dot = new Float32Array(W * H);
  if (last) disc(dot, last, LAST_R);
  const [dr, dg, db] = DOT_RGB[tone];
  const [lr, lg, lb] = LINE_RGB;
  const out = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const under = grey[i]!;
    const over = dot[i]!;
    if (under === 0 && over === 0) continue;
    // Source-over: the dot on the line, both straight (not premultiplied) colours.
    const a = over + under * (1 - over);
    const w = (under * (1 - over)) / a;
    const o = i * 4;
    out[o] = Math.round(dr + (lr - dr) * w);
    out[o + 1] = Math.round(dg + (lg - dg) * w);
    out[o + 2] = Math.round(db + (lb - db) * w);
    out[o + 3] = Math.round(a * 255);
  }
  return out;
}

export interface SparklineData {
  readonly values: readonly (number | null)[];
  readonly tone?: Tone;
}

/** Rasterises sparklines to PNGs (240 × 72, transparent), one per item, in order. */
export function sparklinePngs(items: readonly SparklineData[]): Uint8Array[] {
  return items.map((it) => new Uint8Array(encodePng(W, H, rasterise(it.values, it.tone ?? 'neutral'))));
}

/** One sparkline as PNG bytes. */
export const sparklinePng = (values: readonly (number | null)[], tone: Tone = 'neutral'): Uint8Array => sparklinePngs([{ values, tone }])[0]!;

/** Every sparkline the view references, one inline image each, in the order the email shows them. */
export function renderSparklines(view: ScorecardView): InlineImage[] {
  const kpis = view.sections.flatMap((s) => s.kpis).filter((k): k is KpiView & Required<Pick<KpiView, 'sparkline' | 'series'>> => Boolean(k.sparkline && k.series));
  const pngs = sparklinePngs(kpis.map((k) => ({ values: k.series.map((p) => p.value), tone: k.tone })));
  return kpis.map((k, i) => ({ cid: k.sparkline.cid, filename: `${k.id}.png`, contentType: 'image/png', content: pngs[i]! }));
}
