/**
 * The file-system object store the CLI runs the use cases over: keys never reach outside the bucket directory,
 * record files are the stored format and appear only when complete, and a CLI run reads the user's folder in
 * place and leaves nothing behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore, UnsafeKeyError, pathOfKey } from '../../lambdas/adapters/fs-object-store.ts';
import { withFolderRun } from '../../lambdas/cli/composition.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import type { AnyRecord } from '../../lambdas/domain/datasets/records.ts';

let root: string;
let bucket: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-'));
  bucket = join(root, 'bucket');
  await mkdir(bucket);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `dir`, as `/`-separated paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/')).sort();
}

describe('FsObjectStore keys', () => {
  it.each([
    ['absolute', '/etc/passwd'],
    ['absolute (Windows)', 'C:\\Windows\\win.ini'],
    ['a UNC path', '\\\\server\\share\\x'],
    ['.. first', '../outside.json'],
    ['.. inside', 'reports/../../outside.json'],
    ['.. at the end', 'reports/leads/..'],
    ['.. behind a backslash', 'reports\\..\\..\\outside.json'],
    ['NUL', 'reports/leads/x\0.json'],
    ['empty', ''],
  ])('refuses a key that is %s, naming the key and why', async (_why, key) => {
    const store = new FsObjectStore();
    expect(() => pathOfKey(bucket, key)).toThrow(UnsafeKeyError);
    await expect(store.putJson(bucket, key, { x: 1 })).rejects.toThrow(/refusing object key .*: (it |.*\.\.)/);
    await expect(store.readJson(bucket, key)).rejects.toThrow(UnsafeKeyError);
    expect(() => store.createRecordWriter(bucket, key, 'leads')).toThrow(UnsafeKeyError);
    await expect(store.copy({ bucket, key: 'incoming/x.csv' }, key)).rejects.toThrow(UnsafeKeyError);
    expect(await readdir(root)).toEqual(['bucket']); // nothing written beside the bucket
  });

  it('takes keys with dots, spaces and non-ASCII names that stay inside the bucket', () => {
    for (const key of ['incoming/leads/..hidden..csv', 'incoming/leads/a..b.csv', 'incoming/leads/./x.csv', 'rejected/leads/Q4 export + ünï (v1).csv']) {
      expect(pathOfKey(bucket, key).startsWith(`${bucket}/`)).toBe(true);
    }
  });
});

describe('FsObjectStore objects', () => {
  it('lists the keys under a prefix, in subfolders too, without files still being written', async () => {
    const store = new FsObjectStore();
    const dir = join(root, 'listing');
    await mkdir(join(dir, 'accepted', 'leads', 'sub'), { recursive: true });
    await mkdir(join(dir, 'accepted', 'leads-old'), { recursive: true });
    for (const f of ['accepted/leads/u1.jsonl.gz', 'accepted/leads/sub/u2.jsonl.gz', 'accepted/leads/u3.jsonl.gz.abc123.partial', 'accepted/leads-old/u4.jsonl.gz']) {
      await writeFile(join(dir, ...f.split('/')), 'x');
    }
    expect((await store.listKeys(dir, 'accepted/leads/')).sort()).toEqual(['accepted/leads/sub/u2.jsonl.gz', 'accepted/leads/u1.jsonl.gz']);
    expect((await store.listKeys(dir, 'accepted/leads')).sort()).toEqual(['accepted/leads-old/u4.jsonl.gz', 'accepted/leads/sub/u2.jsonl.gz', 'accepted/leads/u1.jsonl.gz']);
    expect(await store.listKeys(dir, 'accepted/spend/')).toEqual([]);
  });

  it('writes JSON and copies objects into folders it creates; head reports the given upload time', async () => {
    const at = new Date('2026-11-23T09:00:00.123Z');
    const store = new FsObjectStore({ uploadedAt: at });
    await mkdir(join(bucket, 'incoming', 'leads'), { recursive: true });
    await writeFile(join(bucket, 'incoming', 'leads', 'a.csv'), 'Record ID\n1\n');
    await store.putJson(bucket, 'reports/leads/u1.json', { status: 'accepted', é: '"' });
    expect(await store.readJson(bucket, 'reports/leads/u1.json')).toEqual({ status: 'accepted', é: '"' });
    await store.copy({ bucket, key: 'incoming/leads/a.csv' }, 'rejected/leads/u1/a.csv');
    expect(await readFile(join(bucket, 'rejected', 'leads', 'u1', 'a.csv'), 'utf8')).toBe('Record ID\n1\n');
    expect(await store.head({ bucket, key: 'incoming/leads/a.csv' })).toEqual({ lastModified: at.toISOString(), size: 12 });
    const chunks: Uint8Array[] = [];
    for await (const c of store.open({ bucket, key: 'incoming/leads/a.csv' })) chunks.push(c);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('Record ID\n1\n');
    // Without a given time: the file's modification time.
    const { mtime } = await stat(join(bucket, 'incoming', 'leads', 'a.csv'));
    expect((await new FsObjectStore().head({ bucket, key: 'incoming/leads/a.csv' })).lastModified).toBe(mtime.toISOString());
  });

  it('writes a record file only on close, in the stored format, and reads it back', async () => {
    const store = new FsObjectStore();
    const key = 'accepted/spend/u2.jsonl.gz';
    const records = [
      { date: '2026-10-01', amount_minor: 1250, channel: 'Paid Search', campaign: 'brand "q4"', category: 'marketing' },
      { date: '2026-10', amount_minor: 250_000, channel: 'Outbound', campaign: '', category: 'sales' },
    ] as AnyRecord[];
    const writer = store.createRecordWriter(bucket, key, 'spend');
    for (const r of records) await writer.write(r);
    expect(await filesUnder(join(bucket, 'accepted'))).not.toContain('spend/u2.jsonl.gz'); // not before close
    await writer.close();
    expect(await filesUnder(join(bucket, 'accepted'))).toEqual(['spend/u2.jsonl.gz']);
    expect(gunzipSync(await readFile(join(bucket, key))).toString('utf8')).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const back: AnyRecord[] = [];
    for await (const r of store.readRecords(bucket, key)) back.push(r);
    expect(back).toEqual(records);
  });

  it('leaves nothing behind when a record file is aborted or reset, and writes an empty file for no records', async () => {
    const store = new FsObjectStore();
    const aborted = store.createRecordWriter(bucket, 'accepted/leads/u3.jsonl.gz', 'leads');
    await aborted.write({ lead_id: 'L1', created_at: '2026-10-01', source: 'Web', marketing_sourced: true });
    await aborted.abort();
    const reset = store.createRecordWriter(bucket, 'accepted/leads/u4.jsonl.gz', 'leads');
    await reset.write({ lead_id: 'L1', created_at: '2026-10-01', source: 'Web', marketing_sourced: true });
    await reset.reset();
    const empty = store.createRecordWriter(bucket, 'accepted/leads/u5.jsonl.gz', 'leads');
    await empty.close();
    expect(await filesUnder(join(bucket, 'accepted', 'leads'))).toEqual(['u5.jsonl.gz']);
    const back: AnyRecord[] = [];
    for await (const r of store.readRecords(bucket, 'accepted/leads/u5.jsonl.gz')) back.push(r);
    expect(back).toEqual([]);
  });
});

describe('a CLI run over a folder', () => {
  it('reads the exports in place through incoming/, writes beside them, and removes its bucket, not the folder', async () => {
    const data = join(root, 'exports');
    await mkdir(join(data, 'leads'), { recursive: true });
    await writeFile(join(data, 'leads', 'a.csv'), 'Record ID,Create Date,Original Source\nL1,2026-10-01,Web\n');
    let bucketDir = '';
    await withFolderRun(data, DEFAULT_SETTINGS, new Date('2026-11-23T09:00:00Z'), async (run) => {
      bucketDir = run.bucket;
      expect(await readFile(join(run.bucket, 'incoming', 'leads', 'a.csv'), 'utf8')).toContain('L1');
      await run.store.putJson(run.bucket, 'reports/leads/x.json', {});
      expect(await readdir(run.bucket)).toEqual(expect.arrayContaining(['incoming', 'reports']));
    });
    await expect(stat(bucketDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await filesUnder(data)).toEqual(['leads/a.csv']);
  });
});
