import { hubspotTimestamp, csvLines } from '../format.ts';
import { type Lead } from '../world.ts';

const LEADS_HEADER = [
  'Record ID', 'First Name', 'Last Name', 'Email', 'Company Name', 'Lifecycle Stage', 'Create Date',
  'Original Source', 'Original Source Drill-Down 1', 'Became a Marketing Qualified Lead Date',
  'Became a Sales Qualified Lead Date', 'SQL Status', 'Became a Customer Date', 'Message',
];

function lifecycleStage(l: Lead): string {
  if (l.customerMs !== undefined) return 'Customer';
  if (l.opportunity !== undefined) return 'Opportunity';
  if (l.sqlMs !== undefined) return 'Sales Qualified Lead';
  if (l.mqlMs !== undefined) return 'Marketing Qualified Lead';
  return 'Lead';
}

/** HubSpot contacts export: UTF-8, comma, CRLF, quoted only when needed; state as of the end of the range. */
export function renderLeads(leads: Lead[]): string {
  const rows = leads.map((l) => [
    l.id,
    l.firstName,
    l.lastName,
    l.email,
    l.company.name,
    lifecycleStage(l),
    hubspotTimestamp(l.createdMs),
    l.source,
    l.campaign,
    l.mqlMs !== undefined ? hubspotTimestamp(l.mqlMs) : '',
    l.sqlMs !== undefined ? hubspotTimestamp(l.sqlMs) : '',
    l.sqlStatus ?? '',
    l.customerMs !== undefined ? hubspotTimestamp(l.customerMs) : '',
    l.message,
  ]);
  return csvLines([LEADS_HEADER, ...rows], '\r\n');
}
