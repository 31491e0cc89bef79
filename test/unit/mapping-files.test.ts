/**
 * Mapping files in the bucket, with in-memory ports: a team's sheet is rejected with suggestions and a draft
 * mapping attached to the ops email; the mapping uploaded beside it validates it again (accepted, one email saying
 * so, once whatever S3 redelivers); the nearest mapping wins; a bad mapping is a mapping-error naming what is
 * wrong; an upload rejected for something no mapping fixes is left alone.
 */
import { describe, expect, it } from 'vitest';
import { CapturingMailer, InMemoryKpiStore, InMemoryUploadLedger } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import type { ValidationReport } from '../../lambdas/domain/validation/report.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { ingestUpload, type IngestOutcome } from '../../lambdas/use-cases/ingest-upload.ts';
import { settingsWith } from '../helpers/export-builders.ts';
import { FIXTURE_SETTINGS, fixtureBytes } from '../helpers/fixture-exports.ts';
import { MemoryBucket } from '../helpers/memory-bucket.ts';

const bucket = 'b';
const NOW = new Date('2026-11-02T10:00:00Z');
const TEAM_DEALS = fixtureBytes('team-deals.csv').toString('utf8');
const TEAM_MAPPING = fixtureBytes('team-deals.mapping.json').toString('utf8');

function world() {
  const store = new MemoryBucket(true);
  const ledger = new InMemoryUploadLedger();
  const inbox = new CapturingMailer();
  const settings = settingsWith(FIXTURE_SETTINGS);
  const deps = { store, ledger, mailer: inbox, clock: { now: () => NOW }, settings };
  let n = 0;
  return {
    store, ledger, inbox, deps,
    /** Puts `body` at `key` and runs the validation its S3 event would start (again with `redeliver`). */
    async upload(key: string, body: string): Promise<IngestOutcome> {
      n++;
      const v = store.put(key, body, `2026-11-01T10:00:0${n}.000Z`);
      return this.event(key, v.versionId, n);
    },
    event(key: string, versionId: string, at: number): Promise<IngestOutcome> {
      return ingestUpload({ bucket, key, versionId }, deps, 'opportunities', {
        eventTime: `2026-11-01T10:00:0${at}.000Z`, sequencer: at.toString(16).padStart(16, '0'),
      });
    },
    async revenue(): Promise<number | null | undefined> {
      const kpis = new InMemoryKpiStore();
      await computeAndStoreKpis([parsePeriodId('2026-10')], { store, ledger, kpis, clock: { now: () => NOW }, settings });
      return (await kpis.getPeriod('2026-10')).kpis.find((k) => k.id === 'revenue')?.value;
    },
  };
}

describe('a team sheet and its mapping file in the bucket', () => {
  it('is rejected with suggestions and a draft mapping.json attached, then accepted when the mapping arrives', async () => {
    const w = world();
    const first = await w.upload('incoming/opportunities/team/deals-2026-10.csv', TEAM_DEALS);
    expect(first.outcome).toBe('rejected');
    const report = (first as { report: ValidationReport }).report;
    expect(report.errorCounts).toEqual({ 'missing-column': 4 });
    expect(report.suggestions?.opportunity_id?.[0]?.header).toBe('Ref');
    expect(report.suggestions?.amount?.[0]?.header).toBe('Value');
    expect(report.mappingDraft).toMatchObject({
      columns: { opportunity_id: 'Ref', created_at: 'Opened', status: 'Outcome', amount: 'Value' },
      values: { status: { won: ['Signed'], lost: ['Dropped'] } },
      dateOrder: 'DMY',
    });
    expect(w.inbox.sent).toHaveLength(1);
    const mail = w.inbox.sent[0]!.email;
    expect(mail.text).toContain('closest headers for the missing columns');
    expect(mail.text).toContain('upload it as incoming/opportunities/team/mapping.json');
    expect(mail.attachments).toMatchObject([{ filename: 'mapping.json', contentType: 'application/json' }]);
    expect(JSON.parse(String(mail.attachments![0]!.content))).toEqual(report.mappingDraft);
    expect(await w.revenue()).toBeNull();

    // Ops correct the draft (the open words) and upload it beside the file.
    const mapped = await w.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING);
    expect(mapped).toMatchObject({ outcome: 'mapping', revalidated: [{ key: 'incoming/opportunities/team/deals-2026-10.csv', status: 'accepted' }] });
    expect(w.inbox.sent).toHaveLength(2);
    expect(w.inbox.sent[1]!.email.subject).toBe('Mapping applied: 1 of 1 upload accepted (incoming/opportunities/team/mapping.json)');
    expect(w.inbox.sent[1]!.email.text).toContain('incoming/opportunities/team/deals-2026-10.csv: 5 of 5 rows');
    expect(await w.revenue()).toBe(16_700);
    const uploads = await w.ledger.listUploads('opportunities');
    const original = uploads.find((u) => !u.revalidates)!;
    expect(original.status).toBe('rejected');
    expect(uploads.find((u) => u.revalidates)).toMatchObject({
      status: 'accepted', revalidates: original.uploadId, uploadedAt: original.uploadedAt, sequencer: original.sequencer,
      mapping: expect.stringMatching(/^incoming\/opportunities\/team\/mapping.json@v/),
    });

    // S3 delivers the mapping's event again: nothing new, no second email.
    const again = await w.event('incoming/opportunities/team/mapping.json', 'v2', 2);
    expect(again).toMatchObject({ outcome: 'mapping', revalidated: [{ status: 'accepted' }] });
    expect(w.inbox.sent).toHaveLength(2);
    expect(await w.ledger.listUploads('opportunities')).toHaveLength(2);

    // The next month's file of the folder is read with the mapping straight away.
    const next = await w.upload('incoming/opportunities/team/deals-2026-11.csv', TEAM_DEALS.replace(/T-/g, 'N-'));
    expect(next).toMatchObject({ outcome: 'accepted', report: { format: { mapping: 'incoming/opportunities/team/mapping.json' } } });
  });

  it('the email about a mapping that failed to send is sent when the event comes again, once', async () => {
    const w = world();
    await w.upload('incoming/opportunities/team/deals.csv', TEAM_DEALS);
    let failNext = true;
    const send = w.inbox.send.bind(w.inbox);
    w.inbox.send = async (email) => {
      if (email.subject.startsWith('Mapping applied') && failNext) { failNext = false; throw new Error('SES throttled'); }
      return send(email);
    };
    await expect(w.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING)).rejects.toThrow('SES throttled');
    expect((await w.ledger.listUploads('opportunities')).find((u) => u.revalidates)).toMatchObject({ status: 'accepted', opsNotice: 'pending' });
    // Lambda retries the event.
    expect(await w.event('incoming/opportunities/team/mapping.json', 'v2', 2)).toMatchObject({ revalidated: [{ status: 'accepted' }] });
    expect(w.inbox.sent.map((m) => m.email.subject.split(':')[0])).toEqual(['Upload rejected', 'Mapping applied']);
    expect((await w.ledger.listUploads('opportunities')).find((u) => u.revalidates)?.opsNotice).toBe('sent');
    await w.event('incoming/opportunities/team/mapping.json', 'v2', 2);
    expect(w.inbox.sent).toHaveLength(2);
  });

  it('a mapping in a sub-folder wins there; the folder above\'s mapping leaves those files alone', async () => {
    const w = world();
    await w.upload('incoming/opportunities/team/eu/deals.csv', TEAM_DEALS);
    await w.upload('incoming/opportunities/team/eu/mapping.json', TEAM_MAPPING.replace('"Rep"', '"Client"'));
    const top = await w.upload('incoming/opportunities/mapping.json', TEAM_MAPPING);
    expect(top).toMatchObject({ outcome: 'mapping', revalidated: [] });
    const uploads = await w.ledger.listUploads('opportunities');
    expect(uploads.find((u) => u.revalidates)?.mapping).toMatch(/^incoming\/opportunities\/team\/eu\/mapping.json@/);
  });

  it('a bad mapping file: ops are told what is wrong, and uploads of its folder are mapping-errors until it is fixed', async () => {
    const w = world();
    const bad = await w.upload('incoming/opportunities/team/mapping.json', JSON.stringify({ columns: { opportunity_idd: 'Ref' }, dateOrder: 'YMD' }));
    expect(bad).toMatchObject({ outcome: 'mapping', revalidated: [] });
    expect(w.inbox.sent[0]!.email.subject).toBe('Mapping file not used: incoming/opportunities/team/mapping.json');
    expect(w.inbox.sent[0]!.email.text).toContain('did you mean opportunity_id?');
    expect(w.inbox.sent[0]!.email.text).toContain('dateOrder');
    const rejected = await w.upload('incoming/opportunities/team/deals.csv', TEAM_DEALS);
    expect(rejected).toMatchObject({ outcome: 'rejected', report: { errorCounts: { 'mapping-error': 2 } } });
    // Fixed: the upload rejected for the mapping is validated again and accepted.
    const fixed = await w.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING);
    expect(fixed).toMatchObject({ outcome: 'mapping', revalidated: [{ status: 'accepted' }] });
  });

  it('an upload rejected for something no mapping fixes (a duplicate id) is not validated again', async () => {
    const w = world();
    const dup = TEAM_DEALS.replace('T-2,', 'T-1,');
    await w.upload('incoming/opportunities/team/deals.csv', dup);
    await w.upload('incoming/opportunities/team/other.csv', TEAM_DEALS.replace('Ref,', 'Reference,'));
    const mapped = await w.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING.replace('"Ref"', '"Reference"'));
    // Both were rejected for their columns: both are validated again. deals.csv has "Ref", not "Reference": still rejected.
    expect(mapped).toMatchObject({
      outcome: 'mapping',
      revalidated: [{ key: 'incoming/opportunities/team/deals.csv', status: 'rejected' }, { key: 'incoming/opportunities/team/other.csv', status: 'accepted' }],
    });
    expect(w.inbox.sent.at(-1)!.email.text).toContain('mapping-error');
    const dupOnly = world();
    await dupOnly.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING);
    const r = await dupOnly.upload('incoming/opportunities/team/deals.csv', dup);
    expect(r).toMatchObject({ outcome: 'rejected', report: { errorCounts: { 'duplicate-id': 1 } } });
    const changed = await dupOnly.upload('incoming/opportunities/team/mapping.json', TEAM_MAPPING.replace('"Rep"', '"Client"'));
    expect(changed).toMatchObject({ outcome: 'mapping', revalidated: [] });
  });
});
