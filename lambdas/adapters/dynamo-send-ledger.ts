/**
 * `SendLedger` over the table: one item per period and recipient, claimed with a conditional put before the
 * email goes out, so a retried invocation never emails anyone twice.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendLedger, SendRecord } from '../ports/index.ts';
import { isConditionFailure } from './dynamo-table.ts';

const sendPk = (periodId: string): string => `SENDS#${periodId}`;

export class DynamoSendLedger implements SendLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async claim(periodId: string, recipient: string, at: string, leaseUntil?: string): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table,
        Item: { pk: sendPk(periodId), sk: recipient, status: 'sending', claimedAt: at, ...(leaseUntil ? { leaseUntil } : {}) },
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
      UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :at REMOVE leaseUntil',
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

  async get(periodId: string, recipient: string): Promise<SendRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: sendPk(periodId), sk: recipient }, ConsistentRead: true }));
    const item = r?.Item;
    if (!item) return undefined;
    return {
      status: item.status === 'sent' ? 'sent' : 'sending',
      claimedAt: String(item.claimedAt ?? ''),
      ...(typeof item.leaseUntil === 'string' ? { leaseUntil: item.leaseUntil } : {}),
      ...(typeof item.messageId === 'string' ? { messageId: item.messageId } : {}),
      ...(typeof item.sentAt === 'string' ? { sentAt: item.sentAt } : {}),
    };
  }
}
