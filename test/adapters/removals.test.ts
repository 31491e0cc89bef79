/**
 * The retraction, misplaced-upload and missing-records paths with the AWS SDK mocked (aws-sdk-client-mock): the
 * calls each handler makes and how it reads S3's answers (NoSuchKey is "missing", AccessDenied and throttling are
 * failures), and every such call checked against the IAM actions its function is granted (lib/permissions.ts).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { S3Event } from 'aws-lambda';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { handler as notifyMisplaced, type ObjectCreatedEvent } from '../../lambdas/handlers/notify-misplaced-upload.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { isNotFound } from '../../lambdas/ports/index.ts';
import { FUNCTION_ACCESS, grantedActions, iamActionsOf, type FunctionAccess } from '../../lib/permissions.ts';
import { s3Event } from '../helpers/events.ts';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

process.env.SCORECARD_BUCKET = 'exports-bucket';
process.env.SCORECARD_TABLE = 'scorecard-table';

beforeEach(() => {
  s3.reset();
  ddb.reset();
  ses.reset();
  vi.unstubAllEnvs();
});

/** An S3 error as the SDK throws it. */
const s3Error = (name: string, status: number): Error => Object.assign(new Error(name), { name, $fault: 'client', $metadata: { httpStatusCode: status } });

/** The ObjectRemoved event S3 sends for `key` (a delete marker by default). */
function removalEvent(key: string, eventName = 'ObjectRemoved:DeleteMarkerCreated', versionId = 'marker'): S3Event {
  const [record] = s3Event(key, versionId).Records;
  // A removal event carries no size or ETag, which the aws-lambda type requires: left out, hence the cast.
  const object = { key, versionId, sequencer: '0A' } as S3Event['Records'][number]['s3']['object'];
  return { Records: [{ ...record!, eventName, s3: { ...record!.s3, object } }] };
}

const ACCEPTED = {
  pk: 'UPLOADS#leads', sk: 'UPLOAD#u1', uploadId: 'u1', dataset: 'leads', bucket: 'exports-bucket', key: 'incoming/leads/a.csv',
  versionId: 'v1', uploadedAt: '2026-11-01T00:00:00.000Z', sequencer: '01', status: 'accepted', rows: 2, acceptedRows: 2,
  recordsKey: 'accepted/leads/u1.jsonl.gz', reportKey: 'reports/leads/u1.json', errorCounts: {}, warningCounts: {},
  processedAt: '2026-11-01T00:00:01.000Z',
};

function actionsCalled(): string[] {
  return [...s3.calls(), ...ddb.calls(), ...ses.calls()].flatMap((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    const actions = iamActionsOf(command.constructor.name, command.input);
    return command.input.IndexName ? actions.map((a) => `index:${a}`) : actions;
  });
}

function expectGranted(access: FunctionAccess): void {
  const called = [...new Set(actionsCalled())].sort();
  expect(called.length).toBeGreaterThan(0);
  expect(called.filter((a) => !grantedActions(access).has(a)), 'called but not granted in lib/permissions.ts').toEqual([]);
}

describe('validate-upload on a removal', () => {
  it('records the removal, retracts the key\'s accepted uploads conditionally, emails ops, marks the notice sent', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(QueryCommand, { KeyConditionExpression: 'pk = :pk' }).resolves({ Items: [ACCEPTED, { ...ACCEPTED, uploadId: 'u2', key: 'incoming/leads/b.csv' }] });
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });

    expect(await validateUpload(removalEvent('incoming/leads/a.csv'))).toEqual({ outcomes: ['retracted'] });

    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'REMOVALS#leads', key: 'incoming/leads/a.csv', scope: 'key', sequencer: '0A' }, ConditionExpression: 'attribute_not_exists(pk)',
    });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([
      expect.objectContaining({ Key: { pk: 'UPLOADS#leads', sk: 'UPLOAD#u1' }, ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(retractedAt)' }),
      expect.objectContaining({ Key: { pk: 'UPLOADS#leads', sk: 'UPLOAD#u1' }, UpdateExpression: 'SET retractionNotice = :sent' }),
    ]);
    expect(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.Destinations).toEqual(['ops@example.com']);
    expectGranted(FUNCTION_ACCESS.validateUpload);
  });

  it('changes nothing for a redelivered removal: the conditional update fails, no email', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(QueryCommand).resolves({ Items: [ACCEPTED] });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'retracted', $metadata: {} }));
    expect(await validateUpload(removalEvent('incoming/leads/a.csv'))).toEqual({ outcomes: ['nothing-retracted'] });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('after a validation, looks for a removal recorded while it ran (every call granted)', async () => {
    s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 80, VersionId: 'v1' });
    ddb.on(GetCommand).resolves({ Item: ACCEPTED });
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'REMOVALS#leads', sk: 'x', dataset: 'leads', key: 'incoming/leads/a.csv', scope: 'key', sequencer: '0B', recordedAt: 't' }] });
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });
    expect(await validateUpload(s3Event('incoming/leads/a.csv'))).toEqual({ outcomes: ['duplicate'] });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)', ConsistentRead: true });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expectGranted(FUNCTION_ACCESS.validateUpload);
  });
});

describe('notify-misplaced-upload', () => {
  const event = (key: string): ObjectCreatedEvent => ({
    'version': '0', 'id': 'e1', 'detail-type': 'Object Created', 'source': 'aws.s3', 'account': '123456789012',
    'time': '2026-11-01T00:00:00Z', 'region': 'eu-west-1', 'resources': ['arn:aws:s3:::exports-bucket'],
    'detail': { version: '0', bucket: { name: 'exports-bucket' }, object: { key, size: 10, etag: 'e', 'version-id': 'v1', sequencer: '01' }, reason: 'PutObject' },
  });

  it('claims the notice, emails ops, marks it sent; reads the key as it comes (EventBridge does not URL-encode it)', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });
    expect(await notifyMisplaced(event('incoming/Leads/oct export+1.csv'))).toMatchObject({ outcome: 'notified', suggestedKey: 'incoming/leads/oct export+1.csv' });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      Item: { pk: 'NOTICES#misplaced-upload', key: 'incoming/Leads/oct export+1.csv', versionId: 'v1', notice: 'pending' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toBe('SET notice = :sent, sentAt = :at');
    expect(s3.calls()).toHaveLength(0);

    // Delivered again, the notice already sent: read back, nothing sent.
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { pk: 'NOTICES#misplaced-upload', sk: 'x', id: 'x', notice: 'sent' } });
    expect(await notifyMisplaced(event('incoming/Leads/oct export+1.csv'))).toMatchObject({ outcome: 'duplicate' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expectGranted(FUNCTION_ACCESS.notifyMisplacedUpload);
  });

  it('does nothing at all for a key in a dataset folder', async () => {
    expect(await notifyMisplaced(event('incoming/leads/oct.csv'))).toMatchObject({ outcome: 'ignored' });
    expect([...s3.calls(), ...ddb.calls(), ...ses.calls()]).toHaveLength(0);
  });
});

describe('compute-kpis and a records file S3 cannot find', () => {
  const listsOneUpload = (): void => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'UPLOADS#leads' } }).resolves({ Items: [ACCEPTED] });
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  };
  const summaryWritten = (): Record<string, unknown> | undefined => ddb.commandCalls(BatchWriteCommand)
    .flatMap((c) => c.args[0].input.RequestItems!['scorecard-table']!)
    .map((w) => (w as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item)
    .find((i) => i.sk === '#PERIOD');

  it('NoSuchKey: the run succeeds without the upload and the summary names it (every call granted)', async () => {
    listsOneUpload();
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    expect(await computeKpis({ from: '2026-10', to: '2026-10' })).toEqual({ period: '2026-10', computed: ['2026-10'] });
    expect(summaryWritten()?.unreadableUploads).toEqual([expect.objectContaining({ key: 'incoming/leads/a.csv', recordsKey: 'accepted/leads/u1.jsonl.gz' })]);
    expectGranted(FUNCTION_ACCESS.computeKpis);
  });

  it.each([
    ['AccessDenied', 403, 'a broken grant is no missing file'],
    ['SlowDown', 503, 'throttling outlived the retries'],
  ])('%s fails the run (%s), so Lambda retries it', async (name, status) => {
    listsOneUpload();
    s3.on(GetObjectCommand).rejects(s3Error(name, status));
    await expect(computeKpis({ from: '2026-10', to: '2026-10' })).rejects.toThrow(name);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});

describe('S3ObjectStore', () => {
  it('reports NoSuchKey, a HEAD 404 and NoSuchVersion as NotFoundError, and nothing else', async () => {
    const store = new S3ObjectStore(new S3Client({ region: 'eu-west-1' }));
    const records = async () => { for await (const r of store.readRecords('b', 'accepted/leads/x.jsonl.gz')) void r; };
    s3.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    await expect(records()).rejects.toSatisfy(isNotFound);
    await expect(store.readJson('b', 'reports/x.json')).rejects.toSatisfy(isNotFound);
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    await expect(store.head({ bucket: 'b', key: 'incoming/leads/x.csv' })).rejects.toSatisfy(isNotFound);
    s3.on(HeadObjectCommand).rejects(s3Error('NoSuchVersion', 404));
    await expect(store.head({ bucket: 'b', key: 'incoming/leads/x.csv', versionId: 'v9' })).rejects.toSatisfy(isNotFound);
    for (const [name, status] of [['AccessDenied', 403], ['NoSuchBucket', 404], ['InternalError', 500]] as const) {
      s3.on(GetObjectCommand).rejects(s3Error(name, status));
      await expect(records()).rejects.toSatisfy((e: unknown) => !isNotFound(e) && (e as Error).name === name);
    }
  });
});
