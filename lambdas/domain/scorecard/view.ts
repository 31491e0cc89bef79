/**
 * The scorecard's view model: everything the email shows, already computed, formatted and worded.
 * Built from the metric registry and the stored KPIs (`buildScorecardView`), rendered by `renderScorecard`.
 * Every string here is plain text: the renderer escapes it, so data (a lead source called `<script>`)
 * can never become markup.
 */

export type Tone = 'good' | 'bad' | 'neutral';
export type Trend = 'up' | 'down' | 'flat' | 'none';

export interface KpiView {
  readonly id: string;
  readonly label: string;
  /** This period's value, formatted ("1,234", "25.0%", "$5,000", "n/a"). */
  readonly value: string;
  /** The previous period's value, formatted, or null when there is none. */
  readonly previous: string | null;
  /** The change against the previous period ("+8.7%", "−2.1 pts"), or null. */
  readonly change: string | null;
  readonly trend: Trend;
  /** Whether the movement is good news, given the KPI's direction (a falling CAC is good). */
  readonly tone: Tone;
  /** Benchmark badge, when the KPI has a benchmark. */
  readonly benchmark?: { readonly text: string; readonly position: 'above' | 'within' | 'below' };
  /** Sentences of commentary, each from one rule. */
  readonly commentary: readonly string[];
  /** An inline image (sparkline) referenced by Content-ID, with alt text stating the numbers. */
  readonly sparkline?: { readonly cid: string; readonly alt: string };
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

export interface ScorecardView {
  /** Email subject and page title, e.g. "Scorecard for October 2026". */
  readonly title: string;
  /** e.g. "October 2026". */
  readonly periodLabel: string;
  readonly periodId: string;
  /** e.g. "September 2026". */
  readonly previousPeriodLabel: string;
  /** Up to three sentences: the most important movements. */
  readonly headline: readonly string[];
  /** Shown at the top when required data is missing for the period. */
  readonly banner?: string;
  readonly sections: readonly KpiSectionView[];
  readonly sourceTable?: {
    readonly title: string;
    readonly allSourceRate: string;
    readonly rows: readonly SourceRowView[];
  };
  /** Data-quality notes: which uploads the numbers came from, what is missing, rows rejected. */
  readonly dataNotes: readonly string[];
  readonly definitions: readonly { readonly label: string; readonly definition: string }[];
  /** e.g. "Generated 1 November 2026 06:00 UTC". */
  readonly generatedAt: string;
}

/** An image embedded in the message (multipart/related), referenced from the HTML as `cid:<cid>`. */
export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  readonly contentType: 'image/png';
  readonly content: Uint8Array;
}
