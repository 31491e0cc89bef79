/**
 * The command line and mapping files: `validate --mapping`, the nearest mapping.json up to the dataset folder,
 * `map` printing a draft that validates the file once saved, and `kpis --data` reading a folder with mapping files.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Io } from '../../lambdas/cli/commands.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/exports/', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smarketing-map-'));
  await mkdir(join(dir, 'data', 'opportunities', 'team', 'eu'), { recursive: true });
  await copyFile(join(FIXTURES, 'team-deals.csv'), join(dir, 'data', 'opportunities', 'team', 'eu', 'deals.csv'));
  await mkdir(join(dir, 'data', 'leads'), { recursive: true });
  await copyFile(join(FIXTURES, 'hubspot-contacts.csv'), join(dir, 'data', 'leads', 'contacts.csv'));
  await copyFile(join(FIXTURES, 'team-deals.csv'), join(dir, 'loose-deals.csv'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, now: () => new Date('2026-11-02T09:00:00Z'), cwd: dir };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('smarketing and mapping files', () => {
  it('validate: rejected with the closest headers; map prints a draft; saved above the file, it applies', async () => {
    const file = 'data/opportunities/team/eu/deals.csv';
    const rejected = await run('validate', file, '--dataset', 'opportunities');
    expect(rejected.code).toBe(1);
    expect(rejected.out).toContain('closest headers for the missing columns');
    expect(rejected.out).toContain('opportunity_id: "Ref"');

    const drafted = await run('map', file, '--dataset', 'opportunities');
    expect(drafted.code).toBe(0);
    const draft = JSON.parse(drafted.out) as { columns: Record<string, string>; dateOrder: string };
    expect(draft).toMatchObject({ columns: { opportunity_id: 'Ref', amount: 'Value', status: 'Outcome' }, dateOrder: 'DMY' });
    expect(drafted.err).toContain('"Ref" (a guess: check it)');

    // Saved in the dataset folder (two folders up), it applies to the file below it.
    await writeFile(join(dir, 'data', 'opportunities', 'mapping.json'), drafted.out);
    const accepted = await run('validate', file, '--dataset', 'opportunities', '--json');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.out)).toMatchObject({ status: 'accepted', rows: 5, format: { mapping: join(dir, 'data', 'opportunities', 'mapping.json') } });
  });

  it('validate --mapping: that file; a missing one is a usage error, a bad one a mapping-error', async () => {
    const ok = await run('validate', 'loose-deals.csv', '--dataset', 'opportunities', '--mapping', join(FIXTURES, 'team-deals.mapping.json'));
    expect(ok.code).toBe(0);
    expect((await run('validate', 'loose-deals.csv', '--dataset', 'opportunities', '--mapping', 'nope.json')).code).toBe(2);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ columns: { amount: 'Price' } }));
    const bad = await run('validate', 'loose-deals.csv', '--dataset', 'opportunities', '--mapping', 'bad.json', '--json');
    expect(bad.code).toBe(1);
    // The mapping's mistake first, then what it leaves missing (each with its closest headers).
    expect(JSON.parse(bad.out).errors[0]).toMatchObject({ code: 'mapping-error', column: 'amount', value: 'Price' });
    expect(JSON.parse(bad.out).errorCounts).toEqual({ 'mapping-error': 1, 'missing-column': 4 });
    expect(JSON.parse(bad.out).errors[0].message).toContain('maps amount to the header "Price", which the file does not have');
  });

  it('a file outside any dataset folder only takes a mapping.json of its own folder', async () => {
    await writeFile(join(dir, 'mapping.json'), JSON.stringify({ columns: { opportunity_id: 'Ref' } }));
    const r = await run('validate', 'loose-deals.csv', '--dataset', 'opportunities', '--json');
    expect(JSON.parse(r.out).format.mapping).toBe(join(dir, 'mapping.json'));
  });

  it('kpis --data reads the mapping files beside the exports, and does not read them as exports', async () => {
    const r = await run('kpis', '--data', 'data', '--period', '2026-10', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { metrics: Record<string, { value: number | null }>; inputs: { file: string; status: string }[] };
    expect(json.inputs.map((i) => [i.file, i.status])).toEqual([['leads/contacts.csv', 'accepted'], ['opportunities/team/eu/deals.csv', 'accepted']]);
    expect(json.metrics.revenue!.value).toBe(16_700);
  });
});
