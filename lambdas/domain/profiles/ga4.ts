/**
 * Google Analytics 4 → Reports → Acquisition → Traffic acquisition → Share → Download CSV, with `Date` added as a
 * dimension (the report has no date of its own: without it every row is the whole range). The file starts with a
 * `#` comment block (report name, property, start and end date) and may end with a grand-total row; headers follow
 * the UI language. The channel dimension is "Session primary channel group (Default Channel Group)" in current
 * properties and "Session default channel group" in older ones: both are accepted, in every language.
 */
import type { ExportProfile } from './types.ts';

const PREAMBLE = 'a `#` comment block: report name, account, property, start and end date (`# Start date: 20261001`)';
const FOOTER = 'possibly a grand-total row, skipped';

/** A GA4 profile in one UI language: its words for the channel group, sessions, engaged sessions and key events. */
function ga4(language: 'en' | 'de' | 'fr' | 'es', name: string, words: {
  date: string[]; sessions: string[]; channel: string[]; engaged: string[]; bounce: string[]; keyEvents: string[];
}): ExportProfile {
  return {
    id: `ga4-traffic-${language}`,
    tool: 'Google Analytics 4',
    export: `traffic acquisition report (${name} UI)`,
    dataset: 'web_traffic',
    language,
    // Not the date: an export without it is still GA4's, and is told to add the Date dimension (`whenMissing`).
    detect: [words.sessions, [...words.channel, ...words.engaged]],
    columns: {
      date: words.date,
      sessions: words.sessions,
      channel: words.channel,
      engaged_sessions: words.engaged,
      bounce_rate: words.bounce,
      conversions: words.keyEvents,
    },
    preamble: PREAMBLE,
    footer: FOOTER,
    whenMissing: { date: 'add the "Date" dimension to the report (or to the exploration) and export it again' },
  };
}

export const GA4_EN = ga4('en', 'English', {
  date: ['Date'],
  sessions: ['Sessions'],
  channel: ['Session primary channel group (Default Channel Group)', 'Session default channel group', 'Session primary channel group*', 'Session*channel group*'],
  engaged: ['Engaged sessions'],
  bounce: ['Bounce rate'],
  keyEvents: ['Key events', 'Conversions'],
});

export const GA4_DE = ga4('de', 'German', {
  date: ['Datum'],
  sessions: ['Sitzungen'],
  channel: ['Sitzung – primäre Channelgruppe (Standard-Channelgruppe)', 'Sitzung – Standard-Channelgruppe', 'Sitzung*Channelgruppe*', 'Sitzung*Channel*'],
  engaged: ['Sitzungen mit Interaktionen', 'Sitzungen mit Interaktion', 'Interaktionssitzungen'],
  bounce: ['Absprungrate'],
  keyEvents: ['Schlüsselereignisse', 'Conversions'],
});

export const GA4_FR = ga4('fr', 'French', {
  date: ['Date'],
  sessions: ['Sessions'],
  channel: [
    'Groupe de canaux principal de la session (Groupe de canaux par défaut)', 'Groupe de canaux par défaut de la session',
    'Session - groupe de canaux principal*', 'Session*groupe de canaux*', 'Groupe de canaux*session*',
  ],
  engaged: ['Sessions avec engagement', 'Sessions engagées'],
  bounce: ['Taux de rebond'],
  keyEvents: ['Événements clés', 'Evenements cles', 'Conversions'],
});

export const GA4_ES = ga4('es', 'Spanish', {
  date: ['Fecha'],
  sessions: ['Sesiones'],
  channel: [
    'Grupo de canales principal de la sesión (grupo de canales predeterminado)', 'Grupo de canales predeterminado de la sesión',
    'Grupo de canales*sesión*', 'Grupo de canales*sesion*', 'Sesión*grupo de canales*',
  ],
  engaged: ['Sesiones con interacción', 'Sesiones con interaccion', 'Sesiones con participación'],
  bounce: ['Porcentaje de rebote', 'Tasa de rebote'],
  keyEvents: ['Eventos clave', 'Conversiones'],
});
