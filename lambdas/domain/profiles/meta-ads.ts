/**
 * Meta Ads Manager → Reports → Export table data: `Reporting starts` / `Reporting ends` per row (export with the
 * breakdown "By time → Day", else a row covers the whole range), `Amount spent (USD)` with the account currency in
 * the header. The UI's other languages write `Berichtsbeginn`, `Début des rapports`, `Inicio del informe`.
 */
import type { ExportProfile } from './types.ts';

export const META_ADS: ExportProfile = {
  id: 'meta-ads',
  tool: 'Meta',
  export: 'Ads Manager export',
  dataset: 'spend',
  language: 'any',
  detect: [
    ['Reporting starts', 'Berichtsbeginn', 'Début des rapports', 'Inicio del informe', 'Reporting Starts'],
    ['Amount spent (*)', 'Amount spent', 'Ausgegebener Betrag*', 'Montant dépensé*', 'Importe gastado*', 'Importe gastado'],
  ],
  columns: {
    date: ['Reporting starts', 'Berichtsbeginn', 'Début des rapports', 'Inicio del informe', 'Day', 'Tag', 'Jour', 'Día'],
    date_end: ['Reporting ends', 'Berichtsende', 'Fin des rapports', 'Fin del informe'],
    amount: ['Amount spent (*)', 'Amount spent', 'Ausgegebener Betrag (*)', 'Ausgegebener Betrag', 'Montant dépensé (*)', 'Montant dépensé', 'Importe gastado (*)', 'Importe gastado'],
    campaign: ['Campaign name', 'Kampagnenname', 'Nom de la campagne', 'Nombre de la campaña', 'Ad set name', 'Campaign'],
    currency: ['Currency', 'Währung', 'Devise', 'Divisa', 'Moneda'],
  },
  notes: [
    'A row covers `Reporting starts` .. `Reporting ends`: export with a daily breakdown when the range spans two ' +
      'reporting periods. The currency in `Amount spent (EUR)` must be the configured one.',
  ],
};
