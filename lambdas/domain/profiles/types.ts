/**
 * An export profile: how one tool writes one kind of export, as data. The validator detects the profile from
 * the header line and then reads the file with the tool's headers, value vocabulary and number and date
 * conventions instead of the registry's generic ones (docs/exports.md, "Exports of the tools").
 */
import type { DatasetName } from '../layout.ts';
import type { DateOrder } from '../settings.ts';

/**
 * A header as the tool writes it. Matching ignores case, spaces, punctuation and a trailing parenthesised part
 * (`Created (UTC)` matches `Created`); `*` stands for any run of characters, for headers that carry a variable
 * part or whose translations vary (`Sitzung*Channelgruppe*`).
 */
export type HeaderPattern = string;

/** Canonical value → the tool's words for it (case ignored). */
export type Vocabulary = Readonly<Record<string, readonly string[]>>;

export interface ExportProfile {
  /** Stable id, as the report's `format.profile` names it: `pipedrive-deals`, `google-ads-de`. */
  readonly id: string;
  readonly tool: string;
  /** Which export of the tool, in the words of its UI: "deals list export", "campaign report (German UI)". */
  readonly export: string;
  readonly dataset: DatasetName;
  /** The UI language the headers are in. */
  readonly language: 'en' | 'de' | 'fr' | 'es' | 'any';
  /**
   * How the header line is recognised: every group must have one of its headers in the line. The profile of the
   * dataset with the most groups matched wins; none matched, the registry's generic headers apply.
   */
  readonly detect: readonly (readonly HeaderPattern[])[];
  /**
   * Per canonical column, the tool's headers in priority order (the first the file has wins), tried before the
   * registry's. `[]` means the tool has no such column: it is never read (a Salesforce lead's `Converted Date` is
   * never a purchase). Columns not listed are read with the registry's headers.
   */
  readonly columns: Readonly<Record<string, readonly HeaderPattern[]>>;
  /**
   * Columns read only from the profile's headers, never the registry's (Pipedrive's outcome is `Deal - Status`: the
   * registry's `Stage` would read its pipeline stage).
   */
  readonly only?: readonly string[];
  /**
   * The tool's words per canonical column (`status`: won / lost / open; `skip` marks rows that are not records of
   * the dataset, such as a trialing subscription); `"*"` stands for every word not listed. A column with a
   * vocabulary that lists every canonical value refuses words it does not list; a text column (`source`) only has
   * its known words renamed.
   */
  readonly values?: Readonly<Record<string, Vocabulary>>;
  /** How the tool writes slash dates; absent: the configured date order. */
  readonly dateOrder?: DateOrder;
  /** The decimal separator of the tool's numbers in this language; absent: `.` (`,` in `;`-separated files). */
  readonly decimalSeparator?: ',' | '.';
  /** Several rows per record key (a Stripe customer with several subscriptions): merged into one record. */
  readonly rowsPerKey?: 'merge';
  /** What the tool writes above the header, for the docs (the reader skips it whatever it is). */
  readonly preamble?: string;
  /** What the tool writes under the data, for the docs; `footerLines` lets the reader recognise it. */
  readonly footer?: string;
  /** Lines the tool prints under the data, as regular expression sources (skipped with a `footer-row` warning). */
  readonly footerLines?: readonly string[];
  /**
   * The tool writes the total of all rows first, right under the header (Meta's Ads Manager): that row, when its
   * campaign and channel are blank and its amount is the sum of the other rows', is skipped as a `summary-row`;
   * otherwise it is checked as a record.
   */
  readonly totalRowFirst?: boolean;
  /** Things to know about this export, for the docs. */
  readonly notes?: readonly string[];
  /**
   * What to do in the tool when its export lacks a required column (`date`: add the Day segment): said instead of
   * a mapping, which cannot make up a column the file does not have.
   */
  readonly whenMissing?: Readonly<Record<string, string>>;
}
