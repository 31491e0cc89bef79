import { DAY_MS, END_EXCL, type Month } from '../calendar.ts';
import { csvLines, slashDate, usd } from '../format.ts';
import { type Opportunity } from '../world.ts';

/** The open stage a deal shows at a given day, from how far it is between creation and planned close. */
function openStage(createdMs: number, plannedCloseMs: number, asOfMs: number): { stage: string; probability: number } {
  const span = Math.max(plannedCloseMs - createdMs, DAY_MS);
  const frac = (asOfMs - createdMs) / span;
  if (frac < 0.2) return { stage: 'Prospecting', probability: 10 };
  if (frac < 0.45) return { stage: 'Qualification', probability: 20 };
  if (frac < 0.65) return { stage: 'Needs Analysis', probability: 40 };
  if (frac < 0.85) return { stage: 'Proposal/Price Quote', probability: 60 };
  return { stage: 'Negotiation/Review', probability: 80 };
}

const OPP_HEADER = [
  'Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Probability (%)', 'Amount',
  'Created Date', 'Close Date', 'Lead Source', 'Lead ID', 'Primary Campaign Source', 'Region', 'Product Name', 'Segment',
];

/** Salesforce report export: every field quoted, M/D/YYYY dates, `$12,500.00` amounts, LF. */
export function renderOpportunities(opps: Opportunity[], m: Month): string {
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
      slashDate(o.createdMs), slashDate(o.plannedCloseMs), o.source, o.leadId, o.campaign, o.region, o.product, o.segment,
    ]);
  }
  return csvLines([OPP_HEADER, ...rows], '\n', true);
}
