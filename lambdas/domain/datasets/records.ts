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
