/**
 * The October 2026 scorecard's content, as fixture data: 25 KPIs in 5 sections (values, trends, commentary,
 * sparkline slots), the MQL → SQL table's 9 sources and the definitions. sample-view.ts assembles it into views.
 */
import type { KpiSectionView, KpiView, ScorecardView, Sentence, SourceRowView, Tone, Trend } from '../../lambdas/domain/scorecard/view.ts';

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

export const PREV = 'September 2026';

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
      change: 'unchanged',
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
      change: 'unchanged',
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
      change: 'unchanged',
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

export const SOURCE_ROWS: readonly SourceRowView[] = [
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

export const DEFINITIONS: ScorecardView['definitions'] = [
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

/** The five sections, in the email's order. */
export const SECTIONS: readonly KpiSectionView[] = [acquisition, conversion, revenue, efficiency, web];
