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
 * Writing a period puts every item again under the same keys (BatchWrite, unprocessed items retried with backoff)
 * and deletes the period's items that are no longer computed, so recomputing replaces the period: the same inputs
 * give the same items, a corrected upload gives corrected ones.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_SCHEMA } from '../domain/layout.ts';
import type { PeriodType } from '../domain/settings.ts';
import type { KpiStore, PeriodSummary, StoredKpi } from '../ports/index.ts';
import { batchPut, queryAll, stripKeys } from './dynamo-table.ts';

const kpisPk = (periodId: string): string => `KPIS#${periodId}`;
const historyPk = (kpiId: string, type: PeriodType): string => `KPI#${kpiId}#${type}`;
const PERIOD_SK = '#PERIOD';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DynamoKpiStore implements KpiStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  /** The items `putPeriod` writes for a period, keys included (exported for tests of idempotency). */
  static items(summary: PeriodSummary, kpis: readonly StoredKpi[]): Record<string, unknown>[] {
    const { partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
    return [
      { pk: kpisPk(summary.periodId), sk: PERIOD_SK, ...summary },
      ...kpis.map((k) => ({ pk: kpisPk(k.periodId), sk: k.id, [partitionKey]: historyPk(k.id, k.periodType), [sortKey]: k.periodId, ...k })),
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
    return {
      ...(summaryItem ? { summary: stripKeys<PeriodSummary>(summaryItem) } : {}),
      kpis: items.filter((i) => i.sk !== PERIOD_SK).map((i) => stripKeys<StoredKpi>(i)),
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
