/**
 * Where the snapshots' objects are kept outside AWS: a directory (the CLI's bucket) or memory (tests), and the
 * manifest pointers in memory (the CLI's run, tests). S3 and DynamoDB: s3-snapshot-blobs.ts, dynamo-snapshot-pointers.ts.
 */
import { open, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatasetName } from '../domain/layout.ts';
import { NotFoundError } from '../ports/index.ts';
import type { SnapshotObject, SnapshotPointer, SnapshotPointers, Snapshots } from '../ports/snapshots.ts';
import { pathOfKey } from './fs-object-store.ts';
import { ParquetSnapshotStore, type BlobStore } from './snapshot-parquet.ts';

/** Blobs in memory; `now` stamps each write (tests move it to age objects for the sweep). */
export class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, { bytes: Uint8Array; lastModified: string }>();
  bytesRead = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.objects.set(key, { bytes: Uint8Array.from(bytes), lastModified: this.now().toISOString() });
  }

  private get(key: string): Uint8Array {
    const o = this.objects.get(key);
    if (!o) throw new NotFoundError(key);
    return o.bytes;
  }

  async size(key: string): Promise<number> {
    return this.get(key).byteLength;
  }

  async read(key: string, start: number, end: number): Promise<Uint8Array> {
    const bytes = this.get(key).slice(start, end);
    this.bytesRead += bytes.byteLength;
    return bytes;
  }

  async list(prefix: string): Promise<SnapshotObject[]> {
    return [...this.objects].filter(([k]) => k.startsWith(prefix)).map(([key, o]) => ({ key, lastModified: o.lastModified })).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.objects.delete(k);
  }
}

const notFoundOr = (key: string, e: unknown): unknown =>
  (e as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? new NotFoundError(key, { cause: e }) : e;

/** Blobs as files under a directory (a bucket of `FsObjectStore`), each written to a temporary name and renamed. */
export class FsBlobs implements BlobStore {
  bytesRead = 0;

  constructor(private readonly dir: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = pathOfKey(this.dir, key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  }

  async size(key: string): Promise<number> {
    try {
      return (await stat(pathOfKey(this.dir, key))).size;
    } catch (e) {
      throw notFoundOr(key, e);
    }
  }

  async read(key: string, start: number, end: number): Promise<Uint8Array> {
    let file;
    try {
      file = await open(pathOfKey(this.dir, key), 'r');
    } catch (e) {
      throw notFoundOr(key, e);
    }
    try {
      const out = new Uint8Array(Math.max(0, end - start));
      let at = 0;
      while (at < out.length) {
        const { bytesRead } = await file.read(out, at, out.length - at, start + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      this.bytesRead += at;
      return at === out.length ? out : out.subarray(0, at);
    } finally {
      await file.close();
    }
  }

  async list(prefix: string): Promise<SnapshotObject[]> {
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const base = folder ? pathOfKey(this.dir, folder.slice(0, -1)) : this.dir;
    let entries;
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: SnapshotObject[] = [];
    for (const e of entries) {
      if (!e.isFile() || e.name.endsWith('.partial')) continue;
      const path = join(e.parentPath, e.name);
      const key = relative(this.dir, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      out.push({ key, lastModified: (await stat(path)).mtime.toISOString() });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const k of keys) await rm(pathOfKey(this.dir, k), { force: true });
  }
}

/** Manifest pointers in memory: the conditional switch is a compare-and-set on the version. */
export class InMemorySnapshotPointers implements SnapshotPointers {
  readonly pointers = new Map<DatasetName, SnapshotPointer>();

  async get(dataset: DatasetName): Promise<SnapshotPointer | undefined> {
    const p = this.pointers.get(dataset);
    return p && { ...p };
  }

  async swap(dataset: DatasetName, expected: number, next: SnapshotPointer): Promise<boolean> {
    if ((this.pointers.get(dataset)?.version ?? 0) !== expected) return false;
    this.pointers.set(dataset, { ...next });
    return true;
  }
}

/** Snapshots in memory (tests, and runs that keep nothing). */
export function memorySnapshots(now?: () => Date): Snapshots & { readonly blobs: MemoryBlobs; readonly pointers: InMemorySnapshotPointers } {
  const blobs = new MemoryBlobs(now);
  return { store: new ParquetSnapshotStore(blobs), pointers: new InMemorySnapshotPointers(), blobs };
}

/** Snapshots as files in a bucket directory, with pointers in memory (the CLI's run). */
export function fsSnapshots(bucketDir: string): Snapshots & { readonly blobs: FsBlobs } {
  const blobs = new FsBlobs(bucketDir);
  return { store: new ParquetSnapshotStore(blobs), pointers: new InMemorySnapshotPointers(), blobs };
}
