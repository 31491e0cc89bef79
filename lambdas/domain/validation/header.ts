/**
 * Finds the header line of an export (past titles, date-range lines and `#` comment blocks), its delimiter,
 * and which header each canonical column is read from.
 */
import type { DatasetSpec } from '../datasets/registry.ts';
import { PAREN_SUFFIX, compilePattern, headerForms, type HeaderForms } from '../profiles/patterns.ts';
import type { HeaderPattern } from '../profiles/types.ts';

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Splits one physical line into cells, honouring quotes (a header never spans lines in real exports). */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') { cur += '"'; i++; } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === '') { quoted = true; cur = ''; }
    else if (ch === delimiter) { cells.push(cur); cur = ''; }
    else cur += ch;
  }
  cells.push(cur);
  return cells.map((c) => c.trim());
}

/** A parenthesised part that names a currency: a code (`Amount spent (EUR)`) or a sign (`Betrag (€)`). */
const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const CURRENCY_SIGN = /^[$€£¥₹₩]$/;

/**
 * The headers each canonical column is read from, in priority order (the first a file has wins): a profile's
 * and a mapping's, instead of the registry's `[name, ...aliases]`. A column left out keeps the registry's.
 */
export type ColumnHeaders = Readonly<Record<string, readonly HeaderPattern[]>>;

export interface HeaderMapping {
  /** Canonical column → index in the row. */
  readonly index: Readonly<Record<string, number>>;
  /** Canonical column → the header text it was read from. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Canonical money column → the currency its header names: a code (`Amount spent (EUR)` → `EUR`) or a sign
   * (`Betrag (€)` → `€`).
   */
  readonly headerCurrency: Readonly<Record<string, string>>;
  readonly missing: readonly string[];
  /** Columns matched by two headers that are the same after normalising. */
  readonly duplicates: readonly { column: string; headers: string[] }[];
  /** A column the file writes twice under one header (Google Ads' Currency code): where its other copies are. */
  readonly repeats: Readonly<Record<string, readonly number[]>>;
}

interface HeaderHit { readonly i: number; readonly header: string; readonly currency?: string }

/**
 * Maps a header row to the dataset's columns: the first header pattern (in `headers`' order, else the registry's)
 * that the file has wins. A header also matches without a trailing parenthesised part (GA4's `Session primary
 * channel group (Default Channel Group)`, Meta's `Amount spent (USD)`, which also names the column's currency); a
 * header that matches as written beats one that matches only without its suffix.
 */
export function mapHeader(cells: readonly string[], spec: DatasetSpec, headers?: ColumnHeaders): HeaderMapping {
  const exact = new Map<string, HeaderHit[]>();
  const stripped = new Map<string, HeaderHit[]>();
  const add = (m: Map<string, HeaderHit[]>, key: string, hit: HeaderHit): void => {
    if (!key) return;
    const list = m.get(key);
    if (list) list.push(hit);
    else m.set(key, [hit]);
  };
  const all: { hit: HeaderHit; forms: HeaderForms; strippedHit: HeaderHit }[] = [];
  cells.forEach((raw, i) => {
    const forms = headerForms(raw);
    const paren = PAREN_SUFFIX.exec(raw);
    const inner = (paren?.[2] ?? '').trim();
    const currency = CURRENCY_CODE.test(inner) ? inner.toUpperCase() : CURRENCY_SIGN.test(inner) ? inner : undefined;
    // The header names its currency however it matched (`Amount spent (EUR)` as written, or as `Amount spent`).
    const hit = { i, header: raw, ...(currency ? { currency } : {}) };
    add(exact, forms.full, hit);
    const strippedHit = hit;
    if (forms.bare !== undefined) add(stripped, forms.bare, strippedHit);
    all.push({ hit, forms, strippedHit });
  });
  /** The headers a pattern matches: as written, else without their parenthesised ending. */
  const hitsOf = (pattern: HeaderPattern): readonly HeaderHit[] => {
    const p = compilePattern(pattern);
    if (p.exact !== undefined) {
      const found = exact.get(p.exact) ?? [];
      return found.length > 0 ? found : stripped.get(p.exact) ?? [];
    }
    const full = all.filter((h) => p.test(h.forms.full)).map((h) => h.hit);
    return full.length > 0 ? full : all.filter((h) => h.forms.bare !== undefined && p.test(h.forms.bare)).map((h) => h.strippedHit);
  };
  const index: Record<string, number> = {};
  const found: Record<string, string> = {};
  const headerCurrency: Record<string, string> = {};
  const missing: string[] = [];
  const duplicates: { column: string; headers: string[] }[] = [];
  const repeats: Record<string, number[]> = {};
  const taken = new Set<number>();
  for (const column of spec.columns) {
    const patterns = headers?.[column.name] ?? [column.name, ...column.aliases];
    let matched = false;
    for (const pattern of patterns) {
      const hits = hitsOf(pattern).filter((h) => !taken.has(h.i));
      if (hits.length === 0) continue;
      const hit = hits[0]!;
      // Two headers that are one after normalising are a mistake; two that only fit one `*` pattern are not, nor a
      // currency column written twice with the same header (Google Ads' ad group reports): the row checker reads
      // every copy (`repeats`), and copies that disagree are an error.
      const repeatedCurrency = column.type === 'currency' && hits.every((h) => h.header === hit.header);
      if (hits.length > 1 && !pattern.includes('*') && !repeatedCurrency) duplicates.push({ column: column.name, headers: hits.map((h) => h.header) });
      if (hits.length > 1 && repeatedCurrency) repeats[column.name] = hits.slice(1).map((h) => h.i);
      index[column.name] = hit.i;
      found[column.name] = hit.header;
      if (hit.currency && column.type === 'money') headerCurrency[column.name] = hit.currency;
      taken.add(hit.i);
      matched = true;
      break;
    }
    if (!matched && column.required) missing.push(column.name);
  }
  // A required column that other columns can stand in for (Salesforce's Closed / Won for a stage) is not missing.
  const stillMissing = missing.filter((name) => {
    const unless = spec.columns.find((c) => c.name === name)?.requiredUnless;
    return !(unless && unless.length > 0 && unless.every((other) => index[other] !== undefined));
  });
  return { index, headers: found, headerCurrency, missing: stillMissing, duplicates, repeats };
}

/** How a file would be read from a candidate header line: the headers of a profile detected from it, a mapping. */
export interface HeaderReading {
  readonly headers?: ColumnHeaders;
}

/** Works out the reading of a candidate header line (once per line tried: see `reading.ts`). */
export type HeaderReader<R extends HeaderReading> = (cells: readonly string[]) => R;

export interface HeaderCandidate<R extends HeaderReading = HeaderReading> {
  /** 0-based index of the header line among the physical lines. */
  readonly lineIndex: number;
  readonly delimiter: Delimiter;
  readonly cells: readonly string[];
  readonly mapping: HeaderMapping;
  /** How the file is read from this header on. */
  readonly reading: R;
}

/** No profile, no mapping: the registry's headers (`R` is then `HeaderReading` itself). */
const registryReading = <R extends HeaderReading>(): R => ({}) as R;

/**
 * Picks the header: the first line (skipping blanks and `#` comments) where every required column is found
 * with some delimiter; failing that, the line and delimiter that match the most columns, so the error
 * can name what is missing and list what was found. `reader` says how each candidate line would be read (the
 * registry's headers by default).
 */
export function findHeader<R extends HeaderReading = HeaderReading>(
  lines: readonly string[], spec: DatasetSpec, reader: HeaderReader<R> = registryReading<R>,
): HeaderCandidate<R> | undefined {
  let best: HeaderCandidate<R> | undefined;
  let bestScore = 0;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    for (const delimiter of DELIMITERS) {
      if (delimiter !== ',' && !line.includes(delimiter)) continue;
      const cells = splitLine(line, delimiter);
      const reading = reader(cells);
      const mapping = mapHeader(cells, spec, reading.headers);
      const matched = Object.keys(mapping.index).length;
      if (matched > 0 && mapping.missing.length === 0) return { lineIndex, delimiter, cells, mapping, reading };
      const score = matched * 1000 + cells.length;
      if (matched > 0 && score > bestScore) {
        best = { lineIndex, delimiter, cells, mapping, reading };
        bestScore = score;
      }
    }
  }
  if (best) return best;
  // Nothing matched at all: report against the first non-comment line, read with its likeliest delimiter.
  const lineIndex = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lineIndex < 0) return undefined;
  const line = lines[lineIndex] ?? '';
  const delimiter = [...DELIMITERS].sort((a, b) => line.split(b).length - line.split(a).length)[0] ?? ',';
  const cells = splitLine(line, delimiter);
  const reading = reader(cells);
  return { lineIndex, delimiter, cells, mapping: mapHeader(cells, spec, reading.headers), reading };
}

/**
 * `findHeader` for rows that come already split into cells (a spreadsheet's first rows): the first row where
 * every required column is found, else the row matching the most columns. `lineIndex` is the row's index.
 */
export function findHeaderInRows<R extends HeaderReading = HeaderReading>(
  rows: readonly (readonly string[])[], spec: DatasetSpec, reader: HeaderReader<R> = registryReading<R>,
): Omit<HeaderCandidate<R>, 'delimiter'> | undefined {
  let best: Omit<HeaderCandidate<R>, 'delimiter'> | undefined;
  let bestScore = 0;
  let firstNonBlank = -1;
  for (let lineIndex = 0; lineIndex < rows.length; lineIndex++) {
    const cells = (rows[lineIndex] ?? []).map((c) => c.trim());
    if (cells.every((c) => c === '') || (cells[0] ?? '').startsWith('#')) continue;
    if (firstNonBlank < 0) firstNonBlank = lineIndex;
    const reading = reader(cells);
    const mapping = mapHeader(cells, spec, reading.headers);
    const matched = Object.keys(mapping.index).length;
    if (matched > 0 && mapping.missing.length === 0) return { lineIndex, cells, mapping, reading };
    const score = matched * 1000 + cells.length;
    if (matched > 0 && score > bestScore) { best = { lineIndex, cells, mapping, reading }; bestScore = score; }
  }
  if (best) return best;
  if (firstNonBlank < 0) return undefined;
  const cells = (rows[firstNonBlank] ?? []).map((c) => c.trim());
  const reading = reader(cells);
  return { lineIndex: firstNonBlank, cells, mapping: mapHeader(cells, spec, reading.headers), reading };
}
