/**
 * Uploads outside every dataset folder (`incoming/Leads/x.csv`, `incoming/deals/x.csv`, `incoming/x.csv`), with
 * in-memory ports: ops are told where the file should go, once per object version; keys in a dataset folder are
 * left to their validation function.
 */
import { describe, expect, it } from 'vitest';
import { CapturingMailer, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { datasetOfFolderName, suggestDatasetFolder } from '../../lambdas/domain/upload-notices.ts';
import { MailNotSentError, type Mailer } from '../../lambdas/ports/index.ts';
import { NoticeInFlightError, notifyMisplacedUpload } from '../../lambdas/use-cases/notify-misplaced-upload.ts';
import { settingsWith } from '../helpers/export-builders.ts';

const bucket = 'b';

function world(mailer?: Mailer) {
  const inbox = new CapturingMailer();
  const notices = new InMemoryUploadLedger();
  let now = new Date('2026-11-02T10:00:00Z');
  const deps = { notices, mailer: mailer ?? inbox, clock: { now: () => now }, settings: settingsWith() };
  return { inbox, notices, deps, later: () => { now = new Date(now.getTime() + 60_000); } };
}

describe('where a misplaced upload should go', () => {
  it.each([
    ['incoming/Leads/x.csv', 'leads', 'incoming/leads/x.csv'],
    ['incoming/LEADS/2026/oct export.csv', 'leads', 'incoming/leads/2026/oct export.csv'],
    ['incoming/deals/x.csv', 'opportunities', 'incoming/opportunities/x.csv'],
    ['incoming/Opportunity/x.csv', 'opportunities', 'incoming/opportunities/x.csv'],
    ['incoming/Web Traffic/ga4.csv', 'web_traffic', 'incoming/web_traffic/ga4.csv'],
    ['incoming/web-traffic/ga4.csv', 'web_traffic', 'incoming/web_traffic/ga4.csv'],
    ['incoming/leeds/x.csv', 'leads', 'incoming/leads/x.csv'], // a typo
    ['incoming/oportunities/x.csv', 'opportunities', 'incoming/opportunities/x.csv'],
    ['incoming/Ad Spend/meta.csv', 'spend', 'incoming/spend/meta.csv'],
    ['incoming/customer/stripe.csv', 'customers', 'incoming/customers/stripe.csv'],
    ['incoming/leads-2026-10.csv', 'leads', 'incoming/leads/leads-2026-10.csv'], // at the top, named after its dataset
    ['incoming/hubspot-deals.xlsx', 'opportunities', 'incoming/opportunities/hubspot-deals.xlsx'],
  ])('%s → %s', (key, dataset, suggested) => {
    expect(suggestDatasetFolder(key)).toEqual({ dataset, key: suggested });
  });

  it.each(['incoming/x.csv', 'incoming/misc/x.csv', 'incoming/leads and spend.csv', 'incoming/2026/leads.csv', 'incoming/s/x.csv'])(
    'suggests nothing for %s (the email lists every dataset folder)', (key) => {
      expect(suggestDatasetFolder(key)).toEqual({});
    },
  );

  it('reads a folder name whatever its letters and separators, and only near typos of one dataset', () => {
    expect(datasetOfFolderName('WEB_TRAFFIC')).toBe('web_traffic');
    expect(datasetOfFolderName('Customers ')).toBe('customers');
    expect(datasetOfFolderName('spent')).toBe('spend');
    expect(datasetOfFolderName('')).toBeUndefined();
    expect(datasetOfFolderName('archive')).toBeUndefined();
  });
});

describe('notifyMisplacedUpload', () => {
  it('emails ops where the file should go, once per object version', async () => {
    const w = world();
    const object = { bucket, key: 'incoming/Leads/oct.csv', versionId: 'v1' };
    const first = await notifyMisplacedUpload(object, w.deps);
    expect(first).toMatchObject({ outcome: 'notified', suggestedKey: 'incoming/leads/oct.csv' });
    // Delivered again: nothing more.
    expect(await notifyMisplacedUpload(object, w.deps)).toEqual({ outcome: 'duplicate', id: (first as { id: string }).id });
    expect(w.inbox.sent).toHaveLength(1);
    const mail = w.inbox.sent[0]!.email;
    expect(mail).toMatchObject({ from: 'scorecard@example.com', to: ['ops@example.com'], subject: 'Upload outside a dataset folder: incoming/Leads/oct.csv' });
    expect(mail.text).toContain('incoming/Leads/oct.csv was uploaded under incoming/ but not into a dataset folder, so it was not validated');
    expect(mail.text).toContain('It looks like a leads export (folder names are exact, in lower case): upload it as\n  incoming/leads/oct.csv\nand delete incoming/Leads/oct.csv.');
    for (const folder of ['incoming/leads/', 'incoming/opportunities/', 'incoming/spend/', 'incoming/customers/', 'incoming/web_traffic/']) {
      expect(mail.text).toContain(folder);
    }
    expect(await w.notices.findMisplacedNotice((first as { id: string }).id)).toMatchObject({
      key: 'incoming/Leads/oct.csv', versionId: 'v1', suggestion: 'leads', notice: 'sent', sentAt: '2026-11-02T10:00:00.000Z',
    });
    // The same key uploaded again (a new version): told again.
    expect((await notifyMisplacedUpload({ ...object, versionId: 'v2' }, w.deps)).outcome).toBe('notified');
    expect(w.inbox.sent).toHaveLength(2);
  });

  it('without versions, tells two writes of a key apart by their sequencer', async () => {
    const w = world();
    expect((await notifyMisplacedUpload({ bucket, key: 'incoming/x.csv', sequencer: '01' }, w.deps)).outcome).toBe('notified');
    expect((await notifyMisplacedUpload({ bucket, key: 'incoming/x.csv', sequencer: '01' }, w.deps)).outcome).toBe('duplicate');
    expect((await notifyMisplacedUpload({ bucket, key: 'incoming/x.csv', sequencer: '02' }, w.deps)).outcome).toBe('notified');
    const text = w.inbox.sent[0]!.email.text;
    expect(text).toContain('Upload it again into the folder of its dataset, and delete this copy.');
    expect(text).toContain('incoming/web_traffic/');
  });

  it('leaves dataset folders, folder markers and keys outside incoming/ alone', async () => {
    const w = world();
    for (const key of ['incoming/leads/x.csv', 'incoming/web_traffic/2026/x.csv', 'incoming/Leads/', 'incoming/', 'accepted/leads/x.jsonl.gz']) {
      expect((await notifyMisplacedUpload({ bucket, key, versionId: 'v1' }, w.deps)).outcome, key).toBe('ignored');
    }
    expect(w.inbox.sent).toEqual([]);
  });

  it('sends on the redelivery an email SES refused, and only then is it a duplicate', async () => {
    let fail = true;
    const inbox = new CapturingMailer();
    const w = world({ send: async (e) => { if (fail) { fail = false; throw new MailNotSentError('Throttling', 'Rate exceeded'); } return inbox.send(e); } });
    const object = { bucket, key: 'incoming/deals/q4.csv', versionId: 'v1' };
    await expect(notifyMisplacedUpload(object, w.deps)).rejects.toThrow('Rate exceeded');
    // Refused for certain: the lease was given back, so the retry sends at once.
    expect(await notifyMisplacedUpload(object, w.deps)).toMatchObject({ outcome: 'notified', suggestedKey: 'incoming/opportunities/q4.csv' });
    expect(await notifyMisplacedUpload(object, w.deps)).toMatchObject({ outcome: 'duplicate' });
    expect(inbox.sent.map((s) => s.email.subject)).toEqual(['Upload outside a dataset folder: incoming/deals/q4.csv']);
  });

  it('sends one email when two deliveries of the event run at once; the other is retried and finds it sent', async () => {
    const inbox = new CapturingMailer();
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const w = world({ send: async (e) => { await held; return inbox.send(e); } });
    const object = { bucket, key: 'incoming/deals/q4.csv', versionId: 'v1' };
    const first = notifyMisplacedUpload(object, { ...w.deps, claimLeaseMs: 30_000 });
    await new Promise((r) => setTimeout(r, 0));
    await expect(notifyMisplacedUpload(object, { ...w.deps, claimLeaseMs: 30_000 })).rejects.toBeInstanceOf(NoticeInFlightError);
    release();
    expect(await first).toMatchObject({ outcome: 'notified' });
    w.later(); // Lambda's retry of the second, a minute later
    expect(await notifyMisplacedUpload(object, w.deps)).toMatchObject({ outcome: 'duplicate' });
    expect(inbox.sent).toHaveLength(1);
  });

  it('sends again once the lease of a delivery that died mid-send is over (at least once), and only one redelivery takes it over', async () => {
    const inbox = new CapturingMailer();
    let dies = true;
    const w = world({ send: async (e) => { if (dies) { dies = false; throw new Error('socket hang up'); } return inbox.send(e); } });
    const object = { bucket, key: 'incoming/deals/q4.csv', versionId: 'v1' };
    // An unknown outcome keeps the lease: SES may have taken the email.
    await expect(notifyMisplacedUpload(object, { ...w.deps, claimLeaseMs: 30_000 })).rejects.toThrow('socket hang up');
    await expect(notifyMisplacedUpload(object, w.deps)).rejects.toBeInstanceOf(NoticeInFlightError);
    w.later();
    const [a, b] = await Promise.allSettled([notifyMisplacedUpload(object, w.deps), notifyMisplacedUpload(object, w.deps)]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(inbox.sent).toHaveLength(1);
    expect(await notifyMisplacedUpload(object, w.deps)).toMatchObject({ outcome: 'duplicate' });
  });

  it('escapes control characters of a key in the email', async () => {
    const w = world();
    await notifyMisplacedUpload({ bucket, key: 'incoming/x\u001b[2J.csv', versionId: 'v1' }, w.deps);
    expect(w.inbox.sent[0]!.email.subject).toBe('Upload outside a dataset folder: incoming/x\\u001b[2J.csv');
  });
});
