/**
 * Ingest through the stand-ins (S3, DynamoDB and SES over HTTP), driven by the bucket's own events: keys that
 * need URL-encoding, events delivered twice and late, a key uploaded again, a bad upload set aside with its
 * report and an ops email (and uploaded again, bad again: each upload keeps its own copy and report). And the KPI step's merge reading it all back: the later upload's records win.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import { decodeS3Key, handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { settingsFromEnv } from '../../lambdas/domain/settings.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const KEY = 'incoming/leads/Q4 export + ünïcode (v1) 50%.csv';

const FIRST = [
  'Record ID,Create Date,Original Source',
  'L1,2026-10-01,Webinar',
  'L2,2026-10-02,Direct',
].join('\n');
const SECOND = [
  'Record ID,Create Date,Original Source',
  'L2,2026-10-02,Paid Social', // corrected
  'L3,2026-10-03,Organic Search',
].join('\n');

const BAD_FIRST = 'Record ID,Create Date,Original Source\nL9,2026-13-01,Webinar\n';
const BAD_SECOND = 'Record ID,Create Date,Original Source\nL9,2026-02-30,Webinar\n';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const lastEvent = (): S3Event => stack.events.at(-1)!;

/**
 * The event S3 (the stand-in) sent for `key`'s latest upload, timed `ms` milliseconds into the object's
 * Last-Modified second. The ingest orders uploads by that time (Last-Modified has whole seconds only); setting
 * it explicitly orders two uploads made within one second the same way however fast the test runs.
 */
async function eventAt(key: string, ms: number): Promise<S3Event> {
  const record = lastEvent().Records[0]!;
  expect(decodeS3Key(record.s3.object.key)).toBe(key);
  const { lastModified } = await new S3ObjectStore(stack.clients.s3).head({ bucket: record.s3.bucket.name, key });
  return { Records: [{ ...record, eventTime: new Date(Date.parse(lastModified) + ms).toISOString() }] };
}

describe('ingest on the stand-ins', () => {
  let firstEvent: S3Event;

  it('decodes a key with spaces, a plus sign, non-ASCII letters and a percent sign from its URL-encoded event', async () => {
    await stack.put(KEY, FIRST);
    firstEvent = await eventAt(KEY, 100);
    expect(firstEvent.Records[0]!.s3.object.key).toBe('incoming/leads/Q4+export+%2B+%C3%BCn%C3%AFcode+(v1)+50%25.csv');
    expect(await validateUpload(firstEvent)).toEqual({ outcomes: ['accepted'] });
    const uploads = await stack.table.uploads.listUploads('leads');
    expect(uploads.map((u) => [u.key, u.status, u.acceptedRows])).toEqual([[KEY, 'accepted', 2]]);
  });

  it('changes nothing when the event is delivered again', async () => {
    expect(await validateUpload(firstEvent)).toEqual({ outcomes: ['duplicate'] });
    expect(await validateUpload({ Records: [...firstEvent.Records, ...firstEvent.Records] })).toEqual({ outcomes: ['duplicate', 'duplicate'] });
    expect(await stack.table.uploads.listUploads('leads')).toHaveLength(1);
    expect(await stack.list('accepted/leads/')).toHaveLength(1);
  });

  it('processes the key uploaded again, records both uploads in the order they were made, and skips the stale event', async () => {
    await stack.put(KEY, SECOND);
    // Later in the same second as the first upload's event, or in a later second: either way, after it.
    const second = await eventAt(KEY, 200);
    expect(second.Records[0]!.s3.object.eTag).not.toBe(firstEvent.Records[0]!.s3.object.eTag);
    expect(await validateUpload(second)).toEqual({ outcomes: ['accepted'] });
    // The first upload's event, delivered late: the bucket (unversioned here, unlike the stack's) now holds the
    // second upload under its ETag, so the event is skipped; with versioning it would read its own version.
    expect(await validateUpload(firstEvent)).toEqual({ outcomes: ['ignored'] });
    const uploads = await stack.table.uploads.listUploads('leads');
    expect(uploads.map((u) => u.acceptedRows)).toEqual([2, 2]);
    expect(uploads.map((u) => u.uploadedAt)).toEqual([firstEvent.Records[0]!.eventTime, second.Records[0]!.eventTime]);
    expect(uploads[0]!.uploadedAt < uploads[1]!.uploadedAt).toBe(true);
    expect(await stack.list('accepted/leads/')).toHaveLength(2);
  });

  it('lets the later upload win per record key when the KPI step merges them', async () => {
    // October's KPIs as the KPI function computes and stores them: L2 counts once, under the second upload's source.
    await computeAndStoreKpis([parsePeriodId('2026-10')], {
      store: new S3ObjectStore(stack.clients.s3), ledger: stack.table.uploads, kpis: stack.table.kpis,
      clock: { now: () => new Date('2026-11-01T06:00:00Z') }, settings: settingsFromEnv(process.env),
    });
    const leads = (await stack.table.kpis.getPeriod('2026-10')).kpis.find((k) => k.id === 'leads');
    expect(leads?.value).toBe(3);
    // Segments are lower-cased source names; Direct (L2's first source) is gone.
    expect(Object.fromEntries(Object.entries(leads?.segments ?? {}).map(([source, v]) => [source, v.value])))
      .toEqual({ webinar: 1, 'paid social': 1, 'organic search': 1 });
    expect(leads?.uploads).toHaveLength(2);
  });

  it('sets a bad upload aside with its report, emails ops once, and stores nothing for the KPIs', async () => {
    const bad = 'incoming/leads/sub folder/bad + broken.csv';
    await stack.put(bad, BAD_FIRST);
    const event = lastEvent();
    await stack.standIns.clearEmails();
    expect(await validateUpload(event)).toEqual({ outcomes: ['rejected'] });
    expect(await validateUpload(event)).toEqual({ outcomes: ['duplicate'] });
    expect(await stack.list('incoming/leads/sub folder/')).toEqual([bad]);
    const [upload] = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === bad);
    const copy = `rejected/leads/sub folder/${upload!.uploadId}/bad + broken.csv`;
    expect(upload).toMatchObject({ status: 'rejected', reportKey: `${copy}.report.json` });
    expect(await stack.list('rejected/leads/')).toEqual([copy, `${copy}.report.json`]);
    expect(await stack.getText(copy)).toBe(BAD_FIRST);
    const report = JSON.parse(await stack.getText(`${copy}.report.json`));
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 2, line: 2, column: 'created_at', value: '2026-13-01' }]);
    const mails = (await stack.standIns.receivedEmails()).filter((m) => m.destination.to.includes('ops@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('bad + broken.csv');
    expect(mails[0]!.body.text).toContain(`${copy}.report.json`);
    expect(await stack.list('accepted/leads/')).toHaveLength(2);
  });

  it('keeps the first rejected upload\'s copy and report when the key is uploaded again and rejected again', async () => {
    const bad = 'incoming/leads/sub folder/bad + broken.csv';
    await stack.put(bad, BAD_SECOND);
    expect(await validateUpload(lastEvent())).toEqual({ outcomes: ['rejected'] });
    const uploads = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === bad);
    expect(uploads).toHaveLength(2);
    const copies = uploads.map((u) => `rejected/leads/sub folder/${u.uploadId}/bad + broken.csv`);
    expect(copies[0]).not.toBe(copies[1]);
    expect(uploads.map((u) => u.reportKey)).toEqual(copies.map((c) => `${c}.report.json`));
    expect(await stack.list('rejected/leads/')).toEqual(copies.flatMap((c) => [c, `${c}.report.json`]).sort());
    expect(await stack.getText(copies[0]!)).toBe(BAD_FIRST);
    expect(await stack.getText(copies[1]!)).toBe(BAD_SECOND);
    expect(JSON.parse(await stack.getText(`${copies[0]}.report.json`)).errors).toMatchObject([{ code: 'type-error', value: '2026-13-01' }]);
    expect(JSON.parse(await stack.getText(`${copies[1]}.report.json`)).errors).toMatchObject([{ code: 'type-error', value: '2026-02-30' }]);
    expect(await stack.list('incoming/leads/sub folder/')).toEqual([bad]);
    expect(await stack.getText(bad)).toBe(BAD_SECOND);
  });
});
