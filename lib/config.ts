/**
 * The stack's configuration: the pipeline's shared `Settings` (the same keys the CLI's `--config` takes) plus
 * the few settings only the stack has (schedule, SES identity, what happens to data on teardown).
 *
 * Sources, later ones winning:
 * 1. the defaults of `DEFAULT_SETTINGS` and `STACK_DEFAULTS`;
 * 2. a JSON config file named by the `config` context key (`-c config=path/to/file.json`, relative to the
 *    directory `cdk` runs in);
 * 3. individual context keys (`-c timezone=Europe/Paris`, or the `context` block of cdk.json).
 *
 * The file and the context go through the settings' zod schema (lambdas/domain/settings/schema.ts, which also has
 * the stack-only keys; docs/settings.schema.json is its JSON Schema), so a bad value or an unknown key in the
 * file stops `cdk synth` with a `ConfigError` naming the key path. This module adds what spans keys (the SES
 * identity defaults to the sender's domain, deletion protection contradicting `removalPolicy=destroy`) and the
 * schedule's syntax.
 *
 * Nothing account-specific lives here: account and region come from the CDK environment.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  closestKey, parseConfig, readSettingsJson, SETTINGS_KEYS, SettingsError, STACK_KEYS, type ParsedConfig, type PeriodType, type Settings,
} from '../lambdas/domain/settings.ts';

/** A bad stack setting; the message names the context key and the value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What `cdk destroy` does to the bucket and the table. */
export type DataRemoval = 'retain' | 'destroy';

export interface StackConfig {
  /** The pipeline's settings, handed to every function as environment variables. */
  readonly settings: Settings;
  /** EventBridge Scheduler expression of the KPI run, evaluated in `settings.timezone`. */
  readonly schedule: string;
  /** The SES identity (domain or address) the functions send as. */
  readonly sesIdentity: string;
  /**
   * Whether the SES account is still in the sandbox: SES then also authorizes each recipient's identity, so
   * the send permission has to name the recipients' identities too.
   */
  readonly sesSandbox: boolean;
  /** What `cdk destroy` does to the bucket and the table. */
  readonly dataRemoval: DataRemoval;
  /** `dataRemoval` as a CDK removal policy. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Whether the table refuses to be deleted (by a stack update, `cdk destroy` or a console click) until the
   * flag is turned off. Defaults to true with retained data, false with `removalPolicy=destroy`.
   */
  readonly deletionProtection: boolean;
  /** Days an overwritten or deleted object version is kept before S3 deletes it for good. */
  readonly noncurrentVersionDays: number;
  /** Days the copies and reports under `rejected/` are kept (the raw upload stays under `incoming/`). */
  readonly rejectedRetentionDays: number;
  /** Where alarm notifications are emailed (an SNS email subscription, confirmed by a link). @default - none */
  readonly alarmEmail?: string;
}

/** Context keys only the stack reads (the settings' keys are those of `Settings`): the config file's and `config`. */
export const STACK_CONTEXT_KEYS: readonly string[] = ['config', ...STACK_KEYS];

/** Defaults of the stack-only settings that have one. */
export const STACK_DEFAULTS = {
  /** Long enough to notice and recover an export overwritten by mistake at the next monthly run, and then some. */
  noncurrentVersionDays: 90,
  /** Ops fix and re-upload a rejected export within days; the raw file stays under incoming/ regardless. */
  rejectedRetentionDays: 90,
} as const;

/**
 * Default schedule per period type: a few hours into the first day of the next period, in the configured time
 * zone, so the period that just closed is complete.
 */
export const DEFAULT_SCHEDULES: Readonly<Record<PeriodType, string>> = {
  month: 'cron(0 6 1 * ? *)',
  quarter: 'cron(0 6 1 1,4,7,10 ? *)',
  week: 'cron(0 6 ? * MON *)',
};

/** Anything with `tryGetContext`: an `App`'s or a construct's node. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
  /** Every context key and value (a node has it): lets a misspelt setting key (`-c recipents=...`) be caught. */
  getAllContext?(): unknown;
}

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Normalises a schedule: a full `cron(...)`, `rate(...)` or `at(...)` expression is kept, six bare cron
 * fields are wrapped in `cron(...)`.
 */
export function normaliseSchedule(raw: string): string {
  const s = raw.trim();
  const cron = /^cron\((.*)\)$/.exec(s);
  const fields = (cron ? cron[1]! : s).trim().split(/\s+/);
  if (cron || !/^(rate|at)\(/.test(s)) {
    // Scheduler's cron has six fields: minutes hours day-of-month month day-of-week year.
    if (fields.length !== 6) {
      throw new ConfigError(
        `schedule "${raw}" must be cron(minutes hours day-of-month month day-of-week year), rate(...) or at(...)`,
      );
    }
    return `cron(${fields.join(' ')})`;
  }
  if (!/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\))$/.test(s)) {
    throw new ConfigError(`schedule "${raw}" is not a valid rate(...) or at(...) expression`);
  }
  return s;
}

/** `name@example.com` → `example.com`; throws when the address has no domain. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).trim() : '';
  if (!domain || !domain.includes('.') || /\s/.test(address)) {
    throw new ConfigError(`sender "${address}" is not an email address`);
  }
  return domain;
}

/**
 * Settings and stack keys through the schema. A `SettingsError` becomes a `ConfigError`: `config file <path>: ...`
 * for a file's, `invalid setting: ...` for the merged values.
 */
function checked(raw: unknown, file?: string): ParsedConfig {
  try {
    return parseConfig(raw, undefined, file === undefined ? undefined : `config file ${file}`);
  } catch (e) {
    if (e instanceof SettingsError) throw new ConfigError(file === undefined ? `invalid setting: ${e.message}` : e.message, { cause: e });
    throw e;
  }
}

/**
 * Builds the stack configuration from loose key/values (context and config file already merged), checked by
 * the settings' schema. Throws a `ConfigError` naming the key path for any bad value or unknown key, the
 * settings' own included (time zone, currency, addresses, targets...).
 */
export function buildStackConfig(raw: Readonly<Record<string, unknown>>): StackConfig {
  const { settings, stack } = checked(raw);
  const senderDomain = domainOf(settings.sender);
  const sesIdentity = stack.sesIdentity ?? senderDomain;
  if (settings.recipients.length === 0) throw new ConfigError('recipients must name at least one address');
  const dataRemoval: DataRemoval = stack.removalPolicy ?? 'retain';
  const deletionProtection = stack.deletionProtection ?? dataRemoval === 'retain';
  if (deletionProtection && dataRemoval === 'destroy') {
    throw new ConfigError('deletionProtection=true contradicts removalPolicy=destroy: cdk destroy could not delete the table');
  }
  return {
    settings,
    schedule: normaliseSchedule(stack.schedule ?? DEFAULT_SCHEDULES[settings.periodType]),
    sesIdentity,
    sesSandbox: stack.sesSandbox ?? false,
    dataRemoval,
    removalPolicy: dataRemoval === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    deletionProtection,
    noncurrentVersionDays: stack.noncurrentVersionDays ?? STACK_DEFAULTS.noncurrentVersionDays,
    rejectedRetentionDays: stack.rejectedRetentionDays ?? STACK_DEFAULTS.rejectedRetentionDays,
    ...(stack.alarmEmail ? { alarmEmail: stack.alarmEmail } : {}),
  };
}

/**
 * Reads a JSON config file; its keys are the context keys. The file is checked on its own by the settings'
 * schema, so a problem names the file and the key path:
 * `ConfigError: config file /abs/prod.json: recipents: unknown setting; did you mean recipients?`.
 */
export function readConfigFile(path: string, cwd: string = process.cwd()): Record<string, unknown> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${full} cannot be read: ${(e as Error).message}`, { cause: e });
  }
  let raw: Record<string, unknown>;
  try {
    raw = readSettingsJson(text, `config file ${full}`);
  } catch (e) {
    if (e instanceof SettingsError) throw new ConfigError(e.message, { cause: e });
    throw e;
  }
  checked(raw, full);
  return raw;
}

/** Context keys that look like a misspelt setting (`recipents`); CDK's own keys (`@aws-cdk/...`, `aws:cdk:...`) are skipped. */
function misspeltContextKeys(context: ContextSource, known: readonly string[]): string[] {
  const all = context.getAllContext?.();
  if (!all || typeof all !== 'object') return [];
  const problems: string[] = [];
  for (const key of Object.keys(all)) {
    if (known.includes(key) || /[:/@]/.test(key)) continue;
    const guess = closestKey(key, known);
    if (guess) problems.push(`${key}: unknown setting; did you mean ${guess}?`);
  }
  return problems;
}

/**
 * The stack configuration from an app's context: the optional `config` file first, then every individual
 * context key of a setting or of the stack overriding it.
 */
export function readStackConfig(context: ContextSource, cwd: string = process.cwd()): StackConfig {
  const known = [...SETTINGS_KEYS, ...STACK_CONTEXT_KEYS];
  const misspelt = misspeltContextKeys(context, known);
  if (misspelt.length > 0) throw new ConfigError(`invalid setting: context key ${misspelt.join('; ')}`);
  const configPath = context.tryGetContext('config');
  const raw: Record<string, unknown> = blank(configPath) ? {} : readConfigFile(String(configPath), cwd);
  for (const key of known) {
    if (key === 'config') continue;
    const v = context.tryGetContext(key);
    if (!blank(v)) raw[key] = v;
  }
  return buildStackConfig(raw);
}
