/**
 * What is checked of a file once its header is found, before any row is read: missing columns (with the headers
 * that may be them and a draft mapping.json), the mapping file's headers, columns named twice, the currency a
 * header or the mapping names, and the columns some KPIs need (`kpi-input-missing`).
 */
import type { DatasetSpec } from '../datasets/registry.ts';
import { missingKpiInputs } from '../datasets/kpi-inputs.ts';
import { METRIC_BY_ID } from '../metrics/registry.ts';
import type { Settings } from '../settings.ts';
import { draftMapping, suggestColumns } from '../mapping/suggest.ts';
import { compilePattern, headerForms } from '../profiles/patterns.ts';
import type { HeaderMapping } from './header.ts';
import type { FileReading } from './reading.ts';
import type { ColumnSuggestion, ErrorCode, IssueLog, WarningCode } from './report.ts';
import { currencyMismatch } from './values.ts';

export interface HeaderFound {
  readonly mapping: HeaderMapping;
  readonly cells: readonly string[];
  /** Physical line (or sheet row) of the header. */
  readonly line: number;
  readonly reading: FileReading;
  /** Rows after the header read ahead, for suggestions. */
  readonly sample: readonly (readonly string[])[];
}

export interface HeaderCheckResult {
  /** Whether rows can be read. */
  readonly ok: boolean;
  readonly suggestions?: Record<string, ColumnSuggestion[]>;
  readonly mappingDraft?: Record<string, unknown>;
}

interface Logs {
  readonly errors: IssueLog<ErrorCode>;
  readonly warnings: IssueLog<WarningCode>;
}

/** Records the header-level problems; returns whether rows can be read, and what to propose when a column is missing. */
export function checkHeader(spec: DatasetSpec, found: HeaderFound, settings: Settings, logs: Logs, wantDraft = false): HeaderCheckResult {
  const { mapping, cells, line, reading } = found;
  const { errors, warnings } = logs;
  const map = reading.mapping;
  // A mapping's header the file does not have is the mapping's mistake, said before what it leaves missing.
  for (const [column, header] of Object.entries(map?.columns ?? {})) {
    const wanted = compilePattern(header.replace(/\*/g, ''));
    const has = cells.some((c) => { const f = headerForms(c); return wanted.test(f.full) || (f.bare !== undefined && wanted.test(f.bare)); });
    if (!has) {
      errors.add({
        code: 'mapping-error', row: 1, line, column, value: header,
        message: `${map!.source} maps ${column} to the header "${header}", which the file does not have (its header on line ${line} has: ` +
          `${listHeaders(cells)}); correct "columns": { "${column}": "…" } in the mapping`,
      });
    }
  }
  const input = { spec, cells, sample: found.sample, mapping, vocabulary: reading.values, ...(reading.profile ? { profile: reading.profile.id } : {}) };
  let suggestions: Record<string, ColumnSuggestion[]> | undefined;
  if (mapping.missing.length > 0) {
    suggestions = suggestColumns(input);
    for (const name of mapping.missing) {
      const col = spec.columns.find((c) => c.name === name);
      const accepted = reading.headers[name] ?? [name, ...(col?.aliases ?? [])];
      const closest = suggestions[name] ?? [];
      const inTool = reading.profile?.whenMissing?.[name];
      const hint = inTool ? `; the ${reading.profile!.tool} export has no such column: ${inTool}`
        : closest.length
        ? `; closest headers: ${closest.map((s) => `"${s.header}" (${s.why})`).join(', ')}. If it is "${closest[0]!.header}", ` +
          `write in mapping.json: "columns": { "${name}": "${closest[0]!.header}" }`
        : `; map the right header in mapping.json: "columns": { "${name}": "<header>" }`;
      errors.add({
        code: 'missing-column', row: 1, line, column: name,
        message: `required column "${name}" is missing (accepted headers: ${accepted.join(', ') || '(none for this tool)'}); ` +
          `the header on line ${line} has: ${listHeaders(cells)}${hint}`,
      });
    }
  }
  // No draft when the tool's export itself lacks every missing column: a mapping cannot make one up.
  const mappable = mapping.missing.some((name) => reading.profile?.whenMissing?.[name] === undefined);
  const mappingDraft = mappable || wantDraft ? draftMapping(input) : undefined;
  const proposals = { ...(suggestions ? { suggestions } : {}), ...(mappingDraft ? { mappingDraft } : {}) };
  if (errors.total > 0) return { ok: false, ...proposals };
  for (const d of mapping.duplicates) {
    errors.add({
      code: 'duplicate-column', row: 1, line, column: d.column,
      message: `column "${d.column}" appears more than once: ${d.headers.map((h) => `"${h}"`).join(', ')}`,
    });
  }
  if (map?.currency && map.currency !== settings.currency) {
    errors.add({
      code: 'currency-mismatch', row: 1, line, value: map.currency,
      message: `${map.source} says the amounts are in ${map.currency}, but the configured currency is ${settings.currency}: export in ` +
        `${settings.currency}, or change the configured currency`,
    });
  }
  for (const [column, currency] of Object.entries(mapping.headerCurrency)) {
    const problem = currencyMismatch(/^[A-Z]{3}$/.test(currency) ? { currency } : { symbol: currency }, settings.currency);
    if (problem) {
      errors.add({
        code: 'currency-mismatch', row: 1, line, column, value: mapping.headers[column] ?? '',
        message: `the header says ${currency} but the configured currency is ${settings.currency}`,
      });
    }
  }
  for (const gap of missingKpiInputs(spec.name, (c) => mapping.index[c] !== undefined)) {
    const kpis = gap.kpis.map((id) => METRIC_BY_ID.get(id)?.label ?? id);
    const more = gap.kpisWhenNewCustomersFromLeads?.map((id) => METRIC_BY_ID.get(id)?.label ?? id) ?? [];
    warnings.add({
      code: 'kpi-input-missing', row: 1, line, column: gap.column,
      message: `no ${gap.column} column (${gap.loses}): ${kpis.join(', ')}${more.length ? ` (and ${more.join(', ')} when there is no customers export)` : ''} ` +
        `will be n/a for the periods this file covers, not 0; export the column, or map it in mapping.json: "columns": { "${gap.column}": "<header>" }`,
    });
  }
  return { ok: errors.total === 0, ...proposals };
}

/** The headers of a file for a message: the first 30, and how many there are in all. */
export function listHeaders(cells: readonly string[]): string {
  const named = cells.filter(Boolean);
  if (named.length === 0) return '(nothing)';
  return named.length <= 30 ? named.join(', ') : `${named.slice(0, 30).join(', ')}, … (${named.length} headers in all)`;
}
