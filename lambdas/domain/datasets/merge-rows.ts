/**
 * Exports with several rows per record key (a Stripe customer with several subscriptions, one row each): the
 * rows of one key are merged into the one record the dataset keeps, instead of being `duplicate-id` errors. Only
 * profiles that say so (`rowsPerKey: 'merge'`) merge; in any other file two rows of one id are a mistake.
 */
import type { DatasetName } from '../layout.ts';
import type { CustomerRecord, DatasetRecords } from './records.ts';

/**
 * One customer from two of its subscriptions: the first start; churned only when both have ended (at the later
 * end); the MRR of the live ones (of all, once all have ended); marketing-sourced if either says so.
 */
export function mergeCustomerRows(a: CustomerRecord, b: CustomerRecord): CustomerRecord {
  const live = [a, b].filter((r) => r.churned_at === undefined);
  const churned = live.length === 0 ? (a.churned_at! > b.churned_at! ? a.churned_at : b.churned_at) : undefined;
  const counted = live.length > 0 ? live : [a, b];
  const mrrs = counted.map((r) => r.mrr_minor).filter((m): m is number => m !== undefined);
  const marketing = a.marketing_sourced === undefined && b.marketing_sourced === undefined ? undefined : Boolean(a.marketing_sourced || b.marketing_sourced);
  return { // the field order of every customer record (record-lines.ts writes them in this order)
    customer_id: a.customer_id,
    started_at: a.started_at < b.started_at ? a.started_at : b.started_at,
    churned_at: churned,
    mrr_minor: mrrs.length ? mrrs.reduce((x, y) => x + y, 0) : undefined,
    marketing_sourced: marketing,
  };
}

export const ROW_MERGERS: { readonly [N in DatasetName]?: (a: DatasetRecords[N], b: DatasetRecords[N]) => DatasetRecords[N] } = {
  customers: mergeCustomerRows,
};
