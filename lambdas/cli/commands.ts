/**
 * The `smarketing` commands (cli.md). Each returns its exit code and writes through the given streams, so the
 * tests run them in-process.
 */
import { readFile, mkdir, writeFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATASET_NAMES, isDatasetName } from '../domain/layout.ts';
import { DEFAULT_SETTINGS, parseSettings, SettingsError, type Settings } from '../domain/settings.ts';
import { formatReportSummary } from '../domain/validation/summary.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import { latestClosedLeadPeriod } from '../domain/metrics/compute.ts';
import { METRICS, SECTIONS, type MetricValue, type SectionId } from '../domain/metrics/registry.ts';
import { formatValue } from '../domain/scorecard/format.ts';
import { parsePeriodId, PeriodError, type Period } from '../domain/periods/period.ts';
import type { InMemoryKpiStore } from '../adapters/memory.ts';
import { composeMime } from '../adapters/mime.ts';
import { loadAcceptedRecordTable, periodsToCompute, storeKpisFrom } from '../use-cases/compute-kpis.ts';
import { loadStoredScorecard, renderScorecardFrom, resolveRecipients, sendOptionsFrom } from '../use-cases/send-scorecard.ts';
import { ingestFolder, rejectedReports, withFolderRun, type FolderInput } from './composition.ts';
import { validateFile } from './validate-file.ts';
import { runLocalPipeline } from '../local/pipeline.ts';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
  readonly now: () => Date;
  readonly cwd: string;
  /** Files at least this large show a progress bar on a terminal (`isTTY`). @default 5 MB */
  readonly progressMinBytes?: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `Usage:
  smarketing validate <file> --dataset <name> [--json]
  smarketing kpis --data <dir> [--period <id>] [--json]
  smarketing report --data <dir> [--period <id>] --out <dir>
  smarketing local [--data <dir>] [--period <id>] [--out <dir>]

Common options: --config <file>  --timezone <IANA>  --currency <ISO>  --period-type month|quarter|week
Datasets: ${DATASET_NAMES.join(', ')}`;

const COMMON = {
  config: { type: 'string' },
  timezone: { type: 'string' },
  currency: { type: 'string' },
  'period-type': { type: 'string' },
  'date-order': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function loadSettings(v: Record<string, unknown>, cwd: string): Promise<Settings> {
  let base = DEFAULT_SETTINGS;
  if (typeof v.config === 'string') {
    const path = resolve(cwd, v.config);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read config file ${path}: ${(e as Error).message}`);
    }
    base = parseSettings(raw as Record<string, unknown>);
  }
  return parseSettings({
    ...(v.timezone ? { timezone: v.timezone } : {}),
    ...(v.currency ? { currency: v.currency } : {}),
    ...(v['period-type'] ? { periodType: v['period-type'] } : {}),
    ...(v['date-order'] ? { dateOrder: v['date-order'] } : {}),
  }, base);
}

async function validateCommand(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON, dataset: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new UsageError('validate needs a file');
  if (!v.dataset || !isDatasetName(v.dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const settings = await loadSettings(v, io.cwd);
  const path = resolve(io.cwd, file);
  const size = await stat(path).then((s) => s.size).catch(() => { throw new UsageError(`no such file: ${file}`); });
  const progress = io.isTTY && !v.json && size >= (io.progressMinBytes ?? 5_000_000) ? progressBar(size, io) : undefined;
  let report;
  try {
    report = await validateFile(path, v.dataset, settings, io.now(), progress);
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

/** What `kpis` and `report` compute from a folder: the files' outcomes and, when any was accepted, the KPIs. */
type FolderKpis =
  | { readonly computed: false; readonly inputs: FolderInput[]; readonly rejected: ValidationReport[] }
  | {
    readonly computed: true; readonly inputs: FolderInput[]; readonly settings: Settings; readonly now: Date;
    readonly period: Period; readonly kpis: InMemoryKpiStore;
  };

/**
 * Runs the pipeline's use cases over the `--data` folder (see composition.ts): every file ingested, then the KPI
 * step for the period (`--period`, or the latest closed period with leads) and, with `trend`, the periods
 * before it that the scheduled run recomputes with it.
 */
async function computeFromFolder(v: Record<string, unknown>, io: Io, trend: boolean): Promise<FolderKpis> {
  if (typeof v.data !== 'string') throw new UsageError('--data <dir> is required');
  const settings = await loadSettings(v, io.cwd);
  const now = io.now();
  const named = typeof v.period === 'string' ? parsePeriodId(v.period) : undefined;
  return withFolderRun(resolve(io.cwd, v.data), settings, now, async (run): Promise<FolderKpis> => {
    const inputs = await ingestFolder(run);
    if (!inputs.some((i) => i.status === 'accepted')) return { computed: false, inputs, rejected: await rejectedReports(run) };
    const read = await loadAcceptedRecordTable(run, settings.timezone);
    const period = named ?? latestClosedLeadPeriod(read.table, settings.periodType, now);
    if (!period) throw new UsageError('no lead records dated in a closed period: name one with --period');
    const periods = trend ? periodsToCompute({ period: period.id }, now, settings.periodType, settings.timezone).periods : [period];
    await storeKpisFrom(read, periods, run);
    return { computed: true, inputs, settings, period, kpis: run.kpis, now };
  });
}

/** A period's KPIs as computed, read back from the store (without what storing adds to each). */
async function storedMetrics(kpis: InMemoryKpiStore, period: Period): Promise<Record<string, MetricValue>> {
  const metrics: Record<string, MetricValue> = {};
  for (const k of (await kpis.getPeriod(period.id)).kpis) {
    const { id, periodId: _p, periodType: _t, uploads: _u, computedAt: _c, ...value } = k;
    metrics[id] = value;
  }
  return metrics;
}

async function kpisCommand(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({ args, options: { ...COMMON, data: { type: 'string' }, period: { type: 'string' } } });
  const folder = await computeFromFolder(v, io, false);
  if (!folder.computed) {
    for (const r of folder.rejected) io.err(formatReportSummary(r));
    io.err('no dataset could be read');
    return 1;
  }
  const { settings, period, inputs } = folder;
  const metrics = await storedMetrics(folder.kpis, period);
  if (v.json) {
    io.out(JSON.stringify({ period: period.id, timezone: settings.timezone, currency: settings.currency, metrics, inputs }, null, 2));
    return 0;
  }
  io.out(`KPIs for ${period.id} (${settings.timezone}, ${settings.currency})\n`);
  for (const def of METRICS) {
    const m = metrics[def.id]!;
    const detail = m.value === null ? `  (${m.reason})` : m.numerator !== undefined && m.denominator !== undefined && def.unit !== 'count'
      ? `  = ${round(m.numerator)} / ${round(m.denominator)}` : '';
    io.out(`  ${def.label.padEnd(28)} ${formatValue(m.value, def.unit, settings.currency).padStart(14)}${detail}`);
  }
  const skipped = inputs.filter((i) => i.status === 'rejected');
  io.out(`\n${inputs.length - skipped.length} files read${skipped.length ? `, ${skipped.length} skipped because they failed validation:` : '.'}`);
  for (const s of skipped) io.out(`  - ${s.file} (run: smarketing validate ${join(v.data!, s.file)} --dataset ${s.dataset})`);
  return 0;
}

const round = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

async function reportCommand(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({ args, options: { ...COMMON, data: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } } });
  if (typeof v.out !== 'string') throw new UsageError('--out <dir> is required');
  const folder = await computeFromFolder(v, io, true);
  if (!folder.computed) {
    io.err('no dataset could be read');
    return 1;
  }
  const { settings, period, kpis, now } = folder;
  // The same choices the reporting Lambda makes: the settings' required datasets (banner), hold, and groups.
  const options = sendOptionsFrom(settings);
  const deps = { clock: { now: () => now }, settings };
  const data = await loadStoredScorecard(period, kpis);
  const required = options.requiredDatasets ? { requiredDatasets: options.requiredDatasets } : {};
  const scorecard = renderScorecardFrom(period, data, deps, required);
  const outDir = resolve(io.cwd, v.out);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'scorecard.html'), scorecard.html);
  await writeFile(join(outDir, 'scorecard.txt'), scorecard.text);
  await writeFile(join(outDir, 'scorecard.eml'), await composeMime(scorecard.emailTo(settings.recipients.join(', '))));
  io.out(`Scorecard for ${period.id} written to ${outDir}: scorecard.html, scorecard.txt, scorecard.eml`);
  if (options.whenDataMissing === 'hold' && scorecard.view.banner) {
    io.err(`It would be held, not sent (whenDataMissing is "hold"): ${scorecard.view.banner}`);
  }
  // A recipient group that sees only some sections gets its own version: preview each as the Lambda renders it.
  const every = SECTIONS.map((x) => x.id);
  const variants = new Map<string, string[]>();
  for (const { address, sections } of resolveRecipients(options.groups ?? []).values()) {
    const wanted = every.filter((x) => sections.has(x));
    if (wanted.length === every.length) continue;
    const key = wanted.join('+') || 'none';
    variants.set(key, [...(variants.get(key) ?? []), address]);
  }
  for (const [key, addresses] of variants) {
    const sections = key === 'none' ? [] : key.split('+') as SectionId[];
    const version = renderScorecardFrom(period, data, deps, { ...required, sections });
    const base = `scorecard.${key}`;
    await writeFile(join(outDir, `${base}.html`), version.html);
    await writeFile(join(outDir, `${base}.txt`), version.text);
    await writeFile(join(outDir, `${base}.eml`), await composeMime(version.emailTo(addresses.join(', '))));
    io.out(`  sections ${key.replaceAll('+', ', ')} (${addresses.length} recipient${addresses.length === 1 ? '' : 's'}): ${base}.html, ${base}.txt, ${base}.eml`);
  }
  return 0;
}

async function localCommand(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({ args, options: { ...COMMON, data: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } } });
  const settings = await loadSettings(v, io.cwd);
  const dataDir = resolve(io.cwd, typeof v.data === 'string' ? v.data : 'samples');
  const outDir = resolve(io.cwd, typeof v.out === 'string' ? v.out : 'out');
  const result = await runLocalPipeline({
    dataDir, outDir, settings, ...(typeof v.period === 'string' ? { period: v.period } : {}),
    log: (line) => io.out(line),
    // A live counter on a terminal; nothing per file otherwise (rejections are listed at the end).
    ...(io.isTTY ? { onUpload: (u: { done: number; total: number }) => io.err(`\r  validated ${u.done}/${u.total} uploads${u.done === u.total ? '\n' : ''}`) } : {}),
  });
  const rejected = result.uploads.filter((u) => u.outcome === 'rejected');
  io.out(`\n${result.uploads.length} uploads validated (${rejected.length} rejected); scorecard for ${result.period}.`);
  for (const r of rejected) io.out(`  rejected: ${r.key}${r.reportKey ? ` (report: ${r.reportKey} in the bucket)` : ''}`);
  if (result.emails.length === 0) {
    io.err('no email went out');
    return 1;
  }
  io.out(`Emails received by the SES stand-in:`);
  for (const e of result.emails) io.out(`  ${e.subject} → ${e.to.join(', ')}\n    ${e.eml}\n    ${e.html}`);
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  validate: validateCommand,
  kpis: kpisCommand,
  report: reportCommand,
  local: localCommand,
};

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await command(args, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingsError || e instanceof PeriodError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`smarketing ${name}: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
