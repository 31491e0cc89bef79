/**
 * Base measures of metrics.md, for many periods in one pass over the merged records. Every KPI is a formula over
 * these, so the records are scanned once however many KPIs and periods there are: each record's dates are looked
 * up in a day → period table and added to that period's accumulators.
 */
import { DATASET_NAMES, type DatasetName } from '../layout.ts';
import type { DatasetRecords } from '../datasets/records.ts';
import { dayToIsoDate, periodDays, toLocalDate, type Period } from '../periods/period.ts';
import { OPP_STATUS, RecordTable, SQL_STATUS } from '../records/record-table.ts';

export type RecordSets = { readonly [N in DatasetName]: readonly DatasetRecords[N][] };

/** Counts (and sums) overall and per segment (see `segmentKey`: lower-cased source or channel). */
export interface Tally {
  total: number;
  by: Map<string, number>;
}

export interface PeriodMeasures {
  readonly period: Period;
  /** Whether each dataset has records in the period (see `DatasetInPeriod.records`). */
  readonly covered: { readonly [N in DatasetName]: boolean };
  readonly leads: Tally;
  readonly mqls: Tally;
  readonly sqls: Tally;
  readonly sqlsAccepted: number;
  /** new_customers(P): from the customers dataset when it has any record, else leads with customer_at in P. */
  readonly newCustomers: number;
  readonly newCustomersFrom: 'customers' | 'leads';
  readonly oppsCreated: number;
  /** Σ amount (minor units) of opportunities created in P, overall and per source. */
  readonly pipelineMinor: Tally;
  readonly marketingPipelineMinor: number;
  readonly won: number;
  readonly lost: number;
  readonly revenueMinor: Tally;
  readonly marketingRevenueMinor: number;
  readonly marketingSpendMinor: Tally;
  readonly salesSpendMinor: number;
  /** Every lead source of the leads dataset (any period), for matching spend channels to sources. */
  readonly leadSources: ReadonlySet<string>;
  /** active(start P): started before P and not churned before P. */
  readonly activeAtStart: number;
  /** active(end P): started before the end of P and not churned by then. */
  readonly activeAtEnd: number;
  /** Of the customers active at the start of P, those still active at its end, and those who churned in P. */
  readonly retainedFromStart: number;
  readonly churnedFromStart: number;
  /** Every customer with `churned_at` in P (including customers who also started in P). */
  readonly churned: number;
  /** Σ mrr (minor) of customers active at the end with a known MRR, how many have one, and how many do not. */
  readonly mrrAtEndMinor: number;
  readonly mrrCountAtEnd: number;
  readonly mrrMissingAtEnd: number;
  readonly salesCycleDays: { sum: number; count: number };
  readonly sessions: number;
  /** Σ bounce_rate × sessions over rows with a bounce rate, and Σ sessions of those rows. */
  readonly bounceWeighted: { bounced: number; sessions: number };
}

/** What a dataset contributes to a period: the data-completeness check and the uploads a KPI came from. */
export interface DatasetInPeriod {
  /**
   * Records that fall in the period: leads with any of their dates in it, opportunities created or closed in it,
   * spend and traffic rows dated in it (a monthly spend row in every week it overlaps), customers active at some
   * time in it.
   */
  readonly records: number;
  /** The first and last local date of those records' dates that lie in the period. */
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** Uploads with a record in the period, in upload order; absent when the records do not say their upload. */
  readonly uploads?: readonly string[];
}

export interface PeriodData {
  readonly measures: PeriodMeasures;
  readonly datasets: { readonly [N in DatasetName]: DatasetInPeriod };
}

/** Per period of a group and per dataset: how many records, their date range in it, their uploads. */
class Presence {
  readonly records: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
  readonly uploads: Uint8Array;

  constructor(private readonly periods: number, private readonly nUploads: number) {
    this.records = new Float64Array(periods);
    this.first = new Int32Array(periods).fill(0x7fff_ffff);
    this.last = new Int32Array(periods).fill(-0x7fff_ffff);
    this.uploads = new Uint8Array(periods * Math.max(1, nUploads));
  }

  /** Counts a record once in period p (its upload too). */
  record(p: number, upload: number): void {
    this.records[p]!++;
    this.uploads[p * this.nUploads + upload] = 1;
  }

  date(p: number, day: number): void {
    if (day < this.first[p]!) this.first[p] = day;
    if (day > this.last[p]!) this.last[p] = day;
  }

  result(p: number, uploadIds: readonly string[]): DatasetInPeriod {
    const uploads: string[] = [];
    // '' is the upload of records whose upload is unknown (see `tableOf`).
    for (let u = 0; u < this.nUploads; u++) if (this.uploads[p * this.nUploads + u] && uploadIds[u]) uploads.push(uploadIds[u]!);
    const known = uploadIds.some((u) => u !== '');
    return {
      records: this.records[p]!,
      ...(this.first[p]! <= this.last[p]! ? { firstDate: dayToIsoDate(this.first[p]!), lastDate: dayToIsoDate(this.last[p]!) } : {}),
      ...(known || uploadIds.length === 0 ? { uploads } : {}),
    };
  }
}

/** One accumulator per period: `f[p]`, and per period and segment: `f[p * nSeg + s]`. */
const perPeriod = (n: number): Float64Array => new Float64Array(n);

/**
 * The base measures of each period, from the merged records of `table` (dates already in its time zone), in one
 * pass over the records per period type. Results are in the order of `periods`.
 */
export function measurePeriods(table: RecordTable, periods: readonly Period[]): PeriodData[] {
  const out = new Map<Period, PeriodData>();
  for (const type of ['month', 'quarter', 'week'] as const) {
    const group = periods.filter((p) => p.type === type);
    if (group.length === 0) continue;
    const results = measureGroup(table, group);
    group.forEach((p, i) => out.set(p, results[i]!));
  }
  return periods.map((p) => out.get(p)!);
}

/** Periods of one type (they never overlap), measured in one pass. */
function measureGroup(table: RecordTable, input: readonly Period[]): PeriodData[] {
  // Duplicates share one slot.
  const ids = [...new Set(input.map((p) => p.id))];
  const slotOf = new Map(ids.map((id, i) => [id, i]));
  const unique = ids.map((id) => input.find((p) => p.id === id)!);
  const nP = unique.length;
  const days = unique.map(periodDays);
  const minDay = Math.min(...days.map((d) => d.startDay));
  const maxDay = Math.max(...days.map((d) => d.endDay));
  // Day → period slot; -1 outside every period. NO_DAY (no date) lies after maxDay, so it is never in a period.
  const lookup = new Int16Array(maxDay - minDay).fill(-1);
  days.forEach((d, p) => lookup.fill(p, d.startDay - minDay, d.endDay - minDay));
  const span = maxDay - minDay;
  const at = (day: number): number => {
    const i = day - minDay;
    return i >= 0 && i < span ? lookup[i]! : -1;
  };

  const nU = table.uploadIds.length;
  const nSeg = table.segments.length;
  const presence = Object.fromEntries(DATASET_NAMES.map((d) => [d, new Presence(nP, nU)])) as Record<DatasetName, Presence>;

  // ---- leads ----
  const leadsBy = perPeriod(nP * nSeg);
  const mqlsBy = perPeriod(nP * nSeg);
  const sqlsBy = perPeriod(nP * nSeg);
  const sqlsAccepted = perPeriod(nP);
  const leadCustomers = perPeriod(nP);
  const cycleSum = perPeriod(nP);
  const leadSourceSeen = new Uint8Array(nSeg);
  {
    const pr = presence.leads;
    const { created, mql, sql, customer, source, status, upload } = table.leads.cols;
    for (let r = 0, n = table.leads.size; r < n; r++) {
      const src = source[r]!;
      const up = upload[r]!;
      leadSourceSeen[src] = 1;
      const dc = created[r]!;
      const pc = at(dc);
      const pm = at(mql[r]!);
      const ps = at(sql[r]!);
      const du = customer[r]!;
      const pu = at(du);
      if (pc >= 0) { leadsBy[pc * nSeg + src]!++; pr.record(pc, up); pr.date(pc, dc); }
      if (pm >= 0) { mqlsBy[pm * nSeg + src]!++; if (pm !== pc) pr.record(pm, up); pr.date(pm, mql[r]!); }
      if (ps >= 0) {
        sqlsBy[ps * nSeg + src]!++;
        if (status[r] === SQL_STATUS.accepted) sqlsAccepted[ps]!++;
        if (ps !== pc && ps !== pm) pr.record(ps, up);
        pr.date(ps, sql[r]!);
      }
      if (pu >= 0) {
        leadCustomers[pu]!++;
        cycleSum[pu]! += du - dc;
        if (pu !== pc && pu !== pm && pu !== ps) pr.record(pu, up);
        pr.date(pu, du);
      }
    }
  }

  // ---- opportunities ----
  const oppsCreated = perPeriod(nP);
  const pipelineBy = perPeriod(nP * nSeg);
  const pipelineN = perPeriod(nP * nSeg);
  const marketingPipeline = perPeriod(nP);
  const won = perPeriod(nP);
  const lost = perPeriod(nP);
  const revenueBy = perPeriod(nP * nSeg);
  const revenueN = perPeriod(nP * nSeg);
  const marketingRevenue = perPeriod(nP);
  {
    const pr = presence.opportunities;
    const { created, closed, status, amount, source, marketing, upload } = table.opportunities.cols;
    for (let r = 0, n = table.opportunities.size; r < n; r++) {
      const dc = created[r]!;
      const pc = at(dc);
      const dx = closed[r]!;
      const px = at(dx);
      if (pc < 0 && px < 0) continue;
      const up = upload[r]!;
      const src = source[r]!;
      const amt = amount[r]!;
      if (pc >= 0) {
        oppsCreated[pc]!++;
        pipelineBy[pc * nSeg + src]! += amt;
        pipelineN[pc * nSeg + src]!++;
        if (marketing[r]) marketingPipeline[pc]! += amt;
        pr.record(pc, up);
        pr.date(pc, dc);
      }
      if (px >= 0) {
        if (status[r] === OPP_STATUS.won) {
          won[px]!++;
          revenueBy[px * nSeg + src]! += amt;
          revenueN[px * nSeg + src]!++;
          if (marketing[r]) marketingRevenue[px]! += amt;
        } else lost[px]!++;
        if (px !== pc) pr.record(px, up);
        pr.date(px, dx);
      }
    }
  }

  // ---- spend ----
  const spendBy = perPeriod(nP * nSeg);
  const spendN = perPeriod(nP * nSeg);
  const salesSpend = perPeriod(nP);
  {
    const pr = presence.spend;
    const { day, month, amount, channel, sales, upload } = table.spend.cols;
    const weekly = unique[0]!.type === 'week';
    const add = (p: number, r: number, amt: number, d: number): void => {
      if (sales[r]) salesSpend[p]! += amt;
      else {
        spendBy[p * nSeg + channel[r]!]! += amt;
        spendN[p * nSeg + channel[r]!]!++;
      }
      pr.date(p, d);
    };
    for (let r = 0, n = table.spend.size; r < n; r++) {
      const d0 = day[r]!;
      if (month[r] && weekly) {
        // A monthly row in weekly periods: its amount is spread over the month's days in whole minor units (the
        // first `remainder` days get one more), so the weeks of a month add up to the month exactly.
        const len = isoDaysInMonth(d0);
        const amt = amount[r]!;
        const base = Math.floor(amt / len);
        const remainder = amt - base * len;
        let last = -1;
        for (let i = 0; i < len; i++) {
          const p = at(d0 + i);
          if (p < 0) continue;
          add(p, r, base + (i < remainder ? 1 : 0), d0 + i);
          if (p !== last) { pr.record(p, upload[r]!); last = p; }
        }
        continue;
      }
      const p = at(d0);
      if (p < 0) continue;
      add(p, r, amount[r]!, d0);
      pr.record(p, upload[r]!);
    }
  }

  // ---- customers ----
  const newFromCustomers = perPeriod(nP);
  const activeAtStart = perPeriod(nP);
  const activeAtEnd = perPeriod(nP);
  const retained = perPeriod(nP);
  const churnedFromStart = perPeriod(nP);
  const churned = perPeriod(nP);
  const mrrAtEnd = perPeriod(nP);
  const mrrCount = perPeriod(nP);
  const mrrMissing = perPeriod(nP);
  {
    const pr = presence.customers;
    const { started, churned: churnedAt, mrr, upload } = table.customers.cols;
    const starts = days.map((d) => d.startDay);
    const ends = days.map((d) => d.endDay);
    for (let r = 0, n = table.customers.size; r < n; r++) {
      const st = started[r]!;
      const ch = churnedAt[r]!; // NO_DAY when still a customer
      if (st >= maxDay || ch < minDay) continue; // never a customer during these periods
      const up = upload[r]!;
      const pn = at(st);
      if (pn >= 0) { newFromCustomers[pn]!++; pr.date(pn, st); }
      const pc = at(ch);
      if (pc >= 0) { churned[pc]!++; pr.date(pc, ch); }
      for (let p = 0; p < nP; p++) {
        const s = starts[p]!;
        const e = ends[p]!;
        if (st >= e || ch < s) continue; // not a customer at any time in P
        pr.record(p, up);
        const atEnd = ch >= e;
        if (st < s) {
          activeAtStart[p]!++;
          if (atEnd) retained[p]!++;
          else churnedFromStart[p]!++;
        }
        if (atEnd) {
          activeAtEnd[p]!++;
          const m = mrr[r]!;
          if (m >= 0) { mrrAtEnd[p]! += m; mrrCount[p]!++; } else mrrMissing[p]!++;
        }
      }
    }
  }

  // ---- web traffic ----
  const sessions = perPeriod(nP);
  const bouncedMicro = perPeriod(nP);
  const bounceSessions = perPeriod(nP);
  {
    const pr = presence.web_traffic;
    const { day, sessions: s, bouncedMicro: b, upload } = table.web_traffic.cols;
    for (let r = 0, n = table.web_traffic.size; r < n; r++) {
      const d = day[r]!;
      const p = at(d);
      if (p < 0) continue;
      sessions[p]! += s[r]!;
      if (b[r]! >= 0) { bouncedMicro[p]! += b[r]!; bounceSessions[p]! += s[r]!; }
      pr.record(p, upload[r]!);
      pr.date(p, d);
    }
  }

  const leadSources = new Set(table.segments.filter((_, i) => leadSourceSeen[i]));
  const hasCustomers = table.customers.size > 0;
  const tally = (sums: Float64Array, counts: Float64Array, p: number): Tally => {
    const by = new Map<string, number>();
    let total = 0;
    for (let s = 0; s < nSeg; s++) {
      if (counts[p * nSeg + s]! > 0) {
        const v = sums[p * nSeg + s]!;
        by.set(table.segments[s]!, v);
        total += v;
      }
    }
    return { total, by };
  };

  const results = unique.map((period, p): PeriodData => {
    const datasets = Object.fromEntries(DATASET_NAMES.map((d) => [d, presence[d].result(p, table.uploadIds)])) as PeriodData['datasets'];
    const measures: PeriodMeasures = {
      period,
      covered: Object.fromEntries(DATASET_NAMES.map((d) => [d, datasets[d].records > 0])) as PeriodMeasures['covered'],
      leads: tally(leadsBy, leadsBy, p),
      mqls: tally(mqlsBy, mqlsBy, p),
      sqls: tally(sqlsBy, sqlsBy, p),
      sqlsAccepted: sqlsAccepted[p]!,
      newCustomers: hasCustomers ? newFromCustomers[p]! : leadCustomers[p]!,
      newCustomersFrom: hasCustomers ? 'customers' : 'leads',
      oppsCreated: oppsCreated[p]!,
      pipelineMinor: tally(pipelineBy, pipelineN, p),
      marketingPipelineMinor: marketingPipeline[p]!,
      won: won[p]!,
      lost: lost[p]!,
      revenueMinor: tally(revenueBy, revenueN, p),
      marketingRevenueMinor: marketingRevenue[p]!,
      marketingSpendMinor: tally(spendBy, spendN, p),
      salesSpendMinor: salesSpend[p]!,
      leadSources,
      activeAtStart: activeAtStart[p]!,
      activeAtEnd: activeAtEnd[p]!,
      retainedFromStart: retained[p]!,
      churnedFromStart: churnedFromStart[p]!,
      churned: churned[p]!,
      mrrAtEndMinor: mrrAtEnd[p]!,
      mrrCountAtEnd: mrrCount[p]!,
      mrrMissingAtEnd: mrrMissing[p]!,
      salesCycleDays: { sum: cycleSum[p]!, count: leadCustomers[p]! },
      sessions: sessions[p]!,
      bounceWeighted: { bounced: bouncedMicro[p]! / 1e6, sessions: bounceSessions[p]! },
    };
    return { measures, datasets };
  });
  return input.map((p) => results[slotOf.get(p.id)!]!);
}

/** Days in the month of a day number that is the first of its month. */
function isoDaysInMonth(firstDay: number): number {
  const iso = dayToIsoDate(firstDay);
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * A table of already-merged records (each counts, whatever its key), for callers that hold record objects: the
 * CLI and tests. Cached per records object and time zone, so computing many periods converts the dates once.
 */
const tables = new WeakMap<RecordSets, Map<string, RecordTable>>();
export function tableOf(records: RecordSets, timezone: string): RecordTable {
  let byZone = tables.get(records);
  if (!byZone) tables.set(records, (byZone = new Map()));
  let table = byZone.get(timezone);
  if (!table) {
    table = new RecordTable(timezone);
    for (const d of DATASET_NAMES) for (const r of records[d]) table.append(d, '', r as never);
    byZone.set(timezone, table);
  }
  return table;
}

/** The base measures of one period, from merged record objects. */
export function measurePeriod(records: RecordSets, period: Period, timezone: string): PeriodMeasures {
  return measurePeriods(tableOf(records, timezone), [period])[0]!.measures;
}

/**
 * The latest period with lead records that has closed by `today` (local date), or undefined when there are
 * none: what a preview of the scorecard is about when no period is named.
 */
export function latestClosedDataPeriod(
  records: RecordSets, type: Period['type'], timezone: string, today: string,
  periodOf: (type: Period['type'], localDate: string) => Period,
): Period | undefined {
  let latest = '';
  for (const l of records.leads) {
    const d = toLocalDate(l.created_at, timezone);
    if (d > latest && d < today) latest = d;
  }
  if (!latest) return undefined;
  const p = periodOf(type, latest);
  // The period holding the newest record may still be open: then the one before it is the latest closed.
  return p.endDate <= today ? p : undefined;
}
