/**
 * The `smarketing` commands (docs/cli.md). Each command is a module of its own, imported when it runs, so a
 * `validate` does not load the KPI engine, the scorecard or the stand-ins. Each returns its exit code and writes
 * through the given streams, so the tests run them in-process.
 */
import { SettingsError } from '../domain/settings.ts';
import { PeriodError } from '../domain/periods/period.ts';
import { USAGE, UsageError, type Io } from './options.ts';

export { UsageError, type Io } from './options.ts';
export { progressBar } from './commands/validate.ts';

type Command = { run(args: string[], io: Io): Promise<number> };

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: () => import('./commands/validate.ts'),
  map: () => import('./commands/map.ts'),
  kpis: () => import('./commands/kpis.ts'),
  report: () => import('./commands/report.ts'),
  local: () => import('./commands/local.ts'),
};

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await (await load()).run(args, io);
  } catch (e) {
    // A mistake in the call or the config: one line that says what to do, never a stack trace.
    if (e instanceof UsageError || e instanceof SettingsError || e instanceof PeriodError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`smarketing ${name}: ${oneLine((e as Error).message)} (smarketing --help shows the usage)`);
      return 2;
    }
    // Anything else is a bug or the machine (disk full, a port taken): say so apart from a rejection (1).
    io.err(`smarketing ${name}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    if (process.env.SMARKETING_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return INTERNAL_ERROR;
  }
}

/** Exit code of an unexpected failure (0 ok, 1 rejected or nothing readable, 2 usage or config). */
export const INTERNAL_ERROR = 3;

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ');
