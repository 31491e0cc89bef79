/** Number formatting for the scorecard, by unit. One place, so the email, the text part and the CLI agree. */
import type { MetricUnit } from '../metrics/registry.ts';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** One decimal at most, none when it is zero ("75%", "8.7%"): how numbers read inside a sentence. */
const upToOne = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Money formatters by currency and digits: building an Intl.NumberFormat costs more than formatting with it. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(v: number, currency: string): string {
  const digits = Math.abs(v) >= 1000 ? 0 : 2;
  const key = `${currency}|${digits}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormats.set(key, f);
  }
  return f.format(v);
}

/** A KPI value as the card shows it: rates with one decimal ("25.0%"), counts whole ("1,234"). */
export function formatValue(v: number | null, unit: MetricUnit, currency: string): string {
  if (v === null) return 'n/a';
  switch (unit) {
    case 'count': return int.format(v);
    case 'rate': return `${one.format(v * 100)}%`;
    case 'money': return formatMoney(v, currency);
    case 'days': return `${one.format(v)} days`;
    case 'ratio': return `${one.format(v)} : 1`;
  }
}

/** A value as a sentence says it: like `formatValue`, but a rate or a number of days drops a trailing ".0" ("75%"). */
export function formatValueInText(v: number, unit: MetricUnit, currency: string): string {
  if (unit === 'rate') return formatPercent(v);
  if (unit === 'days') return `${upToOne.format(v)} days`;
  return formatValue(v, unit, currency);
}

/** A fraction as a percent with at most one decimal: 0.75 → "75%", 0.0869 → "8.7%". */
export const formatPercent = (fraction: number): string => `${upToOne.format(fraction * 100)}%`;

/** Formats a count with thousands separators. */
export const formatCount = (v: number): string => int.format(v);

/** A signed number with a real minus sign; zero carries no sign. */
const signed = (s: string, v: number): string => (v > 0 ? `+${s}` : v < 0 ? `−${s.replace('-', '')}` : s);

/**
 * A rate in percent as the card shows it (one decimal): 0.40849 → 40.8. Changes of rates are taken between these
 * shown figures, so that "40.8% vs 40.9%" always comes with "−0.1 pts", never with "0.0 pts".
 */
export const shownPercent = (fraction: number): number => Number(one.format(fraction * 100).replace(/,/g, ''));

/** The change of a rate in percentage points, between the shown figures: a multiple of 0.1. */
export const shownPoints = (current: number, previous: number): number => Math.round((shownPercent(current) - shownPercent(previous)) * 10) / 10;

/**
 * Whether a change is too small to show: for a rate, the shown figures are equal; for the others, the relative
 * change rounds to 0.0% (from zero: no change at all).
 */
export function roundsToZero(current: number, previous: number, unit: MetricUnit): boolean {
  if (unit === 'rate') return shownPoints(current, previous) === 0;
  if (previous === 0) return current === previous;
  return Math.abs((current - previous) / previous) * 100 < 0.05;
}

/**
 * Change against the previous value as the card shows it: percent for counts, money, days and ratios, points
 * for rates between the shown figures ("+8.7%", "−6.5 pts"). A change that rounds to zero is said in words:
 * "unchanged" when the two figures read the same, else "about the same" ($104,500 against $104,450). From zero,
 * a relative change means nothing: the absolute change is shown instead.
 */
export function formatChange(current: number, previous: number, unit: MetricUnit, currency: string): string {
  if (roundsToZero(current, previous, unit)) {
    return formatValue(current, unit, currency) === formatValue(previous, unit, currency) ? 'unchanged' : 'about the same';
  }
  const d = current - previous;
  if (unit === 'rate') return `${signed(one.format(Math.abs(shownPoints(current, previous))), d)} pts`;
  if (previous === 0) return signed(formatValue(Math.abs(d), unit, currency), d);
  const rel = d / Math.abs(previous);
  return `${signed(one.format(Math.abs(rel * 100)), rel)}%`;
}

/**
 * The absolute change for units where `formatChange` is relative ("+8", "−$1,940", "+5.4 days"); null for
 * rates, whose change in points already is absolute, and from zero, where `formatChange` shows it.
 */
export function formatAbsoluteChange(current: number, previous: number, unit: MetricUnit, currency: string): string | null {
  if (unit === 'rate' || previous === 0) return null;
  const d = current - previous;
  const magnitude = unit === 'ratio' ? one.format(Math.abs(d)) : formatValue(Math.abs(d), unit, currency);
  if (magnitude === formatValue(0, unit, currency) || magnitude === '0.0') return null;
  return signed(magnitude, d);
}
