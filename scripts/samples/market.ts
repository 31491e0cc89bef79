/**
 * The business model: demand trend and seasonality, lead sources with their funnel rates, the
 * marketing calendar (webinars, events, the Q3 campaign) and the campaign each lead is tagged with.
 */
import { type Month } from './calendar.ts';
import { type Rng } from './random.ts';


/** Gentle upward trend (~1.8 %/month) times a seasonal wobble (summer and December dips). */
export const SEASONAL: Record<number, number> = {
  1: 1.08, 2: 1.05, 3: 1.07, 4: 1.0, 5: 0.98, 6: 0.93,
  7: 0.88, 8: 0.86, 9: 1.02, 10: 1.06, 11: 1.0, 12: 0.85,
};
export const demand = (m: Month) => (1 + 0.018 * m.index) * (SEASONAL[m.month] ?? 1);

export interface SourceProfile {
  /** share of new leads */
  weight: number;
  /** lead → MQL probability */
  mql: number;
  /** MQL → SQL probability */
  sql: number;
  /** SQL acceptance probability */
  accept: number;
  /** opportunity win probability */
  win: number;
}
export const SOURCES: Record<string, SourceProfile> = {
  'Organic Search': { weight: 24, mql: 0.38, sql: 0.3, accept: 0.8, win: 0.29 },
  'Paid Search': { weight: 17, mql: 0.42, sql: 0.26, accept: 0.78, win: 0.25 },
  'Paid Social': { weight: 14, mql: 0.36, sql: 0.12, accept: 0.7, win: 0.21 },
  'Email Marketing': { weight: 10, mql: 0.4, sql: 0.27, accept: 0.8, win: 0.27 },
  Referrals: { weight: 7, mql: 0.45, sql: 0.55, accept: 0.9, win: 0.37 },
  'Direct Traffic': { weight: 11, mql: 0.37, sql: 0.26, accept: 0.8, win: 0.27 },
  Webinar: { weight: 6, mql: 0.5, sql: 0.52, accept: 0.86, win: 0.33 },
  Outbound: { weight: 7, mql: 0.44, sql: 0.4, accept: 0.72, win: 0.25 },
  Events: { weight: 4, mql: 0.46, sql: 0.42, accept: 0.82, win: 0.30 },
};
export const SOURCE_NAMES = Object.keys(SOURCES);
export const SALES_SOURCED = new Set(['Outbound']);
/** share of accepted SQLs that get an opportunity */
export const OPP_RATE = 0.7;

export interface Event {
  name: string;
  day: number; // day of month
  cost: number;
  size: number; // lead multiplier for the Events source
}
export interface Webinar {
  name: string;
  day: number;
}

export const WEBINAR_TOPICS = [
  'Pipeline Math 101', 'Attribution Without Tears', 'Building a Revenue Scorecard', 'SQL Handoffs That Work',
  'Board-Ready Marketing Metrics', 'Forecasting for RevOps', 'CAC Payback Deep Dive', 'Lifecycle Emails that Convert',
  'ABM on a Budget', 'From MQL to Revenue', 'Benchmarking Your Funnel', 'Churn Signals in Product Data',
];
export const EVENTS: readonly { name: string; cost: number; size: number }[] = [
  { name: 'Event: SaaStr Europa', cost: 14_500, size: 2.2 },
  { name: 'Event: Münchner SaaS Summit', cost: 4_200, size: 1.0 },
  { name: 'Event: Web Summit Lisboa', cost: 12_800, size: 2.0 },
  { name: 'Event: RevOps Meetup São Paulo', cost: 1_900, size: 0.6 },
  { name: 'Event: Dreamforce', cost: 16_000, size: 2.4 },
  { name: 'Event: B2B Marketing Forum', cost: 6_500, size: 1.2 },
  { name: 'Event: Growth Breakfast Zürich', cost: 2_300, size: 0.7 },
];

export const isQ3 = (m: Month) => m.month >= 7 && m.month <= 9;
export const Q3_CAMPAIGN = 'Q3 Launch, EMEA';

export function campaignFor(rng: Rng, source: string, m: Month, webinars: Webinar[], event: Event): string {
  switch (source) {
    case 'Organic Search':
      return rng.weighted([['google', 85], ['bing', 10], ['duckduckgo', 5]] as const);
    case 'Paid Search':
      return rng.weighted([['Brand - Search', 35], ['Generic - Search', 65]] as const);
    case 'Paid Social':
      return rng.weighted([['LinkedIn - Lead Gen', 60], ['Meta - Retargeting', 40]] as const);
    case 'Email Marketing':
      return isQ3(m) && rng.chance(0.45) ? Q3_CAMPAIGN : 'Monthly Newsletter';
    case 'Referrals':
      return rng.weighted([['g2.com', 40], ['capterra.com', 25], ['Partner: Nordström Consulting', 20], ['Customer referral', 15]] as const);
    case 'Direct Traffic':
      return rng.chance(0.7) ? '' : rng.pick(['/pricing', '/demo', '/']);
    case 'Webinar':
      return rng.pick(webinars).name;
    case 'Outbound':
      return rng.weighted([['SDR sequence – EMEA', 45], ['SDR sequence – NA', 55]] as const);
    case 'Events':
      return event.name;
    default:
      return '';
  }
}
