/**
 * `smarketing validate <file> --dataset <name> [--mapping <mapping.json>]`: one file through the validation the
 * Lambda runs on an upload, with the mapping file given, or the nearest mapping.json up to the dataset folder.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATASET_NAMES, isDatasetName } from '../../domain/layout.ts';
import { formatReportSummary } from '../../domain/validation/summary.ts';
import { COMMON, loadSettings, UsageError, type Io } from '../options.ts';
import { validateFile } from '../validate-file.ts';
import { mappingFor } from '../mapping-file.ts';

export async function run(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON, dataset: { type: 'string' }, mapping: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new UsageError('validate needs a file');
  if (positionals.length > 1) throw new UsageError(`validate takes one file (got ${positionals.length}); run it once per file`);
  if (!v.dataset || !isDatasetName(v.dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const settings = await loadSettings(v, io.cwd);
  const path = resolve(io.cwd, file);
  const info = await stat(path).catch(() => { throw new UsageError(`no such file: ${file}`); });
  if (info.isDirectory()) throw new UsageError(`${file} is a folder: validate takes one export file (to read a folder of exports, run: smarketing kpis --data ${file})`);
  const mapping = await mappingFor(file, v.dataset, v.mapping, io.cwd);
  const progress = io.isTTY && !v.json && info.size >= (io.progressMinBytes ?? 5_000_000) ? progressBar(info.size, io) : undefined;
  let report;
  try {
    report = await validateFile(path, v.dataset, settings, io.now(), progress, mapping ? { mapping } : {});
  } finally {
    if (progress) io.err('\r\x1b[K'); // clear the bar's line, whatever happened
  }
  const shown = { ...report, source: file };
  io.out(v.json ? JSON.stringify(shown, null, 2) : formatReportSummary(shown));
  return report.status === 'accepted' ? 0 : 1;
}

/**
 * A one-line progress bar on stderr, redrawn in place (`\r`) at most once per percent, from the bytes of the
 * file read so far (compressed bytes for a .gz, so the bar tracks the file on disk).
 */
export function progressBar(total: number, io: Pick<Io, 'err'>): (bytes: number) => void {
  let last = -1;
  const mb = (n: number): string => (n / 1_048_576).toFixed(n < 10_485_760 ? 1 : 0);
  return (bytes) => {
    const pct = total > 0 ? Math.min(100, Math.floor((bytes / total) * 100)) : 100;
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${mb(Math.min(bytes, total))} / ${mb(total)} MB`);
  };
}

