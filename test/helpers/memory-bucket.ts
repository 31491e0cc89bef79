/**
 * A bucket in memory for use-case tests: versioned like the stack's (or not, like the local stand-in), with the
 * stored-records format of the real adapters, and `NotFoundError` for a missing object as the port says.
 */
import { PassThrough, Readable } from 'node:stream';
import { JsonLinesGzipWriter, readRecordLines } from '../../lambdas/adapters/record-lines.ts';
import type { AnyRecord } from '../../lambdas/domain/datasets/records.ts';
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import {
  NotFoundError, ObjectTooLargeError, type ObjectInfo, type ObjectRef, type ObjectStore, type RecordFileWriter, type StoredText,
} from '../../lambdas/ports/index.ts';

export interface Version { readonly versionId: string; readonly body: Buffer; readonly lastModified: string; readonly etag: string }

export class MemoryBucket implements ObjectStore {
  readonly versions = new Map<string, Version[]>();
  /** Objects the pipeline wrote (records files, copies, reports), by key. */
  readonly files = new Map<string, Buffer>();
  readonly json = new Map<string, unknown>();
  private n = 0;

  constructor(private readonly versioned = true) {}

  put(key: string, body: string, lastModified: string): Version {
    const v = { versionId: `v${++this.n}`, body: Buffer.from(body), lastModified, etag: `etag-${this.n}` };
    this.versions.set(key, this.versioned ? [...(this.versions.get(key) ?? []), v] : [v]);
    return v;
  }

  private find(ref: ObjectRef): Version {
    const list = this.versions.get(ref.key) ?? [];
    const v = ref.versionId ? list.find((x) => x.versionId === ref.versionId) : list.at(-1);
    if (!v) throw new NotFoundError(ref.key);
    return v;
  }

  async head(ref: ObjectRef): Promise<ObjectInfo> {
    const v = this.find(ref);
    return { lastModified: v.lastModified, size: v.body.length, etag: v.etag, ...(this.versioned ? { versionId: v.versionId } : {}) };
  }

  async listKeys(_bucket: string, prefix: string): Promise<string[]> {
    const current = [...this.versions.keys()].filter((k) => this.versions.get(k)!.length > 0);
    return [...new Set([...current, ...this.files.keys(), ...this.json.keys()])].filter((k) => k.startsWith(prefix));
  }

  open(ref: ObjectRef): AsyncIterable<Uint8Array> {
    const v = this.find(ref);
    return (async function* () { yield v.body; })();
  }

  async putJson(_bucket: string, key: string, value: unknown): Promise<void> {
    this.json.set(key, JSON.parse(JSON.stringify(value)));
  }

  async readJson<T>(_bucket: string, key: string): Promise<T> {
    if (!this.json.has(key)) throw new NotFoundError(key);
    return this.json.get(key) as T;
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    this.files.set(toKey, this.find(from).body);
  }

  createRecordWriter(_bucket: string, key: string, dataset: DatasetName): RecordFileWriter {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const lines = new JsonLinesGzipWriter(out, dataset);
    return {
      write: (r) => lines.write(r),
      reset: () => undefined,
      close: async () => { await lines.close(); this.files.set(key, Buffer.concat(chunks)); },
      abort: async () => { lines.destroy(); },
    };
  }

  async readTextIfExists(_bucket: string, key: string, maxBytes: number): Promise<StoredText | undefined> {
    const v = this.versions.get(key)?.at(-1);
    if (!v) return undefined;
    if (v.body.length > maxBytes) throw new ObjectTooLargeError(key, v.body.length, maxBytes);
    return { text: v.body.toString('utf8'), info: { lastModified: v.lastModified, size: v.body.length, etag: v.etag, ...(this.versioned ? { versionId: v.versionId } : {}) } };
  }

  readRecords(_bucket: string, key: string): AsyncIterable<AnyRecord> {
    const files = this.files;
    return (async function* () {
      const body = files.get(key);
      if (!body) throw new NotFoundError(key);
      yield* readRecordLines(Readable.from([body]));
    })();
  }
}
