/**
 * `SettingsError` and the one-line messages it carries: each problem starts with the key path it is about
 * (`targets.win_rate: expected a number, got "30%"`, `recipientGroups[1].sections[0]: unknown section "sales"; ...`).
 */
import type { z } from 'zod';

/** One problem of a configuration: where (`recipientGroups[1].sections[0]`, empty for the whole) and what. */
export interface SettingsProblem {
  readonly path: string;
  readonly message: string;
}

/** A bad setting. The message names the source when there is one, then the key path of each problem. */
export class SettingsError extends Error {
  override name = 'SettingsError';
  /** The problems, one per key path (empty for an error built from a message alone). */
  readonly problems: readonly SettingsProblem[];
  constructor(message: string, options?: { cause?: unknown; problems?: readonly SettingsProblem[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}

/** A value as a message shows it: strings and numbers as JSON, containers by kind. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['recipientGroups', 1, 'sections', 0]` → `recipientGroups[1].sections[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += IDENTIFIER.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Optimal string alignment distance (Levenshtein with transpositions), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** The known key a misspelt one most likely meant (`recipents` → `recipients`), if one is close enough. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** What the schema knows at a path, for the messages about unknown keys. */
export interface SchemaLookup {
  /** The keys an object at this path may have. */
  keysAt(path: readonly PropertyKey[]): readonly string[];
}

/** What a key of the object at `path` is called in a message. */
function keyKind(path: readonly PropertyKey[]): { noun: string; plural: string; list: boolean } {
  if (path.length === 0) return { noun: 'setting', plural: 'settings', list: false };
  if (path.length === 1 && path[0] === 'targets') return { noun: 'KPI id', plural: 'KPI ids', list: true };
  return { noun: 'key', plural: 'keys', list: true };
}

/**
 * A message that goes on from the key's name (`must be ...`, `is ...`, or a quoted value: `"x" is not ...`)
 * follows the path after a space; any other after a colon.
 */
function joinPath(path: string, message: string): string {
  if (!path) return message;
  return /^(must |is |")/.test(message) ? `${path} ${message}` : `${path}: ${message}`;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number', string: 'a string', boolean: 'true or false', array: 'a list', object: 'an object', int: 'a whole number',
};

/** The message of a check that has none of its own (a type mismatch, mostly); the parse's `error` option. */
export function defaultMessage(issue: { code?: string; expected?: string; input?: unknown }): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is missing';
  return `expected ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected}, got ${describeValue(issue.input)}`;
}

/** The problems of a failed parse, each with its key path; an unrecognized-keys issue gives one per key. */
export function settingsProblems(issues: readonly z.core.$ZodIssue[], schema: SchemaLookup): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = schema.keysAt(issue.path);
      const kind = keyKind(issue.path);
      for (const key of issue.keys) {
        const guess = closestKey(key, known);
        const hint = guess
          ? `did you mean ${guess}?`
          : kind.list ? `${kind.plural} are ${known.join(', ')}` : 'see docs/settings.schema.json for the settings';
        out.push({ path: formatPath([...issue.path, key]), message: `unknown ${kind.noun}; ${hint}` });
      }
    } else if (issue.code === 'invalid_type' && issue.path.length === 0) {
      out.push({ path: '', message: `the settings must be a JSON object, got ${describeValue((issue as { input?: unknown }).input)}` });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message.replace(/\s+/g, ' ') });
    }
  }
  return out;
}

/**
 * One line: `source: problem`, or `source: 3 problems: (1) ...; (2) ...; (3) ...` (the first five, then how many
 * more), each problem starting with its key path.
 */
export function settingsErrorFrom(problems: readonly SettingsProblem[], source?: string): SettingsError {
  const lines = problems.map((p) => joinPath(p.path, p.message));
  let text = lines[0] ?? 'invalid settings';
  if (lines.length > 1) {
    const shown = lines.slice(0, 5).map((l, i) => `(${i + 1}) ${l}`);
    if (lines.length > 5) shown.push(`and ${lines.length - 5} more`);
    text = `${lines.length} problems: ${shown.join('; ')}`;
  }
  return new SettingsError(source ? `${source}: ${text}` : text, { problems });
}
