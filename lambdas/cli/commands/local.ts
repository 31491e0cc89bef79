/**
 * `smarketing local`: the whole pipeline on the embedded stand-ins (`npm run local`). On a terminal (or with
 * `--serve`) it then serves the drill-down page on loopback, where the email's links point, until Ctrl-C.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLocalPipeline } from '../../local/pipeline.ts';
import { COMMON, loadSettings, UsageError, type Io } from '../options.ts';

export async function run(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      ...COMMON, data: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' },
      serve: { type: 'boolean' }, 'no-serve': { type: 'boolean' }, port: { type: 'string' },
    },
  });
  const serve = !v['no-serve'] && (v.serve === true || io.isTTY) && io.untilInterrupted !== undefined;
  const port = typeof v.port === 'string' ? Number(v.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number, got ${String(v.port)}`);
  const settings = await loadSettings(v, io.cwd);
  const dataDir = resolve(io.cwd, typeof v.data === 'string' ? v.data : 'samples');
  const outDir = resolve(io.cwd, typeof v.out === 'string' ? v.out : 'out');
  const result = await runLocalPipeline({
    dataDir, outDir, settings, ...(typeof v.period === 'string' ? { period: v.period } : {}), pagePort: port, keepRunning: serve,
    log: (line) => io.out(line),
    // A live counter on a terminal; nothing per file otherwise (rejections are listed at the end).
    ...(io.isTTY ? { onUpload: (u: { done: number; total: number }) => io.err(`\r  validated ${u.done}/${u.total} uploads${u.done === u.total ? '\n' : ''}`) } : {}),
  });
  const rejected = result.uploads.filter((u) => u.outcome === 'rejected');
  // A file outside every dataset folder is not validated: ops are told where it should go.
  const misplaced = result.uploads.filter((u) => u.outcome === 'misplaced');
  // A mapping file is no export: its arrival validates again the uploads of its folder it may fix (emailed to ops).
  const mappings = result.uploads.filter((u) => u.outcome === 'mapping');
  const validated = result.uploads.length - misplaced.length - mappings.length;
  io.out(`\n${validated} uploads validated (${rejected.length} rejected)${mappings.length ? `, ${mappings.length} mapping file${mappings.length === 1 ? '' : 's'} applied` : ''}` +
    `${misplaced.length ? `, ${misplaced.length} in no dataset folder` : ''}; scorecard for ${result.period}.`);
  for (const r of rejected) io.out(`  rejected: ${r.key}${r.reportKey ? ` (report: ${r.reportKey} in the bucket)` : ''}`);
  for (const m of misplaced) io.out(`  not in a dataset folder (ops were told where it goes): ${m.key}`);
  for (const m of mappings) io.out(`  mapping file: ${m.key} (the uploads of its folder it fixes are validated again: see the ops email)`);
  if (result.emails.length === 0) {
    await result.stop?.();
    io.err('no email went out');
    return 1;
  }
  io.out(`Emails received by the SES stand-in:`);
  for (const e of result.emails) io.out(`  ${e.subject} → ${e.to.join(', ')}\n    ${e.eml}\n    ${e.html}${e.attachments.map((a) => `\n    ${a}`).join('')}`);
  if (serve && result.stop) {
    io.out(`\nThe drill-down page is served at ${result.pageUrl} for the email's links (open the .html above). Ctrl-C to stop.`);
    await io.untilInterrupted!();
    await result.stop();
  }
  return 0;
}

