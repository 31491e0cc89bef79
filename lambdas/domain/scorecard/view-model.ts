/**
 * `buildScorecardView`: the stored KPIs of a period and the periods before it → the scorecard's view model.
 * Pure: the registry says how each KPI reads, the numbers come in, plain text comes out.
 */
import { METRICS, SECTIONS, benchmarkFor, type Benchmark, type MetricDefinition } from '../metrics/registry.ts';
import type { Settings } from '../settings.ts';
import { periodLabel, type Period } from '../periods/period.ts';
import type { PeriodSummary, StoredKpi } from '../../ports/index.ts';
import { formatChange, formatValue } from './format.ts';
import type { KpiView, ScorecardView, SourceRowView, Tone, Trend } from './view.ts';
import { DATASET_NAMES } from '../layout.ts';

export interface ScorecardInput {
  readonly period: Period;
  readonly previousPeriod: Period;
  /** The period's KPIs by id. */
  readonly current: ReadonlyMap<string, StoredKpi>;
  /** The previous period's KPIs by id. */
  readonly previous: ReadonlyMap<string, StoredKpi>;
  readonly summary?: PeriodSummary;
  readonly settings: Settings;
  readonly generatedAt: Date;
}

/** Up, down or flat as the reader sees it: a change that rounds to 0.0 (points or percent) is flat. */
function trendOf(cur: number | null, prev: number | null, unit: MetricDefinition['unit']): Trend {
  if (cur === null || prev === null) return 'none';
  const shown = unit === 'rate' ? Math.abs(cur - prev) * 100 : prev === 0 ? Math.abs(cur - prev) : Math.abs((cur - prev) / prev) * 100;
  if (shown < 0.05) return 'flat';
  return cur > prev ? 'up' : 'down';
}

function toneOf(def: MetricDefinition, trend: Trend): Tone {
  if (trend === 'up') return def.better === 'up' ? 'good' : 'bad';
  if (trend === 'down') return def.better === 'down' ? 'good' : 'bad';
  return 'neutral';
}

function benchmarkBadge(
  def: MetricDefinition, b: Benchmark | undefined, value: number | null, prev: number | null, currency: string,
): KpiView['benchmark'] | undefined {
  if (!b || value === null || b.kind === 'segments') return undefined;
  const fmt = (v: number): string => formatValue(v, def.unit, currency);
  if (b.kind === 'growth') {
    if (prev === null || prev === 0) return undefined;
    const g = (value - prev) / prev;
    const text = `target growth ${Math.round(b.min * 100)}–${Math.round(b.max * 100)}%`;
    return { text, position: g < b.min ? 'below' : g > b.max ? 'above' : 'within' };
  }
  if (b.kind === 'min') return { text: `benchmark ≥ ${fmt(b.min)}`, position: value >= b.min ? 'above' : 'below' };
  if (b.kind === 'max') return { text: `benchmark ≤ ${fmt(b.max)}`, position: value <= b.max ? 'within' : 'above' };
  return {
    text: `benchmark ${b.label ?? `${fmt(b.min)}–${fmt(b.max)}`}`,
    position: value < b.min ? 'below' : value > b.max ? 'above' : 'within',
  };
}

function movementSentence(def: MetricDefinition, cur: number, prev: number | null, currency: string, prevLabel: string): string {
  const v = formatValue(cur, def.unit, currency);
  if (prev === null) return `${def.label} was ${v}; there is no figure for ${prevLabel} to compare with.`;
  const trend = trendOf(cur, prev, def.unit);
  if (trend === 'flat') return `${def.label} held at ${v}, as in ${prevLabel}.`;
  const verb = trend === 'up' ? (def.unit === 'rate' ? 'rose' : 'grew') : 'fell';
  const by = formatChange(cur, prev, def.unit, currency).replace(/^[+−]/, '').replace(/ pts$/, ' points');
  return `${def.label} ${verb} ${by} to ${v} (from ${formatValue(prev, def.unit, currency)}).`;
}

function kpiView(def: MetricDefinition, input: ScorecardInput, prevLabel: string): KpiView {
  const { currency } = input.settings;
  const cur = input.current.get(def.id);
  const prev = input.previous.get(def.id);
  const value = cur?.value ?? null;
  const prevValue = prev?.value ?? null;
  const trend = trendOf(value, prevValue, def.unit);
  const commentary: string[] = [];
  if (value === null) commentary.push(`Not available: ${cur?.reason ?? 'not computed for this period'}.`);
  else commentary.push(movementSentence(def, value, prevValue, currency, prevLabel));
  if (cur?.note) commentary.push(`Note: ${cur.note}.`);
  const badge = benchmarkBadge(def, benchmarkFor(def, input.settings), value, prevValue, currency);
  return {
    id: def.id,
    label: def.label,
    value: formatValue(value, def.unit, currency),
    previous: prevValue === null ? null : formatValue(prevValue, def.unit, currency),
    change: value === null || prevValue === null ? null : formatChange(value, prevValue, def.unit, currency),
    trend,
    tone: toneOf(def, trend),
    ...(badge ? { benchmark: badge } : {}),
    commentary,
  };
}

function sourceTable(input: ScorecardInput): ScorecardView['sourceTable'] {
  const kpi = input.current.get('mql_to_sql_rate');
  if (!kpi || kpi.value === null || !kpi.segments) return undefined;
  const all = kpi.value;
  const rows: SourceRowView[] = Object.entries(kpi.segments)
    .filter(([, s]) => (s.denominator ?? 0) > 0)
    .sort((a, b) => (b[1].denominator ?? 0) - (a[1].denominator ?? 0))
    .map(([source, s]) => ({
      source,
      mqls: formatValue(s.denominator ?? 0, 'count', ''),
      sqls: formatValue(s.numerator ?? 0, 'count', ''),
      rate: formatValue(s.value, 'rate', ''),
      tone: s.value === null ? 'neutral' : s.value > all ? 'good' : s.value < all ? 'bad' : 'neutral',
    }));
  return { title: 'MQL → SQL by lead source', allSourceRate: formatValue(all, 'rate', ''), rows };
}

export function buildScorecardView(input: ScorecardInput): ScorecardView {
  const label = periodLabel(input.period);
  const prevLabel = periodLabel(input.previousPeriod);
  const sections = SECTIONS.map((s) => ({
    id: s.id,
    title: s.title,
    kpis: METRICS.filter((d) => d.section === s.id).map((d) => kpiView(d, input, prevLabel)),
  })).filter((s) => s.kpis.length > 0);

  const movers = METRICS.map((d) => ({ d, cur: input.current.get(d.id)?.value ?? null, prev: input.previous.get(d.id)?.value ?? null }))
    .filter((x): x is { d: MetricDefinition; cur: number; prev: number } => x.cur !== null && x.prev !== null && x.prev !== 0)
    .map((x) => ({ ...x, rel: Math.abs((x.cur - x.prev) / x.prev) }))
    .sort((a, b) => b.rel - a.rel)
    .slice(0, 3);
  const headline = movers.map((m) => movementSentence(m.d, m.cur, m.prev, input.settings.currency, prevLabel));

  const summary = input.summary;
  const missing = summary ? DATASET_NAMES.filter((d) => !summary.coverage[d]) : [];
  const dataNotes: string[] = [];
  if (summary) {
    for (const d of DATASET_NAMES) {
      const ups = summary.uploads[d] ?? [];
      const latest = ups[ups.length - 1];
      dataNotes.push(latest
        ? `${d}: ${ups.length} upload${ups.length === 1 ? '' : 's'}, latest ${latest.key} (${latest.uploadedAt.slice(0, 10)}).`
        : `${d}: no accepted upload.`);
    }
    if (summary.rejected.length) dataNotes.push(`${summary.rejected.length} upload(s) were rejected and are not counted.`);
  }
  for (const def of METRICS) {
    const cur = input.current.get(def.id);
    if (cur && cur.value === null) dataNotes.push(`${def.label}: ${cur.reason ?? 'not available'}.`);
  }
  return {
    title: `Scorecard for ${label}`,
    periodLabel: label,
    periodId: input.period.id,
    previousPeriodLabel: prevLabel,
    headline,
    ...(missing.length ? { banner: `Data missing for ${label}: no ${missing.join(', ')} records. KPIs that need them show n/a.` } : {}),
    sections,
    ...(sourceTable(input) ? { sourceTable: sourceTable(input)! } : {}),
    dataNotes,
    definitions: METRICS.map((d) => ({ label: d.label, definition: d.definition })),
    generatedAt: `Generated ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}
