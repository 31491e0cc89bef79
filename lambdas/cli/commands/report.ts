/**
 * `smarketing report --data <dir> --out <dir>`: the scorecard the reporting Lambda would send, written to files: the
 * email (HTML, text, MIME), its CSV of every value, and the drill-down page it links to (`web/index.html`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SECTIONS, type SectionId } from '../../domain/metrics/registry.ts';
import { composeMime } from '../../adapters/mime.ts';
import { CSV_FILE, loadStoredScorecard, renderScorecardFrom, resolveRecipients, sendOptionsFrom } from '../../use-cases/send-scorecard.ts';
import { loadHistory, renderPageFiles } from '../../use-cases/scorecard-page.ts';
import { fileLinks } from '../../domain/links.ts';
import { computeFromFolder } from '../folder-kpis.ts';
import { COMMON, UsageError, type Io } from '../options.ts';

/** The drill-down page's folder in the output, as on the bucket's `web/<period>/`. */
const PAGE_DIR = 'web';

export async function run(args: string[], io: Io): Promise<number> {
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
  // The email's links point at the page written beside it (relative, unsigned: these are local files).
  const links = fileLinks(`${PAGE_DIR}/index.html`, CSV_FILE);
  const required = { ...(options.requiredDatasets ? { requiredDatasets: options.requiredDatasets } : {}), links };
  const scorecard = renderScorecardFrom(period, data, deps, required);
  const outDir = resolve(io.cwd, v.out);
  await mkdir(join(outDir, PAGE_DIR), { recursive: true });
  await writeFile(join(outDir, 'scorecard.html'), scorecard.html);
  await writeFile(join(outDir, 'scorecard.txt'), scorecard.text);
  await writeFile(join(outDir, 'scorecard.eml'), await composeMime(scorecard.emailTo(settings.recipients.join(', '))));
  await writeFile(join(outDir, CSV_FILE), scorecard.csv);
  const page = renderPageFiles(period, scorecard.view, data, await loadHistory(period, kpis), settings, `../${CSV_FILE}`);
  await writeFile(join(outDir, PAGE_DIR, 'index.html'), page.html);
  io.out(`Scorecard for ${period.id} written to ${outDir}: scorecard.html, scorecard.txt, scorecard.eml, ${CSV_FILE}, ${PAGE_DIR}/index.html`);
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
    const version = renderScorecardFrom(period, data, deps, { ...required, sections, recipients: addresses });
    const base = `scorecard.${key}`;
    await writeFile(join(outDir, `${base}.html`), version.html);
    await writeFile(join(outDir, `${base}.txt`), version.text);
    await writeFile(join(outDir, `${base}.eml`), await composeMime(version.emailTo(addresses.join(', '))));
    io.out(`  sections ${key.replaceAll('+', ', ')} (${addresses.length} recipient${addresses.length === 1 ? '' : 's'}): ${base}.html, ${base}.txt, ${base}.eml`);
  }
  return 0;
}

