/** The snapshots' objects in the bucket (`snapshots/`), read by byte range so a Parquet file gives only the columns asked for. */
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { NotFoundError } from '../ports/index.ts';
import type { SnapshotObject, SnapshotPointers, Snapshots } from '../ports/snapshots.ts';
import { ParquetSnapshotStore, type BlobStore } from './snapshot-parquet.ts';

const isMissing = (e: unknown): boolean => {
  const err = e as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
};

async function orNotFound<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isMissing(e) && (e as { name?: unknown }).name !== 'NoSuchBucket') throw new NotFoundError(key, { cause: e });
    throw e;
  }
}

export class S3SnapshotBlobs implements BlobStore {
  bytesRead = 0;

  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes }));
  }

  async size(key: string): Promise<number> {
    const r = await orNotFound(key, () => this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
    return r.ContentLength ?? 0;
  }

  async read(key: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const r = await orNotFound(key, () => this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` })));
    const parts: Buffer[] = [];
    for await (const chunk of r.Body as Readable) parts.push(Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(parts);
    this.bytesRead += bytes.byteLength;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async list(prefix: string): Promise<SnapshotObject[]> {
    const out: SnapshotObject[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of r?.Contents ?? []) if (o.Key) out.push({ key: o.Key, lastModified: (o.LastModified ?? new Date(0)).toISOString() });
      token = r?.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      await this.s3.send(new DeleteObjectsCommand({
        Bucket: this.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
      }));
    }
  }
}

/** Snapshots in the bucket, with their pointers in the table. */
export function s3Snapshots(s3: S3Client, bucket: string, pointers: SnapshotPointers): Snapshots {
  return { store: new ParquetSnapshotStore(new S3SnapshotBlobs(s3, bucket)), pointers };
}
