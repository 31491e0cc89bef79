/**
 * `RowChecker`: checks the data rows of one file, one at a time, against the dataset's columns and rules, and
 * writes each good record to the sink. Everything per file (which column is where, how it is read) is worked out
 * once, in the constructor; per row it reads the mapped cells, applies the registry's row rules, and checks ids.
 */
import type { DatasetName } from '../layout.ts';
import type { DatasetSpec, RowIssue } from '../datasets/registry.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import type { HeaderMapping } from './header.ts';
import type { ErrorCode, Issue, IssueLog, WarningCode } from './report.ts';
import { CompactIdSet } from './id-set.ts';
import { LocalDates } from './local-dates.ts';
import { normalizeText, parseCell, planColumns, trimmed, type ColumnPlan } from './cells.ts';
import { refusedWordProblem, translateValue, type ValueMap } from './reading.ts';
import { SKIP_VALUE } from '../mapping/schema.ts';
import { rowCellsOf, type RowCells } from './row-cells.ts';
import type { Settings } from '../settings.ts';

/** Where a validation writes its records; see `validateExport`. */
export interface RecordSink<R> {
  /** Takes one record; returns a promise only when the caller should wait (backpressure). */
  write(record: R): void | Promise<void>;
  /** Forget what was written: the file is read again from the start (encoding fallback). */
  reset(): void | Promise<void>;
}

/** The report's issue logs the checker adds to. */
export interface IssueLogs {
  readonly errors: IssueLog<ErrorCode>;
  readonly warnings: IssueLog<WarningCode>;
}

export interface RowCheckerOptions {
  readonly settings: Settings;
  /** The last local day a date may be on (the upload day plus one), `YYYY-MM-DD`. */
  readonly futureLimit: string;
  /** The upload's time, for the future-date message. */
  readonly uploadedAt: string;
  /** The file writes decimal commas (a semicolon-delimited export). */
  readonly decimalComma: boolean;
  /** The words of the file's profile and mapping, per column (reading.ts). */
  readonly values?: Readonly<Record<string, ValueMap>>;
  /** Several rows per key are merged by the sink, not `duplicate-id` errors (a Stripe customer's subscriptions). */
  readonly mergeDuplicates?: boolean;
  /** Lines the file's tool prints under the data, beyond the usual ones. */
  readonly footer?: RegExp;
  /** The first data row may be the total of all rows, with no key (`ExportProfile.totalRowFirst`). */
  readonly totalRowFirst?: boolean;
  /** The file's mapping or profile says its date order (dash dates are then read: `ColumnPlan.dashDates`). */
  readonly fileDateOrder?: boolean;
}

/** A cell holding a range of days, as Meta's Month and Week breakdowns write it: `2024-10-01 - 2024-10-30`. */
const DAY_RANGE = /^(\d{4}-\d{2}-\d{2})\s+[-–]\s+(\d{4}-\d{2}-\d{2})$/;

/** How reports label their totals, in the languages of the tools' UIs (Total, Grand total, Gesamt, Totaux, Summe…). */
const TOTAL_LABEL_RE = /^(grand\s+totals?|totals?|sub-?\s?totals?|gesamt\w*|insgesamt|summe|zwischensumme|totaux|sous-?\s?totals?|total\s+g[ée]n[ée]ral|totale|suma\s+total|totaal|somme|summa)\b/i;
/**
 * Candidate trailing rows held while more rows may follow: they are a report's summary, comment or footer only
 * when nothing but such rows comes after them. Past this many in a row they are data (memory stays bounded).
 */
const MAX_HELD_ROWS = 1000;
const SKIPPED_MESSAGE = {
  'summary-row': 'summary row skipped', 'comment-row': 'comment line skipped', 'footer-row': 'report footer line skipped',
} as const;
/** Lines report tools print under the data (Salesforce: confidentiality notice, copyright, who ran it). */
const FOOTER_RE = /^(confidential|copyright|\(c\)|©|generated\s+by|filtered\s+by|salesforce\.com|report\s+(run|generated)|exported\s+(on|by))/i;
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['money', 'integer', 'percent']);

export class RowChecker<N extends DatasetName> {
  /** Data records read (summary, footer and comment rows included). */
  rows = 0;
  /** Records that passed (written to the sink unless the file is already rejected). */
  acceptedRows = 0;
  /** Rows with at least one error, and the errors found in rows. */
  errorRows = 0;
  errorIssues = 0;

  private readonly plans: readonly ColumnPlan[];
  private readonly datePlans: readonly ColumnPlan[];
  /** The current row's values, by column index and by name: refilled per row (`build` keeps nothing of it). */
  private readonly cells: RowCells;
  private readonly dates: LocalDates;
  private readonly keyIndexes: readonly number[];
  private readonly numericIndexes: readonly number[];
  private readonly ids = new CompactIdSet();
  /** Per granularity group (see `DatasetSpec.granularity`): the first row seen of each level. */
  private readonly levels = new Map<string, { coarse?: number; fine?: number }>();
  private readonly tolerance: number;
  private readonly rowErrors: Issue<ErrorCode>[] = [];
  /** The row's blank-value warnings: kept only if the row is not skipped (a footer line has no source either). */
  private readonly rowBlanks: Issue<WarningCode>[] = [];
  private readonly issues: RowIssue[] = [];
  private writes: Promise<void>[] = [];
  /**
   * Rows that look like a report's trailer (`#` comment, a total label, blank keys with filled numbers, or only
   * the first cell filled): skipped with a warning when only such rows follow, checked as data when a data row
   * comes after them (an id `#1001`, a campaign "Total Wine - Spring Promo" is data).
   */
  private held: { cells: string[]; row: number; line: number }[] = [];
  private afterSummary = false;
  /** The first row, when it may be the total the tool writes first (`totalRowFirst`): decided at the end. */
  private leadingTotal: { cells: string[]; row: number; line: number } | undefined;
  /** The amounts of the rows read so far (in minor units) and how many, to tell a leading total from a record. */
  private amountSum = 0;
  private amountRows = 0;
  /** The amount column, whose sum a leading total is. */
  private readonly amountPlan: ColumnPlan | undefined;
  /** The current row's cell that says it is no record of the dataset (a word its vocabulary maps to `skip`). */
  private skip: { column: string; value: string } | undefined;

  constructor(
    private readonly spec: DatasetSpec<N>,
    mapping: HeaderMapping,
    private readonly logs: IssueLogs,
    private readonly headerWidth: number,
    private readonly opts: RowCheckerOptions,
    private readonly sink: RecordSink<DatasetRecords[N]>,
  ) {
    this.plans = planColumns(spec, mapping, opts.settings, opts.decimalComma, opts.values, opts.fileDateOrder === true);
    this.amountPlan = this.plans.find((p) => p.type === 'money');
    this.datePlans = this.plans.filter((p) => p.isDate);
    this.cells = rowCellsOf(spec);
    this.keyIndexes = spec.keyColumns.map((k) => mapping.index[k] ?? -1);
    this.numericIndexes = spec.columns.filter((c) => NUMERIC_TYPES.has(c.type) && mapping.index[c.name] !== undefined)
      .map((c) => mapping.index[c.name]!);
    this.dates = new LocalDates(opts.settings, opts.futureLimit);
    this.tolerance = opts.settings.errorTolerance ?? 0;
  }

  /**
   * The header's columns this checker never reads (a mask for `CsvParser.skip`): not mapped to a column of the
   * dataset, and not the first one (comment and summary rows are told by their first cell).
   */
  skippableColumns(): Uint8Array {
    const mask = new Uint8Array(this.headerWidth).fill(1);
    mask[0] = 0;
    for (const p of this.plans) {
      mask[p.index] = 0;
      for (const i of p.alsoAt ?? []) mask[i] = 0;
    }
    return mask;
  }

  /** Waits for the sink when it asked to (backpressure); called once per chunk, not per row. */
  async flush(): Promise<void> {
    if (this.writes.length === 0) return;
    const w = this.writes;
    this.writes = [];
    await Promise.all(w);
  }

  /** The end of the data: the rows held come after the data (a valid record among them is still data). */
  end(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) this.checkRecord(h.cells, h.row, h.line, true);
    const total = this.leadingTotal;
    this.leadingTotal = undefined;
    if (total && this.isTotalOfTheRest(total.cells)) {
      this.logs.warnings.add({ code: 'summary-row', row: total.row, line: total.line, value: '', message: 'the total of the rows below, written first: skipped' });
    } else if (total) {
      this.checkRecord(total.cells, total.row, total.line);
    }
  }

  /**
   * Whether the first row is a leading total (Meta writes one): no text in the columns that tell records apart
   * (campaign, channel), numbers filled, and its amount the sum of the other rows', to a cent a row (the tool sums
   * unrounded amounts). Else it is checked as a record like any other.
   */
  private mayBeLeadingTotal(cells: readonly string[]): boolean {
    return this.amountPlan !== undefined && this.numbersFilled(cells) &&
      this.plans.every((p) => !(p.isText && this.spec.uniqueKey.includes(p.name)) || trimmed(cells[p.index] ?? '') === '');
  }

  private isTotalOfTheRest(cells: readonly string[]): boolean {
    const plan = this.amountPlan!;
    const raw = trimmed(cells[plan.index] ?? '');
    const v = raw === '' ? undefined : parseCell(plan, raw);
    return typeof v === 'number' && this.amountRows > 0 && Math.abs(v - this.amountSum) <= this.amountRows;
  }


  /** A record of a CSV file as `CsvParser` hands it over; the header (row 1) is not a data row. */
  row(cells: string[], row: number, line: number): void {
    if (row > 1) this.check(cells, row, line);
  }

  check(cells: string[], row: number, line: number): void {
    this.rows++;
    const first = trimmed(cells[0] ?? '');
    if (first === '' && isBlankRow(cells)) return;
    if (this.rows === 1 && this.opts.totalRowFirst && this.mayBeLeadingTotal(cells)) {
      this.leadingTotal = { cells: cells.slice(), row, line }; // the parser refills `cells` for the next row
      return;
    }
    if (first.startsWith('#') || isTotalLabel(first) || (this.keysBlank(cells) && this.numbersFilled(cells)) || onlyFirstCell(cells)) {
      this.held.push({ cells: cells.slice(), row, line }); // the parser refills `cells` for the next row
      if (this.held.length > MAX_HELD_ROWS) this.checkHeldAsData();
      return;
    }
    this.checkHeldAsData();
    this.checkRecord(cells, row, line);
  }

  /** A data row follows the rows held: they were data too. */
  private checkHeldAsData(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) this.checkRecord(h.cells, h.row, h.line);
  }

  private keysBlank(cells: readonly string[]): boolean {
    return this.keyIndexes.every((i) => i < 0 || cells[i] === undefined || trimmed(cells[i]!) === '');
  }

  /** "Its numbers are filled": a count or an amount, not a date (a record that lost its id is an error, not a total). */
  private numbersFilled(cells: readonly string[]): boolean {
    return this.numericIndexes.some((i) => /\d/.test(cells[i] ?? ''));
  }

  private err(code: ErrorCode, row: number, line: number, column: string | undefined, value: string | undefined, message: string): void {
    this.rowErrors.push({ code, row, line, ...(column ? { column } : {}), ...(value !== undefined ? { value } : {}), message });
  }

  /**
   * Checks a row as a record. A row that is not a valid record may still be a line a report tool adds:
   * `trailing` says no data row comes after it (see `skippedAs`).
   */
  private checkRecord(cells: string[], row: number, line: number, trailing = false): void {
    if (this.rowErrors.length > 0) this.rowErrors.length = 0;
    if (this.rowBlanks.length > 0) this.rowBlanks.length = 0;
    this.checkWidth(cells, row, line);
    this.readCells(cells, row, line);
    if (this.skip !== undefined) {
      // Not a record of the dataset: what else is wrong with it does not matter.
      const { column, value } = this.skip;
      this.skip = undefined;
      this.rowErrors.length = 0;
      this.logs.warnings.add({ code: 'row-skipped', row, line, column, value, message: `"${truncate(value)}" in ${column} marks a row that is no record: left out` });
      return;
    }
    if (this.opts.totalRowFirst) {
      // Every row's amount, errors or not: a leading total is the tool's sum of all of them.
      const amount = this.cells.values[this.amountPlan?.column ?? -1];
      if (typeof amount === 'number') { this.amountSum += amount; this.amountRows++; }
    }
    if (this.rowErrors.length === 0) this.checkFutureDates(row, line);
    const record = this.rowErrors.length === 0 ? this.build(row, line) : undefined;
    const skipped = this.rowErrors.length > 0 ? this.skippedAs(cells, trailing) : undefined;
    if (skipped) {
      if (skipped === 'summary-row') this.afterSummary = true;
      const label = trimmed(cells[0] ?? '') || trimmed(cells[this.headerWidth] ?? '');
      this.logs.warnings.add({ code: skipped, row, line, value: label.slice(0, 80), message: SKIPPED_MESSAGE[skipped] });
      return;
    }
    for (const w of this.rowBlanks) this.logs.warnings.add(w);
    this.checkUnique(record, row, line);
    if (record && this.rowErrors.length === 0) this.checkGranularity(record, row, line);
    if (this.rowErrors.length > 0) {
      this.errorRows++;
      this.errorIssues += this.rowErrors.length;
      for (const e of this.rowErrors) this.logs.errors.add(e);
      return;
    }
    if (!record) return;
    this.acceptedRows++;
    // With no tolerance, once any error is known the file is rejected whole: stop storing, keep checking.
    if (this.tolerance > 0 || this.logs.errors.total === 0) {
      const w = this.sink.write(record);
      if (w) this.writes.push(w);
    }
  }

  /** Cells past the header's width must be blank. */
  private checkWidth(cells: readonly string[], row: number, line: number): void {
    for (let i = this.headerWidth; i < cells.length; i++) {
      if (trimmed(cells[i]!) !== '') {
        // Two rows run together when a line ends another way than the file's others (a CR alone in a CRLF file).
        const joined = cells.some((c) => c.includes('\r') || c.includes('\n'));
        this.err('extra-cell', row, line, undefined, cells[i], `the row has ${cells.length} cells, the header ${this.headerWidth}` +
          (joined ? '; a line in it ends another way than the other lines (mixed line endings, such as a CR alone in a file of CRLF ' +
            'lines), so two rows ran together: save the file again so every line ends the same way' : ''));
        return;
      }
    }
  }

  /** Reads every mapped cell into `parsed`, recording what cannot be read. */
  private readCells(cells: readonly string[], row: number, line: number): void {
    const { plans } = this;
    const { values } = this.cells;
    let endFromRange = -1;
    for (let k = 0; k < plans.length; k++) {
      const plan = plans[k]!;
      if (plan.column === endFromRange) continue; // set from the start's range, whatever the file's own end says
      values[plan.column] = undefined;
      const cell = cells[plan.index];
      if (cell === undefined) {
        this.err('missing-cell', row, line, plan.name, undefined, `the row has ${cells.length} cells and ends before column "${plan.name}"`);
        continue;
      }
      let raw: string | undefined = trimmed(cell);
      if (plan.alsoAt !== undefined) {
        raw = this.readCopies(plan, raw, cells, row, line);
        if (raw === undefined) continue;
      }
      if (plan.rangeEnd !== undefined) {
        values[plan.rangeEnd.column] = undefined; // no plan of its own may clear it
        const start = this.readRange(plan.rangeEnd, raw, row, line);
        if (start !== raw) endFromRange = plan.rangeEnd.column;
        raw = start;
      }
      // A blank cell is read through the words only when they list "" (a blank that means something: "skip": [""]).
      if (plan.values !== undefined && (raw !== '' || plan.values.words.has(''))) {
        const word = raw === '' ? plan.values.words.get('')! : translateValue(plan.values, raw);
        if (word === SKIP_VALUE) { this.skip = { column: plan.name, value: raw }; continue; }
        if (word === undefined) { this.err('constraint-error', row, line, plan.name, raw, `"${truncate(raw)}" ${refusedWordProblem(plan.values, raw)}`); continue; }
        raw = word;
      }
      if (raw === '') {
        if (plan.blank === 'error') this.err('missing-value', row, line, plan.name, '', `required value "${plan.name}" is blank${plan.type === 'money' ? blankMoneyHint(plan.name) : ''}`);
        else if (plan.blank === 'unknown') {
          values[plan.column] = 'unknown';
          this.rowBlanks.push({ code: 'blank-value', row, line, column: plan.name, value: '', message: `blank ${plan.name} read as "unknown"` });
        }
        continue;
      }
      // Text is the commonest cell: taken as it is, normalised only where it identifies a record.
      const v = plan.isText ? (plan.isKey ? normalizeText(raw) : raw) : parseCell(plan, raw);
      if (typeof v === 'object') this.err(v.code, row, line, plan.name, raw, `"${truncate(raw)}" ${v.problem}`);
      else values[plan.column] = v;
    }
  }

  /** A column written more than once (`ColumnPlan.alsoAt`): its one value, or undefined when the copies disagree. */
  private readCopies(plan: ColumnPlan, raw: string, cells: readonly string[], row: number, line: number): string | undefined {
    const copies = [raw, ...plan.alsoAt!.map((i) => trimmed(cells[i] ?? ''))].filter((c) => c !== '');
    if (new Set(copies.map((c) => c.toUpperCase())).size <= 1) return copies[0] ?? '';
    this.err('currency-mismatch', row, line, plan.name, copies.join(' / '), `the file's ${plan.alsoAt!.length + 1} "${plan.name}" columns disagree on this row: ${copies.join(', ')}`);
    return undefined;
  }

  /** A cell holding a range of days: its last day read into `end`'s column, its first returned; any other cell as it is. */
  private readRange(end: ColumnPlan, raw: string, row: number, line: number): string {
    const range = raw.length > 20 ? DAY_RANGE.exec(raw) : null;
    if (!range) return raw;
    const v = parseCell(end, range[2]!);
    if (typeof v === 'object') this.err(v.code, row, line, end.name, range[2], `"${range[2]}" (the end of "${truncate(raw)}") ${v.problem}`);
    else this.cells.values[end.column] = v;
    return range[1]!;
  }

  /** Dates after the upload day plus one are errors, except where the dataset says a date may lie ahead. */
  private checkFutureDates(row: number, line: number): void {
    let exempt: readonly string[] | undefined;
    const { values } = this.cells;
    for (const plan of this.datePlans) {
      const v = values[plan.column];
      if (typeof v !== 'string' || !this.dates.isFuture(v)) continue;
      exempt ??= this.spec.futureDateExempt?.(this.cells.byName) ?? [];
      if (exempt.includes(plan.name)) continue;
      this.err('future-date', row, line, plan.name, v, `${v.slice(0, 10)} is in the future (uploaded ${this.opts.uploadedAt.slice(0, 10)})`);
    }
  }

  /** The registry's row rules and the record they build. */
  private build(row: number, line: number): DatasetRecords[N] | undefined {
    if (this.issues.length > 0) this.issues.length = 0;
    const record = this.spec.build(this.cells.byName, this.dates, this.issues);
    for (const issue of this.issues) {
      if (issue.severity === 'error') this.err(issue.code, row, line, issue.column, stringOf(this.cells.byName[issue.column]), issue.message);
      else this.logs.warnings.add({ code: 'blank-value', row, line, column: issue.column, message: issue.message });
    }
    return record;
  }

  /** One record per id (or per unique key): a second one is an error naming the first row. */
  private checkUnique(record: DatasetRecords[N] | undefined, row: number, line: number): void {
    const { spec } = this;
    if (this.opts.mergeDuplicates) return;
    if (spec.idColumn) {
      const id = this.cells.byName[spec.idColumn];
      if (typeof id !== 'string') return;
      const seen = this.ids.add(id, row);
      if (seen) this.err('duplicate-id', row, line, spec.idColumn, id, `${spec.idColumn} "${truncate(id)}" is also on row ${seen}`);
      return;
    }
    if (!record || this.rowErrors.length > 0) return;
    const seen = this.ids.add(spec.keyOf(record), row);
    if (!seen) return;
    const cols = spec.uniqueKey;
    const values = cols.map((c) => stringOf((record as unknown as Record<string, unknown>)[c]) || '(blank)').join(' / ');
    this.err('duplicate-id', row, line, cols[0], values,
      `row ${seen} has the same ${cols.join(', ')}: the scorecard keeps one record per ${cols.join(' + ')}, so one of ` +
      'the two would be lost; put them on one row, or export without extra breakdowns (device, ad set, region…)');
  }

  /** A total and its parts in one file (a month and its days): both would be added up. */
  private checkGranularity(record: DatasetRecords[N], row: number, line: number): void {
    const g = this.spec.granularity?.(record, this.cells.byName);
    if (!g) return;
    const seen = this.levels.get(g.group) ?? {};
    const other = g.level === 'coarse' ? seen.fine : seen.coarse;
    if (other !== undefined) {
      this.err('overlapping-granularity', row, line, this.spec.keyColumns[0], g.describe,
        `this row (${g.describe}) overlaps row ${other}: one is the total of the other's ${g.level === 'coarse' ? 'parts' : 'group'}, so ` +
        'adding both would count twice; keep either the total or the parts');
    }
    if (seen[g.level] === undefined) this.levels.set(g.group, { ...seen, [g.level]: row });
  }

  /**
   * What a row that is not a valid record is, when it is a line report tools add rather than bad data: a total
   * row (a total label in the first cell: an ads report's totals, wherever they are), or after the data a row
   * with blank keys and filled numbers, a `#` comment, a footer (only the first cell filled, reading like one or
   * under a summary). A `#` line holding nothing else is a comment anywhere: no record is made of one cell.
   * Anything else is an error, so no data is lost in silence.
   */
  private skippedAs(cells: readonly string[], trailing: boolean): 'summary-row' | 'comment-row' | 'footer-row' | undefined {
    const first = trimmed(cells[0] ?? '');
    const lone = onlyFirstCell(cells);
    if (isTotalLabel(first)) return 'summary-row';
    // GA4 explorations put their "Grand total" row first, its label in a cell past the header's last column.
    if (cells.length === this.headerWidth + 1 && isTotalLabel(trimmed(cells[this.headerWidth]!)) && this.keysBlank(cells)) return 'summary-row';
    if (trailing && this.keysBlank(cells) && this.numbersFilled(cells)) return 'summary-row';
    if (first.startsWith('#') && (trailing || lone)) return 'comment-row';
    if (lone && (this.afterSummary || FOOTER_RE.test(first) || this.opts.footer?.test(first))) return 'footer-row';
    return undefined;
  }
}

/** A total label (`TOTAL_LABEL_RE`); its first letter is looked at first, as this runs for every row. */
function isTotalLabel(first: string): boolean {
  const c = first.charCodeAt(0) | 0x20; // lower case of a letter
  return (c === 0x74 /* t */ || c === 0x67 /* g */ || c === 0x69 /* i */ || c === 0x73 /* s */ || c === 0x7a /* z */) && TOTAL_LABEL_RE.test(first);
}

function onlyFirstCell(cells: readonly string[]): boolean {
  for (let i = 1; i < cells.length; i++) if (trimmed(cells[i]!) !== '') return false;
  return true;
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (trimmed(c) !== '') return false;
  return true;
}

/** What ops can say when a blank amount means 0 in their tool (HubSpot leaves a deal's Amount blank until it is set). */
const blankMoneyHint = (column: string): string =>
  `; if a blank ${column} means 0 in this file, say so in mapping.json: "values": { "${column}": { "0": [""] } } ` +
  '(those rows then count at 0 in sums and averages)';

const truncate = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const stringOf = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
