/**
 * When a required column is missing: which headers of the file it most likely is, and a draft `mapping.json` the
 * ops team can correct and upload beside the file. A header is judged by its name (against the column's name,
 * the headers tools use, and what people call it in English, German, French and Spanish: synonyms.ts) and by its
 * values in the rows read ahead (a column of dates, of amounts, of unique ids).
 */
import type { ColumnSpec, DatasetSpec } from '../datasets/registry.ts';
import { normalizeHeader } from '../datasets/registry.ts';
import { parseBoolean, parseDateValue, parseInteger, parseMoney, parsePercent } from '../validation/values.ts';
import type { HeaderMapping } from '../validation/header.ts';
import type { ColumnSuggestion } from '../validation/report.ts';
import { PROFILES } from '../profiles/index.ts';
import { COLUMN_SYNONYMS, VALUE_SYNONYMS } from './synonyms.ts';
import { canonicalValuesOf } from './schema.ts';
import type { ValueMap } from '../validation/reading.ts';

export interface SuggestInput {
  readonly spec: DatasetSpec;
  /** The header line's cells. */
  readonly cells: readonly string[];
  /** Data rows after the header (the ones read ahead), split into cells. */
  readonly sample: readonly (readonly string[])[];
  /** What the header maps (found columns are not proposed for another column). */
  readonly mapping: HeaderMapping;
  /** The detected profile, for the draft. */
  readonly profile?: string;
  /** The words the file's profile and mapping already know, per column: the draft leaves them to them. */
  readonly vocabulary?: Readonly<Record<string, ValueMap>>;
}

/** How many headers are proposed per column, and the least score worth proposing. */
const MAX_SUGGESTIONS = 3;
const MIN_SCORE = 0.25;
/** An optional column goes into the draft only with a header this likely. */
const DRAFT_OPTIONAL_SCORE = 0.55;

/** Lower-case words of a header, a trailing plural `s` dropped (`Sessions` ~ `session`). */
const wordsOf = (s: string): string[] =>
  s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** How close two names are, 0..1: equal after normalising, one inside the other, shared words, shared letter pairs. */
export function nameSimilarity(a: string, b: string): number {
  const na = normalizeHeader(a);
  const nb = normalizeHeader(b.replace(/\*/g, ' '));
  if (!na || !nb) return 0;
  if (na === nb) return 1;
  if ((na.length >= 4 && nb.includes(na)) || (nb.length >= 4 && na.includes(nb))) return 0.8;
  const wa = new Set(wordsOf(a));
  const wb = new Set(wordsOf(b));
  const shared = [...wa].filter((w) => wb.has(w)).length;
  const words = shared === 0 ? 0 : (0.75 * (2 * shared)) / (wa.size + wb.size);
  const ba = bigrams(na);
  const bb = bigrams(nb);
  const pairs = [...ba].filter((x) => bb.has(x)).length;
  const dice = ba.size + bb.size === 0 ? 0 : (2 * pairs) / (ba.size + bb.size);
  return Math.max(words, 0.6 * dice);
}

/** The names a column goes by: its own, the registry's headers, every profile's, and the synonyms. */
function namesOf(spec: DatasetSpec, column: ColumnSpec): string[] {
  const fromProfiles = PROFILES.filter((p) => p.dataset === spec.name).flatMap((p) => p.columns[column.name] ?? []);
  return [...new Set([column.name.replace(/_/g, ' '), ...column.aliases, ...fromProfiles, ...(COLUMN_SYNONYMS[column.name] ?? [])])];
}

/** How well a column of values fits a column's type, 0..1, and the words for it. */
function valueFit(spec: DatasetSpec, column: ColumnSpec, values: readonly string[]): { fit: number; why?: string } {
  const filled = values.filter((v) => v !== '');
  if (filled.length === 0) return { fit: 0 };
  // A required column is filled on every row: one with gaps (a close date, blank while a deal is open) fits less.
  const fill = column.required ? 0.6 + (0.4 * filled.length) / values.length : 1;
  const fit = shapeFit(spec, column, filled);
  return { ...fit, fit: fit.fit * fill };
}

function shapeFit(spec: DatasetSpec, column: ColumnSpec, filled: readonly string[]): { fit: number; why?: string } {
  const share = (ok: (v: string) => boolean): number => filled.filter(ok).length / filled.length;
  switch (column.type) {
    case 'datetime':
    case 'date':
    case 'day-or-month': {
      const f = share((v) => parseDateValue(v, 'MDY', { allowMonth: true, dashes: true }).ok || parseDateValue(v, 'DMY', { allowMonth: true, dashes: true }).ok);
      return { fit: f, ...(f >= 0.8 ? { why: 'its values are dates' } : {}) };
    }
    case 'money': {
      // A column of counts (impressions, clicks) reads as money too: amounts with cents fit better.
      const f = share((v) => parseMoney(v).ok || parseMoney(v, { decimalComma: true }).ok);
      const cents = share((v) => /[.,]\d{2}\s*\D*$|[$€£¥]/.test(v));
      return { fit: f * (0.7 + 0.3 * cents), ...(f >= 0.8 ? { why: 'its values are amounts' } : {}) };
    }
    case 'integer': {
      const f = share((v) => parseInteger(v).ok);
      return { fit: f, ...(f >= 0.8 ? { why: 'its values are whole numbers' } : {}) };
    }
    case 'percent':
      return { fit: share((v) => parsePercent(v).ok) };
    case 'boolean': {
      const yes = VALUE_SYNONYMS.boolean!;
      const f = share((v) => parseBoolean(v).ok || [...yes.true!, ...yes.false!].includes(v.toLowerCase()));
      return { fit: f, ...(f >= 0.8 ? { why: 'its values are yes/no' } : {}) };
    }
    case 'sql-status':
    case 'currency':
      return { fit: 0.3 };
    case 'text': {
      const distinct = new Set(filled.map((v) => v.toLowerCase())).size;
      const dates = share((v) => parseDateValue(v, 'MDY', { dashes: true }).ok || parseDateValue(v, 'DMY', { dashes: true }).ok);
      const numbers = share((v) => parseMoney(v).ok);
      if (column.name === spec.idColumn) {
        const unique = distinct / filled.length;
        // Ids are rarely amounts with cents or long sentences.
        const amounts = share((v) => /^[^\d]*\d[\d,.\s]*[.,]\d{2}\D*$/.test(v));
        return { fit: unique * (1 - dates) * (1 - 0.7 * amounts), ...(unique === 1 && filled.length > 1 && amounts < 0.5 ? { why: 'its values are all different' } : {}) };
      }
      // A category (a source, a status) repeats a few words; a date or an amount is no category.
      const categorical = filled.length < 4 ? 0.5 : distinct <= Math.max(3, filled.length / 2) ? 0.8 : 0.3;
      const fit = categorical * (1 - Math.max(dates, numbers));
      // A closed set (a status, a category): words that mean its values fit best.
      const allowed = canonicalValuesOf(spec.name, column.name);
      if (!allowed) return { fit };
      const meaning = Object.values(VALUE_SYNONYMS[`${spec.name}.${column.name}`] ?? {}).flat();
      const words = share((v) => allowed.includes(v.toLowerCase()) || meaning.some((s) => s === v.toLowerCase() || (s.length > 3 && v.toLowerCase().includes(s))));
      return { fit: Math.max(0.5 * fit, words), ...(words >= 0.8 ? { why: `its values are ${allowed.join(' / ')} words` } : {}) };
    }
  }
}

interface Scored extends ColumnSuggestion { readonly i: number; readonly name: number }

/** Types whose values say for sure whether a column can be one (a date, an amount, a count). */
const TYPED: ReadonlySet<ColumnSpec['type']> = new Set(['date', 'datetime', 'day-or-month', 'money', 'integer', 'percent']);

/** The headers of the file that may be `column`, best first (not the ones another column already takes). */
function candidatesFor(input: SuggestInput, column: ColumnSpec, taken: ReadonlySet<number>): Scored[] {
  const names = namesOf(input.spec, column);
  const out: Scored[] = [];
  input.cells.forEach((header, i) => {
    if (!header.trim() || taken.has(i)) return;
    let best = 0;
    let bestName = '';
    for (const n of names) {
      const s = nameSimilarity(header, n);
      if (s > best) [best, bestName] = [s, n];
    }
    const values = input.sample.map((r) => (r[i] ?? '').trim());
    const { fit, why } = valueFit(input.spec, column, values);
    const hasValues = values.some((v) => v !== '');
    // A column whose values are mostly no dates (GA4's "Nth day": 0000, 0001…) is no date column, whatever its name;
    // likewise amounts and counts.
    if (hasValues && TYPED.has(column.type) && fit < 0.5) return;
    // Sheets put their id first.
    const first = i === 0 && column.name === input.spec.idColumn ? 0.1 : 0;
    const score = Math.min(1, (hasValues ? 0.6 * best + 0.4 * fit : best) + first);
    if (score < MIN_SCORE) return;
    const reasons = [best >= 0.4 ? `name close to "${bestName}"` : '', why ?? ''].filter(Boolean);
    out.push({ i, name: best, header, score: Math.round(score * 100) / 100, why: reasons.join('; ') || 'the closest header' });
  });
  return out.sort((a, b) => b.score - a.score || a.i - b.i).slice(0, MAX_SUGGESTIONS);
}

/** For each missing required column, the closest headers of the file. */
export function suggestColumns(input: SuggestInput): Record<string, ColumnSuggestion[]> {
  const taken = new Set(Object.values(input.mapping.index));
  const out: Record<string, ColumnSuggestion[]> = {};
  for (const name of input.mapping.missing) {
    const column = input.spec.columns.find((c) => c.name === name);
    if (!column) continue;
    out[name] = candidatesFor(input, column, taken).map(({ header, score, why }) => ({ header, score, why }));
  }
  return out;
}

/**
 * A draft `mapping.json` for the file: each column the file has (found, or its likeliest header), the date order
 * and decimal separator its values show, the words of its closed columns (a status) guessed from their meaning,
 * and the other candidates of the columns that were missing.
 */
export function draftMapping(input: SuggestInput): Record<string, unknown> {
  const { spec } = input;
  const taken = new Set(Object.values(input.mapping.index));
  const columns: Record<string, string> = {};
  const index: Record<string, number> = { ...input.mapping.index };
  const candidates: Record<string, string[]> = {};
  for (const column of spec.columns) {
    const found = input.mapping.headers[column.name];
    if (found !== undefined) { columns[column.name] = found; continue; }
    const ranked = candidatesFor(input, column, taken);
    const best = ranked[0];
    const wanted = column.required || input.mapping.missing.includes(column.name);
    // An optional column only on a strong likeness of name, and never beside a tool profile: the tool has no such column.
    const likely = best !== undefined && best.score >= DRAFT_OPTIONAL_SCORE && best.name >= 0.6 && !input.profile;
    if (!best || (!wanted && !likely) || column.helper) continue;
    columns[column.name] = best.header;
    index[column.name] = best.i;
    taken.add(best.i);
    if (ranked.length > 1) candidates[column.name] = ranked.map((r) => r.header);
  }
  const valuesOf = (name: string): string[] => {
    const i = index[name];
    return i === undefined ? [] : input.sample.map((r) => (r[i] ?? '').trim()).filter(Boolean);
  };
  const draft: Record<string, unknown> = {};
  if (input.profile) draft.profile = input.profile;
  draft.columns = columns;
  const values = draftValues(spec, valuesOf, input.vocabulary ?? {});
  if (Object.keys(values).length) draft.values = values;
  const dateOrder = dateOrderOf(spec.columns.filter((c) => c.type === 'datetime' || c.type === 'date' || c.type === 'day-or-month').flatMap((c) => valuesOf(c.name)));
  if (dateOrder) draft.dateOrder = dateOrder;
  if (spec.columns.filter((c) => c.type === 'money').some((c) => valuesOf(c.name).some((v) => DECIMAL_COMMA.test(v)))) draft.decimalSeparator = ',';
  if (Object.keys(candidates).length) draft.candidates = candidates;
  return draft;
}

/** An amount written with a decimal comma (`59,78`, `1.234,50`), not a thousands comma (`1,234`). */
const DECIMAL_COMMA = /^[^\d,]*(\d{1,3}([.\s\u00a0\u202f']\d{3})+|\d+),\d{1,2}[^\d,]*$/;

/** DMY when a slash (or dash) date's first part is a day past 12, MDY when its second is; undefined when no date tells. */
export function dateOrderOf(values: readonly string[]): 'DMY' | 'MDY' | undefined {
  for (const v of values) {
    const m = /^(\d{1,2})([/-])(\d{1,2})\2\d{4}/.exec(v);
    if (!m) continue;
    if (Number(m[1]) > 12) return 'DMY';
    if (Number(m[3]) > 12) return 'MDY';
  }
  return undefined;
}

/** The file's words of its closed columns (a status, yes/no), each under the canonical value it most likely means. */
function draftValues(
  spec: DatasetSpec, valuesOf: (column: string) => string[], vocabulary: Readonly<Record<string, ValueMap>>,
): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const column of spec.columns) {
    const allowed = canonicalValuesOf(spec.name, column.name);
    if (!allowed) continue;
    const words = [...new Map(valuesOf(column.name).map((v) => [v.toLowerCase(), v])).values()];
    if (words.length === 0) continue;
    const synonyms = VALUE_SYNONYMS[allowed.includes('true') ? 'boolean' : `${spec.name}.${column.name}`] ?? {};
    // Words that already read as themselves, or that the profile knows (Stripe's `trialing` is skipped), need no entry.
    const own = vocabulary[column.name];
    const known = (w: string): boolean => allowed.includes(w.toLowerCase()) || (allowed.includes('true') && parseBoolean(w).ok)
      || (own !== undefined && (own.words.has(w.toLowerCase()) || own.otherwise !== undefined));
    const unknown = words.filter((w) => !known(w));
    if (unknown.length === 0) continue;
    const drafted: Record<string, string[]> = {};
    for (const w of unknown) {
      const lower = w.toLowerCase();
      const guess = Object.entries(synonyms).find(([, list]) => list.some((s) => s === lower || (s.length > 3 && lower.includes(s))))?.[0];
      // A deal's status that is neither won nor lost is still open; other columns' unknown words are listed as a guess.
      const canonical = guess ?? (spec.name === 'opportunities' ? 'open' : allowed[0]!);
      drafted[canonical] = [...(drafted[canonical] ?? []), w];
    }
    out[column.name] = drafted;
  }
  return out;
}
