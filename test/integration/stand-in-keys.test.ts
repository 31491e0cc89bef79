/**
 * The local S3 stand-in stores a key as a file path (s3rver): a key with a `..` segment, sent with the AWS SDK
 * to its endpoint, must be refused and write nothing outside the bucket's folder, let alone the stand-in's.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsafeObjectPath } from '../../lambdas/local/stand-ins.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Every file under `dir`, relative to it. */
const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

describe('the local S3 stand-in and keys that climb out of its folder', () => {
  it.each([
    'incoming/leads/../../../tmp/x.csv', // lands beside the bucket, inside the stand-in's folder
    `incoming/leads/../../../../smarketing-escape-${process.pid}.csv`, // lands beside the stand-in's folder
    'incoming/./leads/x.csv',
  ])('refuses %s with a clear error and writes no file for it', async (key) => {
    const { s3 } = stack.clients;
    const dir = stack.standIns.directory;
    const before = await filesUnder(dir);
    const events = stack.events.length;
    await expect(s3.send(new PutObjectCommand({ Bucket: stack.standIns.bucket, Key: key, Body: 'Record ID\n1\n' })))
      .rejects.toThrow(/local S3 stand-in refuses the object key .*segment/);
    expect(await filesUnder(dir)).toEqual(before);
    expect(existsSync(join(dirname(dir), `smarketing-escape-${process.pid}.csv._S3rver_object`))).toBe(false);
    expect(stack.events.length).toBe(events); // no event either
  });

  it('refuses reading one and copying from one, and keeps serving ordinary keys, dots and all', async () => {
    const { s3 } = stack.clients;
    const Bucket = stack.standIns.bucket;
    await stack.put('incoming/leads/v1..2 export.csv', 'a');
    await stack.put('incoming/leads/%2E%2E/x.csv', 'b'); // a folder literally named "%2E%2E"
    expect(await stack.getText('incoming/leads/%2E%2E/x.csv')).toBe('b');
    expect(await stack.getText('incoming/leads/v1..2 export.csv')).toBe('a');
    await expect(s3.send(new GetObjectCommand({ Bucket, Key: 'incoming/leads/../leads/v1..2 export.csv' }))).rejects.toThrow(/refuses/);
    await expect(s3.send(new CopyObjectCommand({ Bucket, Key: 'incoming/leads/copy.csv', CopySource: `${Bucket}/incoming/../../x` })))
      .rejects.toThrow(/refuses/);
  });

  it('tells what is wrong with a path', () => {
    expect(unsafeObjectPath('/b/incoming/leads/x.csv')).toBeUndefined();
    expect(unsafeObjectPath('/b/incoming/leads/..x/y..')).toBeUndefined();
    expect(unsafeObjectPath('/b/incoming/leads/../x')).toBe('it has a ".." segment');
    expect(unsafeObjectPath('/b/incoming/leads/a%2F..%2Fx')).toBe('it has a ".." segment');
    expect(unsafeObjectPath('/b/incoming/leads/%2E%2E/x')).toBe('it has a ".." segment');
    expect(unsafeObjectPath('/b/incoming/leads/%252E%252E/x')).toBeUndefined(); // the key "%2E%2E": a plain name
    expect(unsafeObjectPath('/b/incoming/./x')).toBe('it has a "." segment');
    expect(unsafeObjectPath('/b/incoming/x%00.csv')).toBe('it contains a NUL character');
    expect(unsafeObjectPath('/b/incoming/x%E0.csv')).toBe('it is not valid percent-encoding');
  });
});
