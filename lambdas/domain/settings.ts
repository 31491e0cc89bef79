/**
 * The settings the whole pipeline shares: the CDK stack (context / config file), the Lambdas (environment)
 * and the CLI (`--config`) all produce one `Settings` through `parseSettings`, so a value means the same
 * thing everywhere.
 */

import { DATASET_NAMES, isDatasetName } from './layout.ts';

export type DateOrder = 'MDY' | 'DMY';
export type PeriodType = 'month' | 'quarter' | 'week';
export type BusinessModel = 'b2b' | 'saas' | 'ecommerce';

export interface Settings {
  /** IANA time zone periods and date-only values are read in. @default 'UTC' */
  readonly timezone: string;
  /** ISO 4217 currency every money value is in. @default 'USD' */
  readonly currency: string;
  /** How slash dates are read. @default 'MDY' */
  readonly dateOrder: DateOrder;
  /** The scorecard's period. @default 'month' */
  readonly periodType: PeriodType;
  /** Picks the lead-to-customer benchmark band. @default 'b2b' */
  readonly businessModel: BusinessModel;
  /** Lead sources that count as sales-sourced (case-insensitive substrings). */
  readonly salesSourcedSources: readonly string[];
  /** Sender address (a verified SES identity) of the scorecard. */
  readonly sender: string;
  /** Who receives the scorecard. */
  readonly recipients: readonly string[];
  /** Who hears about rejected uploads. @default 'ops@example.com' (a placeholder, like sender and recipients) */
  readonly opsEmail: string;
  /** Leadership's own target per KPI id, overriding the catalog's benchmark. */
  readonly targets: Readonly<Record<string, number>>;
  /** Lifespan used for CLV when nobody churned in the period, in months. @default 60 */
  readonly clvLifespanCapMonths: number;
  /** Gross margin applied to CLV, as a fraction; none when absent. */
  readonly grossMargin?: number;
  /**
   * Share of an upload's data rows (0 to 1) that may have errors and still let the upload be accepted: the rows
   * with errors are dropped and the report says how many. @default 0 (any error rejects the file whole)
   */
  readonly errorTolerance?: number;
  /**
   * Recipient groups, each with the scorecard sections it gets (section ids of the metric registry:
   * acquisition, conversion, revenue, efficiency, web). When absent, `recipients` get every section.
   */
  readonly recipientGroups?: readonly { readonly name: string; readonly recipients: readonly string[]; readonly sections?: readonly string[] }[];
  /** When a required dataset has no records for the period: send with a banner, or hold and tell ops. @default 'banner' */
  readonly whenDataMissing?: 'banner' | 'hold';
  /** Datasets the period must have records of for the scorecard to count as complete. @default all five */
  readonly requiredDatasets?: readonly string[];
}

export const DEFAULT_SALES_SOURCED = ['outbound', 'sales', 'prospecting', 'sdr', 'bdr', 'sales generated'] as const;

export const DEFAULT_SETTINGS: Settings = {
  timezone: 'UTC',
  currency: 'USD',
  dateOrder: 'MDY',
  periodType: 'month',
  businessModel: 'b2b',
  salesSourcedSources: DEFAULT_SALES_SOURCED,
  sender: 'scorecard@example.com',
  recipients: ['executives@example.com'],
  opsEmail: 'ops@example.com',
  targets: {},
  clvLifespanCapMonths: 60,
};

export class SettingsError extends Error {
  override name = 'SettingsError';
}

const list = (v: unknown): string[] | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
};

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined || v === null || v === '') return fallback;
  const s = String(v);
  if (!(allowed as readonly string[]).includes(s)) {
    throw new SettingsError(`${name} must be one of ${allowed.join(', ')}, got "${s}"`);
  }
  return s as T;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds settings from loose key/values (CDK context, a JSON config file, or environment variables already
 * mapped to these keys). Unknown keys are ignored; bad values throw a `SettingsError` naming the key.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>, base: Settings = DEFAULT_SETTINGS): Settings {
  const timezone = raw.timezone ? String(raw.timezone) : base.timezone;
  if (!isValidTimeZone(timezone)) throw new SettingsError(`timezone "${timezone}" is not an IANA time zone`);
  const currency = raw.currency ? String(raw.currency).toUpperCase() : base.currency;
  if (!/^[A-Z]{3}$/.test(currency)) throw new SettingsError(`currency "${currency}" is not an ISO 4217 code`);
  const sender = raw.sender ? String(raw.sender) : base.sender;
  const targetsRaw = raw.targets;
  let targets = base.targets;
  if (typeof targetsRaw === 'string' && targetsRaw.trim()) targets = JSON.parse(targetsRaw) as Record<string, number>;
  else if (targetsRaw && typeof targetsRaw === 'object') targets = targetsRaw as Record<string, number>;
  const cap = raw.clvLifespanCapMonths !== undefined ? Number(raw.clvLifespanCapMonths) : base.clvLifespanCapMonths;
  if (!Number.isFinite(cap) || cap <= 0) throw new SettingsError(`clvLifespanCapMonths must be a positive number`);
  const margin = raw.grossMargin !== undefined && raw.grossMargin !== '' ? Number(raw.grossMargin) : base.grossMargin;
  if (margin !== undefined && !(margin > 0 && margin <= 1)) throw new SettingsError(`grossMargin must be in (0, 1]`);
  const tolerance = raw.errorTolerance !== undefined && raw.errorTolerance !== '' ? Number(raw.errorTolerance) : base.errorTolerance;
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance <= 1)) {
    throw new SettingsError(`errorTolerance must be a fraction of rows between 0 and 1 (0.01 = 1%), got "${String(raw.errorTolerance)}"`);
  }
  let groups = base.recipientGroups;
  const groupsRaw = raw.recipientGroups;
  if (groupsRaw !== undefined && groupsRaw !== '') {
    const parsed: unknown = typeof groupsRaw === 'string' ? JSON.parse(groupsRaw) : groupsRaw;
    if (!Array.isArray(parsed) || !parsed.every((g) => g && typeof g.name === 'string' && Array.isArray(g.recipients))) {
      throw new SettingsError('recipientGroups must be a list of { "name", "recipients": [...], "sections"?: [...] }');
    }
    groups = parsed as Settings['recipientGroups'];
  }
  const whenMissing = raw.whenDataMissing !== undefined && raw.whenDataMissing !== ''
    ? oneOf('whenDataMissing', raw.whenDataMissing, ['banner', 'hold'] as const, 'banner')
    : base.whenDataMissing;
  const required = list(raw.requiredDatasets) ?? base.requiredDatasets;
  const unknownDatasets = required?.filter((d) => !isDatasetName(d)) ?? [];
  if (unknownDatasets.length) throw new SettingsError(`requiredDatasets names unknown datasets ${unknownDatasets.join(', ')} (known: ${DATASET_NAMES.join(', ')})`);
  const settings: Settings = {
    timezone,
    currency,
    dateOrder: oneOf('dateOrder', raw.dateOrder, ['MDY', 'DMY'] as const, base.dateOrder),
    periodType: oneOf('periodType', raw.periodType, ['month', 'quarter', 'week'] as const, base.periodType),
    businessModel: oneOf('businessModel', raw.businessModel, ['b2b', 'saas', 'ecommerce'] as const, base.businessModel),
    salesSourcedSources: list(raw.salesSourcedSources) ?? base.salesSourcedSources,
    sender,
    recipients: list(raw.recipients) ?? base.recipients,
    opsEmail: raw.opsEmail ? String(raw.opsEmail) : base.opsEmail,
    targets,
    clvLifespanCapMonths: cap,
    ...(margin !== undefined ? { grossMargin: margin } : {}),
    ...(tolerance !== undefined && tolerance > 0 ? { errorTolerance: tolerance } : {}),
    ...(groups ? { recipientGroups: groups } : {}),
    ...(whenMissing ? { whenDataMissing: whenMissing } : {}),
    ...(required ? { requiredDatasets: required } : {}),
  };
  return settings;
}

/** Environment variable of each setting, for the Lambdas. One place, read by the stack and the handlers. */
export const SETTINGS_ENV: Readonly<Record<keyof Settings, string>> = {
  timezone: 'SCORECARD_TIMEZONE',
  currency: 'SCORECARD_CURRENCY',
  dateOrder: 'SCORECARD_DATE_ORDER',
  periodType: 'SCORECARD_PERIOD_TYPE',
  businessModel: 'SCORECARD_BUSINESS_MODEL',
  salesSourcedSources: 'SCORECARD_SALES_SOURCED_SOURCES',
  sender: 'SCORECARD_SENDER',
  recipients: 'SCORECARD_RECIPIENTS',
  opsEmail: 'SCORECARD_OPS_EMAIL',
  targets: 'SCORECARD_TARGETS',
  clvLifespanCapMonths: 'SCORECARD_CLV_LIFESPAN_CAP_MONTHS',
  grossMargin: 'SCORECARD_GROSS_MARGIN',
  errorTolerance: 'SCORECARD_ERROR_TOLERANCE',
  recipientGroups: 'SCORECARD_RECIPIENT_GROUPS',
  whenDataMissing: 'SCORECARD_WHEN_DATA_MISSING',
  requiredDatasets: 'SCORECARD_REQUIRED_DATASETS',
};

/** Settings → environment variables (for the stack), the inverse of `settingsFromEnv`. */
export function settingsToEnv(s: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(SETTINGS_ENV) as [keyof Settings, string][]) {
    const v = s[key];
    if (v === undefined) continue;
    const isList = Array.isArray(v) && v.every((x) => typeof x === 'string');
    env[name] = isList ? (v as string[]).join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return env;
}

/** Environment variables → settings (for the handlers). */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): Settings {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(SETTINGS_ENV)) {
    if (env[name] !== undefined) raw[key] = env[name];
  }
  return parseSettings(raw);
}
