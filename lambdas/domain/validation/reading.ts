/**
 * How one file is read: the registry's columns, with the headers, words and number and date conventions of the
 * tool profile detected from its header (profiles/) and of the mapping file that applies to it (mapping/). Worked
 * out once per candidate header line while the header is looked for, and then once per file, never per row.
 */
import type { DatasetSpec } from '../datasets/registry.ts';
import type { DateOrder } from '../settings.ts';
import { PROFILE_BY_ID, profilesOf, type ExportProfile, type HeaderPattern } from '../profiles/index.ts';
import { detectProfiles } from '../profiles/patterns.ts';
import { SKIP_VALUE, canonicalValuesOf, type MappingFile } from '../mapping/schema.ts';
import { mapHeader, type ColumnHeaders, type HeaderReading } from './header.ts';

/** A column's words: the file's word (lower case) → the canonical value, or `SKIP_VALUE` (the row is no record). */
export interface ValueMap {
  readonly column: string;
  readonly words: ReadonlyMap<string, string>;
  /** Every canonical value is listed, so a word that is not is an error (see `translateValue`). */
  readonly closed: boolean;
  /** The value of every word not listed (a vocabulary's `"*"`): HubSpot's lifecycle stages other than customer are no customers. */
  readonly otherwise?: string;
  /**
   * Answers per cell text as written (`null`: refused): a column repeats a handful of words a million times. A small
   * direct-mapped table in front (slot from the length and three characters, then one string comparison) answers
   * most cells without hashing a fresh string, as the `Map` behind it would (see `isSalesSourced`).
   */
  readonly memo: Map<string, string | null>;
  readonly slots: ({ readonly key: string; readonly answer: string | null } | undefined)[];
  /** Where the words come from, for messages: the profile's id and/or the mapping file. */
  readonly from: string;
}

export interface FileReading extends HeaderReading {
  readonly headers: ColumnHeaders;
  readonly profile?: ExportProfile;
  readonly mapping?: MappingFile;
  readonly values: Readonly<Record<string, ValueMap>>;
  readonly dateOrder?: DateOrder;
  readonly decimalSeparator?: ',' | '.';
  readonly merge: boolean;
  /** Lines the profile's tool prints under the data. */
  readonly footer?: RegExp;
  /** The profile's tool writes a total row first (`ExportProfile.totalRowFirst`). */
  readonly totalRowFirst?: boolean;
}

const cache = new WeakMap<object, Map<string, FileReading>>();

/**
 * The reading of a header line: the profile it is (or the mapping's `profile`), with the mapping on top. The same
 * profile and mapping give the same object, so trying 60 lines costs a detection each, not a rebuild.
 */
export function readingFor(spec: DatasetSpec, cells: readonly string[], mapping?: MappingFile): FileReading {
  const forced = mapping?.profile !== undefined ? PROFILE_BY_ID.get(mapping.profile) : undefined;
  if (forced) return cachedReading(spec, forced, mapping);
  // The likeliest profile that finds every required column; else the registry's headers when they do; else the
  // likeliest profile still, whose headers the missing-column error then lists.
  const candidates = detectProfiles(cells, profilesOf(spec.name));
  for (const profile of candidates) {
    const reading = cachedReading(spec, profile, mapping);
    if (mapHeader(cells, spec, reading.headers).missing.length === 0) return reading;
  }
  const generic = cachedReading(spec, undefined, mapping);
  if (candidates.length === 0 || mapHeader(cells, spec, generic.headers).missing.length === 0) return generic;
  return cachedReading(spec, candidates[0], mapping);
}

/** Readings per dataset, mapping and profile: every line tried and every file of a run share them. */
function cachedReading(spec: DatasetSpec, profile: ExportProfile | undefined, mapping: MappingFile | undefined): FileReading {
  const owner: object = mapping ?? spec;
  let byOwner = cache.get(owner);
  if (!byOwner) cache.set(owner, (byOwner = new Map()));
  const key = `${spec.name}|${profile?.id ?? ''}`;
  let reading = byOwner.get(key);
  if (!reading) byOwner.set(key, (reading = buildReading(spec, profile, mapping)));
  return reading;
}

function buildReading(spec: DatasetSpec, profile: ExportProfile | undefined, mapping: MappingFile | undefined): FileReading {
  const headers: Record<string, readonly HeaderPattern[]> = {};
  for (const column of spec.columns) {
    const fromProfile = profile?.columns[column.name];
    const registry = [column.name, ...column.aliases];
    const base = !fromProfile ? registry
      : fromProfile.length === 0 ? []
        : profile!.only?.includes(column.name) ? [...fromProfile, column.name]
          : [...new Set([...fromProfile, ...registry])];
    const mapped = mapping?.columns[column.name];
    // A mapping's header is the file's own text: matched as written (its `*` is a character, not a wildcard).
    headers[column.name] = mapped !== undefined ? [mapped.replace(/\*/g, ''), ...base] : base;
  }
  const values: Record<string, ValueMap> = {};
  for (const column of spec.columns) {
    const sources = [profile?.values?.[column.name], mapping?.values[column.name]].filter((v) => v !== undefined);
    if (sources.length === 0) continue;
    const words = new Map<string, string>();
    const listed = new Set<string>();
    let otherwise: string | undefined;
    // The mapping's words come last: they win over the profile's for the same word.
    for (const vocabulary of sources) {
      for (const [canonical, list] of Object.entries(vocabulary)) {
        listed.add(canonical);
        for (const w of list) {
          if (w.trim() === '*') otherwise = canonical;
          else words.set(w.trim().toLowerCase(), canonical);
        }
      }
    }
    const allowed = canonicalValuesOf(spec.name, column.name);
    const closed = allowed !== undefined && allowed.every((v) => listed.has(v));
    // Canonical words stand for themselves (a closed "status" still reads "won").
    if (allowed) for (const v of allowed) if (!words.has(v)) words.set(v, v);
    const from = [profile?.values?.[column.name] ? `profile ${profile.id}` : '', mapping?.values[column.name] ? mapping.source : '']
      .filter(Boolean).join(' and ');
    values[column.name] = {
      column: column.name, words, closed, from, memo: new Map(), slots: new Array(SLOTS).fill(undefined), ...(otherwise !== undefined ? { otherwise } : {}),
    };
  }
  const footer = profile?.footerLines?.length ? new RegExp(profile.footerLines.join('|'), 'i') : undefined;
  const dateOrder = mapping?.dateOrder ?? profile?.dateOrder;
  const decimalSeparator = mapping?.decimalSeparator ?? profile?.decimalSeparator;
  return {
    headers, values, merge: profile?.rowsPerKey === 'merge',
    ...(profile ? { profile } : {}),
    ...(mapping ? { mapping } : {}),
    ...(dateOrder ? { dateOrder } : {}),
    ...(decimalSeparator ? { decimalSeparator } : {}),
    ...(footer ? { footer } : {}),
    ...(profile?.totalRowFirst ? { totalRowFirst: true } : {}),
  };
}

const MAX_REMEMBERED = 4096;
const SLOTS = 256;

/** What a cell's word (not blank) is under a column's words: the canonical value, `SKIP_VALUE`, the word itself, or undefined (refused). */
export function translateValue(map: ValueMap, raw: string): string | undefined {
  const n = raw.length;
  const slot = (n * 31 + raw.charCodeAt(0) * 7 + raw.charCodeAt(n >> 1) * 131 + raw.charCodeAt(n - 1)) & (SLOTS - 1);
  const cached = map.slots[slot];
  if (cached !== undefined && cached.key === raw) return cached.answer === null ? undefined : cached.answer;
  let known = map.memo.get(raw);
  if (known === undefined) {
    const answer = map.words.get(raw.toLowerCase()) ?? map.otherwise ?? (map.closed ? undefined : raw);
    known = answer === undefined ? null : answer;
    // Copies of the text: a slice would pin the chunk of the file it came from.
    if (map.memo.size < MAX_REMEMBERED) map.memo.set(copy(raw), known === raw ? (known = copy(raw)) : known);
  }
  map.slots[slot] = { key: known === raw ? known : copy(raw), answer: known };
  return known === null ? undefined : known;
}

const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** The message of a word a closed vocabulary refuses: which values there are, and what to write in the mapping. */
export function refusedWordProblem(map: ValueMap, raw: string): string {
  const canonical = [...new Set(map.words.values())].filter((v) => v !== SKIP_VALUE);
  return `is not one of the words listed for ${map.column} (${map.from}): add it to mapping.json as ` +
    `"values": { "${map.column}": { "<${canonical.join(' | ')} | skip>": ["${raw}"] } }`;
}
