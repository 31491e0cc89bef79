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
 * Nothing account-specific lives here: account and region come from the CDK environment.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { parseSettings, SETTINGS_ENV, SettingsError, type PeriodType, type Settings } from '../lambdas/domain/settings.ts';

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

/** Context keys only the stack reads (the settings' keys are those of `Settings`). */
export const STACK_CONTEXT_KEYS = [
  'config', 'schedule', 'sesIdentity', 'sesSandbox', 'removalPolicy', 'deletionProtection',
  'noncurrentVersionDays', 'rejectedRetentionDays', 'alarmEmail',
] as const;

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

function parseBoolean(key: string, v: unknown, fallback: boolean): boolean {
  if (blank(v)) return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(s)) return true;
  if (['false', 'no', '0'].includes(s)) return false;
  throw new ConfigError(`${key} must be true or false, got "${String(v)}"`);
}

function parseDays(key: string, v: unknown, fallback: number): number {
  if (blank(v)) return fallback;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n) || n < 1 || n > 36_500) throw new ConfigError(`${key} must be a whole number of days from 1 to 36500, got "${String(v)}"`);
  return n;
}

function parseAlarmEmail(v: unknown): string | undefined {
  if (blank(v)) return undefined;
  const s = String(v).trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) throw new ConfigError(`alarmEmail "${s}" is not an email address`);
  return s;
}

function parseRemoval(v: unknown): DataRemoval {
  if (blank(v)) return 'retain';
  const s = String(v).trim().toLowerCase();
  if (s === 'retain' || s === 'destroy') return s;
  throw new ConfigError(`removalPolicy must be retain or destroy, got "${String(v)}"`);
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
 * Builds the stack configuration from loose key/values (context and config file already merged).
 * Throws a `ConfigError` naming the key for any bad value, including the settings' own (time zone, currency...).
 */
export function buildStackConfig(raw: Readonly<Record<string, unknown>>): StackConfig {
  let settings: Settings;
  try {
    settings = parseSettings(raw);
  } catch (e) {
    if (e instanceof SettingsError) throw new ConfigError(`invalid setting: ${e.message}`, { cause: e });
    if (e instanceof SyntaxError) throw new ConfigError(`invalid setting: targets is not JSON (${e.message})`, { cause: e });
    throw e;
  }
  const senderDomain = domainOf(settings.sender);
  const sesIdentity = blank(raw.sesIdentity) ? senderDomain : String(raw.sesIdentity).trim();
  if (sesIdentity.includes('*') || /\s/.test(sesIdentity)) {
    throw new ConfigError(`sesIdentity "${sesIdentity}" must be one verified domain or address`);
  }
  if (settings.recipients.length === 0) throw new ConfigError('recipients must name at least one address');
  const dataRemoval = parseRemoval(raw.removalPolicy);
  const deletionProtection = parseBoolean('deletionProtection', raw.deletionProtection, dataRemoval === 'retain');
  if (deletionProtection && dataRemoval === 'destroy') {
    throw new ConfigError('deletionProtection=true contradicts removalPolicy=destroy: cdk destroy could not delete the table');
  }
  const alarmEmail = parseAlarmEmail(raw.alarmEmail);
  return {
    settings,
    schedule: normaliseSchedule(blank(raw.schedule) ? DEFAULT_SCHEDULES[settings.periodType] : String(raw.schedule)),
    sesIdentity,
    sesSandbox: parseBoolean('sesSandbox', raw.sesSandbox, false),
    dataRemoval,
    removalPolicy: dataRemoval === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    deletionProtection,
    noncurrentVersionDays: parseDays('noncurrentVersionDays', raw.noncurrentVersionDays, STACK_DEFAULTS.noncurrentVersionDays),
    rejectedRetentionDays: parseDays('rejectedRetentionDays', raw.rejectedRetentionDays, STACK_DEFAULTS.rejectedRetentionDays),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

/** Reads a JSON config file; its keys are the context keys. */
export function readConfigFile(path: string, cwd: string = process.cwd()): Record<string, unknown> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${full} cannot be read: ${(e as Error).message}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${full} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${full} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The stack configuration from an app's context: the optional `config` file first, then every individual
 * context key of a setting or of the stack overriding it.
 */
export function readStackConfig(context: ContextSource, cwd: string = process.cwd()): StackConfig {
  const configPath = context.tryGetContext('config');
  const raw: Record<string, unknown> = blank(configPath) ? {} : readConfigFile(String(configPath), cwd);
  for (const key of [...Object.keys(SETTINGS_ENV), ...STACK_CONTEXT_KEYS]) {
    if (key === 'config') continue;
    const v = context.tryGetContext(key);
    if (!blank(v)) raw[key] = v;
  }
  return buildStackConfig(raw);
}
