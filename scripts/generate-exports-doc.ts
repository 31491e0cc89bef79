/**
 * Writes docs/exports.md, the export contract for the people who upload, from the dataset registry and the
 * report's codes: `npx tsx scripts/generate-exports-doc.ts`. `test/unit/ingest-docs.test.ts` fails when the file
 * differs from what this renders, so the page cannot drift from the validator.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASET_NAMES } from '../lambdas/domain/layout.ts';
import { DATASETS, type CellType, type ColumnSpec, type DatasetSpec } from '../lambdas/domain/datasets/registry.ts';
import { ERROR_CODES, ERROR_HINTS, ISSUES_KEPT_PER_CODE, WARNING_CODES, WARNING_HINTS } from '../lambdas/domain/validation/report.ts';
import { DEFAULT_SETTINGS } from '../lambdas/domain/settings.ts';
import {
  MAX_COMPRESSION_RATIO, MAX_CSV_BYTES, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_CELLS, MAX_WORKBOOK_PART_BYTES, MAX_WORKBOOK_TABLE_BYTES,
  MAX_WORKBOOK_TEXT_CHARS, RATIO_CHECK_AFTER_BYTES, formatBytes,
} from '../lambdas/domain/validation/limits.ts';
import { mappingSection, profilesSection } from './exports-doc-profiles.ts';

export const EXPORTS_DOC_PATH = fileURLToPath(new URL('../docs/exports.md', import.meta.url));

const TYPE_WORDS: Record<CellType, string> = {
  text: 'text',
  datetime: 'date or timestamp',
  date: 'date (a time part is dropped)',
  'day-or-month': 'date, or month',
  money: 'money, 0 or more',
  integer: 'whole number, 0 or more',
  boolean: 'yes/no',
  percent: 'fraction or percent',
  'sql-status': 'accepted / rejected / pending',
  currency: 'ISO 4217 currency code',
};

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');

function columnRow(spec: DatasetSpec, c: ColumnSpec): string {
  const required = c.required ? (c.requiredUnless ? 'yes, or derived' : 'yes') : 'no';
  const type = [TYPE_WORDS[c.type], c.name === spec.idColumn ? 'unique in the file' : '', spec.notes?.[c.name] ?? '']
    .filter(Boolean).join('; ');
  return `| ${code(c.name)} | ${cell(type)} | ${required} | ${cell(c.aliases.join(', '))} |`;
}

function datasetSection(spec: DatasetSpec): string[] {
  const visible = spec.columns.filter((c) => !c.helper);
  const helpers = spec.columns.filter((c) => c.helper);
  return [
    `### ${code(spec.name)}: one row is ${spec.rowIs}`,
    '',
    'Upload under ' + code(`incoming/${spec.name}/`) + '.',
    '',
    '| column | type | required | headers accepted (first one found wins) |',
    '|---|---|---|---|',
    ...visible.map((c) => columnRow(spec, c)),
    '',
    ...(helpers.length
      ? [`Also read when present: ${helpers.map((c) => `${c.aliases.map(code).join(', ')} (${TYPE_WORDS[c.type]})`).join('; ')}.`, '']
      : []),
    `Key: ${spec.uniqueKey.map(code).join(' + ')}. A later upload's record with the same key replaces the earlier one.`,
    '',
    'Rules:',
    ...spec.rules.map((r) => `- ${r}`),
    '',
  ];
}

/** docs/exports.md, from the registry. */
export function renderExportsDoc(): string {
  return [
    '# Exports: what to upload',
    '',
    '<!-- Generated from lambdas/domain/datasets/registry.ts, lambdas/domain/profiles/ and lambdas/domain/validation/report.ts by',
    '     `npx tsx scripts/generate-exports-doc.ts`. Do not edit: test/unit/ingest-docs.test.ts fails when this file',
    '     differs from the registry. -->',
    '',
    'For the people who drop sales and marketing exports into the bucket. Every file is checked as it lands; a',
    'file with a problem is rejected whole (nothing of it counts), kept as it was, and you get an email that says',
    'what is wrong and where. Check a file before uploading it with',
    '`npx smarketing validate <file> --dataset <name>`: it runs exactly the same checks.',
    '',
    '## Where files go',
    '',
    'Put a file under `incoming/<dataset>/` (any name, any sub-folder). The folder says what the file is; the',
    'content is never used to guess it.',
    '',
    '| dataset | one row is |',
    '|---|---|',
    ...DATASET_NAMES.map((n) => `| ${code(n)} | ${DATASETS[n].rowIs} |`),
    '',
    'Accepted files: CSV (`.csv`, `.txt`), gzip-compressed CSV (`.csv.gz`) and Excel (`.xlsx`: the first sheet is',
    'read). The kind of file is told from its content, not its name. Anything else (an image, a PDF, a zip, a',
    'Word file, an empty file) is rejected with a clear error.',
    '',
    '## Columns',
    '',
    'Headers are matched ignoring case, spaces, punctuation and underscores (`Create Date`, `create_date` and',
    '`createdate` are the same), and also without a parenthesised ending (`Session primary channel group (Default',
    'Channel Group)`, `Amount spent (USD)`, which also names the currency; not `(metadata)`, which Stripe puts on the',
    'custom fields a business adds: `account_id (metadata)` is no `Account ID`). Columns not listed are ignored. Two',
    'headers that mean the same column are an error. A missing required column rejects the file; the error names',
    'it and lists the headers found.',
    '',
    ...DATASET_NAMES.flatMap((n) => datasetSection(DATASETS[n])),
    ...profilesSection(),
    ...mappingSection(),
    '## How values are read',
    '',
    '- **Dates**: `2026-10-05`, `2026-10-05 14:30`, `2026-10-05T14:30:00` (with or without an offset such as `Z` or',
    '  `+02:00`; offsets beyond ±14:00 are errors), `20261005` (GA4), dotted dates `05.10.2026` (always day first),',
    '  and slash dates `10/5/2026` (month first, the default) or `5/10/2026` (day first, when the date order is set',
    '  to DMY), with an optional time (`2:30 PM`). Dashes with the year last (`5-10-2026`, as Excel re-saves exports)',
    '  are written day first and month first alike, so they are read only in an order said for the file: its',
    '  mapping\'s or profile\'s `dateOrder`, or settings that chose DMY; otherwise each is a `type-error` that says so.',
    '  A date without an offset is a date in the reporting time zone',
    `  (default ${DEFAULT_SETTINGS.timezone}). A timestamp with an offset is an instant: its day is its local day in the reporting`,
    '  time zone, in every column, so the same instant never counts on two different days (in a date-only column too:',
    '  `2026-11-01T02:00:00Z` is 31 October in New York). A file whose slash dates have a 13th month is rejected, and',
    '  the error says which date order would fit. Impossible dates (30 February) are errors.',
    '- **Money**: `1234.5`, `1,234.50`, `$1,234.50`, `USD 1,234.50`, `1234.50 EUR`; in files with `;` separators also',
    `  \`1.234,50\`. Negative amounts are errors. A currency written in a cell, as a code or a sign (\`€\`, \`£\`, \`¥\`,`,
    `  \`₹\`, \`₩\`; \`$\` for any dollar), must be the configured one (default ${DEFAULT_SETTINGS.currency}), else a \`currency-mismatch\`;`,
    '  an amount naming two currencies (`USD 5 EUR`) is an error. Amounts too large to be exact are errors.',
    '- **Ids and keys** (ids, a lead id on a deal, the channel and campaign of spend and traffic rows): compared and',
    '  stored in Unicode NFC without invisible characters (zero-width spaces, joiners, soft hyphens): `José` typed two',
    '  ways, or `L1` with a zero-width space after it, are one id.',
    '- **Whole numbers**: `1234`, `1,234`, `1 234`; in files with `;` separators also `1.234`.',
    '- **Percent**: `0.42`, `42%`, `42 %`.',
    '- **Yes/no**: true/false, yes/no, y/n, 1/0, in any case.',
    '- Spaces around values are ignored.',
    '',
    '## File formats read',
    '',
    '- Text encodings: UTF-8 with or without a BOM; UTF-16 with a BOM (Excel "Unicode text"); Windows-1252 (old',
    '  Excel "CSV"), read with a warning. A file that starts as UTF-8 with accented letters and then has bytes that',
    '  are not UTF-8 mixes encodings and is rejected (`encoding-error`).',
    '- Separators `,` `;` or tab, told from the header line; Windows, Unix or old-Mac line ends; quoted values with',
    '  separators, doubled quotes (`""`) and line breaks inside.',
    '- Lines before the header are skipped: a report title and date range (Google Ads), a `#` comment block (GA4).',
    '- Skipped with a warning: an ads report\'s total rows (first cell `Total…`, `Grand total`, `Gesamt…`, `Totaux`…',
    '  that are not valid records), and after the data: a last row with numbers and no keys, `#` comment lines, the',
    '  lines report tools print under the data (Salesforce\'s confidentiality notice). A row that is a valid record',
    '  is data wherever it is, whatever its first cell says (`Total Wine - Spring Promo`, `#BlackFriday`, an id `#1001`).',
    '- A total and its parts in one file are an error (`overlapping-granularity`, naming both rows): spend for a month',
    '  and for days of that month on the same channel and campaign; traffic for a day in total (no channel) and per',
    '  channel. Adding both up would count the money or the sessions twice: keep one of the two.',
    '- A `.xlsx` file: the first visible sheet in tab order (a hidden sheet is often an old copy); rows before the',
    '  header are skipped; date cells (1900 or 1904 date system) and number cells are read as the same dates and',
    '  numbers. Line numbers in reports are the sheet\'s row numbers. Cells merged down several data rows (a',
    '  Salesforce "Formatted Report" groups its rows that way) are refused: only the first of those rows holds the',
    '  value, so the others would silently read as blank; export "Details Only", or unmerge and fill every row.',
    '  Subtotal rows ("Subtotal", "Zwischensumme", "Sous-total") are skipped like total rows.',
    '',
    '## Limits',
    '',
    'A file past one of these limits is rejected as `too-large` as soon as it is seen to be (the message says which',
    'limit, and what to do). They sit well above what real exports need; they stop a small file that expands',
    'enormously (a "zip bomb") from tying up the validator.',
    '',
    `- CSV: ${formatBytes(MAX_CSV_BYTES)} of text (once decompressed, for a \`.csv.gz\`). Split a larger export into several files.`,
    `- \`.csv.gz\` and the parts of an \`.xlsx\`: data may expand at most ${MAX_COMPRESSION_RATIO}-fold (checked past the first`,
    `  ${formatBytes(RATIO_CHECK_AFTER_BYTES)}). A gzip inside a gzip is rejected (\`not-tabular\`): compress the CSV once.`,
    `- \`.xlsx\`: ${formatBytes(MAX_WORKBOOK_BYTES)} as uploaded; ${MAX_WORKBOOK_CELLS.toLocaleString('en-US')} cells in the sheet read, and`,
    `  ${formatBytes(MAX_WORKBOOK_PART_BYTES)} of its XML; ${formatBytes(MAX_WORKBOOK_TABLE_BYTES)} for the shared-strings table (the workbook's`,
    `  distinct texts, held in memory); ${MAX_WORKBOOK_TEXT_CHARS.toLocaleString('en-US')} characters in one cell. Export a larger sheet as CSV.`,
    '- A NUL byte anywhere in a CSV makes it binary data, not text (`not-tabular`, with its line).',
    '',
    '## What you get back',
    '',
    'Every upload ends **accepted** (its rows count from the next scorecard on) or **rejected** (nothing of it',
    'counts; the original stays where you put it, a copy and its report go in a folder of their own for that upload,',
    '`rejected/<dataset>/<your sub-folders>/<upload id>/<file>` and `<file>.report.json`, and the ops address gets an',
    'email with the counts, the first errors and the report\'s key). Re-uploading a corrected file with any name',
    'replaces the rows it has again (same key).',
    '',
    'Which upload is later: two uploads of the same file name (S3 key) are ordered by S3\'s own write order (the',
    'event\'s sequencer), so the file written last wins even within one second or when clocks differ; uploads of',
    'different names are ordered by when they were made, to the millisecond. The order is the same on every run.',
    '',
    `Each problem is reported with its code, its row (the header is row 1, the first data row 2), the line of the file`,
    `where that row starts, the column and the value. The report keeps the first ${ISSUES_KEPT_PER_CODE} problems of each`,
    'code and counts all of them.',
    '',
    'By default any error rejects the whole file. An error-rate tolerance can be configured (`errorTolerance`, a',
    'share of rows such as 0.01 for 1%): then a file whose rows with errors are within it is accepted without those',
    'rows, and the report and the email say how many were dropped.',
    '',
    '### Errors',
    '',
    '| code | what to do |',
    '|---|---|',
    ...ERROR_CODES.map((c) => `| ${code(c)} | ${cell(ERROR_HINTS[c])} |`),
    '',
    '### Warnings (the file is still accepted)',
    '',
    '| code | meaning |',
    '|---|---|',
    ...WARNING_CODES.map((c) => `| ${code(c)} | ${cell(WARNING_HINTS[c])} |`),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(EXPORTS_DOC_PATH, renderExportsDoc());
  console.log(`wrote ${EXPORTS_DOC_PATH}`);
}
