/**
 * The sending adapters with the AWS SDK mocked (aws-sdk-client-mock): SES throttling retried with backoff, what
 * counts as a refusal (`MailNotSentError`) and what stays unknown; the send ledger's conditional claim with its
 * lease and its consistent read.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendRawEmailCommand, MessageRejected } from '@aws-sdk/client-ses';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SES_RETRY, SesMailer } from '../../lambdas/adapters/ses-mailer.ts';
import { DynamoSendLedger } from '../../lambdas/adapters/dynamo-send-ledger.ts';
import { MailNotSentError } from '../../lambdas/ports/mail-errors.ts';

const ses = mockClient(SESClient);
const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ses.reset();
  ddb.reset();
});

const throttled = () => Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });

/** A mailer whose backoff waits are recorded instead of slept, with jitter pinned to its ceiling. */
function mailer() {
  const waits: number[] = [];
  const m = new SesMailer(new SESClient({ region: 'us-east-1' }), SES_RETRY, async (ms) => void waits.push(ms), () => 0.999999);
  return { m, waits };
}

describe('SesMailer', () => {
  it('sends the raw message to the given recipients', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'abc' });
    const { m } = mailer();
    expect(await m.sendRaw(new Uint8Array([1, 2]), 'from@example.com', ['to@example.com'])).toBe('abc');
    expect(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input).toEqual({ RawMessage: { Data: new Uint8Array([1, 2]) }, Source: 'from@example.com', Destinations: ['to@example.com'] });
  });

  it('retries throttling with exponential backoff, then succeeds', async () => {
    ses.on(SendRawEmailCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'ok' });
    const { m, waits } = mailer();
    expect(await m.sendRaw(new Uint8Array(), 'f', ['t'])).toBe('ok');
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(4);
    expect(waits).toEqual([99, 199, 399]);
  });

  it('caps the backoff and gives up after the last attempt with MailNotSentError (a claim may be released)', async () => {
    ses.on(SendRawEmailCommand).rejects(throttled());
    const waits: number[] = [];
    const policy = { maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1000 };
    const capped = new SesMailer(new SESClient({ region: 'us-east-1' }), policy, async (ms) => void waits.push(ms), () => 0.999999);
    const err = await capped.sendRaw(new Uint8Array(), 'f', ['t']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailNotSentError);
    expect(err).toMatchObject({ code: 'Throttling', message: 'Throttling: Maximum sending rate exceeded. (after 7 attempts)' });
    expect(waits).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws each wait at random below its ceiling (full jitter)', async () => {
    ses.on(SendRawEmailCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ MessageId: 'ok' });
    const waits: number[] = [];
    await new SesMailer(new SESClient({ region: 'us-east-1' }), SES_RETRY, async (ms) => void waits.push(ms), () => 0.5).sendRaw(new Uint8Array(), 'f', ['t']);
    expect(waits).toEqual([50, 100]);
  });

  it('does not retry a refusal, and reports it as MailNotSentError', async () => {
    ses.on(SendRawEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } }));
    const { m, waits } = mailer();
    await expect(m.sendRaw(new Uint8Array(), 'f', ['t'])).rejects.toMatchObject({ name: 'MailNotSentError', code: 'MessageRejected' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('rethrows an error without an answer from SES as it is: SES may have the email', async () => {
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const { m } = mailer();
    const err = await m.sendRaw(new Uint8Array(), 'f', ['t']).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(MailNotSentError);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
  });
});

describe('DynamoSendLedger', () => {
  it('claims with a conditional put carrying the lease, and reports a taken claim as false', async () => {
    const l = new DynamoSendLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'table');
    ddb.on(PutCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    expect(await l.claim('2026-10', 'ceo@example.com', '2026-11-01T06:00:00Z', '2026-11-01T06:02:30Z')).toBe(true);
    expect(await l.claim('2026-10', 'ceo@example.com', '2026-11-01T06:00:00Z')).toBe(false);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'table',
      Item: { pk: 'SENDS#2026-10', sk: 'ceo@example.com', status: 'sending', claimedAt: '2026-11-01T06:00:00Z', leaseUntil: '2026-11-01T06:02:30Z' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('reads a record consistently, and nothing as undefined', async () => {
    const l = new DynamoSendLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'table');
    ddb.on(GetCommand).resolvesOnce({ Item: { pk: 'SENDS#2026-10', sk: 'a', status: 'sent', claimedAt: 'c', messageId: 'm', sentAt: 's' } }).resolves({});
    expect(await l.get('2026-10', 'a')).toEqual({ status: 'sent', claimedAt: 'c', messageId: 'm', sentAt: 's' });
    expect(await l.get('2026-10', 'b')).toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ ConsistentRead: true, Key: { pk: 'SENDS#2026-10', sk: 'a' } });
  });

  it('marks sent (dropping the lease) and releases only a claim still sending', async () => {
    const l = new DynamoSendLedger(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'table');
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).rejects(new ConditionalCheckFailedException({ message: 'sent', $metadata: {} }));
    await l.markSent('2026-10', 'a', 'm', 'at');
    await expect(l.release('2026-10', 'a')).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toBe('SET #s = :sent, messageId = :m, sentAt = :at REMOVE leaseUntil');
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({ ConditionExpression: '#s = :sending' });
  });
});
