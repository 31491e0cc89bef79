/**
 * Scorecard fixtures: a realistic October 2026 view (24 KPIs in 5 sections, a 9-source table), a hostile
 * variant whose data tries to become markup, a tiny PNG maker for the inline sparkline images, the samples'
 * stored KPIs, and stored-KPI builders for the commentary rules' tests.
 */
import { fileURLToPath } from 'node:url';
import { encodePng } from '../../lambdas/domain/scorecard/png.ts';
import type { InMemoryKpiStore } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId, type Period } from '../../lambdas/domain/periods/period.ts';
import { commentaryContext, scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/domain/settings.ts';
import type { KpisByPeriod } from '../../lambdas/domain/commentary/facts.ts';
import type { CommentaryContext, KpiFacts } from '../../lambdas/domain/commentary/types.ts';
import type { PeriodSummary, StoredKpi } from '../../lambdas/ports/index.ts';
import type { InlineImage, KpiSectionView, KpiView, ScorecardView, Sentence, SourceRowView, Tone, Trend } from '../../lambdas/domain/scorecard/view.ts';

/** A fixture sentence: an action when it reads like one, else a movement. */
export const sentence = (text: string, tone?: Tone): Sentence => ({
  rule: text.startsWith('Recommended: ') ? 'action' : 'movement',
  text,
  ...(tone ? { tone } : {}),
});

type KpiInput = Omit<KpiView, 'sparkline' | 'commentary'> & {
  readonly commentary?: readonly string[];
  /** Set false to leave the KPI without a sparkline. */
  readonly spark?: boolean;
};

const PREV = 'September 2026';

function kpi(input: KpiInput): KpiView {
  const { spark = true, commentary = [], ...rest } = input;
  return {
    ...rest,
    commentary: commentary.map((c) => sentence(c)),
    ...(spark
      ? {
          sparkline: {
            cid: `spark-${input.id}@scorecard`,
            alt: `${input.label}, last 12 months: ${input.previous ?? 'no data'} in ${PREV}, ${input.value} in October 2026`,
          },
        }
      : {}),
  };
}

const up = (tone: Tone = 'good'): { trend: Trend; tone: Tone } => ({ trend: 'up', tone });
const down = (tone: Tone = 'bad'): { trend: Trend; tone: Tone } => ({ trend: 'down', tone });

const acquisition: KpiSectionView = {
  id: 'acquisition',
  title: 'Acquisition',
  kpis: [
    kpi({
      id: 'leads',
      label: 'New leads',
      value: '1,000',
      previous: '942',
      change: '+6.2%',
      ...up(),
      commentary: ['New leads grew 6.2% to 1,000, inside the 5–10% monthly growth target.'],
    }),
    kpi({
      id: 'mqls',
      label: 'Marketing qualified leads',
      value: '412',
      previous: '398',
      change: '+3.5%',
      ...up(),
      benchmark: { text: 'Below the 5–10% growth target', position: 'below', tone: 'bad', off: true },
      commentary: [
        'MQLs grew 3.5% to 412, below the 5–10% monthly growth target.',
        'Referral leads qualified best; paid social (LinkedIn) worst.',
      ],
    }),
    kpi({
      id: 'sql_count',
      label: 'Sales qualified leads',
      value: '100',
      previous: '92',
      change: '+8.7%',
      ...up(),
      benchmark: { text: 'Within the 5–10% growth target', position: 'within' },
      commentary: ['SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.'],
    }),
    kpi({
      id: 'cost_per_lead',
      label: 'Cost per lead',
      value: '$184',
      previous: '$171',
      change: '+7.6%',
      ...up('bad'),
      benchmark: { text: 'Above the $150 B2B benchmark', position: 'above', tone: 'bad', off: true },
      commentary: [
        'Cost per lead rose 7.6% to $184, above the $150 B2B benchmark.',
        'Paid social drove most of the increase: $61,200 of spend for 214 leads.',
        'Recommended: shift budget from the highest-CPL channel to webinars and organic search.',
      ],
    }),
    kpi({
      id: 'sales_sourced_share',
      label: 'Sales-sourced pipeline share',
      value: '31.4%',
      previous: '33.0%',
      change: '−1.6 pts',
      trend: 'down',
      tone: 'neutral',
      commentary: ['Outbound prospecting sourced 31.4% of new pipeline, down 1.6 points.'],
    }),
  ],
};

const conversion: KpiSectionView = {
  id: 'conversion',
  title: 'Conversion',
  kpis: [
    kpi({
      id: 'lead_to_mql_rate',
      label: 'Lead → MQL rate',
      value: '41.2%',
      previous: '42.3%',
      change: '−1.1 pts',
      ...down(),
      benchmark: { text: 'Within the 30–50% benchmark', position: 'within' },
      commentary: ['Lead → MQL rate slipped 1.1 points to 41.2%, still within the 30–50% benchmark.'],
    }),
    kpi({
      id: 'mql_to_sql_rate',
      label: 'MQL → SQL rate',
      value: '24.3%',
      previous: '23.1%',
      change: '+1.2 pts',
      ...up(),
      benchmark: { text: 'Within the 13–30% benchmark', position: 'within' },
      commentary: [
        'MQL → SQL rate rose 1.2 points to 24.3%.',
        'Referral converts best at 35.5% and paid social (LinkedIn) worst at 0.0%, against 24.3% for all sources.',
      ],
    }),
    kpi({
      id: 'sql_acceptance_rate',
      label: 'SQL acceptance rate',
      value: '75.0%',
      previous: '81.5%',
      change: '−6.5 pts',
      ...down(),
      benchmark: { text: 'Below the 80% benchmark', position: 'below', tone: 'bad', off: true },
      commentary: [
        'SQL acceptance 75.0% is below the 80% benchmark: 25 of 100 SQLs were rejected.',
        'Acceptance has fallen three months running.',
        'Recommended: redefine SQL criteria with sales before next month’s hand-offs.',
      ],
    }),
    kpi({
      id: 'win_rate',
      label: 'Opportunity win rate',
      value: '22.7%',
      previous: '21.9%',
      change: '+0.8 pts',
      ...up(),
      benchmark: { text: 'Within the 20–30% benchmark', position: 'within' },
      commentary: ['Win rate rose 0.8 points to 22.7%: 50 of 220 closed opportunities were won.'],
    }),
    kpi({
      id: 'lead_to_customer_rate',
      label: 'Lead → customer rate',
      value: '5.0%',
      previous: '4.6%',
      change: '+0.4 pts',
      ...up(),
      benchmark: { text: 'Above the 2–5% B2B benchmark', position: 'above', tone: 'good' },
      commentary: ['5.0% of leads became customers: 50 of 1,000.'],
    }),
  ],
};

const revenue: KpiSectionView = {
  id: 'revenue',
  title: 'Revenue',
  kpis: [
    kpi({
      id: 'new_customers',
      label: 'New customers',
      value: '50',
      previous: '43',
      change: '+16.3%',
      ...up(),
      commentary: ['New customers grew 16.3% to 50, the best month this year.'],
    }),
    kpi({
      id: 'revenue_won',
      label: 'Closed-won revenue',
      value: '$250,000',
      previous: '$232,200',
      change: '+7.7%',
      ...up(),
      commentary: ['Closed-won revenue grew 7.7% to $250,000 from 50 deals.'],
    }),
    kpi({
      id: 'avg_deal_size',
      label: 'Average deal size',
      value: '$5,000',
      previous: '$5,400',
      change: '−7.4%',
      ...down(),
      commentary: [
        'Average deal size fell 7.4% to $5,000, the third fall in a row.',
        'Recommended: target higher-value accounts and review discounting on renewals.',
      ],
    }),
    kpi({
      id: 'pipeline_created',
      label: 'Pipeline created',
      value: '$1,284,000',
      previous: '$1,190,500',
      change: '+7.9%',
      ...up(),
      benchmark: { text: 'Above the 3× coverage target', position: 'above' },
      commentary: ['Pipeline created grew 7.9% to $1,284,000, 3.4× next quarter’s target.'],
    }),
    kpi({
      id: 'sales_cycle_days',
      label: 'Sales cycle length',
      value: '38 days',
      previous: '38 days',
      change: '0.0%',
      trend: 'flat',
      tone: 'neutral',
      commentary: ['Sales cycle held at 38 days.'],
    }),
  ],
};

const efficiency: KpiSectionView = {
  id: 'efficiency-retention',
  title: 'Efficiency and retention',
  kpis: [
    kpi({
      id: 'cac',
      label: 'Customer acquisition cost',
      value: '$3,120',
      previous: '$3,410',
      change: '−8.5%',
      trend: 'down',
      tone: 'good',
      benchmark: { text: 'Within the $2,000–$4,000 benchmark', position: 'within' },
      commentary: ['CAC fell 8.5% to $3,120: $156,000 of sales and marketing cost for 50 customers.'],
    }),
    kpi({
      id: 'clv',
      label: 'Customer lifetime value',
      value: '$2,400',
      previous: '$2,400',
      change: '0.0%',
      trend: 'flat',
      tone: 'neutral',
      commentary: ['CLV is $2,400: $100 ARPU a month over a 24-month average lifespan.'],
    }),
    kpi({
      id: 'clv_to_cac',
      label: 'CLV : CAC ratio',
      value: '0.8 : 1',
      previous: '0.7 : 1',
      change: '+0.1',
      ...up(),
      benchmark: { text: 'Below the 3 : 1 benchmark', position: 'below', tone: 'bad', off: true },
      commentary: [
        'CLV : CAC of 0.8 : 1 is far below the 3 : 1 benchmark: each customer costs more than they return.',
        'Recommended: raise prices or cut acquisition cost before scaling spend.',
      ],
    }),
    kpi({
      id: 'marketing_roi',
      label: 'Marketing ROI',
      value: '212%',
      previous: '188%',
      change: '+24 pts',
      ...up(),
      benchmark: { text: 'Above the 200% benchmark', position: 'above', tone: 'good' },
      commentary: ['Marketing ROI rose 24 points to 212%, above the 200% benchmark.'],
    }),
    kpi({
      id: 'churn_rate',
      label: 'Customer churn rate',
      value: '4.2%',
      previous: '3.6%',
      change: '+0.6 pts',
      trend: 'up',
      tone: 'bad',
      benchmark: { text: 'Within the 3–5% benchmark', position: 'within' },
      commentary: ['Churn rose 0.6 points to 4.2%: 21 of 500 customers left.'],
    }),
    kpi({
      id: 'net_revenue_retention',
      label: 'Net revenue retention',
      value: 'n/a',
      previous: null,
      change: null,
      trend: 'none',
      tone: 'neutral',
      spark: false,
      commentary: ['No customers upload for October 2026, so net revenue retention cannot be computed.'],
    }),
  ],
};

const web: KpiSectionView = {
  id: 'web',
  title: 'Web',
  kpis: [
    kpi({
      id: 'sessions',
      label: 'Website sessions',
      value: '48,210',
      previous: '45,400',
      change: '+6.2%',
      ...up(),
      commentary: ['Sessions grew 6.2% to 48,210.'],
    }),
    kpi({
      id: 'visitor_to_lead_rate',
      label: 'Visitor → lead rate',
      value: '2.07%',
      previous: '2.07%',
      change: '0.0 pts',
      trend: 'flat',
      tone: 'neutral',
      benchmark: { text: 'Within the 1–3% benchmark', position: 'within' },
      commentary: ['2.07% of sessions became leads, unchanged and within the 1–3% benchmark.'],
    }),
    kpi({
      id: 'bounce_rate',
      label: 'Bounce rate',
      value: '58.4%',
      previous: '54.9%',
      change: '+3.5 pts',
      trend: 'up',
      tone: 'bad',
      benchmark: { text: 'Above the 40–55% benchmark', position: 'above' },
      commentary: [
        'Bounce rate rose 3.5 points to 58.4%, above the 40–55% benchmark.',
        'Recommended: check the landing pages of the paid social campaigns.',
      ],
    }),
    kpi({
      id: 'organic_share',
      label: 'Organic traffic share',
      value: '44.8%',
      previous: '46.1%',
      change: '−1.3 pts',
      ...down(),
      commentary: ['Organic search brought 44.8% of sessions, down 1.3 points.'],
    }),
  ],
};

const SOURCE_ROWS: readonly SourceRowView[] = [
  { source: 'Webinar', mqls: '200', sqls: '50', rate: '25.0%', tone: 'neutral' },
  { source: 'Organic search', mqls: '52', sqls: '16', rate: '30.8%', tone: 'good' },
  { source: 'Referral', mqls: '31', sqls: '11', rate: '35.5%', tone: 'good' },
  { source: 'Partner', mqls: '22', sqls: '6', rate: '27.3%', tone: 'good' },
  { source: 'Events', mqls: '18', sqls: '4', rate: '22.2%', tone: 'bad' },
  { source: 'Email nurture', mqls: '27', sqls: '5', rate: '18.5%', tone: 'bad' },
  { source: 'Paid search', mqls: '21', sqls: '3', rate: '14.3%', tone: 'bad' },
  { source: 'Direct', mqls: '20', sqls: '5', rate: '25.0%', tone: 'neutral' },
  { source: 'Paid social (LinkedIn)', mqls: '21', sqls: '0', rate: '0.0%', tone: 'bad' },
];

const DEFINITIONS: ScorecardView['definitions'] = [
  { label: 'New leads', definition: 'Leads created in the period, duplicates by email removed.' },
  { label: 'Marketing qualified leads', definition: 'Leads that reached MQL status in the period.' },
  { label: 'Sales qualified leads', definition: 'Leads sales accepted as worth pursuing in the period.' },
  { label: 'Cost per lead', definition: 'Marketing spend ÷ new leads.' },
  { label: 'Sales-sourced pipeline share', definition: 'Pipeline from outbound / SDR sources ÷ all pipeline created.' },
  { label: 'Lead → MQL rate', definition: 'MQLs ÷ new leads.' },
  { label: 'MQL → SQL rate', definition: 'SQLs ÷ MQLs, by lead source and for all sources.' },
  { label: 'SQL acceptance rate', definition: 'SQLs accepted by sales ÷ SQLs.' },
  { label: 'Opportunity win rate', definition: 'Opportunities won ÷ opportunities closed (won or lost).' },
  { label: 'Lead → customer rate', definition: 'New customers ÷ new leads.' },
  { label: 'New customers', definition: 'Accounts with a first closed-won deal in the period.' },
  { label: 'Closed-won revenue', definition: 'Sum of the amounts of deals won in the period.' },
  { label: 'Average deal size', definition: 'Closed-won revenue ÷ deals won.' },
  { label: 'Pipeline created', definition: 'Sum of the amounts of opportunities created in the period.' },
  { label: 'Sales cycle length', definition: 'Median days from opportunity created to won.' },
  { label: 'Customer acquisition cost', definition: 'Sales and marketing cost ÷ new customers.' },
  { label: 'Customer lifetime value', definition: 'ARPU a month × average customer lifespan in months.' },
  { label: 'CLV : CAC ratio', definition: 'Customer lifetime value ÷ customer acquisition cost.' },
  { label: 'Marketing ROI', definition: '(Revenue attributed to marketing − marketing spend) ÷ marketing spend.' },
  { label: 'Customer churn rate', definition: 'Customers lost in the period ÷ customers at its start.' },
  { label: 'Net revenue retention', definition: 'Recurring revenue from last year’s customers today ÷ their revenue a year ago.' },
  { label: 'Website sessions', definition: 'Sessions recorded by web analytics in the period.' },
  { label: 'Visitor → lead rate', definition: 'New leads ÷ website sessions.' },
  { label: 'Bounce rate', definition: 'Single-page sessions ÷ all sessions.' },
  { label: 'Organic traffic share', definition: 'Sessions from organic search ÷ all sessions.' },
];

/**
 * The full October 2026 scorecard: 25 KPIs in 5 sections, a 9-source table (412 MQLs, 100 SQLs, as the KPIs
 * say), data notes and definitions. A source within a point of the all-source rate is neutral.
 */
export function sampleView(overrides: Partial<ScorecardView> = {}): ScorecardView {
  return {
    title: 'Scorecard for October 2026',
    periodLabel: 'October 2026',
    periodId: '2026-10',
    previousPeriodLabel: PREV,
    headline: [
      { rule: 'headline', text: 'SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.', tone: 'good' },
      { rule: 'headline', text: 'SQL acceptance 75.0% is below the 80% benchmark: 25 of 100 SQLs were rejected.', tone: 'bad' },
      { rule: 'headline', text: 'Average deal size fell 7.4% to $5,000, the third fall in a row.', tone: 'bad' },
    ],
    sections: [acquisition, conversion, revenue, efficiency, web],
    sourceTable: {
      title: 'MQL → SQL rate by lead source',
      allSourceRate: '24.3%',
      rows: SOURCE_ROWS,
    },
    dataNotes: [
      'Numbers from leads-2026-10.csv (1,214 rows, 3 rejected), opportunities-2026-10.csv (486 rows), spend-2026-10.csv (42 rows) and web_traffic-2026-10.csv (31 rows).',
      'No customers upload for October 2026: net revenue retention is not shown.',
      '3 lead rows were rejected for an invalid email; see the validation report.',
    ].map((text): Sentence => ({ rule: 'uploads', text })),
    definitions: DEFINITIONS,
    generatedAt: 'Generated 1 November 2026 06:00 UTC',
    ...overrides,
  };
}

/** The missing-data banner a real run shows when a required upload is absent. */
export const SAMPLE_BANNER = 'The customers upload for October 2026 is missing: churn, CLV and net revenue retention use September’s customer list.';

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  amp: 'Tom & Jerry',
  quotes: 'the "quoted" one',
  single: "it's 'single'",
} as const;

/** The sample view with data that tries to become markup: in source names, notes, labels and commentary. */
export function hostileView(): ScorecardView {
  const base = sampleView();
  const [first, ...rest] = base.sections;
  if (!first) throw new Error('fixture has no sections');
  const [firstKpi, ...otherKpis] = first.kpis;
  if (!firstKpi) throw new Error('fixture has no KPIs');
  return {
    ...base,
    title: `Scorecard for ${HOSTILE.amp} ${HOSTILE.script}`,
    banner: `Missing upload ${HOSTILE.img} ${HOSTILE.quotes}`,
    headline: [...base.headline, sentence(`Best source ${HOSTILE.script}`, 'good')],
    sections: [
      {
        ...first,
        title: `${first.title} ${HOSTILE.single}`,
        kpis: [
          {
            ...firstKpi,
            label: `Leads ${HOSTILE.img}`,
            value: `1,000 ${HOSTILE.amp}`,
            commentary: [sentence(`Leads from ${HOSTILE.script} grew.`), sentence(`Recommended: Source ${HOSTILE.quotes} ${HOSTILE.single}.`)],
            sparkline: { cid: 'spark-x"onerror="alert(1)@scorecard', alt: `alt ${HOSTILE.quotes} ${HOSTILE.img}` },
          },
          ...otherKpis,
        ],
      },
      ...rest,
    ],
    sourceTable: {
      title: 'MQL → SQL rate by lead source',
      allSourceRate: '24.3%',
      rows: [
        { source: HOSTILE.script, mqls: '10', sqls: '5', rate: '50.0%', tone: 'good' },
        { source: HOSTILE.img, mqls: '10', sqls: '1', rate: '10.0%', tone: 'bad' },
        { source: HOSTILE.amp, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
        { source: HOSTILE.quotes, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
        { source: HOSTILE.single, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
      ],
    },
    dataNotes: [sentence(`Upload ${HOSTILE.script}.csv had ${HOSTILE.img} in a cell`), sentence(`Owner ${HOSTILE.amp} ${HOSTILE.quotes} ${HOSTILE.single}`)],
    definitions: [{ label: `Leads ${HOSTILE.single}`, definition: `Defined by ${HOSTILE.script}` }],
  };
}

/** Every KPI of a view, in order. */
export const allKpis = (view: ScorecardView): KpiView[] => view.sections.flatMap((s) => [...s.kpis]);

// Test sparklines use the product's PNG encoder.
export { encodePng };

/** A crude 2× sparkline (240 × 72 for a 120 × 36 slot): a dark line on white, last point marked. */
export function sparklinePng(values: readonly number[], width = 240, height = 72): Buffer {
  const px = new Uint8Array(width * height * 4).fill(255);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = 6;
  const xy = (i: number): [number, number] => [
    pad + (i * (width - 2 * pad)) / Math.max(1, values.length - 1),
    height - pad - ((values[i]! - min) / (max - min || 1)) * (height - 2 * pad),
  ];
  const dot = (x: number, y: number, r: number, rgb: readonly [number, number, number]): void => {
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const X = Math.round(x + dx);
        const Y = Math.round(y + dy);
        if (X < 0 || Y < 0 || X >= width || Y >= height || dx * dx + dy * dy > r * r) continue;
        px.set([...rgb, 255], (Y * width + X) * 4);
      }
  };
  for (let i = 0; i + 1 < values.length; i++) {
    const [x0, y0] = xy(i);
    const [x1, y1] = xy(i + 1);
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let s = 0; s <= steps; s++) dot(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, 2, [60, 64, 67]);
  }
  const [lx, ly] = xy(values.length - 1);
  dot(lx, ly, 5, [26, 115, 232]);
  return encodePng(width, height, px);
}

/** One inline PNG per sparkline in the view, with a made-up but stable 12-month series per KPI. */
export function sampleImages(view: ScorecardView): InlineImage[] {
  return allKpis(view).flatMap((k, n) => {
    if (!k.sparkline) return [];
    const series = Array.from({ length: 12 }, (_, i) => 50 + 20 * Math.sin((i + n) / 2) + i * (n % 3 === 0 ? -2 : 2));
    return [
      {
        cid: k.sparkline.cid,
        filename: `${k.id}.png`,
        contentType: 'image/png' as const,
        content: new Uint8Array(sparklinePng(series)),
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------------------
// The real thing: the scorecard of the shipped samples, through the same code as `smarketing report`.

/** Stored KPIs of the samples for the periods a scorecard reads (October 2026 and the 12 months before it). */
export async function sampleKpiStore(periodId = '2026-10', settings = DEFAULT_SETTINGS, now = new Date('2026-11-01T06:00:00Z')): Promise<InMemoryKpiStore> {
  // Imported here, not at the top: the unit tests that only need the fixtures above stay clear of validation and KPI code.
  const [{ InMemoryKpiStore }, { loadExportFolder }, { computePeriodKpis }, { toStoredKpis }] = await Promise.all([
    import('../../lambdas/adapters/memory.ts'), import('../../lambdas/cli/folder.ts'),
    import('../../lambdas/domain/metrics/compute.ts'), import('../../lambdas/use-cases/compute-kpis.ts'),
  ]);
  const folder = await loadExportFolder(fileURLToPath(new URL('../../samples/', import.meta.url)), settings, now);
  const period = parsePeriodId(periodId);
  const store = new InMemoryKpiStore();
  for (const p of scorecardPeriods(period).all) {
    const { summary, kpis } = toStoredKpis(computePeriodKpis(folder.loaded.records, p, settings), folder.loaded, now.toISOString());
    await store.putPeriod(summary, kpis);
  }
  return store;
}

// ---------------------------------------------------------------------------------------------------------
// Commentary fixtures: stored KPIs for October 2026 and the months before it, built from short series.

export const OCTOBER = parsePeriodId('2026-10');

/**
 * Stored KPIs by period for October 2026's scorecard window. `series[kpiId]` lists values oldest first, the last
 * one October's (a shorter list fills only the latest months; null stores a KPI with no value). `current[kpiId]`
 * adds fields (numerator, segments, reason, note, uploads…) to October's stored KPI.
 */
export function storedKpis(
  series: Readonly<Record<string, readonly (number | null)[]>>,
  current: Readonly<Record<string, Partial<StoredKpi>>> = {},
  period: Period = OCTOBER,
): KpisByPeriod {
  const periods = scorecardPeriods(period).all;
  const out = new Map<string, Map<string, StoredKpi>>(periods.map((p) => [p.id, new Map()]));
  for (const [id, values] of Object.entries(series)) {
    values.forEach((value, i) => {
      const p = periods[periods.length - values.length + i]!;
      const extra = p.id === period.id ? current[id] ?? {} : {};
      out.get(p.id)!.set(id, {
        id, periodId: p.id, periodType: p.type, value, uploads: [], computedAt: '2026-11-01T06:00:00Z',
        ...(value === null ? { reason: `no value in ${p.id}` } : {}), ...extra,
      });
    });
  }
  for (const [id, extra] of Object.entries(current)) {
    if (!series[id]) out.get(period.id)!.set(id, { id, periodId: period.id, periodType: period.type, value: null, uploads: [], computedAt: '', ...extra });
  }
  return out;
}

/** The commentary context for October 2026 over `storedKpis(series, current)`. */
export function contextFor(
  series: Readonly<Record<string, readonly (number | null)[]>>,
  current: Readonly<Record<string, Partial<StoredKpi>>> = {},
  options: { summary?: PeriodSummary; settings?: Settings; period?: Period } = {},
): CommentaryContext {
  const period = options.period ?? OCTOBER;
  return commentaryContext({
    period, kpis: storedKpis(series, current, period), settings: options.settings ?? DEFAULT_SETTINGS,
    generatedAt: new Date('2026-11-01T06:00:00Z'), ...(options.summary ? { summary: options.summary } : {}),
  });
}

/** A KPI's facts in a context. */
export const factsOf = (ctx: CommentaryContext, id: string): KpiFacts => {
  const f = ctx.kpis.find((k) => k.def.id === id);
  if (!f) throw new Error(`no KPI ${id} in the registry`);
  return f;
};

/** A period summary: every dataset covered and uploaded once, unless told otherwise. */
export function summaryFor(overrides: Partial<PeriodSummary> = {}, period: Period = OCTOBER): PeriodSummary {
  const upload = (d: string) => [{ uploadId: `${d}-1`, key: `incoming/${d}/${d}-${period.id}.csv`, uploadedAt: '2026-11-01T05:00:00.000Z', rows: 100 }];
  return {
    periodId: period.id, periodType: period.type, timezone: 'UTC', currency: 'USD',
    coverage: { leads: true, opportunities: true, spend: true, customers: true, web_traffic: true },
    uploads: { leads: upload('leads'), opportunities: upload('opportunities'), spend: upload('spend'), customers: upload('customers'), web_traffic: upload('web_traffic') },
    rejected: [],
    computedAt: '2026-11-01T06:00:00.000Z',
    ...overrides,
  };
}
