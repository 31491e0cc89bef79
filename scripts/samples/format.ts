/** Date, money and CSV formatting shared by the vendor-dialect writers. */

const pad2 = (n: number) => String(n).padStart(2, '0');

export function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}
/** HubSpot style `YYYY-MM-DD HH:mm` (reporting time zone, UTC). */
export function hubspotTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${isoDate(ms)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}
/** Salesforce style `M/D/YYYY`. */
export function slashDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}
/** GA4 style `YYYYMMDD`. */
export function compactDate(ms: number): string {
  return isoDate(ms).replaceAll('-', '');
}
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}
/** `$12,500.00` */
export function usd(amount: number): string {
  const [int, frac] = amount.toFixed(2).split('.') as [string, string];
  return `$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
export const round2 = (x: number) => Math.round(x * 100) / 100;

export function csvField(value: string, alwaysQuote: boolean): string {
  if (alwaysQuote || /[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
export function csvLines(rows: readonly (readonly string[])[], eol: string, alwaysQuote = false): string {
  return rows.map((r) => r.map((v) => csvField(v, alwaysQuote)).join(',')).join(eol) + eol;
}
