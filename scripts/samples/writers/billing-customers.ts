import { type Month } from '../calendar.ts';
import { csvLines, isoDate } from '../format.ts';
import { type Customer } from '../world.ts';

/** A billing / spreadsheet export saved from Excel as "CSV UTF-8": BOM, comma, CRLF. */
export function renderCustomers(customers: Customer[], m: Month): string {
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
