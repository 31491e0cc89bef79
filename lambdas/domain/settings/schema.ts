/**
 * The one schema of the settings: the keys of `Settings` and the config file's stack-only keys, with their
 * checks. Every source goes through it: the CDK stack (config file and context, lib/config.ts), the Lambdas
 * (environment, `settingsFromEnv`) and the CLI (`--config`, `parseSettingsJson`); docs/settings.schema.json is
 * generated from it (scripts/generate-settings-schema.ts).
 *
 * A config file holds JSON values (lists as arrays, numbers as numbers, `targets` as an object). CDK context
 * (`-c key=value`) and environment variables only carry strings, so each key also accepts its string form:
 * a comma-separated list, a number or true/false as text, JSON text for `targets` and `recipientGroups`. A blank
 * string or null is the same as an absent key. The JSON Schema documents the JSON forms.
 */
// A namespace import lets the bundler drop zod's unused parts (its locales): `import { z }` adds ~350 kB to each Lambda.
import * as z from 'zod';
import { DATASET_NAMES } from '../layout.ts';
import { METRICS, SECTIONS, type MetricUnit } from '../metrics/registry.ts';
import { describeValue, type SchemaLookup } from './errors.ts';
import { DEFAULT_LINK_VALIDITY_DAYS, DEFAULT_SALES_SOURCED, DEFAULT_SENDER_NAME, DEFAULT_SETTINGS, type Settings, type StackKeys } from './model.ts';

// ---- string forms ------------------------------------------------------------------------------------------

type Ctx = z.core.$RefinementCtx;

const absent = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A number written as text; anything else stays a string (and fails the number check, quoted in the message). */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const asNumber = (s: string): unknown => (NUMBER_TEXT.test(s) ? Number(s) : s);

const TRUE = ['true', 'yes', '1'];
const FALSE = ['false', 'no', '0'];
const asBoolean = (s: string): unknown => (TRUE.includes(s.toLowerCase()) ? true : FALSE.includes(s.toLowerCase()) ? false : s);

const asList = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

function asJson(s: string, ctx: Ctx): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(e as Error).message})`, input: s });
    return z.NEVER;
  }
}

/** An optional key: absent when blank, its string form read by `fromText` first. */
function key<T extends z.ZodType>(schema: T, fromText: (s: string, ctx: Ctx) => unknown = (s) => s) {
  return z
    .preprocess((v, ctx) => (absent(v) ? undefined : typeof v === 'string' ? fromText(v.trim(), ctx) : v), schema.optional())
    .optional();
}

/** A list's string form split on commas; an array's string items trimmed and blank ones dropped. */
const listItems = (v: unknown): unknown =>
  typeof v === 'string' ? asList(v)
  : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '')
  : v;

/** A required list: a JSON array, or a comma-separated string. */
const listOf = <T extends z.ZodType>(item: T) => z.preprocess(listItems, z.array(item));

/** An optional list (absent when blank). */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (absent(v) ? undefined : listItems(v)), z.array(item).optional()).optional();

// ---- value checks ------------------------------------------------------------------------------------------

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * An email address, bare (`name@example.com`): the addresses are SES envelope addresses and identities
 * (lib/constructs/ses-identity.ts), so a display-name form ("Name <a@b.c>") is refused.
 */
const email = () => z.email({ error: (iss) => `${describeValue(iss.input)} is not an email address` });

/** One of a few strings. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const words = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return z.enum(values, { error: (iss) => `must be ${words}, got ${describeValue(iss.input)}` });
}

interface Bounds {
  readonly gt?: number;
  readonly min?: number;
  readonly max?: number;
}

/**
 * A number within bounds (`must be <rule>, got ...`; the JSON Schema shows the bounds). With `typeToo`, a value
 * that is no number at all gets the rule's message too (the stack's keys), else `expected a number, got ...`.
 */
function numberIn(bounds: Bounds, rule: string, options: { int?: boolean; typeToo?: boolean } = {}) {
  const error = (iss: { input?: unknown }): string => `must be ${rule}, got ${describeValue(iss.input)}`;
  let n = options.int ? z.int(options.typeToo ? { error } : {}) : z.number(options.typeToo ? { error } : {});
  if (bounds.gt !== undefined) n = n.gt(bounds.gt, { error });
  if (bounds.min !== undefined) n = n.min(bounds.min, { error });
  if (bounds.max !== undefined) n = n.max(bounds.max, { error });
  return n;
}

const UNIT_WORDS: Record<MetricUnit, string> = {
  count: 'a count',
  rate: 'a fraction: 0.3 for 30%',
  money: 'an amount in the configured currency',
  days: 'days',
  ratio: 'a ratio: 3 for 3 : 1',
};

/** A KPI's own target: a fraction from 0 to 1 for a rate, else a number from 0 up. */
function targetOf(unit: MetricUnit) {
  return unit === 'rate'
    ? numberIn({ min: 0, max: 1 }, 'a fraction from 0 to 1 (0.3 for 30%)')
    : numberIn({ min: 0 }, 'a number from 0 up');
}

export const SECTION_IDS = SECTIONS.map((s) => s.id) as [string, ...string[]];
export const KPI_IDS: readonly string[] = METRICS.map((m) => m.id);

const targets = z
  .strictObject(
    Object.fromEntries(
      METRICS.map((def) => [def.id, targetOf(def.unit).optional().meta({ description: `${def.label} (${UNIT_WORDS[def.unit]}); ${def.better === 'up' ? 'a minimum' : 'a maximum'}` })]),
    ) as Record<string, z.ZodOptional<z.ZodNumber>>,
  )
  .meta({ title: 'KPI targets' });

const section = z.enum(SECTION_IDS, {
  error: (iss) => `unknown section ${describeValue(iss.input)}; sections are ${SECTION_IDS.join(', ')}`,
});
const dataset = z.enum(DATASET_NAMES, {
  error: (iss) => `unknown dataset ${describeValue(iss.input)}; datasets are ${DATASET_NAMES.join(', ')}`,
});

const recipientGroup = z.strictObject({
  name: z.string().trim().min(1, { error: 'must not be empty' }).meta({ description: 'The group\'s name.' }),
  recipients: listOf(email()).meta({ description: 'Email addresses of the group.' }),
  sections: list(section).meta({ description: `Sections the group gets (${SECTION_IDS.join(', ')}); all when absent.` }),
});

// ---- the keys ----------------------------------------------------------------------------------------------

/** The keys of `Settings`. */
export const SETTINGS_SHAPE = {
  timezone: key(z.string().refine(isTimeZone, { error: (iss) => `${describeValue(iss.input)} is not an IANA time zone` })).meta({
    description: 'IANA time zone periods and date-only values are read in; also the schedule\'s time zone.',
    default: DEFAULT_SETTINGS.timezone,
    examples: ['Europe/Paris'],
  }),
  currency: key(
    z.string().regex(/^[A-Z]{3}$/, { error: (iss) => `${describeValue(iss.input)} is not an ISO 4217 code` }),
    (s) => s.toUpperCase(),
  ).meta({
    description: 'ISO 4217 currency of every money value (lower case is read as upper case); a spend export in another currency is rejected.',
    default: DEFAULT_SETTINGS.currency,
    examples: ['EUR'],
  }),
  dateOrder: key(oneOf(['MDY', 'DMY'])).meta({ description: 'How slash dates (3/4/2026) are read.', default: DEFAULT_SETTINGS.dateOrder }),
  periodType: key(oneOf(['month', 'quarter', 'week'])).meta({ description: 'The scorecard\'s period.', default: DEFAULT_SETTINGS.periodType }),
  businessModel: key(oneOf(['b2b', 'saas', 'ecommerce'])).meta({
    description: 'Picks the lead-to-customer benchmark band.',
    default: DEFAULT_SETTINGS.businessModel,
  }),
  salesSourcedSources: list(z.string()).meta({
    description: 'Lead sources counted as sales-sourced (case-insensitive substrings).',
    default: [...DEFAULT_SALES_SOURCED],
  }),
  sender: key(email()).meta({
    description: 'From address of every email; must be sendable from a verified SES identity. The default is a placeholder.',
    default: DEFAULT_SETTINGS.sender,
  }),
  senderName: key(
    z.string().max(64, { error: 'must be at most 64 characters' })
      .refine((s) => !/[<>"\r\n\\]/.test(s), { error: (iss) => `${describeValue(iss.input)} must not contain <, >, quotes, backslashes or line breaks` }),
  ).meta({
    description: 'The display name shown with the sender address ("Marketing scorecard <scorecard@acme.com>").',
    default: DEFAULT_SENDER_NAME,
  }),
  recipients: list(email()).meta({
    description: 'Who receives the scorecard. The default is a placeholder.',
    default: [...DEFAULT_SETTINGS.recipients],
  }),
  opsEmail: key(email()).meta({
    description: 'Who is told about rejected uploads and held scorecards. The default is a placeholder.',
    default: DEFAULT_SETTINGS.opsEmail,
  }),
  contact: key(email()).meta({
    description: 'Whom readers ask about the numbers: named in the scorecard\'s footer, and where replies go. Default: opsEmail.',
    examples: ['revops@acme.com'],
  }),
  linkValidityDays: key(numberIn({ min: 1, max: 400 }, 'a whole number of days from 1 to 400', { int: true }), asNumber).meta({
    description: `Days the links of a scorecard email to its private drill-down page work (signed, then refused). Default: past the next scorecard, by period type: ${Object.entries(DEFAULT_LINK_VALIDITY_DAYS).map(([t, d]) => `${t} ${d}`).join(', ')}.`,
    examples: [90],
  }),
  targets: key(targets, asJson).meta({
    description: 'Leadership\'s own target per KPI id (docs/metrics.md), replacing the catalog benchmark: a minimum for a KPI where up is good, a maximum where down is good.',
    default: {},
    examples: [{ sql_acceptance_rate: 0.85, ltv_to_cac: 3 }],
  }),
  clvLifespanCapMonths: key(numberIn({ gt: 0 }, 'a positive number of months'), asNumber).meta({
    description: 'Customer lifespan used for CLV when nobody churned in the period, in months.',
    default: DEFAULT_SETTINGS.clvLifespanCapMonths,
  }),
  grossMargin: key(numberIn({ gt: 0, max: 1 }, 'a fraction in (0, 1]'), asNumber).meta({
    description: 'Gross margin applied to CLV, a fraction in (0, 1]; none when absent.',
    examples: [0.8],
  }),
  errorTolerance: key(numberIn({ min: 0, max: 1 }, 'a fraction of rows between 0 and 1 (0.01 = 1%)'), asNumber).meta({
    description: 'Share of an upload\'s rows that may fail validation: within it, bad rows are dropped, reported and ops are told. 0 (the default): any error rejects the file.',
    default: 0,
  }),
  recipientGroups: key(z.array(recipientGroup), asJson).meta({
    description: 'Recipient groups and the sections each gets; a person in two groups gets one email with both. When absent, `recipients` get every section.',
    examples: [[{ name: 'sales', recipients: ['vp@acme.com'], sections: ['conversion', 'revenue'] }]],
  }),
  whenDataMissing: key(oneOf(['banner', 'hold'])).meta({
    description: 'When a required dataset has no records for the period: send with a banner, or hold the scorecard and tell only ops.',
    default: 'banner',
  }),
  requiredDatasets: list(dataset).meta({
    description: 'Datasets whose absence for the period counts as missing data.',
    default: [...DATASET_NAMES],
  }),
} satisfies Record<keyof Settings, z.ZodType>;

const days = (what: string) =>
  key(numberIn({ min: 1, max: 36_500 }, 'a whole number of days from 1 to 36500', { int: true, typeToo: true }), asNumber).meta({ description: what, default: 90 });

/** The config file's keys only the stack reads (see `StackKeys`); lib/config.ts adds the checks across keys. */
export const STACK_SHAPE = {
  schedule: key(z.string()).meta({
    description: 'When the KPI run starts, in `timezone`: EventBridge Scheduler cron(minutes hours day-of-month month day-of-week year), rate(...) or at(...); six bare cron fields are accepted too. Default: 06:00 on the first day of the next period.',
    examples: ['cron(30 7 2 * ? *)'],
  }),
  sesIdentity: key(
    z.string().refine((s) => !s.includes('*') && !/\s/.test(s), { error: (iss) => `${describeValue(iss.input)} must be one verified domain or address` }),
  ).meta({ description: 'The verified SES identity (domain or address) the functions send through. Default: the sender\'s domain.' }),
  sesSandbox: key(z.boolean({ error: (iss) => `must be true or false, got ${describeValue(iss.input)}` }), asBoolean).meta({
    description: 'Set while the SES account is in the sandbox: the send permission then names the recipients\' identities too.',
    default: false,
  }),
  removalPolicy: key(oneOf(['retain', 'destroy']), (s) => s.toLowerCase()).meta({
    description: 'What `cdk destroy` does to the buckets, the table and the log groups; destroy is for throw-away stacks only.',
    default: 'retain',
  }),
  deletionProtection: key(z.boolean({ error: (iss) => `must be true or false, got ${describeValue(iss.input)}` }), asBoolean).meta({
    description: 'DynamoDB refuses to delete the table until this is turned off. Default: true, false with removalPolicy destroy (true with destroy is refused).',
  }),
  noncurrentVersionDays: days('Days an overwritten or deleted object version is kept before S3 deletes it for good.'),
  rejectedRetentionDays: days('Days the copies and reports under rejected/ are kept (the raw upload stays under incoming/).'),
  alarmEmail: key(email()).meta({ description: 'Subscribes this address to the alarm topic (SNS emails a confirmation link first). None by default.' }),
} satisfies Record<keyof StackKeys, z.ZodType>;

export const SETTINGS_KEYS = Object.keys(SETTINGS_SHAPE) as (keyof Settings)[];
export const STACK_KEYS = Object.keys(STACK_SHAPE) as (keyof StackKeys)[];

/**
 * The config file: the settings, the stack-only keys and an optional `$schema` (for editors). Unknown keys are
 * errors.
 */
export const configSchema = z
  .strictObject({
    $schema: key(z.string()).meta({ description: 'The JSON Schema of this file (docs/settings.schema.json), for editors; ignored.' }),
    ...SETTINGS_SHAPE,
    ...STACK_SHAPE,
  })
  .meta({
    title: 'smarketing-scorecard settings',
    description:
      'The configuration file of the smarketing scorecard, read by `cdk synth|deploy -c config=<file>` and by the CLI (`smarketing ... --config <file>`); every key is optional. The CLI checks the stack-only keys and ignores them. On the command line (`-c key=value`) and in the Lambdas\' SCORECARD_* environment variables the same keys take their string forms: comma-separated lists, numbers and true/false as text, JSON text for targets and recipientGroups. Generated from lambdas/domain/settings/schema.ts by `npm run docs:settings`.',
  });

export type ConfigInput = z.input<typeof configSchema>;
export type ConfigOutput = z.output<typeof configSchema>;

// ---- what the schema knows at a path, for the messages -------------------------------------------------------

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under wrappers: optional, default, nullable, readonly, and pipes (the side that is not a transform). */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const def = defOf(s);
    if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = defOf(def.out!).type === 'transform' ? def.in! : def.out!;
    else return s;
  }
}

export const configLookup: SchemaLookup = {
  keysAt(path) {
    let s: z.ZodType | undefined = configSchema;
    for (const part of path) {
      const def = defOf(unwrap(s));
      s = typeof part === 'number' ? def.element : def.shape?.[String(part)];
      if (!s) return [];
    }
    const shape = defOf(unwrap(s)).shape;
    return shape ? Object.keys(shape) : [];
  },
};
