/** The validation report of exports.md ("What a validation produces"), in the spirit of Frictionless Data. */
import type { DatasetName } from '../layout.ts';

export const ERROR_CODES = [
  'empty-file', 'not-tabular', 'encoding-error', 'missing-column', 'duplicate-column', 'extra-cell',
  'missing-cell', 'missing-value', 'type-error', 'constraint-error', 'duplicate-id', 'date-order',
  'future-date', 'currency-mismatch', 'row-too-large', 'too-large', 'overlapping-granularity', 'mapping-error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const WARNING_CODES = [
  'no-rows', 'summary-row', 'footer-row', 'comment-row', 'encoding-fallback', 'blank-value', 'rows-dropped', 'row-skipped',
  'kpi-input-missing',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** For each error code: what it means and how to fix the file, in one line, for the people who upload. */
export const ERROR_HINTS: Readonly<Record<ErrorCode, string>> = {
  'empty-file': 'The file has no data: export again, and check that the export finished.',
  'not-tabular': 'Not a table that can be read: not a CSV or Excel export, a quote that is never closed, or a sheet with cells merged down its rows (the message says which): upload the .csv, .csv.gz or .xlsx file the tool exported, with a value in every cell.',
  'encoding-error': 'The file mixes text encodings: open it and save it again as "CSV UTF-8".',
  'missing-column': 'A required column is missing: export it too, or, if the file has it under a name of its own, say which in a mapping.json beside the file (the message and the ops email propose the closest headers and a draft).',
  'duplicate-column': 'Two columns mean the same thing: delete one of them.',
  'extra-cell': 'A row has more cells than the header: often an unquoted comma in a value; quote it or remove it.',
  'missing-cell': 'A row ends too early: often a line break inside a value that is not quoted.',
  'missing-value': 'A required value is blank: fill it in in the tool (a deal\'s Amount, say) and export again, or remove the row. If a blank stands for a value in this file (an Amount left blank for 0), say so in mapping.json with the word "" (the message shows how). Setting `errorTolerance` accepts the other rows instead, but the rows left out then count nowhere (a deal without an amount leaves the win rate too).',
  'type-error': 'A value cannot be read (a date, number, amount or yes/no): fix its format (the message says what is expected).',
  'constraint-error': 'A value is out of bounds (a negative amount, an unknown status or category): correct it.',
  'duplicate-id': 'Two rows have the same id (or key): keep one of them, or export without extra breakdowns.',
  'date-order': 'A date comes before the one it follows (say, an MQL date before the create date): correct the dates.',
  'future-date': 'A date is later than the upload: check the date, and the date order setting (M/D or D/M).',
  'currency-mismatch': 'Amounts are in another currency than the configured one, and the scorecard adds up one currency only: export in the configured currency where the tool can, convert the amounts before uploading (ad platforms report in the ad account\'s currency), or, if the business reports in that currency, set `currency` in the settings (`--currency` for the CLI).',
  'row-too-large': 'A row is enormous, usually because a quote is never closed: find the stray " near that line.',
  'too-large': 'The file is (or expands to) more than the validator reads (docs/exports.md, "Limits"): split it into smaller files, or export CSV instead of .xlsx.',
  'overlapping-granularity': 'The file has a total and its parts (a month and its days, a day and its channels): keep one of the two.',
  'mapping-error': 'The mapping.json that applies to the file is wrong (the message says which key): correct it and upload it again; the files it rejected are validated again.',
};

/** For each warning code: what happened. */
export const WARNING_HINTS: Readonly<Record<WarningCode, string>> = {
  'no-rows': 'The file has a header and no data rows: accepted, nothing to count.',
  'summary-row': 'A total row (first cell "Total…" or "Grand total", or a last row with numbers but no keys, or a row with no keys labelled "Grand total" in a cell past the last column, as GA4 explorations write it) was skipped.',
  'footer-row': 'A line a report tool prints under the data (confidentiality notice, copyright) was skipped.',
  'comment-row': 'A `#` comment line was skipped.',
  'encoding-fallback': 'The file is not UTF-8 and was read as Windows-1252 (old Excel "CSV"): check accented letters.',
  'blank-value': 'A blank value was read as a default (a blank lead source as `unknown`).',
  'rows-dropped': 'Rows with errors were left out under the configured error-rate tolerance; the rest was accepted.',
  'row-skipped': 'A row that is no record of the dataset (a deleted deal, a trialing subscription, a company that is no customer) was left out.',
  'kpi-input-missing': 'The file lacks a column some KPIs need (deals without a source, leads without MQL dates): those KPIs are n/a for the periods it covers, never 0.',
};

export interface Issue<C extends string = ErrorCode | WarningCode> {
  readonly code: C;
  /** Record number, header = 1, first data row = 2; absent for file-level issues. */
  readonly row?: number;
  /** Physical line in the file where the record starts. */
  readonly line?: number;
  /** Canonical column name (or the header, for unknown ones). */
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

export interface DetectedFormat {
  readonly fileType: 'csv' | 'csv.gz' | 'xlsx' | 'unknown';
  /** For `xlsx`: the sheet that was read (the first one). */
  readonly sheet?: string;
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly lineEnding?: 'LF' | 'CRLF' | 'CR';
  /** Physical line of the header. */
  readonly headerLine?: number;
  /** Lines skipped before the header (titles, comment blocks). */
  readonly preambleLines?: number;
  /** The tool export recognised from the header (docs/exports.md, "Exports of the tools"), e.g. `pipedrive-deals`. */
  readonly profile?: string;
  /** The mapping file that applied (its key or path). */
  readonly mapping?: string;
}

/** A header that may be the column a file lacks, and why it is proposed. */
export interface ColumnSuggestion {
  readonly header: string;
  /** 0..1: how well name and values fit. */
  readonly score: number;
  /** In words: "name close to Create Date; its values are dates". */
  readonly why: string;
}

export interface ValidationReport {
  readonly status: 'accepted' | 'rejected';
  readonly dataset: DatasetName;
  readonly source: string;
  /** Data records read (summary and comment rows included). */
  readonly rows: number;
  /** Records that passed and were (or would be) stored. */
  readonly acceptedRows: number;
  /**
   * Rows with errors left out of an accepted upload, under the configured error-rate tolerance
   * (`errorTolerance`); absent when none were.
   */
  readonly droppedRows?: number;
  readonly format: DetectedFormat;
  /** Canonical column → header it was read from. */
  readonly columns: Readonly<Record<string, string>>;
  readonly errorCounts: Readonly<Partial<Record<ErrorCode, number>>>;
  readonly errors: readonly Issue<ErrorCode>[];
  readonly warningCounts: Readonly<Partial<Record<WarningCode, number>>>;
  readonly warnings: readonly Issue<WarningCode>[];
  /** For each missing required column, the closest headers of the file, best first. */
  readonly suggestions?: Readonly<Record<string, readonly ColumnSuggestion[]>>;
  /** A draft `mapping.json` for the file, when a column is missing: correct it and upload it beside the file. */
  readonly mappingDraft?: Readonly<Record<string, unknown>>;
}

/** The report keeps the first 100 issues per code, with a total per code. */
export const ISSUES_KEPT_PER_CODE = 100;

/** Collects issues, keeping the first N per code and counting all. */
export class IssueLog<C extends string> {
  readonly counts: Partial<Record<C, number>> = {};
  readonly kept: Issue<C>[] = [];

  private all = 0;

  add(issue: Issue<C>): void {
    const n = (this.counts[issue.code] ?? 0) + 1;
    this.counts[issue.code] = n;
    this.all++;
    // Values are cut from the file's text: copy them, so a kept issue does not pin a whole chunk in memory.
    if (n <= ISSUES_KEPT_PER_CODE) this.kept.push(issue.value === undefined ? issue : { ...issue, value: detach(issue.value) });
  }

  get total(): number {
    return this.all;
  }
}

/** A copy of a string that shares no memory with the string it was sliced from. */
const detach = (s: string): string => (s.length > 200 ? `${s.slice(0, 197)}…` : Buffer.from(s, 'utf8').toString('utf8'));
