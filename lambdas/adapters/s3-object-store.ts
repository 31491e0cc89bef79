/** `ObjectStore` over S3: streams uploads in, streams record files (the format of `record-lines.ts`) out and back. */
import { PassThrough, type Readable } from 'node:stream';
import {
  CopyObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AnyRecord } from '../domain/datasets/records.ts';
import type { DatasetName } from '../domain/layout.ts';
import { JsonLinesGzipWriter, LazyRecordFileWriter, readRecordLines } from './record-lines.ts';
import {
  NotFoundError, ObjectTooLargeError, isNotFound, type ObjectInfo, type ObjectRef, type ObjectStore, type RecordFileWriter, type StoredText,
} from '../ports/index.ts';

/**
 * Whether S3 said the object (or version) does not exist: `NoSuchKey` from GetObject, a bare 404 (`NotFound`) from
 * HeadObject, `NoSuchVersion`. S3 answers so only to a caller allowed to list the bucket; to anyone else a missing
 * key is `AccessDenied`, which is not taken for "missing" (it may be a broken grant) and fails like any error.
 */
function isS3NotFound(e: unknown): boolean {
  const err = e as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const name = err?.name ?? err?.Code;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion' || err?.$metadata?.httpStatusCode === 404;
}

/** `call`, with S3's "no such object" turned into the port's `NotFoundError`. */
async function orNotFound<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isS3NotFound(e) && !isNoSuchBucket(e)) throw new NotFoundError(key, { cause: e });
    throw e;
  }
}

/** A missing bucket is a deployment problem, never a missing object. */
const isNoSuchBucket = (e: unknown): boolean => (e as { name?: unknown } | null)?.name === 'NoSuchBucket';

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of r.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async head(ref: ObjectRef): Promise<ObjectInfo> {
    const r = await orNotFound(ref.key, () =>
      this.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) })));
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
      const r = await orNotFound(ref.key, () =>
        s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) })));
      if (!r.Body) return;
      yield* r.Body as Readable;
    })();
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json',
    }));
  }

  async readJson<T>(bucket: string, key: string): Promise<T> {
    const r = await orNotFound(key, () => this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    const parts: Buffer[] = [];
    for await (const chunk of r.Body as Readable) parts.push(Buffer.from(chunk as Uint8Array));
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as T;
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    const source = encodeURI(`${from.bucket}/${from.key}`) + (from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : '');
    await this.s3.send(new CopyObjectCommand({ Bucket: from.bucket, Key: toKey, CopySource: source }));
  }

  createRecordWriter(bucket: string, key: string, dataset: DatasetName): RecordFileWriter {
    return new S3RecordWriter(this.s3, bucket, key, dataset);
  }

  async readTextIfExists(bucket: string, key: string, maxBytes: number): Promise<StoredText | undefined> {
    // A listing of the one key says whether it is there: most folders have no mapping file, and a GetObject of a
    // missing key costs an error round trip (and reads as AccessDenied without ListBucket).
    const listed = await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
    if (!listed?.Contents?.some((o) => o.Key === key)) return undefined;
    let r;
    try {
      r = await orNotFound(key, () => this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const size = r.ContentLength ?? 0;
    if (size > maxBytes) {
      (r.Body as Readable | undefined)?.destroy?.();
      throw new ObjectTooLargeError(key, size, maxBytes);
    }
    const parts: Buffer[] = [];
    for await (const chunk of (r.Body as Readable | undefined) ?? []) parts.push(Buffer.from(chunk as Uint8Array));
    return {
      text: Buffer.concat(parts).toString('utf8'),
      info: {
        lastModified: (r.LastModified ?? new Date(0)).toISOString(), size,
        ...(r.ETag ? { etag: r.ETag.replace(/"/g, '') } : {}),
        ...(r.VersionId && r.VersionId !== 'null' ? { versionId: r.VersionId } : {}),
      },
    };
  }

  readRecords(bucket: string, key: string): AsyncIterable<AnyRecord> {
    const s3 = this.s3;
    return (async function* () {
      const r = await orNotFound(key, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
      yield* readRecordLines(r.Body as Readable);
    })();
  }
}

/**
 * Writes records as gzip JSON lines through a multipart upload, so memory stays flat. The upload starts on
 * the first record and completes on `close`; `abort` leaves nothing behind.
 */
class S3RecordWriter extends LazyRecordFileWriter implements RecordFileWriter {
  private upload?: Upload;
  private done?: Promise<unknown>;

  constructor(
    private readonly s3: S3Client, private readonly bucket: string, private readonly key: string, private readonly dataset: DatasetName,
  ) {
    super();
  }

  protected start(): JsonLinesGzipWriter {
    const body = new PassThrough();
    this.lines = new JsonLinesGzipWriter(body, this.dataset);
    this.upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: this.key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' },
    });
    this.done = this.upload.done();
    this.done.catch(() => undefined); // observed in close/abort
    return this.lines;
  }

  protected async finish(): Promise<void> {
    await this.done;
  }

  async abort(): Promise<void> {
    if (!this.upload) return;
    const upload = this.upload;
    this.lines?.destroy();
    this.upload = undefined;
    this.lines = undefined;
    await upload.abort().catch(() => undefined);
    await this.done?.catch(() => undefined);
  }
}
