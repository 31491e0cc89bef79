/**
 * The metric registry: every KPI of metrics.md as one entry — id, label, definition, unit, direction, inputs,
 * formula, benchmark, segments, the action the sources recommend. Computation, storage, commentary, the email
 * and docs/metrics.md all read this list; adding a KPI is adding an entry.
 */
import type { DatasetName } from '../layout.ts';
import type { Settings } from '../settings.ts';
import type { PeriodMeasures, Tally } from './measures.ts';
import type { BreakdownLabels, Breakdowns, Dimension } from './dimensions.ts';

export type MetricUnit = 'count' | 'rate' | 'money' | 'days' | 'ratio';
export type SectionId = 'acquisition' | 'conversion' | 'revenue' | 'efficiency' | 'web';

export const SECTIONS: readonly { id: SectionId; title: string }[] = [
  { id: 'acquisition', title: 'Acquisition' },
  { id: 'conversion', title: 'Conversion' },
  { id: 'revenue', title: 'Revenue' },
  { id: 'efficiency', title: 'Efficiency and retention' },
  { id: 'web', title: 'Web' },
];

export interface SegmentValue {
  readonly value: number | null;
  readonly numerator?: number;
  readonly denominator?: number;
}

/** A KPI's value for a period: `null` with a reason when it cannot be computed, never 0, NaN or Infinity. */
export interface MetricValue {
  readonly value: number | null;
  readonly numerator?: number;
  readonly denominator?: number;
  readonly reason?: string;
  /** A remark the commentary must make (e.g. the CLV lifespan was capped). */
  readonly note?: string;
  readonly segments?: Readonly<Record<string, SegmentValue>>;
  /** The terms of a KPI that is not a plain ratio (CLV: ARPU, monthly churn, lifespan, margin), to check it by. */
  readonly detail?: Readonly<Record<string, number>>;
  /** Per dimension of `breakdownBy` the period's records carry: the KPI per value, by its own formula (breakdowns.ts). */
  readonly breakdowns?: Breakdowns;
  /** How the breakdown values were first written, where that differs from the lower-case value. */
  readonly breakdownLabels?: BreakdownLabels;
}

/** Benchmark bands; `source` says where they come from. */
export type Benchmark =
  | { readonly kind: 'min'; readonly min: number; readonly source: string }
  | { readonly kind: 'max'; readonly max: number; readonly source: string }
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly source: string; readonly label?: string }
  /** Growth over the previous period, as a fraction (0.05 = 5%). */
  | { readonly kind: 'growth'; readonly min: number; readonly max: number; readonly source: string }
  /** Each segment against the all-segment value. */
  | { readonly kind: 'segments'; readonly source: string };

export interface MetricContext {
  readonly settings: Settings;
}

export interface MetricDefinition {
  readonly id: string;
  readonly label: string;
  /** One line, shown in the email's definitions and the docs. */
  readonly definition: string;
  /** The formula over the base measures, as metrics.md writes it (docs/metrics.md prints it). */
  readonly formula: string;
  readonly unit: MetricUnit;
  /** Which way is good news. */
  readonly better: 'up' | 'down';
  readonly section: SectionId;
  /** Datasets the KPI needs records from in the period. */
  readonly inputs: readonly DatasetName[];
  /**
   * The KPI also uses new_customers(P), so it also needs the dataset those come from: customers when that dataset
   * has any record, else leads (`inputsOf`).
   */
  readonly usesNewCustomers?: boolean;
  readonly segmentBy?: 'source' | 'channel';
  /** The dimensions the KPI is also computed by (metrics.md, "Breakdowns"): its formula per value of each. */
  readonly breakdownBy?: readonly Dimension[];
  /** The benchmark for these settings (bands can depend on the business model), if any. */
  benchmark?(settings: Settings): Benchmark | undefined;
  /** metrics.md's benchmark column: what the KPI is compared with and the source, bands or not. */
  readonly reference: string;
  /** What the sources recommend when the KPI is off its benchmark or trends the wrong way. */
  readonly action?: string;
  compute(m: PeriodMeasures, ctx: MetricContext): MetricValue;
}

// ---- helpers shared by the formulas ----

const DATASET_LABEL: Record<DatasetName, string> = {
  leads: 'leads', opportunities: 'opportunities', spend: 'spend', customers: 'customers', web_traffic: 'web traffic',
};

/** The datasets a KPI needs records from in the period, for these measures (see `usesNewCustomers`). */
export function inputsOf(def: Pick<MetricDefinition, 'inputs' | 'usesNewCustomers'>, m: Pick<PeriodMeasures, 'newCustomersFrom'>): DatasetName[] {
  const out = [...def.inputs];
  if (def.usesNewCustomers && !out.includes(m.newCustomersFrom)) out.push(m.newCustomersFrom);
  return out;
}

function missingInputs(m: PeriodMeasures, inputs: readonly DatasetName[]): MetricValue | undefined {
  const missing = inputs.filter((d) => !m.covered[d]);
  if (missing.length === 0) return undefined;
  return { value: null, reason: `no ${missing.map((d) => DATASET_LABEL[d]).join(' or ')} export covers ${m.period.id}` };
}

const money = (minor: number): number => Math.round(minor) / 100;

/** numerator / denominator, or null with a reason when the denominator is zero. */
function ratio(numerator: number, denominator: number, zeroReason: string, scale: (n: number) => number = (n) => n): MetricValue {
  if (denominator === 0) return { value: null, numerator: scale(numerator), denominator: scale(denominator), reason: zeroReason };
  return { value: numerator / denominator, numerator: scale(numerator), denominator: scale(denominator) };
}

/** A money amount (minor units) per count, in major units: null with a reason when the count is zero. */
function moneyPer(amountMinor: number, count: number, zeroReason: string): MetricValue {
  if (count === 0) return { value: null, numerator: money(amountMinor), denominator: 0, reason: zeroReason };
  return { value: amountMinor / count / 100, numerator: money(amountMinor), denominator: count };
}

function segmentRatios(num: Tally, den: Tally, scale: (n: number) => number = (n) => n): Record<string, SegmentValue> {
  const out: Record<string, SegmentValue> = {};
  const keys = [...new Set([...num.by.keys(), ...den.by.keys()])].sort();
  for (const k of keys) {
    const n = num.by.get(k) ?? 0;
    const d = den.by.get(k) ?? 0;
    out[k] = d === 0 ? { value: null, numerator: scale(n), denominator: scale(d) } : { value: n / d, numerator: scale(n), denominator: scale(d) };
  }
  return out;
}

const count = (value: number): MetricValue => ({ value });

/** Days in a month as CLV counts them, to scale weekly churn to a month. */
const DAYS_PER_MONTH = 30.4375;

const LEAD_TO_CUSTOMER_BANDS: Record<Settings['businessModel'], Benchmark> = {
  b2b: { kind: 'range', min: 0.05, max: 0.1, source: 'seed 002 (B2B)' },
  saas: { kind: 'range', min: 0.02, max: 0.05, source: 'seed 002 (SaaS)' },
  ecommerce: { kind: 'min', min: 0.2, source: 'seed 002 (e-commerce)' },
};

/** Revenue and pipeline are broken down by every dimension: source, campaign, rep, region, product, segment. */
const ALL_DIMENSIONS = ['source', 'campaign', 'owner', 'region', 'product', 'segment'] as const satisfies readonly Dimension[];

function define(d: MetricDefinition): MetricDefinition {
  const compute = d.compute;
  return { ...d, compute: (m, ctx) => missingInputs(m, inputsOf(d, m)) ?? compute(m, ctx) };
}

export const METRICS: readonly MetricDefinition[] = [
  define({
    id: 'leads', label: 'Leads', definition: 'Leads created in the period.', formula: 'leads(P)',
    unit: 'count', better: 'up', section: 'acquisition', inputs: ['leads'], segmentBy: 'source', breakdownBy: ['campaign'], reference: 'own history',
    action: 'Review which sources fell and shift budget toward the channels that are growing.',
    compute: (m) => ({ ...count(m.leads.total), segments: segmentCounts(m.leads) }),
  }),
  define({
    id: 'mqls', label: 'MQLs', definition: 'Leads that became marketing-qualified in the period.', formula: 'mqls(P)',
    unit: 'count', better: 'up', section: 'acquisition', inputs: ['leads'], segmentBy: 'source', reference: 'own history',
    action: 'Check lead scoring and nurture programmes: fewer leads are reaching marketing qualification.',
    compute: (m) => ({ ...count(m.mqls.total), segments: segmentCounts(m.mqls) }),
  }),
  define({
    id: 'sqls', label: 'SQLs', definition: 'Leads that became sales-qualified in the period.', formula: 'sqls(P)',
    unit: 'count', better: 'up', section: 'acquisition', inputs: ['leads'], segmentBy: 'source',
    benchmark: () => ({ kind: 'growth', min: 0.05, max: 0.1, source: 'seed 002' }),
    reference: '5–10% growth month over month (seed 002)',
    action: 'Dig into the lead source with the lowest MQL→SQL rate and align qualification criteria with sales.',
    compute: (m) => ({ ...count(m.sqls.total), segments: segmentCounts(m.sqls) }),
  }),
  define({
    id: 'cost_per_lead', label: 'Cost per lead', definition: 'Marketing spend divided by leads created.',
    formula: 'marketing_spend(P) / leads(P), also per channel where spend channels match lead sources',
    unit: 'money', better: 'down', section: 'acquisition', inputs: ['spend', 'leads'], segmentBy: 'channel',
    breakdownBy: ['source', 'campaign'], reference: 'own history (seed 000)',
    action: 'Cut or rework the channels whose cost per lead rose the most.',
    compute: (m) => {
      const segments: Record<string, SegmentValue> = {};
      // Per channel where a spend channel with marketing spend in P is also a lead source (of any period, so a
      // channel that bought no lead at all this period shows, as null, rather than vanishing).
      for (const channel of [...m.marketingSpendMinor.by.keys()].sort()) {
        if (!m.leadSources.has(channel)) continue;
        const { value, numerator, denominator } = moneyPer(m.marketingSpendMinor.by.get(channel)!, m.leads.by.get(channel) ?? 0, '');
        segments[channel] = { value, ...(numerator !== undefined ? { numerator } : {}), ...(denominator !== undefined ? { denominator } : {}) };
      }
      return { ...moneyPer(m.marketingSpendMinor.total, m.leads.total, `no leads were created in ${m.period.id}`), segments };
    },
  }),
  define({
    id: 'lead_to_mql_rate', label: 'Lead → MQL', definition: 'MQLs divided by leads created in the period.',
    formula: 'mqls(P) / leads(P)',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['leads'], reference: '—',
    action: 'Review lead quality by source and the MQL scoring threshold.',
    compute: (m) => ratio(m.mqls.total, m.leads.total, `no leads were created in ${m.period.id}`),
  }),
  define({
    id: 'mql_to_sql_rate', label: 'MQL → SQL', definition: 'SQLs divided by MQLs in the period, also per lead source.',
    formula: 'sqls(P) / mqls(P), also per source',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['leads'], segmentBy: 'source', breakdownBy: ['source'],
    benchmark: () => ({ kind: 'segments', source: 'seed 002' }),
    reference: 'each source against the all-source rate (seed 002)',
    action: 'Dig into the lead source with the lowest MQL→SQL rate: fix its targeting or its hand-off to sales.',
    compute: (m) => ({
      ...ratio(m.sqls.total, m.mqls.total, `no MQLs in ${m.period.id}`),
      segments: segmentRatios(m.sqls, m.mqls),
    }),
  }),
  define({
    id: 'sql_acceptance_rate', label: 'SQL acceptance', definition: 'SQLs accepted by sales divided by SQLs.',
    formula: 'sqls_accepted(P) / sqls(P)',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['leads'],
    benchmark: () => ({ kind: 'min', min: 0.8, source: 'seed 002' }), reference: '≥ 80% (seed 002)',
    action: 'Redefine the SQL criteria together with sales so that marketing hands over leads sales will work.',
    compute: (m) => ratio(m.sqlsAccepted, m.sqls.total, `no SQLs in ${m.period.id}`),
  }),
  define({
    id: 'sql_to_opportunity_rate', label: 'SQL → opportunity', definition: 'Opportunities created divided by SQLs.',
    formula: 'opps_created(P) / sqls(P)',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['leads', 'opportunities'], reference: '—',
    action: 'Check how quickly sales follows up on SQLs and why some never become opportunities.',
    compute: (m) => ratio(m.oppsCreated, m.sqls.total, `no SQLs in ${m.period.id}`),
  }),
  define({
    id: 'lead_to_customer_rate', label: 'Lead → customer', definition: 'New customers divided by leads created.',
    formula: 'new_customers(P) / leads(P)',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['leads'], usesNewCustomers: true,
    benchmark: (s) => LEAD_TO_CUSTOMER_BANDS[s.businessModel],
    reference: '5–10%; SaaS 2–5%; e-commerce ≥ 20% (seed 002)',
    action: 'Find the funnel stage with the largest drop and work on it with sales.',
    compute: (m) => ratio(m.newCustomers, m.leads.total, `no leads were created in ${m.period.id}`),
  }),
  define({
    id: 'win_rate', label: 'Win rate', definition: 'Deals won divided by deals closed (won + lost).',
    formula: 'won(P) / (won(P) + lost(P))',
    unit: 'rate', better: 'up', section: 'conversion', inputs: ['opportunities'], breakdownBy: ['source', 'owner', 'region', 'product', 'segment'],
    reference: '—',
    action: 'Review lost deals with sales: the reasons point at targeting, pricing or the sales process.',
    compute: (m) => ratio(m.won, m.won + m.lost, `no deals closed in ${m.period.id}`),
  }),
  define({
    id: 'revenue', label: 'Revenue won', definition: 'Total amount of deals won in the period, also per source.',
    formula: 'Σ amount of won(P), also per source',
    unit: 'money', better: 'up', section: 'revenue', inputs: ['opportunities'], segmentBy: 'source', breakdownBy: ALL_DIMENSIONS,
    reference: 'own history',
    action: 'Look at which sources brought less won revenue and at deals that slipped to later periods.',
    compute: (m) => ({ value: money(m.revenueMinor.total), segments: segmentMoney(m.revenueMinor) }),
  }),
  define({
    id: 'avg_deal_size', label: 'Average deal size', definition: 'Revenue won divided by deals won.',
    formula: 'Σ amount of won(P) / count won(P)',
    unit: 'money', better: 'up', section: 'revenue', inputs: ['opportunities'], breakdownBy: ['owner', 'region', 'product', 'segment'],
    reference: 'own history (seed 002)',
    action: 'Target higher-value accounts and review discounting.',
    // The detail keeps Σ amount² of the deals won: with the numerator and denominator, the spread of deal sizes,
    // by which the scorecard judges whether a rep's or a product's average differs by more than chance.
    compute: (m) => {
      const v = moneyPer(m.revenueMinor.total, m.won, `no deals won in ${m.period.id}`);
      return v.value === null ? v : { ...v, detail: { sum_of_squares: m.revenueSquares } };
    },
  }),
  define({
    id: 'pipeline_created', label: 'Pipeline created', definition: 'Total amount of opportunities created in the period.',
    formula: 'Σ amount of opps_created(P), also per source',
    unit: 'money', better: 'up', section: 'revenue', inputs: ['opportunities'], segmentBy: 'source', breakdownBy: ALL_DIMENSIONS,
    reference: 'own history',
    action: 'Check SQL volume and the SQL → opportunity hand-off.',
    compute: (m) => ({ value: money(m.pipelineMinor.total), segments: segmentMoney(m.pipelineMinor) }),
  }),
  define({
    id: 'marketing_sourced_pipeline_pct', label: 'Marketing-sourced pipeline',
    definition: 'Share of pipeline created that marketing sourced.',
    formula: 'Σ amount of marketing-sourced opps_created(P) / pipeline_created',
    unit: 'rate', better: 'up', section: 'revenue', inputs: ['opportunities'],
    benchmark: () => ({ kind: 'range', min: 0.51, max: 0.75, source: 'seed 002 (Bizible): average 51%, best-in-class ≥ 75%', label: 'average 51%, best-in-class 75%' }),
    reference: 'average 51%, best-in-class ≥ 75%, immature ≤ 10% (seed 002, Bizible)',
    action: 'Invest in the programmes that source pipeline, not only leads.',
    compute: (m) => ratio(m.marketingPipelineMinor, m.pipelineMinor.total, `no pipeline was created in ${m.period.id}`, money),
  }),
  define({
    id: 'marketing_sourced_revenue_pct', label: 'Marketing-sourced revenue',
    definition: 'Share of revenue won that marketing sourced.',
    formula: 'Σ amount of marketing-sourced won(P) / revenue',
    unit: 'rate', better: 'up', section: 'revenue', inputs: ['opportunities'],
    benchmark: () => ({ kind: 'min', min: 0.35, source: 'seed 002 (Bizible): average 35%' }),
    reference: 'average 35% (seed 002, Bizible)',
    action: 'Follow marketing-sourced deals through the pipeline and find where they stall.',
    compute: (m) => ratio(m.marketingRevenueMinor, m.revenueMinor.total, `no revenue was won in ${m.period.id}`, money),
  }),
  define({
    id: 'cac', label: 'Customer acquisition cost', definition: 'Marketing and sales spend divided by new customers.',
    formula: '(marketing_spend(P) + sales_spend(P)) / new_customers(P)',
    unit: 'money', better: 'down', section: 'efficiency', inputs: ['spend'], usesNewCustomers: true,
    reference: 'own history; costs rose 222% in ten years (seed 000)',
    action: 'Shift spend from the costliest channels to those that convert, and shorten the sales cycle.',
    compute: (m) => moneyPer(m.marketingSpendMinor.total + m.salesSpendMinor, m.newCustomers, `no new customers in ${m.period.id}`),
  }),
  define({
    id: 'customer_retention_rate', label: 'Customer retention',
    definition: 'Share of the customers active at the start of the period who are still active at its end.',
    formula: '(active(end P) − new_customers(P)) / active(start P), counting in the numerator only customers active at both start and end',
    unit: 'rate', better: 'up', section: 'efficiency', inputs: ['customers'], reference: '— (seed 000)',
    action: 'Talk to the customers who left and strengthen onboarding and customer success.',
    // Seed 000's (E − N) / S counts a new customer who churned within P as a lost existing one, so with few
    // customers at the start it can go below zero. E − N equals "active at start and still active at end" when no
    // new customer churns in P; counting that cohort directly keeps the formula's meaning and the rate in [0, 1].
    compute: (m) => ratio(m.retainedFromStart, m.activeAtStart, `no customers were active at the start of ${m.period.id}`),
  }),
  define({
    id: 'arpu', label: 'ARPU', definition: 'Monthly recurring revenue per active customer at the end of the period.',
    formula: 'Σ mrr of active(end P) / count active(end P), over the customers with a known MRR',
    unit: 'money', better: 'up', section: 'efficiency', inputs: ['customers'], reference: 'own history',
    action: 'Look at pricing, upsell and the mix of new customers.',
    compute: (m) => {
      const v = moneyPer(m.mrrAtEndMinor, m.mrrCountAtEnd, `no active customer has an MRR at the end of ${m.period.id}`);
      if (v.value === null || m.mrrMissingAtEnd === 0) return v;
      const n = m.mrrMissingAtEnd;
      return { ...v, note: `${n} of ${n + m.mrrCountAtEnd} active customers ${n === 1 ? 'has' : 'have'} no MRR and ${n === 1 ? 'is' : 'are'} left out of ARPU` };
    },
  }),
  define({
    id: 'clv', label: 'Customer lifetime value',
    definition: 'ARPU × expected lifespan (1 / monthly churn), × gross margin when configured.',
    formula: 'arpu × lifespan, lifespan = 1 / monthly churn, monthly churn = customers of active(start P) churned in P / active(start P) (scaled to a month for weeks and quarters), × gross margin when configured; lifespan capped when churn is zero',
    unit: 'money', better: 'up', section: 'efficiency', inputs: ['customers'], reference: 'own history (seed 002)',
    action: 'Raise retention and expansion: lifetime value grows with every month a customer stays.',
    compute: (m, { settings }) => clvOf(m, settings),
  }),
  define({
    id: 'ltv_to_cac', label: 'LTV : CAC', definition: 'Customer lifetime value divided by acquisition cost.',
    formula: 'clv / cac',
    unit: 'ratio', better: 'up', section: 'efficiency', inputs: ['customers', 'spend'], usesNewCustomers: true,
    benchmark: () => ({ kind: 'range', min: 3, max: 5, source: 'common SaaS rule of thumb: ≈ 3 healthy, < 1 loses money, > 5 under-investing', label: '3–5' }),
    reference: '≈ 3 healthy, < 1 loses money, > 5 under-investing (common SaaS rule of thumb)',
    action: 'Below 3, lower CAC or raise retention; above 5, growth is probably under-funded.',
    compute: (m, ctx) => {
      const clv = clvOf(m, ctx.settings);
      const cac = METRIC_BY_ID.get('cac')!.compute(m, ctx);
      if (clv.value === null) return { value: null, reason: clv.reason ?? 'CLV is not available' };
      if (cac.value === null) return { value: null, reason: cac.reason ?? 'CAC is not available' };
      if (cac.value === 0) return { value: null, numerator: clv.value, denominator: 0, reason: `CAC is zero in ${m.period.id}: no spend` };
      return { value: clv.value / cac.value, numerator: clv.value, denominator: cac.value };
    },
  }),
  define({
    id: 'sales_cycle_days', label: 'Sales cycle', definition: 'Mean days from lead creation to customer, for leads that became customers in the period.',
    formula: 'mean days from created_at to customer_at over leads with customer_at in P (local calendar days)',
    unit: 'days', better: 'down', section: 'efficiency', inputs: ['leads'], reference: 'own history (seed 002)',
    action: 'Find where deals wait longest and remove the hand-off delays.',
    compute: (m) => ratio(m.salesCycleDays.sum, m.salesCycleDays.count, `no lead became a customer in ${m.period.id}`),
  }),
  define({
    id: 'sessions', label: 'Sessions', definition: 'Website sessions in the period.', formula: 'Σ sessions in P',
    unit: 'count', better: 'up', section: 'web', inputs: ['web_traffic'], reference: 'own history',
    action: 'Check search rankings, campaigns that ended and referral partners.',
    compute: (m) => count(m.sessions),
  }),
  define({
    id: 'bounce_rate', label: 'Bounce rate', definition: 'Share of sessions that bounced, weighted by sessions.',
    formula: 'Σ (bounce_rate × sessions) / Σ sessions, over the rows in P with a bounce rate (or engaged sessions)',
    unit: 'rate', better: 'down', section: 'web', inputs: ['web_traffic'], reference: '—',
    action: 'Review the landing pages of the channels whose bounce rate rose.',
    compute: (m) => {
      if (m.bounceWeighted.sessions === 0) {
        return { value: null, numerator: m.bounceWeighted.bounced, denominator: 0, reason: `the web traffic export for ${m.period.id} has no sessions with a bounce rate or engaged sessions` };
      }
      return { value: m.bounceWeighted.bounced / m.bounceWeighted.sessions, numerator: m.bounceWeighted.bounced, denominator: m.bounceWeighted.sessions };
    },
  }),
  define({
    id: 'visitor_to_lead_rate', label: 'Visitor → lead', definition: 'Leads created divided by website sessions.',
    formula: 'leads(P) / sessions(P)',
    unit: 'rate', better: 'up', section: 'web', inputs: ['web_traffic', 'leads'], reference: '—',
    action: 'Test calls to action and forms on the most visited pages.',
    compute: (m) => ratio(m.leads.total, m.sessions, `no sessions were recorded in ${m.period.id}`),
  }),
];

function segmentCounts(t: Tally): Record<string, SegmentValue> {
  const out: Record<string, SegmentValue> = {};
  for (const k of [...t.by.keys()].sort()) out[k] = { value: t.by.get(k) ?? 0 };
  return out;
}

function segmentMoney(t: Tally): Record<string, SegmentValue> {
  const out: Record<string, SegmentValue> = {};
  for (const k of [...t.by.keys()].sort()) out[k] = { value: money(t.by.get(k) ?? 0) };
  return out;
}

/**
 * CLV = ARPU × lifespan × margin, lifespan = 1 / monthly churn. Churn is measured on the customers active at the
 * start of P (those who churned in P over all of them), the cohort retention uses, so churn = 1 − retention and
 * a customer who started and left within P does not count as a lost existing one. Churn over a quarter is divided
 * by 3 and over a week multiplied by 30.4375 / 7 to make it monthly. With no churn the lifespan is the configured
 * cap, and the note says so.
 */
function clvOf(m: PeriodMeasures, settings: Settings): MetricValue {
  if (m.mrrCountAtEnd === 0) return { value: null, reason: `no active customer has an MRR at the end of ${m.period.id}` };
  if (m.activeAtStart === 0) return { value: null, reason: `no customers were active at the start of ${m.period.id}, so churn is unknown` };
  const arpu = m.mrrAtEndMinor / m.mrrCountAtEnd / 100;
  const periodChurn = m.churnedFromStart / m.activeAtStart;
  const monthlyChurn = m.period.type === 'month' ? periodChurn : m.period.type === 'quarter' ? periodChurn / 3 : (periodChurn * DAYS_PER_MONTH) / 7;
  const margin = settings.grossMargin ?? 1;
  if (monthlyChurn === 0) {
    const cap = settings.clvLifespanCapMonths;
    return {
      value: arpu * cap * margin, numerator: arpu * margin, denominator: 1 / cap,
      note: `no customer churned in ${m.period.id}, so lifespan is capped at ${cap} months`,
      detail: { arpu, monthly_churn: 0, lifespan_months: cap, gross_margin: margin, churned: 0, active_at_start: m.activeAtStart },
    };
  }
  const lifespan = 1 / monthlyChurn;
  return {
    value: arpu * lifespan * margin, numerator: arpu * margin, denominator: monthlyChurn,
    // How many churns the churn rate rests on: with a handful, one more or fewer moves CLV a lot (the scorecard says so).
    detail: { arpu, monthly_churn: monthlyChurn, lifespan_months: lifespan, gross_margin: margin, churned: m.churnedFromStart, active_at_start: m.activeAtStart },
  };
}

export const METRIC_BY_ID: ReadonlyMap<string, MetricDefinition> = new Map(METRICS.map((d) => [d.id, d]));

/** The benchmark in force: leadership's own target for the KPI when set, else the catalog's band. */
export function benchmarkFor(def: MetricDefinition, settings: Settings): Benchmark | undefined {
  const target = settings.targets[def.id];
  if (target !== undefined) {
    return def.better === 'up' ? { kind: 'min', min: target, source: 'leadership target' } : { kind: 'max', max: target, source: 'leadership target' };
  }
  return def.benchmark?.(settings);
}
