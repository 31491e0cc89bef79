/** The five datasets and the file name each one gets under `samples/`. */

export const DATASETS = ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const;
export type Dataset = (typeof DATASETS)[number];

/** File name prefix per dataset; the file is `<prefix>-<YYYY-MM>.csv`, so name order = chronological order. */
export const FILE_PREFIX: Record<Dataset, string> = {
  leads: 'hubspot-contacts',
  opportunities: 'salesforce-opportunities',
  spend: 'google-ads-cost',
  customers: 'billing-customers',
  web_traffic: 'ga4-traffic-acquisition',
};

export function sampleFileName(dataset: Dataset, month: string): string {
  return `${dataset}/${FILE_PREFIX[dataset]}-${month}.csv`;
}
