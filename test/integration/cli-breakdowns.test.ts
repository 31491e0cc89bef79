/**
 * `smarketing kpis --json` carries `breakdowns` as docs/cli.md says: per KPI, per dimension, per value (lower
 * case) `{ value, numerator?, denominator? }`. Exports written with the tools' own headers (Salesforce's Opportunity
 * Owner, Primary Campaign Source, Region, Product Name, Segment; HubSpot's Original Source Drill-Down 1; Google Ads'
 * Campaign) go through the pipeline's ingest; the values were worked out by hand. On the samples, the win rate per
 * rep is checked against counts taken straight from the CSVs.
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/commands.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function kpisJson(dir: string, period = '2026-10') {
  let out = '';
  const code = await runCli(['kpis', '--data', dir, '--period', period, '--json'], {
    out: (s) => { out += s + '\n'; }, err: () => undefined, isTTY: false, now: () => new Date('2026-11-23T09:00:00Z'), cwd: ROOT,
  });
  expect(code).toBe(0);
  return JSON.parse(out);
}

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-breakdowns-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const OPPORTUNITIES = [
  '"Opportunity ID","Opportunity Owner","Stage","Amount","Created Date","Close Date","Lead Source","Primary Campaign Source","Region","Product Name","Segment"',
  '"006A1","Zoë Schäfer","Closed Won","$12,000.00","10/1/2026","10/20/2026","Webinar","Webinar: Pipeline Math","EMEA","Scorecard Cloud","SMB"',
  '"006A2","zoë schäfer","Closed Lost","$3,000.00","10/2/2026","10/21/2026","Webinar","Webinar: Pipeline Math","EMEA","Scorecard Cloud","SMB"',
  '"006A3","Kwame Mensah","Closed Won","$30,000.00","9/2/2026","10/5/2026","Paid Search","Generic - Search","North America","Scorecard Enterprise","Enterprise"',
  '"006A4","Kwame Mensah","Closed Lost","$9,000.00","10/3/2026","10/25/2026","Paid Search","Generic - Search","","Scorecard Cloud","Mid-Market"',
  '"006A5","Kwame Mensah","Prospecting","$5,000.00","10/9/2026","12/1/2026","Paid Search","","North America","Scorecard Cloud","Mid-Market"',
].join('\n');

const LEADS = [
  'Record ID,Create Date,Original Source,Original Source Drill-Down 1',
  '1,2026-10-01 09:00,Webinar,Webinar: Pipeline Math',
  '2,2026-10-02 09:00,Webinar,Webinar: Pipeline Math',
  '3,2026-10-03 09:00,Paid Search,Generic - Search',
  '4,2026-10-04 09:00,Organic Search,google',
].join('\r\n');

const SPEND = [
  'Day,Campaign,Channel,Cost',
  '2026-10-01,Webinar: Pipeline Math,Webinar,400.00',
  '2026-10-01,Generic - Search,Paid Search,90.00',
  '2026-10-02,Generic - Search,Paid Search,60.00',
  '2026-10-02,Brand - Search,Paid Search,25.00',
].join('\n');

describe('smarketing kpis --json: breakdowns', () => {
  it('per KPI, dimension and lower-case value: the value with its numerator and denominator, worked out by hand', async () => {
    const json = await kpisJson(await folder({ 'opportunities/sf.csv': OPPORTUNITIES, 'leads/hubspot.csv': LEADS, 'spend/ads.csv': SPEND }));
    const { win_rate: win, revenue, avg_deal_size: size, cost_per_lead: cpl, leads } = json.metrics;
    // Closed in October: A1 won, A2 lost, A3 won, A4 lost → 2 of 4.
    expect(win).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
    expect(win.breakdowns).toEqual({
      source: { 'paid search': { value: 0.5, numerator: 1, denominator: 2 }, webinar: { value: 0.5, numerator: 1, denominator: 2 } },
      owner: { 'kwame mensah': { value: 0.5, numerator: 1, denominator: 2 }, 'zoë schäfer': { value: 0.5, numerator: 1, denominator: 2 } },
      region: {
        emea: { value: 0.5, numerator: 1, denominator: 2 }, 'north america': { value: 1, numerator: 1, denominator: 1 },
        unknown: { value: 0, numerator: 0, denominator: 1 },
      },
      product: {
        'scorecard cloud': { value: 1 / 3, numerator: 1, denominator: 3 }, 'scorecard enterprise': { value: 1, numerator: 1, denominator: 1 },
      },
      segment: {
        enterprise: { value: 1, numerator: 1, denominator: 1 }, 'mid-market': { value: 0, numerator: 0, denominator: 1 },
        smb: { value: 0.5, numerator: 1, denominator: 2 },
      },
    });
    expect(win.breakdownLabels.owner).toEqual({ 'kwame mensah': 'Kwame Mensah', 'zoë schäfer': 'Zoë Schäfer' });
    expect(revenue.breakdowns.campaign).toEqual({
      'generic - search': { value: 30_000 }, unknown: { value: 0 }, 'webinar: pipeline math': { value: 12_000 },
    });
    expect(size.breakdowns.product).toEqual({
      'scorecard cloud': { value: 12_000, numerator: 12_000, denominator: 1 },
      'scorecard enterprise': { value: 30_000, numerator: 30_000, denominator: 1 },
    });
    // $575 of marketing spend over 4 leads; per campaign, the campaign's spend over its leads.
    expect(cpl).toMatchObject({ value: 143.75, numerator: 575, denominator: 4 });
    expect(cpl.breakdowns.campaign).toEqual({
      'brand - search': { value: null, numerator: 25, denominator: 0 },
      'generic - search': { value: 150, numerator: 150, denominator: 1 },
      google: { value: null, numerator: 0, denominator: 1 }, // a lead's campaign no spend row has: not a free lead
      'webinar: pipeline math': { value: 200, numerator: 400, denominator: 2 },
    });
    expect(leads.breakdowns).toEqual({ campaign: { 'generic - search': { value: 1 }, google: { value: 1 }, 'webinar: pipeline math': { value: 2 } } });
    // Every value has exactly the fields cli.md names.
    for (const m of Object.values(json.metrics) as { breakdowns?: Record<string, Record<string, object>> }[]) {
      for (const values of Object.values(m.breakdowns ?? {})) {
        for (const v of Object.values(values)) for (const k of Object.keys(v)) expect(['value', 'numerator', 'denominator']).toContain(k);
      }
    }
  });

  it('on the samples\' Salesforce reports, the win rate per rep is the count of won and lost deals in the CSVs', async () => {
    // The Salesforce opportunity reports of the samples (their own folder: other sample exports stay out of the count).
    const dir = join(ROOT, 'samples', 'opportunities');
    const files = (await readdir(dir)).filter((f) => f.startsWith('salesforce-opportunities-')).sort();
    const copy = await folder(Object.fromEntries(await Promise.all(files.map(async (f) => [`opportunities/${f}`, await readFile(join(dir, f), 'utf8')]))));
    const json = await kpisJson(copy);
    // The latest row of each deal (files apply in name order), closed in October.
    const deals = new Map<string, Record<string, string>>();
    for (const f of files) {
      for (const r of parse(await readFile(join(dir, f)), { columns: true }) as Record<string, string>[]) deals.set(r['Opportunity ID']!, r);
    }
    const expected: Record<string, { won: number; closed: number }> = {};
    for (const r of deals.values()) {
      if (!/^10\/\d+\/2026$/.test(r['Close Date']!) || !r.Stage!.startsWith('Closed')) continue;
      const e = (expected[r['Opportunity Owner']!.toLowerCase()] ??= { won: 0, closed: 0 });
      e.closed++;
      if (r.Stage === 'Closed Won') e.won++;
    }
    const owners = json.metrics.win_rate.breakdowns.owner as Record<string, { numerator: number; denominator: number }>;
    const closedByOwner = Object.fromEntries(Object.entries(owners).filter(([, v]) => v.denominator > 0).map(([k, v]) => [k, { won: v.numerator, closed: v.denominator }]));
    expect(closedByOwner).toEqual(expected);
    expect(Object.keys(json.metrics.win_rate.breakdowns).sort()).toEqual(['owner', 'product', 'region', 'segment', 'source']);
  });
});
