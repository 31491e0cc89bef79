/**
 * The profile registry: every tool export the validator recognises from its header (docs/exports.md, "Exports of
 * the tools"). Adding a tool is adding its profile file and listing it here, with a fixture and a test.
 */
import type { DatasetName } from '../layout.ts';
import { GA4_DE, GA4_EN, GA4_ES, GA4_FR } from './ga4.ts';
import { GOOGLE_ADS_DE, GOOGLE_ADS_EN, GOOGLE_ADS_ES, GOOGLE_ADS_ES_419, GOOGLE_ADS_FR } from './google-ads.ts';
import { HUBSPOT_COMPANIES, HUBSPOT_CONTACTS, HUBSPOT_DEALS } from './hubspot.ts';
import { LINKEDIN_ADS } from './linkedin-ads.ts';
import { META_ADS } from './meta-ads.ts';
import { MICROSOFT_ADS } from './microsoft-ads.ts';
import { PIPEDRIVE_DEALS } from './pipedrive.ts';
import { SALESFORCE_CONTACTS, SALESFORCE_LEADS, SALESFORCE_OPPORTUNITIES } from './salesforce.ts';
import { STRIPE_SUBSCRIPTIONS } from './stripe.ts';
import type { ExportProfile } from './types.ts';

export type { ExportProfile, HeaderPattern, Vocabulary } from './types.ts';

export const PROFILES: readonly ExportProfile[] = [
  HUBSPOT_CONTACTS, SALESFORCE_LEADS, SALESFORCE_CONTACTS,
  SALESFORCE_OPPORTUNITIES, HUBSPOT_DEALS, PIPEDRIVE_DEALS,
  GOOGLE_ADS_EN, GOOGLE_ADS_DE, GOOGLE_ADS_FR, GOOGLE_ADS_ES, GOOGLE_ADS_ES_419, MICROSOFT_ADS, LINKEDIN_ADS, META_ADS,
  STRIPE_SUBSCRIPTIONS, HUBSPOT_COMPANIES,
  GA4_EN, GA4_DE, GA4_FR, GA4_ES,
];

export const PROFILE_BY_ID: ReadonlyMap<string, ExportProfile> = new Map(PROFILES.map((p) => [p.id, p]));

export function profilesOf(dataset: DatasetName): readonly ExportProfile[] {
  return PROFILES.filter((p) => p.dataset === dataset);
}
