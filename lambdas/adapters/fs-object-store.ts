/**
 * `ObjectStore` over the file system: a bucket is a directory, a key a relative path in it (`/`-separated).
 * Record files are in the stored format of `record-lines.ts`, as on S3. The CLI runs the real use cases over it.
 */
import { createReadStream, createWriteStream, mkdirSync, type Dirent, type WriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, sep, win32 } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AnyRecord } from '../domain/datasets/records.ts';
import type { DatasetName } from '../domain/layout.ts';
import {
  NotFoundError, ObjectTooLargeError, type ObjectInfo, type ObjectRef, type ObjectStore, type RecordFileWriter, type StoredText,
} from '../ports/index.ts';
import { JsonLinesGzipWriter, LazyRecordFileWriter, readRecordLines } from './record-lines.ts';

export class UnsafeKeyError extends Error {
  override name = 'UnsafeKeyError';
}

/**
 * The path of `key` in the bucket directory. A key that could name something outside it (absolute, a `..`
 * segment, a NUL byte, empty) is refused: keys come from file names and use-case code, never trusted as paths.
 */
export function pathOfKey(bucket: string, key: string): string {
  const refuse = (why: string): never => { throw new UnsafeKeyError(`refusing object key ${JSON.stringify(key)}: ${why}`); };
  if (key === '') refuse('it is empty');
  if (key.includes('\0')) refuse('it contains a NUL character');
  if (posix.isAbsolute(key) || win32.isAbsolute(key)) refuse('it is an absolute path');
  if (key.split(/[/\\]/).includes('..')) refuse('it has a ".." segment');
  return join(bucket, ...key.split('/'));
}

/** The port's `NotFoundError` for a file that does not exist (ENOENT); any other error as it is. */
function notFoundOr(key: string, e: unknown): unknown {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? new NotFoundError(key, { cause: e }) : e;
}

/** `call`, with a missing file reported as `NotFoundError`. */
async function orNotFound<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw notFoundOr(key, e);
  }
}

/** A stream's chunks, with a missing file (the stream's open error) reported as `NotFoundError`. */
async function* streamOrNotFound<T>(key: string, stream: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* stream;
  } catch (e) {
    throw notFoundOr(key, e);
  }
}

export interface FsObjectStoreOptions {
  /**
   * The upload time `head` reports for every object, instead of the file's modification time. The CLI gives its
   * "now": every file of a run is then uploaded at the same instant, and the ledger orders them by key.
   */
  readonly uploadedAt?: Date;
}

export class FsObjectStore implements ObjectStore {
  constructor(private readonly opts: FsObjectStoreOptions = {}) {}

  async head(ref: ObjectRef): Promise<ObjectInfo> {
    const s = await orNotFound(ref.key, () => stat(pathOfKey(ref.bucket, ref.key)));
    // No ETag and no versions: the upload id is made of the key and this time (see `uploadIdOf`).
    return { lastModified: (this.opts.uploadedAt ?? s.mtime).toISOString(), size: s.size };
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    // The folder the prefix names (or is in), walked; a key is its path under the bucket, with '/'.
    const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    let entries: Dirent[];
    try {
      entries = await readdir(dir === '' ? bucket : pathOfKey(bucket, dir), { recursive: true, withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return entries
      .filter((d) => d.isFile() && !d.name.endsWith('.partial'))
      .map((d) => relative(bucket, join(d.parentPath, d.name)).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix));
  }

  open(ref: ObjectRef): AsyncIterable<Uint8Array> {
    return streamOrNotFound(ref.key, createReadStream(pathOfKey(ref.bucket, ref.key)));
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await writeAtomically(pathOfKey(bucket, key), JSON.stringify(value, null, 2));
  }

  async readJson<T>(bucket: string, key: string): Promise<T> {
    return JSON.parse(await orNotFound(key, () => readFile(pathOfKey(bucket, key), 'utf8'))) as T;
  }

  async copy(from: ObjectRef, toKey: string): Promise<void> {
    const to = pathOfKey(from.bucket, toKey);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(pathOfKey(from.bucket, from.key), to);
  }

  createRecordWriter(bucket: string, key: string, dataset: DatasetName): RecordFileWriter {
    return new FsRecordWriter(pathOfKey(bucket, key), dataset);
  }

  async readTextIfExists(bucket: string, key: string, maxBytes: number): Promise<StoredText | undefined> {
    const path = pathOfKey(bucket, key);
    let s;
    try {
      s = await stat(path);
    } catch (e) {
      // No such file, or a path through something that is no folder: there is no object with that key.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
    if (!s.isFile()) return undefined;
    if (s.size > maxBytes) throw new ObjectTooLargeError(key, s.size, maxBytes);
    return { text: await readFile(path, 'utf8'), info: { lastModified: (this.opts.uploadedAt ?? s.mtime).toISOString(), size: s.size, etag: `${s.size}-${s.mtimeMs}` } };
  }

  readRecords(bucket: string, key: string): AsyncIterable<AnyRecord> {
    return streamOrNotFound(key, readRecordLines(createReadStream(pathOfKey(bucket, key))));
  }
}

/** A temporary name beside `path`, renamed to it when complete: nothing half-written is ever at `path`. */
const partialPath = (path: string): string => `${path}.${randomBytes(6).toString('hex')}.partial`;

async function writeAtomically(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = partialPath(path);
  await writeFile(partial, data);
  await rename(partial, path);
}

/** Writes records to a temporary file beside the target, renamed to it on `close`; `abort` removes it. */
class FsRecordWriter extends LazyRecordFileWriter implements RecordFileWriter {
  private file?: WriteStream;
  private partial?: string;

  constructor(private readonly path: string, private readonly dataset: DatasetName) {
    super();
  }

  /**
   * Synchronous, like the S3 writer's: the validator does not wait for each `write`, so the first record's
   * must already have a file to go to (the folder is made with one blocking call per upload).
   */
  protected start(): JsonLinesGzipWriter {
    mkdirSync(dirname(this.path), { recursive: true });
    this.partial = partialPath(this.path);
    this.file = createWriteStream(this.partial);
    this.lines = new JsonLinesGzipWriter(this.file, this.dataset);
    return this.lines;
  }

  protected async finish(): Promise<void> {
    await rename(this.partial!, this.path);
    this.file = undefined;
    this.partial = undefined;
  }

  async abort(): Promise<void> {
    const { lines, file, partial } = this;
    this.lines = undefined;
    this.file = undefined;
    this.partial = undefined;
    lines?.destroy();
    if (file) {
      file.destroy();
      await new Promise<void>((resolve) => { if (file.closed) resolve(); else file.once('close', () => resolve()); });
    }
    if (partial) await rm(partial, { force: true });
  }
}
