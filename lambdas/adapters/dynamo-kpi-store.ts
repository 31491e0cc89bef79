/**
 * `KpiStore` over the table. The scorecard reads KPIs two ways, and each is one Query:
 *
 * - a period's scorecard: every KPI of the period and its summary share the partition `KPIS#<period id>` (sort
 *   key: the KPI id, `#PERIOD` for the summary), so `pk = KPIS#2026-10` returns the 24 KPI items and the summary;
 * - a KPI's trend: each KPI item also carries the keys of the global secondary index `gsi1`, partition
 *   `KPI#<kpi id>#<period type>` and sort key `<period id>`. Period ids of one type sort as text in time order
 *   (`2025-10` < `2026-09`, `2026-W09` < `2026-W10`), so `gsi1pk = KPI#leads#month AND gsi1sk BETWEEN 2025-10
 *   AND 2026-10` returns the KPI's last 13 months, oldest first. The period type is in the partition so months,
 *   quarters and weeks of one KPI never mix.
 *
 * Why an index rather than a second item per value: the value is written once (no two items to keep in step), and
 * DynamoDB maintains the index; it projects all attributes, so the history Query needs no follow-up reads. The
 * index is eventually consistent: a history read right after a recompute may, for a moment, miss the newest write.
 *
 * A KPI's breakdowns (per rep, campaign…) are items of their own in the period's partition, one per KPI and
 * dimension, sort key `<kpi id>#BY#<dimension>#<part>` (part `000`, and `001`… only when one item would pass
 * `BREAKDOWN_PART_BYTES`): a company with thousands of campaigns never makes an item pass DynamoDB's 400 KB, and the
 * KPI item stays small. The period's Query returns them with the KPIs and `getPeriod` puts them back on each KPI.
 * They carry no index keys: `getHistory` returns the values without breakdowns (the scorecard reads the periods of
 * its window with `getPeriod`, breakdowns included).
 *
 * Writing a period puts every item again under the same keys (BatchWrite, unprocessed items retried with backoff)
 * and deletes the period's items that are no longer computed, so recomputing replaces the period: the same inputs
 * give the same items, a corrected upload gives corrected ones.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_SCHEMA } from '../domain/layout.ts';
import type { PeriodType } from '../domain/settings.ts';
import type { KpiStore, PeriodSummary, StoredKpi } from '../ports/index.ts';
import type { BreakdownValue, Dimension } from '../domain/metrics/dimensions.ts';
import { batchPut, queryAll, stripKeys } from './dynamo-table.ts';

const kpisPk = (periodId: string): string => `KPIS#${periodId}`;
const historyPk = (kpiId: string, type: PeriodType): string => `KPI#${kpiId}#${type}`;
const PERIOD_SK = '#PERIOD';
const BY = '#BY#';

/**
 * Most bytes of breakdown values (keys, labels and values, as JSON) in one item: DynamoDB's limit is 400 KB per item
 * in its own encoding, which is never larger than the JSON of the same map by more than the attribute names.
 */
export const BREAKDOWN_PART_BYTES = 300_000;

/** A KPI's breakdown by one dimension, or a part of it, as stored. */
interface BreakdownItem {
  readonly kpiId: string;
  readonly dimension: Dimension;
  readonly part: number;
  readonly values: Record<string, BreakdownValue>;
  readonly labels?: Record<string, string>;
}

/** The items of one KPI's breakdowns: one per dimension, split in parts of at most `BREAKDOWN_PART_BYTES`. */
export function breakdownItems(k: StoredKpi, partBytes = BREAKDOWN_PART_BYTES): BreakdownItem[] {
  const out: BreakdownItem[] = [];
  for (const [dimension, values] of Object.entries(k.breakdowns ?? {}) as [Dimension, Record<string, BreakdownValue>][]) {
    const labels = k.breakdownLabels?.[dimension] ?? {};
    let part: { values: Record<string, BreakdownValue>; labels: Record<string, string> } = { values: {}, labels: {} };
    let bytes = 0;
    const flush = (): void => {
      out.push({ kpiId: k.id, dimension, part: out.filter((i) => i.dimension === dimension).length, values: part.values, ...(Object.keys(part.labels).length ? { labels: part.labels } : {}) });
      part = { values: {}, labels: {} };
      bytes = 0;
    };
    for (const [key, v] of Object.entries(values)) {
      const label = labels[key];
      const size = Buffer.byteLength(key) * (label === undefined ? 1 : 2) + Buffer.byteLength(JSON.stringify(v)) + (label === undefined ? 0 : Buffer.byteLength(label)) + 16;
      if (bytes > 0 && bytes + size > partBytes) flush();
      part.values[key] = v;
      if (label !== undefined) part.labels[key] = label;
      bytes += size;
    }
    flush();
  }
  return out;
}

const breakdownSk = (i: BreakdownItem): string => `${i.kpiId}${BY}${i.dimension}#${String(i.part).padStart(3, '0')}`;

/** The KPIs of a period's items with their breakdown items put back on them (parts in sort-key order). */
function withBreakdowns(kpis: StoredKpi[], parts: readonly BreakdownItem[]): StoredKpi[] {
  const byKpi = new Map<string, BreakdownItem[]>();
  for (const p of parts) byKpi.set(p.kpiId, [...(byKpi.get(p.kpiId) ?? []), p]);
  return kpis.map((k) => {
    const mine = byKpi.get(k.id);
    if (!mine) return k;
    const breakdowns: Partial<Record<Dimension, Record<string, BreakdownValue>>> = {};
    const labels: Partial<Record<Dimension, Record<string, string>>> = {};
    for (const p of mine) {
      breakdowns[p.dimension] = { ...breakdowns[p.dimension], ...p.values };
      if (p.labels) labels[p.dimension] = { ...labels[p.dimension], ...p.labels };
    }
    return { ...k, breakdowns, ...(Object.keys(labels).length ? { breakdownLabels: labels } : {}) };
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DynamoKpiStore implements KpiStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** The items `putPeriod` writes for a period, keys included (exported for tests of idempotency). */
  static items(summary: PeriodSummary, kpis: readonly StoredKpi[]): Record<string, unknown>[] {
    const { partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
    return [
      { pk: kpisPk(summary.periodId), sk: PERIOD_SK, ...summary },
      ...kpis.map((k) => {
        const { breakdowns: _b, breakdownLabels: _l, ...value } = k;
        return { pk: kpisPk(k.periodId), sk: k.id, [partitionKey]: historyPk(k.id, k.periodType), [sortKey]: k.periodId, ...value };
      }),
      ...kpis.flatMap((k) => breakdownItems(k).map((b) => ({ pk: kpisPk(k.periodId), sk: breakdownSk(b), ...b }))),
    ];
  }

  async putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void> {
    const items = DynamoKpiStore.items(summary, kpis);
    const existing = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': kpisPk(summary.periodId) },
      ProjectionExpression: 'pk, sk',
    });
    await batchPut(this.db, this.table, items);
    const written = new Set(items.map((i) => i.sk));
    const stale = existing.filter((i) => !written.has(i.sk as string)).map((i) => ({ pk: i.pk, sk: i.sk }));
    if (stale.length) await this.batchDelete(stale);
  }

  async getPeriod(periodId: string): Promise<{ summary?: PeriodSummary; kpis: StoredKpi[] }> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': kpisPk(periodId) },
    });
    const summaryItem = items.find((i) => i.sk === PERIOD_SK);
    const isBreakdown = (i: Record<string, unknown>): boolean => (i.sk as string).includes(BY);
    return {
      ...(summaryItem ? { summary: stripKeys<PeriodSummary>(summaryItem) } : {}),
      kpis: withBreakdowns(
        items.filter((i) => i.sk !== PERIOD_SK && !isBreakdown(i)).map((i) => stripKeys<StoredKpi>(i)),
        items.filter(isBreakdown).map((i) => stripKeys<BreakdownItem>(i)),
      ),
    };
  }

  async getHistory(kpiId: string, periodType: PeriodType, fromId: string, toId: string): Promise<StoredKpi[]> {
    const { name, partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
    const items = await queryAll(this.db, {
      TableName: this.table, IndexName: name,
      KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#p': partitionKey, '#s': sortKey },
      ExpressionAttributeValues: { ':p': historyPk(kpiId, periodType), ':from': fromId, ':to': toId },
    });
    return items.map((i) => stripKeys<StoredKpi>(i));
  }

  /** Deletes by key in batches of 25, retrying unprocessed requests with exponential backoff and jitter. */
  private async batchDelete(keys: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} deletes unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const r = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (r.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }
}
