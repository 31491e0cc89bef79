/**
 * `smarketing validate` on a file, with a fake terminal: a progress bar on stderr for a large file on a
 * terminal, redrawn in place and cleared at the end; nothing when output is not a terminal or is JSON.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressBar, runCli, type Io } from '../../lambdas/cli/commands.ts';
import { gzip, lines } from '../helpers/export-builders.ts';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smarketing-cli-'));
  file = join(dir, 'leads.csv');
  const rows = Array.from({ length: 20_000 }, (_, i) => `L${i},2026-10-01,Organic Search`);
  await writeFile(file, lines(['Record ID,Create Date,Original Source', ...rows]));
  await writeFile(join(dir, 'leads.csv.gz'), gzip(lines(['Record ID,Create Date,Original Source', ...rows])));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], io: Partial<Io>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, now: () => new Date('2026-11-23T09:00:00Z'), cwd: dir, ...io,
  });
  return { code, out, err };
}

describe('smarketing validate progress', () => {
  it('draws a bar on a terminal for a large file, in place, ending at 100% and clearing its line', async () => {
    const { code, out, err } = await run(['validate', 'leads.csv', '--dataset', 'leads'], { isTTY: true, progressMinBytes: 1 });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('ACCEPTED');
    expect(err.length).toBeGreaterThan(1);
    expect(err.slice(0, -1).every((s) => s.startsWith('\r['))).toBe(true);
    expect(err.at(-2)).toContain('100%');
    expect(err.at(-1)).toBe('\r\x1b[K');
    const percents = err.slice(0, -1).map((s) => Number(/(\d+)%/.exec(s)![1]));
    expect([...percents].sort((a, b) => a - b)).toEqual(percents); // only forward, once per percent at most
    expect(new Set(percents).size).toBe(percents.length);
  });

  it('tracks the bytes of the file on disk for a gzip file', async () => {
    const { err } = await run(['validate', 'leads.csv.gz', '--dataset', 'leads'], { isTTY: true, progressMinBytes: 1 });
    expect(err.at(-2)).toContain('100%');
  });

  it('stays quiet when output is not a terminal, when the file is small, and with --json', async () => {
    expect((await run(['validate', 'leads.csv', '--dataset', 'leads'], { isTTY: false, progressMinBytes: 1 })).err).toEqual([]);
    expect((await run(['validate', 'leads.csv', '--dataset', 'leads'], { isTTY: true })).err).toEqual([]); // under 5 MB
    const json = await run(['validate', 'leads.csv', '--dataset', 'leads', '--json'], { isTTY: true, progressMinBytes: 1 });
    expect(json.err).toEqual([]);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ status: 'accepted', rows: 20_000 });
  });

  it('clears the bar when the file is rejected too', async () => {
    await writeFile(join(dir, 'bad.csv'), lines(['Record ID,Create Date,Original Source', ...Array.from({ length: 5000 }, (_, i) => `L${i % 10},2026-10-01,web`)]));
    const { code, err } = await run(['validate', 'bad.csv', '--dataset', 'leads'], { isTTY: true, progressMinBytes: 1 });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe('\r\x1b[K');
  });
});

describe('progressBar', () => {
  it('shows the share and the megabytes read, and never passes 100%', () => {
    const lines: string[] = [];
    const bar = progressBar(50 * 1_048_576, { err: (s) => lines.push(s) });
    bar(0);
    bar(1);
    bar(25 * 1_048_576);
    bar(60 * 1_048_576);
    expect(lines).toEqual([
      `\r[${'.'.repeat(30)}]   0%  0.0 / 50 MB`,
      `\r[${'#'.repeat(15)}${'.'.repeat(15)}]  50%  25 / 50 MB`,
      `\r[${'#'.repeat(30)}] 100%  50 / 50 MB`,
    ]);
  });
});
