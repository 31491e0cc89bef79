/** The validation report of exports.md ("What a validation produces"), in the spirit of Frictionless Data. */
import type { DatasetName } from '../layout.ts';

export const ERROR_CODES = [
  'empty-file', 'not-tabular', 'encoding-error', 'missing-column', 'duplicate-column', 'extra-cell',
  'missing-cell', 'missing-value', 'type-error', 'constraint-error', 'duplicate-id', 'date-order',
  'future-date', 'currency-mismatch', 'row-too-large',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const WARNING_CODES = ['no-rows', 'summary-row', 'comment-row', 'encoding-fallback', 'blank-value'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

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
  readonly fileType: 'csv' | 'csv.gz' | 'unknown';
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly lineEnding?: 'LF' | 'CRLF' | 'CR';
  /** Physical line of the header. */
  readonly headerLine?: number;
  /** Lines skipped before the header (titles, comment blocks). */
  readonly preambleLines?: number;
}

export interface ValidationReport {
  readonly status: 'accepted' | 'rejected';
  readonly dataset: DatasetName;
  readonly source: string;
  /** Data records read (summary and comment rows included). */
  readonly rows: number;
  /** Records that passed and were (or would be) stored. */
  readonly acceptedRows: number;
  readonly format: DetectedFormat;
  /** Canonical column → header it was read from. */
  readonly columns: Readonly<Record<string, string>>;
  readonly errorCounts: Readonly<Partial<Record<ErrorCode, number>>>;
  readonly errors: readonly Issue<ErrorCode>[];
  readonly warningCounts: Readonly<Partial<Record<WarningCode, number>>>;
  readonly warnings: readonly Issue<WarningCode>[];
}

/** The report keeps the first 100 issues per code, with a total per code. */
export const ISSUES_KEPT_PER_CODE = 100;

/** Collects issues, keeping the first N per code and counting all. */
export class IssueLog<C extends string> {
  readonly counts: Partial<Record<C, number>> = {};
  readonly kept: Issue<C>[] = [];

  add(issue: Issue<C>): void {
    const n = (this.counts[issue.code] ?? 0) + 1;
    this.counts[issue.code] = n;
    if (n <= ISSUES_KEPT_PER_CODE) this.kept.push(issue);
  }

  get total(): number {
    let t = 0;
    for (const v of Object.values(this.counts) as number[]) t += v;
    return t;
  }
}
