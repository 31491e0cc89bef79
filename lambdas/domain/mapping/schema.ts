/**
 * `mapping.json`: a file the ops team keeps beside their exports (`incoming/<dataset>/…/mapping.json`) to say how
 * a spreadsheet of their own, or custom CRM fields, map to the dataset's columns (docs/exports.md, "Mapping
 * files"). One zod schema checks it, and docs/mapping.schema.json is generated from it
 * (scripts/generate-mapping-schema.ts); the dataset-level checks (known columns and values) follow the parse.
 */
// A namespace import lets the bundler drop zod's unused parts (see settings/schema.ts).
import * as z from 'zod';
import { DATASETS } from '../datasets/registry.ts';
import type { DatasetName } from '../layout.ts';
import type { DateOrder } from '../settings.ts';
import { PROFILES } from '../profiles/index.ts';
import { closestKey, describeValue, formatPath } from '../settings/errors.ts';

/** The name a mapping file has, in every folder. */
export const MAPPING_FILE_NAME = 'mapping.json';

/** Whether an object key is a mapping file (`…/mapping.json`, any case). */
export const isMappingKey = (key: string): boolean => (key.split('/').at(-1) ?? '').toLowerCase() === MAPPING_FILE_NAME;

/** The canonical value that marks a row as no record of the dataset (a deleted deal, a trial): skipped, with a warning. */
export const SKIP_VALUE = 'skip';

/**
 * The values a column may take, where they are a closed set: a mapping's `values` must use these names (or
 * `skip`), and a vocabulary that lists all of them refuses the words it does not list.
 */
export const CANONICAL_VALUES: Readonly<Record<string, readonly string[]>> = {
  'opportunities.status': ['won', 'lost', 'open'],
  'customers.status': ['active', 'churned'],
  'customers.billing_interval': ['day', 'week', 'month', 'quarter', 'year'],
  'leads.sql_status': ['accepted', 'rejected', 'pending'],
  'spend.category': ['marketing', 'sales'],
};

/** The canonical values of a column of `dataset`, if they are a closed set (yes/no columns: true, false). */
export function canonicalValuesOf(dataset: DatasetName, column: string): readonly string[] | undefined {
  const listed = CANONICAL_VALUES[`${dataset}.${column}`];
  if (listed) return listed;
  return DATASETS[dataset].columns.find((c) => c.name === column)?.type === 'boolean' ? ['true', 'false'] : undefined;
}

const words = z.union([z.string(), z.array(z.string())]);

export const mappingSchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors: "…/docs/mapping.schema.json".'),
  profile: z.string().optional().describe(
    'Read the file as this tool export (a profile id of docs/exports.md, "Exports of the tools"), whatever its header looks like.',
  ),
  columns: z.record(z.string(), z.string().trim().min(1, { error: 'is blank: write the header as the file has it' })).optional()
    .describe('Canonical column → the header in the file it is read from. Adds to a detected profile and wins over it.'),
  values: z.record(z.string(), z.record(z.string(), words)).optional().describe(
    'Canonical column → canonical value → the words the file uses for it ("status": {"won": ["Signed"]}). "skip" marks rows ' +
      'that are no records (left out with a warning); "*" stands for every other word, "" for a blank cell.',
  ),
  dateOrder: z.enum(['DMY', 'MDY'], { error: (iss) => `${describeValue(iss.input)} is not a date order: write "DMY" (day first) or "MDY" (month first)` })
    .optional().describe('How the file writes slash dates: DMY (5/10/2026 is 5 October) or MDY.'),
  decimalSeparator: z.enum([',', '.'], { error: (iss) => `${describeValue(iss.input)} is not a decimal separator: write "," or "."` })
    .optional().describe('The decimal separator of the file\'s numbers ("59,78" needs ",").'),
  currency: z.string().regex(/^[A-Za-z]{3}$/, { error: 'must be an ISO 4217 code such as EUR' }).optional()
    .describe('The currency of the file\'s amounts; an upload in another currency than the configured one is rejected.'),
  salesSourced: z.array(z.string().trim().min(1)).optional()
    .describe('Source values of this file that are sales-sourced (in addition to the configured ones).'),
  candidates: z.record(z.string(), z.array(z.string())).optional()
    .describe('Left by `smarketing map` and the ops email: the closest headers of each column, for reference. Not read.'),
}).meta({
  title: 'smarketing-scorecard mapping file',
  description: 'mapping.json beside the exports in incoming/<dataset>/ (or a folder below it): how the files of that folder map to the ' +
    'dataset\'s columns. The nearest mapping.json above a file applies. See docs/exports.md, "Mapping files".',
});

/** A mapping file, checked against its dataset. */
export interface MappingFile {
  /** Where it was read from (its bucket key or path), for the report and messages. */
  readonly source: string;
  readonly profile?: string;
  readonly columns: Readonly<Record<string, string>>;
  /** Canonical column → canonical value → the file's words for it. */
  readonly values: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  readonly dateOrder?: DateOrder;
  readonly decimalSeparator?: ',' | '.';
  readonly currency?: string;
  readonly salesSourced: readonly string[];
}

export interface MappingProblem {
  readonly path: string;
  readonly message: string;
}

/** A mapping file that cannot be used: its message names the file and each problem's key. */
export class MappingError extends Error {
  override name = 'MappingError';
  constructor(readonly source: string, readonly problems: readonly MappingProblem[]) {
    super(`${source}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
  }
}

const TOP_KEYS = Object.keys(mappingSchema.shape);
const BOOLEAN_WORDS: Readonly<Record<string, string>> = { yes: 'true', no: 'false', true: 'true', false: 'false' };

/** Reads and checks a mapping file's text for `dataset`; a `MappingError` says what is wrong. */
export function parseMappingFile(text: string, dataset: DatasetName, source: string): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new MappingError(source, [{ path: '', message: `is not valid JSON (${(e as Error).message})` }]);
  }
  const parsed = mappingSchema.safeParse(json);
  // The shape's problems, and those of the parts that have a shape (a misspelt column beside a bad date order).
  const problems: MappingProblem[] = parsed.success ? [] : parsed.error.issues.map((i) => problemOf(i, json));
  const m: z.infer<typeof mappingSchema> = parsed.success ? parsed.data : salvage(json);
  const spec = DATASETS[dataset];
  const known = spec.columns.map((c) => c.name);
  const unknownColumn = (path: string, name: string): void => {
    const guess = closestKey(name, known);
    problems.push({ path, message: `"${name}" is not a column of ${dataset}; ${guess ? `did you mean ${guess}? ` : ''}the columns are ${known.join(', ')}` });
  };
  const columns: Record<string, string> = {};
  const byHeader = new Map<string, string>();
  for (const [column, header] of Object.entries(m.columns ?? {})) {
    if (!known.includes(column)) { unknownColumn(formatPath(['columns', column]), column); continue; }
    const other = byHeader.get(header.toLowerCase());
    if (other) problems.push({ path: formatPath(['columns', column]), message: `header "${header}" is already the ${other} column` });
    byHeader.set(header.toLowerCase(), column);
    columns[column] = header;
  }
  const values: Record<string, Record<string, string[]>> = {};
  for (const [column, vocabulary] of Object.entries(m.values ?? {})) {
    if (!known.includes(column)) { unknownColumn(formatPath(['values', column]), column); continue; }
    const allowed = canonicalValuesOf(dataset, column);
    const out: Record<string, string[]> = {};
    for (const [value, list] of Object.entries(vocabulary)) {
      let canonical = value.trim().toLowerCase();
      if (allowed?.includes('true')) canonical = BOOLEAN_WORDS[canonical] ?? canonical;
      if (allowed && canonical !== SKIP_VALUE && !allowed.includes(canonical)) {
        problems.push({
          path: formatPath(['values', column, value]),
          message: `"${value}" is not a value of ${column}; write the file's words under ${[...allowed, SKIP_VALUE].join(', ')}`,
        });
        continue;
      }
      // A text column's canonical value keeps its spelling ("Paid Search"); a closed set's is its lower-case name.
      const key = allowed || value.trim().toLowerCase() === SKIP_VALUE ? canonical : value.trim();
      // "" is kept: it stands for a blank cell ("skip": [""] leaves out rows with nothing in the column).
      out[key] = [...(out[key] ?? []), ...(typeof list === 'string' ? [list] : list).map((w) => w.trim())];
    }
    values[column] = out;
  }
  if (m.profile !== undefined) {
    const ofDataset = PROFILES.filter((p) => p.dataset === dataset).map((p) => p.id);
    if (!ofDataset.includes(m.profile)) {
      const guess = closestKey(m.profile, ofDataset) ?? ofDataset.find((id) => id.startsWith(m.profile!.toLowerCase()));
      problems.push({ path: 'profile', message: `"${m.profile}" is not a profile of ${dataset}; ${guess ? `did you mean ${guess}? ` : ''}the profiles are ${ofDataset.join(', ')}` });
    }
  }
  if (problems.length > 0) throw new MappingError(source, problems);
  return {
    source, columns, values,
    ...(m.profile !== undefined ? { profile: m.profile } : {}),
    ...(m.dateOrder ? { dateOrder: m.dateOrder } : {}),
    ...(m.decimalSeparator ? { decimalSeparator: m.decimalSeparator } : {}),
    ...(m.currency ? { currency: m.currency.toUpperCase() } : {}),
    salesSourced: m.salesSourced ?? [],
  };
}

/** The parts of a mapping that failed its schema which still have their shape, for the dataset-level checks. */
function salvage(json: unknown): z.infer<typeof mappingSchema> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const o = json as Record<string, unknown>;
  const columns = mappingSchema.shape.columns.safeParse(o.columns);
  const values = mappingSchema.shape.values.safeParse(o.values);
  return { ...(columns.success ? { columns: columns.data } : {}), ...(values.success ? { values: values.data } : {}) };
}

function problemOf(issue: z.core.$ZodIssue, json: unknown): MappingProblem {
  if (issue.code === 'unrecognized_keys') {
    const path = issue.path.length ? formatPath(issue.path) : '';
    return {
      path,
      message: issue.keys.map((k) => {
        const guess = issue.path.length === 0 ? closestKey(k, TOP_KEYS) : undefined;
        return `unknown key "${k}"${guess ? `; did you mean ${guess}?` : issue.path.length === 0 ? `; the keys are ${TOP_KEYS.filter((t) => t !== '$schema').join(', ')}` : ''}`;
      }).join('; '),
    };
  }
  if (issue.code === 'invalid_type') {
    // The value at the issue's path (zod leaves it out of the issue unless asked).
    const input = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), json);
    if (issue.path.length === 0) return { path: '', message: `must be a JSON object, got ${describeValue(input)}` };
    return { path: formatPath(issue.path), message: `expected ${issue.expected === 'record' ? 'an object' : issue.expected}, got ${describeValue(input)}` };
  }
  return { path: formatPath(issue.path), message: issue.message };
}
