/** Daily spend (paid media, webinar / event / email costs, the SDR team) and daily GA4 web traffic. */
import { ALL_MONTHS, DAY_MS, weekday } from './calendar.ts';
import { round2 } from './format.ts';
import { Q3_CAMPAIGN, SEASONAL, demand, isQ3, type Event, type Webinar } from './market.ts';
import { type Rng } from './random.ts';
import { type SpendRow, type TrafficRow } from './world.ts';

export function simulateSpend(rng: Rng, webinars: ReadonlyMap<string, Webinar[]>, events: ReadonlyMap<string, Event>): Map<string, SpendRow[]> {
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
  return spend;
}

export function simulateTraffic(rng: Rng): Map<string, TrafficRow[]> {
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
  return traffic;
}
