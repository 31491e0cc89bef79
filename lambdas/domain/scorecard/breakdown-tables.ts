/**
 * The breakdown tables of the scorecard: per KPI that is a rate, a cost or an average and is broken down, the best
 * and the worst value of each dimension that stand out from the all-values figure (commentary/breakdown-facts.ts
 * judges that), under the KPI's section, the way the lead-source table sits under MQL → SQL. A dimension where
 * nothing stands out is named on one line, so the reader knows it was looked at.
 */
import { DIMENSIONS } from '../metrics/dimensions.ts';
import { MIN_COUNT, breakdownFacts, poolLabel, type BreakdownFacts, type PooledValue } from '../commentary/breakdown-facts.ts';
import { commentedDimensions, evidenceOf, UNIT_NOUN } from '../commentary/rules/breakdowns.ts';
import { list } from '../commentary/phrases.ts';
import type { KpiFacts } from '../commentary/types.ts';
import { formatCount, formatValue, formatValueInText } from './format.ts';
import type { BreakdownTableView } from './view.ts';

const capital = (s: string): string => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/** What the evidence column holds, per test. */
const EVIDENCE_HEAD: Readonly<Record<BreakdownFacts['test'], string>> = { rate: 'Of', cost: 'Spend for', average: 'Count' };
/** …and for the KPIs that have words of their own. */
const KPI_EVIDENCE_HEAD: Readonly<Record<string, string>> = { win_rate: 'Won of closed', cost_per_lead: 'Spend for leads', avg_deal_size: 'Deals won' };

/** How the note says what "stands out" means, per test (breakdown-facts.ts). */
function ruleWords(b: BreakdownFacts): string {
  const noun = UNIT_NOUN[b.def.id] ?? '';
  if (b.test === 'rate') return `Better: above, worse: below it beyond chance (95% interval), ${MIN_COUNT} ${noun} or more`;
  if (b.test === 'cost') return `Better: cheaper, worse: dearer than that beyond chance (95%), ${MIN_COUNT} ${noun} or more`;
  return `Better: above, worse: below it beyond chance (95%, given how deal sizes vary), ${MIN_COUNT} deals ${noun} or more`;
}

function rowOf(b: BreakdownFacts, v: PooledValue, currency: string) {
  return {
    name: v.label,
    evidence: evidenceOf(b, v, currency, false),
    value: formatValue(v.value, b.def.unit, currency),
    tone: v.standsOut === 'better' ? 'good' as const : 'bad' as const,
  };
}

/** The table of one KPI, or undefined when none of its dimensions has a value that stands out. */
export function breakdownTable(f: KpiFacts, currency: string): BreakdownTableView | undefined {
  const all = commentedDimensions(f).map((d) => breakdownFacts(f, d)).filter((b): b is BreakdownFacts => b !== undefined);
  const shown = all.filter((b) => b.best || b.worst);
  const first = shown[0];
  if (!first) return undefined;
  const quiet = all.filter((b) => !b.best && !b.worst).map((b) => DIMENSIONS[b.dimension].noun);
  const allValue = formatValueInText(first.all.value, f.def.unit, currency);
  const evidence = first.test === 'rate' ? `${formatCount(first.all.numerator)} of ${formatCount(first.all.denominator)} ${UNIT_NOUN[f.def.id] ?? ''}`.trim()
    : evidenceOf(first, first.all, currency);
  return {
    sectionId: f.def.section,
    kpiId: f.def.id,
    title: `${f.def.label} by ${list(shown.map((b) => DIMENSIONS[b.dimension].noun))}`,
    note: `${poolLabel(first.periods)} · all: ${allValue} (${evidence}). ${ruleWords(first)}.` +
      (quiet.length ? ` No ${list(quiet).replace(/ and (?=[^,]*$)/, ' or ')} stands out.` : ''),
    evidenceHead: KPI_EVIDENCE_HEAD[f.def.id] ?? EVIDENCE_HEAD[first.test],
    valueHead: f.def.unit === 'rate' ? 'Rate' : first.test === 'cost' ? 'Per lead' : 'Average',
    groups: shown.map((b) => ({
      name: capital(DIMENSIONS[b.dimension].noun),
      rows: [b.best, b.worst].filter((v): v is PooledValue => v !== undefined).map((v) => rowOf(b, v, currency)),
    })),
  };
}
