/**
 * The ingest use case with in-memory ports: exactly one outcome per object version whatever S3 delivers
 * (duplicate events, events out of order, re-uploads of a key), the order uploads apply in, rejected uploads set
 * aside with a report and an ops email, uploads accepted under the error-rate tolerance.
 */
import { describe, expect, it } from 'vitest';
import { ingestUpload, uploadTimeOf, type IngestDeps } from '../../lambdas/use-cases/ingest-upload.ts';
import { decodeS3Key } from '../../lambdas/handlers/validate-upload.ts';
import { CapturingMailer, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';
import { rejectedCopyKey, rejectedReportKey } from '../../lambdas/domain/layout.ts';
import { settingsWith } from '../helpers/export-builders.ts';

/** A versioned bucket in memory (or not versioned, like the local stand-in), shared with the other use-case tests. */
const MemoryStore = MemoryBucket;
type MemoryStore = MemoryBucket;

/** The ledger the CLI uses, ordered as the DynamoDB one (test/integration/upload-ledger.test.ts compares them). */
const MemoryLedger = InMemoryUploadLedger;
type MemoryLedger = InMemoryUploadLedger;

function deps(store: MemoryStore, overrides: Partial<IngestDeps> = {}): IngestDeps & { mailer: CapturingMailer; ledger: MemoryLedger } {
  return {
    store, ledger: new MemoryLedger(), mailer: new CapturingMailer(), clock: { now: () => new Date('2026-11-02T10:00:00Z') },
    settings: settingsWith(), ...overrides,
  } as IngestDeps & { mailer: CapturingMailer; ledger: MemoryLedger };
}

const GOOD = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-10-02,Direct\n';
const BETTER = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-10-02,Paid Social\nL3,2026-10-03,Direct\n';
const BAD = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL1,2026-02-30,Webinar\n';
const bucket = 'b';

describe('ingestUpload', () => {
  it('accepts once: a redelivered event is a duplicate that changes nothing', async () => {
    const store = new MemoryStore();
    const v = store.put('incoming/leads/a.csv', GOOD, '2026-11-01T10:00:00.000Z');
    const d = deps(store);
    const ref = { bucket, key: 'incoming/leads/a.csv', versionId: v.versionId };
    const event = { eventTime: '2026-11-01T10:00:00.250Z', eTag: v.etag };
    const first = await ingestUpload(ref, d, 'leads', event);
    expect(first.outcome).toBe('accepted');
    expect(await ingestUpload(ref, d, 'leads', event)).toEqual({ outcome: 'duplicate', uploadId: (first as { uploadId: string }).uploadId });
    const uploads = await d.ledger.listUploads('leads');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ status: 'accepted', rows: 2, acceptedRows: 2, uploadedAt: '2026-11-01T10:00:00.250Z', versionId: v.versionId });
    const records = [];
    for await (const r of store.readRecords(bucket, uploads[0]!.recordsKey!)) records.push(r);
    expect(records.map((r) => (r as { lead_id: string }).lead_id)).toEqual(['L1', 'L2']);
  });

  it('processes a re-upload of the key (a new version) again, and orders uploads by when they were made, not processed', async () => {
    const store = new MemoryStore();
    const v1 = store.put('incoming/leads/export.csv', GOOD, '2026-11-01T10:00:00.000Z');
    const v2 = store.put('incoming/leads/export.csv', BETTER, '2026-11-01T10:00:00.000Z'); // the same second
    const d = deps(store);
    const key = 'incoming/leads/export.csv';
    // The second upload's event arrives first.
    expect((await ingestUpload({ bucket, key, versionId: v2.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.900Z', eTag: v2.etag })).outcome).toBe('accepted');
    expect((await ingestUpload({ bucket, key, versionId: v1.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.100Z', eTag: v1.etag })).outcome).toBe('accepted');
    expect((await ingestUpload({ bucket, key, versionId: v1.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.100Z', eTag: v1.etag })).outcome).toBe('duplicate');
    const uploads = await d.ledger.listUploads('leads');
    expect(uploads.map((u) => [u.versionId, u.acceptedRows])).toEqual([[v1.versionId, 2], [v2.versionId, 3]]);
    expect(new Set(uploads.map((u) => u.recordsKey)).size).toBe(2);
  });

  it('orders two writes of one key by the event sequencer, across a second boundary and whatever the clocks say', async () => {
    const store = new MemoryStore();
    const key = 'incoming/leads/export.csv';
    // The later write (higher sequencer) has the earlier Last-Modified second and event time: a clock that differs.
    const older = store.put(key, GOOD, '2026-11-01T10:00:01.000Z');
    const newer = store.put(key, BETTER, '2026-11-01T10:00:00.000Z');
    const d = deps(store);
    // Its event is delivered first, and the older one's twice.
    await ingestUpload({ bucket, key, versionId: newer.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.999Z', eTag: newer.etag, sequencer: '0061C5A2B3D4E5F602' });
    await ingestUpload({ bucket, key, versionId: older.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:01.001Z', eTag: older.etag, sequencer: '61C5A2B3D4E5F601' });
    await ingestUpload({ bucket, key, versionId: older.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:01.001Z', eTag: older.etag, sequencer: '61C5A2B3D4E5F601' });
    const uploads = await d.ledger.listUploads('leads');
    expect(uploads.map((u) => u.versionId)).toEqual([older.versionId, newer.versionId]);
    expect(uploads.map((u) => u.sequencer)).toEqual(['61C5A2B3D4E5F601', '0061C5A2B3D4E5F602']);
  });

  it('without versioning, skips an event whose object was already replaced (the later upload\'s event processes it)', async () => {
    const store = new MemoryStore(false);
    const key = 'incoming/leads/export.csv';
    const v1 = store.put(key, GOOD, '2026-11-01T10:00:00.000Z');
    const v2 = store.put(key, BETTER, '2026-11-01T10:00:05.000Z');
    const d = deps(store);
    expect((await ingestUpload({ bucket, key }, d, 'leads', { eventTime: '2026-11-01T10:00:05.010Z', eTag: v2.etag })).outcome).toBe('accepted');
    expect(await ingestUpload({ bucket, key }, d, 'leads', { eventTime: '2026-11-01T10:00:00.010Z', eTag: `"${v1.etag}"` }))
      .toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('replaced') });
    expect(await d.ledger.listUploads('leads')).toHaveLength(1);
  });

  it('rejects: the raw upload stays, a copy and its report go aside, nothing is stored for KPIs, ops are emailed once', async () => {
    const store = new MemoryStore();
    const key = 'incoming/leads/2026/Oct export (final).csv';
    const v = store.put(key, BAD, '2026-11-01T10:00:00.000Z');
    const d = deps(store);
    const ref = { bucket, key, versionId: v.versionId };
    const result = await ingestUpload(ref, d, 'leads', { eventTime: '2026-11-01T10:00:00.500Z' });
    expect(result.outcome).toBe('rejected');
    expect(await ingestUpload(ref, d, 'leads', { eventTime: '2026-11-01T10:00:00.500Z' })).toMatchObject({ outcome: 'duplicate' });
    expect(store.versions.get(key)).toHaveLength(1);
    const uploadId = (result as { uploadId: string }).uploadId;
    expect(uploadId).toMatch(/^[0-9a-f]{24}$/);
    const copyKey = `rejected/leads/2026/${uploadId}/Oct export (final).csv`;
    expect([...store.files.keys()]).toEqual([copyKey]);
    expect([...store.json.keys()]).toEqual([`${copyKey}.report.json`]);
    const report = store.json.get(`${copyKey}.report.json`) as { errorCounts: unknown };
    expect(report.errorCounts).toEqual({ 'type-error': 1, 'duplicate-id': 1 });
    const [upload] = await d.ledger.listUploads('leads');
    expect(upload).toMatchObject({ status: 'rejected', uploadId, reportKey: `${copyKey}.report.json` });
    expect(upload!.recordsKey).toBeUndefined();
    expect(d.mailer.sent).toHaveLength(1);
    const mail = Buffer.from(d.mailer.sent[0]!.message).toString('utf8');
    expect(mail).toContain('Upload rejected');
    expect(mail).toContain('row 3');
  });

  it('keeps a copy and a report per upload when a re-upload of the key (a new version) is rejected again', async () => {
    const store = new MemoryStore();
    const key = 'incoming/leads/2026/export.csv';
    const BAD_AGAIN = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-13-01,Webinar\nL3,2026-10-03,Direct\n';
    const v1 = store.put(key, BAD, '2026-11-01T10:00:00.000Z');
    const v2 = store.put(key, BAD_AGAIN, '2026-11-01T10:05:00.000Z');
    const d = deps(store);
    const first = await ingestUpload({ bucket, key, versionId: v1.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.100Z', eTag: v1.etag });
    const second = await ingestUpload({ bucket, key, versionId: v2.versionId }, d, 'leads', { eventTime: '2026-11-01T10:05:00.100Z', eTag: v2.etag });
    expect([first.outcome, second.outcome]).toEqual(['rejected', 'rejected']);
    const ids = [first, second].map((r) => (r as { uploadId: string }).uploadId);
    expect(ids[0]).not.toBe(ids[1]);

    // Both copies, each of its own version, and both reports, each of its own upload.
    const copies = ids.map((id) => `rejected/leads/2026/${id}/export.csv`);
    expect([...store.files.keys()].sort()).toEqual([...copies].sort());
    expect(store.files.get(copies[0]!)!.toString('utf8')).toBe(BAD);
    expect(store.files.get(copies[1]!)!.toString('utf8')).toBe(BAD_AGAIN);
    expect([...store.json.keys()].sort()).toEqual(copies.map((c) => `${c}.report.json`).sort());
    expect((store.json.get(`${copies[0]}.report.json`) as { rows: number; errorCounts: unknown }))
      .toMatchObject({ rows: 2, errorCounts: { 'type-error': 1, 'duplicate-id': 1 } });
    expect((store.json.get(`${copies[1]}.report.json`) as { rows: number; errorCounts: unknown }))
      .toMatchObject({ rows: 3, errorCounts: { 'type-error': 1 } });

    // Each upload record names its own report.
    const uploads = await d.ledger.listUploads('leads');
    expect(uploads.map((u) => [u.uploadId, u.versionId, u.status, u.reportKey])).toEqual([
      [ids[0], v1.versionId, 'rejected', `${copies[0]}.report.json`],
      [ids[1], v2.versionId, 'rejected', `${copies[1]}.report.json`],
    ]);
    // The raw upload is never deleted: both versions are still under incoming/, unchanged.
    expect(store.versions.get(key)).toEqual([v1, v2]);
    expect(d.mailer.sent).toHaveLength(2);
    const mails = d.mailer.sent.map((m) => Buffer.from(m.message).toString('utf8'));
    ids.forEach((id, i) => expect(mails[i]).toContain(id));

    // A redelivery of the first upload's event changes nothing.
    expect(await ingestUpload({ bucket, key, versionId: v1.versionId }, d, 'leads', { eventTime: '2026-11-01T10:00:00.100Z', eTag: v1.etag }))
      .toEqual({ outcome: 'duplicate', uploadId: ids[0] });
    expect(store.files.size).toBe(2);
    expect(store.json.size).toBe(2);
  });

  it('accepts the valid rows under the error-rate tolerance, and tells ops how many rows were dropped', async () => {
    const store = new MemoryStore();
    const v = store.put('incoming/leads/a.csv', BAD, '2026-11-01T10:00:00.000Z');
    const d = deps(store, { settings: settingsWith({ errorTolerance: 0.5 }) });
    const result = await ingestUpload({ bucket, key: 'incoming/leads/a.csv', versionId: v.versionId }, d, 'leads');
    expect(result).toMatchObject({ outcome: 'accepted', report: { acceptedRows: 1, droppedRows: 1 } });
    expect(d.mailer.sent).toHaveLength(1);
    expect(Buffer.from(d.mailer.sent[0]!.message).toString('utf8')).toContain('1 row dropped');
  });

  it('ignores keys of another dataset, outside incoming/, and folder markers', async () => {
    const d = deps(new MemoryStore());
    expect((await ingestUpload({ bucket, key: 'incoming/spend/a.csv' }, d, 'leads')).outcome).toBe('ignored');
    expect((await ingestUpload({ bucket, key: 'accepted/leads/a.jsonl.gz' }, d)).outcome).toBe('ignored');
    expect((await ingestUpload({ bucket, key: 'incoming/leads/sub/' }, d)).outcome).toBe('ignored');
  });
});

describe('rejectedCopyKey', () => {
  const id = '0123456789abcdef01234567';
  it.each([
    ['incoming/leads/bad.csv', `rejected/leads/${id}/bad.csv`],
    ['incoming/leads/2026/10/Oct export (final).csv', `rejected/leads/2026/10/${id}/Oct export (final).csv`],
    ['incoming/leads/sub folder/bad + broken.csv', `rejected/leads/sub folder/${id}/bad + broken.csv`],
  ])('%s → %s, its report beside it', (key, copy) => {
    expect(rejectedCopyKey(key, 'leads', id)).toBe(copy);
    expect(rejectedReportKey(copy)).toBe(`${copy}.report.json`);
  });

  it('keeps the report key within S3\'s 1,024 bytes for an upload key near the limit', () => {
    const key = `incoming/leads/${'dossier-été/'.repeat(57)}${'é'.repeat(100)}-export.csv`;
    expect(Buffer.byteLength(key)).toBe(1024); // the longest key S3 takes
    const name = key.slice(key.lastIndexOf('/') + 1);
    const copy = rejectedCopyKey(key, 'leads', id);
    expect(Buffer.byteLength(rejectedReportKey(copy))).toBeLessThanOrEqual(1024);
    expect(copy.startsWith(`rejected/leads/${id}/`)).toBe(true);
    expect(copy.endsWith('-export.csv')).toBe(true);
    expect(name.endsWith(copy.slice(`rejected/leads/${id}/`.length))).toBe(true);
  });
});

describe('uploadTimeOf', () => {
  it('is the event time, to the millisecond, whatever second Last-Modified says', () => {
    expect(uploadTimeOf('2026-11-01T10:00:00.000Z', '2026-11-01T10:00:00.123Z')).toBe('2026-11-01T10:00:00.123Z');
    expect(uploadTimeOf('2026-11-01T10:00:00.000Z', '2026-11-01T10:00:01.900Z')).toBe('2026-11-01T10:00:01.900Z');
  });

  it('is Last-Modified when the event has no readable time', () => {
    expect(uploadTimeOf('2026-11-01T10:00:00.000Z', undefined)).toBe('2026-11-01T10:00:00.000Z');
    expect(uploadTimeOf('2026-11-01T10:00:00.000Z', 'not a time')).toBe('2026-11-01T10:00:00.000Z');
  });
});

describe('decodeS3Key', () => {
  it.each([
    ['incoming/leads/Oct+2026+export.csv', 'incoming/leads/Oct 2026 export.csv'],
    ['incoming/leads/a%2Bb.csv', 'incoming/leads/a+b.csv'],
    ['incoming/leads/%C3%A9t%C3%A9+%F0%9F%98%80.csv', 'incoming/leads/été 😀.csv'],
    ['incoming/leads/50%25+off.csv', 'incoming/leads/50% off.csv'],
    ['incoming/leads/100%+wrong.csv', 'incoming/leads/100% wrong.csv'],
  ])('%s → %s', (encoded, key) => {
    expect(decodeS3Key(encoded)).toBe(key);
  });
});
