/**
 * What every command shares: the `Io` it writes through, usage errors (exit 2), the common options and the
 * settings they make (a `--config` file read through the one settings schema, then the per-run flags).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DATASET_NAMES } from '../domain/layout.ts';
import { DEFAULT_SETTINGS, parseSettings, parseSettingsJson, type Settings } from '../domain/settings.ts';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
  readonly now: () => Date;
  readonly cwd: string;
  /** Files at least this large show a progress bar on a terminal (`isTTY`). @default 5 MB */
  readonly progressMinBytes?: number;
  /** Resolves when the user stops the command (Ctrl-C): how long `local` serves the page. @default never waits */
  readonly untilInterrupted?: () => Promise<void>;
}

/** A mistake in how the command was called: one line saying what to do, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage:
  smarketing validate <file> --dataset <name> [--mapping <mapping.json>] [--json]
  smarketing map <file> --dataset <name> [--mapping <mapping.json>]   (a draft mapping.json on stdout)
  smarketing kpis --data <dir> [--period <id>] [--json]
  smarketing report --data <dir> [--period <id>] --out <dir>
  smarketing local [--data <dir>] [--period <id>] [--out <dir>] [--serve | --no-serve] [--port <n>]

Common options: --config <file>  --timezone <IANA>  --currency <ISO>  --period-type month|quarter|week  --date-order MDY|DMY
Datasets: ${DATASET_NAMES.join(', ')}`;

export const COMMON = {
  config: { type: 'string' },
  timezone: { type: 'string' },
  currency: { type: 'string' },
  'period-type': { type: 'string' },
  'date-order': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The settings of a run: the `--config` file (checked by the settings schema), then the flags. */
export async function loadSettings(v: Record<string, unknown>, cwd: string): Promise<Settings> {
  let base = DEFAULT_SETTINGS;
  if (typeof v.config === 'string') {
    const path = resolve(cwd, v.config);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read the config file ${v.config}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`);
    }
    base = parseSettingsJson(text, v.config);
  }
  return parseSettings({
    ...(v.timezone ? { timezone: v.timezone } : {}),
    ...(v.currency ? { currency: v.currency } : {}),
    ...(v['period-type'] ? { periodType: v['period-type'] } : {}),
    ...(v['date-order'] ? { dateOrder: v['date-order'] } : {}),
  }, base);
}
