/**
 * Sample exports in shapes beyond the five monthly files, each with data of its own (nothing in them is in the
 * other files): a partner team's deals in Pipedrive (a tool profile reads it as it is) and an events team's own
 * budget sheet with the `mapping.json` that explains it (made-up headers, D/M/Y dates, decimal commas, its own
 * words for the budget lines). The sheet's name sorts after `mapping.json`, so `npm run local` uploads the mapping
 * first and the sheet is accepted through it, every time (test/integration/mapping-flow.test.ts shows a sheet
 * rejected first and accepted when its mapping arrives).
 */
import { ALL_MONTHS, DAY_MS, END_EXCL, MINUTE_MS } from './calendar.ts';
import { csvLines, isoDate } from './format.ts';
import { Rng } from './random.ts';

/** A seed of their own, so the other samples stay byte for byte what they were. */
const EXTRA_SEED_OFFSET = 0x5eed_13;

const pad2 = (n: number): string => String(n).padStart(2, '0');
/** Pipedrive's `YYYY-MM-DD HH:mm:ss`. */
const pipedriveTime = (ms: number): string => {
  const d = new Date(ms);
  return `${isoDate(ms)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
};

const PARTNER_ACCOUNTS = [
  'Albatross Logistics', 'Brightwell Foods', 'Cobalt Robotics', 'Dunmore Health', 'Everlane Studios', 'Fjord Analytics',
  'Granite Insurance', 'Halcyon Travel', 'Ironbark Mining', 'Juniper Retail', 'Kestrel Energy', 'Lumen Schools',
];
const OPEN_STAGES = ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'] as const;
const PIPEDRIVE_HEADER = [
  'Deal - ID', 'Deal - Title', 'Deal - Owner', 'Deal - Value', 'Deal - Currency', 'Deal - Organization', 'Deal - Pipeline',
  'Deal - Stage', 'Deal - Status', 'Deal - Deal created', 'Deal - Won time', 'Deal - Lost time', 'Deal - Deal closed on',
  'Deal - Expected close date', 'Deal - Source channel', 'Deal - Source origin',
];

/** The partner team's Pipedrive deals, exported once at the end of the range: every deal, as it stood then. */
export function renderPartnerDeals(seed: number): string {
  const rng = new Rng(seed + EXTRA_SEED_OFFSET);
  const rows: string[][] = [];
  let id = 3001;
  for (const m of ALL_MONTHS.filter((x) => x.index >= 0)) {
    for (let n = rng.int(2, 5); n > 0; n--) {
      const created = m.startMs + rng.int(0, m.days - 1) * DAY_MS + rng.int(8 * 60, 18 * 60) * MINUTE_MS;
      const closes = created + rng.int(20, 75) * DAY_MS + rng.int(0, 8 * 60) * MINUTE_MS;
      const won = rng.chance(0.45);
      const amount = Math.round(rng.range(2_000, 15_000) / 50) * 50;
      const closed = closes < END_EXCL;
      // A won or lost deal stays in the last stage it reached: the outcome is the status, never the stage.
      const stage = closed ? rng.pick(OPEN_STAGES.slice(2)) : rng.pick(OPEN_STAGES);
      const status = closed ? (won ? 'won' : 'lost') : 'open';
      const account = rng.pick(PARTNER_ACCOUNTS);
      rows.push([
        String(id++), `${account} - Partner deal`, rng.pick(['Priya Raman', 'Lukas Brandt']), String(amount), 'USD',
        account, 'Partners', stage, status, pipedriveTime(created),
        status === 'won' ? pipedriveTime(closes) : '', status === 'lost' ? pipedriveTime(closes) : '', closed ? pipedriveTime(closes) : '',
        isoDate(closes), rng.weighted([['Partner referral', 4], ['Events', 1]] as const), rng.pick(['Manually created', 'Web forms']),
      ]);
    }
  }
  // A deal entered twice and deleted: exported too, and left out by the pipeline.
  const dup = rows[rows.length - 1]!;
  rows.push([String(id), dup[1]!, dup[2]!, dup[3]!, 'USD', dup[5]!, 'Partners', 'Qualified', 'deleted', dup[9]!, '', '', '', dup[13]!, dup[14]!, 'Manually created']);
  return csvLines([PIPEDRIVE_HEADER, ...rows], '\n');
}

const EVENTS = [
  ['SaaStr Europa', 'Trade show', 'Field marketing'], ['Customer meetup Berlin', 'Meetup', 'Field marketing'],
  ['Partner summit', 'Conference', 'Field marketing'], ['Sales kickoff', 'Internal', 'Sales kickoff'],
  ['Analytics roadshow Paris', 'Roadshow', 'Field marketing'],
] as const;

/** The events team's budget sheet: its own headers, D/M/Y dates, amounts with decimal commas. */
export function renderEventsBudget(seed: number): string {
  const rng = new Rng(seed + EXTRA_SEED_OFFSET + 1);
  const rows: string[][] = [];
  for (const m of ALL_MONTHS.filter((x) => x.index >= 2)) {
    const [event, kind, line] = rng.pick(EVENTS);
    const day = new Date(m.startMs + rng.int(3, m.days - 3) * DAY_MS);
    const cents = Math.round(rng.range(800, 6_500) * 100);
    // `4.468,88`: the team's spreadsheet writes amounts the continental way (in the configured currency).
    const paid = `${Math.floor(cents / 100)}`.replace(/\B(?=(\d{3})+(?!\d))/g, '.') + `,${pad2(cents % 100)}`;
    rows.push([`${pad2(day.getUTCDate())}/${pad2(day.getUTCMonth() + 1)}/${day.getUTCFullYear()}`, `${event} ${m.id}`, kind, paid, line, rng.pick(['', 'booth + travel', 'catering'])]);
  }
  return csvLines([['When', 'Event', 'Kind', 'Paid', 'Budget line', 'Notes'], ...rows], '\r\n');
}

/** What the events team wrote to explain its sheet (docs/exports.md, "Mapping files"). */
export const EVENTS_MAPPING = `${JSON.stringify({
  columns: { date: 'When', campaign: 'Event', channel: 'Kind', amount: 'Paid', category: 'Budget line' },
  values: { category: { marketing: ['Field marketing'], sales: ['Sales kickoff'] } },
  dateOrder: 'DMY',
  decimalSeparator: ',',
}, null, 2)}\n`;

/** The extra files: relative path under `samples/` → content. */
export function extraShapes(seed: number): Map<string, string> {
  return new Map([
    ['opportunities/partners/pipedrive-deals-2026-10.csv', renderPartnerDeals(seed)],
    ['spend/events/team-events-budget.csv', renderEventsBudget(seed)],
    ['spend/events/mapping.json', EVENTS_MAPPING],
  ]);
}
