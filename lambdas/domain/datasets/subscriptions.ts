/**
 * What the customers dataset reads of billing exports (Stripe subscriptions, a billing sheet): the status of a
 * customer or subscription in the words billing tools use, and a plan's amount per billing interval turned into
 * monthly recurring revenue (a yearly plan's amount ÷ 12). Pure helpers of the registry's customers rules.
 */

/** Status words, lower case, in the languages of the tools (a mapping's `values.status` adds the team's own). */
const STATUS_WORDS: Readonly<Record<string, 'active' | 'churned'>> = Object.fromEntries([
  ...['active', 'past_due', 'past due', 'unpaid', 'paused', 'paying', 'live', 'customer', 'aktiv', 'actif', 'active customer', 'activo']
    .map((w) => [w, 'active' as const]),
  ...['churned', 'canceled', 'cancelled', 'ended', 'inactive', 'lost', 'gekündigt', 'gekuendigt', 'beendet', 'résilié', 'resilie',
    'annulé', 'cancelado', 'baja'].map((w) => [w, 'churned' as const]),
]);

/** Whether a status cell says churned, and what is wrong with a word that is neither active nor churned. */
export function customerStatus(word: string | undefined): { readonly churned: boolean; readonly problem?: string } {
  if (word === undefined) return { churned: false };
  const status = STATUS_WORDS[word.trim().toLowerCase()];
  if (status) return { churned: status === 'churned' };
  return {
    churned: false,
    problem: `status "${word}" is neither active nor churned: add it to mapping.json as "values": { "status": { "active | churned | skip": ["${word}"] } }`,
  };
}

/** Months per billing interval word (`year` = 12), in the languages of the tools. */
const INTERVAL_MONTHS: Readonly<Record<string, number>> = Object.fromEntries([
  ...['day', 'daily', 'days', 'täglich', 'tag', 'jour', 'quotidien', 'día', 'dia', 'diario'].map((w) => [w, 12 / 365]),
  ...['week', 'weekly', 'weeks', 'wöchentlich', 'woche', 'semaine', 'hebdomadaire', 'semana', 'semanal'].map((w) => [w, 12 / 52]),
  ...['month', 'monthly', 'months', 'monatlich', 'monat', 'mois', 'mensuel', 'mes', 'mensual'].map((w) => [w, 1]),
  ...['quarter', 'quarterly', 'quarters', 'vierteljährlich', 'quartal', 'trimestre', 'trimestriel', 'trimestral'].map((w) => [w, 3]),
  ...['year', 'yearly', 'annual', 'annually', 'years', 'jährlich', 'jahr', 'an', 'année', 'annuel', 'año', 'anual'].map((w) => [w, 12]),
]);

/** Months a billing interval word stands for; undefined when it is no interval. */
export function intervalMonths(word: string): number | undefined {
  return INTERVAL_MONTHS[word.trim().toLowerCase()];
}

/**
 * Monthly recurring revenue in minor units, from an amount billed every `count` × `interval` for `quantity`
 * units: 49000 (490.00) a year is 4083 a month. Rounded to the minor unit, as money is everywhere else.
 */
export function monthlyMinor(amountMinor: number, months: number, count = 1, quantity = 1): number {
  const per = months * (count > 0 ? count : 1);
  return Math.round((amountMinor * quantity) / per);
}

/** The billing columns of a customer row, as parsed. */
export interface BillingCells {
  readonly mrr?: number;
  readonly arr?: number;
  readonly interval?: string;
  readonly count?: number;
  readonly quantity?: number;
}

/**
 * A customer's MRR in minor units: `mrr` per billing interval made monthly (a yearly amount ÷ 12), else `arr` ÷ 12;
 * with the problem of an interval word that is none.
 */
export function monthlyRevenue(b: BillingCells): { readonly minor?: number; readonly problem?: string } {
  if (b.mrr === undefined) return b.arr === undefined ? {} : { minor: monthlyMinor(b.arr, 12) };
  if (b.interval === undefined) return { minor: b.mrr };
  const months = intervalMonths(b.interval);
  if (months === undefined) {
    return {
      problem: `billing interval "${b.interval}" is not day, week, month, quarter or year: add it to mapping.json as ` +
        `"values": { "billing_interval": { "year": ["${b.interval}"] } }`,
    };
  }
  return { minor: monthlyMinor(b.mrr, months, b.count, b.quantity) };
}
