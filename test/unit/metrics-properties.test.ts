// Properties of the KPI computation over generated record sets (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CustomerRecord, LeadRecord, OpportunityRecord, SpendRecord, WebTrafficRecord,
} from '../../lambdas/domain/datasets/records.ts';
import { computeKpisForPeriods, computePeriodKpis, type PeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import type { RecordSets } from '../../lambdas/domain/metrics/measures.ts';
import { parsePeriodId, periodRange } from '../../lambdas/domain/periods/period.ts';
import { RecordMerger } from '../../lambdas/domain/records/merge.ts';
import { RecordTable } from '../../lambdas/domain/records/record-table.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { CATALOG, kpi, kpis, sets } from '../helpers/metric-builders.ts';

/** The type of the values an arbitrary generates. */
type Gen<A> = A extends fc.Arbitrary<infer T> ? T : never;

const DAY_MS = 86_400_000;
const BASE = Date.UTC(2026, 8, 1); // 1 September 2026
const isoDay = (offset: number): string => new Date(BASE + offset * DAY_MS).toISOString().slice(0, 10);
const dayIn = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const SOURCES = ['Webinar', 'Paid Search', 'organic', 'Outbound', ' webinar '] as const;

const leadArb = (span: number) =>
  fc.record({
    created: dayIn(0, span),
    source: fc.constantFrom(...SOURCES),
    mql: fc.option(dayIn(0, 20)),
    sql: fc.option(dayIn(0, 20)),
    status: fc.option(fc.constantFrom('accepted', 'rejected', 'pending') as fc.Arbitrary<'accepted' | 'rejected' | 'pending'>),
    customer: fc.option(dayIn(0, 40)),
    ms: fc.boolean(),
  });

function toLead(i: number, g: Gen<ReturnType<typeof leadArb>>, funnel: boolean, cap: number): LeadRecord {
  const at = (d: number) => isoDay(Math.min(cap, d));
  const r: LeadRecord = { lead_id: `L${i}`, created_at: isoDay(g.created), source: g.source, marketing_sourced: g.ms };
  const mql = g.mql !== null ? g.created + g.mql : undefined;
  if (mql !== undefined) r.mql_at = at(mql);
  // In a funnel an SQL has been an MQL; otherwise stages are independent.
  if (g.sql !== null && (!funnel || mql !== undefined)) {
    r.sql_at = at((mql ?? g.created) + g.sql);
    if (g.status) r.sql_status = g.status;
  }
  if (g.customer !== null && (!funnel || r.sql_at !== undefined)) r.customer_at = at(g.created + g.customer);
  return r;
}

const oppArb = fc.record({
  created: dayIn(0, 120),
  status: fc.constantFrom('open', 'won', 'lost') as fc.Arbitrary<'open' | 'won' | 'lost'>,
  close: dayIn(0, 60),
  amount: fc.integer({ min: 0, max: 10_000_000 }),
  ms: fc.boolean(),
  source: fc.option(fc.constantFrom(...SOURCES)),
});
const toOpp = (i: number, g: Gen<typeof oppArb>): OpportunityRecord => ({
  opportunity_id: `O${i}`, created_at: isoDay(g.created), status: g.status, amount_minor: g.amount, marketing_sourced: g.ms,
  ...(g.status !== 'open' ? { closed_at: isoDay(g.created + g.close) } : {}),
  ...(g.source !== null ? { source: g.source } : {}),
});

const trafficArb = fc.record({ day: dayIn(0, 120), sessions: fc.integer({ min: 0, max: 5000 }), bounce: fc.option(fc.integer({ min: 0, max: 100 })), channel: fc.constantFrom('Organic', 'Direct', 'Paid') });
const toTraffic = (g: Gen<typeof trafficArb>): WebTrafficRecord => ({
  date: isoDay(g.day), channel: g.channel, sessions: g.sessions, ...(g.bounce !== null ? { bounce_rate: g.bounce / 100 } : {}),
});

const customerArb = fc.record({ start: dayIn(-400, 120), churn: fc.option(dayIn(0, 300)), mrr: fc.option(fc.integer({ min: 0, max: 1_000_000 })) });
const toCustomer = (i: number, g: Gen<typeof customerArb>): CustomerRecord => ({
  customer_id: `C${i}`, started_at: isoDay(g.start),
  ...(g.churn !== null ? { churned_at: isoDay(g.start + g.churn) } : {}),
  ...(g.mrr !== null ? { mrr_minor: g.mrr } : {}),
});

const spendArb = fc.record({ day: dayIn(0, 120), amount: fc.integer({ min: 0, max: 5_000_000 }), channel: fc.constantFrom('Paid Search', 'Webinar', 'Display'), sales: fc.boolean() });
const toSpend = (g: Gen<typeof spendArb>): SpendRecord => ({
  date: isoDay(g.day), amount_minor: g.amount, channel: g.channel, campaign: '', category: g.sales ? 'sales' : 'marketing',
});

const recordSetsArb = fc.record({
  leads: fc.array(leadArb(120), { maxLength: 60 }),
  opportunities: fc.array(oppArb, { maxLength: 30 }),
  web_traffic: fc.array(trafficArb, { maxLength: 30 }),
  customers: fc.array(customerArb, { maxLength: 30 }),
  spend: fc.array(spendArb, { maxLength: 20 }),
}).map((g): RecordSets => ({
  leads: g.leads.map((l, i) => toLead(i, l, false, 400)),
  opportunities: g.opportunities.map((o, i) => toOpp(i, o)),
  web_traffic: g.web_traffic.map(toTraffic),
  customers: g.customers.map((c, i) => toCustomer(i, c)),
  spend: g.spend.map(toSpend),
}));

/** The KPIs without the breakdown labels (how each breakdown value was first written). */
const withoutLabels = (k: PeriodKpis): PeriodKpis =>
  ({ ...k, metrics: Object.fromEntries(Object.entries(k.metrics).map(([id, { breakdownLabels: _l, ...v }]) => [id, v])) });

const periodArb = fc.constantFrom('2026-09', '2026-10', '2026-11', '2026-Q4', '2026-W43', '2026-W40').map(parsePeriodId);

/** Shares of a whole: always between 0 and 1, whatever the records. */
const SHARE_RATES = ['sql_acceptance_rate', 'win_rate', 'marketing_sourced_pipeline_pct', 'marketing_sourced_revenue_pct', 'bounce_rate', 'customer_retention_rate'];

describe('properties', () => {
  it('every value is a finite number or null with a reason', () => {
    fc.assert(fc.property(recordSetsArb, periodArb, (records, period) => {
      const m = computePeriodKpis(records, period, settingsWith()).metrics;
      for (const [id] of CATALOG) {
        const v = kpi(m, id);
        if (v.value === null) expect(v.reason, id).toMatch(/\S/);
        else expect(Number.isFinite(v.value), id).toBe(true);
      }
    }));
  });

  it('shares stay in [0, 1] whatever the records', () => {
    fc.assert(fc.property(recordSetsArb, periodArb, (records, period) => {
      const m = computePeriodKpis(records, period, settingsWith()).metrics;
      for (const id of SHARE_RATES) {
        const v = kpi(m, id).value;
        if (v !== null) {
          expect(v, id).toBeGreaterThanOrEqual(0);
          expect(v, id).toBeLessThanOrEqual(1 + 1e-12);
        }
      }
    }));
  });

  it('funnel rates stay in [0, 1] for a cohort whose stages all fall in the period', () => {
    const cohort = fc.array(leadArb(0), { minLength: 1, maxLength: 80 }).map((ls) => ls.map((l, i) => toLead(i, { ...l, created: 30 }, true, 60)));
    fc.assert(fc.property(cohort, (leads) => {
      const m = kpis(sets({ leads }));
      for (const id of ['lead_to_mql_rate', 'mql_to_sql_rate', 'sql_acceptance_rate', 'lead_to_customer_rate']) {
        const v = kpi(m, id);
        if (v.value !== null) {
          expect(v.value, id).toBeGreaterThanOrEqual(0);
          expect(v.value, id).toBeLessThanOrEqual(1);
        }
        for (const [segment, s] of Object.entries(v.segments ?? {})) {
          if (s.value !== null) expect(s.value, `${id} ${segment}`).toBeLessThanOrEqual(1);
        }
      }
    }));
  });

  it('segment counts and sums add up to the total', () => {
    fc.assert(fc.property(recordSetsArb, periodArb, (records, period) => {
      const m = computePeriodKpis(records, period, settingsWith()).metrics;
      for (const id of ['leads', 'mqls', 'sqls']) {
        const v = kpi(m, id);
        if (v.value === null) continue;
        const sum = Object.values(v.segments ?? {}).reduce((a, s) => a + (s.value ?? 0), 0);
        expect(sum, id).toBe(v.value);
      }
      const rate = kpi(m, 'mql_to_sql_rate');
      if (rate.numerator !== undefined) {
        const segs = Object.values(rate.segments ?? {});
        expect(segs.reduce((a, s) => a + (s.numerator ?? 0), 0)).toBe(rate.numerator);
        expect(segs.reduce((a, s) => a + (s.denominator ?? 0), 0)).toBe(rate.denominator);
      }
      for (const id of ['revenue', 'pipeline_created']) {
        const v = kpi(m, id);
        if (v.value === null) continue;
        const cents = Object.values(v.segments ?? {}).reduce((a, s) => a + Math.round((s.value ?? 0) * 100), 0);
        expect(cents, id).toBe(Math.round(v.value * 100));
      }
    }));
  });

  const mergeAll = (uploads: readonly RecordSets[]): RecordSets => {
    const names = ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const;
    const out: Record<string, unknown[]> = {};
    for (const name of names) {
      const merger = new RecordMerger(name);
      uploads.forEach((u, i) => { for (const r of u[name]) merger.add(`upload-${i}`, r as never); });
      out[name] = merger.records();
    }
    return out as unknown as RecordSets;
  };

  it('merging the same upload twice gives the same KPIs', () => {
    fc.assert(fc.property(recordSetsArb, periodArb, (upload, period) => {
      const once = computePeriodKpis(mergeAll([upload]), period, settingsWith());
      const twice = computePeriodKpis(mergeAll([upload, upload]), period, settingsWith());
      expect(twice).toEqual(once);
    }));
  });

  it('uploads with distinct keys give the same KPIs in any order', () => {
    const uploadsArb = fc.tuple(recordSetsArb, recordSetsArb).map(([a, b]): [RecordSets, RecordSets] => {
      // Distinct keys: prefix the ids of the second upload, shift its spend and traffic to other channels.
      const second: RecordSets = {
        leads: b.leads.map((l) => ({ ...l, lead_id: `b-${l.lead_id}` })),
        opportunities: b.opportunities.map((o) => ({ ...o, opportunity_id: `b-${o.opportunity_id}` })),
        customers: b.customers.map((c) => ({ ...c, customer_id: `b-${c.customer_id}` })),
        spend: b.spend.map((s) => ({ ...s, campaign: 'second upload' })),
        web_traffic: b.web_traffic.map((w) => ({ ...w, channel: `${w.channel} (b)` })),
      };
      return [a, second];
    });
    fc.assert(fc.property(uploadsArb, periodArb, ([a, b], period) => {
      const ab = computePeriodKpis(mergeAll([a, b]), period, settingsWith());
      const ba = computePeriodKpis(mergeAll([b, a]), period, settingsWith());
      // Breakdown values are shown as first written, which the order of the uploads decides: the values do not.
      expect(withoutLabels(ba)).toEqual(withoutLabels(ab));
    }));
  });

  it('computing many periods in one pass gives what each period gives alone', () => {
    const periods = [
      ...periodRange(parsePeriodId('2026-08'), parsePeriodId('2026-12')),
      ...periodRange(parsePeriodId('2026-W35'), parsePeriodId('2026-W50')),
      parsePeriodId('2026-Q3'), parsePeriodId('2026-Q4'),
    ];
    fc.assert(fc.property(recordSetsArb, fc.constantFrom('UTC', 'Asia/Tokyo', 'America/Los_Angeles'), (records, timezone) => {
      const s = settingsWith({ timezone });
      const table = new RecordTable(timezone);
      for (const name of ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const) {
        for (const r of records[name]) table.append(name, '', r as never);
      }
      const together = computeKpisForPeriods(table, periods, s);
      periods.forEach((p, i) => expect(together[i]).toEqual(computePeriodKpis(records, p, s)));
    }), { numRuns: 40 });
  });

  it('merging uploads in the record table gives what merging record objects gives', () => {
    fc.assert(fc.property(fc.array(recordSetsArb, { minLength: 1, maxLength: 3 }), periodArb, (uploads, period) => {
      const table = new RecordTable('UTC');
      uploads.forEach((u, i) => {
        for (const name of ['leads', 'opportunities', 'spend', 'customers', 'web_traffic'] as const) {
          for (const r of u[name]) table.add(name, `upload-${i}`, r as never);
        }
      });
      const viaTable = computeKpisForPeriods(table, [period], settingsWith())[0]!;
      const viaObjects = computePeriodKpis(mergeAll(uploads), period, settingsWith());
      // Labels are the first written form the table saw, even in a record a later upload replaced.
      expect(withoutLabels(viaTable).metrics).toEqual(withoutLabels(viaObjects).metrics);
      expect(viaTable.coverage).toEqual(viaObjects.coverage);
    }));
  });

  it('CPL segments match spend channels to lead sources by name, and never sum past the total', () => {
    fc.assert(fc.property(recordSetsArb, periodArb, (records, period) => {
      const cpl = computePeriodKpis(records, period, settingsWith()).metrics.cost_per_lead!;
      if (cpl.value === null) return;
      const segs = Object.values(cpl.segments ?? {});
      const spent = segs.reduce((a, s) => a + Math.round((s.numerator ?? 0) * 100), 0);
      expect(spent).toBeLessThanOrEqual(Math.round(cpl.numerator! * 100));
      for (const sgm of segs) if (sgm.value === null) expect(sgm.denominator).toBe(0);
    }));
  });
});
