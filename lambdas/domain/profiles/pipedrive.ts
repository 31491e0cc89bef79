/**
 * Pipedrive deals (Deals → list view → … → Export filter results, CSV or XLSX). Each header is prefixed with its
 * entity (`Deal - Title`, `Organization - Name`, `Person - Email`); older exports and some locales write it
 * without. A deal's outcome is its `Status` (open / won / lost), never its pipeline `Stage`, which only says
 * where an open deal is. Dates are `YYYY-MM-DD HH:mm:ss`.
 */
import type { ExportProfile } from './types.ts';

/** A deal field, with and without the `Deal - ` prefix. */
const deal = (...labels: string[]): string[] => [...labels.map((l) => `Deal - ${l}`), ...labels];

export const PIPEDRIVE_DEALS: ExportProfile = {
  id: 'pipedrive-deals',
  tool: 'Pipedrive',
  export: 'deals export',
  dataset: 'opportunities',
  language: 'en',
  detect: [['Deal - Status', 'Deal - Deal created', 'Deal created', 'Deal - Deal created on'], ['Deal - Title', 'Deal - ID', 'Deal - Value', 'Title', 'Value']],
  columns: {
    opportunity_id: deal('ID', 'Deal ID'),
    created_at: deal('Deal created', 'Deal created on', 'Add time', 'Created'),
    // The outcome (open / won / lost); `Deal - Stage` is the pipeline stage of an open deal.
    status: deal('Status'),
    closed_flag: [],
    won_flag: [],
    closed_at: deal('Deal closed on', 'Close time', 'Won time', 'Lost time'),
    amount: deal('Value', 'Deal value'),
    currency: deal('Currency', 'Currency of Value'),
    source: deal('Source channel', 'Lead source', 'Source', 'Source origin'),
    campaign: deal('Campaign', 'Source channel ID'),
    owner: deal('Owner'),
    product: deal('Product name', 'Product'),
  },
  // The registry's `Stage` would read the pipeline stage as the outcome.
  only: ['status', 'created_at', 'closed_at'],
  values: {
    status: {
      won: ['won', 'gewonnen', 'gagné', 'ganado'],
      lost: ['lost', 'verloren', 'perdu', 'perdido'],
      open: ['open', 'offen', 'ouvert', 'abierto'],
      // A deleted deal is no deal: left out, with a `row-skipped` warning.
      skip: ['deleted', 'gelöscht', 'supprimé', 'eliminado'],
    },
  },
  notes: [
    '`Deal - Status` (open, won, lost) is the outcome; `Deal - Stage` is ignored. Deleted deals are skipped.',
    'The close date is `Deal - Deal closed on` (won or lost); an open deal\'s `Expected close date` is not read.',
  ],
};
