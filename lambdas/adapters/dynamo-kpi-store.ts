/**
 * `KpiStore` over the table. A period's KPIs share a partition (one Query returns the whole scorecard); each
 * item also carries the GSI keys `KPI#<id>#<period type>` / `<period id>`, so one Query on the index returns
 * a KPI's history. Writing a period again overwrites the same keys: recomputing is idempotent.
 */
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_SCHEMA } from '../domain/layout.ts';
import type { PeriodType } from '../domain/settings.ts';
import type { KpiStore, PeriodSummary, StoredKpi } from '../ports/index.ts';
import { batchPut, queryAll, stripKeys } from './dynamo-table.ts';

const kpisPk = (periodId: string): string => `KPIS#${periodId}`;
const historyPk = (kpiId: string, type: PeriodType): string => `KPI#${kpiId}#${type}`;
const PERIOD_SK = '#PERIOD';

export class DynamoKpiStore implements KpiStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void> {
    const { partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
    await batchPut(this.db, this.table, [
      { pk: kpisPk(summary.periodId), sk: PERIOD_SK, ...summary },
      ...kpis.map((k) => ({ pk: kpisPk(k.periodId), sk: k.id, [partitionKey]: historyPk(k.id, k.periodType), [sortKey]: k.periodId, ...k })),
    ]);
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
}
