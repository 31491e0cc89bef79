/**
 * Snapshot partitions into a `RecordTable`, column by column: the stored form already has local days (Parquet
 * DATE), money in minor units and text that the table turns into segment ids, so no record object is built. The
 * rows of the partitions read are put in the order a full read of the uploads would have them (`recordOrder`),
 * by a merge of the partitions (each is stored in that order): every sum then adds up in the same order.
 *
 * The conversions are `RecordTable.put`'s, from columns instead of a record; a property test compares the two.
 */
import type { DatasetName } from '../layout.ts';
import { NO_DAY, OPP_STATUS, SQL_STATUS, type RecordTable } from './record-table.ts';

/** The columns of each dataset the KPI engine reads. */
export const KPI_COLUMNS = {
  leads: ['created_date', 'mql_date', 'sql_date', 'customer_date', 'source', 'campaign', 'sql_status', 'upload_id', 'record_order'],
  opportunities: [
    'created_date', 'closed_date', 'status', 'amount_minor', 'source', 'campaign', 'owner', 'region', 'product', 'segment', 'marketing_sourced',
    'upload_id', 'record_order',
  ],
  spend: ['day', 'date', 'amount_minor', 'channel', 'campaign', 'category', 'upload_id', 'record_order'],
  customers: ['started_date', 'churned_date', 'mrr_minor', 'upload_id', 'record_order'],
  web_traffic: ['day', 'sessions', 'bounce_rate', 'upload_id', 'record_order'],
} as const satisfies { readonly [N in DatasetName]: readonly string[] };

type Cell = number | bigint | string | boolean | null | undefined;
/** Columns of one partition as read: `n` rows, each column an array (or typed array) of `n` values. */
export interface KpiColumns {
  readonly n: number;
  readonly cols: Readonly<Record<string, ArrayLike<Cell>>>;
}

const day = (v: Cell): number => (v === null || v === undefined ? NO_DAY : Number(v));
const text = (v: Cell): string | undefined => (typeof v === 'string' ? v : undefined);

/** The days [from, to) the periods span: a row with no date there counts in none of them and is left out. */
export interface Window {
  readonly from: number;
  readonly to: number;
}

const within = (v: Cell, w: Window): boolean => v !== null && v !== undefined && Number(v) >= w.from && Number(v) < w.to;

/**
 * A function appending row `r` of a partition's columns to the table, unless none of its dates is in the window
 * (a partition read for some of its rows holds others: leads created long ago whose funnel dates are older too).
 */
function appender(table: RecordTable, dataset: DatasetName, p: KpiColumns, w: Window): (r: number) => void {
  const c = p.cols;
  const upload = c.upload_id!;
  switch (dataset) {
    case 'leads': {
      const s = table.leads;
      const { created_date: cr, mql_date: mq, sql_date: sq, customer_date: cu, source, campaign, sql_status: st } = c;
      return (r) => {
        if (!within(cr![r], w) && !within(mq![r], w) && !within(sq![r], w) && !within(cu![r], w)) return;
        const row = s.row(undefined);
        const t = s.cols;
        t.created[row] = day(cr![r]);
        t.mql[row] = day(mq![r]);
        t.sql[row] = day(sq![r]);
        t.customer[row] = day(cu![r]);
        t.source[row] = table.segmentId(text(source![r]));
        t.campaign[row] = table.segmentId(text(campaign![r]));
        const status = text(st![r]);
        t.status[row] = status ? SQL_STATUS[status as keyof typeof SQL_STATUS] : SQL_STATUS.none;
        t.upload[row] = table.uploadOf(upload[r] as string);
      };
    }
    case 'opportunities': {
      const s = table.opportunities;
      const { created_date: cr, closed_date: cl, status: st, amount_minor: am, marketing_sourced: mk } = c;
      const dims = ['source', 'campaign', 'owner', 'region', 'product', 'segment'] as const;
      const dimCols = dims.map((d) => c[d]!);
      return (r) => {
        if (!within(cr![r], w) && !within(cl![r], w)) return;
        const row = s.row(undefined);
        const t = s.cols;
        const status = st![r] as keyof typeof OPP_STATUS;
        t.created[row] = day(cr![r]);
        // An open deal's close date is an expectation, not an event (as `RecordTable.put`).
        t.closed[row] = status === 'open' ? NO_DAY : day(cl![r]);
        t.status[row] = OPP_STATUS[status];
        t.amount[row] = Number(am![r]);
        for (let k = 0; k < dims.length; k++) t[dims[k]!][row] = table.segmentId(text(dimCols[k]![r]));
        t.marketing[row] = mk![r] ? 1 : 0;
        t.upload[row] = table.uploadOf(upload[r] as string);
      };
    }
    case 'spend': {
      const s = table.spend;
      const { day: d, date, amount_minor: am, channel, campaign, category } = c;
      return (r) => {
        const row = s.row(undefined);
        const t = s.cols;
        t.day[row] = day(d![r]);
        t.month[row] = (date![r] as string).length === 7 ? 1 : 0;
        t.amount[row] = Number(am![r]);
        t.channel[row] = table.segmentId(text(channel![r]));
        t.campaign[row] = table.segmentId(text(campaign![r]));
        t.sales[row] = category![r] === 'sales' ? 1 : 0;
        t.upload[row] = table.uploadOf(upload[r] as string);
      };
    }
    case 'customers': {
      const s = table.customers;
      const { started_date: sd, churned_date: cd, mrr_minor: mrr } = c;
      return (r) => {
        // Active at some time in the window: started before its end, not churned before its start.
        if (day(sd![r]) >= w.to || day(cd![r]) < w.from) return;
        const row = s.row(undefined);
        const t = s.cols;
        t.started[row] = day(sd![r]);
        t.churned[row] = day(cd![r]);
        const m = mrr![r];
        t.mrr[row] = m === null || m === undefined ? -1 : Number(m);
        t.upload[row] = table.uploadOf(upload[r] as string);
      };
    }
    case 'web_traffic': {
      const s = table.web_traffic;
      const { day: d, sessions, bounce_rate: br } = c;
      return (r) => {
        const row = s.row(undefined);
        const t = s.cols;
        const n = Number(sessions![r]);
        const b = br![r];
        t.day[row] = day(d![r]);
        t.sessions[row] = n;
        t.bouncedMicro[row] = b === null || b === undefined ? -1 : Math.round(Number(b) * n * 1e6);
        t.upload[row] = table.uploadOf(upload[r] as string);
      };
    }
  }
}

/**
 * Appends the rows of a dataset's partitions to the table, merged by `record_order` (each partition's rows are
 * in that order already): a binary heap of the partitions by their next row's order.
 */
export function appendPartitions(table: RecordTable, dataset: DatasetName, parts: readonly KpiColumns[], window: Window): void {
  const live = parts.filter((p) => p.n > 0);
  // Spend and traffic rows are kept whole: their partitions are the window's months (a monthly spend row is spread
  // over its month in weekly periods, so its first day may lie before the window).
  const w = dataset === 'leads' || dataset === 'opportunities' || dataset === 'customers' ? window : { from: -Infinity, to: Infinity };
  const add = live.map((p) => appender(table, dataset, p, w));
  const orders = live.map((p) => p.cols.record_order! as ArrayLike<number>);
  const next = live.map(() => 0);
  const key = (k: number): number => orders[k]![next[k]!]!;
  const heap: number[] = live.map((_, k) => k);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && key(heap[l]!) < key(heap[m]!)) m = l;
      if (r < heap.length && key(heap[r]!) < key(heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const k = heap[0]!;
    const n = live[k]!.n;
    const step = add[k]!;
    // Take rows of this partition while they come before every other partition's next row.
    const bound = heap.length > 1 ? Math.min(key(heap[1]!), heap.length > 2 ? key(heap[2]!) : Infinity) : Infinity;
    do step(next[k]!++); while (next[k]! < n && key(k) <= bound);
    if (next[k]! >= n) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length > 0) down(0);
  }
}
