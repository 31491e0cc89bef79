/**
 * The dataset registry: for each dataset of exports.md, its columns (canonical name, type, whether required,
 * the headers real tools export), its record key and its row rules. The validator, the stored records,
 * the stack (one trigger per dataset) and the docs all read this table.
 */
import type { DatasetName } from '../layout.ts';
import type { Settings } from '../settings.ts';
import type {
  CustomerRecord, DatasetRecords, LeadRecord, OpportunityRecord, OpportunityStatus, SpendRecord, SqlStatus,
  WebTrafficRecord,
} from './records.ts';
import { localDayNumber, periodContaining } from '../periods/period.ts';
import { customerStatus, monthlyRevenue } from './subscriptions.ts';

export type CellType =
  | 'text'
  | 'datetime' // a date or a timestamp
  | 'date' // a date; a time part is dropped
  | 'day-or-month' // a date or `YYYY-MM`
  | 'money'
  | 'integer'
  | 'boolean'
  | 'percent'
  | 'sql-status'
  | 'currency';

export interface ColumnSpec {
  readonly name: string;
  readonly type: CellType;
  readonly required: boolean;
  /** Headers that mean this column, in priority order (the first that a file has wins). */
  readonly aliases: readonly string[];
  /** Only used to derive another column (e.g. Salesforce's `Won`); not stored as such. */
  readonly helper?: boolean;
  /** A required column is not missing when all of these columns are found (it is derived from them). */
  readonly requiredUnless?: readonly string[];
}

/** A cell value after parsing, by column name. Absent = blank or column not in the file. */
export type ParsedCells = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RowIssue {
  readonly code: 'missing-value' | 'constraint-error' | 'date-order' | 'type-error';
  readonly column: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface BuildContext {
  readonly settings: Settings;
  /**
   * The local day number of a normalized date value in the reporting time zone (for row rules that compare
   * dates). @default `localDayNumber(value, settings.timezone)`
   */
  readonly localDay?: (value: string) => number;
  /** Whether date value `a` is on an earlier local day than `b`. @default compares `localDay` */
  readonly before?: (a: string, b: string) => boolean;
}

export interface DatasetSpec<N extends DatasetName = DatasetName> {
  readonly name: N;
  /** What one row is, for docs and messages. */
  readonly rowIs: string;
  /** The row rules `build` applies, in words, for the docs (docs/exports.md). */
  readonly rules: readonly string[];
  /** Per column, what the docs add to its type (how values are read, what a blank means). */
  readonly notes?: Readonly<Record<string, string>>;
  readonly columns: readonly ColumnSpec[];
  /** Columns whose blank values, with numbers filled, mark a summary row at the end of a file. */
  readonly keyColumns: readonly string[];
  /** The column whose values must be unique in a file, if any. */
  readonly idColumn?: string;
  /**
   * The columns whose values together make a record's key (`keyOf`). Two rows of one file with the same key
   * are a `duplicate-id` error: the KPI step keeps one record per key, so the other would silently vanish.
   */
  readonly uniqueKey: readonly string[];
  /** Date columns exempt from the future-date rule for this row (an open deal's expected close date). */
  futureDateExempt?(cells: ParsedCells): readonly string[];
  /**
   * A column whose cell may hold a range of days (`2024-10-01 - 2024-10-30`, Meta's Month and Week breakdowns):
   * `start` is read as its first day and `end` as its last, whatever the file's own `end` column says. The file's
   * `end` column is read only when `start` comes from one of `endOnlyWith` (Meta's `Reporting ends` is a row's end
   * beside `Reporting starts`; beside a Day column it is only the report's).
   */
  readonly dayRange?: { readonly start: string; readonly end: string; readonly endOnlyWith: readonly string[] };
  /** The key that makes a later upload's record replace an earlier one. */
  keyOf(record: DatasetRecords[N]): string;
  /**
   * For datasets whose rows can be totals of other rows (a month of spend and its days, a day's traffic and its
   * channels): the group a record belongs to and whether it is the coarse (total) or the fine form. A file with
   * both forms in one group is an `overlapping-granularity` error: adding them up would count twice.
   */
  granularity?(record: DatasetRecords[N], cells: ParsedCells): { readonly group: string; readonly level: 'coarse' | 'fine'; readonly describe: string };
  /**
   * Builds the record from parsed cells, applying the row rules; pushes what is wrong onto `issues` and
   * returns undefined when the row is unusable.
   */
  build(cells: ParsedCells, ctx: BuildContext, issues: RowIssue[]): DatasetRecords[N] | undefined;
}

const col = (
  name: string, type: CellType, required: boolean, aliases: readonly string[], helper = false, requiredUnless?: readonly string[],
): ColumnSpec => ({ name, type, required, aliases, ...(helper ? { helper } : {}), ...(requiredUnless ? { requiredUnless } : {}) });

const str = (v: ParsedCells[string]): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: ParsedCells[string]): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: ParsedCells[string]): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** Compares two normalized date values by their calendar date in the reporting time zone. */
const before = (a: string, b: string, ctx: BuildContext): boolean =>
  ctx.before ? ctx.before(a, b)
    : ctx.localDay ? ctx.localDay(a) < ctx.localDay(b)
      : localDayNumber(a, ctx.settings.timezone) < localDayNumber(b, ctx.settings.timezone);

/**
 * Answers for the sources seen lately, per settings object. Exports repeat a handful of sources a million
 * times, each time as a new string: a small direct-mapped table (slot from the length and three characters,
 * then one string comparison) answers without hashing the whole string, as a `Map` would. Two sources that
 * share a slot take turns in it, found again in the `Map` behind it rather than worked out again.
 */
const SOURCE_SLOTS = 256;
const MAX_SOURCES_KEPT = 4096;
interface SourceAnswer { readonly key: string; readonly answer: boolean }
interface SourceAnswers { readonly slots: (SourceAnswer | undefined)[]; readonly all: Map<string, SourceAnswer> }
const sourceAnswers = new WeakMap<Settings, SourceAnswers>();
let lastSettings: Settings | undefined;
let lastAnswers: SourceAnswers | undefined;

/** Whether a lead source counts as sales-sourced under the configured list. */
export function isSalesSourced(source: string, settings: Settings): boolean {
  let table = settings === lastSettings ? lastAnswers : sourceAnswers.get(settings);
  if (!table) sourceAnswers.set(settings, (table = { slots: new Array(SOURCE_SLOTS).fill(undefined), all: new Map() }));
  lastSettings = settings;
  lastAnswers = table;
  const n = source.length;
  const slot = n === 0 ? 0
    : (n * 31 + source.charCodeAt(0) * 7 + source.charCodeAt(n >> 1) * 131 + source.charCodeAt(n - 1)) & (SOURCE_SLOTS - 1);
  const cached = table.slots[slot];
  if (cached !== undefined && cached.key === source) return cached.answer;
  let found = table.all.get(source);
  if (found === undefined) {
    const s = source.toLowerCase();
    const answer = settings.salesSourcedSources.some((needle) => s.includes(needle.toLowerCase()));
    // A copy of the text: a slice would pin the chunk of the file it came from.
    found = { key: Buffer.from(source, 'utf8').toString('utf8'), answer };
    if (table.all.size >= MAX_SOURCES_KEPT) table.all.clear();
    table.all.set(found.key, found);
  }
  table.slots[slot] = found;
  return found.answer;
}

/** Adds a `date-order` issue when date `v` (column `name`) is on an earlier local day than `than` (column `thanName`). */
function notBefore(issues: RowIssue[], name: string, v: string | undefined, thanName: string, than: string, ctx: BuildContext): void {
  if (v && before(v, than, ctx)) issues.push(error('date-order', name, `${name} is before ${thanName} (${than.slice(0, 10)})`));
}

const error = (code: RowIssue['code'], column: string, message: string): RowIssue =>
  ({ code, column, message, severity: 'error' });

const BREAKDOWN_NOTE = 'KPIs are broken down by it (docs/metrics.md); blank = `unknown`'; // a breakdown dimension's docs
const leads: DatasetSpec<'leads'> = {
  name: 'leads',
  rowIs: 'a lead / contact and the dates it reached each funnel stage',
  rules: [
    '`mql_at`, `sql_at` and `customer_at` are not before `created_at` (compared as dates in the reporting time zone).',
    '`sql_at` is not before `mql_at` when both are set.',
    '`sql_status` without `sql_at` is an error.',
    'When `marketing_sourced` is absent it is derived from `source`: a source matching one of the configured ' +
      'sales-sourced sources (default: outbound, sales, prospecting, SDR, BDR, "Sales Generated") is sales-sourced, ' +
      'every other source marketing-sourced.',
  ],
  notes: {
    source: 'a blank cell is read as `unknown`, with a warning',
    sql_status: 'also yes/no, true/false, 1/0, y/n; "Unqualified" = rejected',
    campaign: BREAKDOWN_NOTE,
  },
  columns: [
    col('lead_id', 'text', true, ['Record ID', 'Contact ID', 'Lead ID', 'Id']),
    col('created_at', 'datetime', true, ['Create Date', 'Created Date', 'Became a Lead Date']),
    col('source', 'text', true, ['Original Source', 'Original Source Type', 'Lead Source', 'Source', 'Channel']),
    col('campaign', 'text', false, ['Campaign', 'Original Source Drill-Down 1']),
    col('mql_at', 'datetime', false, ['Became a Marketing Qualified Lead Date', 'MQL Date']),
    col('sql_at', 'datetime', false, ['Became a Sales Qualified Lead Date', 'SQL Date']),
    col('sql_status', 'sql-status', false, ['SQL Status', 'Sales Acceptance']),
    // Never Salesforce's `Converted Date`: converting a lead makes a contact, not a customer.
    col('customer_at', 'datetime', false, ['Became a Customer Date']),
    col('owner', 'text', false, ['Contact owner', 'Lead Owner', 'Owner']),
    col('region', 'text', false, ['Region', 'Country/Region']),
    col('marketing_sourced', 'boolean', false, ['Marketing Sourced']),
  ],
  keyColumns: ['lead_id'],
  idColumn: 'lead_id',
  uniqueKey: ['lead_id'],
  keyOf: (r) => r.lead_id,
  build(c, ctx, issues) {
    const { settings } = ctx;
    const created = str(c.created_at);
    const lead_id = str(c.lead_id);
    if (!lead_id || !created) return undefined;
    const mql = str(c.mql_at);
    const sql = str(c.sql_at);
    const customer = str(c.customer_at);
    // One call per date, not a loop over [name, value] pairs nor a local closure: this runs once per lead row.
    notBefore(issues, 'mql_at', mql, 'created_at', created, ctx);
    notBefore(issues, 'sql_at', sql, 'created_at', created, ctx);
    notBefore(issues, 'customer_at', customer, 'created_at', created, ctx);
    if (mql && sql && before(sql, mql, ctx)) issues.push(error('date-order', 'sql_at', `sql_at is before mql_at (${mql.slice(0, 10)})`));
    const status = str(c.sql_status) as SqlStatus | undefined;
    if (status && !sql) issues.push(error('missing-value', 'sql_at', 'sql_status is set but sql_at is blank'));
    const source = str(c.source) ?? 'unknown';
    // Every field present (undefined when absent, which the stored JSON leaves out), in `RECORD_FIELDS` order:
    // all records of a dataset share one object shape, so the code that reads them stays monomorphic.
    const record: LeadRecord = {
      lead_id,
      created_at: created,
      source,
      campaign: str(c.campaign),
      mql_at: mql,
      sql_at: sql,
      sql_status: status,
      customer_at: customer,
      owner: str(c.owner), region: str(c.region),
      marketing_sourced: bool(c.marketing_sourced) ?? !isSalesSourced(source, settings),
    };
    return record;
  },
};

function opportunityStatus(c: ParsedCells): OpportunityStatus | undefined {
  const closed = bool(c.closed_flag);
  const won = bool(c.won_flag);
  // A Salesforce report's Closed / Won flags decide over the stage label (a closed deal needs its Won flag).
  if (closed === false) return 'open';
  if (closed === true && won !== undefined) return won ? 'won' : 'lost';
  const stage = str(c.status)?.toLowerCase().replace(/[^a-z]/g, '');
  if (stage === undefined) return undefined;
  if (stage === 'closedwon' || stage === 'won') return 'won';
  if (stage === 'closedlost' || stage === 'lost') return 'lost';
  return 'open';
}

const opportunities: DatasetSpec<'opportunities'> = {
  name: 'opportunities',
  rowIs: 'a deal / opportunity',
  rules: [
    'Stage labels map to a status: "Closed Won" → won, "Closed Lost" → lost, any other stage → open. A Salesforce ' +
      'report\'s boolean `Closed` and `Won` columns, when present, decide it instead (then no stage column is needed).',
    '`closed_at` is required for a won or lost opportunity, and is not before `created_at`.',
    'On an open opportunity `closed_at` is its expected close date: it is dropped, and may lie in the future.',
    'When `marketing_sourced` is absent it is derived from `source` (as for leads); no source = not marketing-sourced.',
  ],
  notes: {
    status: 'required unless the file has Salesforce\'s `Closed` and `Won` columns',
    ...Object.fromEntries(['campaign', 'owner', 'region', 'product', 'segment'].map((c) => [c, BREAKDOWN_NOTE])),
  },
  columns: [
    col('opportunity_id', 'text', true, ['Record ID', 'Deal ID', 'Opportunity ID', 'Id']),
    col('created_at', 'datetime', true, ['Create Date', 'Created Date']),
    col('status', 'text', true, ['Deal Stage', 'Stage', 'Status'], false, ['closed_flag', 'won_flag']),
    col('closed_at', 'date', false, ['Close Date', 'Closed Date']),
    col('amount', 'money', true, ['Amount', 'Amount in company currency', 'Total Amount']),
    col('source', 'text', false, ['Lead Source', 'Original Traffic Source', 'Original Source Type', 'Original Source', 'Deal Source', 'Source']),
    col('lead_id', 'text', false, ['Lead ID', 'Associated Contact IDs']),
    col('campaign', 'text', false, ['Primary Campaign Source', 'Campaign']),
    col('owner', 'text', false, ['Opportunity Owner', 'Deal owner', 'Owner']),
    col('region', 'text', false, ['Region', 'Sales Region', 'Territory']),
    col('product', 'text', false, ['Product', 'Product Name', 'Product Family']),
    col('segment', 'text', false, ['Segment', 'Customer Segment', 'Market Segment']),
    col('marketing_sourced', 'boolean', false, ['Marketing Sourced']),
    col('closed_flag', 'boolean', false, ['Closed'], true),
    col('won_flag', 'boolean', false, ['Won'], true),
    col('currency', 'currency', false, ['Currency', 'Currency code', 'Deal Currency', 'Opportunity Currency'], true),
  ],
  keyColumns: ['opportunity_id'],
  idColumn: 'opportunity_id',
  uniqueKey: ['opportunity_id'],
  keyOf: (r) => r.opportunity_id,
  futureDateExempt: (c) => (opportunityStatus(c) === 'open' ? ['closed_at'] : []),
  build(c, ctx, issues) {
    const { settings } = ctx;
    const id = str(c.opportunity_id);
    const created = str(c.created_at);
    const amount = num(c.amount);
    const status = opportunityStatus(c);
    if (status === undefined) issues.push(error('missing-value', 'status', 'status is blank (no stage, no Closed/Won flags)'));
    if (!id || !created || amount === undefined || status === undefined) return undefined;
    const closed = str(c.closed_at);
    if (status !== 'open') {
      if (!closed) issues.push(error('missing-value', 'closed_at', `closed_at is required for a ${status} opportunity`));
      else if (before(closed, created, ctx)) issues.push(error('date-order', 'closed_at', `closed_at is before created_at (${created.slice(0, 10)})`));
    }
    const source = str(c.source);
    const record: OpportunityRecord = { // one shape for all (see leads)
      opportunity_id: id,
      created_at: created,
      status,
      closed_at: status !== 'open' ? closed : undefined,
      amount_minor: amount,
      source,
      lead_id: str(c.lead_id),
      campaign: str(c.campaign), owner: str(c.owner), region: str(c.region), product: str(c.product), segment: str(c.segment),
      marketing_sourced: bool(c.marketing_sourced) ?? (source ? !isSalesSourced(source, settings) : false),
    };
    return record;
  },
};

/** Meta's `Reporting starts` in the languages of its UI: the start a `Reporting ends` column goes with. */
export const REPORTING_STARTS = ['Reporting starts', 'Berichtsbeginn', 'Début des rapports', 'Inicio del informe'] as const;

const spend: DatasetSpec<'spend'> = {
  name: 'spend',
  rowIs: 'money spent on a day (or a month) on a channel / campaign',
  rules: [
    'A Meta export row covers `Reporting starts` .. `Reporting ends`, or the range of days its date cell holds ' +
      '(`2024-10-01 - 2024-10-30`, a Month or Week breakdown): a row whose range spans two reporting periods (months ' +
      'by default; quarters or weeks when so configured) is an error that says to export with a daily breakdown.',
    'A currency in a header (`Amount spent (EUR)`) or in a `currency` column must be the configured currency.',
    '`category` is marketing or sales (blank = marketing).',
    'Two rows with the same date, channel, campaign and category (case ignored) are a `duplicate-id` error: the ' +
      'scorecard keeps one record per key, so one amount would be lost. Sum them, or export without extra breakdowns.',
    'A month row (`YYYY-MM`) or a row over a range of days, and day rows of the same month, channel, campaign and ' +
      'category in one file are an `overlapping-granularity` error naming both rows: adding them up would count the ' +
      'money twice.',
  ],
  notes: {
    channel: 'blank = `unspecified`',
    campaign: BREAKDOWN_NOTE,
    date: 'a day, or a whole month as `YYYY-MM`',
  },
  columns: [
    col('date', 'day-or-month', true, ['Day', 'Date', 'Month', 'Reporting starts']),
    col('amount', 'money', true, ['Cost', 'Spend', 'Amount', 'Amount spent']),
    col('channel', 'text', false, ['Channel', 'Source']),
    col('campaign', 'text', false, ['Campaign', 'Campaign name']),
    col('category', 'text', false, ['Category']),
    col('currency', 'currency', false, ['Currency', 'Currency code']),
    col('date_end', 'date', false, ['Reporting ends'], true),
  ],
  keyColumns: ['date'],
  dayRange: { start: 'date', end: 'date_end', endOnlyWith: REPORTING_STARTS },
  uniqueKey: ['date', 'channel', 'campaign', 'category'],
  keyOf: (r) => `${r.date}|${r.channel.toLowerCase()}|${r.campaign.toLowerCase()}|${r.category}`,
  granularity: (r, c) => {
    // A row over a range of days (Meta's Reporting starts .. ends, a Month or Week range) is a total of its days too.
    const end = str(c.date_end);
    const range = end !== undefined && end > r.date ? `the days ${r.date} to ${end}` : undefined;
    return {
      group: `${r.date.slice(0, 7)}|${r.channel.toLowerCase()}|${r.campaign.toLowerCase()}|${r.category}`,
      level: r.date.length === 7 || range ? 'coarse' : 'fine',
      describe: `${range ?? (r.date.length === 7 ? `the month ${r.date}` : `a day of ${r.date.slice(0, 7)}`)} on ${r.channel}${r.campaign ? ` / ${r.campaign}` : ''}`,
    };
  },
  build(c, ctx, issues) {
    const date = str(c.date);
    const amount = num(c.amount);
    if (!date || amount === undefined) return undefined;
    const end = str(c.date_end);
    if (end) {
      // A Meta row covers Reporting starts .. Reporting ends; its amount is put on the start date, which is only
      // right when the whole range lies in one reporting period (of the configured type).
      const start = date.length === 7 ? `${date}-01` : date;
      if (end < start) {
        issues.push(error('date-order', 'date_end', `the row ends (${end}) before it starts (${start})`));
      } else {
        const type = ctx.settings.periodType;
        const first = periodContaining(type, start);
        const last = periodContaining(type, end);
        if (first.id !== last.id) {
          issues.push(error('constraint-error', 'date_end',
            `the row covers ${start} to ${end}, which spans two reporting ${type}s (${first.id} and ${last.id}): export with a daily breakdown`));
        }
      }
    }
    const categoryRaw = (str(c.category) ?? 'marketing').toLowerCase();
    if (categoryRaw !== 'marketing' && categoryRaw !== 'sales') {
      issues.push(error('constraint-error', 'category', `category must be marketing or sales, got "${str(c.category)}"`));
    }
    const record: SpendRecord = {
      date,
      amount_minor: amount,
      channel: str(c.channel) ?? 'unspecified',
      campaign: str(c.campaign) ?? '',
      category: categoryRaw === 'sales' ? 'sales' : 'marketing',
    };
    return record;
  },
};

const customers: DatasetSpec<'customers'> = {
  name: 'customers',
  rowIs: 'a paying customer account',
  rules: [
    '`churned_at` is not before `started_at`.',
    'A `status` of churned (canceled, cancelled, ended, inactive…) needs a churn date: `churned_at`, else `cancelled_at`; ' +
      'active (active, past_due, unpaid…) or blank leaves `churned_at` as the file gives it.',
    'With a `billing_interval` (month, year, week, day, quarter), `mrr` is the amount per interval × `quantity`, made ' +
      'monthly: a yearly plan\'s amount ÷ 12 (÷ `interval_count` too). Without `mrr`, `arr` ÷ 12 is the MRR.',
  ],
  columns: [
    col('customer_id', 'text', true, ['Record ID', 'Account ID', 'Customer ID', 'Company ID']),
    col('started_at', 'date', true, ['Became a Customer Date', 'Customer Since', 'Start Date']),
    col('churned_at', 'date', false, ['Churn Date', 'Churned At', 'Cancellation Date']),
    col('mrr', 'money', false, ['MRR', 'Monthly Revenue']),
    col('marketing_sourced', 'boolean', false, ['Marketing Sourced']),
    // Billing exports (Stripe): a status, when a subscription was cancelled, and its amount per interval (`mrr`).
    col('status', 'text', false, ['Status', 'Subscription Status', 'Customer Status'], true),
    col('cancelled_at', 'date', false, ['Canceled At', 'Cancelled At'], true),
    col('billing_interval', 'text', false, ['Billing Interval', 'Interval', 'Billing Period', 'Plan Interval'], true),
    col('interval_count', 'integer', false, ['Interval Count', 'Plan Interval Count'], true),
    col('quantity', 'integer', false, ['Quantity', 'Seats'], true),
    col('arr', 'money', false, ['ARR', 'Annual Recurring Revenue'], true),
    col('currency', 'currency', false, ['Currency', 'Currency code'], true),
  ],
  keyColumns: ['customer_id'],
  idColumn: 'customer_id',
  uniqueKey: ['customer_id'],
  keyOf: (r) => r.customer_id,
  build(c, ctx, issues) {
    const id = str(c.customer_id);
    const started = str(c.started_at);
    if (!id || !started) return undefined;
    const status = customerStatus(str(c.status));
    if (status.problem) issues.push(error('constraint-error', 'status', status.problem));
    // A cancelled subscription runs to the end of its paid period: it churns when it ends (subscriptions.ts).
    const churned = str(c.churned_at) ?? (status.churned ? str(c.cancelled_at) : undefined);
    if (status.churned && !churned) issues.push(error('missing-value', 'churned_at', `status "${str(c.status)}" says churned but the row has no churn date`));
    if (churned && before(churned, started, ctx)) issues.push(error('date-order', 'churned_at', `churned_at is before started_at (${started})`));
    const mrr = monthlyRevenue({ mrr: num(c.mrr), arr: num(c.arr), interval: str(c.billing_interval), count: num(c.interval_count), quantity: num(c.quantity) });
    if (mrr.problem) issues.push(error('constraint-error', 'billing_interval', mrr.problem));
    const record: CustomerRecord = { // one shape for all (see leads)
      customer_id: id, started_at: started, churned_at: churned, mrr_minor: mrr.minor, marketing_sourced: bool(c.marketing_sourced),
    };
    return record;
  },
};

const webTraffic: DatasetSpec<'web_traffic'> = {
  name: 'web_traffic',
  rowIs: 'website sessions on a day, optionally per channel',
  rules: [
    '`engaged_sessions` is not more than `sessions`.',
    'Bounce rate is 1 − engaged_sessions / sessions when only engaged sessions are given.',
    'Two rows with the same date and channel are a `duplicate-id` error (an export broken down by another ' +
      'dimension, such as device: export by date and channel only).',
  ],
  notes: {
    channel: 'blank or absent = `all`',
  },
  columns: [
    col('date', 'date', true, ['Date', 'Day']),
    col('sessions', 'integer', true, ['Sessions']),
    col('channel', 'text', false, ['Session primary channel group', 'Session default channel group', 'Channel']),
    col('engaged_sessions', 'integer', false, ['Engaged sessions']),
    col('bounce_rate', 'percent', false, ['Bounce rate']),
    col('conversions', 'integer', false, ['Key events', 'Conversions']),
  ],
  keyColumns: ['date'],
  uniqueKey: ['date', 'channel'],
  keyOf: (r) => `${r.date}|${r.channel.toLowerCase()}`,
  granularity: (r) => ({
    group: r.date,
    level: r.channel === 'all' ? 'coarse' : 'fine',
    describe: r.channel === 'all' ? `the total of ${r.date}` : `a channel of ${r.date}`,
  }),
  build(c, _ctx, issues) {
    const date = str(c.date);
    const sessions = num(c.sessions);
    if (!date || sessions === undefined) return undefined;
    const engaged = num(c.engaged_sessions);
    if (engaged !== undefined && engaged > sessions) {
      issues.push(error('constraint-error', 'engaged_sessions', `engaged_sessions (${engaged}) is more than sessions (${sessions})`));
    }
    const bounce = num(c.bounce_rate);
    const record: WebTrafficRecord = { // one shape for all (see leads)
      date,
      channel: str(c.channel) ?? 'all',
      sessions,
      engaged_sessions: engaged,
      bounce_rate: bounce ?? (engaged !== undefined && sessions > 0 ? 1 - engaged / sessions : undefined),
      conversions: num(c.conversions),
    };
    return record;
  },
};

export const DATASETS: { readonly [N in DatasetName]: DatasetSpec<N> } = {
  leads,
  opportunities,
  spend,
  customers,
  web_traffic: webTraffic,
};

/** Header matching ignores case, surrounding spaces, punctuation and underscores. */
export const normalizeHeader = (h: string): string => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
