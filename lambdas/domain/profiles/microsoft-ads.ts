/**
 * Microsoft Advertising → Reports → Campaign (download as CSV or XLSX): a block of report lines above the header
 * (`Report Name:`, `Report Time:`, `Time Zone:`, `Last Completed Available Day:`, `Rows:`), a `Total` row, and the
 * copyright line under the data. The UI names the date column `Day` or `Gregorian date`; API reports write
 * `TimePeriod`, `CampaignName`, `CurrencyCode`.
 */
import type { ExportProfile } from './types.ts';

export const MICROSOFT_ADS: ExportProfile = {
  id: 'microsoft-ads',
  tool: 'Microsoft Advertising',
  export: 'campaign performance report',
  dataset: 'spend',
  language: 'en',
  detect: [['Spend'], ['Impr.', 'Impressions', 'Clicks', 'Currency code', 'CurrencyCode'], ['Gregorian date', 'Day', 'TimePeriod', 'Time period', 'Date', 'Campaign name', 'CampaignName', 'Account name']],
  columns: {
    date: ['Gregorian date', 'Day', 'TimePeriod', 'Time period', 'Date', 'Week', 'Month'],
    amount: ['Spend'],
    campaign: ['Campaign name', 'Campaign', 'CampaignName'],
    currency: ['Currency code', 'CurrencyCode', 'Currency'],
  },
  preamble: '"Report Name:", "Report Time:", "Time Zone:", "Last Completed Available Day:", "Potential Incomplete Data:" and "Rows:" lines',
  footer: 'a "Total" row and "©2026 Microsoft Corporation. All rights reserved."',
  footerLines: ['^©', '^\\(c\\)\\s*\\d{4}\\s+microsoft', '^microsoft corporation'],
  whenMissing: { date: 'choose the time unit "Day" (or "Month") for the report and download it again' },
};
