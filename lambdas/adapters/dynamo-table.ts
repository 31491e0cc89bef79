/** Shared DynamoDB plumbing for the table's adapters: paging, batched writes with backoff, key stripping. */
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../domain/layout.ts';

export const isConditionFailure = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    out.push(...((r.Items ?? []) as Record<string, unknown>[]));
    start = r.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return out;
}

/** BatchWrite in chunks of 25, retrying unprocessed items with exponential backoff and jitter. */
export async function batchPut(db: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} items unprocessed after ${attempt} attempts`);
      if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (r.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

/** Drops the table's key attributes from an item. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const rest: Record<string, unknown> = { ...item };
  for (const k of [TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey, TABLE_SCHEMA.kpiHistoryIndex.partitionKey, TABLE_SCHEMA.kpiHistoryIndex.sortKey]) delete rest[k];
  return rest as T;
}
