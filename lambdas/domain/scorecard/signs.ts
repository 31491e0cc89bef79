/**
 * The scorecard's signs, shared by the email (render.ts) and the drill-down page: one meaning for arrows everywhere
 * and tone said in words as well as colour.
 */
import type { KpiView, Sentence, Tone, Trend } from './view.ts';

/**
 * One meaning for arrows everywhere: ▲ the number went up, ▼ it went down (– it held). Whether that is good news
 * is said in words (`toneWord`) and colour: a rising CAC is ▲ and worse.
 */
export const ARROW: Readonly<Record<Trend, string>> = { up: '▲', down: '▼', flat: '–', none: '' };

/** Tone in words, so it never rests on colour alone (WCAG 1.4.1). A flat change says so itself ("unchanged"). */
export function toneWord(tone: Tone): string {
  return tone === 'good' ? 'better' : tone === 'bad' ? 'worse' : '';
}

/** "▲ +3.2% better", "– about the same": arrow, change and tone word, as the glance and the text part show them. */
export const changeLine = (k: KpiView, change: string | null = k.change): string =>
  change === null ? '' : [ARROW[k.trend], change, toneWord(k.tone)].filter(Boolean).join(' ');

/** "+8.7% (+8)": the change, with the absolute change where the change is relative. */
export const changeText = (k: KpiView): string | null => (k.change === null ? null : k.changeAbsolute ? `${k.change} (${k.changeAbsolute})` : k.change);

/** A headline's bullet: the arrow of the move it is about (a bullet when it is about no move). */
export const headlineMarker = (s: Sentence): string => (s.trend === 'up' || s.trend === 'down' ? ARROW[s.trend] : '•');

export const capitalised = (s: string): string => (s ? `${s[0]!.toUpperCase()}${s.slice(1)}` : s);

/** A value against the all-values figure (a lead source, a rep): better or worse, in words; "in line" when neither. */
export const comparedWord = (tone: Tone): string => (tone === 'good' ? 'better' : tone === 'bad' ? 'worse' : 'in line');

/** What the arrows, words and "pts" mean: said once, under the glance table (HTML and text) and on the page. */
export const GLANCE_KEY = '▲ ▼ up or down since the previous period; better or worse for the business. Rates move in percentage points (pts).';
