/**
 * LinkedIn Campaign Manager → Analyze → Export → Campaign performance: a few lines about the report above the
 * header (`Campaign Performance Report (in UTC)`, `Report Start:`, `Report End:`, `Date Generated:`), dates as
 * `M/D/YYYY`, the spend as `Total Spent` in the account's currency (`Currency`).
 */
import type { ExportProfile } from './types.ts';

export const LINKEDIN_ADS: ExportProfile = {
  id: 'linkedin-ads',
  tool: 'LinkedIn Ads',
  export: 'campaign performance export',
  dataset: 'spend',
  language: 'en',
  detect: [['Total Spent', 'Total Spent (*)'], ['Campaign Name', 'Campaign Group Name', 'Campaign ID', 'Campaign Group ID']],
  columns: {
    date: ['Start Date (in UTC)', 'Start Date', 'Day', 'Date', 'Start Date (in *)'],
    amount: ['Total Spent', 'Total Spent (*)', 'Total Spent (Local Currency)', 'Amount Spent'],
    campaign: ['Campaign Name', 'Campaign Group Name', 'Campaign'],
    currency: ['Currency', 'Currency code'],
  },
  preamble: '"Campaign Performance Report (in UTC)", "Report Start:", "Report End:" and "Date Generated:" lines',
  notes: ['Export with the time breakdown "Daily" (or "Monthly"): a row is then a day (or a month) of a campaign.'],
  whenMissing: { date: 'export with the time breakdown "Daily" (or "Monthly")' },
};
