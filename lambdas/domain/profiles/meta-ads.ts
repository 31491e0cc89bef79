/**
 * Meta Ads Manager → Reports → Export table data: `Reporting starts` / `Reporting ends` per row (export with the
 * breakdown "By time → Day", else a row covers the whole range; "By time → Month" writes a `Month` column of day
 * ranges), `Amount spent (USD)` with the account currency in the header, and the total of all rows first. The UI's other languages write `Berichtsbeginn`, `Début des rapports`, `Inicio del informe`.
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
    // A time breakdown's column first (a day, or a range of days for Month and Week), else the report's range.
    date: ['Day', 'Tag', 'Jour', 'Día', 'Month', 'Monat', 'Mois', 'Mes', 'Week', 'Woche', 'Semaine', 'Semana',
      'Reporting starts', 'Berichtsbeginn', 'Début des rapports', 'Inicio del informe'],
    date_end: ['Reporting ends', 'Berichtsende', 'Fin des rapports', 'Fin del informe'],
    amount: ['Amount spent (*)', 'Amount spent', 'Ausgegebener Betrag (*)', 'Ausgegebener Betrag', 'Montant dépensé (*)', 'Montant dépensé', 'Importe gastado (*)', 'Importe gastado'],
    campaign: ['Campaign name', 'Kampagnenname', 'Nom de la campagne', 'Nombre de la campaña', 'Ad set name', 'Campaign'],
    currency: ['Currency', 'Währung', 'Devise', 'Divisa', 'Moneda'],
    // The Platform breakdown (facebook, instagram, audience_network, messenger) is where the money went.
    channel: ['Platform', 'Plattform', 'Plateforme', 'Plataforma'],
  },
  // The total of every row comes first, with no account, campaign or date of its own.
  totalRowFirst: true,
  footerLines: ['^No data available\\.?$', '^Keine Daten verfügbar', '^Aucune donnée disponible', '^No hay datos disponibles'],
  notes: [
    'A row covers its Day, or the range of days of its Month or Week breakdown (`2024-10-01 - 2024-10-30`), else ' +
      '`Reporting starts` .. `Reporting ends`: export with a daily breakdown when a row spans two reporting periods. ' +
      'The currency in `Amount spent (EUR)` must be the configured one.',
    'The total row Meta writes first (no campaign or platform; its amount the sum of the rows below) is skipped, and so is "No data available.".',
    'The Platform breakdown is read as the channel.',
  ],
};
