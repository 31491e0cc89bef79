/**
 * The snapshots' manifest pointers in the table: one item per dataset, pk `SNAPSHOT#<dataset>`, sk `#POINTER`,
 * with the manifest's key and a version number. A run switches it with a conditional put (the version must still
 * be the one it read), so of two runs that fold the same uploads only one manifest wins and the other starts over.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetName } from '../domain/layout.ts';
import type { SnapshotPointer, SnapshotPointers } from '../ports/snapshots.ts';
import { isConditionFailure } from './dynamo-table.ts';

const key = (dataset: DatasetName): { pk: string; sk: string } => ({ pk: `SNAPSHOT#${dataset}`, sk: '#POINTER' });

export class DynamoSnapshotPointers implements SnapshotPointers {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async get(dataset: DatasetName): Promise<SnapshotPointer | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: key(dataset), ConsistentRead: true }));
    if (!r?.Item) return undefined;
    return { version: Number(r.Item.version), manifest: String(r.Item.manifest) };
  }

  async swap(dataset: DatasetName, expected: number, next: SnapshotPointer): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { ...key(dataset), version: next.version, manifest: next.manifest },
        ...(expected === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expected } }),
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
