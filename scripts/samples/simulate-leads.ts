/**
 * Leads month by month (pre-history included) and their funnel on the "true" timeline: MQL, SQL,
 * opportunity, won customer date. Also lays out each month's webinars and event, which the lead
 * campaigns and the spend refer to.
 */
import { ALL_MONTHS, DAY_MS, END_EXCL, MINUTE_MS, PRE_HISTORY_MONTHS, dayStart, type Month, weekday } from './calendar.ts';
import { round2 } from './format.ts';
import {
  EVENTS,
  OPP_RATE,
  SOURCE_NAMES,
  SOURCES,
  WEBINAR_TOPICS,
  campaignFor,
  demand,
  isQ3,
  type Event,
  type SourceProfile,
  type Webinar,
} from './market.ts';
import { FIRST_NAMES, LAST_NAMES, MESSAGES, OWNERS, asciiSlug, makeCompany } from './people.ts';
import { type Rng } from './random.ts';
import { type Lead, type Opportunity } from './world.ts';

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

export interface LeadFunnel {
  leads: Lead[];
  opportunities: Opportunity[];
  webinars: Map<string, Webinar[]>;
  events: Map<string, Event>;
}

export function simulateLeads(rng: Rng): LeadFunnel {
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
        campaign: lead.campaign,
        // Set by assignSalesFacts; the owner drawn above keeps the draws of `rng` as they were.
        region: '',
        product: '',
        segment: '',
      };
      nextOppSeq += rng.int(1, 400);
      lead.opportunity = opp;
      opportunities.push(opp);
      if (won && plannedClose < END_EXCL) lead.customerMs = timeOnDay(rng, plannedClose);
    }
  }
  return { leads, opportunities, webinars, events };
}
