/**
 * Deterministic generator of realistic sample exports for all five datasets
 * (leads, opportunities, spend, customers, web_traffic), one file per month per dataset,
 * laid out like the bucket's `incoming/` prefix: `samples/<dataset>/<file>`.
 *
 * Everything is derived from a seeded PRNG (mulberry32) and a fixed month range, so two runs
 * produce byte-identical files. `generateSamples()` is pure; running this file as a script
 * (`npm run samples` / `npx tsx scripts/generate-samples.ts`) writes the files to `samples/`.
 *
 * See samples/README.md (also generated here) for what each file set imitates.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Fixed range
// ---------------------------------------------------------------------------------------------

/** First month that has sample files. */
export const FIRST_MONTH = '2025-09';
/** Last (latest closed) month that has sample files. */
export const LAST_MONTH = '2026-10';
/** No date in the samples lies after this day (except open opportunities' expected close dates). */
export const RANGE_END_DATE = '2026-10-31';
/** Months of simulated history before FIRST_MONTH: their leads are not written, but their deals and customers flow into the range. */
const PRE_HISTORY_MONTHS = 6;
export const DEFAULT_SEED = 20261055;

export const DATASETS = ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const;
export type Dataset = (typeof DATASETS)[number];

/** File name prefix per dataset; the file is `<prefix>-<YYYY-MM>.csv`, so name order = chronological order. */
export const FILE_PREFIX: Record<Dataset, string> = {
  leads: 'hubspot-contacts',
  opportunities: 'salesforce-opportunities',
  spend: 'google-ads-cost',
  customers: 'billing-customers',
  web_traffic: 'ga4-traffic-acquisition',
};

export function sampleFileName(dataset: Dataset, month: string): string {
  return `${dataset}/${FILE_PREFIX[dataset]}-${month}.csv`;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

interface Month {
  id: string; // YYYY-MM
  year: number;
  month: number; // 1..12
  index: number; // 0 = FIRST_MONTH, negative = pre-history
  startMs: number;
  endMs: number; // exclusive: first instant of next month
  days: number;
}

function monthFrom(year: number, month: number, index: number): Month {
  const startMs = Date.UTC(year, month - 1, 1);
  const endMs = Date.UTC(year, month, 1);
  return {
    id: `${year}-${String(month).padStart(2, '0')}`,
    year,
    month,
    index,
    startMs,
    endMs,
    days: Math.round((endMs - startMs) / DAY_MS),
  };
}

function buildMonths(): Month[] {
  const [fy, fm] = FIRST_MONTH.split('-').map(Number) as [number, number];
  const [ly, lm] = LAST_MONTH.split('-').map(Number) as [number, number];
  const out: Month[] = [];
  let y = fy;
  let m = fm;
  for (let i = 0; i < PRE_HISTORY_MONTHS; i++) {
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  let index = -PRE_HISTORY_MONTHS;
  for (;;) {
    out.push(monthFrom(y, m, index));
    if (y === ly && m === lm) break;
    index += 1;
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const ALL_MONTHS = buildMonths();
/** The months that get files, oldest first. */
export const SAMPLE_MONTHS: readonly string[] = ALL_MONTHS.filter((m) => m.index >= 0).map((m) => m.id);
/** First instant after the range (2026-11-01T00:00Z). */
const END_EXCL = (ALL_MONTHS[ALL_MONTHS.length - 1] as Month).endMs;
const RANGE_START = (ALL_MONTHS.find((m) => m.index === 0) as Month).startMs;

function monthOf(ms: number): Month {
  const m = ALL_MONTHS.find((x) => ms >= x.startMs && ms < x.endMs);
  if (!m) throw new Error(`no month for ${new Date(ms).toISOString()}`);
  return m;
}

// ---------------------------------------------------------------------------------------------
// PRNG and distributions
// ---------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Multiplicative noise around 1 (lognormal with the given sigma). */
  noise(sigma: number): number {
    return Math.exp(this.normal(0, sigma));
  }
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
/** HubSpot style `YYYY-MM-DD HH:mm` (reporting time zone, UTC). */
function hubspotTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${isoDate(ms)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}
/** Salesforce style `M/D/YYYY`. */
function slashDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}
/** GA4 style `YYYYMMDD`. */
function compactDate(ms: number): string {
  return isoDate(ms).replaceAll('-', '');
}
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
function longDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}
/** `$12,500.00` */
function usd(amount: number): string {
  const [int, frac] = amount.toFixed(2).split('.') as [string, string];
  return `$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
const round2 = (x: number) => Math.round(x * 100) / 100;
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const weekday = (ms: number) => new Date(ms).getUTCDay(); // 0 = Sunday

function csvField(value: string, alwaysQuote: boolean): string {
  if (alwaysQuote || /[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
function csvLines(rows: readonly (readonly string[])[], eol: string, alwaysQuote = false): string {
  return rows.map((r) => r.map((v) => csvField(v, alwaysQuote)).join(',')).join(eol) + eol;
}

// ---------------------------------------------------------------------------------------------
// Business model
// ---------------------------------------------------------------------------------------------

/** Gentle upward trend (~1.8 %/month) times a seasonal wobble (summer and December dips). */
const SEASONAL: Record<number, number> = {
  1: 1.08, 2: 1.05, 3: 1.07, 4: 1.0, 5: 0.98, 6: 0.93,
  7: 0.88, 8: 0.86, 9: 1.02, 10: 1.06, 11: 1.0, 12: 0.85,
};
const demand = (m: Month) => (1 + 0.018 * m.index) * (SEASONAL[m.month] ?? 1);

interface SourceProfile {
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
const SOURCES: Record<string, SourceProfile> = {
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
const SOURCE_NAMES = Object.keys(SOURCES);
const SALES_SOURCED = new Set(['Outbound']);
/** share of accepted SQLs that get an opportunity */
const OPP_RATE = 0.7;

interface Event {
  name: string;
  day: number; // day of month
  cost: number;
  size: number; // lead multiplier for the Events source
}
interface Webinar {
  name: string;
  day: number;
}

const WEBINAR_TOPICS = [
  'Pipeline Math 101', 'Attribution Without Tears', 'Building a Revenue Scorecard', 'SQL Handoffs That Work',
  'Board-Ready Marketing Metrics', 'Forecasting for RevOps', 'CAC Payback Deep Dive', 'Lifecycle Emails that Convert',
  'ABM on a Budget', 'From MQL to Revenue', 'Benchmarking Your Funnel', 'Churn Signals in Product Data',
];
const EVENTS: readonly { name: string; cost: number; size: number }[] = [
  { name: 'Event: SaaStr Europa', cost: 14_500, size: 2.2 },
  { name: 'Event: Münchner SaaS Summit', cost: 4_200, size: 1.0 },
  { name: 'Event: Web Summit Lisboa', cost: 12_800, size: 2.0 },
  { name: 'Event: RevOps Meetup São Paulo', cost: 1_900, size: 0.6 },
  { name: 'Event: Dreamforce', cost: 16_000, size: 2.4 },
  { name: 'Event: B2B Marketing Forum', cost: 6_500, size: 1.2 },
  { name: 'Event: Growth Breakfast Zürich', cost: 2_300, size: 0.7 },
];

const isQ3 = (m: Month) => m.month >= 7 && m.month <= 9;
const Q3_CAMPAIGN = 'Q3 Launch, EMEA';

function campaignFor(rng: Rng, source: string, m: Month, webinars: Webinar[], event: Event): string {
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

// People and companies (a few non-ASCII names on purpose).
const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Priya', 'Wei', 'Ahmed',
  'Olivia', 'Lucas', 'Emma', 'Noah', 'Sofia', 'Liam', 'Mia', 'Ethan', 'Chloe', 'Aisha', 'Kenji', 'Fatima', 'Mateo',
  'José', 'Zoë', 'Björn', 'Łukasz', 'François', 'Søren', 'Ana María', 'Renée', 'Jürgen', 'Inès',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
  'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Patel', 'Chen', 'Nguyen',
  'Kim', 'Singh', 'Rossi', 'Novak', 'Schmidt', 'Dubois', 'Jensen', "O'Brien", 'Müller', 'García', 'Núñez',
  'Kowalczyk', 'Ødegaard', 'Çelik', 'Sánchez', '山田', 'Lindqvist',
];
const COMPANY_WORDS_A = [
  'Acme', 'Brightline', 'Nordwind', 'Bluepeak', 'Cobalt', 'Evergreen', 'Foxglove', 'Granite', 'Helix', 'Ironwood',
  'Juniper', 'Keystone', 'Lumen', 'Meridian', 'Northstar', 'Orbit', 'Pinnacle', 'Quartz', 'Redwood', 'Summit',
  'Tidal', 'Umbra', 'Vertex', 'Willow', 'Zenith', 'Atlas', 'Beacon', 'Crescent', 'Delta', 'Ember', 'Fjord',
  'Größe', 'Étoile', 'Kōgen',
];
const COMPANY_WORDS_B = [
  'Analytics', 'Labs', 'Systems', 'Software', 'Logistics', 'Health', 'Robotics', 'Cloud', 'Data', 'Media',
  'Retail', 'Energy', 'Foods', 'Capital', 'Networks', 'Studios', 'Works', 'Partners',
];
const COMPANY_SUFFIXES = ['', '', '', 'Inc.', 'Ltd', 'GmbH', 'LLC', 'S.A.', 'AB', 'B.V.'];
const OWNERS = ['Dana Whitfield', 'Marco Bianchi', 'Zoë Schäfer', 'Kwame Mensah', 'Hannah Lee', 'Raúl Ortega'];
const MESSAGES = [
  'Interested in a demo for our team.',
  'Hi,\nwe would like pricing for 25 seats, billed annually.',
  'Saw your talk — can we set up a call next week?',
  'Please send the "Benchmark Report" PDF.',
  'We use Salesforce, HubSpot and Google Ads; does it integrate with all three?',
  'Hello,\n\nLooking for a replacement for our current spreadsheet process.\nThanks!',
];

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

interface Company {
  name: string;
  domain: string;
}
function makeCompany(rng: Rng): Company {
  if (rng.chance(0.004)) return { name: 'Café "Central" GmbH', domain: 'cafe-central.at' };
  const a = rng.pick(COMPANY_WORDS_A);
  const b = rng.pick(COMPANY_WORDS_B);
  const suffix = rng.pick(COMPANY_SUFFIXES);
  const base = `${a} ${b}`;
  const name = suffix === '' ? base : suffix === 'Inc.' || suffix === 'LLC' ? `${base}, ${suffix}` : `${base} ${suffix}`;
  const tld = suffix === 'GmbH' ? 'de' : suffix === 'Ltd' ? 'co.uk' : suffix === 'AB' ? 'se' : suffix === 'B.V.' ? 'nl' : suffix === 'S.A.' ? 'es' : 'com';
  return { name, domain: `${asciiSlug(a) || 'co'}${asciiSlug(b)}.${tld}` };
}

// ---------------------------------------------------------------------------------------------
// Simulation
// ---------------------------------------------------------------------------------------------

interface Opportunity {
  id: string;
  name: string;
  account: string;
  owner: string;
  createdMs: number; // day
  plannedCloseMs: number; // day
  outcome: 'won' | 'lost';
  amount: number;
  leadId: string;
  source: string;
}

interface Lead {
  id: string;
  createdMs: number;
  source: string;
  campaign: string;
  firstName: string;
  lastName: string;
  email: string;
  company: Company;
  message: string;
  mqlMs?: number;
  sqlMs?: number;
  sqlStatus?: 'Accepted' | 'Rejected';
  customerMs?: number;
  opportunity?: Opportunity;
}

interface Customer {
  id: string;
  startedMs: number; // day
  churnedMs?: number; // day
  mrr: number;
  marketingSourced: boolean;
  fileMonth: string; // month whose file first lists the customer
}

interface SpendRow {
  dayMs: number;
  campaign: string;
  channel: string;
  category: 'marketing' | 'sales';
  cost: number;
}

interface TrafficRow {
  dayMs: number;
  channel: string;
  sessions: number;
  engaged: number;
  keyEvents: number;
}

interface World {
  leads: Lead[];
  opportunities: Opportunity[];
  customers: Customer[];
  spend: Map<string, SpendRow[]>;
  traffic: Map<string, TrafficRow[]>;
  webinars: Map<string, Webinar[]>;
  events: Map<string, Event>;
}

/** Lead creation time: a weekday-weighted day of the month, business-hours-weighted time of day. */
function randomCreateTime(rng: Rng, m: Month): number {
  const dayWeights: [number, number][] = [];
  for (let d = 0; d < m.days; d++) {
    const wd = weekday(m.startMs + d * DAY_MS);
    dayWeights.push([d, wd === 0 || wd === 6 ? 0.45 : 1]);
  }
  const d = rng.weighted(dayWeights);
  const hour = rng.chance(0.8) ? rng.int(8, 18) : rng.int(0, 23);
  return m.startMs + d * DAY_MS + hour * 3_600_000 + rng.int(0, 59) * MINUTE_MS;
}

/** A business-hours time on the given day. */
function timeOnDay(rng: Rng, dayMs: number): number {
  return dayMs + rng.int(9, 17) * 3_600_000 + rng.int(0, 59) * MINUTE_MS;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function salesforceId(n: number): string {
  let s = '';
  let x = n;
  for (let i = 0; i < 6; i++) {
    s = (BASE62[x % 62] as string) + s;
    x = Math.floor(x / 62);
  }
  return `006Hs0000${s}IAG`; // 18 characters, like a real case-insensitive Salesforce id
}

function openStage(createdMs: number, plannedCloseMs: number, asOfMs: number): { stage: string; probability: number } {
  const span = Math.max(plannedCloseMs - createdMs, DAY_MS);
  const frac = (asOfMs - createdMs) / span;
  if (frac < 0.2) return { stage: 'Prospecting', probability: 10 };
  if (frac < 0.45) return { stage: 'Qualification', probability: 20 };
  if (frac < 0.65) return { stage: 'Needs Analysis', probability: 40 };
  if (frac < 0.85) return { stage: 'Proposal/Price Quote', probability: 60 };
  return { stage: 'Negotiation/Review', probability: 80 };
}

function simulate(seed: number): World {
  const rng = new Rng(seed);
  const leads: Lead[] = [];
  const opportunities: Opportunity[] = [];
  const webinars = new Map<string, Webinar[]>();
  const events = new Map<string, Event>();
  let nextLeadId = 78_230_114_501;
  let nextOppSeq = 9_000_000;
  let topic = 0;

  for (const m of ALL_MONTHS) {
    // Marketing calendar of the month: two webinars (a Tuesday/Thursday), one event.
    const weekdays: number[] = [];
    for (let d = 0; d < m.days; d++) {
      const wd = weekday(m.startMs + d * DAY_MS);
      if (wd === 2 || wd === 4) weekdays.push(d + 1);
    }
    const w1 = weekdays[rng.int(0, Math.floor(weekdays.length / 2) - 1)] as number;
    const w2 = weekdays[rng.int(Math.ceil(weekdays.length / 2), weekdays.length - 1)] as number;
    const monthWebinars: Webinar[] = [
      { name: `Webinar: ${WEBINAR_TOPICS[topic++ % WEBINAR_TOPICS.length]}`, day: w1 },
      { name: `Webinar: ${WEBINAR_TOPICS[topic++ % WEBINAR_TOPICS.length]}`, day: w2 },
    ];
    webinars.set(m.id, monthWebinars);
    const ev = EVENTS[(m.index + PRE_HISTORY_MONTHS) % EVENTS.length] as (typeof EVENTS)[number];
    const event: Event = { name: ev.name, day: rng.int(5, 24), cost: round2(ev.cost * rng.noise(0.08)), size: ev.size };
    events.set(m.id, event);

    // New leads of the month.
    const count = Math.round(395 * demand(m) * rng.noise(0.05));
    const weights = SOURCE_NAMES.map((s) => {
      const p = SOURCES[s] as SourceProfile;
      let w = p.weight;
      if (s === 'Events') w *= event.size;
      if (s === 'Email Marketing' && isQ3(m)) w *= 1.35;
      return [s, w] as const;
    });
    const createTimes: number[] = [];
    for (let i = 0; i < count; i++) createTimes.push(randomCreateTime(rng, m));
    createTimes.sort((a, b) => a - b);

    for (const createdMs of createTimes) {
      nextLeadId += rng.int(1, 60);
      const source = rng.weighted(weights);
      const profile = SOURCES[source] as SourceProfile;
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      const company = makeCompany(rng);
      const local = [asciiSlug(firstName), asciiSlug(lastName)].filter((x) => x !== '').join('.') || 'contact';
      const lead: Lead = {
        id: String(nextLeadId),
        createdMs,
        source,
        campaign: campaignFor(rng, source, m, monthWebinars, event),
        firstName,
        lastName,
        email: `${local}@${company.domain}`,
        company,
        message: rng.chance(0.03) ? rng.pick(MESSAGES) : '',
      };
      leads.push(lead);

      // Funnel, on the "true" timeline; anything after the range end is simply not reached yet.
      if (!rng.chance(profile.mql * rng.range(0.93, 1.07))) continue;
      const mqlDelay = rng.weighted([
        [rng.int(2, 240) * MINUTE_MS, 50], // same session / same day
        [rng.range(1, 7) * DAY_MS, 35],
        [rng.range(7, 30) * DAY_MS, 15],
      ] as const);
      const mqlMs = createdMs + Math.round(mqlDelay / MINUTE_MS) * MINUTE_MS;
      if (mqlMs >= END_EXCL) continue;
      lead.mqlMs = mqlMs;

      if (!rng.chance(profile.sql)) continue;
      // SQL: some days after the MQL, at a business-hours time (never before the MQL).
      const sqlDay = dayStart(mqlMs + (rng.range(0.5, 3) + rng.exp(5)) * DAY_MS);
      const sqlMs = Math.max(timeOnDay(rng, sqlDay), mqlMs + rng.int(15, 90) * MINUTE_MS);
      if (sqlMs >= END_EXCL) continue;
      lead.sqlMs = sqlMs;
      const accepted = rng.chance(profile.accept);
      lead.sqlStatus = accepted ? 'Accepted' : 'Rejected';
      if (!accepted || !rng.chance(OPP_RATE)) continue;

      const oppCreated = dayStart(sqlMs) + rng.int(1, 21) * DAY_MS;
      if (oppCreated >= END_EXCL) continue;
      const won = rng.chance(profile.win);
      const plannedClose = oppCreated + (won ? rng.int(30, 120) : rng.int(14, 100)) * DAY_MS;
      const amount = Math.min(80_000, Math.max(1_500, Math.round((8_500 * rng.noise(0.55)) / 50) * 50));
      const opp: Opportunity = {
        id: salesforceId(nextOppSeq),
        name: `${company.name} - New Business`,
        account: company.name,
        owner: rng.pick(OWNERS),
        createdMs: oppCreated,
        plannedCloseMs: plannedClose,
        outcome: won ? 'won' : 'lost',
        amount,
        leadId: lead.id,
        source,
      };
      nextOppSeq += rng.int(1, 400);
      lead.opportunity = opp;
      opportunities.push(opp);
      if (won && plannedClose < END_EXCL) lead.customerMs = timeOnDay(rng, plannedClose);
    }
  }

  // Customers: an existing base, then one per won deal; monthly churn of 1.5–3 %.
  const customers: Customer[] = [];
  const baseStart = Date.UTC(2021, 2, 1);
  const baseEnd = RANGE_START - DAY_MS;
  let baseId = 10_417;
  for (let i = 0; i < 200; i++) {
    baseId += rng.int(1, 9);
    const startedMs = dayStart(rng.range(baseStart, baseEnd));
    customers.push({
      id: `C-${baseId}`,
      startedMs,
      mrr: Math.min(2_000, Math.max(200, Math.round((600 * rng.noise(0.6)) / 10) * 10)),
      marketingSourced: rng.chance(0.6),
      fileMonth: SAMPLE_MONTHS[0] as string,
    });
  }
  customers.sort((a, b) => a.startedMs - b.startedMs || a.id.localeCompare(b.id));
  const leadCustomers = leads
    .filter((l) => l.customerMs !== undefined && l.opportunity !== undefined)
    .sort((a, b) => (a.customerMs as number) - (b.customerMs as number));
  for (const l of leadCustomers) {
    const startedMs = dayStart(l.customerMs as number);
    if (startedMs < RANGE_START) continue; // before the range: part of the existing base already
    customers.push({
      id: `C-${l.id}`,
      startedMs,
      mrr: Math.min(2_000, Math.max(200, round2((l.opportunity as Opportunity).amount / 12))),
      marketingSourced: !SALES_SOURCED.has(l.source),
      fileMonth: monthOf(startedMs).id,
    });
  }
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const churnRate = rng.range(0.015, 0.03);
    for (const c of customers) {
      if (c.startedMs >= m.startMs || c.churnedMs !== undefined) continue; // only customers active at the start
      if (rng.chance(churnRate)) c.churnedMs = m.startMs + rng.int(0, m.days - 1) * DAY_MS;
    }
  }

  // Spend: daily paid media, webinar / event / email costs on their days, one sales row a month.
  const spend = new Map<string, SpendRow[]>();
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const rows: SpendRow[] = [];
    const growth = 1 + 0.015 * m.index;
    rows.push({ dayMs: m.startMs, campaign: 'SDR team (salaries + tools)', channel: 'Outbound', category: 'sales', cost: round2(24_000 * (1 + 0.01 * m.index) * rng.noise(0.02)) });
    rows.push({ dayMs: m.startMs, campaign: 'Monthly Newsletter', channel: 'Email Marketing', category: 'marketing', cost: 450 });
    const mw = webinars.get(m.id) as Webinar[];
    const ev = events.get(m.id) as Event;
    for (let d = 0; d < m.days; d++) {
      const day = m.startMs + d * DAY_MS;
      const wd = weekday(day);
      const wk = wd === 0 || wd === 6 ? 0.65 : 1;
      const season = SEASONAL[m.month] ?? 1;
      rows.push({ dayMs: day, campaign: 'Brand - Search', channel: 'Paid Search', category: 'marketing', cost: round2(85 * growth * wk * rng.noise(0.15)) });
      rows.push({ dayMs: day, campaign: 'Generic - Search', channel: 'Paid Search', category: 'marketing', cost: round2(255 * growth * season * wk * rng.noise(0.12)) });
      rows.push({ dayMs: day, campaign: 'LinkedIn - Lead Gen', channel: 'Paid Social', category: 'marketing', cost: round2(150 * growth * wk * rng.noise(0.18)) });
      rows.push({ dayMs: day, campaign: 'Meta - Retargeting', channel: 'Paid Social', category: 'marketing', cost: round2(55 * growth * rng.noise(0.2)) });
      for (const w of mw) {
        if (w.day === d + 1) rows.push({ dayMs: day, campaign: w.name, channel: 'Webinar', category: 'marketing', cost: round2(rng.range(600, 1_400)) });
      }
      if (ev.day === d + 1) rows.push({ dayMs: day, campaign: ev.name, channel: 'Events', category: 'marketing', cost: ev.cost });
      if (isQ3(m) && d + 1 === 10) rows.push({ dayMs: day, campaign: Q3_CAMPAIGN, channel: 'Email Marketing', category: 'marketing', cost: round2(rng.range(900, 1_500)) });
    }
    rows.sort((a, b) => a.dayMs - b.dayMs);
    spend.set(m.id, rows);
  }

  // Web traffic (GA4 channel groups), daily.
  const CHANNELS: readonly { name: string; share: number; engaged: number; conv: number }[] = [
    { name: 'Organic Search', share: 0.42, engaged: 0.62, conv: 0.012 },
    { name: 'Direct', share: 0.22, engaged: 0.58, conv: 0.01 },
    { name: 'Paid Search', share: 0.14, engaged: 0.55, conv: 0.024 },
    { name: 'Paid Social', share: 0.09, engaged: 0.38, conv: 0.008 },
    { name: 'Referral', share: 0.07, engaged: 0.66, conv: 0.02 },
    { name: 'Email', share: 0.06, engaged: 0.7, conv: 0.018 },
  ];
  const traffic = new Map<string, TrafficRow[]>();
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const rows: TrafficRow[] = [];
    for (let d = 0; d < m.days; d++) {
      const day = m.startMs + d * DAY_MS;
      const wd = weekday(day);
      const wk = wd === 0 || wd === 6 ? 0.55 : 1.12;
      for (const ch of CHANNELS) {
        const sessions = Math.max(0, Math.round(1_150 * demand(m) * ch.share * wk * rng.noise(0.12)));
        const engaged = Math.min(sessions, Math.round(sessions * ch.engaged * rng.noise(0.05)));
        const keyEvents = Math.min(engaged, Math.round(sessions * ch.conv * rng.noise(0.3)));
        rows.push({ dayMs: day, channel: ch.name, sessions, engaged, keyEvents });
      }
    }
    traffic.set(m.id, rows);
  }

  return { leads, opportunities, customers, spend, traffic, webinars, events };
}

// ---------------------------------------------------------------------------------------------
// Rendering, one tool dialect per dataset
// ---------------------------------------------------------------------------------------------

const LEADS_HEADER = [
  'Record ID', 'First Name', 'Last Name', 'Email', 'Company Name', 'Lifecycle Stage', 'Create Date',
  'Original Source', 'Original Source Drill-Down 1', 'Became a Marketing Qualified Lead Date',
  'Became a Sales Qualified Lead Date', 'SQL Status', 'Became a Customer Date', 'Message',
];

function lifecycleStage(l: Lead): string {
  if (l.customerMs !== undefined) return 'Customer';
  if (l.opportunity !== undefined) return 'Opportunity';
  if (l.sqlMs !== undefined) return 'Sales Qualified Lead';
  if (l.mqlMs !== undefined) return 'Marketing Qualified Lead';
  return 'Lead';
}

/** HubSpot contacts export: UTF-8, comma, CRLF, quoted only when needed; state as of the end of the range. */
function renderLeads(leads: Lead[]): string {
  const rows = leads.map((l) => [
    l.id,
    l.firstName,
    l.lastName,
    l.email,
    l.company.name,
    lifecycleStage(l),
    hubspotTimestamp(l.createdMs),
    l.source,
    l.campaign,
    l.mqlMs !== undefined ? hubspotTimestamp(l.mqlMs) : '',
    l.sqlMs !== undefined ? hubspotTimestamp(l.sqlMs) : '',
    l.sqlStatus ?? '',
    l.customerMs !== undefined ? hubspotTimestamp(l.customerMs) : '',
    l.message,
  ]);
  return csvLines([LEADS_HEADER, ...rows], '\r\n');
}

const OPP_HEADER = [
  'Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Probability (%)', 'Amount',
  'Created Date', 'Close Date', 'Lead Source', 'Lead ID',
];

/** Salesforce report export: every field quoted, M/D/YYYY dates, `$12,500.00` amounts, LF. */
function renderOpportunities(opps: Opportunity[], m: Month): string {
  const rows: string[][] = [];
  const closedIn = (o: Opportunity) => o.plannedCloseMs >= m.startMs && o.plannedCloseMs < m.endMs && o.plannedCloseMs < END_EXCL;
  const createdIn = (o: Opportunity) => o.createdMs >= m.startMs && o.createdMs < m.endMs;
  const inFile = opps
    .filter((o) => createdIn(o) || closedIn(o))
    .sort((a, b) => (createdIn(a) ? a.createdMs : a.plannedCloseMs) - (createdIn(b) ? b.createdMs : b.plannedCloseMs) || a.id.localeCompare(b.id));
  for (const o of inFile) {
    // As of this month's export: closed if the close date has passed, else an open stage with the expected close date.
    const closed = o.plannedCloseMs < m.endMs && o.plannedCloseMs < END_EXCL;
    const asOf = Math.min(m.endMs, END_EXCL) - DAY_MS;
    const { stage, probability } = closed
      ? o.outcome === 'won'
        ? { stage: 'Closed Won', probability: 100 }
        : { stage: 'Closed Lost', probability: 0 }
      : openStage(o.createdMs, o.plannedCloseMs, asOf);
    rows.push([
      o.id, o.name, o.account, o.owner, stage, String(probability), usd(o.amount),
      slashDate(o.createdMs), slashDate(o.plannedCloseMs), o.source, o.leadId,
    ]);
  }
  return csvLines([OPP_HEADER, ...rows], '\n', true);
}

/** Google Ads style: title line, date-range line, header, daily rows, a `Total: Account` summary row. */
function renderSpend(rows: SpendRow[], m: Month): string {
  const total = round2(rows.reduce((s, r) => s + r.cost, 0));
  const body: string[][] = rows.map((r) => [isoDate(r.dayMs), r.campaign, r.channel, r.category, r.cost.toFixed(2), 'USD']);
  body.push(['Total: Account', '', '', '', total.toFixed(2), '']);
  const preamble = `Campaign report\n${csvField(`${longDate(m.startMs)} - ${longDate(m.endMs - DAY_MS)}`, false)}\n`;
  return preamble + csvLines([['Day', 'Campaign', 'Channel', 'Category', 'Cost', 'Currency code'], ...body], '\n');
}

/** A billing / spreadsheet export saved from Excel as "CSV UTF-8": BOM, comma, CRLF. */
function renderCustomers(customers: Customer[], m: Month): string {
  const rows: string[][] = [];
  const inMonth = (ms: number | undefined) => ms !== undefined && ms >= m.startMs && ms < m.endMs;
  const listed = new Set<string>();
  const row = (c: Customer) => [
    c.id,
    isoDate(c.startedMs),
    // the churn date as known at this month's export
    c.churnedMs !== undefined && c.churnedMs < m.endMs ? isoDate(c.churnedMs) : '',
    c.mrr.toFixed(2),
    c.marketingSourced ? 'yes' : 'no',
  ];
  for (const c of customers) {
    if (c.fileMonth === m.id) {
      rows.push(row(c));
      listed.add(c.id);
    }
  }
  const churned = customers
    .filter((c) => inMonth(c.churnedMs) && !listed.has(c.id))
    .sort((a, b) => (a.churnedMs as number) - (b.churnedMs as number) || a.id.localeCompare(b.id));
  for (const c of churned) rows.push(row(c));
  return '\uFEFF' + csvLines([['Customer ID', 'Customer Since', 'Churn Date', 'MRR', 'Marketing Sourced'], ...rows], '\r\n');
}

/** GA4 "Traffic acquisition" CSV download: `#` comment preamble, blank line, header, YYYYMMDD dates. */
function renderTraffic(rows: TrafficRow[], m: Month): string {
  const preamble = [
    '# ----------------------------------------',
    '# Traffic acquisition: Session primary channel group (Default Channel Group)',
    '# Account: Acme Analytics',
    '# Property: acme.example - GA4',
    '# ----------------------------------------',
    '#',
    '# All Users',
    `# Start date: ${compactDate(m.startMs)}`,
    `# End date: ${compactDate(m.endMs - DAY_MS)}`,
    '# ----------------------------------------',
    '',
  ].join('\n');
  const body = rows.map((r) => [compactDate(r.dayMs), r.channel, String(r.sessions), String(r.engaged), String(r.keyEvents)]);
  return `${preamble}\n${csvLines([['Date', 'Session primary channel group', 'Sessions', 'Engaged sessions', 'Key events'], ...body], '\n')}`;
}

const README = `# Sample exports

Generated by \`scripts/generate-samples.ts\` (\`npm run samples\`) from a seeded PRNG: deterministic, do not edit by
hand — \`test/unit/samples.test.ts\` fails when these files drift from the generator.

Fourteen calendar months, ${FIRST_MONTH} through ${LAST_MONTH} (the latest closed period is ${LAST_MONTH}; ${LAST_MONTH}
has a year-over-year comparison with 2025-10). One file per dataset per month, laid out like the bucket's
\`incoming/<dataset>/\` prefix; file names end in \`YYYY-MM\`, so name order is chronological (upload order).
No date lies after ${RANGE_END_DATE}, except the expected close date of opportunities that are still open.

| folder | imitates | dialect |
|---|---|---|
| \`leads/hubspot-contacts-YYYY-MM.csv\` | HubSpot contacts export (Record ID, Create Date, Original Source, Original Source Drill-Down 1, Became a … Date, SQL Status, plus unknown columns such as Email and Message) | UTF-8, comma, CRLF; \`YYYY-MM-DD HH:mm\` timestamps (UTC); quoted fields with commas, doubled quotes and line breaks; non-ASCII names |
| \`opportunities/salesforce-opportunities-YYYY-MM.csv\` | Salesforce opportunity report (Opportunity ID, Stage, Amount, Created Date, Close Date, Lead Source, Lead ID) | every field quoted, LF, \`M/D/YYYY\` dates, \`$12,500.00\` amounts |
| \`spend/google-ads-cost-YYYY-MM.csv\` | Google Ads cost report, extended with Channel and Category columns (webinar, event and email costs; the SDR team as \`sales\`) | title and date-range preamble lines, daily rows, a \`Total: Account\` summary row, plain \`1234.56\` money, currency USD |
| \`customers/billing-customers-YYYY-MM.csv\` | a billing-system / spreadsheet export (Customer ID, Customer Since, Churn Date, MRR, Marketing Sourced) | Excel "CSV UTF-8": BOM, comma, CRLF, ISO dates, yes/no booleans |
| \`web_traffic/ga4-traffic-acquisition-YYYY-MM.csv\` | GA4 Traffic acquisition report by session primary channel group | \`#\` comment preamble, blank line, \`YYYYMMDD\` dates, one row per day per channel |

How the files relate:

- **leads**: each month's file holds the contacts created that month (ids unique across all files), with their stage
  dates as known at the end of the range (${RANGE_END_DATE}); a stage not reached by then is blank. MQL dates may fall in
  a later month than the create date; SQL never precedes MQL; \`SQL Status\` is set only with an SQL date.
- **opportunities**: an opportunity is created from an accepted SQL (\`Lead ID\`), appears in the file of the month it
  was created, and again, with the closed stage, in the file of the month it closed (a later upload replaces the
  earlier record). The first months also contain closings of deals created before the range (from earlier leads that
  are not in the lead files).
- **customers**: the ${FIRST_MONTH} file holds the existing base (~200 customers who started before ${FIRST_MONTH});
  every later customer is a won deal (\`C-<lead id>\`, started on the close date, MRR = amount / 12). A month's file
  lists the customers who started that month plus an updated row (same id, churn date set) for each customer that
  churned that month.
- **spend**: daily rows per channel and campaign, category \`marketing\`, plus one \`sales\` row (channel Outbound) on
  the 1st. Channels use the lead source names, so cost per lead per channel lines up.
- **web_traffic**: daily sessions per GA4 channel group, roughly 1–2 % of sessions become leads.
`;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** All sample files: relative path under `samples/` → file content. Pure and deterministic. */
export function generateSamples(seed: number = DEFAULT_SEED): Map<string, string> {
  const world = simulate(seed);
  const files = new Map<string, string>();
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    const monthLeads = world.leads.filter((l) => l.createdMs >= m.startMs && l.createdMs < m.endMs);
    files.set(sampleFileName('leads', m.id), renderLeads(monthLeads));
    files.set(sampleFileName('opportunities', m.id), renderOpportunities(world.opportunities, m));
    files.set(sampleFileName('spend', m.id), renderSpend(world.spend.get(m.id) as SpendRow[], m));
    files.set(sampleFileName('customers', m.id), renderCustomers(world.customers, m));
    files.set(sampleFileName('web_traffic', m.id), renderTraffic(world.traffic.get(m.id) as TrafficRow[], m));
  }
  files.set('README.md', README);
  return files;
}

/** Default output directory: `<repo>/samples`. */
export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'samples');

/** Writes the files, removing stale generated CSVs from the dataset folders. */
export function writeSamples(outDir: string = SAMPLES_DIR, files: Map<string, string> = generateSamples()): void {
  for (const ds of DATASETS) {
    const dir = join(outDir, ds);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!files.has(`${ds}/${name}`)) rmSync(join(dir, name), { force: true, recursive: true });
    }
  }
  for (const [rel, content] of files) {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, 'utf8');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = generateSamples();
  writeSamples(SAMPLES_DIR, files);
  const bytes = [...files.values()].reduce((s, c) => s + Buffer.byteLength(c, 'utf8'), 0);
  console.log(`wrote ${files.size} files (${(bytes / 1024).toFixed(0)} KiB) to ${SAMPLES_DIR}`);
}
