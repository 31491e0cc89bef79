/**
 * The `smarketing` command, run in-process on the shipped samples: validate, kpis, report, and local (the
 * whole pipeline on the stand-ins, as the README's first command runs it).
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { runCli } from '../../lambdas/cli/commands.ts';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = join(ROOT, 'samples');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (s) => { out += s + '\n'; }, err: (s) => { err += s + '\n'; },
    isTTY: false, now: () => new Date('2026-11-23T09:00:00Z'), cwd: ROOT,
  });
  return { code, out, err };
}

/** Leads, MQLs and SQLs of October 2026 counted straight from the sample CSVs, independently of the pipeline. */
async function octoberFunnelFromSamples(): Promise<{ leads: number; mqls: number; sqls: number }> {
  const dir = join(SAMPLES, 'leads');
  const counts = { leads: 0, mqls: 0, sqls: 0 };
  for (const f of await readdir(dir)) {
    const rows = parse(await readFile(join(dir, f)), { columns: true, bom: true }) as Record<string, string>[];
    for (const r of rows) {
      if (r['Create Date']?.startsWith('2026-10')) counts.leads++;
      if (r['Became a Marketing Qualified Lead Date']?.startsWith('2026-10')) counts.mqls++;
      if (r['Became a Sales Qualified Lead Date']?.startsWith('2026-10')) counts.sqls++;
    }
  }
  return counts;
}

describe('smarketing validate', () => {
  it('accepts a sample export and prints where each column came from', async () => {
    const r = await cli('validate', 'samples/leads/hubspot-contacts-2026-10.csv', '--dataset', 'leads');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ACCEPTED');
    expect(r.out).toContain('lead_id ← "Record ID"');
  });

  it('exits 1 with the report as JSON for a bad file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    await writeFile(join(dir, 'bad.csv'), 'Record ID,Create Date,Original Source\n1,2026-13-01,Webinar\n');
    const r = await cli('validate', join(dir, 'bad.csv'), '--dataset', 'leads', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.errors[0]).toMatchObject({ code: 'type-error', row: 2, line: 2, column: 'created_at', value: '2026-13-01' });
  });

  it('exits 2 on a usage error', async () => {
    expect((await cli('validate', 'x.csv', '--dataset', 'nope')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('exits 2 with one line that says what to do for a folder, a missing file, or a bad config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-config-'));
    const config = (name: string, text: string): string => { writeFileSync(join(dir, name), text); return join(dir, name); };
    const cases: [string[], RegExp][] = [
      [['validate', 'samples', '--dataset', 'leads'], /samples is a folder: validate takes one export file/],
      [['validate', 'nope.csv', '--dataset', 'leads'], /no such file: nope\.csv/],
      [['kpis', '--data', 'samples/leads/does-not-exist'], /is not a folder/],
      [['kpis', '--data', 'samples', '--config', config('null.json', 'null')], /the settings must be a JSON object, got null/],
      [['kpis', '--data', 'samples', '--config', config('bad.json', '{"timezone": "UTC",}')], /not valid JSON/],
      [['kpis', '--data', 'samples', '--config', config('typo.json', '{"recipents": ["a@b.co"]}')], /recipents: unknown setting; did you mean recipients\?/],
      [['kpis', '--data', 'samples', '--config', config('target.json', '{"targets": {"win_rate": "30%"}}')], /targets\.win_rate/],
      [['kpis', '--data', 'samples', '--config', join(dir, 'missing.json')], /cannot read the config file .*no such file/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(message);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});

describe('smarketing kpis', () => {
  it('prints every KPI of the catalog as JSON, matching the samples', async () => {
    const r = await cli('kpis', '--data', 'samples', '--period', '2026-10', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ period: '2026-10', timezone: 'UTC', currency: 'USD' });
    expect(Object.keys(json.metrics).sort()).toEqual(METRICS.map((m) => m.id).sort());
    const expected = await octoberFunnelFromSamples();
    expect(json.metrics.leads.value).toBe(expected.leads);
    expect(json.metrics.mqls.value).toBe(expected.mqls);
    expect(json.metrics.sqls.value).toBe(expected.sqls);
    expect(json.metrics.mql_to_sql_rate).toMatchObject({ numerator: expected.sqls, denominator: expected.mqls });
    // 70 monthly files, the partner team's Pipedrive deals and the events sheet (read with its mapping.json).
    expect(json.inputs).toHaveLength(72);
    expect(json.inputs.every((i: { status: string }) => i.status === 'accepted')).toBe(true);
  });
});

describe('smarketing kpis over a folder of its own (the pipeline\'s ingest and KPI step)', () => {
  const HEADER = 'Record ID,Create Date,Original Source';
  async function folder(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cli-data-'));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return dir;
  }
  const sourcesOf = (json: { metrics: { leads: { segments?: Record<string, { value: number }> } } }) =>
    Object.fromEntries(Object.entries(json.metrics.leads.segments ?? {}).map(([k, v]) => [k, v.value]));

  it('applies files in name order, whatever their modification times: the later name wins per record', async () => {
    // b.csv is written first (older), a.csv second: name order, not time, decides that b.csv's L1 counts.
    const dir = await folder({ 'leads/b.csv': `${HEADER}\nL1,2026-10-01,Direct\n` });
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(join(dir, 'leads', 'a.csv'), `${HEADER}\nL1,2026-10-01,Webinar\nL2,2026-10-02,Webinar\n`);
    const r = await cli('kpis', '--data', dir, '--period', '2026-10', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.metrics.leads.value).toBe(2);
    expect(sourcesOf(json)).toEqual({ direct: 1, webinar: 1 });
    expect(json.inputs).toEqual([
      { dataset: 'leads', file: 'leads/a.csv', status: 'accepted', rows: 2 },
      { dataset: 'leads', file: 'leads/b.csv', status: 'accepted', rows: 1 },
    ]);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(['leads', 'leads/a.csv', 'leads/b.csv']); // nothing written there
  });

  it('checks future dates against the run\'s now, lists the skipped file with the command to see why', async () => {
    // The run's now is 23 November 2026; the file was written later (today), and its lead is dated 1 December.
    const dir = await folder({
      'leads/ok.csv': `${HEADER}\nL1,2026-10-01,Webinar\n`,
      'leads/later/future.csv': `${HEADER}\nL2,2026-12-01,Webinar\n`,
    });
    const r = await cli('kpis', '--data', dir, '--period', '2026-10');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 files read, 1 skipped because they failed validation:');
    expect(r.out).toContain(`  - leads/later/future.csv (run: smarketing validate ${join(dir, 'leads/later/future.csv')} --dataset leads)`);
    const v = await cli('validate', join(dir, 'leads/later/future.csv'), '--dataset', 'leads', '--json');
    expect(JSON.parse(v.out).errors[0]).toMatchObject({ code: 'future-date' });
  });

  it('picks the latest closed period with leads when none is named (not the open one)', async () => {
    const dir = await folder({ 'leads/a.csv': `${HEADER}\nL1,2026-09-30,Webinar\nL2,2026-11-02,Direct\n` });
    const r = await cli('kpis', '--data', dir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ period: '2026-09', metrics: { leads: { value: 1 } } });
    // By weeks, 2 November's week (W45) has closed by 23 November.
    expect(JSON.parse((await cli('kpis', '--data', dir, '--period-type', 'week', '--json')).out).period).toBe('2026-W45');
  });

  it('exits 1 with each file\'s report when no file could be read', async () => {
    const dir = await folder({ 'leads/bad.csv': `${HEADER}\nL1,2026-13-01,Webinar\n` });
    const r = await cli('kpis', '--data', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`REJECTED  ${join(dir, 'leads/bad.csv')}  (leads)`);
    expect(r.err).toContain('no dataset could be read');
  });
});

describe('smarketing report', () => {
  it('writes the html, text and MIME scorecard', async () => {
    const out = await mkdtemp(join(tmpdir(), 'report-'));
    const r = await cli('report', '--data', 'samples', '--period', '2026-10', '--out', out);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['scorecard.csv', 'scorecard.eml', 'scorecard.html', 'scorecard.txt', 'web']);
    // The drill-down page the email links to, beside it, and its CSV.
    expect(await readdir(join(out, 'web'))).toEqual(['index.html']);
    const page = await readFile(join(out, 'web', 'index.html'), 'utf8');
    expect(page).toContain('id="kpi-win_rate"');
    expect(page).toContain('href="../scorecard.csv"');
    expect(await readFile(join(out, 'scorecard.html'), 'utf8')).toContain('href="web&#x2F;index.html#kpi-leads"');
    expect(await readFile(join(out, 'scorecard.csv'), 'utf8')).toMatch(/^\uFEFFperiod,kpi_id,/);
    const eml = await readFile(join(out, 'scorecard.eml'), 'utf8');
    // The subject says the period's news, not only its name.
    expect((await simpleParser(eml)).subject).toMatch(/^October 2026: \S.* (up|down) /);
    expect(eml).toContain('multipart/alternative');
  });
});

describe('smarketing report with recipient groups and hold', () => {
  it('previews each group\'s version and says when the scorecard would be held', async () => {
    const out = await mkdtemp(join(tmpdir(), 'report-groups-'));
    const config = join(out, 'settings.json');
    await writeFile(config, JSON.stringify({
      whenDataMissing: 'hold',
      recipientGroups: [
        { name: 'board', recipients: ['ceo@example.com'] },
        { name: 'marketing', recipients: ['cmo@example.com', 'ops@example.com'], sections: ['acquisition', 'web'] },
      ],
    }));
    // Only the leads exports: the other datasets are missing, so the scorecard carries a banner (and is held).
    const data = join(out, 'data');
    await mkdir(join(data, 'leads'), { recursive: true });
    for (const f of (await readdir(join(ROOT, 'samples', 'leads')))) {
      await writeFile(join(data, 'leads', f), await readFile(join(ROOT, 'samples', 'leads', f)));
    }
    const r = await cli('report', '--config', config, '--data', data, '--period', '2026-10', '--out', join(out, 'preview'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/would be held, not sent/);
    expect((await readdir(join(out, 'preview'))).sort()).toEqual([
      'scorecard.acquisition+web.eml', 'scorecard.acquisition+web.html', 'scorecard.acquisition+web.txt',
      'scorecard.csv', 'scorecard.eml', 'scorecard.html', 'scorecard.txt', 'web',
    ]);
    expect(r.out).toContain('sections acquisition, web (2 recipients)');
    const marketing = await readFile(join(out, 'preview', 'scorecard.acquisition+web.txt'), 'utf8');
    const full = await readFile(join(out, 'preview', 'scorecard.txt'), 'utf8');
    expect(full).toMatch(/^REVENUE$/m);
    expect(full).toMatch(/^ACQUISITION$/m);
    expect(marketing).toMatch(/^ACQUISITION$/m);
    expect(marketing).not.toMatch(/^REVENUE$/m);
    expect(await readFile(join(out, 'preview', 'scorecard.acquisition+web.eml'), 'utf8')).toMatch(/^To: cmo@example\.com, ops@example\.com/m);
  });
});

describe('smarketing local', () => {
  it('runs the whole pipeline on the samples and leaves the emailed scorecard in out/', async () => {
    const out = await mkdtemp(join(tmpdir(), 'local-'));
    const r = await cli('local', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('72 uploads validated (0 rejected), 1 mapping file applied; scorecard for 2026-10');
    const files = (await readdir(out)).sort();
    // The message as SES was given it, its HTML, and the HTML's images beside it; named by the subject (its news).
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^01-october-2026-.*\.eml$/);
    expect(files.slice(1)).toEqual([files[0]!.replace(/eml$/, 'files'), files[0]!.replace(/eml$/, 'html')]);
    const html = await readFile(join(out, files[2]!), 'utf8');
    const expected = await octoberFunnelFromSamples();
    expect(html).toContain(`${((expected.sqls / expected.mqls) * 100).toFixed(1)}%`);
    expect(html).toContain(String(expected.leads));
  });

  it('lists each rejected upload with where its report went in the bucket', async () => {
    const data = await mkdtemp(join(tmpdir(), 'local-data-'));
    await mkdir(join(data, 'leads', '2026'), { recursive: true });
    await writeFile(join(data, 'leads', 'hubspot-contacts-2026-10.csv'), await readFile(join(SAMPLES, 'leads', 'hubspot-contacts-2026-10.csv')));
    await writeFile(join(data, 'leads', '2026', 'bad export.csv'), 'Record ID,Create Date,Original Source\nL1,2026-13-01,Webinar\n');
    const out = await mkdtemp(join(tmpdir(), 'local-'));
    const r = await cli('local', '--data', data, '--period', '2026-10', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 uploads validated (1 rejected); scorecard for 2026-10');
    expect(r.out).toMatch(/^ {2}rejected: incoming\/leads\/2026\/bad export\.csv \(report: rejected\/leads\/2026\/[0-9a-f]{24}\/bad export\.csv\.report\.json in the bucket\)$/m);
  });
});

describe('the smarketing binary', () => {
  it('runs as a process: the exit code and output of a command, and one line for a usage error', () => {
    const bin = resolve('bin/smarketing.js');
    const ok = spawnSync(process.execPath, [bin, 'validate', 'samples/leads/hubspot-contacts-2025-09.csv', '--dataset', 'leads'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('ACCEPTED');
    const usage = spawnSync(process.execPath, [bin, 'validate', 'samples', '--dataset', 'leads'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });
});
