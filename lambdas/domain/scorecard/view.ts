/**
 * The scorecard's view model: everything the email shows, already computed, formatted and worded.
 * Built from the metric registry and the stored KPIs (`buildScorecardView`), rendered by `renderScorecard`,
 * its sparklines drawn by `renderSparklines`.
 * Every string here is plain text: the renderer escapes it, so data (a lead source called `<script>`)
 * can never become markup.
 */
import type { Sentence, Tone, Trend } from '../commentary/types.ts';

export type { Sentence, Tone, Trend } from '../commentary/types.ts';

export interface KpiView {
  readonly id: string;
  readonly label: string;
  /** This period's value, formatted ("1,234", "25.0%", "$5,000", "n/a"). */
  readonly value: string;
  /** The previous period's value, formatted, or null when there is none. */
  readonly previous: string | null;
  /** The change against the previous period: relative for counts and money, points for rates ("+8.7%", "−2.1 pts"), or null. */
  readonly change: string | null;
  /** The absolute change where `change` is relative ("+8", "−$1,940"), else null. */
  readonly changeAbsolute?: string | null;
  readonly trend: Trend;
  /** Whether the movement is good news, given the KPI's direction (a falling CAC is good). */
  readonly tone: Tone;
  /** The same period a year before, when there is a figure for it. */
  readonly yearAgo?: { readonly label: string; readonly value: string; readonly change: string | null } | null;
  /** Benchmark badge, when the KPI has a benchmark and a value to hold against it. */
  readonly benchmark?: {
    readonly text: string;
    readonly position: 'above' | 'within' | 'below';
    readonly tone?: Tone;
    /** Off target in a way that calls for action. */
    readonly off?: boolean;
  };
  /** Sentences of commentary, each from one rule. */
  readonly commentary: readonly Sentence[];
  /** The last 12 periods, oldest first, ending with this one: the sparkline's data. */
  readonly series?: readonly { readonly label: string; readonly value: number | null }[];
  /** The series as text ("Nov 2025 80 · Dec 2025 85 · …"), for the text part and for readers without images. */
  readonly seriesText?: string;
  /** An inline image (sparkline) referenced by Content-ID, with alt text stating the numbers. */
  readonly sparkline?: { readonly cid: string; readonly alt: string };
  /** The KPI's place on the drill-down page (history, breakdowns, uploads, definition), when there is a page. */
  readonly link?: string;
}

export interface KpiSectionView {
  readonly id: string;
  readonly title: string;
  readonly kpis: readonly KpiView[];
}

export interface SourceRowView {
  readonly source: string;
  readonly mqls: string;
  readonly sqls: string;
  readonly rate: string;
  /** Against the all-source MQL→SQL rate. */
  readonly tone: Tone;
}

/** A KPI's breakdowns: per dimension, the best (good) and worst (bad) value that stand out from the all-values figure. */
export interface BreakdownTableView {
  /** The section the table follows (the KPI's). */
  readonly sectionId: string;
  readonly kpiId: string;
  /** "Win rate by rep, region and product". */
  readonly title: string;
  /** The pooled periods, the all-values figure, what "stands out" means, and the dimensions where nothing does. */
  readonly note: string;
  readonly evidenceHead: string;
  readonly valueHead: string;
  readonly groups: readonly {
    /** "Rep", "Region". */
    readonly name: string;
    readonly rows: readonly { readonly name: string; readonly evidence: string; readonly value: string; readonly tone: Tone }[];
  }[];
}

export interface ScorecardView {
  /** The heading and page title, e.g. "Scorecard for October 2026". */
  readonly title: string;
  /** The email's subject: the period and its news ("October 2026: revenue won down 2.8%, win rate down 6 pts"). */
  readonly subject: string;
  /** e.g. "October 2026". */
  readonly periodLabel: string;
  readonly periodId: string;
  /** e.g. "September 2026". */
  readonly previousPeriodLabel: string;
  /** e.g. "Sep", "Q3", "W42": how a KPI's comparison line names the previous period. @default previousPeriodLabel */
  readonly previousPeriodShort?: string;
  /** Up to three sentences: the most important movements. */
  readonly headline: readonly Sentence[];
  /** Shown at the top when required data is missing for the period. */
  readonly banner?: string;
  /** Required datasets with no records in the period (what the banner is about). */
  readonly missingDatasets?: readonly string[];
  readonly sections: readonly KpiSectionView[];
  readonly sourceTable?: {
    /** The section the table belongs to (it follows that section's KPIs). @default after the last section */
    readonly sectionId?: string;
    readonly title: string;
    readonly allSourceRate: string;
    readonly rows: readonly SourceRowView[];
  };
  /** The breakdown tables, in section order (each follows its section's KPIs and lead-source table). */
  readonly breakdownTables?: readonly BreakdownTableView[];
  /** Data-quality notes: which uploads the numbers came from, what is missing, rows rejected. */
  readonly dataNotes: readonly Sentence[];
  readonly definitions: readonly { readonly label: string; readonly definition: string }[];
  /** e.g. "Generated 2026-11-01 06:00 UTC". */
  readonly generatedAt: string;
  /** The drill-down page ("View in browser") and its definitions, when there is a page. */
  readonly links?: { readonly page: string; readonly definitions: string };
  /** Who sends the scorecard, to whom, and whom to ask about it. */
  readonly footer?: { readonly sender: string; readonly recipients: string; readonly contact: string };
}

/** An image embedded in the message (multipart/related), referenced from the HTML as `cid:<cid>`. */
export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  readonly contentType: 'image/png';
  readonly content: Uint8Array;
}
