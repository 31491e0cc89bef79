/**
 * The normalized records the validation stage stores and the KPI engine reads. Dates follow the forms of
 * `validation/values.ts` (local `YYYY-MM-DD`, local `YYYY-MM-DDTHH:mm:ss`, or UTC instant ending in `Z`);
 * money is in integer minor units (`*_minor`) so sums are exact.
 */

export type SqlStatus = 'accepted' | 'rejected' | 'pending';
export type OpportunityStatus = 'open' | 'won' | 'lost';

export interface LeadRecord {
  lead_id: string;
  created_at: string;
  source: string;
  campaign?: string;
  mql_at?: string;
  sql_at?: string;
  sql_status?: SqlStatus;
  customer_at?: string;
  /** The lead's owner (a rep) and region, as the CRM writes them: kept for breakdowns, blank = absent. */
  owner?: string;
  region?: string;
  marketing_sourced: boolean;
}

export interface OpportunityRecord {
  opportunity_id: string;
  created_at: string;
  status: OpportunityStatus;
  /** Only for won and lost opportunities; an open one's expected close date is dropped. */
  closed_at?: string;
  amount_minor: number;
  source?: string;
  lead_id?: string;
  /** The dimensions of the breakdowns (metrics.md): the deal's campaign, owner (rep), region, product and segment. */
  campaign?: string;
  owner?: string;
  region?: string;
  product?: string;
  segment?: string;
  marketing_sourced: boolean;
}

export interface SpendRecord {
  /** A day `YYYY-MM-DD` or a month `YYYY-MM`. */
  date: string;
  amount_minor: number;
  channel: string;
  campaign: string;
  category: 'marketing' | 'sales';
}

export interface CustomerRecord {
  customer_id: string;
  started_at: string;
  churned_at?: string;
  mrr_minor?: number;
  marketing_sourced?: boolean;
}

export interface WebTrafficRecord {
  date: string;
  channel: string;
  sessions: number;
  engaged_sessions?: number;
  bounce_rate?: number;
  conversions?: number;
}

export interface DatasetRecords {
  leads: LeadRecord;
  opportunities: OpportunityRecord;
  spend: SpendRecord;
  customers: CustomerRecord;
  web_traffic: WebTrafficRecord;
}

export type AnyRecord = DatasetRecords[keyof DatasetRecords];

/**
 * Every field of each stored record type, in the order they are written. The stored format's writer
 * (`adapters/record-lines.ts`) serializes exactly these; the checks below fail compilation when a field is added
 * to a record type and not listed here, so no field can be silently left out of the stored files.
 */
export const RECORD_FIELDS = {
  leads: ['lead_id', 'created_at', 'source', 'campaign', 'mql_at', 'sql_at', 'sql_status', 'customer_at', 'owner', 'region', 'marketing_sourced'],
  opportunities: [
    'opportunity_id', 'created_at', 'status', 'closed_at', 'amount_minor', 'source', 'lead_id', 'campaign', 'owner', 'region', 'product',
    'segment', 'marketing_sourced',
  ],
  spend: ['date', 'amount_minor', 'channel', 'campaign', 'category'],
  customers: ['customer_id', 'started_at', 'churned_at', 'mrr_minor', 'marketing_sourced'],
  web_traffic: ['date', 'channel', 'sessions', 'engaged_sessions', 'bounce_rate', 'conversions'],
} as const satisfies { readonly [N in keyof DatasetRecords]: readonly (keyof DatasetRecords[N])[] };

type Unlisted<N extends keyof DatasetRecords> = Exclude<keyof DatasetRecords[N], (typeof RECORD_FIELDS)[N][number]>;
/** Compiles only when every record type's fields are all in `RECORD_FIELDS`. */
export const RECORD_FIELDS_COMPLETE: { readonly [N in keyof DatasetRecords]: [Unlisted<N>] extends [never] ? true : Unlisted<N> } = {
  leads: true, opportunities: true, spend: true, customers: true, web_traffic: true,
};
