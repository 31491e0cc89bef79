/** `smarketing kpis --data <dir>`: a period's KPIs from a folder of exports, as the pipeline would store them. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReportSummary } from '../../domain/validation/summary.ts';
import { METRICS } from '../../domain/metrics/registry.ts';
import { formatValue } from '../../domain/scorecard/format.ts';
import { computeFromFolder, storedMetrics } from '../folder-kpis.ts';
import { COMMON, type Io } from '../options.ts';

export async function run(args: string[], io: Io): Promise<number> {
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
