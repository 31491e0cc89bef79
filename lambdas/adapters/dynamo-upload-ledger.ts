/**
 * `UploadLedger` over the table: one item per upload version, written once (a conditional put); the removals of
 * incoming keys beside them; and the notices about misplaced uploads (`MisplacedNoticeLedger`).
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetName } from '../domain/layout.ts';
import type { MisplacedNoticeLedger, MisplacedUploadNotice, UploadIdentity, UploadLedger, UploadRecord, UploadRemoval } from '../ports/index.ts';
import { orderUploads } from '../domain/records/upload-order.ts';
import { sortRemovals } from '../domain/upload-notices.ts';
import { isConditionFailure, queryAll, stripKeys } from './dynamo-table.ts';

const uploadsPk = (dataset: DatasetName): string => `UPLOADS#${dataset}`;
/**
 * The upload id (a hash of the bucket, key and version): fixed length whatever the key's, so a key of S3's
 * 1,024 bytes still makes a valid sort key. The order uploads apply in is `orderUploads`, not this key's.
 */
const uploadSk = (u: Pick<UploadIdentity, 'uploadId'>): string => `UPLOAD#${u.uploadId}`;

const hash = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
/** Removals of a dataset's keys: their own partition, so listing uploads never reads them. */
const removalsPk = (dataset: DatasetName): string => `REMOVALS#${dataset}`;
/** The key's hash (fixed length, whatever the key's), then the removal's: one Query by prefix lists a key's removals. */
const removalSkPrefix = (key: string): string => `${hash(key)}#`;
const removalSk = (r: UploadRemoval): string =>
  `${removalSkPrefix(r.key)}${hash(r.scope, r.versionId ?? '', r.sequencer ?? '', r.eventTime ?? '')}`;
const NOTICES_PK = 'NOTICES#misplaced-upload';

export class DynamoUploadLedger implements UploadLedger, MisplacedNoticeLedger {
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

  async markRetracted(u: UploadIdentity, at: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: { pk: uploadsPk(u.dataset), sk: uploadSk(u) },
        UpdateExpression: 'SET retractedAt = :at, retractionNotice = :pending',
        // Never creates an item, and the first retraction's time stays.
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(retractedAt)',
        ExpressionAttributeValues: { ':at': at, ':pending': 'pending' },
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async markRetractionNotified(u: UploadIdentity): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: { pk: uploadsPk(u.dataset), sk: uploadSk(u) },
      UpdateExpression: 'SET retractionNotice = :sent', ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sent': 'sent' },
    })).catch((e: unknown) => { if (!isConditionFailure(e)) throw e; });
  }

  async recordRemoval(r: UploadRemoval): Promise<void> {
    await this.db.send(new PutCommand({
      TableName: this.table,
      Item: { pk: removalsPk(r.dataset), sk: removalSk(r), ...r },
      ConditionExpression: 'attribute_not_exists(pk)', // the same removal again: the first record stays
    })).catch((e: unknown) => { if (!isConditionFailure(e)) throw e; });
  }

  async listRemovals(dataset: DatasetName, key: string): Promise<UploadRemoval[]> {
    const items = await queryAll(this.db, {
      TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
      ExpressionAttributeValues: { ':pk': removalsPk(dataset), ':key': removalSkPrefix(key) }, ConsistentRead: true,
    });
    return sortRemovals(items.map((i) => stripKeys<UploadRemoval>(i)).filter((r) => r.key === key));
  }

  async claimMisplacedNotice(n: MisplacedUploadNotice): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table, Item: { pk: NOTICES_PK, sk: n.id, ...n }, ConditionExpression: 'attribute_not_exists(pk)',
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async findMisplacedNotice(id: string): Promise<MisplacedUploadNotice | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: NOTICES_PK, sk: id }, ConsistentRead: true }));
    return r.Item ? stripKeys<MisplacedUploadNotice>(r.Item) : undefined;
  }

  async markMisplacedNotified(id: string, at: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: { pk: NOTICES_PK, sk: id },
      UpdateExpression: 'SET notice = :sent, sentAt = :at', ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sent': 'sent', ':at': at },
    })).catch((e: unknown) => { if (!isConditionFailure(e)) throw e; });
  }

  async leaseMisplacedNotice(id: string, from: string | undefined, to: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.table, Key: { pk: NOTICES_PK, sk: id }, UpdateExpression: 'SET leaseUntil = :to',
        ConditionExpression: `notice = :pending AND ${from === undefined ? 'attribute_not_exists(leaseUntil)' : 'leaseUntil = :from'}`,
        ExpressionAttributeValues: { ':to': to, ':pending': 'pending', ...(from === undefined ? {} : { ':from': from }) },
      }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
