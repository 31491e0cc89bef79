/**
 * The in-memory upload ledger (the CLI's) against the DynamoDB one on the stand-in (dynalite): the same uploads
 * recorded in any order come back in the order they apply in (`orderUploads`: upload time, then the key's UTF-8
 * bytes, then the upload id; one key's uploads by sequencer), with the same answers for duplicates, look-ups,
 * ops notices, retractions, removals and misplaced-upload notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import type { MisplacedNoticeLedger, MisplacedUploadNotice, UploadLedger, UploadRecord, UploadRemoval } from '../../lambdas/ports/index.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const upload = (key: string, uploadedAt: string, uploadId: string, dataset: UploadRecord['dataset'] = 'leads'): UploadRecord => ({
  uploadId, dataset, bucket: 'b', key: `incoming/${dataset}/${key}`, uploadedAt, status: 'accepted', rows: 1, acceptedRows: 1,
  recordsKey: `accepted/${dataset}/${uploadId}.jsonl.gz`, reportKey: `reports/${dataset}/${uploadId}.json`,
  errorCounts: {}, warningCounts: {}, processedAt: uploadedAt,
});

const T = '2026-11-23T09:00:00.000Z';
/**
 * Recorded in an order unlike the expected one. At one instant (the CLI's case) the order is the key's: `a.csv`
 * before `a.csv (2)` before `a.csv.bak`; by UTF-8 bytes, not UTF-16 units: U+FF21 (EF BC A1) before an emoji
 * (F0 …), though JavaScript's sort puts it after.
 */
const UPLOADS = [
  upload('😀.csv', T, 'u01'),
  upload('Ａ.csv', T, 'u02'),
  upload('a.csv.bak', T, 'u03'),
  upload('a.csv', T, 'u04'),
  upload('a.csv (2)', T, 'u05'),
  upload('B.csv', T, 'u06'),
  upload('sub/a.csv', T, 'u07'),
  upload('é.csv', T, 'u08'),
  upload('a.csv', T, 'u00'), // the same key again at the same instant: the upload id decides
  upload('z.csv', '2026-11-23T08:59:59.999Z', 'u09'), // earlier: first, whatever its key
  upload('0.csv', '2026-11-23T09:00:00.001Z', 'u10'), // later: last
  upload('a.csv', T, 'u11', 'spend'), // another dataset: another partition
];

async function recordAll(ledger: UploadLedger): Promise<boolean[]> {
  const firsts: boolean[] = [];
  for (const u of UPLOADS) firsts.push(await ledger.recordUpload(u));
  firsts.push(await ledger.recordUpload({ ...UPLOADS[3]!, rows: 99 })); // a duplicate event: not recorded again
  return firsts;
}

describe('InMemoryUploadLedger', () => {
  it('lists uploads in the order the DynamoDB ledger does', async () => {
    const dynamo = stack.table.uploads;
    const memory = new InMemoryUploadLedger();
    expect(await recordAll(memory)).toEqual(await recordAll(dynamo));
    const keysOf = async (l: UploadLedger, d: UploadRecord['dataset']) => (await l.listUploads(d)).map((u) => `${u.key.split('/').slice(2).join('/')} ${u.uploadId}`);
    const expected = [
      'z.csv u09', 'B.csv u06', 'a.csv u00', 'a.csv u04', 'a.csv (2) u05', 'a.csv.bak u03', 'sub/a.csv u07', 'é.csv u08',
      'Ａ.csv u02', '😀.csv u01', '0.csv u10',
    ];
    expect(await keysOf(dynamo, 'leads')).toEqual(expected);
    expect(await keysOf(memory, 'leads')).toEqual(expected);
    expect(await keysOf(memory, 'spend')).toEqual(await keysOf(dynamo, 'spend'));
    expect(await memory.listUploads('leads')).toEqual(await dynamo.listUploads('leads'));
  });

  it('finds an upload by its identity and marks its ops notice sent, as the DynamoDB ledger does', async () => {
    const dynamo = stack.table.uploads;
    const memory = new InMemoryUploadLedger();
    await recordAll(memory);
    const pending: UploadRecord = { ...upload('late.csv', T, 'u12'), status: 'rejected', opsNotice: 'pending' };
    for (const l of [dynamo, memory]) {
      await l.recordUpload(pending);
      await l.markOpsNotified(pending);
    }
    expect(await memory.findUpload(pending)).toEqual({ ...pending, opsNotice: 'sent' });
    expect(await memory.findUpload(pending)).toEqual(await dynamo.findUpload(pending));
    expect(await memory.findUpload(UPLOADS[3]!)).toEqual(UPLOADS[3]);
    // An upload is found by its id (bucket, key and version): the same upload whatever time an event says.
    expect(await memory.findUpload({ ...UPLOADS[3]!, uploadedAt: '2026-11-23T09:00:00.002Z' })).toEqual(UPLOADS[3]);
    expect(await dynamo.findUpload({ ...UPLOADS[3]!, uploadedAt: '2026-11-23T09:00:00.002Z' })).toEqual(UPLOADS[3]);
    expect(await memory.findUpload({ ...UPLOADS[3]!, uploadId: 'u99' })).toBeUndefined();
    expect(await dynamo.findUpload({ ...UPLOADS[3]!, uploadId: 'u99' })).toBeUndefined();
  });

  it('records an upload whose S3 key is near S3\'s 1,024-byte limit (the sort key does not hold the key)', async () => {
    const dynamo = stack.table.uploads;
    const long = upload(`${'x'.repeat(1_000)}.csv`, T, 'u13', 'customers');
    expect(Buffer.byteLength(long.key)).toBeGreaterThan(1_000);
    expect(await dynamo.recordUpload(long)).toBe(true);
    expect(await dynamo.findUpload(long)).toEqual(long);
    await dynamo.markOpsNotified(long);
    expect((await dynamo.listUploads('customers')).map((u) => u.key)).toContain(long.key);
  });

  it('retracts an upload once, as the DynamoDB ledger does: the first time stays, an unknown upload is not created', async () => {
    const dynamo = stack.table.uploads;
    const memory = new InMemoryUploadLedger();
    const u = upload('retracted.csv', T, 'u20', 'opportunities');
    const answers = async (l: UploadLedger) => [
      await l.markRetracted(u, '2026-11-24T00:00:00.000Z'), // not recorded yet
      await l.recordUpload(u),
      await l.markRetracted(u, '2026-11-24T01:00:00.000Z'),
      await l.markRetracted(u, '2026-11-24T02:00:00.000Z'), // a redelivered event
    ];
    expect(await answers(memory)).toEqual([false, true, true, false]);
    expect(await answers(dynamo)).toEqual([false, true, true, false]);
    const retracted = { ...u, retractedAt: '2026-11-24T01:00:00.000Z', retractionNotice: 'pending' };
    expect(await memory.findUpload(u)).toEqual(retracted);
    expect(await dynamo.findUpload(u)).toEqual(retracted);
    for (const l of [memory, dynamo]) {
      await l.markRetractionNotified(u);
      await l.markRetractionNotified({ ...u, uploadId: 'u99' }); // unknown: nothing created
    }
    expect(await memory.listUploads('opportunities')).toEqual([{ ...retracted, retractionNotice: 'sent' }]);
    expect(await dynamo.listUploads('opportunities')).toEqual(await memory.listUploads('opportunities'));
  });

  it('keeps removals once each and lists a key\'s removals, in the same order, as the DynamoDB ledger does', async () => {
    const dynamo = stack.table.uploads;
    const memory = new InMemoryUploadLedger();
    const key = 'incoming/spend/meta.csv';
    const removal = (r: Partial<UploadRemoval>): UploadRemoval => ({ dataset: 'spend', key, scope: 'key', recordedAt: '2026-11-24T00:00:00.000Z', ...r });
    const removals = [
      removal({ sequencer: '0B', eventTime: '2026-11-23T10:00:00.000Z' }),
      removal({ scope: 'version', versionId: 'v1', sequencer: '0A', recordedAt: '2026-11-23T00:00:00.000Z' }),
      removal({ sequencer: '0B', eventTime: '2026-11-23T10:00:00.000Z', recordedAt: '2026-11-25T00:00:00.000Z' }), // redelivered
      removal({ key: `${key}.bak`, sequencer: '0C' }), // another key
      removal({ key: `${'x'.repeat(1_000)}.csv`, sequencer: '0D' }), // near S3's key limit
      removal({ dataset: 'leads', sequencer: '0E' }), // another dataset
    ];
    for (const l of [memory, dynamo]) for (const r of removals) await l.recordRemoval(r);
    const expected = [removals[1], removals[0]]; // the redelivery kept the first record
    expect(await memory.listRemovals('spend', key)).toEqual(expected);
    expect(await dynamo.listRemovals('spend', key)).toEqual(expected);
    expect(await dynamo.listRemovals('spend', removals[4]!.key)).toEqual([removals[4]]);
    expect(await dynamo.listRemovals('spend', 'incoming/spend/none.csv')).toEqual([]);
    // Removals are no uploads (the DynamoDB ledger holds earlier tests' spend uploads, none of them removals).
    expect(await memory.listUploads('spend')).toEqual([]);
    expect((await dynamo.listUploads('spend')).map((u) => u.key)).not.toContain(key);
    expect((await dynamo.listUploads('spend')).every((u) => typeof u.uploadId === 'string')).toBe(true);
  });

  it('records a misplaced-upload notice once and marks it sent, as the DynamoDB ledger does', async () => {
    const dynamo = stack.table.uploads;
    const memory = new InMemoryUploadLedger();
    const notice: MisplacedUploadNotice = {
      id: 'n1', bucket: 'b', key: 'incoming/Leads/x.csv', versionId: 'v1', suggestion: 'leads', seenAt: T, notice: 'pending',
    };
    const answers = async (l: MisplacedNoticeLedger) => [
      await l.findMisplacedNotice('n1'),
      await l.claimMisplacedNotice(notice),
      await l.claimMisplacedNotice({ ...notice, seenAt: '2026-11-24T00:00:00.000Z' }),
      await l.findMisplacedNotice('n1'),
      await l.markMisplacedNotified('n1', '2026-11-24T00:00:00.000Z'),
      await l.markMisplacedNotified('n2', '2026-11-24T00:00:00.000Z'), // unknown: nothing created
      await l.findMisplacedNotice('n1'),
      await l.findMisplacedNotice('n2'),
    ];
    const expected = [undefined, true, false, notice, undefined, undefined, { ...notice, notice: 'sent', sentAt: '2026-11-24T00:00:00.000Z' }, undefined];
    expect(await answers(memory)).toEqual(expected);
    expect(await answers(dynamo)).toEqual(expected);
  });

  it('moves a pending notice\'s lease only from the lease it has, and never a sent one\'s, as the DynamoDB ledger does', async () => {
    const answers = async (l: MisplacedNoticeLedger, id: string) => {
      const notice: MisplacedUploadNotice = { id, bucket: 'b', key: 'incoming/x.csv', seenAt: T, notice: 'pending' };
      return [
        await l.leaseMisplacedNotice(id, undefined, 'L1'), // no notice yet: nothing created
        await l.findMisplacedNotice(id),
        await l.claimMisplacedNotice(notice), // an older notice, without a lease
        await l.leaseMisplacedNotice(id, 'L0', 'L1'), // not the lease it has
        await l.leaseMisplacedNotice(id, undefined, 'L1'), // taken over
        await l.leaseMisplacedNotice(id, undefined, 'L2'), // by another redelivery at the same time: too late
        (await l.findMisplacedNotice(id))?.leaseUntil,
        await l.markMisplacedNotified(id, '2026-11-24T00:00:00.000Z'),
        await l.leaseMisplacedNotice(id, 'L1', 'L3'), // sent: never again
        (await l.findMisplacedNotice(id))?.leaseUntil,
      ];
    };
    const expected = [false, undefined, true, false, true, false, 'L1', undefined, false, 'L1'];
    expect(await answers(new InMemoryUploadLedger(), 'n-lease')).toEqual(expected);
    expect(await answers(stack.table.uploads, 'n-lease')).toEqual(expected);
  });

  it('hands out copies: changing a listed record does not change the ledger', async () => {
    const memory = new InMemoryUploadLedger();
    await memory.recordUpload(UPLOADS[0]!);
    const [listed] = await memory.listUploads('leads');
    (listed as { rows: number }).rows = 42;
    expect((await memory.listUploads('leads'))[0]!.rows).toBe(1);
  });
});
