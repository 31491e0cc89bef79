/**
 * The local pipeline wires the stand-in bucket's events to the handlers as the stack does: uploads and removals
 * under `incoming/<dataset>/` to the validation handler, any other key created under `incoming/` to the
 * misplaced-upload handler. Then `smarketing local` over a data folder with files outside the dataset folders.
 */
import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';
import { EventQueue, runLocalPipeline, wireHandlers } from '../../lambdas/local/pipeline.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const LEADS = 'Record ID,Create Date,Original Source\nL1,2026-10-01,Webinar\nL2,2026-10-02,Direct\n';

describe('the stand-in bucket wired to the handlers', () => {
  let stack: TestStack;
  const queue = new EventQueue();
  const outcomes: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
    wireHandlers(stack.standIns, queue, (_event, outcome) => outcomes.push(outcome));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('validates an upload, retracts it when the file is deleted, and tells ops about a file outside the dataset folders', async () => {
    await stack.put('incoming/leads/oct.csv', LEADS);
    await queue.drained();
    expect(outcomes).toEqual(['accepted']);
    await stack.remove('incoming/leads/oct.csv');
    await queue.drained();
    expect(outcomes).toEqual(['accepted', 'retracted']);
    expect((await stack.table.uploads.listUploads('leads'))[0]).toMatchObject({ retractedAt: expect.any(String), retractionNotice: 'sent' });

    await stack.put('incoming/Leads/oct.csv', LEADS);
    await stack.put('incoming/oct.csv', LEADS);
    await queue.drained();
    expect(outcomes).toEqual(['accepted', 'retracted', 'misplaced', 'misplaced']);
    expect(queue.failures).toEqual([]);
    const subjects = (await stack.standIns.receivedEmails()).filter((m) => m.destination.to.includes('ops@example.com')).map((m) => m.subject);
    expect(subjects).toEqual([
      'Upload retracted: incoming/leads/oct.csv',
      'Upload outside a dataset folder: incoming/Leads/oct.csv',
      'Upload outside a dataset folder: incoming/oct.csv',
    ]);
  });
});

describe('smarketing local over a folder with files outside the dataset folders', () => {
  it('validates the dataset folders and emails ops where each other file should go', async () => {
    const data = await mkdtemp(join(tmpdir(), 'local-misplaced-'));
    for (const dir of ['leads', 'Leads', 'deals']) await mkdir(join(data, dir), { recursive: true });
    await writeFile(join(data, 'leads', 'oct.csv'), LEADS);
    await writeFile(join(data, 'Leads', 'nov.csv'), LEADS);
    await writeFile(join(data, 'deals', 'q4.csv'), 'Deal ID,Create Date,Deal Stage,Close Date,Amount\nD1,2026-10-01,Closed Won,2026-10-20,100\n');
    await writeFile(join(data, 'loose.csv'), LEADS);
    const out = await mkdtemp(join(tmpdir(), 'local-misplaced-out-'));

    const result = await runLocalPipeline({ dataDir: data, outDir: out, settings: DEFAULT_SETTINGS, period: '2026-10' });

    expect([...result.uploads].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      { key: 'incoming/Leads/nov.csv', outcome: 'misplaced' },
      { key: 'incoming/deals/q4.csv', outcome: 'misplaced' },
      { key: 'incoming/leads/oct.csv', outcome: 'accepted' },
      { key: 'incoming/loose.csv', outcome: 'misplaced' },
    ]);
    const ops = result.emails.filter((e) => e.to.includes('ops@example.com'));
    expect(ops.map((e) => e.subject).sort()).toEqual([
      'Upload outside a dataset folder: incoming/Leads/nov.csv',
      'Upload outside a dataset folder: incoming/deals/q4.csv',
      'Upload outside a dataset folder: incoming/loose.csv',
    ]);
    const deals = ops.find((e) => e.subject.includes('deals'))!;
    expect(await readFile(deals.html, 'utf8')).toContain('incoming/opportunities/q4.csv');
    // Each email as SES was given it and its HTML (the scorecard's images and CSV beside it, in a folder).
    expect((await readdir(out)).filter((f) => /\.(eml|html)$/.test(f)).length).toBe(result.emails.length * 2);
  });
});
