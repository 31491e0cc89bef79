/**
 * The settings' shape, defaults and environment variable names. The checks are the zod schema of schema.ts;
 * lambdas/domain/settings.ts is the entry point everything imports.
 */

export type DateOrder = 'MDY' | 'DMY';
export type PeriodType = 'month' | 'quarter' | 'week';
export type BusinessModel = 'b2b' | 'saas' | 'ecommerce';

export interface RecipientGroup {
  readonly name: string;
  readonly recipients: readonly string[];
  /** Section ids of the metric registry (`SECTIONS`); all of them when absent. */
  readonly sections?: readonly string[];
}

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
  /** The display name shown with the sender address. @default 'Marketing scorecard' (`DEFAULT_SENDER_NAME`) */
  readonly senderName?: string;
  /** Who receives the scorecard. */
  readonly recipients: readonly string[];
  /** Who hears about rejected uploads. @default 'ops@example.com' (a placeholder, like sender and recipients) */
  readonly opsEmail: string;
  /** Whom readers of the scorecard ask about its numbers (the footer, and Reply-To). @default opsEmail */
  readonly contact?: string;
  /**
   * Days a link of the scorecard email to its drill-down page works. @default long enough to reach the next
   * scorecard with some room: `DEFAULT_LINK_VALIDITY_DAYS` of the period type
   */
  readonly linkValidityDays?: number;
  /** Leadership's own target per KPI id (an id of the metric registry), overriding the catalog's benchmark. */
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
  readonly recipientGroups?: readonly RecipientGroup[];
  /** When a required dataset has no records for the period: send with a banner, or hold and tell ops. @default 'banner' */
  readonly whenDataMissing?: 'banner' | 'hold';
  /** Datasets the period must have records of for the scorecard to count as complete. @default all five */
  readonly requiredDatasets?: readonly string[];
}

/**
 * The config file's keys only the CDK stack reads (lib/config.ts). They are part of the file's schema so that the
 * file the stack and the CLI share is checked the same way everywhere; the CLI checks and then ignores them.
 */
export interface StackKeys {
  /** EventBridge Scheduler expression of the KPI run (lib/config.ts checks its syntax). */
  readonly schedule?: string;
  /** The SES identity (domain or address) the functions send as. @default the sender's domain */
  readonly sesIdentity?: string;
  readonly sesSandbox?: boolean;
  readonly removalPolicy?: 'retain' | 'destroy';
  readonly deletionProtection?: boolean;
  readonly noncurrentVersionDays?: number;
  readonly rejectedRetentionDays?: number;
  readonly alarmEmail?: string;
}

export const DEFAULT_SALES_SOURCED = ['outbound', 'sales', 'prospecting', 'sdr', 'bdr', 'sales generated'] as const;

/** The sender's display name when `senderName` is not set. */
export const DEFAULT_SENDER_NAME = 'Marketing scorecard';

/** Days the email's links work, per period type: past the next scorecard (which brings new links), with room. */
export const DEFAULT_LINK_VALIDITY_DAYS: Readonly<Record<PeriodType, number>> = { week: 21, month: 62, quarter: 184 };

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

/** Environment variable of each setting, for the Lambdas. One place, read by the stack and the handlers. */
export const SETTINGS_ENV: Readonly<Record<keyof Settings, string>> = {
  timezone: 'SCORECARD_TIMEZONE',
  currency: 'SCORECARD_CURRENCY',
  dateOrder: 'SCORECARD_DATE_ORDER',
  periodType: 'SCORECARD_PERIOD_TYPE',
  businessModel: 'SCORECARD_BUSINESS_MODEL',
  salesSourcedSources: 'SCORECARD_SALES_SOURCED_SOURCES',
  sender: 'SCORECARD_SENDER',
  senderName: 'SCORECARD_SENDER_NAME',
  recipients: 'SCORECARD_RECIPIENTS',
  opsEmail: 'SCORECARD_OPS_EMAIL',
  contact: 'SCORECARD_CONTACT',
  linkValidityDays: 'SCORECARD_LINK_VALIDITY_DAYS',
  targets: 'SCORECARD_TARGETS',
  clvLifespanCapMonths: 'SCORECARD_CLV_LIFESPAN_CAP_MONTHS',
  grossMargin: 'SCORECARD_GROSS_MARGIN',
  errorTolerance: 'SCORECARD_ERROR_TOLERANCE',
  recipientGroups: 'SCORECARD_RECIPIENT_GROUPS',
  whenDataMissing: 'SCORECARD_WHEN_DATA_MISSING',
  requiredDatasets: 'SCORECARD_REQUIRED_DATASETS',
};
