/**
 * Matching a header against a header pattern (profiles' headers, the registry's aliases, a mapping's headers):
 * case, spaces, punctuation and underscores ignored (`normalizeHeader`), a trailing parenthesised part optional
 * (`Created (UTC)` is `Created`), and `*` standing for any run of characters.
 */
import { normalizeHeader } from '../datasets/registry.ts';
import type { ExportProfile, HeaderPattern } from './types.ts';

/** A header's trailing parenthesised part: a currency (`Amount spent (EUR)`) or a qualifier (`(UTC)`). */
export const PAREN_SUFFIX = /^(.*?)\s*\(([^()]*)\)\s*$/;

/** A header as patterns see it: normalized as written, and without its parenthesised ending (if it has one). */
export interface HeaderForms {
  readonly full: string;
  readonly bare?: string;
}

/**
 * Endings that make a header another column, never a qualifier of it: Stripe writes the custom fields a business
 * adds as `account_id (metadata)`, which is no `Account ID`.
 */
const KEPT_SUFFIXES = new Set(['metadata']);

export function headerForms(raw: string): HeaderForms {
  const paren = PAREN_SUFFIX.exec(raw);
  const bare = paren && !KEPT_SUFFIXES.has((paren[2] ?? '').trim().toLowerCase()) ? normalizeHeader(paren[1] ?? '') : undefined;
  return { full: normalizeHeader(raw), ...(bare ? { bare } : {}) };
}

/** A compiled pattern: the normalized text when it has no `*`, else a test over normalized headers. */
export interface CompiledPattern {
  readonly exact?: string;
  readonly test: (normalized: string) => boolean;
}

const compiled = new Map<string, CompiledPattern>();

export function compilePattern(pattern: HeaderPattern): CompiledPattern {
  let c = compiled.get(pattern);
  if (c) return c;
  if (!pattern.includes('*')) {
    const exact = normalizeHeader(pattern);
    c = { exact, test: (n) => n === exact };
  } else {
    const parts = pattern.split('*').map(normalizeHeader);
    // Each part in order, anything between; a leading or trailing `*` leaves that end open.
    const re = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'u');
    c = { test: (n) => re.test(n) };
  }
  compiled.set(pattern, c);
  return c;
}

/** Whether a header (its forms) matches a pattern: as written first, else without its parenthesised ending. */
export function matches(pattern: HeaderPattern, forms: HeaderForms): 'full' | 'bare' | undefined {
  const p = compilePattern(pattern);
  if (p.test(forms.full)) return 'full';
  if (forms.bare !== undefined && p.test(forms.bare)) return 'bare';
  return undefined;
}

/**
 * The profiles a header line may be, among `profiles` (one dataset's), likeliest first: every detect group has a
 * header in the line; ranked by the groups matched, then by how many of the line's headers the profile knows
 * (a Meta export and a LinkedIn one share a few words; the one that explains more of the header wins).
 */
export function detectProfiles(cells: readonly string[], profiles: readonly ExportProfile[]): ExportProfile[] {
  const forms = cells.filter((c) => c.trim() !== '').map(headerForms);
  const ranked: { profile: ExportProfile; score: number }[] = [];
  for (const profile of profiles) {
    let groups = 0;
    for (const group of profile.detect) {
      if (!forms.some((f) => group.some((p) => matches(p, f) !== undefined))) { groups = -1; break; }
      groups++;
    }
    if (groups <= 0) continue;
    const known = Object.values(profile.columns).flat();
    const explained = forms.filter((f) => known.some((p) => matches(p, f) !== undefined)).length;
    ranked.push({ profile, score: groups * 1000 + explained });
  }
  // A stable sort: equal scores keep the registry's order.
  return ranked.sort((a, b) => b.score - a.score).map((r) => r.profile);
}
