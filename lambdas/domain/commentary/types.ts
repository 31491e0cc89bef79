/**
 * Commentary: the scorecard's plain words, produced by deterministic rules (one pure function per rule in
 * `rules/`). A rule reads facts already computed from the stored KPIs and returns sentences; each sentence
 * carries the id of the rule that wrote it and the KPI it is about, so every line of the email can be traced
 * to a rule and that rule's tests.
 */
import type { Benchmark, MetricDefinition } from '../metrics/registry.ts';
import type { PeriodType } from '../settings.ts';
import type { DatasetName } from '../layout.ts';
import type { PeriodSummary, StoredKpi } from '../model.ts';

/** Whether something is good news, given which way is better for the KPI. */
export type Tone = 'good' | 'bad' | 'neutral';
/** The movement against the previous period as the reader sees it (a change that rounds to zero is flat). */
export type Trend = 'up' | 'down' | 'flat' | 'none';

export type RuleId =
  | 'movement'
  | 'streak'
  | 'benchmark'
  | 'action'
  | 'lead-sources'
  | 'breakdowns'
  | 'churn-base'
  | 'attribution'
  | 'capped-lifespan'
  | 'kpi-note'
  | 'data-note'
  | 'uploads'
  | 'rejected-uploads'
  | 'unreadable-uploads'
  | 'missing-data'
  | 'headline';

/** One sentence of commentary, traceable to the rule that wrote it. Plain text: the renderer escapes it. */
export interface Sentence {
  readonly rule: RuleId;
  /** The KPI the sentence is about, when it is about one. */
  readonly kpiId?: string;
  readonly text: string;
  /** Good or bad news, for the colour and arrow the email gives it. @default 'neutral' */
  readonly tone?: Tone;
  /**
   * The sentence only puts in words what the KPI's figures or badge already show ("Leads grew 3.2% to 480."):
   * the email leaves it out to stay short; it stays in the view, traceable and tested.
   */
  readonly restates?: boolean;
  /** The news in a few words, for a subject line ("win rate down 6 pts"): headlines have one. */
  readonly short?: string;
  /** Which way the number the sentence is about moved (headlines): its arrow, whatever the tone. */
  readonly trend?: Trend;
}

/** A period as the commentary names it. */
export interface PeriodName {
  readonly id: string;
  readonly type: PeriodType;
  /** "October 2026", "Q4 2026", "Week 43, 2026". */
  readonly label: string;
  /** "Oct 2026", "Q4 2026", "W43 2026". */
  readonly short: string;
}

export type BenchmarkPosition = 'below' | 'within' | 'above';

/** Where a value stands against its benchmark. */
export interface BenchmarkFacts {
  readonly benchmark: Exclude<Benchmark, { kind: 'segments' }>;
  readonly position: BenchmarkPosition;
  /** Good or bad news given the KPI's direction and the band. */
  readonly tone: Tone;
  /** Off the benchmark in the bad way: what triggers the recommended action. */
  readonly off: boolean;
  /** "the 80% benchmark", "the 5–10% monthly growth target", "the $150 target". */
  readonly phrase: string;
  /** For growth targets: this period's growth over the previous one, as a fraction. */
  readonly growth?: number;
}

/** One point of a KPI's history. */
export interface SeriesPoint {
  readonly period: PeriodName;
  readonly value: number | null;
}

/** Everything the rules and the view need to know about one KPI this period, computed once. */
export interface KpiFacts {
  readonly def: MetricDefinition;
  /** The stored KPI of the period; absent when the KPI step did not store it. */
  readonly stored?: StoredKpi;
  readonly value: number | null;
  readonly previous: number | null;
  readonly yearAgo: number | null;
  /** The window oldest first, ending with this period: the 12 periods before it and the period itself. */
  readonly window: readonly SeriesPoint[];
  /** The stored KPI of each period of `window` (breakdowns included), where there is one. */
  readonly storedWindow: readonly (StoredKpi | undefined)[];
  readonly trend: Trend;
  readonly tone: Tone;
  /** The change as shown: relative (0.087) for counts, money, days and ratios; the difference for rates. */
  readonly delta: number | null;
  readonly benchmark?: BenchmarkFacts;
  /** The previous period's position, to tell when a KPI crossed its benchmark. */
  readonly previousBenchmark?: BenchmarkFacts;
  /** How many period-over-period moves in a row, ending with this one, went the wrong way. */
  readonly wrongWayStreak: number;
  /** The KPI's benchmark compares each segment (lead source) with the all-segment value. */
  readonly segmentsBenchmarked: boolean;
}

/** What every rule may read. */
export interface CommentaryContext {
  readonly period: PeriodName;
  readonly previous: PeriodName;
  readonly yearAgo: PeriodName;
  readonly currency: string;
  /** Facts of every KPI of the registry, in registry order. */
  readonly kpis: readonly KpiFacts[];
  /** The period's summary: coverage, uploads, rejected uploads. */
  readonly summary?: PeriodSummary;
  /** Lifespan cap CLV uses when nobody churned, in months. */
  readonly clvLifespanCapMonths: number;
  /** Datasets whose absence is announced in a banner. */
  readonly requiredDatasets: readonly DatasetName[];
}
