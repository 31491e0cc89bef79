/**
 * The parts of docs/exports.md about exports whose headers the dataset tables do not know: the tool profiles
 * (from lambdas/domain/profiles/) and mapping files. Rendered by scripts/generate-exports-doc.ts.
 */
import { DATASET_NAMES } from '../lambdas/domain/layout.ts';
import { PROFILES, type ExportProfile } from '../lambdas/domain/profiles/index.ts';

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** A profile's headers of one column, as the docs list them (a `*` pattern shown as written). */
const headersOf = (p: ExportProfile, column: string): string => {
  const list = p.columns[column];
  if (!list) return '';
  return list.length ? list.slice(0, 3).map((h) => code(h)).join(', ') + (list.length > 3 ? ', …' : '') : '(never read)';
};

function profileSection(p: ExportProfile): string[] {
  const conventions = [
    p.dateOrder ? `slash dates ${p.dateOrder === 'DMY' ? 'day first' : 'month first'}` : '',
    p.decimalSeparator === ',' ? 'decimal commas' : '',
    p.rowsPerKey === 'merge' ? 'several rows per customer, merged' : '',
  ].filter(Boolean);
  const words = Object.entries(p.values ?? {}).map(([column, vocabulary]) =>
    `${code(column)}: ${Object.entries(vocabulary).map(([v, list]) => `${list.slice(0, 4).map((w) => `"${w}"`).join(', ')}${list.length > 4 ? ', …' : ''} → ${v}`).join('; ')}`);
  return [
    `#### ${p.tool}: ${p.export} (${code(p.id)})`,
    '',
    `Dataset ${code(p.dataset)}. Recognised by a header with ${p.detect.map((g) => g.slice(0, 3).map(code).join(' or ')).join(', and ')}.`,
    '',
    '| column | read from |',
    '|---|---|',
    ...Object.keys(p.columns).map((c) => `| ${code(c)} | ${cell(headersOf(p, c))} |`),
    '',
    ...(words.length ? ['Words: ' + words.map(cell).join('. ') + '.', ''] : []),
    ...(conventions.length ? [`Conventions: ${conventions.join(', ')}.`, ''] : []),
    ...(p.preamble ? [`Above the header: ${p.preamble}.`, ''] : []),
    ...(p.footer ? [`Under the data: ${p.footer}.`, ''] : []),
    ...Object.entries(p.whenMissing ?? {}).flatMap(([column, todo]) => [`Without ${code(column)} (the error says so): ${todo}.`, '']),
    ...(p.notes ?? []).map((n) => `- ${n}`),
    ...(p.notes?.length ? [''] : []),
  ];
}

/** "Exports of the tools": the table of profiles, then each profile's headers, words and conventions. */
export function profilesSection(): string[] {
  return [
    '## Exports of the tools (profiles)',
    '',
    'These exports are read as they come out of the tool, with the tool\'s own headers, words, date and number',
    'format, title lines and footers: no editing, no mapping file. The profile is recognised from the header line,',
    'and the report names it (`format.profile`). A column a profile does not list is read with the dataset\'s',
    'headers above; a mapping file (below) adds to a profile and wins over it. In the header lists, `*` stands for',
    'any text (`Date entered*Customer*` is HubSpot\'s `Date entered "Customer (Lifecycle Stage Pipeline)"`).',
    '',
    '| dataset | exports recognised (profile id) |',
    '|---|---|',
    ...DATASET_NAMES.map((d) => `| ${code(d)} | ${PROFILES.filter((p) => p.dataset === d).map((p) => `${p.tool} ${p.export} (${code(p.id)})`).join('; ')} |`),
    '',
    ...PROFILES.flatMap(profileSection),
  ];
}

/** "Mapping files": where they go, their keys, what happens when one arrives, and a worked example. */
export function mappingSection(): string[] {
  return [
    '## Mapping files',
    '',
    'For a spreadsheet of your own, or a CRM with custom fields, write a `mapping.json` and put it in the folder of the',
    'files it is for: `incoming/<dataset>/`, or any folder below it. It applies to every upload of that folder and',
    'the folders below; the nearest one above a file wins. It is read, never validated as an export. Every key is',
    'optional:',
    '',
    '| key | what it says | example |',
    '|---|---|---|',
    '| `columns` | for a column of the dataset, the header the file has it under; adds to a tool profile and wins over it | `{ "opportunity_id": "Ref" }` |',
    '| `values` | for a column, the file\'s own words for each of its values (`status`: won, lost, open; yes/no columns: true, false); `skip` marks rows that are no records; `"*"` stands for every word not listed, `""` for a blank cell (`"skip": [""]` leaves out rows with nothing in the column) | `{ "status": { "won": ["Signed"], "skip": ["Duplicate"], "open": ["*"] } }` |',
    '| `dateOrder` | how the file writes slash dates: `DMY` (14/09/2026) or `MDY` | `"DMY"` |',
    '| `decimalSeparator` | `,` when amounts are written `59,78` | `","` |',
    '| `currency` | the currency of the file\'s amounts: an upload in another currency than the configured one is rejected | `"EUR"` |',
    '| `salesSourced` | source values of the file that are sales-sourced, besides the configured ones | `["Cold call"]` |',
    '| `profile` | read the file as this tool export (a profile id above), whatever its header | `"pipedrive-deals"` |',
    '',
    'A mapping that is wrong (not JSON, an unknown key, a column the dataset does not have, a value that is not one',
    'of the column\'s, a header the file does not have) rejects the upload with a `mapping-error` that says which key',
    'and what to write. [mapping.schema.json](mapping.schema.json) is its JSON Schema, for an editor that checks JSON.',
    '',
    'When a required column is missing, the report and the ops email propose, for each, the closest headers of the',
    'file (by name, by the words people use for it in English, German, French and Spanish, and by what its values',
    'look like: dates, amounts, unique ids), and the email carries a draft `mapping.json` (`smarketing map <file>',
    '--dataset <name>` prints the same). When a `mapping.json` is uploaded or changed, the uploads of its folder that',
    'were rejected for a `missing-column`, `type-error`, `constraint-error`, `mapping-error`, `date-order` or',
    '`future-date` (what a mapping can fix) are validated again with it, and the ops email says which are accepted',
    'now. Nothing is lost: a rejected upload stays where you put it, and counts once its mapping arrives. Deleting a',
    'mapping file changes nothing already accepted; the files uploaded after it are read without it.',
    '',
    '### A worked example',
    '',
    'The sales team keeps its deals in a sheet of its own, saved as `incoming/opportunities/team/deals-2026-10.csv`:',
    '',
    '```',
    'Ref,Client,Opened,Outcome,Decided,Value,Came from,Rep',
    'T-1,Ruiz Labs,14/09/2026,Signed,20/10/2026,12500.00,Website,Jo',
    'T-2,Okafor Ltd,02/10/2026,In talks,,3000.00,Cold call,Sam',
    'T-3,Martin SA,05/10/2026,Dropped,30/10/2026,800.00,Partner,Jo',
    '```',
    '',
    'It is rejected: `opportunity_id`, `created_at`, `status` and `amount` are missing. The email proposes `Ref`,',
    '`Opened`, `Outcome` and `Value` and attaches a draft. Corrected, and uploaded as',
    '`incoming/opportunities/team/mapping.json`:',
    '',
    '```json',
    '{',
    '  "columns": {',
    '    "opportunity_id": "Ref", "created_at": "Opened", "status": "Outcome", "closed_at": "Decided",',
    '    "amount": "Value", "source": "Came from", "owner": "Rep"',
    '  },',
    '  "values": { "status": { "won": ["Signed"], "lost": ["Dropped"], "open": ["In talks", "Negotiating"] } },',
    '  "dateOrder": "DMY",',
    '  "salesSourced": ["Cold call"]',
    '}',
    '```',
    '',
    'The sheet is validated again and accepted (the email says so), and so is every later sheet of that folder. With',
    '`values.status` listing won, lost and open, a word it does not list (a typo, a new stage) is a `constraint-error`',
    'that names the word and what to add, rather than a deal counted as open.',
    '',
  ];
}
