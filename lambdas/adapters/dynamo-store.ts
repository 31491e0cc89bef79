/**
 * The table, as three ports: the upload ledger, the KPI store and the send ledger. Key layout is in
 * `domain/layout.ts` (TABLE_SCHEMA).
 */
import {
  BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand,
  type DynamoDBDocumentClient, type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA, type DatasetName } from '../domain/layout.ts';
import type { PeriodType } from '../domain/settings.ts';
import type {
  KpiStore, PeriodSummary, SendLedger, StoredKpi, UploadIdentity, UploadLedger, UploadRecord,
} from '../ports/index.ts';

const uploadsPk = (dataset: DatasetName): string => `UPLOADS#${dataset}`;
/** Upload time first (uploads apply in that order); the key breaks ties within S3's one-second resolution. */
const uploadSk = (u: UploadIdentity): string => `${u.uploadedAt}#${u.key}#${u.uploadId}`;
const kpisPk = (periodId: string): string => `KPIS#${periodId}`;
const historyPk = (kpiId: string, type: PeriodType): string => `KPI#${kpiId}#${type}`;
const PERIOD_SK = '#PERIOD';
const sendPk = (periodId: string): string => `SENDS#${periodId}`;

const isConditionFailure = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DynamoStore implements UploadLedger, KpiStore, SendLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  // ---- upload ledger ----

  async recordUpload(u: UploadRecord): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { pk: uploadsPk(u.dataset), sk: uploadSk(u), ...u },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async findUpload(u: UploadIdentity): Promise<UploadRecord | undefined> {
    const r = await this.db.send(new GetCommand({
      TableName: this.table, Key: { pk: uploadsPk(u.dataset), sk: uploadSk(u) }, ConsistentRead: true,
    }));
    return r.Item ? strip<UploadRecord>(r.Item) : undefined;
  }

  async listUploads(dataset: DatasetName): Promise<UploadRecord[]> {
    const items = await this.queryAll({
      TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': uploadsPk(dataset) },
      ConsistentRead: true,
    });
    return items.map((i) => strip<UploadRecord>(i));
  }

  // ---- KPI store ----

  async putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void> {
    const items = [
      { pk: kpisPk(summary.periodId), sk: PERIOD_SK, ...summary },
      ...kpis.map((k) => ({
        pk: kpisPk(k.periodId), sk: k.id,
        [TABLE_SCHEMA.kpiHistoryIndex.partitionKey]: historyPk(k.id, k.periodType),
        [TABLE_SCHEMA.kpiHistoryIndex.sortKey]: k.periodId,
        ...k,
      })),
    ];
    await this.batchPut(items);
  }

  async getPeriod(periodId: string): Promise<{ summary?: PeriodSummary; kpis: StoredKpi[] }> {
    const items = await this.queryAll({
      TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': kpisPk(periodId) },
    });
    const summaryItem = items.find((i) => i.sk === PERIOD_SK);
    return {
      ...(summaryItem ? { summary: strip<PeriodSummary>(summaryItem) } : {}),
      kpis: items.filter((i) => i.sk !== PERIOD_SK).map((i) => strip<StoredKpi>(i)),
    };
  }

  async getHistory(kpiId: string, periodType: PeriodType, fromId: string, toId: string): Promise<StoredKpi[]> {
    const { name, partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
    const items = await this.queryAll({
      TableName: this.table, IndexName: name,
      KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#p': partitionKey, '#s': sortKey },
      ExpressionAttributeValues: { ':p': historyPk(kpiId, periodType), ':from': fromId, ':to': toId },
    });
    return items.map((i) => strip<StoredKpi>(i));
  }

  // ---- send ledger ----

  async claim(periodId: string, recipient: string, at: string): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { pk: sendPk(periodId), sk: recipient, status: 'sending', claimedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async markSent(periodId: string, recipient: string, messageId: string, at: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: { pk: sendPk(periodId), sk: recipient },
      UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :at',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId, ':at': at },
    }));
  }

  async release(periodId: string, recipient: string): Promise<void> {
    await this.db.send(new DeleteCommand({
      TableName: this.table, Key: { pk: sendPk(periodId), sk: recipient },
      ConditionExpression: '#s = :sending', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':sending': 'sending' },
    })).catch((e: unknown) => { if (!isConditionFailure(e)) throw e; });
  }

  // ---- helpers ----

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      out.push(...((r.Items ?? []) as Record<string, unknown>[]));
      start = r.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return out;
  }

  /** BatchWrite in chunks of 25, retrying unprocessed items with exponential backoff. */
  private async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} items unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const r = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (r.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }
}

/** Drops the table's key attributes from an item. */
function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}
