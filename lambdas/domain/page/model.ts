/**
 * The drill-down page's model: everything the email says, and what it has no room for — every KPI's whole stored
 * history with its numerators and denominators, its breakdowns per rep, region, product, segment, source and
 * campaign, the lead-source table, the data notes, which uploads fed each number, and the definitions. Built from
 * the scorecard's view (so the page and the email never disagree) and the stored KPIs. Plain text: the renderer
 * escapes it.
 */
import { DIMENSION_IDS, DIMENSIONS, type BreakdownValue } from '../metrics/dimensions.ts';
import { METRICS, SECTIONS, type MetricDefinition, type MetricUnit } from '../metrics/registry.ts';
import { evidence, shortPeriodLabel } from '../commentary/phrases.ts';
import { parsePeriodId, periodLabel } from '../periods/period.ts';
import { DATASET_NAMES } from '../layout.ts';
import type { PeriodSummary, StoredKpi } from '../model.ts';
import { formatMoney, formatValue } from '../scorecard/format.ts';
import { changeLine, changeText } from '../scorecard/signs.ts';
import type { KpiView, ScorecardView, Sentence, Tone } from '../scorecard/view.ts';
import { kpiAnchor } from '../links.ts';

/** Rows a breakdown table shows per dimension; the rest are in the CSV (a company may have thousands of campaigns). */
export const BREAKDOWN_ROWS = 50;

export interface PageRow {
  readonly cells: readonly string[];
}

export interface PageTable {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly PageRow[];
  /** Rows left out, said under the table. */
  readonly more?: string;
  /** What an n/a in the table means, said under it. */
  readonly note?: string;
  /** The first column holds names from the data (a campaign's can be long): they may break anywhere. */
  readonly names?: boolean;
}

export interface PageKpi {
  readonly id: string;
  readonly anchor: string;
  readonly label: string;
  readonly value: string;
  /** "▲ +3.2% (+15) better", or '' without a comparison. */
  readonly change: string;
  readonly tone: Tone;
  readonly comparison: string;
  readonly benchmark?: { readonly text: string; readonly tone: Tone };
  readonly definition: string;
  readonly formula: string;
  /** The numbers behind the value ("17 of 67 SQLs were rejected"), when the KPI has words for them. */
  readonly evidence?: string;
  readonly commentary: readonly Sentence[];
  /** Every stored value, oldest first: the chart's points. */
  readonly series: readonly (number | null)[];
  /** "Low 337 in Dec 2025 · high 489 in Mar 2026 · now 480", and the span of the history. */
  readonly seriesSummary: string;
  readonly chartLabel: string;
  readonly firstPeriod: string;
  readonly lastPeriod: string;
  readonly history: PageTable;
  readonly breakdowns: readonly PageTable[];
  /** The uploads whose records this period's value came from, by file name and dataset. */
  readonly uploads: readonly string[];
}

export interface PageView {
  readonly title: string;
  readonly periodId: string;
  readonly periodLabel: string;
  readonly previousPeriodLabel: string;
  readonly generatedAt: string;
  readonly csvHref: string;
  readonly banner?: string;
  readonly headline: readonly Sentence[];
  readonly sections: readonly { readonly id: string; readonly title: string; readonly kpis: readonly PageKpi[]; readonly tables: readonly PageTable[] }[];
  readonly dataNotes: readonly string[];
  readonly definitions: readonly { readonly anchor: string; readonly label: string; readonly definition: string; readonly formula: string; readonly reference: string }[];
  readonly footer?: ScorecardView['footer'];
}

export interface PageInput {
  /** The scorecard of every section, as the email words it. */
  readonly view: ScorecardView;
  /** Per KPI, every stored period of its type up to this one, oldest first. */
  readonly history: ReadonlyMap<string, readonly StoredKpi[]>;
  /** The period's stored KPIs, breakdowns included. */
  readonly current: ReadonlyMap<string, StoredKpi>;
  readonly summary?: PeriodSummary;
  readonly currency: string;
  /** Where the page's "download" link points (the CSV, signed or beside it). */
  readonly csvHref: string;
}

/** The units of a KPI's numerator and denominator (the registry keeps only the KPI's own). */
const PARTS_UNIT: Readonly<Record<string, readonly [MetricUnit, MetricUnit]>> = {
  cost_per_lead: ['money', 'count'], cac: ['money', 'count'], avg_deal_size: ['money', 'count'], arpu: ['money', 'count'],
  ltv_to_cac: ['money', 'money'], marketing_sourced_pipeline_pct: ['money', 'money'], marketing_sourced_revenue_pct: ['money', 'money'],
  sales_cycle_days: ['days', 'count'],
};

const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A numerator or denominator as the tables show it: money with its currency, else a plain number. */
function part(v: number | undefined, unit: MetricUnit, currency: string): string {
  if (v === undefined) return '–';
  return unit === 'money' ? formatMoney(v, currency) : unit === 'days' ? `${plain.format(v)} days` : plain.format(v);
}

const partsOf = (def: MetricDefinition): readonly [MetricUnit, MetricUnit] => PARTS_UNIT[def.id] ?? ['count', 'count'];

/** The parts' column heads, with soft hyphens so a phone may break them (Numer-ator), screen readers not hearing them. */
const PARTS_HEAD = ['Numer\u00adator', 'Denom\u00adinator'] as const;

/** Whether a KPI keeps a numerator and a denominator (counts and sums do not: their value is the number). */
const hasParts = (ks: readonly { numerator?: number; denominator?: number }[]): boolean => ks.some((k) => k.numerator !== undefined || k.denominator !== undefined);

function historyTable(def: MetricDefinition, history: readonly StoredKpi[], currency: string): PageTable {
  const [nu, du] = partsOf(def);
  const parts = hasParts(history);
  const rows = [...history].reverse().map((k) => ({
    cells: [
      shortPeriodLabel(parsePeriodId(k.periodId)), formatValue(k.value, def.unit, currency),
      ...(parts ? [part(k.numerator, nu, currency), part(k.denominator, du, currency)] : []),
    ],
  }));
  const span = history.length ? `${history.length} period${history.length === 1 ? '' : 's'} stored, newest first` : 'nothing stored yet';
  return { caption: `${def.label}, every period: ${span}`, head: ['Period', 'Value', ...(parts ? PARTS_HEAD : [])], rows };
}

function breakdownTables(def: MetricDefinition, k: StoredKpi | undefined, currency: string): PageTable[] {
  const [nu, du] = partsOf(def);
  const tables: PageTable[] = [];
  const table = (noun: string, values: Readonly<Record<string, BreakdownValue>>, labels: Readonly<Record<string, string>> = {}): PageTable => {
    // Biggest first: by denominator (the volume behind a rate or an average), else by value.
    const sorted = Object.entries(values).sort(([a, x], [b, y]) =>
      (y.denominator ?? 0) - (x.denominator ?? 0) || (y.value ?? -Infinity) - (x.value ?? -Infinity) || a.localeCompare(b));
    const parts = hasParts(sorted.map(([, v]) => v));
    const rows = sorted.slice(0, BREAKDOWN_ROWS).map(([key, v]) => ({
      cells: [
        labels[key] ?? (key === '' ? 'unknown' : key), formatValue(v.value, def.unit, currency),
        ...(parts ? [part(v.numerator, nu, currency), part(v.denominator, du, currency)] : []),
      ],
    }));
    const left = sorted.length - rows.length;
    const unknown = parts && sorted.some(([, v]) => v.value === null);
    const inputs = def.inputs.length > 1 ? `, or no ${def.inputs.map((d) => d.replace(/_/g, ' ')).join(' or no ')} recorded under it` : '';
    return {
      caption: `${def.label} by ${noun}`, head: [noun[0]!.toUpperCase() + noun.slice(1), 'Value', ...(parts ? PARTS_HEAD : [])], rows, names: true,
      ...(left > 0 ? { more: `${left} more ${noun === 'rep' ? 'reps' : `${noun}s`} with smaller denominators are in scorecard.csv.` } : {}),
      ...(unknown ? { note: `n/a: no value for that ${noun}: a denominator of 0${inputs}.` } : {}),
    };
  };
  if (k?.segments && def.segmentBy) tables.push(table(def.segmentBy === 'source' ? 'lead source' : 'channel', k.segments));
  for (const d of DIMENSION_IDS) {
    const values = k?.breakdowns?.[d];
    if (values && Object.keys(values).length) tables.push(table(DIMENSIONS[d].noun, values, k?.breakdownLabels?.[d]));
  }
  return tables;
}

/** File names of the uploads a KPI's value came from, with their dataset ("hubspot-oct.csv (leads)"). */
function uploadsOf(k: StoredKpi | undefined, summary: PeriodSummary | undefined): string[] {
  if (!k?.uploads.length || !summary) return [];
  const byId = new Map<string, string>();
  for (const d of DATASET_NAMES) for (const u of summary.uploads[d] ?? []) byId.set(u.uploadId, `${u.key.slice(u.key.lastIndexOf('/') + 1)} (${d.replace('_', ' ')})`);
  return k.uploads.map((id) => byId.get(id) ?? id);
}

function seriesSummary(def: MetricDefinition, history: readonly StoredKpi[], currency: string): string {
  const known = history.filter((k): k is StoredKpi & { value: number } => k.value !== null);
  if (!known.length) return 'No figure stored yet.';
  const say = (v: number | null): string => formatValue(v, def.unit, currency);
  const name = (k: StoredKpi): string => periodLabel(parsePeriodId(k.periodId));
  const low = known.reduce((a, k) => (k.value <= a.value ? k : a));
  const high = known.reduce((a, k) => (k.value >= a.value ? k : a));
  const now = history[history.length - 1]!;
  return `Low ${say(low.value)} in ${name(low)} · high ${say(high.value)} in ${name(high)} · now ${say(now.value)}`;
}

function pageKpi(k: KpiView, def: MetricDefinition, input: PageInput): PageKpi {
  const history = input.history.get(def.id) ?? [];
  const stored = input.current.get(def.id);
  const previous = input.view.previousPeriodLabel;
  const y = k.yearAgo;
  const comparison = [k.previous === null ? `No figure for ${previous}` : `vs ${k.previous} in ${previous}`, ...(y ? [`${y.value} a year ago${y.change ? ` (${y.change})` : ''}`] : [])].join(' · ');
  const change = changeText(k);
  const first = history[0];
  const last = history[history.length - 1];
  const ev = stored ? evidence(stored, k.benchmark?.position, input.currency) : undefined;
  return {
    id: def.id, anchor: kpiAnchor(def.id), label: def.label, value: k.value,
    change: change === null ? '' : changeLine(k, change), tone: k.tone, comparison,
    ...(k.benchmark ? { benchmark: { text: k.benchmark.text, tone: k.benchmark.tone ?? 'neutral' } } : {}),
    definition: def.definition, formula: def.formula,
    ...(ev ? { evidence: `${ev[0]!.toUpperCase()}${ev.slice(1)}.` } : {}),
    // As in the email: a sentence that only restates the figures above it is left out.
    commentary: k.commentary.filter((c) => !c.restates),
    series: history.map((h) => h.value),
    seriesSummary: seriesSummary(def, history, input.currency),
    chartLabel: `${def.label}, ${history.length} periods: ${seriesSummary(def, history, input.currency)}`,
    firstPeriod: first ? periodLabel(parsePeriodId(first.periodId)) : '',
    lastPeriod: last ? periodLabel(parsePeriodId(last.periodId)) : '',
    history: historyTable(def, history, input.currency),
    breakdowns: breakdownTables(def, stored, input.currency),
    uploads: uploadsOf(stored, input.summary),
  };
}

/** The lead-source table of the view, as a page table (under the section of the KPI it breaks down). */
function sourceTable(view: ScorecardView): PageTable | undefined {
  const t = view.sourceTable;
  if (!t) return undefined;
  return {
    caption: `${t.title}: all sources ${t.allSourceRate}; better or worse than that`,
    head: ['Source', 'MQLs', 'SQLs', 'Rate'],
    rows: t.rows.map((r) => ({ cells: [r.source, r.mqls, r.sqls, `${r.rate} ${r.tone === 'good' ? 'better' : r.tone === 'bad' ? 'worse' : 'in line'}`] })),
  };
}

export function buildPageView(input: PageInput): PageView {
  const { view } = input;
  const defs = new Map(METRICS.map((d) => [d.id, d]));
  const source = sourceTable(view);
  const sourceSection = view.sourceTable ? (view.sourceTable.sectionId ?? view.sections[view.sections.length - 1]?.id) : undefined;
  return {
    title: view.title,
    periodId: view.periodId,
    periodLabel: view.periodLabel,
    previousPeriodLabel: view.previousPeriodLabel,
    generatedAt: view.generatedAt,
    csvHref: input.csvHref,
    ...(view.banner ? { banner: view.banner } : {}),
    headline: view.headline,
    sections: view.sections.map((s) => ({
      id: s.id, title: s.title,
      kpis: s.kpis.map((k) => pageKpi(k, defs.get(k.id)!, input)),
      tables: source && s.id === sourceSection ? [source] : [],
    })),
    dataNotes: view.dataNotes.map((n) => n.text),
    definitions: SECTIONS.flatMap((s) => METRICS.filter((d) => d.section === s.id)).map((d) => ({
      anchor: `definition-${d.id}`, label: d.label, definition: d.definition, formula: d.formula, reference: d.reference,
    })),
    ...(view.footer ? { footer: view.footer } : {}),
  };
}

