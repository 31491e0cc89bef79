/**
 * Finds the header line of an export (past titles, date-range lines and `#` comment blocks), its delimiter,
 * and which header each canonical column is read from.
 */
import type { DatasetSpec } from '../datasets/registry.ts';
import { normalizeHeader } from '../datasets/registry.ts';

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

/** A header's trailing parenthesised part: a currency (`Amount spent (EUR)`) or a qualifier (GA4's `(Default Channel Group)`). */
const PAREN_SUFFIX = /^(.*?)\s*\(([^()]*)\)\s*$/;
const CURRENCY_CODE = /^[A-Za-z]{3}$/;

export interface HeaderMapping {
  /** Canonical column → index in the row. */
  readonly index: Readonly<Record<string, number>>;
  /** Canonical column → the header text it was read from. */
  readonly headers: Readonly<Record<string, string>>;
  /** Canonical money column → currency named in its header, e.g. `Amount spent (EUR)`. */
  readonly headerCurrency: Readonly<Record<string, string>>;
  readonly missing: readonly string[];
  /** Columns matched by two headers that are the same after normalising. */
  readonly duplicates: readonly { column: string; headers: string[] }[];
}

interface HeaderHit { readonly i: number; readonly header: string; readonly currency?: string }

/**
 * Maps a header row to the dataset's columns: the first alias (in the registry's order) that the file has wins.
 * A header also matches without a trailing parenthesised part (GA4's `Session primary channel group (Default
 * Channel Group)`, Meta's `Amount spent (USD)`, which also names the column's currency); a header that matches
 * as written beats one that matches only without its suffix.
 */
export function mapHeader(cells: readonly string[], spec: DatasetSpec): HeaderMapping {
  const exact = new Map<string, HeaderHit[]>();
  const stripped = new Map<string, HeaderHit[]>();
  const add = (m: Map<string, HeaderHit[]>, key: string, hit: HeaderHit): void => {
    if (!key) return;
    const list = m.get(key);
    if (list) list.push(hit);
    else m.set(key, [hit]);
  };
  cells.forEach((raw, i) => {
    add(exact, normalizeHeader(raw), { i, header: raw });
    const paren = PAREN_SUFFIX.exec(raw);
    if (paren) {
      const inner = (paren[2] ?? '').trim();
      add(stripped, normalizeHeader(paren[1] ?? ''), { i, header: raw, ...(CURRENCY_CODE.test(inner) ? { currency: inner.toUpperCase() } : {}) });
    }
  });
  const index: Record<string, number> = {};
  const headers: Record<string, string> = {};
  const headerCurrency: Record<string, string> = {};
  const missing: string[] = [];
  const duplicates: { column: string; headers: string[] }[] = [];
  const taken = new Set<number>();
  for (const column of spec.columns) {
    const candidates = [column.name, ...column.aliases].map(normalizeHeader);
    let found = false;
    for (const key of candidates) {
      let hits = (exact.get(key) ?? []).filter((h) => !taken.has(h.i));
      if (hits.length === 0) hits = (stripped.get(key) ?? []).filter((h) => !taken.has(h.i));
      if (hits.length === 0) continue;
      const hit = hits[0]!;
      if (hits.length > 1) duplicates.push({ column: column.name, headers: hits.map((h) => h.header) });
      index[column.name] = hit.i;
      headers[column.name] = hit.header;
      if (hit.currency && column.type === 'money') headerCurrency[column.name] = hit.currency;
      taken.add(hit.i);
      found = true;
      break;
    }
    if (!found && column.required) missing.push(column.name);
  }
  // A required column that other columns can stand in for (Salesforce's Closed / Won for a stage) is not missing.
  const stillMissing = missing.filter((name) => {
    const unless = spec.columns.find((c) => c.name === name)?.requiredUnless;
    return !(unless && unless.length > 0 && unless.every((other) => index[other] !== undefined));
  });
  return { index, headers, headerCurrency, missing: stillMissing, duplicates };
}

export interface HeaderCandidate {
  /** 0-based index of the header line among the physical lines. */
  readonly lineIndex: number;
  readonly delimiter: Delimiter;
  readonly cells: readonly string[];
  readonly mapping: HeaderMapping;
}

/**
 * Picks the header: the first line (skipping blanks and `#` comments) where every required column is found
 * with some delimiter; failing that, the line and delimiter that match the most columns, so the error
 * can name what is missing and list what was found.
 */
export function findHeader(lines: readonly string[], spec: DatasetSpec): HeaderCandidate | undefined {
  let best: HeaderCandidate | undefined;
  let bestScore = 0;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    for (const delimiter of DELIMITERS) {
      if (delimiter !== ',' && !line.includes(delimiter)) continue;
      const cells = splitLine(line, delimiter);
      const mapping = mapHeader(cells, spec);
      const matched = Object.keys(mapping.index).length;
      if (matched > 0 && mapping.missing.length === 0) return { lineIndex, delimiter, cells, mapping };
      const score = matched * 1000 + cells.length;
      if (matched > 0 && score > bestScore) {
        best = { lineIndex, delimiter, cells, mapping };
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
  return { lineIndex, delimiter, cells, mapping: mapHeader(cells, spec) };
}

/**
 * `findHeader` for rows that come already split into cells (a spreadsheet's first rows): the first row where
 * every required column is found, else the row matching the most columns. `lineIndex` is the row's index.
 */
export function findHeaderInRows(rows: readonly (readonly string[])[], spec: DatasetSpec): Omit<HeaderCandidate, 'delimiter'> | undefined {
  let best: Omit<HeaderCandidate, 'delimiter'> | undefined;
  let bestScore = 0;
  let firstNonBlank = -1;
  for (let lineIndex = 0; lineIndex < rows.length; lineIndex++) {
    const cells = (rows[lineIndex] ?? []).map((c) => c.trim());
    if (cells.every((c) => c === '') || (cells[0] ?? '').startsWith('#')) continue;
    if (firstNonBlank < 0) firstNonBlank = lineIndex;
    const mapping = mapHeader(cells, spec);
    const matched = Object.keys(mapping.index).length;
    if (matched > 0 && mapping.missing.length === 0) return { lineIndex, cells, mapping };
    const score = matched * 1000 + cells.length;
    if (matched > 0 && score > bestScore) { best = { lineIndex, cells, mapping }; bestScore = score; }
  }
  if (best) return best;
  if (firstNonBlank < 0) return undefined;
  const cells = (rows[firstNonBlank] ?? []).map((c) => c.trim());
  return { lineIndex: firstNonBlank, cells, mapping: mapHeader(cells, spec) };
}
