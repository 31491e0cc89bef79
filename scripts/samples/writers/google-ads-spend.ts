import { DAY_MS, type Month } from '../calendar.ts';
import { csvField, csvLines, isoDate, longDate, round2 } from '../format.ts';
import { type SpendRow } from '../world.ts';

/** Google Ads style: title line, date-range line, header, daily rows, a `Total: Account` summary row. */
export function renderSpend(rows: SpendRow[], m: Month): string {
  const total = round2(rows.reduce((s, r) => s + r.cost, 0));
  const body: string[][] = rows.map((r) => [isoDate(r.dayMs), r.campaign, r.channel, r.category, r.cost.toFixed(2), 'USD']);
  body.push(['Total: Account', '', '', '', total.toFixed(2), '']);
  const preamble = `Campaign report\n${csvField(`${longDate(m.startMs)} - ${longDate(m.endMs - DAY_MS)}`, false)}\n`;
  return preamble + csvLines([['Day', 'Campaign', 'Channel', 'Category', 'Cost', 'Currency code'], ...body], '\n');
}
