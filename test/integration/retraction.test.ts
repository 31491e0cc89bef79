/**
 * Retraction and missing records on the stand-ins (S3, DynamoDB and SES over HTTP), driven by the bucket's own
 * events through the handlers: a file deleted from `incoming/` stops counting from the next KPI run and ops are
 * emailed once; a stored records file deleted by hand no longer fails every KPI run, and the summary names it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const A = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-10-02,Direct\n';
const B = 'Record ID,Create Date,Original Source\nL3,2026-10-03,Webinar\n';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function upload(key: string, body: string): Promise<void> {
  await stack.put(key, body);
  expect(await validateUpload(stack.events.at(-1)!)).toEqual({ outcomes: ['accepted'] });
}

/** October's leads after a KPI run through the handler, and the period's summary. */
async function october() {
  await computeKpis({ period: '2026-10' });
  const { kpis, summary } = await stack.table.kpis.getPeriod('2026-10');
  return { leads: kpis.find((k) => k.id === 'leads')?.value, summary };
}

const opsMail = async () => (await stack.standIns.receivedEmails()).filter((m) => m.destination.to.includes('ops@example.com'));

describe('a file deleted from incoming/ on the stand-ins', () => {
  it('stops counting from the next KPI run, and ops get one email naming it and its records', async () => {
    await upload('incoming/leads/a.csv', A);
    await upload('incoming/leads/b.csv', B);
    expect((await october()).leads).toBe(3);
    await stack.standIns.clearEmails();

    await stack.remove('incoming/leads/a.csv');
    const removal = stack.removals.at(-1)!;
    // Unversioned, like S3 without versioning: a delete without a version id.
    expect(removal.Records[0]).toMatchObject({ eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'incoming/leads/a.csv' } } });
    expect(removal.Records[0]!.s3.object.versionId).toBeUndefined();
    expect(await validateUpload(removal)).toEqual({ outcomes: ['retracted'] });

    expect((await october()).leads).toBe(1);
    const [a] = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === 'incoming/leads/a.csv');
    expect(a).toMatchObject({ status: 'accepted', retractionNotice: 'sent', retractedAt: expect.any(String) });
    const mails = await opsMail();
    expect(mails.map((m) => m.subject)).toEqual(['Upload retracted: incoming/leads/a.csv']);
    expect(mails[0]!.body.text).toContain(`upload ${a!.uploadId}`);
    expect(mails[0]!.body.text).toContain('2 records stop counting from the next KPI run');

    // The removal event delivered again: nothing changes, no second email.
    expect(await validateUpload(removal)).toEqual({ outcomes: ['nothing-retracted'] });
    expect(await opsMail()).toHaveLength(1);
  });

  it('counts the file again once it is uploaded again (a new upload)', async () => {
    await upload('incoming/leads/a.csv', `${A}L4,2026-10-04,Webinar\n`);
    expect((await october()).leads).toBe(4);
  });

  it('ignores the event of an upload deleted before it was validated (no versions: nothing left to read)', async () => {
    await stack.put('incoming/leads/gone.csv', B);
    const created = stack.events.at(-1)!;
    await stack.remove('incoming/leads/gone.csv');
    expect(await validateUpload(stack.removals.at(-1)!)).toEqual({ outcomes: ['nothing-retracted'] });
    expect(await validateUpload(created)).toEqual({ outcomes: ['ignored'] });
    expect((await stack.table.uploads.listUploads('leads')).map((u) => u.key)).not.toContain('incoming/leads/gone.csv');
  });
});

describe('a stored records file deleted by hand', () => {
  it('no longer fails the KPI run: the run goes on without the upload, the summary and the logs name it', async () => {
    const [b] = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === 'incoming/leads/b.csv');
    expect(await stack.list(b!.recordsKey!)).toEqual([b!.recordsKey]);
    await stack.remove(b!.recordsKey!);

    // The logger writes JSON lines to stdout and (errors) stderr: caught here, off the test output.
    const lines: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk) => { lines.push(...String(chunk).split('\n')); return true; }));
    let result;
    try {
      result = await october();
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(result.leads).toBe(3); // a.csv's re-upload: L1, L2, L4
    expect(result.summary?.unreadableUploads).toEqual([{
      dataset: 'leads', uploadId: b!.uploadId, key: 'incoming/leads/b.csv', recordsKey: b!.recordsKey,
      reason: expect.stringContaining('are missing'),
    }]);
    const errors = lines.filter((l) => l.includes('"level":"ERROR"')).map((l) => JSON.parse(l));
    expect(errors).toEqual([expect.objectContaining({
      message: 'stored records missing: upload left out of the KPIs', key: 'incoming/leads/b.csv', recordsKey: b!.recordsKey,
    })]);
  });
});
