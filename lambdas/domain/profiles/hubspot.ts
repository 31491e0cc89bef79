/**
 * HubSpot exports (CRM → Contacts / Deals / Companies → Export, CSV or XLSX). Headers are the property labels
 * (`Create Date`), or the internal names (`createdate`) when exported through the API or a workflow; HubSpot
 * renamed "Original Source" to "Original Traffic Source" and replaced the "Became a … Date" properties with
 * "Date entered "… (Lifecycle Stage Pipeline)"", so both generations are accepted. Dates are `YYYY-MM-DD HH:mm`.
 */
import type { ExportProfile, Vocabulary } from './types.ts';

/** HubSpot's original-source values: the internal names an API export writes, read as the labels the UI shows. */
const TRAFFIC_SOURCES: Vocabulary = {
  'Organic Search': ['ORGANIC_SEARCH'],
  'Paid Search': ['PAID_SEARCH'],
  'Direct Traffic': ['DIRECT_TRAFFIC'],
  'Offline Sources': ['OFFLINE'],
  'Social Media': ['SOCIAL_MEDIA', 'Organic Social'],
  'Paid Social': ['PAID_SOCIAL'],
  'Email Marketing': ['EMAIL_MARKETING'],
  Referrals: ['REFERRALS'],
  'Other Campaigns': ['OTHER_CAMPAIGNS'],
  'AI Referrals': ['AI_REFERRALS'],
};

const RECORD_ID = ['Record ID', 'hs_object_id'];
const SOURCE = ['Original Traffic Source', 'Original Source', 'Original Source Type', 'hs_analytics_source'];
const DRILL_DOWN = ['Original Traffic Source Drill-Down 1', 'Original Source Drill-Down 1', 'hs_analytics_source_data_1'];
/** The lifecycle-stage date of a stage, in both generations of HubSpot properties. */
const stageDate = (label: string, internal: string): string[] => [
  `Date entered*${label}*`, `Became ${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label} Date`,
  `hs_v2_date_entered_${internal}`, `hs_lifecyclestage_${internal}_date`,
];

export const HUBSPOT_CONTACTS: ExportProfile = {
  id: 'hubspot-contacts',
  tool: 'HubSpot',
  export: 'contacts export',
  dataset: 'leads',
  language: 'en',
  detect: [RECORD_ID, ['Create Date', 'createdate'], [...SOURCE, 'Lifecycle Stage', 'lifecyclestage']],
  columns: {
    lead_id: RECORD_ID,
    created_at: ['Create Date', 'createdate', ...stageDate('Lead', 'lead')],
    source: SOURCE,
    campaign: DRILL_DOWN,
    mql_at: stageDate('Marketing Qualified Lead', 'marketingqualifiedlead'),
    sql_at: stageDate('Sales Qualified Lead', 'salesqualifiedlead'),
    customer_at: stageDate('Customer', 'customer'),
    owner: ['Contact owner', 'hubspot_owner_id'],
    region: ['Country/Region', 'Country', 'State/Region'],
  },
  values: { source: TRAFFIC_SOURCES },
  notes: [
    'Internal source names of an API export (`PAID_SEARCH`) are read as the labels of the UI (`Paid Search`).',
  ],
};

export const HUBSPOT_DEALS: ExportProfile = {
  id: 'hubspot-deals',
  tool: 'HubSpot',
  export: 'deals export',
  dataset: 'opportunities',
  language: 'en',
  detect: [RECORD_ID, ['Deal Stage', 'dealstage'], ['Deal Name', 'dealname', 'Pipeline', 'Amount']],
  columns: {
    opportunity_id: RECORD_ID,
    created_at: ['Create Date', 'createdate'],
    status: ['Deal Stage', 'dealstage'],
    closed_flag: ['Is Closed', 'Is closed?', 'hs_is_closed'],
    won_flag: ['Is Closed Won', 'Is closed won?', 'hs_is_closed_won'],
    closed_at: ['Close Date', 'closedate'],
    // The company-currency amount first: a deal's own currency may differ, the company's is the reporting one.
    amount: ['Amount in company currency', 'amount_in_home_currency', 'Amount', 'amount'],
    currency: [],
    // The deal's original source first; its latest one only when the export has no other.
    source: [...SOURCE, 'Deal source', 'Deal Source Type', 'Lead Source', 'Source', 'Latest Traffic Source', 'Latest Source'],
    campaign: DRILL_DOWN,
    lead_id: ['Associated Contact IDs', 'Associated Contact ID'],
    owner: ['Deal owner', 'hubspot_owner_id'],
  },
  values: {
    status: {
      won: ['closedwon', 'Closed Won', 'Won'],
      lost: ['closedlost', 'Closed Lost', 'Lost'],
    },
    source: TRAFFIC_SOURCES,
  },
  notes: [
    'Deal stages `closedwon` / "Closed Won" are won, `closedlost` / "Closed Lost" lost, every other stage open; the ' +
      '`Is Closed` and `Is Closed Won` properties decide when exported.',
    'The deal\'s original traffic source is its source (marketing-sourced unless a configured sales-sourced source).',
    '`Amount in company currency` is read before `Amount` (the deal\'s own currency).',
  ],
};

export const HUBSPOT_COMPANIES: ExportProfile = {
  id: 'hubspot-companies',
  tool: 'HubSpot',
  export: 'companies export',
  dataset: 'customers',
  language: 'en',
  detect: [RECORD_ID, ['Company name', 'Name', 'name', 'Company Domain Name'], ['Lifecycle Stage', 'lifecyclestage', ...stageDate('Customer', 'customer')]],
  columns: {
    customer_id: RECORD_ID,
    started_at: stageDate('Customer', 'customer'),
    churned_at: ['Churn Date', 'Churned Date', 'Cancellation Date'],
    mrr: ['Monthly Recurring Revenue', 'MRR', 'hs_mrr'],
    arr: ['Annual Recurring Revenue', 'ARR', 'hs_arr'],
    status: ['Lifecycle Stage', 'lifecyclestage'],
    currency: [],
  },
  values: {
    status: {
      active: ['customer', 'evangelist'],
      // Every other lifecycle stage (lead, opportunity, other, a portal's own stages) is no customer.
      skip: ['*'],
    },
  },
  notes: [
    'Companies whose lifecycle stage is not Customer or Evangelist are not customers: they are skipped (`row-skipped`).',
    'HubSpot has no churn date of its own: without a `Churn Date` property, retention and CLV are n/a (`kpi-input-missing`).',
  ],
};
