/**
 * `scorecard.csv`: every value of the period, as stored, for finance to reconcile — one row per KPI, per lead
 * source (segments) and per breakdown value, each with its numerator, denominator, the previous period's and the
 * year-before's value, and the KPI's target. Numbers are written raw (full precision, a dot for decimals, rates as
 * fractions): the `unit` column says how to read them. RFC 4180: comma-separated, CRLF line ends, fields quoted
 * when needed; a UTF-8 byte-order mark so that spreadsheet programs read the names right; a text cell that starts
 * like a formula (=, +, -, @) is prefixed with an apostrophe so that no program runs data as a formula.
 */
import { benchmarkFor, METRICS, type SectionId } from '../metrics/registry.ts';
import { DIMENSION_IDS, type BreakdownValue } from '../metrics/dimensions.ts';
import type { KpisByPeriod } from '../commentary/facts.ts';
import { previousPeriod, samePeriodLastYear, type Period } from '../periods/period.ts';
import type { Settings } from '../settings.ts';
import type { StoredKpi } from '../model.ts';

export const CSV_COLUMNS = [
  'period', 'kpi_id', 'kpi', 'unit', 'currency', 'dimension', 'item', 'value', 'numerator', 'denominator',
  'previous_value', 'year_ago_value', 'target_kind', 'target_min', 'target_max', 'target_source', 'note',
] as const;

type Cell = string | number | null | undefined;

/** A number as written: raw, no grouping, no exponent for the sizes a scorecard has; empty when absent. */
const num = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));

/** A text cell, defused when it would start a formula, quoted when it holds a separator, a quote or a line break. */
function text(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const cell = (c: Cell): string => (typeof c === 'number' ? num(c) : c === null || c === undefined ? '' : text(c));

interface Row {
  readonly kpi: StoredKpi | undefined;
  readonly dimension: string;
  readonly item: string;
  readonly value: BreakdownValue | undefined;
  readonly previous: number | null | undefined;
  readonly yearAgo: number | null | undefined;
}

/**
 * The CSV of a period's values (with its BOM and a final CRLF), of the KPIs of `sections` (all by default). `kpis`
 * holds the period, the previous one and the year before.
 */
export function scorecardCsv(period: Period, kpis: KpisByPeriod, settings: Settings, sections?: readonly SectionId[]): string {
  const at = (p: Period, id: string): StoredKpi | undefined => kpis.get(p.id)?.get(id);
  const prev = previousPeriod(period);
  const yearAgo = samePeriodLastYear(period);
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const def of METRICS.filter((d) => !sections || sections.includes(d.section))) {
    const k = at(period, def.id);
    const p = at(prev, def.id);
    const y = at(yearAgo, def.id);
    const b = benchmarkFor(def, settings);
    const target: Cell[] = !b || b.kind === 'segments'
      ? [b?.kind, undefined, undefined, b?.source]
      : [b.kind, 'min' in b ? b.min : undefined, 'max' in b ? b.max : undefined, b.source];
    const rows: Row[] = [{ kpi: k, dimension: '', item: '', value: k, previous: p?.value, yearAgo: y?.value }];
    for (const [item, s] of Object.entries(k?.segments ?? {}).sort(([a], [c]) => a.localeCompare(c))) {
      rows.push({ kpi: k, dimension: def.segmentBy ?? 'segment', item, value: s, previous: p?.segments?.[item]?.value, yearAgo: y?.segments?.[item]?.value });
    }
    for (const d of DIMENSION_IDS) {
      const values = k?.breakdowns?.[d];
      if (!values) continue;
      for (const [item, v] of Object.entries(values).sort(([a], [c]) => a.localeCompare(c))) {
        rows.push({
          kpi: k, dimension: d, item: k?.breakdownLabels?.[d]?.[item] ?? item, value: v,
          previous: p?.breakdowns?.[d]?.[item]?.value, yearAgo: y?.breakdowns?.[d]?.[item]?.value,
        });
      }
    }
    for (const r of rows) {
      const note = r.dimension === '' ? (k?.value === null || k === undefined ? k?.reason ?? 'not stored for this period' : k.note) : undefined;
      lines.push([
        period.id, def.id, def.label, def.unit, def.unit === 'money' ? settings.currency : '', r.dimension, r.item,
        r.value?.value, r.value?.numerator, r.value?.denominator, r.previous, r.yearAgo, ...target, note,
      ].map(cell).join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
