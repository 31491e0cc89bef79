/**
 * `smarketing map <file> --dataset <name>`: a draft mapping.json for an export, on stdout (redirect it into the
 * dataset folder: `> incoming/<dataset>/<folder>/mapping.json`): the profile detected, and for each of the dataset's
 * columns the header it would take, or the likeliest one with the other candidates; the date order and decimal
 * separator the values show; the file's words for its closed columns (a status). What it found, and what to check,
 * goes to stderr. With `--mapping`, the draft starts from that mapping file.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATASETS } from '../../domain/datasets/registry.ts';
import { DATASET_NAMES, isDatasetName } from '../../domain/layout.ts';
import { describeIssue } from '../../domain/validation/summary.ts';
import { mappingFor } from '../mapping-file.ts';
import { COMMON, loadSettings, UsageError, type Io } from '../options.ts';
import { validateFile } from '../validate-file.ts';

export async function run(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON, dataset: { type: 'string' }, mapping: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new UsageError('map needs a file');
  if (positionals.length > 1) throw new UsageError(`map takes one file (got ${positionals.length})`);
  if (!v.dataset || !isDatasetName(v.dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const settings = await loadSettings(v, io.cwd);
  const path = resolve(io.cwd, file);
  const info = await stat(path).catch(() => { throw new UsageError(`no such file: ${file}`); });
  if (info.isDirectory()) throw new UsageError(`${file} is a folder: map takes one export file`);
  // Only an explicit --mapping: a draft is what the file itself says, not what a mapping beside it already does.
  const mapping = v.mapping !== undefined ? await mappingFor(file, v.dataset, v.mapping, io.cwd) : undefined;
  const report = await validateFile(path, v.dataset, settings, io.now(), undefined, { draft: true, ...(mapping ? { mapping } : {}) });
  if (!report.mappingDraft) {
    const why = report.errors[0] ? describeIssue(report.errors[0]) : 'no header found';
    throw new UsageError(`cannot draft a mapping for ${file}: ${why}`);
  }
  io.out(JSON.stringify(report.mappingDraft, null, 2));
  const draft = report.mappingDraft as { columns?: Record<string, string>; candidates?: Record<string, string[]> };
  const lines = [`${file}: ${report.format.profile ? `the ${report.format.profile} export` : 'no tool export recognised'}; ${v.dataset} columns:`];
  for (const column of DATASETS[v.dataset].columns.filter((c) => !c.helper)) {
    const header = draft.columns?.[column.name];
    const found = report.columns[column.name] !== undefined;
    const others = draft.candidates?.[column.name]?.filter((h) => h !== header) ?? [];
    lines.push(`  ${column.name.padEnd(18)} ${header === undefined ? (column.required ? 'MISSING: no header looks like it' : '-')
      : `"${header}"${found ? '' : ' (a guess: check it)'}${others.length ? `; other candidates: ${others.map((h) => `"${h}"`).join(', ')}` : ''}`}`);
  }
  lines.push('Check the guesses and the "values" words, then save it as mapping.json in the folder of the file (the dataset folder or below).');
  io.err(lines.join('\n'));
  return 0;
}
