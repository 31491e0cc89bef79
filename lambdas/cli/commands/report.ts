/** `smarketing report --data <dir> --out <dir>`: the scorecard the reporting Lambda would send, written to files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SECTIONS, type SectionId } from '../../domain/metrics/registry.ts';
import { composeMime } from '../../adapters/mime.ts';
import { loadStoredScorecard, renderScorecardFrom, resolveRecipients, sendOptionsFrom } from '../../use-cases/send-scorecard.ts';
import { computeFromFolder } from '../folder-kpis.ts';
import { COMMON, UsageError, type Io } from '../options.ts';

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

