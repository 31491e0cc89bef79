/**
 * `buildScorecardView`: the stored KPIs of a period, the 12 periods before it and the same period a year before
 * → the scorecard's view model. Pure: the registry says how each KPI reads, the facts and the commentary rules
 * say what the numbers mean, plain text comes out.
 */
import { METRICS, SECTIONS, type SectionId } from '../metrics/registry.ts';
import { DEFAULT_SENDER_NAME, type Settings } from '../settings.ts';
import type { PageLinks } from '../links.ts';
import { periodLabel, previousPeriod, samePeriodLastYear, type Period } from '../periods/period.ts';
import { DATASET_NAMES, type DatasetName } from '../layout.ts';
import type { PeriodSummary } from '../model.ts';
import { kpiFacts, type KpisByPeriod } from '../commentary/facts.ts';
import { badgeText, periodName } from '../commentary/phrases.ts';
import { banner, dataNotes, headline, kpiCommentary, missingDatasets, subjectLine } from '../commentary/index.ts';
import type { CommentaryContext, KpiFacts } from '../commentary/types.ts';
import { formatAbsoluteChange, formatChange, formatValue } from './format.ts';
import { breakdownTable } from './breakdown-tables.ts';
import type { KpiView, ScorecardView, SourceRowView } from './view.ts';

/** Periods in a sparkline. */
export const SERIES_LENGTH = 12;
/** Periods before the scorecard's period that the view reads: the 12 of the series' tail and the previous one. */
export const HISTORY_LENGTH = 12;

export interface ScorecardInput {
  readonly period: Period;
  /** Stored KPIs by period id (the periods of `scorecardPeriods(period)`; missing ones simply have no data). */
  readonly kpis: KpisByPeriod;
  /** The period's summary: coverage and uploads. */
  readonly summary?: PeriodSummary;
  readonly settings: Settings;
  readonly generatedAt: Date;
  /** The sections to show (a recipient group's). @default every section */
  readonly sections?: readonly SectionId[];
  /** Datasets whose absence is announced in a banner. @default every dataset */
  readonly requiredDatasets?: readonly DatasetName[];
  /** Links to the period's drill-down page, when there is one. */
  readonly links?: PageLinks;
  /** Who this version goes to, for the footer. @default settings.recipients */
  readonly recipients?: readonly string[];
}

/**
 * The periods a scorecard reads, oldest first: the 12 before `period`, `period` itself, and the same period a
 * year before when that is not already among them (weeks: 52 back).
 */
export function scorecardPeriods(period: Period): { window: Period[]; yearAgo: Period; all: Period[] } {
  const window = Array.from({ length: HISTORY_LENGTH + 1 }, (_, i) => previousPeriod(period, HISTORY_LENGTH - i));
  window[HISTORY_LENGTH] = period;
  const yearAgo = samePeriodLastYear(period);
  const all = window.some((p) => p.id === yearAgo.id) ? window : [yearAgo, ...window];
  return { window, yearAgo, all };
}

function yearAgoView(f: KpiFacts, ctx: CommentaryContext, currency: string): KpiView['yearAgo'] {
  if (f.yearAgo === null) return null;
  return {
    label: ctx.yearAgo.label,
    value: formatValue(f.yearAgo, f.def.unit, currency),
    change: f.value === null ? null : formatChange(f.value, f.yearAgo, f.def.unit, currency),
  };
}

function seriesOf(f: KpiFacts): { label: string; value: number | null }[] {
  return f.window.slice(-SERIES_LENGTH).map((p) => ({ label: p.period.short, value: p.value }));
}

/** "Nov 2025 80 · Dec 2025 n/a · … · Oct 2026 100". */
function seriesText(f: KpiFacts, currency: string): string {
  return seriesOf(f).map((p) => `${p.label} ${formatValue(p.value, f.def.unit, currency)}`).join(' · ');
}

/**
 * Alt text that says what the line shows, not twelve numbers: "SQLs, Nov 2025 to Oct 2026: low 46 in Dec 2025,
 * high 67 in Oct 2026, now 67", and how many periods have no figure. (The text part and the page list them all.)
 */
function sparklineAlt(f: KpiFacts, currency: string): string {
  const s = seriesOf(f);
  const known = s.filter((p): p is { label: string; value: number } => p.value !== null);
  const say = (v: number | null): string => formatValue(v, f.def.unit, currency);
  // The latest low and high: the most recent time the KPI was there.
  const low = known.reduce((a, p) => (p.value <= a.value ? p : a));
  const high = known.reduce((a, p) => (p.value >= a.value ? p : a));
  const gaps = s.length - known.length;
  return `${f.def.label}, ${s[0]!.label} to ${s[s.length - 1]!.label}: low ${say(low.value)} in ${low.label}, high ${say(high.value)} in ${high.label}, now ${say(s[s.length - 1]!.value)}` +
    (gaps ? `; no figure for ${gaps} of ${s.length}` : '');
}

/** Content-ID of a KPI's sparkline; KPI ids are registry ids (letters and underscores), so it is a valid addr-spec. */
export const sparklineCid = (kpiId: string): string => `spark-${kpiId}@scorecard`;

function kpiView(f: KpiFacts, ctx: CommentaryContext, links?: PageLinks): KpiView {
  const { currency } = ctx;
  const { def, value, previous } = f;
  const b = f.benchmark;
  const plotted = seriesOf(f).filter((p) => p.value !== null).length;
  return {
    id: def.id,
    label: def.label,
    value: formatValue(value, def.unit, currency),
    previous: previous === null ? null : formatValue(previous, def.unit, currency),
    change: value === null || previous === null ? null : formatChange(value, previous, def.unit, currency),
    changeAbsolute: value === null || previous === null || f.trend === 'flat' ? null : formatAbsoluteChange(value, previous, def.unit, currency),
    trend: f.trend,
    tone: f.tone,
    yearAgo: yearAgoView(f, ctx, currency),
    ...(b ? { benchmark: { text: badgeText(b.benchmark.kind, b.position, b.phrase), position: b.position, tone: b.tone, off: b.off } } : {}),
    commentary: kpiCommentary(f, ctx),
    series: seriesOf(f),
    seriesText: seriesText(f, currency),
    // A line needs two points; a KPI with one figure in twelve periods gets no chart.
    ...(plotted >= 2 ? { sparkline: { cid: sparklineCid(def.id), alt: sparklineAlt(f, currency) } } : {}),
    ...(links ? { link: links.kpi(def.id) } : {}),
  };
}

function sourceTable(facts: readonly KpiFacts[]): ScorecardView['sourceTable'] {
  const f = facts.find((k) => k.segmentsBenchmarked && k.def.segmentBy === 'source');
  const segments = f?.stored?.segments;
  if (!f || f.value === null || !segments) return undefined;
  const all = f.value;
  const rows: SourceRowView[] = Object.entries(segments)
    .filter(([, s]) => (s.denominator ?? 0) > 0)
    .sort((a, b) => (b[1].denominator ?? 0) - (a[1].denominator ?? 0) || a[0].localeCompare(b[0]))
    .map(([source, s]) => ({
      source,
      mqls: formatValue(s.denominator ?? 0, 'count', ''),
      sqls: formatValue(s.numerator ?? 0, 'count', ''),
      rate: formatValue(s.value, 'rate', ''),
      tone: s.value === null ? 'neutral' : s.value > all ? 'good' : s.value < all ? 'bad' : 'neutral',
    }));
  return { sectionId: f.def.section, title: `${f.def.label} by lead source`, allSourceRate: formatValue(all, 'rate', ''), rows };
}

/** The facts of every KPI and the context the rules read, for `input.period`. */
export function commentaryContext(input: ScorecardInput): CommentaryContext {
  const { window, yearAgo } = scorecardPeriods(input.period);
  const facts = METRICS.map((def) => kpiFacts(def, { window, yearAgo, kpis: input.kpis, settings: input.settings }));
  return {
    period: periodName(input.period),
    previous: periodName(window[window.length - 2]!),
    yearAgo: periodName(yearAgo),
    currency: input.settings.currency,
    kpis: facts,
    ...(input.summary ? { summary: input.summary } : {}),
    clvLifespanCapMonths: input.settings.clvLifespanCapMonths,
    requiredDatasets: input.requiredDatasets ?? DATASET_NAMES,
  };
}

/** Who sends the scorecard, to whom, and whom to ask: the footer, so a forwarded copy still says where it came from. */
function footerOf(settings: Settings, recipients: readonly string[]): NonNullable<ScorecardView['footer']> {
  return {
    sender: `${settings.senderName ?? DEFAULT_SENDER_NAME} (${settings.sender})`,
    recipients: recipients.join(', '),
    contact: settings.contact ?? settings.opsEmail,
  };
}

export function buildScorecardView(input: ScorecardInput): ScorecardView {
  const ctx = commentaryContext(input);
  const shown = new Set<SectionId>(input.sections ?? SECTIONS.map((s) => s.id));
  const facts = ctx.kpis.filter((f) => shown.has(f.def.section));
  const sections = SECTIONS.filter((s) => shown.has(s.id))
    .map((s) => ({ id: s.id, title: s.title, kpis: facts.filter((f) => f.def.section === s.id).map((f) => kpiView(f, ctx, input.links)) }))
    .filter((s) => s.kpis.length > 0);
  const bannerSentence = banner(ctx);
  const table = sourceTable(facts);
  const breakdownTables = facts.flatMap((f) => breakdownTable(f, ctx.currency) ?? []);
  const missing = missingDatasets(ctx);
  const headlines = headline(ctx, facts);
  return {
    title: `Scorecard for ${ctx.period.label}`,
    subject: subjectLine(ctx, headlines),
    periodLabel: ctx.period.label,
    periodId: input.period.id,
    previousPeriodLabel: periodLabel(previousPeriod(input.period)),
    previousPeriodShort: ctx.previous.short.replace(/ \d{4}$/, ''),
    headline: headlines,
    ...(bannerSentence ? { banner: bannerSentence.text } : {}),
    ...(missing.length ? { missingDatasets: missing } : {}),
    sections,
    ...(table ? { sourceTable: table } : {}),
    ...(breakdownTables.length ? { breakdownTables } : {}),
    dataNotes: dataNotes(ctx, facts),
    definitions: facts.map((f) => ({ label: f.def.label, definition: f.def.definition })),
    generatedAt: `Generated ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    ...(input.links ? { links: { page: input.links.page, definitions: input.links.definitions } } : {}),
    footer: footerOf(input.settings, input.recipients ?? input.settings.recipients),
  };
}
