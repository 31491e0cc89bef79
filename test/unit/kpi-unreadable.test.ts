/**
 * The KPI step when an accepted upload's stored records are missing (deleted from `accepted/` by hand): the run
 * goes on without that upload and says so (each period summary names its key and records key, the handler is
 * told); any other read failure still fails the run, so Lambda retries it. And the stores report "missing" as
 * the port's `NotFoundError`.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../lambdas/adapters/fs-object-store.ts';
import { CapturingMailer, InMemoryKpiStore, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { isNotFound, NotFoundError, type ObjectStore, type UnreadableUpload } from '../../lambdas/ports/index.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { ingestUpload } from '../../lambdas/use-cases/ingest-upload.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const NOW = new Date('2026-11-02T10:00:00Z');
const settings = settingsWith();

async function twoUploads() {
  const store = new MemoryBucket();
  const ledger = new InMemoryUploadLedger();
  const deps = { store, ledger, mailer: new CapturingMailer(), clock: { now: () => NOW }, settings };
  for (const [i, [key, body]] of [
    ['incoming/leads/a.csv', 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-10-02,Direct\n'],
    ['incoming/leads/b.csv', 'Record ID,Create Date,Original Source\nL3,2026-10-03,Webinar\n'],
  ].entries()) {
    const v = store.put(key!, body!, '2026-11-01T10:00:00.000Z');
    await ingestUpload({ bucket: 'b', key: key!, versionId: v.versionId }, deps, 'leads', { eventTime: `2026-11-01T10:00:0${i}.000Z`, sequencer: `0${i}` });
  }
  return { store, ledger };
}

async function compute(store: ObjectStore, ledger: InMemoryUploadLedger, onUnreadable?: (u: UnreadableUpload) => void) {
  const kpis = new InMemoryKpiStore();
  await computeAndStoreKpis([parsePeriodId('2026-09'), parsePeriodId('2026-10')], {
    store, ledger, kpis, clock: { now: () => NOW }, settings, ...(onUnreadable ? { onUnreadable } : {}),
  });
  return kpis;
}

describe('the KPI step with a missing records file', () => {
  it('computes without that upload, names it in every period summary and tells the caller', async () => {
    const { store, ledger } = await twoUploads();
    const [a, b] = await ledger.listUploads('leads');
    store.files.delete(a!.recordsKey!); // deleted by hand
    const told: UnreadableUpload[] = [];
    const kpis = await compute(store, ledger, (u) => told.push(u));

    const expected = {
      dataset: 'leads', uploadId: a!.uploadId, key: 'incoming/leads/a.csv', recordsKey: a!.recordsKey,
      reason: expect.stringContaining(`its stored records (${a!.recordsKey}) are missing`),
    };
    expect(told).toEqual([expected]);
    for (const period of ['2026-09', '2026-10']) {
      const { summary } = await kpis.getPeriod(period);
      expect(summary?.unreadableUploads).toEqual([expected]);
    }
    const october = await kpis.getPeriod('2026-10');
    expect(october.kpis.find((k) => k.id === 'leads')?.value).toBe(1);
    // The upload left out is not among those the values came from.
    expect(october.summary?.uploads.leads.map((u) => u.uploadId)).toEqual([b!.uploadId]);
    expect(october.kpis.find((k) => k.id === 'leads')?.uploads).toEqual([b!.uploadId]);
  });

  it('says nothing about unreadable uploads when every upload was read', async () => {
    const { store, ledger } = await twoUploads();
    const kpis = await compute(store, ledger, () => { throw new Error('not expected'); });
    const { summary, kpis: values } = await kpis.getPeriod('2026-10');
    expect(summary).not.toHaveProperty('unreadableUploads');
    expect(values.find((k) => k.id === 'leads')?.value).toBe(3);
  });

  it('fails the run on any other read error (throttling, the network), so Lambda retries it', async () => {
    const { store, ledger } = await twoUploads();
    const throttled: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      readRecords: () => (async function* () {
        throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
      })(),
    });
    await expect(compute(throttled, ledger)).rejects.toThrow('reduce your request rate');
  });

  it('fails the run when a records file ends in "missing" after some of its records were merged (they cannot be taken back)', async () => {
    const { store, ledger } = await twoUploads();
    const [a] = await ledger.listUploads('leads');
    const cut: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      readRecords: (bucket: string, key: string) => (async function* () {
        for await (const r of store.readRecords(bucket, key)) {
          yield r;
          if (key === a!.recordsKey) throw new NotFoundError(key);
        }
      })(),
    });
    await expect(compute(cut, ledger)).rejects.toThrow(NotFoundError);
  });
});

describe('FsObjectStore reports a missing object as NotFoundError', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('for records, JSON, heads and opens; not for other errors', async () => {
    const bucket = await mkdtemp(join(tmpdir(), 'smarketing-fs-'));
    dirs.push(bucket);
    const store = new FsObjectStore();
    const records = async () => { for await (const r of store.readRecords(bucket, 'accepted/leads/gone.jsonl.gz')) void r; };
    await expect(records()).rejects.toSatisfy(isNotFound);
    await expect(records()).rejects.toThrow('no object at accepted/leads/gone.jsonl.gz');
    await expect(store.readJson(bucket, 'reports/gone.json')).rejects.toSatisfy(isNotFound);
    await expect(store.head({ bucket, key: 'incoming/leads/gone.csv' })).rejects.toSatisfy(isNotFound);
    const open = async () => { for await (const c of store.open({ bucket, key: 'incoming/leads/gone.csv' })) void c; };
    await expect(open()).rejects.toSatisfy(isNotFound);
    // A folder where a file should be is no "missing" object.
    await mkdir(join(bucket, 'accepted', 'leads', 'dir.jsonl.gz'), { recursive: true });
    const folder = async () => { for await (const r of store.readRecords(bucket, 'accepted/leads/dir.jsonl.gz')) void r; };
    await expect(folder()).rejects.toSatisfy((e: unknown) => !isNotFound(e));
  });
});
