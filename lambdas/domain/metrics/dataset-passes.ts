/**
 * The passes over the merged records that feed `measurePeriods`: one function per dataset, each reading the
 * table's typed-array columns once and adding every record to the accumulators of the periods its dates fall
 * in. Accumulators are `Float64Array`s indexed by period (`a[p]`) or by period and segment (`a[p * nSeg + s]`).
 *
 * Breakdowns are measured in the same pass: per breakdown dimension the dataset carries (a column of segment
 * ids), the same sums per period and value. The source (spend: channel) is always measured, for the KPIs'
 * per-source segments; the other dimensions only when breakdowns are asked for.
 */
import type { DatasetInPeriod } from './measures.ts';
import type { Dimension } from './dimensions.ts';
import { dayToIsoDate, periodDays, type Period } from '../periods/period.ts';
import { OPP_STATUS, SQL_STATUS, type RecordTable } from '../records/record-table.ts';

/** The periods of one group (one type, never overlapping) as day ranges, and the day → period lookup. */
export class PeriodGrid {
  /** Number of periods. */
  readonly n: number;
  readonly startDays: readonly number[];
  readonly endDays: readonly number[];
  readonly minDay: number;
  readonly maxDay: number;
  readonly weekly: boolean;
  /** Day → period slot; -1 outside every period. */
  private readonly lookup: Int16Array;

  constructor(readonly periods: readonly Period[]) {
    const days = periods.map(periodDays);
    this.n = periods.length;
    this.startDays = days.map((d) => d.startDay);
    this.endDays = days.map((d) => d.endDay);
    this.minDay = Math.min(...this.startDays);
    this.maxDay = Math.max(...this.endDays);
    this.weekly = periods[0]?.type === 'week';
    this.lookup = new Int16Array(this.maxDay - this.minDay).fill(-1);
    days.forEach((d, p) => this.lookup.fill(p, d.startDay - this.minDay, d.endDay - this.minDay));
  }

  /** The period slot of a day, or -1. NO_DAY (no date) lies after `maxDay`, so it is never in a period. */
  at(day: number): number {
    const i = day - this.minDay;
    return i >= 0 && i < this.lookup.length ? this.lookup[i]! : -1;
  }
}

const perPeriod = (n: number): Float64Array => new Float64Array(n);

/** Per period of a group and per dataset: how many records, their date range in it, their uploads. */
export class Presence {
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

/** Leads, MQLs and SQLs per period and value of one dimension. */
export interface LeadDimensionSums {
  readonly leads: Float64Array;
  readonly mqls: Float64Array;
  readonly sqls: Float64Array;
}

const leadDimension = (n: number): LeadDimensionSums => ({ leads: perPeriod(n), mqls: perPeriod(n), sqls: perPeriod(n) });

export interface LeadSums {
  /** Per source (the `source` entry of `by`). */
  readonly leadsBy: Float64Array;
  readonly mqlsBy: Float64Array;
  readonly sqlsBy: Float64Array;
  /** Per breakdown dimension measured. */
  readonly by: Partial<Record<Dimension, LeadDimensionSums>>;
  readonly sqlsAccepted: Float64Array;
  /** Leads that became customers in P, and the sum of their days from creation to customer. */
  readonly customers: Float64Array;
  readonly cycleSum: Float64Array;
  /** Per segment: 1 when some lead has it as its source (any period). */
  readonly sourceSeen: Uint8Array;
}

/** Leads, MQLs and SQLs per period and source (and campaign, with `breakdowns`); lead-based customers and their sales cycle. */
export function sumLeads(table: RecordTable, grid: PeriodGrid, pr: Presence, breakdowns = false): LeadSums {
  const nP = grid.n;
  const nSeg = table.segments.length;
  const bySource = leadDimension(nP * nSeg);
  const byCampaign = breakdowns ? leadDimension(nP * nSeg) : undefined;
  const out: LeadSums = {
    leadsBy: bySource.leads, mqlsBy: bySource.mqls, sqlsBy: bySource.sqls, by: { source: bySource, ...(byCampaign ? { campaign: byCampaign } : {}) },
    sqlsAccepted: perPeriod(nP), customers: perPeriod(nP), cycleSum: perPeriod(nP), sourceSeen: new Uint8Array(nSeg),
  };
  const { created, mql, sql, customer, source, campaign, status, upload } = table.leads.cols;
  for (let r = 0, n = table.leads.size; r < n; r++) {
    const src = source[r]!;
    const up = upload[r]!;
    out.sourceSeen[src] = 1;
    const dc = created[r]!;
    const pc = grid.at(dc);
    const pm = grid.at(mql[r]!);
    const ps = grid.at(sql[r]!);
    const du = customer[r]!;
    const pu = grid.at(du);
    // A lead counts once per period however many of its dates fall in it.
    if (pc >= 0) { out.leadsBy[pc * nSeg + src]!++; pr.record(pc, up); pr.date(pc, dc); }
    if (pm >= 0) { out.mqlsBy[pm * nSeg + src]!++; if (pm !== pc) pr.record(pm, up); pr.date(pm, mql[r]!); }
    if (ps >= 0) {
      out.sqlsBy[ps * nSeg + src]!++;
      if (status[r] === SQL_STATUS.accepted) out.sqlsAccepted[ps]!++;
      if (ps !== pc && ps !== pm) pr.record(ps, up);
      pr.date(ps, sql[r]!);
    }
    if (byCampaign) {
      const c = campaign[r]!;
      if (pc >= 0) byCampaign.leads[pc * nSeg + c]!++;
      if (pm >= 0) byCampaign.mqls[pm * nSeg + c]!++;
      if (ps >= 0) byCampaign.sqls[ps * nSeg + c]!++;
    }
    if (pu >= 0) {
      out.customers[pu]!++;
      out.cycleSum[pu]! += du - dc;
      if (pu !== pc && pu !== pm && pu !== ps) pr.record(pu, up);
      pr.date(pu, du);
    }
  }
  return out;
}

/** Per period and value of one dimension: opportunities created and their amount, deals won (and their amount) and lost. */
export interface OpportunityDimensionSums {
  readonly created: Float64Array;
  readonly pipeline: Float64Array;
  readonly won: Float64Array;
  readonly revenue: Float64Array;
  readonly lost: Float64Array;
}

export interface OpportunitySums {
  readonly created: Float64Array;
  /** Σ amount and count per period and source of opportunities created in P (the `source` entry of `by`). */
  readonly pipelineBy: Float64Array;
  readonly pipelineN: Float64Array;
  readonly marketingPipeline: Float64Array;
  readonly won: Float64Array;
  readonly lost: Float64Array;
  /** Σ amount and count per period and source of opportunities won in P. */
  readonly revenueBy: Float64Array;
  readonly revenueN: Float64Array;
  readonly marketingRevenue: Float64Array;
  /**
   * Σ (amount in whole major units)² of deals won in P: with the sum and the count, the spread of deal sizes. Whole
   * units keep the squares integers, so the sum is exact, whatever the order of the records, up to 9 × 10^15.
   */
  readonly revenueSquares: Float64Array;
  /** Per breakdown dimension measured. */
  readonly by: Partial<Record<Dimension, OpportunityDimensionSums>>;
}

const OPPORTUNITY_DIMENSIONS = ['source', 'campaign', 'owner', 'region', 'product', 'segment'] as const;

/**
 * Pipeline created per period and source; deals won and lost, and revenue won, per period of closing; the same per
 * value of each breakdown dimension with `breakdowns`.
 */
export function sumOpportunities(table: RecordTable, grid: PeriodGrid, pr: Presence, breakdowns = false): OpportunitySums {
  const nP = grid.n;
  const nSeg = table.segments.length;
  const n = nP * nSeg;
  const cols = table.opportunities.cols;
  const dims = (breakdowns ? OPPORTUNITY_DIMENSIONS : (['source'] as const)).map((d) => ({
    d, col: cols[d], sums: { created: perPeriod(n), pipeline: perPeriod(n), won: perPeriod(n), revenue: perPeriod(n), lost: perPeriod(n) },
  }));
  const src = dims[0]!.sums;
  const out: OpportunitySums = {
    created: perPeriod(nP), pipelineBy: src.pipeline, pipelineN: src.created, marketingPipeline: perPeriod(nP),
    won: perPeriod(nP), lost: perPeriod(nP), revenueBy: src.revenue, revenueN: src.won, marketingRevenue: perPeriod(nP),
    revenueSquares: perPeriod(nP), by: Object.fromEntries(dims.map((x) => [x.d, x.sums])),
  };
  const { created, closed, status, amount, marketing, upload } = cols;
  const nd = dims.length;
  for (let r = 0, n = table.opportunities.size; r < n; r++) {
    const dc = created[r]!;
    const pc = grid.at(dc);
    const dx = closed[r]!;
    const px = grid.at(dx);
    if (pc < 0 && px < 0) continue;
    const up = upload[r]!;
    const amt = amount[r]!;
    const won = status[r] === OPP_STATUS.won;
    for (let k = 0; k < nd; k++) {
      const { col, sums } = dims[k]!;
      const v = col[r]!;
      if (pc >= 0) {
        sums.created[pc * nSeg + v]!++;
        sums.pipeline[pc * nSeg + v]! += amt;
      }
      if (px >= 0) {
        if (won) {
          sums.won[px * nSeg + v]!++;
          sums.revenue[px * nSeg + v]! += amt;
        } else sums.lost[px * nSeg + v]!++;
      }
    }
    if (pc >= 0) {
      out.created[pc]!++;
      if (marketing[r]) out.marketingPipeline[pc]! += amt;
      pr.record(pc, up);
      pr.date(pc, dc);
    }
    if (px >= 0) {
      if (won) {
        out.won[px]!++;
        const whole = Math.round(amt / 100);
        out.revenueSquares[px]! += whole * whole;
        if (marketing[r]) out.marketingRevenue[px]! += amt;
      } else out.lost[px]!++;
      if (px !== pc) pr.record(px, up);
      pr.date(px, dx);
    }
  }
  return out;
}

/** Σ marketing spend and row count per period and value of one dimension. */
export interface SpendDimensionSums {
  readonly spend: Float64Array;
  readonly rows: Float64Array;
}

export interface SpendSums {
  /** Σ marketing spend and row count per period and channel (the `source` entry of `by`). */
  readonly spendBy: Float64Array;
  readonly spendN: Float64Array;
  readonly salesSpend: Float64Array;
  /** Per breakdown dimension measured: `source` (the channel) and, with breakdowns, `campaign`. */
  readonly by: Partial<Record<Dimension, SpendDimensionSums>>;
}

/** Marketing spend per period and channel (and campaign, with `breakdowns`), sales spend per period. */
export function sumSpend(table: RecordTable, grid: PeriodGrid, pr: Presence, breakdowns = false): SpendSums {
  const nP = grid.n;
  const nSeg = table.segments.length;
  const byChannel: SpendDimensionSums = { spend: perPeriod(nP * nSeg), rows: perPeriod(nP * nSeg) };
  const byCampaign: SpendDimensionSums | undefined = breakdowns ? { spend: perPeriod(nP * nSeg), rows: perPeriod(nP * nSeg) } : undefined;
  const out: SpendSums = {
    spendBy: byChannel.spend, spendN: byChannel.rows, salesSpend: perPeriod(nP),
    by: { source: byChannel, ...(byCampaign ? { campaign: byCampaign } : {}) },
  };
  const { day, month, amount, channel, campaign, sales, upload } = table.spend.cols;
  const add = (p: number, r: number, amt: number, d: number): void => {
    if (sales[r]) out.salesSpend[p]! += amt;
    else {
      out.spendBy[p * nSeg + channel[r]!]! += amt;
      out.spendN[p * nSeg + channel[r]!]!++;
      if (byCampaign) {
        byCampaign.spend[p * nSeg + campaign[r]!]! += amt;
        byCampaign.rows[p * nSeg + campaign[r]!]!++;
      }
    }
    pr.date(p, d);
  };
  for (let r = 0, n = table.spend.size; r < n; r++) {
    const d0 = day[r]!;
    if (month[r] && grid.weekly) {
      // A monthly row in weekly periods: its amount is spread over the month's days in whole minor units (the
      // first `remainder` days get one more), so the weeks of a month add up to the month exactly.
      const len = isoDaysInMonth(d0);
      const amt = amount[r]!;
      const base = Math.floor(amt / len);
      const remainder = amt - base * len;
      let last = -1;
      for (let i = 0; i < len; i++) {
        const p = grid.at(d0 + i);
        if (p < 0) continue;
        add(p, r, base + (i < remainder ? 1 : 0), d0 + i);
        if (p !== last) { pr.record(p, upload[r]!); last = p; }
      }
      continue;
    }
    const p = grid.at(d0);
    if (p < 0) continue;
    add(p, r, amount[r]!, d0);
    pr.record(p, upload[r]!);
  }
  return out;
}

export interface CustomerSums {
  readonly started: Float64Array;
  readonly activeAtStart: Float64Array;
  readonly activeAtEnd: Float64Array;
  readonly retained: Float64Array;
  readonly churnedFromStart: Float64Array;
  readonly churned: Float64Array;
  readonly mrrAtEnd: Float64Array;
  readonly mrrCount: Float64Array;
  readonly mrrMissing: Float64Array;
}

/** New, active, retained and churned customers per period, and MRR at the period's end. */
export function sumCustomers(table: RecordTable, grid: PeriodGrid, pr: Presence): CustomerSums {
  const nP = grid.n;
  const out: CustomerSums = {
    started: perPeriod(nP), activeAtStart: perPeriod(nP), activeAtEnd: perPeriod(nP), retained: perPeriod(nP),
    churnedFromStart: perPeriod(nP), churned: perPeriod(nP), mrrAtEnd: perPeriod(nP), mrrCount: perPeriod(nP), mrrMissing: perPeriod(nP),
  };
  const { started, churned: churnedAt, mrr, upload } = table.customers.cols;
  const { startDays, endDays } = grid;
  for (let r = 0, n = table.customers.size; r < n; r++) {
    const st = started[r]!;
    const ch = churnedAt[r]!; // NO_DAY when still a customer
    if (st >= grid.maxDay || ch < grid.minDay) continue; // never a customer during these periods
    const up = upload[r]!;
    const pn = grid.at(st);
    if (pn >= 0) { out.started[pn]!++; pr.date(pn, st); }
    const pc = grid.at(ch);
    if (pc >= 0) { out.churned[pc]!++; pr.date(pc, ch); }
    for (let p = 0; p < nP; p++) {
      const s = startDays[p]!;
      const e = endDays[p]!;
      if (st >= e || ch < s) continue; // not a customer at any time in P
      pr.record(p, up);
      const atEnd = ch >= e;
      if (st < s) {
        out.activeAtStart[p]!++;
        if (atEnd) out.retained[p]!++;
        else out.churnedFromStart[p]!++;
      }
      if (atEnd) {
        out.activeAtEnd[p]!++;
        const m = mrr[r]!;
        if (m >= 0) { out.mrrAtEnd[p]! += m; out.mrrCount[p]!++; } else out.mrrMissing[p]!++;
      }
    }
  }
  return out;
}

export interface TrafficSums {
  readonly sessions: Float64Array;
  /** Σ bounced sessions in millionths, and Σ sessions of the rows that have a bounce rate. */
  readonly bouncedMicro: Float64Array;
  readonly bounceSessions: Float64Array;
}

/** Sessions and bounced sessions per period. */
export function sumTraffic(table: RecordTable, grid: PeriodGrid, pr: Presence): TrafficSums {
  const nP = grid.n;
  const out: TrafficSums = { sessions: perPeriod(nP), bouncedMicro: perPeriod(nP), bounceSessions: perPeriod(nP) };
  const { day, sessions: s, bouncedMicro: b, upload } = table.web_traffic.cols;
  for (let r = 0, n = table.web_traffic.size; r < n; r++) {
    const d = day[r]!;
    const p = grid.at(d);
    if (p < 0) continue;
    out.sessions[p]! += s[r]!;
    if (b[r]! >= 0) { out.bouncedMicro[p]! += b[r]!; out.bounceSessions[p]! += s[r]!; }
    pr.record(p, upload[r]!);
    pr.date(p, d);
  }
  return out;
}

/** Days in the month of a day number that is the first of its month. */
function isoDaysInMonth(firstDay: number): number {
  const iso = dayToIsoDate(firstDay);
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

