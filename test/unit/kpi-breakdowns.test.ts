/**
 * Breakdowns (metrics.md, "Breakdowns"): each KPI per value of its dimensions, by its own formula, with numerator
 * and denominator. A small October fixture worked out by hand, then properties over generated records: the values
 * of a dimension add up to the KPI (sums to the total; ratios' numerators and denominators to the KPI's).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadRecord, OpportunityRecord, SpendRecord } from '../../lambdas/domain/datasets/records.ts';
import { breakdownsOf } from '../../lambdas/domain/metrics/breakdowns.ts';
import { computeKpisForPeriods, computePeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import { DIMENSION_IDS } from '../../lambdas/domain/metrics/dimensions.ts';
import { measurePeriods, tableOf } from '../../lambdas/domain/metrics/measures.ts';
import { METRICS, METRIC_BY_ID } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId, periodRange } from '../../lambdas/domain/periods/period.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { OCTOBER, kpi, kpis, sets } from '../helpers/metric-builders.ts';

const opp = (id: string, created: string, status: OpportunityRecord['status'], closed: string | undefined, amount: number, more: Partial<OpportunityRecord>): OpportunityRecord => ({
  opportunity_id: id, created_at: created, status, ...(closed ? { closed_at: closed } : {}), amount_minor: amount * 100, marketing_sourced: true, ...more,
});
const OPPS: OpportunityRecord[] = [
  opp('O1', '2026-10-02', 'won', '2026-10-20', 10_000, { source: 'Webinar', campaign: 'Spring Webinar', owner: 'Ana Ruiz', region: 'EMEA', product: 'Pro', segment: 'SMB' }),
  opp('O2', '2026-09-10', 'won', '2026-10-05', 30_000, { campaign: 'Brand', owner: 'ana ruiz', region: 'emea', product: 'Enterprise', segment: 'Enterprise' }),
  opp('O3', '2026-10-03', 'lost', '2026-10-25', 5_000, { source: 'Paid Search', campaign: 'Brand', owner: 'Bo Chen', region: 'NA', product: 'Pro', segment: 'SMB' }),
  opp('O4', '2026-10-10', 'open', undefined, 8_000, { source: 'Paid Search', owner: 'Bo Chen', region: 'NA', product: 'Pro' }),
  opp('O5', '2026-10-11', 'lost', '2026-10-28', 2_000, { source: 'Webinar', campaign: 'Spring Webinar', owner: 'Bo Chen', product: 'Pro', segment: 'SMB' }),
  opp('O6', '2026-08-01', 'lost', '2026-09-15', 4_000, { owner: 'Cy Dee', region: 'APAC' }), // nothing in October
];
const lead = (id: string, created: string, source: string, campaign?: string, more: Partial<LeadRecord> = {}): LeadRecord => ({
  lead_id: id, created_at: created, source, ...(campaign ? { campaign } : {}), marketing_sourced: true, ...more,
});
const LEADS: LeadRecord[] = [
  lead('L1', '2026-10-01', 'Webinar', 'Spring Webinar', { mql_at: '2026-10-02', sql_at: '2026-10-05' }),
  lead('L2', '2026-10-02', 'Webinar', 'spring webinar'),
  lead('L3', '2026-10-03', 'Paid Search', 'Brand', { mql_at: '2026-10-04' }),
  lead('L4', '2026-10-04', 'Organic Search'),
  lead('L5', '2026-09-20', 'Paid Search', 'Brand'),
];
const spend = (date: string, channel: string, campaign: string, amount: number, category: SpendRecord['category'] = 'marketing'): SpendRecord =>
  ({ date, amount_minor: amount * 100, channel, campaign, category });
const SPEND: SpendRecord[] = [
  spend('2026-10-01', 'Webinar', 'Spring Webinar', 300),
  spend('2026-10-02', 'Paid Search', 'Brand', 150),
  spend('2026-10-03', 'Paid Social', 'Retargeting', 50),
  spend('2026-10-01', 'Outbound', 'SDR team', 1_000, 'sales'), // sales spend: not in cost per lead
];
const m = kpis(sets({ opportunities: OPPS, leads: LEADS, spend: SPEND }));

describe('breakdowns of a small October, worked out by hand', () => {
  it('win rate by rep, region, product, segment and source: won of closed, a deal only created in October listed at 0 of 0', () => {
    const w = kpi(m, 'win_rate');
    expect(w).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 }); // O1, O2 won; O3, O5 lost
    expect(w.breakdowns).toEqual({
      owner: { 'ana ruiz': { value: 1, numerator: 2, denominator: 2 }, 'bo chen': { value: 0, numerator: 0, denominator: 2 } },
      region: {
        emea: { value: 1, numerator: 2, denominator: 2 }, na: { value: 0, numerator: 0, denominator: 1 }, unknown: { value: 0, numerator: 0, denominator: 1 },
      },
      product: { enterprise: { value: 1, numerator: 1, denominator: 1 }, pro: { value: 1 / 3, numerator: 1, denominator: 3 } },
      segment: {
        enterprise: { value: 1, numerator: 1, denominator: 1 }, smb: { value: 1 / 3, numerator: 1, denominator: 3 },
        unknown: { value: null, numerator: 0, denominator: 0 }, // O4, open, created in October
      },
      source: {
        'paid search': { value: 0, numerator: 0, denominator: 1 }, unknown: { value: 1, numerator: 1, denominator: 1 },
        webinar: { value: 0.5, numerator: 1, denominator: 2 },
      },
    });
    // Values as first written: "Ana Ruiz" before "ana ruiz", "EMEA" before "emea".
    expect(w.breakdownLabels?.owner).toEqual({ 'ana ruiz': 'Ana Ruiz', 'bo chen': 'Bo Chen' });
    expect(w.breakdownLabels?.region).toEqual({ emea: 'EMEA', na: 'NA' });
  });

  it('revenue, deal size and pipeline by rep and campaign', () => {
    expect(kpi(m, 'revenue')).toMatchObject({ value: 40_000 });
    expect(kpi(m, 'revenue').breakdowns?.owner).toEqual({ 'ana ruiz': { value: 40_000 }, 'bo chen': { value: 0 } });
    expect(kpi(m, 'revenue').breakdowns?.campaign).toEqual({ brand: { value: 30_000 }, 'spring webinar': { value: 10_000 }, unknown: { value: 0 } });
    expect(kpi(m, 'avg_deal_size').breakdowns?.product).toEqual({
      enterprise: { value: 30_000, numerator: 30_000, denominator: 1 }, pro: { value: 10_000, numerator: 10_000, denominator: 1 },
    });
    expect(kpi(m, 'avg_deal_size').breakdowns?.owner?.['bo chen']).toEqual({ value: null, numerator: 0, denominator: 0 });
    // Created in October: O1 10,000, O3 5,000, O4 8,000, O5 2,000; O2 (created in September) won in October.
    expect(kpi(m, 'pipeline_created')).toMatchObject({ value: 25_000 });
    expect(kpi(m, 'pipeline_created').breakdowns?.campaign).toEqual({ brand: { value: 5_000 }, 'spring webinar': { value: 12_000 }, unknown: { value: 8_000 } });
    expect(kpi(m, 'pipeline_created').breakdowns?.owner).toEqual({ 'ana ruiz': { value: 10_000 }, 'bo chen': { value: 15_000 } });
    expect(Object.keys(kpi(m, 'avg_deal_size').breakdowns ?? {})).toEqual(['owner', 'region', 'product', 'segment']);
  });

  it('leads and cost per lead by campaign and source: marketing spend of the value over its leads', () => {
    expect(kpi(m, 'leads').breakdowns).toEqual({
      campaign: { brand: { value: 1 }, 'spring webinar': { value: 2 }, unknown: { value: 1 } },
    });
    const cpl = kpi(m, 'cost_per_lead');
    expect(cpl).toMatchObject({ value: 125, numerator: 500, denominator: 4 });
    expect(cpl.breakdowns?.campaign).toEqual({
      brand: { value: 150, numerator: 150, denominator: 1 },
      retargeting: { value: null, numerator: 50, denominator: 0 }, // spent, no lead
      'spring webinar': { value: 150, numerator: 300, denominator: 2 },
      // L4: no campaign, and no spend without a campaign either: a lead no spend row speaks for costs nothing
      // only as far as anyone knows, so it has no value (its numerator and denominator still add up).
      unknown: { value: null, numerator: 0, denominator: 1 },
    });
    expect(cpl.breakdowns?.source).toEqual({
      'organic search': { value: null, numerator: 0, denominator: 1 }, // no spend channel of that name
      'paid search': { value: 150, numerator: 150, denominator: 1 },
      'paid social': { value: null, numerator: 50, denominator: 0 },
      webinar: { value: 150, numerator: 300, denominator: 2 },
    });
    expect(kpi(m, 'mql_to_sql_rate').breakdowns?.source).toEqual({
      'organic search': { value: null, numerator: 0, denominator: 0 },
      'paid search': { value: 0, numerator: 0, denominator: 1 },
      webinar: { value: 1, numerator: 1, denominator: 1 },
    });
  });

  it('a dimension the records do not carry has no breakdown; a KPI with no value has none', () => {
    const noDims = kpis(sets({ opportunities: OPPS.map(({ region: _r, product: _p, segment: _s, campaign: _c, ...o }) => o) }));
    expect(Object.keys(kpi(noDims, 'win_rate').breakdowns ?? {})).toEqual(['source', 'owner']);
    const none = kpis(sets({ leads: LEADS }));
    expect(kpi(none, 'win_rate').breakdowns).toBeUndefined(); // no opportunities export
    expect(kpi(none, 'sessions').breakdowns).toBeUndefined(); // not broken down
  });

  it('without breakdowns the KPIs are the same and carry none', () => {
    const table = tableOf(sets({ opportunities: OPPS, leads: LEADS, spend: SPEND }), 'UTC');
    const [plain] = computeKpisForPeriods(table, [OCTOBER], settingsWith(), { breakdowns: false });
    for (const def of METRICS) {
      const { breakdowns: _b, breakdownLabels: _l, ...value } = kpi(m, def.id);
      expect(plain!.metrics[def.id], def.id).toEqual(value);
    }
  });

  it('a KPI declared as broken down by a dimension its formula cannot be split by fails loudly', () => {
    const table = tableOf(sets({ opportunities: OPPS, leads: LEADS, spend: SPEND }), 'UTC');
    const [data] = measurePeriods(table, [OCTOBER]);
    const acceptance = { ...METRIC_BY_ID.get('sql_acceptance_rate')!, breakdownBy: ['source' as const] };
    const total = acceptance.compute(data!.measures, { settings: settingsWith() });
    expect(() => breakdownsOf(acceptance, total, data!.measures, { settings: settingsWith() })).toThrow(/not kept per source/);
  });
});

// ---- properties ----

const DAY_MS = 86_400_000;
const day = (offset: number): string => new Date(Date.UTC(2026, 8, 1) + offset * DAY_MS).toISOString().slice(0, 10);
const pick = <T>(xs: readonly T[]) => fc.option(fc.constantFrom(...xs), { nil: undefined });
const NAMES = ['Ana', 'ana ', 'Bo', 'EMEA', 'Brand', 'brand', '  '];
const oppArb = fc.record({
  created: fc.integer({ min: 0, max: 90 }), close: fc.integer({ min: 0, max: 40 }), status: fc.constantFrom('open', 'won', 'lost') as fc.Arbitrary<'open' | 'won' | 'lost'>,
  amount: fc.integer({ min: 0, max: 5_000_000 }), source: pick(NAMES), campaign: pick(NAMES), owner: pick(NAMES), region: pick(NAMES),
  product: pick(NAMES), segment: pick(NAMES),
});
const leadArb = fc.record({ created: fc.integer({ min: 0, max: 90 }), mql: fc.option(fc.integer({ min: 0, max: 20 })), source: fc.constantFrom(...NAMES.slice(0, 6)), campaign: pick(NAMES) });
const spendArb = fc.record({ day: fc.integer({ min: 0, max: 90 }), amount: fc.integer({ min: 0, max: 1_000_000 }), channel: fc.constantFrom(...NAMES), campaign: fc.constantFrom(...NAMES, '') });
const recordsArb = fc.record({ opps: fc.array(oppArb, { maxLength: 40 }), leads: fc.array(leadArb, { maxLength: 40 }), spend: fc.array(spendArb, { maxLength: 15 }) }).map((g) => sets({
  opportunities: g.opps.map((o, i) => ({
    opportunity_id: `O${i}`, created_at: day(o.created), status: o.status, amount_minor: o.amount, marketing_sourced: false,
    ...(o.status !== 'open' ? { closed_at: day(o.created + o.close) } : {}),
    ...Object.fromEntries((['source', 'campaign', 'owner', 'region', 'product', 'segment'] as const).filter((k) => o[k] !== undefined).map((k) => [k, o[k]])),
  })),
  leads: g.leads.map((l, i) => ({
    lead_id: `L${i}`, created_at: day(l.created), source: l.source, marketing_sourced: true,
    ...(l.mql !== null ? { mql_at: day(l.created + l.mql), sql_at: day(l.created + l.mql + 1) } : {}), ...(l.campaign !== undefined ? { campaign: l.campaign } : {}),
  })),
  spend: g.spend.map((s) => ({ date: day(s.day), amount_minor: s.amount, channel: s.channel, campaign: s.campaign, category: 'marketing' as const })),
}));
const periodArb = fc.constantFrom('2026-10', '2026-11', '2026-Q4', '2026-W43').map(parsePeriodId);

describe('properties', () => {
  it('the values of a dimension add up: sums to the total, ratios\' numerators and denominators to the KPI\'s', () => {
    fc.assert(fc.property(recordsArb, periodArb, (records, period) => {
      const metrics = computePeriodKpis(records, period, settingsWith()).metrics;
      for (const def of METRICS.filter((d) => d.breakdownBy)) {
        const total = metrics[def.id]!;
        for (const [dim, values] of Object.entries(total.breakdowns ?? {})) {
          expect(def.breakdownBy, def.id).toContain(dim);
          const all = Object.values(values);
          const sum = (f: (v: (typeof all)[number]) => number | undefined) => all.reduce((s, v) => s + (f(v) ?? 0), 0);
          if (total.numerator === undefined) {
            expect(sum((v) => v.value ?? 0), `${def.id} by ${dim}`).toBeCloseTo(total.value!, 6);
          } else {
            expect(sum((v) => v.numerator), `${def.id} by ${dim}: numerators`).toBeCloseTo(total.numerator, 6);
            expect(sum((v) => v.denominator), `${def.id} by ${dim}: denominators`).toBeCloseTo(total.denominator!, 6);
          }
          // Keys are lower case and trimmed, blank is `unknown`.
          for (const k of Object.keys(values)) expect(k).toBe(k.toLowerCase().trim() || 'unknown');
        }
      }
    }));
  });

  it('measured in one pass over many periods, each period\'s breakdowns are those of the period alone', () => {
    fc.assert(fc.property(recordsArb, (records) => {
      const settings = settingsWith();
      const periods = periodRange(parsePeriodId('2026-09'), parsePeriodId('2026-11'));
      const together = computeKpisForPeriods(tableOf(records, 'UTC'), periods, settings);
      periods.forEach((p, i) => {
        const alone = computePeriodKpis(records, p, settings).metrics;
        for (const def of METRICS) expect(together[i]!.metrics[def.id]!.breakdowns, `${p.id} ${def.id}`).toEqual(alone[def.id]!.breakdowns);
      });
    }), { numRuns: 40 });
  });

  it('every dimension of the registry is read from some dataset and broken down for some KPI', () => {
    for (const d of DIMENSION_IDS) expect(METRICS.some((def) => def.breakdownBy?.includes(d)), d).toBe(true);
  });
});
