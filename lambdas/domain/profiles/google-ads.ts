/**
 * Google Ads reports downloaded from the UI (Campaigns → Download, or the Report editor): the report's title and
 * date range above the header, one row per day (or week, month) and campaign with the segment column added, and
 * total rows (`Total: Account`, `Gesamt: Konto`, `Total : compte`, `Total: cuenta`) under or above the data,
 * which are skipped. Headers and number formats follow the UI language: the German, French and Spanish (Spain) UIs
 * write decimal commas (`1.234,56`, `1 234,56`), the Latin-American Spanish UI decimal points.
 */
import type { ExportProfile } from './types.ts';

const PREAMBLE = 'the report\'s title ("Campaign report") and its date range on the lines above the header';
const footer = (label: string): string => `total rows ("${label}") under or above the data, skipped`;
/** A campaign report without a time segment has one row per campaign for the whole range: no day to put it on. */
const WHEN_MISSING = {
  date: 'add the "Day" segment to the report (Segment → Time → Day; "Week" or "Month" also work) and download it again',
  amount: 'add the "Cost" column to the report and download it again',
};

export const GOOGLE_ADS_EN: ExportProfile = {
  id: 'google-ads-en',
  tool: 'Google Ads',
  export: 'campaign report (English UI)',
  dataset: 'spend',
  language: 'en',
  detect: [['Cost'], ['Impr.', 'Impressions', 'Clicks', 'Currency code'], ['Day', 'Date', 'Week', 'Month', 'Campaign']],
  columns: {
    date: ['Day', 'Date', 'Week', 'Month'],
    amount: ['Cost'],
    campaign: ['Campaign', 'Campaign name'],
    currency: ['Currency code', 'Currency'],
  },
  preamble: PREAMBLE,
  footer: footer('Total: Account'),
  whenMissing: WHEN_MISSING,
};

export const GOOGLE_ADS_DE: ExportProfile = {
  id: 'google-ads-de',
  tool: 'Google Ads',
  export: 'campaign report (German UI)',
  dataset: 'spend',
  language: 'de',
  detect: [['Kosten'], ['Impr.', 'Impressionen', 'Klicks', 'Währungscode', 'Währung'], ['Tag', 'Datum', 'Woche', 'Monat', 'Kampagne']],
  columns: {
    date: ['Tag', 'Datum', 'Woche', 'Monat'],
    amount: ['Kosten'],
    campaign: ['Kampagne', 'Kampagnenname'],
    currency: ['Währungscode', 'Währung'],
  },
  dateOrder: 'DMY',
  decimalSeparator: ',',
  preamble: `${PREAMBLE} ("Kampagnenbericht")`,
  footer: footer('Gesamt: Konto'),
  whenMissing: WHEN_MISSING,
};

export const GOOGLE_ADS_FR: ExportProfile = {
  id: 'google-ads-fr',
  tool: 'Google Ads',
  export: 'campaign report (French UI)',
  dataset: 'spend',
  language: 'fr',
  detect: [['Coût', 'Cout'], ['Impr.', 'Impressions', 'Clics', 'Code de la devise', 'Devise'], ['Jour', 'Date', 'Semaine', 'Mois', 'Campagne']],
  columns: {
    date: ['Jour', 'Date', 'Semaine', 'Mois'],
    amount: ['Coût', 'Cout'],
    campaign: ['Campagne', 'Nom de la campagne'],
    currency: ['Code de la devise', 'Code devise', 'Devise'],
  },
  dateOrder: 'DMY',
  decimalSeparator: ',',
  preamble: `${PREAMBLE} ("Rapport sur les campagnes")`,
  footer: footer('Total : compte'),
  whenMissing: WHEN_MISSING,
};

export const GOOGLE_ADS_ES: ExportProfile = {
  id: 'google-ads-es',
  tool: 'Google Ads',
  export: 'campaign report (Spanish UI, Spain)',
  dataset: 'spend',
  language: 'es',
  detect: [['Coste'], ['Impr.', 'Impresiones', 'Clics', 'Código de moneda', 'Moneda'], ['Día', 'Fecha', 'Semana', 'Mes', 'Campaña']],
  columns: {
    date: ['Día', 'Dia', 'Fecha', 'Semana', 'Mes'],
    amount: ['Coste'],
    campaign: ['Campaña', 'Nombre de la campaña'],
    currency: ['Código de moneda', 'Codigo de moneda', 'Moneda'],
  },
  dateOrder: 'DMY',
  decimalSeparator: ',',
  preamble: `${PREAMBLE} ("Informe de campañas")`,
  footer: footer('Total: cuenta'),
  whenMissing: WHEN_MISSING,
};

export const GOOGLE_ADS_ES_419: ExportProfile = {
  ...GOOGLE_ADS_ES,
  id: 'google-ads-es-419',
  export: 'campaign report (Spanish UI, Latin America)',
  detect: [['Costo'], ['Impr.', 'Impresiones', 'Clics', 'Código de moneda', 'Moneda'], ['Día', 'Fecha', 'Semana', 'Mes', 'Campaña']],
  columns: { ...GOOGLE_ADS_ES.columns, amount: ['Costo'] },
  decimalSeparator: '.',
  notes: ['Latin-American Spanish writes `Costo` and decimal points (`1,234.56`); Spain writes `Coste` and decimal commas.'],
};
