/**
 * Writes docs/metrics.md from the metric registry: `npx tsx scripts/generate-metrics-doc.ts`.
 * `test/unit/kpi-docs.test.ts` fails when the file differs from what this renders, so the docs cannot drift from
 * the code that computes the numbers.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS, type BusinessModel } from '../lambdas/domain/settings.ts';
import { METRICS, SECTIONS, type Benchmark, type MetricDefinition, type MetricUnit } from '../lambdas/domain/metrics/registry.ts';
import { DIMENSION_IDS, DIMENSIONS, type Dimension } from '../lambdas/domain/metrics/dimensions.ts';

export const METRICS_DOC_PATH = fileURLToPath(new URL('../docs/metrics.md', import.meta.url));

const UNIT_WORDS: Record<MetricUnit, string> = {
  count: 'count',
  rate: 'rate (a fraction: 0.25 is shown as 25.0%)',
  money: 'money (the configured currency, major units)',
  days: 'days',
  ratio: 'ratio (x : 1)',
};

const DATASET_WORDS: Record<string, string> = {
  leads: '`leads`', opportunities: '`opportunities`', spend: '`spend`', customers: '`customers`', web_traffic: '`web_traffic`',
};

function num(v: number, unit: MetricUnit): string {
  if (unit === 'rate') return `${+(v * 100).toFixed(2)}%`;
  return String(+v.toFixed(2));
}

/** A benchmark band in words, with its source. */
export function benchmarkText(b: Benchmark, unit: MetricUnit): string {
  switch (b.kind) {
    case 'min': return `≥ ${num(b.min, unit)}; source: ${b.source}`;
    case 'max': return `≤ ${num(b.max, unit)}; source: ${b.source}`;
    case 'range': {
      const band = `${num(b.min, unit)}–${num(b.max, unit)}`;
      return `${band}${b.label && b.label !== band ? ` (${b.label})` : ''}; source: ${b.source}`;
    }
    case 'growth': return `${num(b.min, 'rate')}–${num(b.max, 'rate')} growth over the previous period; source: ${b.source}`;
    case 'segments': return `each segment against the all-segment value; source: ${b.source}`;
  }
}

function benchmarkLines(def: MetricDefinition): string[] {
  const lines: string[] = [];
  const models: BusinessModel[] = ['b2b', 'saas', 'ecommerce'];
  const bands = models.map((businessModel) => [businessModel, def.benchmark?.({ ...DEFAULT_SETTINGS, businessModel })] as const);
  const distinct = new Set(bands.map(([, b]) => JSON.stringify(b)));
  if (distinct.size > 1) {
    for (const [model, b] of bands) if (b) lines.push(`  - scored against, business model \`${model}\`: ${benchmarkText(b, def.unit)}`);
  } else if (bands[0]![1]) {
    lines.push(`  - scored against: ${benchmarkText(bands[0]![1], def.unit)}`);
  }
  return lines;
}

/** "`campaign`, `owner` (rep)". */
const dimensionList = (ds: readonly Dimension[]): string =>
  ds.map((d) => `\`${d}\`${DIMENSIONS[d].noun !== d ? ` (${DIMENSIONS[d].noun})` : ''}`).join(', ');

/** The Breakdowns section: per dimension, the columns it is read from and the KPIs broken down by it. */
function breakdownsSection(): string[] {
  const readFrom = (d: Dimension): string =>
    Object.entries(DIMENSIONS[d].readFrom).map(([dataset, column]) => `${dataset} \`${column}\``).join('; ');
  return [
    '## Breakdowns',
    '',
    'A KPI with breakdowns is also computed per value of each of its dimensions the period\'s records carry (some',
    'value other than blank among the records the KPI reads), by the KPI\'s own formula applied to that value\'s',
    'records, in the same pass over the records as the KPIs and for every period computed (the trend window too).',
    'Values are compared case-insensitively (lower case, runs of spaces and `_` made one space, a blank is `unknown`)',
    'and shown as first written. Every value the records carry is listed, so the values of a dimension add up to the',
    'KPI: a sum (leads, revenue, pipeline) to its value, a ratio\'s numerators and denominators to its own. A value',
    'of a ratio KPI with no denominator (a campaign that spent and bought no lead) is `null` with its terms. So is a',
    'value of a KPI read from two datasets that only one of them carries: leads from `paid search` when no spend row',
    'has that channel (an ads export without a channel column files its spend under `unspecified`) did not cost $0',
    'each, so cost per lead by source is known only for sources that are also spend channels. The breakdowns are',
    'stored with the KPI, as items of their own per KPI and dimension (split when large), and printed by',
    '`smarketing kpis --json`.',
    '',
    '| dimension | read from | KPIs broken down |',
    '|---|---|---|',
    ...DIMENSION_IDS.map((d) => `| ${dimensionList([d])} | ${readFrom(d)} | ${METRICS.filter((m) => m.breakdownBy?.includes(d)).map((m) => `\`${m.id}\``).join(', ')} |`),
    '',
    'The scorecard shows, per dimension, the best and the worst value of the rate, cost and average KPIs that stand',
    'out from the all-values figure with enough volume to mean it; how that is judged is in',
    '[scorecard.md](scorecard.md#breakdowns).',
    '',
  ];
}

function metricSection(def: MetricDefinition): string {
  const inputs = def.inputs.map((d) => DATASET_WORDS[d] ?? d).join(', ');
  const out = [
    `### \`${def.id}\`: ${def.label}`,
    '',
    def.definition,
    '',
    `- **Formula:** ${def.formula}`,
    `- **Unit:** ${UNIT_WORDS[def.unit]}`,
    `- **Better:** ${def.better === 'up' ? 'up (higher is good news)' : 'down (lower is good news)'}`,
    `- **Inputs:** ${inputs}${def.usesNewCustomers ? ', and where new customers come from: `customers` when that dataset has any record, else `leads`' : ''}`,
    `- **Segments:** ${def.segmentBy === 'source' ? 'per lead source' : def.segmentBy === 'channel' ? 'per spend channel that is also a lead source' : 'none'}`,
    `- **Breakdowns:** ${def.breakdownBy ? `by ${dimensionList(def.breakdownBy)}` : 'none'}`,
    `- **Benchmark:** ${def.reference}`,
    ...benchmarkLines(def),
    ...(def.action ? [`- **Action when off benchmark or trending the wrong way:** ${def.action}`] : []),
  ];
  return out.join('\n');
}

/** docs/metrics.md, from the registry. */
export function renderMetricsDoc(): string {
  const table = [
    '| id | label | unit | better | inputs | segments | breakdowns |',
    '|---|---|---|---|---|---|---|',
    ...METRICS.map((d) => `| \`${d.id}\` | ${d.label} | ${d.unit} | ${d.better} | ${d.inputs.join(', ')}${d.usesNewCustomers ? ' (+ new customers)' : ''} | ${d.segmentBy ?? '—'} | ${d.breakdownBy?.join(', ') ?? '—'} |`),
  ];
  const sections = SECTIONS.flatMap((s) => {
    const defs = METRICS.filter((d) => d.section === s.id);
    return defs.length ? [`## ${s.title}`, '', defs.map(metricSection).join('\n\n'), ''] : [];
  });
  return [
    '# KPI catalog',
    '',
    '<!-- Generated from lambdas/domain/metrics/registry.ts by `npx tsx scripts/generate-metrics-doc.ts`. Do not edit:',
    '     test/unit/kpi-docs.test.ts fails when this file differs from the registry. -->',
    '',
    'Every KPI the scorecard shows, as the code computes it. This page is the KPI contract: it is generated from',
    'the metric registry, the one place the computation, the stored items, the commentary and the email read, so',
    'it always says what the code does. How the email presents the KPIs is in [scorecard.md](scorecard.md).',
    '',
    '## How the numbers are computed',
    '',
    '- **Periods.** A calendar month (default), a quarter or an ISO week, in the configured IANA time zone; ids',
    '  `2026-10`, `2026-Q4`, `2026-W43`. A record falls in period P when its date, seen in that zone, lies in P: a',
    '  timestamp with an offset is an instant (its local date follows the zone, daylight-saving changes included); a',
    '  date or a date-time without offset is already local. A monthly spend row (`2026-10`) counts in its month and',
    '  quarter; in weekly periods its amount is spread over the days of the month in whole cents.',
    '- **Which records count.** Per dataset, records are merged by key across accepted uploads, oldest upload',
    '  first; a later upload\'s record replaces an earlier one with the same key. Each stored KPI lists the uploads it',
    '  came from: the uploads of its input datasets that have a record in the period.',
    '- **Null, never 0, NaN or Infinity.** A KPI whose input dataset has no record in the period, or whose denominator',
    '  is zero, is `null` with a reason ("no spend export covers 2026-10"). Counts and sums that are really zero stay 0.',
    '- **Ratios keep their terms.** A ratio KPI stores its numerator and denominator (money in major units); CLV stores',
    '  its terms (ARPU, monthly churn, lifespan, margin, and the churned customers and customers at the start it rests',
    '  on); average deal size stores Σ amount² of the deals won (the spread of deal sizes).',
    '- **Rates are fractions** (0.25), shown as percents (25.0%). Money is summed in integer minor units, so totals are',
    '  exact to the cent.',
    '- **Segments.** Per source (or channel), named in lower case with runs of spaces and `_` made one space; a blank',
    '  source is `unknown`. Cost per lead has a segment for each spend channel with marketing spend in the period whose',
    '  name is a lead source of the leads dataset (any period), null when that source brought no lead in the period.',
    '- **New customers** come from the `customers` dataset (started in P) when it has any record, else from leads',
    '  with `customer_at` in P.',
    '- **Active customers.** active(start P): `started_at` before the first day of P and `churned_at` empty or on/after',
    '  that day; active(end P): the same with the first day after P. So a customer who starts on the first day of P is',
    '  new in P, and one who churns on it was active at the start and churned in P.',
    '- **Retention** counts, of the customers active at the start of P, those still active at its end. That is seed',
    '  000\'s (E − N) / S when no new customer churns within P; when one does, (E − N) / S would count it as a lost',
    '  existing customer and can go below zero. **Churn** for CLV is measured on the same cohort, so a month\'s churn is',
    '  1 − retention. With no churn the lifespan is the configured cap (default 60 months) and the KPI says so.',
    '- **ARPU** averages MRR over the active customers whose MRR is known, and says how many were left out.',
    '- **Benchmarks.** "Scored against" is the band the scorecard compares a value with (bands can depend on the',
    '  business model). Leadership can set its own target per KPI (the `targets` setting): it replaces the band, as a',
    '  minimum for a KPI where up is good and a maximum for one where down is good.',
    '',
    '## Summary',
    '',
    ...table,
    '',
    ...breakdownsSection(),
    ...sections,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(METRICS_DOC_PATH, renderMetricsDoc());
  console.log(`wrote ${METRICS_DOC_PATH}`);
}
