/** `UploadLedger` over the table: one item per upload version, written once (a conditional put). */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetName } from '../domain/layout.ts';
import type { UploadIdentity, UploadLedger, UploadRecord } from '../ports/index.ts';
import { orderUploads } from '../domain/records/upload-order.ts';
import { isConditionFailure, queryAll, stripKeys } from './dynamo-table.ts';

const uploadsPk = (dataset: DatasetName): string => `UPLOADS#${dataset}`;
/**
 * The upload id (a hash of the bucket, key and version): fixed length whatever the key's, so a key of S3's
 * 1,024 bytes still makes a valid sort key. The order uploads apply in is `orderUploads`, not this key's.
 */
const uploadSk = (u: Pick<UploadIdentity, 'uploadId'>): string => `UPLOAD#${u.uploadId}`;

export class DynamoUploadLedger implements UploadLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

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
    return r.Item ? stripKeys<UploadRecord>(r.Item) : undefined;
  }

  async markOpsNotified(u: UploadIdentity): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: { pk: uploadsPk(u.dataset), sk: uploadSk(u) },
      UpdateExpression: 'SET opsNotice = :sent', ExpressionAttributeValues: { ':sent': 'sent' },
    }));
  }

  async listUploads(dataset: DatasetName): Promise<UploadRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': uploadsPk(dataset) },
      ConsistentRead: true,
    });
    return orderUploads(items.map((i) => stripKeys<UploadRecord>(i)));
  }
}
