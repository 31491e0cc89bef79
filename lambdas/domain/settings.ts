/**
 * The settings the whole pipeline shares: the CDK stack (context / config file), the Lambdas (environment)
 * and the CLI (`--config`) all produce one `Settings` through the one zod schema of settings/schema.ts, so a
 * value means the same thing everywhere and a bad one is refused everywhere with the same message: the key
 * path and what is wrong (`targets.win_rate: expected a number, got "30%"`). Unknown keys are errors.
 *
 * This is the entry point: the types and defaults are in settings/model.ts, the checks in settings/schema.ts,
 * the messages in settings/errors.ts.
 */
import { defaultMessage, describeValue, settingsErrorFrom, settingsProblems, SettingsError } from './settings/errors.ts';
import { DEFAULT_SETTINGS, SETTINGS_ENV, type Settings, type StackKeys } from './settings/model.ts';
import { configLookup, configSchema, type ConfigOutput } from './settings/schema.ts';

export {
  DEFAULT_LINK_VALIDITY_DAYS, DEFAULT_SALES_SOURCED, DEFAULT_SENDER_NAME, DEFAULT_SETTINGS, SETTINGS_ENV,
  type BusinessModel, type DateOrder, type PeriodType, type RecipientGroup, type Settings, type StackKeys,
} from './settings/model.ts';
export { closestKey, SettingsError, type SettingsProblem } from './settings/errors.ts';
export { configSchema, KPI_IDS, SECTION_IDS, SETTINGS_KEYS, STACK_KEYS, type ConfigInput } from './settings/schema.ts';

/** The settings and the stack-only keys of one configuration. */
export interface ParsedConfig {
  readonly settings: Settings;
  readonly stack: StackKeys;
}

/** `raw` through the schema; a `SettingsError` naming `source` (when given) and each problem's key path. */
function check(raw: unknown, source?: (paths: readonly string[]) => string | undefined): ConfigOutput {
  const result = configSchema.safeParse(raw, { reportInput: true, error: defaultMessage });
  if (result.success) return result.data;
  const problems = settingsProblems(result.error.issues, configLookup);
  throw settingsErrorFrom(problems, source?.(problems.map((p) => p.path)));
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function settingsOf(out: ConfigOutput, base: Settings): Settings {
  const targets = out.targets ? (defined(out.targets) as Record<string, number>) : base.targets;
  const errorTolerance = out.errorTolerance ?? base.errorTolerance;
  const settings: Settings = {
    timezone: out.timezone ?? base.timezone,
    currency: out.currency ?? base.currency,
    dateOrder: out.dateOrder ?? base.dateOrder,
    periodType: out.periodType ?? base.periodType,
    businessModel: out.businessModel ?? base.businessModel,
    salesSourcedSources: out.salesSourcedSources ?? base.salesSourcedSources,
    sender: out.sender ?? base.sender,
    senderName: out.senderName ?? base.senderName,
    recipients: out.recipients ?? base.recipients,
    opsEmail: out.opsEmail ?? base.opsEmail,
    contact: out.contact ?? base.contact,
    linkValidityDays: out.linkValidityDays ?? base.linkValidityDays,
    targets,
    clvLifespanCapMonths: out.clvLifespanCapMonths ?? base.clvLifespanCapMonths,
    grossMargin: out.grossMargin ?? base.grossMargin,
    // 0, the default, is no tolerance: the key is left out.
    errorTolerance: errorTolerance !== undefined && errorTolerance > 0 ? errorTolerance : undefined,
    recipientGroups: out.recipientGroups ?? base.recipientGroups,
    whenDataMissing: out.whenDataMissing ?? base.whenDataMissing,
    requiredDatasets: out.requiredDatasets ?? base.requiredDatasets,
  };
  return defined(settings) as Settings;
}

/**
 * Checks a whole configuration (a config file's object, CDK context merged over it, or environment values already
 * mapped to these keys) and returns its settings (absent keys from `base`) and stack-only keys. Throws a
 * `SettingsError` naming each bad key path; `source` (a file name) starts the message when given.
 */
export function parseConfig(raw: unknown, base: Settings = DEFAULT_SETTINGS, source?: string): ParsedConfig {
  const out = check(raw, source === undefined ? undefined : () => source);
  const stack: StackKeys = defined({
    schedule: out.schedule,
    sesIdentity: out.sesIdentity,
    sesSandbox: out.sesSandbox,
    removalPolicy: out.removalPolicy,
    deletionProtection: out.deletionProtection,
    noncurrentVersionDays: out.noncurrentVersionDays,
    rejectedRetentionDays: out.rejectedRetentionDays,
    alarmEmail: out.alarmEmail,
  });
  return { settings: settingsOf(out, base), stack };
}

/**
 * Builds settings from loose key/values (CDK context, a JSON config file, or environment variables already
 * mapped to these keys); absent keys keep `base`'s values. The config file's stack-only keys are checked and
 * left out. Throws a `SettingsError` naming the key path of each bad value or unknown key.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>, base: Settings = DEFAULT_SETTINGS): Settings {
  return parseConfig(raw, base).settings;
}

/** A JSON.parse error as one line: where (line and column, when the engine gives the position) and what. */
function jsonProblem(e: Error, text: string): string {
  const what = e.message
    .replace(/\s*\(line \d+ column \d+\)\s*$/, '')
    .replace(/\s+in JSON at position \d+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const at = /at position (\d+)/.exec(e.message);
  if (!at) return `not valid JSON: ${what}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${what}`;
}

/**
 * The JSON object of a config file's text (no checks of its keys). Throws a one-line `SettingsError` naming
 * `source` when the text is not JSON or not an object.
 */
export function readSettingsJson(text: string, source: string): Record<string, unknown> {
  const body = text.replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new SettingsError(`${source}: ${jsonProblem(e as Error, body)}`, { cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(`${source}: the settings must be a JSON object, got ${describeValue(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A config file's settings, from its text (pure: the caller reads the file). `source` (the file's path as the
 * user gave it) starts every message: `config/prod.json: targets.win_rate: expected a number, got "30%"`,
 * `config/prod.json: not valid JSON at line 3, column 5: ...`. The stack-only keys are checked and left out.
 */
export function parseSettingsJson(text: string, source: string, base: Settings = DEFAULT_SETTINGS): Settings {
  return parseConfig(readSettingsJson(text, source), base, source).settings;
}

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

/**
 * Environment variables → settings (for the handlers). A bad value throws a `SettingsError` that starts with the
 * variable's name: `SCORECARD_TARGETS: targets.win_rate: expected a number, got "30%"`.
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): Settings {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(SETTINGS_ENV)) {
    if (env[name] !== undefined) raw[key] = env[name];
  }
  const variables = (paths: readonly string[]): string =>
    [...new Set(paths.map((p) => SETTINGS_ENV[/^[A-Za-z]+/.exec(p)?.[0] as keyof Settings] ?? 'environment'))].join(', ');
  return settingsOf(check(raw, variables), DEFAULT_SETTINGS);
}
