/**
 * Stripe subscriptions (Dashboard → Billing → Subscriptions → Export): one row per subscription, so a customer
 * with several subscriptions has several rows (merged into one customer). Times are UTC (`Created (UTC)`,
 * `2026-10-05 14:32`), amounts in major units per billing interval (`Amount` 490.00 with `Interval` year is
 * 40.83 a month), statuses Stripe's own (`active`, `past_due`, `canceled`, `trialing`…).
 */
import type { ExportProfile } from './types.ts';

export const STRIPE_SUBSCRIPTIONS: ExportProfile = {
  id: 'stripe-subscriptions',
  tool: 'Stripe',
  export: 'subscriptions export',
  dataset: 'customers',
  language: 'en',
  detect: [
    ['Customer ID', 'Customer'],
    ['Status'],
    ['Current Period End (UTC)', 'Current Period Start (UTC)', 'Ended At (UTC)', 'Canceled At (UTC)', 'Cancel At Period End', 'Interval', 'Plan Interval'],
  ],
  columns: {
    customer_id: ['Customer ID', 'Customer'],
    started_at: ['Start Date (UTC)', 'Start (UTC)', 'Start Date', 'Start', 'Created (UTC)', 'Created'],
    // A canceled subscription runs to the end of its paid period: it churns when it ends, not when it was canceled.
    churned_at: ['Ended At (UTC)', 'Ended At', 'Ended'],
    cancelled_at: ['Canceled At (UTC)', 'Canceled At', 'Cancelled At (UTC)', 'Cancelled At'],
    mrr: ['Amount', 'Plan Amount', 'Price Amount', 'Unit Amount', 'Price'],
    billing_interval: ['Interval', 'Plan Interval', 'Price Interval', 'Billing Interval'],
    interval_count: ['Interval Count', 'Plan Interval Count', 'Price Interval Count'],
    quantity: ['Quantity'],
    status: ['Status'],
    currency: ['Currency', 'Plan Currency', 'Price Currency'],
  },
  values: {
    status: {
      active: ['active', 'past_due', 'unpaid', 'paused'],
      churned: ['canceled', 'cancelled', 'ended'],
      // Never paid (yet): not a customer.
      skip: ['trialing', 'incomplete', 'incomplete_expired'],
    },
  },
  rowsPerKey: 'merge',
  notes: [
    'MRR is `Amount` × `Quantity` per month: a yearly plan\'s amount is divided by 12 (`Interval`, `Interval Count`).',
    '`canceled` and `ended` subscriptions churn at `Ended At` (`Canceled At` when no end is given); `trialing` and ' +
      '`incomplete` ones are not customers yet and are skipped (`row-skipped`).',
    'Several subscriptions of one customer make one customer: the first start, MRR summed over the live ones, churned ' +
      'only when all have ended (at the last end).',
  ],
};
