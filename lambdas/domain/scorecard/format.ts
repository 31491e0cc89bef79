/** Number formatting for the scorecard, by unit. One place, so the email, the text part and the CLI agree. */
import type { MetricUnit } from '../metrics/registry.ts';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatMoney(v: number, currency: string): string {
  const digits = Math.abs(v) >= 1000 ? 0 : 2;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

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

/** A signed number with a real minus sign. */
const signed = (s: string, v: number): string => (v > 0 ? `+${s}` : v < 0 ? `−${s.replace('-', '')}` : s);

/** Change against the previous value: percent for counts and money, points for rates. */
export function formatChange(current: number, previous: number, unit: MetricUnit, currency: string): string {
  if (unit === 'rate') return `${signed(one.format(Math.abs((current - previous) * 100)), current - previous)} pts`;
  if (previous === 0) return signed(formatValue(Math.abs(current - previous), unit, currency), current - previous);
  const rel = (current - previous) / Math.abs(previous);
  return `${signed(one.format(Math.abs(rel * 100)), rel)}%`;
}
