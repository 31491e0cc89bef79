/**
 * Words the rules share: period names, how a benchmark is named, and the numbers behind a ratio KPI
 * ("25 of 100 SQLs were rejected"). Wording lives here so two rules never describe one thing two ways.
 */
import type { Benchmark, MetricDefinition, MetricUnit } from '../metrics/registry.ts';
import { periodLabel, type Period } from '../periods/period.ts';
import type { PeriodType } from '../settings.ts';
import { formatCount, formatMoney, formatPercent, formatValueInText } from '../scorecard/format.ts';
import type { StoredKpi } from '../model.ts';
import type { BenchmarkPosition, PeriodName } from './types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "Oct 2026", "Q4 2026", "W43 2026": short enough for a sparkline's alt text and a compact line. */
export function shortPeriodLabel(p: Pick<Period, 'id' | 'type'>): string {
  const [year, rest = ''] = p.id.split('-');
  if (p.type === 'month') return `${MONTHS[Number(rest) - 1] ?? rest} ${year}`;
  return `${rest} ${year}`;
}

export const periodName = (p: Period): PeriodName => ({ id: p.id, type: p.type, label: periodLabel(p), short: shortPeriodLabel(p) });

/** "month", "quarter", "week". */
export const periodNoun = (t: PeriodType): string => t;
/** "monthly", "quarterly", "weekly". */
export const periodAdjective = (t: PeriodType): string => (t === 'month' ? 'monthly' : t === 'quarter' ? 'quarterly' : 'weekly');

/** "3 months", "1 quarter". */
export const periods = (n: number, t: PeriodType): string => `${n} ${periodNoun(t)}${n === 1 ? '' : 's'}`;

/** Ordinal for streak lengths: "third", "fourth"… then "5th". */
export function ordinal(n: number): string {
  const words = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
  return words[n] ?? `${n}th`;
}

/** A value in a sentence, by unit ("75%", "$5,000", "4.1 : 1"). */
export const say = (v: number, unit: MetricUnit, currency: string): string => formatValueInText(v, unit, currency);

/** A band's bounds: "5–10%" for rates, "$100–$200", "3–5". */
function band(min: number, max: number, unit: MetricUnit, currency: string): string {
  if (unit === 'rate') return `${formatPercent(min).replace('%', '')}–${formatPercent(max)}`;
  if (unit === 'ratio') return `${min}–${max}`;
  return `${say(min, unit, currency)}–${say(max, unit, currency)}`;
}

/** A threshold: "80%", "$150", "3". */
const threshold = (v: number, unit: MetricUnit, currency: string): string => (unit === 'ratio' ? String(v) : say(v, unit, currency));

/** "the 80% benchmark", "the $150 target", "the 5–10% monthly growth target", "the benchmark (average 51%, …)". */
export function benchmarkPhrase(b: Exclude<Benchmark, { kind: 'segments' }>, def: MetricDefinition, currency: string, type: PeriodType): string {
  const word = b.source === 'leadership target' ? 'target' : 'benchmark';
  switch (b.kind) {
    case 'growth': return `the ${band(b.min, b.max, 'rate', currency)} ${periodAdjective(type)} growth target`;
    case 'min': return `the ${threshold(b.min, def.unit, currency)} ${word}`;
    case 'max': return `the ${threshold(b.max, def.unit, currency)} ${word}`;
    case 'range': return b.label ? `the ${word} (${b.label})` : `the ${band(b.min, b.max, def.unit, currency)} ${word}`;
  }
}

/** "is below", "meets", "is within", "is above": how a value stands against a benchmark of this kind. */
export function positionVerb(kind: 'min' | 'max' | 'range' | 'growth', position: BenchmarkPosition): string {
  if (kind === 'min') return position === 'below' ? 'is below' : 'meets';
  if (kind === 'max') return position === 'above' ? 'is above' : 'is within';
  return position === 'below' ? 'is below' : position === 'above' ? 'is above' : 'is within';
}

/** The badge on a KPI card: "Below the 80% benchmark". */
export const badgeText = (kind: 'min' | 'max' | 'range' | 'growth', position: BenchmarkPosition, phrase: string): string => {
  const verb = positionVerb(kind, position).replace(/^is /, '');
  return `${verb[0]!.toUpperCase()}${verb.slice(1)} ${phrase}`;
};

const n = (v: number | undefined): string => formatCount(v ?? 0);

/**
 * The numbers behind a KPI's value, from its stored numerator and denominator, in the KPI's own nouns.
 * Undefined when the KPI keeps no numerator and denominator or has no wording here.
 * The registry has no nouns for numerators and denominators yet; this table stands in for them.
 */
export function evidence(k: StoredKpi, position: BenchmarkPosition | undefined, currency: string): string | undefined {
  const { numerator: num, denominator: den } = k;
  if (num === undefined || den === undefined || k.value === null) return undefined;
  const money = (v: number): string => formatMoney(v, currency);
  switch (k.id) {
    case 'sql_acceptance_rate':
      return position === 'below' ? `${n(den - num)} of ${n(den)} SQLs were rejected` : `${n(num)} of ${n(den)} SQLs were accepted`;
    case 'mql_to_sql_rate': return `${n(num)} of ${n(den)} MQLs became SQLs`;
    case 'lead_to_mql_rate': return `${n(num)} of ${n(den)} leads became MQLs`;
    case 'sql_to_opportunity_rate': return `${n(num)} opportunities from ${n(den)} SQLs`;
    case 'lead_to_customer_rate': return `${n(num)} of ${n(den)} leads became customers`;
    case 'win_rate': return `${n(num)} of ${n(den)} closed deals were won`;
    case 'marketing_sourced_pipeline_pct': return `${money(num)} of ${money(den)} pipeline created was marketing-sourced`;
    case 'marketing_sourced_revenue_pct': return `${money(num)} of ${money(den)} revenue won was marketing-sourced`;
    case 'cost_per_lead': return `${money(num)} of marketing spend for ${n(den)} leads`;
    case 'cac': return `${money(num)} of marketing and sales spend for ${n(den)} new customers`;
    case 'avg_deal_size': return `${money(num)} from ${n(den)} deals won`;
    case 'customer_retention_rate': return `${n(num)} of the ${n(den)} customers at the start stayed`;
    case 'arpu': return `${money(num)} of MRR across ${n(den)} customers`;
    case 'ltv_to_cac': return `CLV ${money(num)} against CAC ${money(den)}`;
    case 'bounce_rate': return `${n(num)} of ${n(den)} sessions bounced`;
    case 'visitor_to_lead_rate': return `${n(num)} leads from ${n(den)} sessions`;
    case 'sales_cycle_days': return `the mean over ${n(den)} leads that became customers`;
    default: return undefined;
  }
}

/** "leads, opportunities and spend". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Dataset names as people say them. */
export const DATASET_WORDS: Readonly<Record<string, string>> = {
  leads: 'leads', opportunities: 'opportunities', spend: 'spend', customers: 'customers', web_traffic: 'web traffic',
};

/** The file name of an object key: "incoming/leads/2026-10 leads.csv" → "2026-10 leads.csv". */
export const fileName = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
