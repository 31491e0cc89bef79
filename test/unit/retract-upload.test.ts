/**
 * Retraction with in-memory ports: a file deleted from `incoming/` (a delete marker, a version deleted for good,
 * a delete in an unversioned bucket) retracts the uploads it covers, once whatever S3 delivers; ops get one email
 * naming them and the records that stop counting; the KPI step skips retracted uploads from the next run. And a
 * file deleted while its validation was still running is retracted as soon as its upload is recorded.
 */
import { describe, expect, it } from 'vitest';
import { CapturingMailer, InMemoryKpiStore, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { removalRetracts } from '../../lambdas/domain/upload-notices.ts';
import type { Mailer, OutgoingEmail } from '../../lambdas/ports/index.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { ingestUpload } from '../../lambdas/use-cases/ingest-upload.ts';
import { retractIfRemoved, retractUpload } from '../../lambdas/use-cases/retract-upload.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const bucket = 'b';
const NOW = new Date('2026-11-02T10:00:00Z');
const csv = (...ids: string[]): string => ['Record ID,Create Date,Original Source', ...ids.map((id, i) => `${id},2026-10-0${i + 1},Webinar`)].join('\n');
const seq = (n: number): string => n.toString(16).toUpperCase().padStart(16, '0');

/** A bucket, the ledger, ops' inbox and the KPI store: the world one test runs in. */
function world(opts: { versioned?: boolean; mailer?: Mailer } = {}) {
  const store = new MemoryBucket(opts.versioned ?? true);
  const ledger = new InMemoryUploadLedger();
  const inbox = new CapturingMailer();
  const mailer = opts.mailer ?? inbox;
  const kpis = new InMemoryKpiStore();
  const settings = settingsWith();
  const deps = { store, ledger, mailer, clock: { now: () => NOW }, settings };
  let writes = 0;
  return {
    store, ledger, inbox, deps,
    /** Uploads `body` as `key` and runs its validation, as the S3 event would; returns the upload id. */
    async upload(key: string, body: string, at?: number): Promise<{ uploadId: string; versionId: string; sequencer: string }> {
      writes = Math.max(writes + 1, at ?? 0);
      const sequencer = seq(at ?? writes);
      const v = store.put(key, body, '2026-11-01T10:00:00.000Z');
      const ref = { bucket, key, ...(opts.versioned === false ? {} : { versionId: v.versionId }) };
      const r = await ingestUpload(ref, deps, 'leads', { eventTime: `2026-11-01T10:00:00.${String(at ?? writes).padStart(3, '0')}Z`, sequencer, eTag: v.etag });
      if (r.outcome !== 'accepted' && r.outcome !== 'duplicate') throw new Error(`upload ${key}: ${r.outcome}`);
      // As the handler does after every validation.
      await retractIfRemoved({ dataset: 'leads', key, uploadId: r.uploadId }, deps);
      return { uploadId: r.uploadId, versionId: v.versionId, sequencer };
    },
    /** The removal event S3 sends when `key` is deleted (a delete marker, or the given version for good). */
    remove(key: string, how: { versionId?: string; marker?: boolean; at?: number } = { marker: true }) {
      writes = Math.max(writes + 1, how.at ?? 0);
      const n = how.at ?? writes;
      const event = {
        eventName: how.marker ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete',
        sequencer: seq(n), eventTime: `2026-11-01T10:00:00.${String(n).padStart(3, '0')}Z`,
      };
      return { ref: { bucket, key, ...(how.versionId ? { versionId: how.versionId } : how.marker ? { versionId: 'marker' } : {}) }, event };
    },
    /** October's lead ids that count, as the KPI step merges them. */
    async leads(): Promise<number | null | undefined> {
      await computeAndStoreKpis([parsePeriodId('2026-10')], { store, ledger, kpis, clock: { now: () => NOW }, settings });
      return (await kpis.getPeriod('2026-10')).kpis.find((k) => k.id === 'leads')?.value;
    },
    opsMail: (): OutgoingEmail[] => inbox.sent.map((s) => s.email).filter((e) => e.to.includes(settings.opsEmail)),
  };
}

describe('retractUpload', () => {
  it('a file deleted from incoming/ retracts every accepted upload of its key: their records stop counting, ops get one email', async () => {
    const w = world();
    const a1 = await w.upload('incoming/leads/a.csv', csv('L1', 'L2'));
    const a2 = await w.upload('incoming/leads/a.csv', csv('L2', 'L3')); // a re-upload of the key
    await w.upload('incoming/leads/b.csv', csv('L4'));
    expect(await w.leads()).toBe(4);

    const { ref, event } = w.remove('incoming/leads/a.csv');
    expect(await retractUpload(ref, event, w.deps, 'leads')).toEqual({ outcome: 'retracted', uploadIds: [a1.uploadId, a2.uploadId], records: 4 });
    expect(await w.leads()).toBe(1);

    const uploads = await w.ledger.listUploads('leads');
    expect(uploads.map((u) => [u.key, u.retractedAt, u.retractionNotice])).toEqual([
      ['incoming/leads/a.csv', NOW.toISOString(), 'sent'],
      ['incoming/leads/a.csv', NOW.toISOString(), 'sent'],
      ['incoming/leads/b.csv', undefined, undefined],
    ]);
    const [mail, ...more] = w.opsMail();
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('2 uploads retracted: incoming/leads/a.csv');
    expect(mail!.text).toContain('incoming/leads/a.csv was deleted from the bucket');
    for (const u of uploads.slice(0, 2)) expect(mail!.text).toContain(`upload ${u.uploadId}, uploaded ${u.uploadedAt}: 2 records (${u.recordsKey})`);
    expect(mail!.text).toContain('4 records stop counting from the next KPI run');
  });

  it('changes nothing when the removal event is delivered again', async () => {
    const w = world();
    await w.upload('incoming/leads/a.csv', csv('L1'));
    const { ref, event } = w.remove('incoming/leads/a.csv');
    expect((await retractUpload(ref, event, w.deps, 'leads')).outcome).toBe('retracted');
    const before = await w.ledger.listUploads('leads');
    const later = { ...w.deps, clock: { now: () => new Date('2026-11-03T00:00:00Z') } };
    expect((await retractUpload(ref, event, later, 'leads')).outcome).toBe('nothing-retracted');
    expect(await w.ledger.listUploads('leads')).toEqual(before); // the first retraction's time stays
    expect(w.opsMail()).toHaveLength(1);
  });

  it('counts a re-upload of the key made after the removal: a new upload', async () => {
    const w = world();
    await w.upload('incoming/leads/a.csv', csv('L1', 'L2'));
    const { ref, event } = w.remove('incoming/leads/a.csv');
    await retractUpload(ref, event, w.deps, 'leads');
    expect(await w.leads()).toBeNull(); // no lead counts: missing data, never 0
    await w.upload('incoming/leads/a.csv', csv('L1', 'L2', 'L3'));
    expect(await w.leads()).toBe(3);
    // The removal event delivered late, after the re-upload: the re-upload was written after it and stays.
    expect((await retractUpload(ref, event, w.deps, 'leads')).outcome).toBe('nothing-retracted');
    expect(await w.leads()).toBe(3);
    expect(w.opsMail()).toHaveLength(1);
  });

  it('deleting one version for good retracts that version\'s upload only', async () => {
    const w = world();
    const v1 = await w.upload('incoming/leads/a.csv', csv('L1', 'L2'));
    await w.upload('incoming/leads/a.csv', csv('L2'));
    expect(await w.leads()).toBe(2);
    const { ref, event } = w.remove('incoming/leads/a.csv', { versionId: v1.versionId });
    expect(await retractUpload(ref, event, w.deps, 'leads')).toEqual({ outcome: 'retracted', uploadIds: [v1.uploadId], records: 2 });
    expect(await w.leads()).toBe(1); // L1 was only in the deleted version
    expect(w.opsMail()[0]!.text).toContain('A version of incoming/leads/a.csv was deleted for good');
    // Deleting a version no upload has (a delete marker removed, say) retracts nothing.
    const marker = w.remove('incoming/leads/a.csv', { versionId: 'marker-version' });
    expect((await retractUpload(marker.ref, marker.event, w.deps, 'leads')).outcome).toBe('nothing-retracted');
    expect(w.opsMail()).toHaveLength(1);
  });

  it('in an unversioned bucket (the local stand-in) a delete without version id retracts every upload of the key', async () => {
    const w = world({ versioned: false });
    await w.upload('incoming/leads/a.csv', csv('L1'));
    await w.upload('incoming/leads/a.csv', csv('L1', 'L2'));
    const { ref, event } = w.remove('incoming/leads/a.csv', {});
    expect(ref.versionId).toBeUndefined();
    expect(await retractUpload(ref, event, w.deps, 'leads')).toMatchObject({ outcome: 'retracted', records: 3 });
    expect(await w.leads()).toBeNull(); // no lead counts: missing data, never 0
  });

  it('reads the version "null" (versioning suspended) as the object itself', async () => {
    const w = world({ versioned: false });
    await w.upload('incoming/leads/a.csv', csv('L1'));
    const { ref, event } = w.remove('incoming/leads/a.csv', { versionId: 'null' });
    expect(await retractUpload(ref, event, w.deps, 'leads')).toMatchObject({ outcome: 'retracted', records: 1 });
  });

  it('leaves rejected uploads, other keys and other datasets alone, and ignores keys it does not handle', async () => {
    const w = world();
    await w.upload('incoming/leads/a.csv', csv('L1'));
    await w.upload('incoming/leads/ab.csv', csv('L2'));
    w.store.put('incoming/leads/bad.csv', 'not an export', '2026-11-01T10:00:00.000Z');
    expect((await ingestUpload({ bucket, key: 'incoming/leads/bad.csv', versionId: 'v3' }, w.deps, 'leads')).outcome).toBe('rejected');
    const bad = w.remove('incoming/leads/bad.csv');
    expect((await retractUpload(bad.ref, bad.event, w.deps, 'leads')).outcome).toBe('nothing-retracted');
    const other = w.remove('incoming/spend/a.csv');
    expect((await retractUpload(other.ref, other.event, w.deps, 'leads')).outcome).toBe('ignored');
    const outside = w.remove('incoming/Leads/a.csv');
    expect((await retractUpload(outside.ref, outside.event, w.deps)).outcome).toBe('ignored');
    const folder = w.remove('incoming/leads/');
    expect((await retractUpload(folder.ref, folder.event, w.deps, 'leads')).outcome).toBe('ignored');
    expect(await w.leads()).toBe(2);
    expect(w.opsMail().filter((m) => m.subject.includes('retracted'))).toEqual([]);
  });

  it('sends an email that failed on the redelivery, once', async () => {
    let fail = true;
    const inbox = new CapturingMailer();
    const flaky: Mailer = { send: async (e) => { if (fail) { fail = false; throw new Error('Throttling'); } return inbox.send(e); } };
    const w = world({ mailer: flaky });
    const a = await w.upload('incoming/leads/a.csv', csv('L1'));
    const { ref, event } = w.remove('incoming/leads/a.csv');
    await expect(retractUpload(ref, event, w.deps, 'leads')).rejects.toThrow('Throttling');
    // Retracted already (the records stop counting), the email still owed.
    expect((await w.ledger.listUploads('leads'))[0]).toMatchObject({ retractedAt: NOW.toISOString(), retractionNotice: 'pending' });
    expect(await w.leads()).toBeNull(); // no lead counts: missing data, never 0
    expect(await retractUpload(ref, event, w.deps, 'leads')).toEqual({ outcome: 'retracted', uploadIds: [a.uploadId], records: 1 });
    expect((await retractUpload(ref, event, w.deps, 'leads')).outcome).toBe('nothing-retracted');
    expect(inbox.sent.map((s) => s.email.subject)).toEqual(['Upload retracted: incoming/leads/a.csv']);
  });
});

describe('a file deleted while its validation was running', () => {
  it('is retracted as soon as its upload is recorded, with one email; a later re-upload counts', async () => {
    const w = world();
    // Written in this order: the upload (1), then its deletion (2); but the removal is processed first, before
    // the upload's validation recorded it: there is nothing to retract yet.
    const { ref, event } = w.remove('incoming/leads/a.csv', { marker: true, at: 2 });
    expect((await retractUpload(ref, event, w.deps, 'leads')).outcome).toBe('nothing-retracted');
    expect(w.opsMail()).toEqual([]);
    await w.upload('incoming/leads/a.csv', csv('L1', 'L2'), 1);
    expect(await w.leads()).toBeNull(); // no lead counts: missing data, never 0
    const [mail, ...more] = w.opsMail();
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Upload retracted: incoming/leads/a.csv');
    expect(mail!.text).toContain('incoming/leads/a.csv was deleted from the bucket while it was being validated');
    // Redelivered, the upload's event changes nothing.
    const [u] = await w.ledger.listUploads('leads');
    expect((await retractIfRemoved({ dataset: 'leads', key: u!.key, uploadId: u!.uploadId }, w.deps)).outcome).toBe('nothing-retracted');
    expect(w.opsMail()).toHaveLength(1);
    // Uploaded again after the removal (written later): a new upload, which counts.
    await w.upload('incoming/leads/a.csv', csv('L3'), 3);
    expect(await w.leads()).toBe(1);
    expect(w.opsMail()).toHaveLength(1);
  });

  it('keeps an upload written after the removal, by sequencer or, without one, by time', () => {
    const upload = { key: 'k', uploadedAt: '2026-11-01T10:00:00.500Z', sequencer: '0A' };
    expect(removalRetracts({ key: 'k', scope: 'key', sequencer: '0B' }, upload, 'keep')).toBe(true);
    expect(removalRetracts({ key: 'k', scope: 'key', sequencer: '09' }, upload, 'keep')).toBe(false);
    // Sequencers of different lengths compare as numbers.
    expect(removalRetracts({ key: 'k', scope: 'key', sequencer: '0100' }, upload, 'keep')).toBe(true);
    expect(removalRetracts({ key: 'k', scope: 'key', eventTime: '2026-11-01T10:00:00.400Z' }, upload, 'keep')).toBe(false);
    expect(removalRetracts({ key: 'k', scope: 'key', eventTime: '2026-11-01T10:00:00.600Z' }, upload, 'keep')).toBe(true);
    // Unordered: retracted when the removal is being processed now, kept when the upload may be a re-upload.
    expect(removalRetracts({ key: 'k', scope: 'key' }, { key: 'k', uploadedAt: 'x' }, 'retract')).toBe(true);
    expect(removalRetracts({ key: 'k', scope: 'key' }, { key: 'k', uploadedAt: 'x' }, 'keep')).toBe(false);
    expect(removalRetracts({ key: 'other', scope: 'key', sequencer: '0B' }, upload, 'retract')).toBe(false);
  });
});
