import { DAY_MS, type Month } from '../calendar.ts';
import { compactDate, csvLines } from '../format.ts';
import { type TrafficRow } from '../world.ts';

/** GA4 "Traffic acquisition" CSV download: `#` comment preamble, blank line, header, YYYYMMDD dates. */
export function renderTraffic(rows: TrafficRow[], m: Month): string {
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
