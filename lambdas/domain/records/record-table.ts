/**
 * The merged records of every dataset, held compactly for the KPI engine.
 *
 * Which records count (exports.md): across accepted uploads of a dataset, a record from a later upload replaces
 * the earlier one with the same key (the dataset registry's `keyOf`). `RecordMerger` does that on record objects;
 * this table does the same while keeping only what the KPIs read, as columns of typed arrays: local dates as day
 * numbers (converted once, in the reporting time zone), money in minor units, sources and channels as indexes into
 * one list of segment names, and the upload each row came from. A million leads take about 30 MB here instead of
 * the ~400 MB of the parsed objects, and the engine scans integers instead of strings.
 */
import type { DatasetName } from '../layout.ts';
import { DATASETS } from '../datasets/registry.ts';
import type {
  CustomerRecord, DatasetRecords, LeadRecord, OpportunityRecord, SpendRecord, WebTrafficRecord,
} from '../datasets/records.ts';
import { localDayNumber } from '../periods/period.ts';

/** The day number of "no date" (an empty `mql_at`, a customer who has not churned): after every period. */
export const NO_DAY = 0x7fff_ffff;

/**
 * The segment a source or channel name belongs to: trimmed, lower-cased, runs of spaces and `_` made one space,
 * so "Paid Search", "paid_search" and " paid  search " are one segment (and a spend channel matches the lead
 * source of the same name). Blank is `unknown`.
 */
export function segmentKey(name: string | undefined): string {
  const k = (name ?? '').toLowerCase().replace(/[\s_]+/g, ' ').trim();
  return k === '' ? 'unknown' : k;
}

type Kind = 'i32' | 'f64' | 'u8';
type ArrayOf<K extends Kind> = K extends 'i32' ? Int32Array : K extends 'f64' ? Float64Array : Uint8Array;
const alloc = (k: Kind, n: number): Int32Array | Float64Array | Uint8Array =>
  k === 'i32' ? new Int32Array(n) : k === 'f64' ? new Float64Array(n) : new Uint8Array(n);

/** Growable columns of one dataset, merged by key. */
export class ColumnStore<S extends Record<string, Kind>> {
  size = 0;
  private capacity: number;
  private readonly keys = new Map<string, number>();
  cols: { -readonly [C in keyof S]: ArrayOf<S[C]> };

  constructor(private readonly spec: S, initial = 1024) {
    this.capacity = initial;
    this.cols = Object.fromEntries(Object.entries(spec).map(([c, k]) => [c, alloc(k, initial)])) as never;
  }

  /** The row for `key`: the existing one (a later upload replaces it) or a new one. `key` undefined: always new. */
  row(key: string | undefined): number {
    if (key !== undefined) {
      const existing = this.keys.get(key);
      if (existing !== undefined) return existing;
    }
    if (this.size === this.capacity) this.grow();
    const r = this.size++;
    if (key !== undefined) this.keys.set(key, r);
    return r;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const [c, k] of Object.entries(this.spec)) {
      const next = alloc(k, this.capacity);
      next.set((this.cols as Record<string, Int32Array | Float64Array | Uint8Array>)[c]! as never);
      (this.cols as Record<string, unknown>)[c] = next;
    }
  }
}

// The breakdown dimensions (metrics/dimensions.ts) are segment ids like `source`: campaign, owner, region, product, segment.
const LEAD_COLS = { created: 'i32', mql: 'i32', sql: 'i32', customer: 'i32', source: 'i32', campaign: 'i32', status: 'u8', upload: 'i32' } as const;
const OPP_COLS = {
  created: 'i32', closed: 'i32', status: 'u8', amount: 'f64', source: 'i32', campaign: 'i32', owner: 'i32', region: 'i32', product: 'i32',
  segment: 'i32', marketing: 'u8', upload: 'i32',
} as const;
const SPEND_COLS = { day: 'i32', month: 'u8', amount: 'f64', channel: 'i32', campaign: 'i32', sales: 'u8', upload: 'i32' } as const;
const CUSTOMER_COLS = { started: 'i32', churned: 'i32', mrr: 'f64', upload: 'i32' } as const;
const TRAFFIC_COLS = { day: 'i32', sessions: 'f64', bouncedMicro: 'f64', upload: 'i32' } as const;

/** `sql_status` codes in the leads columns. */
export const SQL_STATUS = { none: 0, accepted: 1, rejected: 2, pending: 3 } as const;
/** Opportunity `status` codes. */
export const OPP_STATUS = { open: 0, won: 1, lost: 2 } as const;

export class RecordTable {
  readonly leads = new ColumnStore(LEAD_COLS);
  readonly opportunities = new ColumnStore(OPP_COLS);
  readonly spend = new ColumnStore(SPEND_COLS, 256);
  readonly customers = new ColumnStore(CUSTOMER_COLS, 256);
  readonly web_traffic = new ColumnStore(TRAFFIC_COLS, 256);
  /** Upload ids by index, in the order they were first seen (the order uploads apply in). */
  readonly uploadIds: string[] = [];
  /** Segment names (see `segmentKey`) by index: sources, channels and the values of every breakdown dimension. */
  readonly segments: string[] = [];
  /** Each segment as first written (trimmed), by index: how the scorecard shows it ("Zoë Schäfer", not "zoë schäfer"). */
  readonly segmentLabels: string[] = [];
  /**
   * Facts about every merged record, when the table holds only the rows some periods need (read from a snapshot's
   * partitions, `records/snapshot.ts`): the lead sources of all leads, and how many records each dataset has.
   */
  history?: { readonly leadSources: ReadonlySet<string>; readonly records: Readonly<Record<DatasetName, number>> };
  private readonly uploadIndex = new Map<string, number>();
  private readonly segmentIndex = new Map<string, number>();
  private readonly rawSegment = new Map<string, number>();

  /** Dates are converted to local days in `timezone` as records are added. */
  constructor(readonly timezone: string) {}

  /** Adds a record of an accepted upload; a record with the key of an earlier one replaces it. */
  add<N extends DatasetName>(dataset: N, uploadId: string, record: DatasetRecords[N]): void {
    this.put(dataset, uploadId, record, (DATASETS[dataset].keyOf as (r: DatasetRecords[N]) => string)(record));
  }

  /** Adds a record that is already merged (each one counts, whatever its key). */
  append<N extends DatasetName>(dataset: N, uploadId: string, record: DatasetRecords[N]): void {
    this.put(dataset, uploadId, record, undefined);
  }

  /** How many (merged) records a dataset has. */
  size(dataset: DatasetName): number {
    return this[dataset].size;
  }

  /** Uploads that still contribute at least one record of `dataset`, in upload order. */
  contributingUploads(dataset: DatasetName): string[] {
    const store = this[dataset];
    const live = new Uint8Array(this.uploadIds.length);
    const up = store.cols.upload;
    for (let r = 0; r < store.size; r++) live[up[r]!] = 1;
    return this.uploadIds.filter((_, i) => live[i]);
  }

  segmentId(name: string | undefined): number {
    const raw = name ?? '';
    let id = this.rawSegment.get(raw);
    if (id === undefined) {
      const key = segmentKey(raw);
      id = this.segmentIndex.get(key);
      if (id === undefined) {
        id = this.segments.length;
        this.segments.push(key);
        // A copy, not a slice of the record's text (which would keep the whole parsed line alive).
        this.segmentLabels.push(key === 'unknown' && raw.trim() === '' ? key : Buffer.from(raw.trim(), 'utf8').toString('utf8'));
        this.segmentIndex.set(key, id);
      }
      this.rawSegment.set(raw, id);
    }
    return id;
  }

  /**
   * Registers a segment and its label ahead of the records that have it: a snapshot's segments, in the order a
   * full read of the uploads first met them, so ids and labels come out as that read gives them.
   */
  registerSegment(key: string, label: string): void {
    if (this.segmentIndex.has(key)) return;
    this.segmentIndex.set(key, this.segments.length);
    this.segments.push(key);
    this.segmentLabels.push(label);
  }

  /** The index of an upload in `uploadIds`, registering it when new (so uploads can be registered in order first). */
  uploadOf(uploadId: string): number {
    let i = this.uploadIndex.get(uploadId);
    if (i === undefined) {
      i = this.uploadIds.length;
      this.uploadIds.push(uploadId);
      this.uploadIndex.set(uploadId, i);
    }
    return i;
  }

  private day(value: string | undefined): number {
    return value === undefined || value === '' ? NO_DAY : localDayNumber(value, this.timezone);
  }

  private put(dataset: DatasetName, uploadId: string, record: DatasetRecords[DatasetName], key: string | undefined): void {
    const upload = this.uploadOf(uploadId);
    switch (dataset) {
      case 'leads': {
        const l = record as LeadRecord;
        const s = this.leads;
        const r = s.row(key);
        const c = s.cols;
        c.created[r] = this.day(l.created_at);
        c.mql[r] = this.day(l.mql_at);
        c.sql[r] = this.day(l.sql_at);
        c.customer[r] = this.day(l.customer_at);
        c.source[r] = this.segmentId(l.source);
        c.campaign[r] = this.segmentId(l.campaign);
        c.status[r] = l.sql_status ? SQL_STATUS[l.sql_status] : SQL_STATUS.none;
        c.upload[r] = upload;
        return;
      }
      case 'opportunities': {
        const o = record as OpportunityRecord;
        const s = this.opportunities;
        const r = s.row(key);
        const c = s.cols;
        c.created[r] = this.day(o.created_at);
        // An open deal's close date is an expectation, not an event: only won and lost deals have closed.
        c.closed[r] = o.status === 'open' ? NO_DAY : this.day(o.closed_at);
        c.status[r] = OPP_STATUS[o.status];
        c.amount[r] = o.amount_minor;
        c.source[r] = this.segmentId(o.source);
        c.campaign[r] = this.segmentId(o.campaign);
        c.owner[r] = this.segmentId(o.owner);
        c.region[r] = this.segmentId(o.region);
        c.product[r] = this.segmentId(o.product);
        c.segment[r] = this.segmentId(o.segment);
        c.marketing[r] = o.marketing_sourced ? 1 : 0;
        c.upload[r] = upload;
        return;
      }
      case 'spend': {
        const sp = record as SpendRecord;
        const s = this.spend;
        const r = s.row(key);
        const c = s.cols;
        c.day[r] = this.day(sp.date);
        c.month[r] = sp.date.length === 7 ? 1 : 0;
        c.amount[r] = sp.amount_minor;
        c.channel[r] = this.segmentId(sp.channel);
        c.campaign[r] = this.segmentId(sp.campaign);
        c.sales[r] = sp.category === 'sales' ? 1 : 0;
        c.upload[r] = upload;
        return;
      }
      case 'customers': {
        const cu = record as CustomerRecord;
        const s = this.customers;
        const r = s.row(key);
        const c = s.cols;
        c.started[r] = this.day(cu.started_at);
        c.churned[r] = this.day(cu.churned_at);
        c.mrr[r] = cu.mrr_minor ?? -1;
        c.upload[r] = upload;
        return;
      }
      case 'web_traffic': {
        const w = record as WebTrafficRecord;
        const s = this.web_traffic;
        const r = s.row(key);
        const c = s.cols;
        c.day[r] = this.day(w.date);
        c.sessions[r] = w.sessions;
        // Bounced sessions in whole millionths: an integer sum does not depend on the order of the records (a
        // float sum does, so uploads merged in another order would give another last digit).
        c.bouncedMicro[r] = w.bounce_rate === undefined ? -1 : Math.round(w.bounce_rate * w.sessions * 1e6);
        c.upload[r] = upload;
        return;
      }
    }
  }
}
