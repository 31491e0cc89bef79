/**
 * A KPI's whole history as a small inline SVG line chart for the drill-down page: a line per run of known
 * values (a period without a figure is a gap), a dot per point, the current one larger, and a faint band from the
 * lowest to the highest value. No text inside the SVG (it would scale with the chart and shrink on a phone): the
 * page writes the low, high and now beside it, and the table under it holds every figure. The numbers are
 * the caller's; this only draws.
 */

/** The drawing's own units; it scales to the width of its box, keeping this aspect. */
export const CHART = { width: 640, height: 160, pad: 10 } as const;

const LINE = '#12355b';
const DOT = '#12355b';
const BAND = '#eef1f5';
const CURRENT: Readonly<Record<'good' | 'bad' | 'neutral', string>> = { good: '#137333', bad: '#b3261e', neutral: '#12355b' };

const fmt = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * The chart of `values` (oldest first; null for a period without a figure), its last point in the tone's colour,
 * labelled by `label` for assistive technology (the SVG is one image).
 */
export function historyChartSvg(values: readonly (number | null)[], tone: 'good' | 'bad' | 'neutral', label: string): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const { width: W, height: H, pad: P } = CHART;
  const head = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeAttr(label)}" focusable="false">`;
  if (known.length === 0) return `${head}</svg>`;
  const min = Math.min(...known);
  const max = Math.max(...known);
  const x = (i: number): number => P + (i * (W - 2 * P)) / Math.max(1, values.length - 1);
  const y = (v: number): number => (max === min ? H / 2 : H - P - ((v - min) / (max - min)) * (H - 2 * P));
  const parts: string[] = [`<rect x="0" y="${fmt(P)}" width="${W}" height="${fmt(H - 2 * P)}" fill="${BAND}"/>`];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 1) parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${LINE}" stroke-width="4" stroke-linejoin="round" stroke-linecap="round"/>`);
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return flush();
    run.push(`${fmt(x(i))},${fmt(y(v))}`);
  });
  flush();
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const last = i === values.length - 1;
    parts.push(`<circle cx="${fmt(x(i))}" cy="${fmt(y(v))}" r="${last ? 9 : 5}" fill="${last ? CURRENT[tone] : DOT}"/>`);
  });
  return `${head}${parts.join('')}</svg>`;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
