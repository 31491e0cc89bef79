/**
 * What people call the canonical columns in their own spreadsheets, in the four languages of the tools' UIs
 * (English, German, French, Spanish): the words suggestions compare a file's headers with when a column is
 * missing (suggest.ts). Not headers the validator accepts by themselves: a mapping file has to say so.
 */

export const COLUMN_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  lead_id: ['id', 'ref', 'reference', 'key', 'code', 'lead', 'lead no', 'lead number', 'contact', 'contact id', 'email', 'e-mail', 'nr', 'nummer', 'lead-nr', 'kontakt', 'kontakt-id',
    'numéro', 'identifiant', 'contact', 'número', 'identificador', 'contacto'],
  opportunity_id: ['id', 'ref', 'reference', 'key', 'code', 'deal', 'deal no', 'deal number', 'opportunity', 'opp id', 'nr', 'nummer', 'deal-nr', 'auftrag', 'angebot', 'chance',
    'numéro', 'affaire', 'opportunité', 'número', 'oportunidad', 'negocio', 'trato'],
  customer_id: ['id', 'ref', 'reference', 'key', 'code', 'customer', 'client', 'company', 'account name', 'account', 'account no', 'customer no', 'kunde', 'kundennummer', 'kunden-nr', 'konto', 'client id',
    'numéro client', 'compte', 'cliente', 'número de cliente', 'cuenta'],
  created_at: ['created', 'created on', 'creation date', 'date created', 'date', 'added', 'date added', 'opened', 'opened on', 'open date',
    'received', 'entered', 'logged', 'signup date', 'sign-up', 'erstellt', 'eröffnet', 'eingegangen', 'ouvert le', 'abierto',
    'erstellt am', 'angelegt', 'angelegt am', 'erstellungsdatum', 'datum', 'eingang', 'créé', 'créé le', 'date de création', 'ajouté le',
    'creado', 'fecha de creación', 'fecha de alta', 'fecha'],
  source: ['source', 'lead source', 'origin', 'channel', 'medium', 'where from', 'came from', 'from', 'referred by', 'how did you hear', 'quelle', 'herkunft', 'kanal', 'lead-quelle',
    'origine', 'canal', 'provenance', 'fuente', 'origen', 'canal'],
  campaign: ['campaign', 'campaign name', 'event', 'initiative', 'programme', 'program', 'kampagne', 'aktion', 'veranstaltung', 'campagne',
    'événement', 'campaña', 'evento'],
  mql_at: ['mql', 'mql date', 'marketing qualified', 'qualified date', 'mql am', 'mql-datum', 'marketing qualifiziert', 'date mql', 'qualifié marketing',
    'fecha mql', 'calificado marketing'],
  sql_at: ['sql', 'sql date', 'sales qualified', 'sales accepted', 'sql am', 'sql-datum', 'vertrieblich qualifiziert', 'date sql', 'qualifié commercial',
    'fecha sql', 'calificado ventas'],
  sql_status: ['sql status', 'accepted', 'acceptance', 'sales acceptance', 'angenommen', 'akzeptiert', 'statut sql', 'accepté', 'aceptado', 'estado sql'],
  customer_at: ['customer since', 'became customer', 'won date', 'purchase date', 'first purchase', 'kunde seit', 'kaufdatum', 'client depuis',
    'date d\'achat', 'cliente desde', 'fecha de compra'],
  status: ['status', 'stage', 'state', 'outcome', 'result', 'phase', 'pipeline stage', 'stufe', 'phase', 'ergebnis', 'zustand', 'statut', 'étape',
    'résultat', 'estado', 'etapa', 'resultado', 'fase'],
  closed_at: ['closed', 'close date', 'closed on', 'won on', 'lost on', 'closing date', 'decision date', 'decided', 'decided on', 'signed on', 'abschluss', 'abschlussdatum',
    'geschlossen am', 'gewonnen am', 'date de clôture', 'clôturé le', 'fecha de cierre', 'cerrado el'],
  amount: ['amount', 'value', 'deal value', 'revenue', 'total', 'price', 'cost', 'spend', 'spent', 'paid', 'payment', 'invoiced', 'betrag',
    'bezahlt', 'wert', 'umsatz', 'summe', 'payé', 'pagado',
    'preis', 'kosten', 'ausgaben', 'montant', 'valeur', 'chiffre d\'affaires', 'prix', 'coût', 'dépense', 'importe', 'valor', 'monto',
    'ingresos', 'precio', 'coste', 'costo', 'gasto'],
  date: ['date', 'day', 'month', 'week', 'period', 'datum', 'tag', 'monat', 'woche', 'zeitraum', 'jour', 'mois', 'semaine', 'période', 'fecha',
    'día', 'mes', 'semana', 'periodo'],
  channel: ['channel', 'source', 'platform', 'network', 'medium', 'kanal', 'plattform', 'netzwerk', 'canal', 'plateforme', 'réseau', 'plataforma',
    'red'],
  category: ['category', 'type', 'kind', 'budget', 'kategorie', 'art', 'typ', 'catégorie', 'catégorie', 'categoría', 'tipo'],
  currency: ['currency', 'ccy', 'währung', 'devise', 'monnaie', 'moneda', 'divisa'],
  started_at: ['start', 'start date', 'started', 'customer since', 'since', 'signed', 'signup', 'contract start', 'beginn', 'start', 'kunde seit',
    'vertragsbeginn', 'seit', 'début', 'client depuis', 'date de début', 'inicio', 'cliente desde', 'fecha de inicio', 'alta'],
  churned_at: ['churn', 'churned', 'churn date', 'cancelled', 'canceled', 'cancellation', 'end date', 'ended', 'left', 'kündigung',
    'gekündigt', 'gekündigt am', 'vertragsende', 'ende', 'résiliation', 'résilié le', 'date de fin', 'baja', 'fecha de baja', 'cancelación',
    'fin'],
  mrr: ['mrr', 'monthly revenue', 'monthly fee', 'monthly', 'subscription', 'plan price', 'monatsumsatz', 'monatlich', 'monatsbeitrag', 'abo',
    'revenu mensuel', 'mensualité', 'abonnement', 'ingreso mensual', 'cuota mensual', 'suscripción'],
  sessions: ['sessions', 'visits', 'visitors', 'traffic', 'sitzungen', 'besuche', 'besucher', 'visites', 'visiteurs', 'sesiones', 'visitas',
    'visitantes'],
  engaged_sessions: ['engaged sessions', 'engaged', 'interactions', 'sitzungen mit interaktionen', 'sessions avec engagement', 'sesiones con interacción'],
  bounce_rate: ['bounce', 'bounce rate', 'absprungrate', 'taux de rebond', 'porcentaje de rebote', 'tasa de rebote'],
  conversions: ['conversions', 'goals', 'key events', 'leads', 'conversionen', 'ziele', 'schlüsselereignisse', 'objectifs', 'événements clés',
    'conversiones', 'objetivos', 'eventos clave'],
  owner: ['owner', 'rep', 'sales rep', 'sales agent', 'agent', 'salesperson', 'sales person', 'seller', 'account executive', 'account manager',
    'assigned to', 'inhaber', 'verantwortlich', 'betreuer', 'verkäufer', 'propriétaire', 'commercial', 'vendeur', 'responsable', 'propietario',
    'vendedor', 'agente'],
  region: ['region', 'country', 'territory', 'market', 'land', 'gebiet', 'markt', 'pays', 'territoire', 'marché', 'país', 'territorio', 'mercado'],
  marketing_sourced: ['marketing sourced', 'from marketing', 'marketing', 'marketing lead', 'aus marketing', 'marketing-quelle', 'issu du marketing',
    'origen marketing'],
};

/** Words for canonical values, to draft a mapping's `values` from a file's own words. */
export const VALUE_SYNONYMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'opportunities.status': {
    won: ['won', 'win', 'closed won', 'signed', 'closed', 'success', 'successful', 'contracted', 'booked', 'gewonnen', 'abgeschlossen',
      'unterschrieben', 'auftrag', 'gagné', 'signé', 'conclu', 'ganado', 'firmado', 'cerrado ganado'],
    lost: ['lost', 'loss', 'closed lost', 'dropped', 'declined', 'rejected', 'cancelled', 'canceled', 'dead', 'no deal', 'verloren', 'abgesagt',
      'abgelehnt', 'storniert', 'perdu', 'refusé', 'annulé', 'perdido', 'rechazado', 'cancelado', 'cerrado perdido'],
  },
  'customers.status': {
    active: ['active', 'live', 'paying', 'current', 'aktiv', 'laufend', 'actif', 'en cours', 'activo', 'vigente'],
    churned: ['churned', 'cancelled', 'canceled', 'ended', 'inactive', 'lost', 'gekündigt', 'beendet', 'inaktiv', 'résilié', 'terminé', 'inactif',
      'cancelado', 'baja', 'inactivo'],
  },
  'leads.sql_status': {
    accepted: ['accepted', 'yes', 'ok', 'angenommen', 'akzeptiert', 'ja', 'accepté', 'oui', 'aceptado', 'sí', 'si'],
    rejected: ['rejected', 'no', 'declined', 'unqualified', 'abgelehnt', 'nein', 'refusé', 'non', 'rechazado'],
    pending: ['pending', 'open', 'offen', 'in prüfung', 'en attente', 'pendiente'],
  },
  'spend.category': {
    marketing: ['marketing', 'mkt', 'werbung', 'publicité', 'publicidad'],
    sales: ['sales', 'vertrieb', 'verkauf', 'ventes', 'commercial', 'ventas'],
  },
  boolean: {
    true: ['yes', 'y', 'true', '1', 'x', 'ja', 'j', 'wahr', 'oui', 'o', 'vrai', 'sí', 'si', 's', 'verdadero'],
    false: ['no', 'n', 'false', '0', 'nein', 'falsch', 'non', 'faux', 'falso'],
  },
  billing_interval: {
    month: ['month', 'monthly', 'monatlich', 'mensuel', 'mensual'],
    year: ['year', 'yearly', 'annual', 'jährlich', 'annuel', 'anual'],
  },
};
