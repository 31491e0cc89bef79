/** The `smarketing` command: see cli.md and `lambdas/cli/commands.ts`. */
import { runCli } from '../lambdas/cli/commands.ts';

const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\r') || s.startsWith('\r') ? s : s + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
  now: () => new Date(),
  cwd: process.cwd(),
  // `smarketing local` serves the drill-down page until Ctrl-C.
  untilInterrupted: () => new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  }),
});
process.exitCode = code;
