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
