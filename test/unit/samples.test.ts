import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  DATASETS,
  RANGE_END_DATE,
  SAMPLE_MONTHS,
  SAMPLES_DIR,
  generateSamples,
  sampleFileName,
  type Dataset,
} from '../../scripts/generate-samples.ts';

type Row = Record<string, string>;

const EXPECTED_MONTHS = [
  '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03',
  '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
];
const END = RANGE_END_DATE; // 2026-10-31

const files = generateSamples();

function content(dataset: Dataset, month: string): string {
  const c = files.get(sampleFileName(dataset, month));
  if (c === undefined) throw new Error(`missing ${dataset} ${month}`);
  return c;
}

function rowsOf(dataset: Dataset, month: string): Row[] {
  const text = content(dataset, month);
  switch (dataset) {
    case 'spend': {
      // Google Ads: report title and date-range lines, then the header; a `Total: Account` row at the end.
      const rows = parse(text, { columns: true, from_line: 3 }) as Row[];
      const last = rows.pop();
      expect(last?.Day).toBe('Total: Account');
      return rows;
    }
    case 'web_traffic': {
      // GA4: `#` comment block and a blank line before the header.
      const lines = text.split('\n');
      const header = lines.findIndex((l) => l.startsWith('Date,'));
      expect(lines.slice(0, header).every((l) => l === '' || l.startsWith('#'))).toBe(true);
      return parse(lines.slice(header).join('\n'), { columns: true }) as Row[];
    }
    default:
      return parse(text, { columns: true, bom: true }) as Row[];
  }
}

const cache = new Map<string, Row[]>();
function rows(dataset: Dataset, month: string): Row[] {
  const key = `${dataset}/${month}`;
  let r = cache.get(key);
  if (!r) {
    r = rowsOf(dataset, month);
    cache.set(key, r);
  }
  return r;
}

/** `M/D/YYYY` → `YYYY-MM-DD` */
function fromSlash(v: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (!m) throw new Error(`not a slash date: ${v}`);
  return `${m[3]}-${(m[1] as string).padStart(2, '0')}-${(m[2] as string).padStart(2, '0')}`;
}
/** `YYYYMMDD` → `YYYY-MM-DD` */
function fromCompact(v: string): string {
  expect(v).toMatch(/^\d{8}$/);
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
}
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (ts: string) => ts.slice(0, 10);
const monthOf = (isoDay: string) => isoDay.slice(0, 7);
const money = (v: string) => Number(v.replace(/[$,]/g, ''));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

const allLeads: Row[] = EXPECTED_MONTHS.flatMap((m) => rows('leads', m).map((r): Row => ({ ...r, fileMonth: m })));
const leadsById = new Map(allLeads.map((l) => [l['Record ID'] as string, l]));

describe('sample exports generator', () => {
  it('is deterministic', () => {
    const again = generateSamples();
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [k, v] of files) expect(again.get(k), k).toBe(v);
    expect(generateSamples(7).get(sampleFileName('leads', '2026-10'))).not.toBe(content('leads', '2026-10'));
  });

  it('matches the committed samples/ files byte for byte', () => {
    expect(existsSync(SAMPLES_DIR), 'run `npm run samples`').toBe(true);
    const onDisk = listFiles(SAMPLES_DIR).sort();
    expect(onDisk).toEqual([...files.keys()].sort());
    for (const [rel, text] of files) {
      const same = readFileSync(join(SAMPLES_DIR, rel)).equals(Buffer.from(text, 'utf8'));
      expect(same, `samples/${rel} differs from the generator: run \`npm run samples\``).toBe(true);
    }
  });

  it('has one file per month 2025-09..2026-10 for every dataset, name order = chronological', () => {
    expect(SAMPLE_MONTHS).toEqual(EXPECTED_MONTHS);
    for (const ds of DATASETS) {
      // The monthly files; the extra shapes (a partner team's Pipedrive deals, an events sheet) are in sub-folders.
      const names = [...files.keys()].filter((k) => k.startsWith(`${ds}/`) && !k.slice(ds.length + 1).includes('/'));
      const expected = EXPECTED_MONTHS.map((m) => sampleFileName(ds, m));
      expect(names.length).toBe(14);
      expect([...names].sort()).toEqual(expected);
      for (const name of names) expect(name).toMatch(/-\d{4}-\d{2}\.csv$/);
    }
    expect(files.has('README.md')).toBe(true);
  });

  it('keeps the samples small', () => {
    const bytes = [...files.values()].reduce((s, c) => s + Buffer.byteLength(c, 'utf8'), 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });

  it('writes each dataset in its tool dialect', () => {
    const leads = content('leads', '2026-10');
    expect(leads.startsWith('Record ID,')).toBe(true);
    // CRLF record ends (line breaks inside quoted fields are the cell's own)
    const unquoted = leads.replace(/"(?:[^"]|"")*"/g, '""');
    expect(unquoted.endsWith('\r\n')).toBe(true);
    expect(/[^\r]\n/.test(unquoted)).toBe(false);
    expect(content('customers', '2026-10').startsWith('\uFEFFCustomer ID,')).toBe(true);
    expect(content('opportunities', '2026-10').startsWith('"Opportunity ID","')).toBe(true);
    expect(content('spend', '2026-10').split('\n').slice(0, 3)).toEqual([
      'Campaign report',
      '"October 1, 2026 - October 31, 2026"',
      'Day,Campaign,Channel,Category,Cost,Currency code',
    ]);
    const web = content('web_traffic', '2026-10');
    expect(web).toContain('# Start date: 20261001\n');
    expect(web).toContain('# End date: 20261031\n');
    // realism: non-ASCII names and quoted fields with commas, doubled quotes and line breaks occur somewhere
    const allLeadText = EXPECTED_MONTHS.map((m) => content('leads', m)).join('');
    expect(allLeadText).toMatch(/[^\x00-\x7F]/);
    expect(allLeadText).toContain('"Q3 Launch, EMEA"');
    expect(allLeadText).toMatch(/"[^"\r\n]*\n/);
    expect(allLeadText).toContain('""');
  });

  it('leads: realistic volumes, ids unique across all files, stage dates in order', () => {
    const ids = allLeads.map((l) => l['Record ID']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of EXPECTED_MONTHS) {
      const n = rows('leads', m).length;
      expect(n).toBeGreaterThanOrEqual(300);
      expect(n).toBeLessThanOrEqual(600);
    }
    for (const l of allLeads) {
      const id = l['Record ID'] as string;
      expect(id).toMatch(/^\d+$/);
      const created = l['Create Date'] as string;
      const mql = l['Became a Marketing Qualified Lead Date'] as string;
      const sql = l['Became a Sales Qualified Lead Date'] as string;
      const status = l['SQL Status'] as string;
      const customer = l['Became a Customer Date'] as string;
      expect(created, id).toMatch(TIMESTAMP);
      expect(monthOf(created), id).toBe(l.fileMonth);
      expect(l['Original Source'], id).not.toBe('');
      for (const ts of [mql, sql, customer]) {
        if (ts === '') continue;
        expect(ts, id).toMatch(TIMESTAMP);
        expect(ts >= created, id).toBe(true);
        expect(day(ts) <= END, id).toBe(true);
      }
      if (sql !== '') {
        expect(mql, id).not.toBe('');
        expect(sql >= mql, id).toBe(true);
        expect(['Accepted', 'Rejected']).toContain(status);
      } else {
        expect(status, `${id}: sql_status without sql_at`).toBe('');
      }
      if (customer !== '') {
        expect(sql, id).not.toBe('');
        expect(customer >= sql, id).toBe(true);
        expect(status, id).toBe('Accepted');
      }
    }
  });

  it('leads: the funnel rates are in realistic ranges', () => {
    const count = (col: string) => allLeads.filter((l) => (l[col] ?? '') !== '').length;
    const leads = allLeads.length;
    const mqls = count('Became a Marketing Qualified Lead Date');
    const sqls = count('Became a Sales Qualified Lead Date');
    const accepted = allLeads.filter((l) => l['SQL Status'] === 'Accepted').length;
    const customers = count('Became a Customer Date');
    expect(mqls / leads).toBeGreaterThan(0.33);
    expect(mqls / leads).toBeLessThan(0.47);
    expect(sqls / mqls).toBeGreaterThan(0.22);
    expect(sqls / mqls).toBeLessThan(0.42);
    expect(accepted / sqls).toBeGreaterThan(0.7);
    expect(accepted / sqls).toBeLessThan(0.9);
    expect(customers / sqls).toBeGreaterThan(0.04);
    expect(customers / sqls).toBeLessThan(0.16);
  });

  it('opportunities: ids unique per file, dates in order, linked to accepted SQLs', () => {
    const minLeadId = Math.min(...allLeads.map((l) => Number(l['Record ID'])));
    const latest = new Map<string, Row>();
    for (const m of EXPECTED_MONTHS) {
      const rs = rows('opportunities', m);
      const ids = rs.map((r) => r['Opportunity ID']);
      expect(new Set(ids).size).toBe(ids.length);
      for (const o of rs) {
        const id = o['Opportunity ID'] as string;
        expect(id).toMatch(/^006[0-9A-Za-z]{15}$/);
        const stage = o.Stage as string;
        const created = fromSlash(o['Created Date'] as string);
        const close = fromSlash(o['Close Date'] as string);
        const closed = stage === 'Closed Won' || stage === 'Closed Lost';
        expect(o.Amount).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(money(o.Amount as string)).toBeGreaterThan(0);
        expect(created <= END, id).toBe(true);
        expect(close >= created, id).toBe(true);
        if (closed) {
          expect(close <= END, id).toBe(true);
          // a closed deal is in the file of its close month (it may also have been created then)
          expect(monthOf(close), id).toBe(m);
        } else {
          // open: in the file of its creation month, with an expected close date after that month
          expect(monthOf(created), id).toBe(m);
          expect(monthOf(close) > m, id).toBe(true);
        }
        const leadId = o['Lead ID'] as string;
        const lead = leadsById.get(leadId);
        if (lead) {
          expect(lead['SQL Status'], id).toBe('Accepted');
          expect(created >= day(lead['Became a Sales Qualified Lead Date'] as string), id).toBe(true);
          expect(o['Lead Source']).toBe(lead['Original Source']);
        } else {
          // a deal from a lead created before the sample range (only its closing is in range)
          expect(Number(leadId)).toBeLessThan(minLeadId);
        }
        const prev = latest.get(id);
        if (prev) {
          expect(prev.Stage).not.toMatch(/^Closed/);
          expect(closed).toBe(true);
        }
        latest.set(id, o);
      }
    }
    // won deals of leads in the files are exactly the leads that became customers, on the close day
    const won = [...latest.values()].filter((o) => o.Stage === 'Closed Won' && leadsById.has(o['Lead ID'] as string));
    for (const o of won) {
      const lead = leadsById.get(o['Lead ID'] as string) as Row;
      expect(day(lead['Became a Customer Date'] as string)).toBe(fromSlash(o['Close Date'] as string));
    }
    const customerLeads = allLeads.filter((l) => (l['Became a Customer Date'] ?? '') !== '');
    expect(won.length).toBe(customerLeads.length);
    const closedDeals = [...latest.values()].filter((o) => /^Closed/.test(o.Stage as string));
    const winRate = closedDeals.filter((o) => o.Stage === 'Closed Won').length / closedDeals.length;
    expect(winRate).toBeGreaterThan(0.18);
    expect(winRate).toBeLessThan(0.38);
  });

  it('customers: base in the first file, then new customers and churn updates per month', () => {
    const latest = new Map<string, Row>();
    expect(rows('customers', '2025-09').filter((c) => (c['Customer Since'] as string) < '2025-09-01').length).toBe(200);
    for (const m of EXPECTED_MONTHS) {
      const rs = rows('customers', m);
      const ids = rs.map((r) => r['Customer ID']);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of rs) {
        const id = c['Customer ID'] as string;
        const started = c['Customer Since'] as string;
        const churned = c['Churn Date'] as string;
        expect(started).toMatch(ISO_DATE);
        expect(started <= END).toBe(true);
        expect(money(c.MRR as string)).toBeGreaterThanOrEqual(200);
        expect(money(c.MRR as string)).toBeLessThanOrEqual(2000);
        expect(['yes', 'no']).toContain(c['Marketing Sourced']);
        if (churned !== '') {
          expect(churned).toMatch(ISO_DATE);
          expect(churned > started, id).toBe(true);
          expect(churned <= END).toBe(true);
        }
        const isNew = monthOf(started) === m || (m === '2025-09' && started < '2025-09-01');
        expect(isNew || monthOf(churned) === m, `${id} in ${m}`).toBe(true);
        const prev = latest.get(id);
        if (prev) {
          expect(prev['Customer Since']).toBe(started);
          expect(prev['Churn Date']).toBe('');
          expect(monthOf(churned)).toBe(m);
        }
        latest.set(id, c);
        if (id.startsWith('C-') && leadsById.has(id.slice(2))) {
          const lead = leadsById.get(id.slice(2)) as Row;
          expect(day(lead['Became a Customer Date'] as string)).toBe(started);
          expect(c['Marketing Sourced']).toBe(lead['Original Source'] === 'Outbound' ? 'no' : 'yes');
        }
      }
      // monthly churn of the customers active at the start of the month stays in a realistic band overall
    }
    const all = [...latest.values()];
    const churnedTotal = all.filter((c) => c['Churn Date'] !== '').length;
    expect(churnedTotal / 14 / 200).toBeGreaterThan(0.01);
    expect(churnedTotal / 14 / 200).toBeLessThan(0.04);
    // every lead that became a customer (in range) is a customer record started that day
    for (const l of allLeads.filter((x) => (x['Became a Customer Date'] ?? '') !== '')) {
      const c = latest.get(`C-${l['Record ID']}`);
      expect(c, l['Record ID']).toBeDefined();
      expect(c?.['Customer Since']).toBe(day(l['Became a Customer Date'] as string));
    }
  });

  it('spend: daily rows inside the month, unique keys, USD, a correct Total row', () => {
    for (const m of EXPECTED_MONTHS) {
      const rs = rows('spend', m);
      const keys = rs.map((r) => `${r.Day}|${r.Channel}|${r.Campaign}|${r.Category}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const r of rs) {
        expect(r.Day).toMatch(ISO_DATE);
        expect(monthOf(r.Day as string)).toBe(m);
        expect(r.Cost).toMatch(/^\d+\.\d{2}$/);
        expect(r['Currency code']).toBe('USD');
        expect(['marketing', 'sales']).toContain(r.Category);
      }
      expect(rs.filter((r) => r.Category === 'sales')).toHaveLength(1);
      const channels = new Set(rs.filter((r) => r.Category === 'marketing').map((r) => r.Channel));
      expect([...channels].sort()).toEqual(['Email Marketing', 'Events', 'Paid Search', 'Paid Social', 'Webinar']);
      const all = parse(content('spend', m), { columns: true, from_line: 3 }) as Row[];
      const total = all[all.length - 1] as Row;
      const sum = rs.reduce((s, r) => s + Math.round(money(r.Cost as string) * 100), 0) / 100;
      expect(money(total.Cost as string)).toBeCloseTo(sum, 2);
    }
  });

  it('web_traffic: one row per day per channel, engaged <= sessions, ~1-3% visitor-to-lead', () => {
    for (const m of EXPECTED_MONTHS) {
      const rs = rows('web_traffic', m);
      const keys = rs.map((r) => `${r.Date}|${r['Session primary channel group']}`);
      expect(new Set(keys).size).toBe(keys.length);
      const days = new Set(rs.map((r) => fromCompact(r.Date as string)));
      const [y, mo] = m.split('-').map(Number) as [number, number];
      expect(days.size).toBe(new Date(Date.UTC(y, mo, 0)).getUTCDate());
      expect(rs.length).toBe(days.size * 6);
      let sessions = 0;
      for (const r of rs) {
        expect(monthOf(fromCompact(r.Date as string))).toBe(m);
        const s = Number(r.Sessions);
        expect(Number.isInteger(s) && s >= 0).toBe(true);
        expect(Number(r['Engaged sessions'])).toBeLessThanOrEqual(s);
        expect(Number(r['Key events'])).toBeGreaterThanOrEqual(0);
        sessions += s;
      }
      const rate = rows('leads', m).length / sessions;
      expect(rate).toBeGreaterThan(0.01);
      expect(rate).toBeLessThan(0.03);
    }
  });

  it('has no date after 2026-10-31 except open opportunities’ expected close dates', () => {
    const after = (d: string) => d > END;
    for (const m of EXPECTED_MONTHS) {
      for (const l of rows('leads', m)) {
        for (const col of ['Create Date', 'Became a Marketing Qualified Lead Date', 'Became a Sales Qualified Lead Date', 'Became a Customer Date']) {
          expect(after(day(l[col] ?? ''))).toBe(false);
        }
      }
      for (const o of rows('opportunities', m)) {
        expect(after(fromSlash(o['Created Date'] as string))).toBe(false);
        if (/^Closed/.test(o.Stage as string)) expect(after(fromSlash(o['Close Date'] as string))).toBe(false);
      }
      for (const c of rows('customers', m)) {
        expect(after(c['Customer Since'] as string)).toBe(false);
        expect(after(c['Churn Date'] as string)).toBe(false);
      }
      for (const r of rows('spend', m)) expect(after(r.Day as string)).toBe(false);
      for (const r of rows('web_traffic', m)) expect(after(fromCompact(r.Date as string))).toBe(false);
    }
    // and there are open deals whose expected close date lies beyond the range
    const open = rows('opportunities', '2026-10').filter((o) => !/^Closed/.test(o.Stage as string));
    expect(open.some((o) => after(fromSlash(o['Close Date'] as string)))).toBe(true);
  });
});

describe('sample exports in other shapes', () => {
  const validateSample = async <N extends 'opportunities' | 'spend'>(dataset: N, path: string, mapping?: string) => {
    const { validate } = await import('../helpers/export-builders.ts');
    return validate<N>(dataset, files.get(path)!, { source: `incoming/${path}`, ...(mapping ? { mapping: { source: `incoming/${mapping}`, text: files.get(mapping)! } } : {}) });
  };

  it('the partner team\'s Pipedrive deals: read by the profile, status not stage, the deleted deal left out', async () => {
    const { report, records } = await validateSample('opportunities', 'opportunities/partners/pipedrive-deals-2026-10.csv');
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'pipedrive-deals' }, warningCounts: { 'row-skipped': 1 } });
    expect(records.length).toBeGreaterThan(25);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['won', 'lost', 'open']));
    // Data of its own: none of its ids is a Salesforce opportunity's.
    const salesforce = new Set(EXPECTED_MONTHS.flatMap((m) => rows('opportunities', m).map((r) => r['Opportunity ID'])));
    expect(records.some((r) => salesforce.has(r.opportunity_id))).toBe(false);
  });

  it('the events team\'s sheet: rejected without its mapping (whose draft comes close), accepted with it', async () => {
    const without = await validateSample('spend', 'spend/events/team-events-budget.csv');
    expect(without.report.errorCounts).toEqual({ 'missing-column': 2 });
    expect(without.report.mappingDraft).toMatchObject({ columns: { date: 'When', amount: 'Paid' }, dateOrder: 'DMY', decimalSeparator: ',' });
    const { report, records } = await validateSample('spend', 'spend/events/team-events-budget.csv', 'spend/events/mapping.json');
    expect(report).toMatchObject({ status: 'accepted', rows: 12, format: { mapping: 'incoming/spend/events/mapping.json' } });
    expect(new Set(records.map((r) => r.category))).toEqual(new Set(['marketing', 'sales']));
    expect(records.every((r) => r.date >= '2025-11-01' && r.date <= END && r.amount_minor > 0)).toBe(true);
  });
});
