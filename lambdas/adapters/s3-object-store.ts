/** `ObjectStore` over S3: streams uploads in, streams gzip JSON-lines record files out. */
import { createGunzip, createGzip, type ZlibOptions } from 'node:zlib';
import { PassThrough, Readable, type TransformOptions } from 'node:stream';
import { createInterface } from 'node:readline';
import {
  CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { AnyRecord } from '../domain/datasets/records.ts';
import { RecordLinesEncoder } from '../domain/datasets/record-lines.ts';
import { BUCKET_PREFIX, isDatasetName, type DatasetName } from '../domain/layout.ts';
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

  async readJson<T>(bucket: string, key: string): Promise<T> {
    const r = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parts: Buffer[] = [];
    for await (const chunk of r.Body as Readable) parts.push(Buffer.from(chunk as Uint8Array));
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as T;
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
  private lines?: JsonLinesGzipWriter;
  private upload?: Upload;
  private done?: Promise<unknown>;

  constructor(private readonly s3: S3Client, private readonly bucket: string, private readonly key: string) {}

  private start(): JsonLinesGzipWriter {
    const body = new PassThrough();
    const dataset = datasetOfRecordsKey(this.key);
    this.lines = new JsonLinesGzipWriter(body, dataset ? { dataset } : {});
    this.upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: this.key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' },
    });
    this.done = this.upload.done();
    this.done.catch(() => undefined); // observed in close/abort
    return this.lines;
  }

  write(record: AnyRecord): void | Promise<void> {
    return (this.lines ?? this.start()).write(record);
  }

  async reset(): Promise<void> {
    await this.abort();
  }

  async close(): Promise<void> {
    const lines = this.lines ?? this.start(); // an accepted file with no rows still gets its (empty) records file
    await lines.close();
    await this.done;
    this.lines = undefined;
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

/**
 * gzip level of the stored records. Level 1 takes about a third of the default level's (6) CPU; the files come
 * out about a third larger (17 MB instead of 13 MB for a million leads), which S3 and the KPI step hardly notice.
 */
export const RECORDS_GZIP_LEVEL = 1;
/** Bytes handed to gzip at a time: one stream write per batch of records, not per record. */
const BATCH_BYTES = 192 * 1024;
/** Bytes queued for gzip before the validator waits: gzip runs on the thread pool, in parallel, only while it has work queued. */
const GZIP_QUEUE_BYTES = 4 * 1024 * 1024;

export interface JsonLinesOptions {
  /** The records' dataset, for its compiled encoder; without it, `JSON.stringify`. */
  readonly dataset?: DatasetName;
  /** @default RECORDS_GZIP_LEVEL */
  readonly level?: number;
}

/**
 * The stored records format, written to any writable stream: one JSON object per line, gzip-compressed.
 * `write` is synchronous and returns a promise only when gzip asks the writer to wait (backpressure).
 */
export class JsonLinesGzipWriter {
  private readonly gzip: ReturnType<typeof createGzip>;
  private readonly finished: Promise<void>;
  private readonly encoder: RecordLinesEncoder | undefined;
  private lines: string[] = [];
  private linesChars = 0;

  constructor(dest: NodeJS.WritableStream, opts: JsonLinesOptions = {}) {
    // Zlib streams take stream options too (Node passes them to the Transform); @types/node does not say so.
    const options: ZlibOptions & TransformOptions = {
      level: opts.level ?? RECORDS_GZIP_LEVEL, chunkSize: 256 * 1024, writableHighWaterMark: GZIP_QUEUE_BYTES,
    };
    this.gzip = createGzip(options);
    this.encoder = opts.dataset ? new RecordLinesEncoder(opts.dataset) : undefined;
    this.finished = new Promise((resolve, reject) => {
      dest.once('finish', resolve);
      dest.once('error', reject);
      this.gzip.once('error', reject);
    });
    this.finished.catch(() => undefined); // observed in close
    this.gzip.pipe(dest);
  }

  write(record: AnyRecord): void | Promise<void> {
    if (this.encoder) {
      this.encoder.write(record);
      if (this.encoder.pending >= BATCH_BYTES) return this.flushBatch();
      return;
    }
    const line = JSON.stringify(record);
    this.lines.push(line);
    this.linesChars += line.length;
    if (this.linesChars >= BATCH_BYTES) return this.flushBatch();
  }

  /** Nothing to forget: the caller drops the whole file when it reads the upload again. */
  reset(): void {}

  private flushBatch(): void | Promise<void> {
    let chunk: Buffer | string;
    if (this.encoder) chunk = this.encoder.take();
    else {
      chunk = this.lines.join('\n') + '\n';
      this.lines = [];
      this.linesChars = 0;
    }
    if (chunk.length === 0) return;
    if (!this.gzip.write(chunk)) return new Promise<void>((resolve) => this.gzip.once('drain', resolve));
  }

  async close(): Promise<void> {
    if (this.lines.length || (this.encoder?.pending ?? 0) > 0) await this.flushBatch();
    this.gzip.end();
    await this.finished;
  }

  destroy(): void {
    this.lines = [];
    this.gzip.destroy();
  }
}

/** The dataset of a records key `accepted/<dataset>/<upload>.jsonl.gz`. */
function datasetOfRecordsKey(key: string): DatasetName | undefined {
  if (!key.startsWith(BUCKET_PREFIX.accepted)) return undefined;
  const name = key.slice(BUCKET_PREFIX.accepted.length).split('/')[0] ?? '';
  return isDatasetName(name) ? name : undefined;
}
