/**
 * `ObjectStore.listKeys` over the S3 API of the local stand-in: every page of a listing (S3 gives a thousand keys a
 * page), only the prefix asked for, and no deleted object. The KPI run uses it to notice records files deleted by
 * hand with one request per thousand uploads instead of one per upload. (s3rver's continuation tokens need DES,
 * which Node's OpenSSL 3 lacks: the stand-in lets them through, `letS3rverPaginate` in lambdas/local/stand-ins.ts.)
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('S3ObjectStore.listKeys on the S3 stand-in', () => {
  it('lists every key under a prefix across pages, and none outside it or deleted', async () => {
    const { s3 } = stack.clients;
    const Bucket = stack.standIns.bucket;
    const keys = Array.from({ length: 1_005 }, (_, i) => `accepted/listing/u${String(i).padStart(4, '0')}.jsonl.gz`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x' }))));
    }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'accepted/listing-other/u1.jsonl.gz', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: keys[500] }));
    const listed = await new S3ObjectStore(s3).listKeys(Bucket, 'accepted/listing/');
    expect(listed.sort()).toEqual(keys.filter((_, i) => i !== 500));
    expect(await new S3ObjectStore(s3).listKeys(Bucket, 'accepted/none/')).toEqual([]);
  }, 60_000);
});
