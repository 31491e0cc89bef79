/**
 * The snapshots' AWS adapters with the SDK mocked: the calls they make (ranged GETs, a conditional put of the
 * pointer), a missing object as the port's NotFoundError, a lost race as `false`, and every call granted to the KPI
 * function in lib/permissions.ts.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { S3SnapshotBlobs } from '../../lambdas/adapters/s3-snapshot-blobs.ts';
import { DynamoSnapshotPointers } from '../../lambdas/adapters/dynamo-snapshot-pointers.ts';
import { isNotFound } from '../../lambdas/ports/index.ts';
import { FUNCTION_ACCESS, grantedActions, iamActionsOf } from '../../lib/permissions.ts';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
afterAll(() => { s3.restore(); ddb.restore(); });
beforeEach(() => { s3.reset(); ddb.reset(); });

const blobs = new S3SnapshotBlobs(new S3Client({ region: 'eu-west-1' }), 'bucket');
const pointers = new DynamoSnapshotPointers(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table');

function granted(): string[] {
  const calls = [...s3.calls(), ...ddb.calls()];
  const actions = calls.flatMap((c) => {
    const command = c.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    return iamActionsOf(command.constructor.name, command.input);
  });
  const allowed = grantedActions(FUNCTION_ACCESS.computeKpis);
  return [...new Set(actions)].filter((a) => !allowed.has(a));
}

describe('the S3 snapshot objects', () => {
  it('reads a byte range, lists by prefix across pages, deletes in batches, and only as the KPI function may', async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10 });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([Buffer.from('abc')]) }));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'snapshots/leads/a', LastModified: new Date('2026-01-01T00:00:00Z') }], IsTruncated: true, NextContinuationToken: 't' })
      .resolvesOnce({ Contents: [{ Key: 'snapshots/leads/b', LastModified: new Date('2026-01-02T00:00:00Z') }] });
    s3.on(DeleteObjectsCommand).resolves({});

    await blobs.put('snapshots/leads/a', new Uint8Array([1]));
    expect(await blobs.size('snapshots/leads/a')).toBe(10);
    expect(Buffer.from(await blobs.read('snapshots/leads/a', 4, 7)).toString()).toBe('abc');
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'bucket', Key: 'snapshots/leads/a', Range: 'bytes=4-6' });
    expect(blobs.bytesRead).toBe(3);
    expect(await blobs.list('snapshots/leads/')).toEqual([
      { key: 'snapshots/leads/a', lastModified: '2026-01-01T00:00:00.000Z' }, { key: 'snapshots/leads/b', lastModified: '2026-01-02T00:00:00.000Z' },
    ]);
    await blobs.delete(Array.from({ length: 1500 }, (_, i) => `snapshots/leads/${i}`));
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects!.length)).toEqual([1000, 500]);
    expect(granted()).toEqual([]);
  });

  it('reports a missing object as NotFoundError', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('not found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    await expect(blobs.size('snapshots/leads/x')).rejects.toSatisfy(isNotFound);
  });
});

describe('the DynamoDB pointer', () => {
  it('is read consistently and switched only from the version read (a first one only if there is none)', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'SNAPSHOT#leads', sk: '#POINTER', version: 3, manifest: 'm3' } });
    ddb.on(PutCommand).resolves({});
    expect(await pointers.get('leads')).toEqual({ version: 3, manifest: 'm3' });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'SNAPSHOT#leads', sk: '#POINTER' }, ConsistentRead: true });
    expect(await pointers.swap('leads', 3, { version: 4, manifest: 'm4' })).toBe(true);
    expect(await pointers.swap('spend', 0, { version: 1, manifest: 's1' })).toBe(true);
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts[0]).toMatchObject({ ConditionExpression: '#v = :expected', ExpressionAttributeValues: { ':expected': 3 }, Item: { version: 4, manifest: 'm4' } });
    expect(puts[1]).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)', Item: { pk: 'SNAPSHOT#spend', version: 1 } });
    expect(granted()).toEqual([]);
  });

  it('says false when another run switched first', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    expect(await pointers.swap('leads', 3, { version: 4, manifest: 'm4' })).toBe(false);
  });
});
