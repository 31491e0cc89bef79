/** `ObjectStore` over S3: streams uploads in, streams gzip JSON-lines record files out. */
import { createGunzip, createGzip } from 'node:zlib';
import { PassThrough, Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import {
  CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AnyRecord } from '../domain/datasets/records.ts';
import type { ObjectInfo, ObjectRef, ObjectStore, RecordFileWriter } from '../ports/index.ts';

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async head(ref: ObjectRef): Promise<ObjectInfo> {
    const r = await this.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) }));
    return {
      lastModified: (r.LastModified ?? new Date(0)).toISOString(),
      size: r.ContentLength ?? 0,
      ...(r.ETag ? { etag: r.ETag.replace(/"/g, '') } : {}),
      ...(r.VersionId && r.VersionId !== 'null' ? { versionId: r.VersionId } : {}),
    };
  }

  open(ref: ObjectRef): AsyncIterable<Uint8Array> {
    const s3 = this.s3;
    return (async function* () {
      const r = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) }));
      if (!r.Body) return;
      yield* r.Body as Readable;
    })();
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json',
    }));
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    const source = encodeURI(`${from.bucket}/${from.key}`) + (from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : '');
    await this.s3.send(new CopyObjectCommand({ Bucket: from.bucket, Key: toKey, CopySource: source }));
  }

  createRecordWriter(bucket: string, key: string): RecordFileWriter {
    return new S3RecordWriter(this.s3, bucket, key);
  }

  readRecords(bucket: string, key: string): AsyncIterable<AnyRecord> {
    const s3 = this.s3;
    return (async function* () {
      const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const gunzip = (r.Body as Readable).pipe(createGunzip());
      for await (const line of createInterface({ input: gunzip, crlfDelay: Infinity })) {
        if (line) yield JSON.parse(line) as AnyRecord;
      }
    })();
  }
}

/**
 * Writes records as gzip JSON lines through a multipart upload, so memory stays flat. The upload starts on
 * the first record and completes on `close`; `abort` leaves nothing behind.
 */
class S3RecordWriter implements RecordFileWriter {
  private gzip?: ReturnType<typeof createGzip>;
  private upload?: Upload;
  private done?: Promise<unknown>;

  constructor(private readonly s3: S3Client, private readonly bucket: string, private readonly key: string) {}

  private start(): void {
    const body = new PassThrough();
    this.gzip = createGzip();
    this.gzip.pipe(body);
    this.upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: this.key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' },
    });
    this.done = this.upload.done();
    this.done.catch(() => undefined); // observed in close/abort
  }

  async write(record: AnyRecord): Promise<void> {
    if (!this.gzip) this.start();
    if (!this.gzip!.write(JSON.stringify(record) + '\n')) {
      await new Promise<void>((resolve) => this.gzip!.once('drain', resolve));
    }
  }

  async reset(): Promise<void> {
    await this.abort();
  }

  async close(): Promise<void> {
    if (!this.gzip) this.start(); // an accepted file with no rows still gets its (empty) records file
    this.gzip!.end();
    await this.done;
    this.gzip = undefined;
  }

  async abort(): Promise<void> {
    if (!this.upload) return;
    const upload = this.upload;
    this.gzip?.destroy();
    this.upload = undefined;
    this.gzip = undefined;
    await upload.abort().catch(() => undefined);
    await this.done?.catch(() => undefined);
  }
}
