/**
 * End to end on the stand-ins (S3, DynamoDB and SES over HTTP, the validation handler driven by the bucket's own
 * events): a sales team's own spreadsheet, with made-up headers, D/M/Y dates and its own status words, is
 * rejected; the ops email carries a draft mapping.json; the mapping is uploaded beside the file; the file is
 * validated again and accepted, a second email says so; and the KPIs include it. Nothing was uploaded twice.
 */
import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/domain/settings.ts';
import { computeAndStoreKpis } from '../../lambdas/use-cases/compute-kpis.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const FOLDER = 'incoming/opportunities/sales-team/';
const SHEET = `${FOLDER}deals-2026-10.csv`;
const settings: Settings = { ...DEFAULT_SETTINGS, salesSourcedSources: [...DEFAULT_SETTINGS.salesSourcedSources, 'Cold call'] };

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(settings);
});
afterAll(async () => {
  await stack?.stop();
});

/** Puts an object and lets the validation handler take the event S3 (the stand-in) sent for it. */
async function upload(key: string, body: string): Promise<string[]> {
  const before = stack.events.length;
  await stack.put(key, body);
  expect(stack.events.length).toBe(before + 1);
  return (await validateUpload(stack.events.at(-1)!)).outcomes;
}

/** The emails ops received so far, parsed from the raw messages SES was given. */
async function opsInbox() {
  const received = await stack.standIns.receivedEmails();
  return Promise.all(received.map(async (e) => {
    const raw = e.rawData !== undefined ? Buffer.from(e.rawData) : stack.standIns.rawMessage((e as { messageId?: string }).messageId ?? '');
    const mail = await simpleParser(raw!);
    return { to: e.destination.to, subject: mail.subject ?? '', text: mail.text ?? '', attachments: mail.attachments };
  }));
}

describe('a team\'s own spreadsheet, then its mapping, on the stand-ins', () => {
  let draft: { columns: Record<string, string>; values?: Record<string, Record<string, string[]>>; dateOrder?: string };

  it('is rejected, and the ops email names the missing columns, proposes headers and attaches a draft mapping.json', async () => {
    const sheet = await readFile(new URL('../fixtures/exports/team-deals.csv', import.meta.url), 'utf8');
    expect(await upload(SHEET, sheet)).toEqual(['rejected']);
    const uploads = await stack.table.uploads.listUploads('opportunities');
    expect(uploads.map((u) => [u.key, u.status, u.errorCounts])).toEqual([[SHEET, 'rejected', { 'missing-column': 4 }]]);

    const [mail] = await opsInbox();
    expect(mail!.to).toEqual([settings.opsEmail]);
    expect(mail!.subject).toBe(`Upload rejected: ${SHEET} (4 errors)`);
    expect(mail!.text).toContain('required column "opportunity_id" is missing');
    expect(mail!.text).toContain('opportunity_id: "Ref"');
    expect(mail!.text).toContain(`upload it as ${FOLDER}mapping.json`);
    const attached = mail!.attachments.find((a) => a.filename === 'mapping.json');
    expect(attached?.contentType).toBe('application/json');
    draft = JSON.parse(attached!.content.toString('utf8'));
    expect(draft).toMatchObject({
      columns: { opportunity_id: 'Ref', created_at: 'Opened', status: 'Outcome', closed_at: 'Decided', amount: 'Value', source: 'Came from' },
      values: { status: { won: ['Signed'], lost: ['Dropped'], open: ['In talks', 'Negotiating'] } },
      dateOrder: 'DMY',
    });
  });

  it('is accepted once the mapping is uploaded beside it, and ops are told', async () => {
    // What ops upload: the draft, checked (it was right) and trimmed of the candidates it listed for reference.
    const { candidates: _candidates, ...mapping } = draft as typeof draft & { candidates?: unknown };
    expect(await upload(`${FOLDER}mapping.json`, JSON.stringify(mapping, null, 2))).toEqual(['mapping']);

    const uploads = await stack.table.uploads.listUploads('opportunities');
    const original = uploads.find((u) => !u.revalidates)!;
    expect(uploads.find((u) => u.revalidates)).toMatchObject({
      key: SHEET, status: 'accepted', acceptedRows: 5, revalidates: original.uploadId, uploadedAt: original.uploadedAt,
    });
    // The raw upload was never touched; a copy of it lies with the first report.
    expect(await stack.list(FOLDER)).toEqual([SHEET, `${FOLDER}mapping.json`].sort());

    const inbox = await opsInbox();
    expect(inbox).toHaveLength(2);
    expect(inbox[1]!.subject).toBe(`Mapping applied: 1 of 1 upload accepted (${FOLDER}mapping.json)`);
    expect(inbox[1]!.text).toContain(`${SHEET}: 5 of 5 rows`);

    // The mapping's event delivered again: no new upload, no second email.
    expect((await validateUpload(stack.events.at(-1)!)).outcomes).toEqual(['mapping']);
    expect(await stack.table.uploads.listUploads('opportunities')).toHaveLength(2);
    expect(await opsInbox()).toHaveLength(2);
  });

  it('counts in the KPIs', async () => {
    const store = new S3ObjectStore(stack.clients.s3);
    const deps = { store, ledger: stack.table.uploads, kpis: stack.table.kpis, clock: { now: () => new Date('2026-11-01T06:00:00Z') }, settings };
    await computeAndStoreKpis([parsePeriodId('2026-10')], deps);
    const kpis = new Map((await stack.table.kpis.getPeriod('2026-10')).kpis.map((k) => [k.id, k]));
    expect(kpis.get('revenue')?.value).toBe(16_700);
    expect(kpis.get('win_rate')).toMatchObject({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(kpis.get('pipeline_created')?.value).toBe(14_000);
    expect(kpis.get('marketing_sourced_pipeline_pct')).toMatchObject({ numerator: 6_800, denominator: 14_000 });
    const accepted = (await stack.table.uploads.listUploads('opportunities')).find((u) => u.status === 'accepted')!;
    expect(kpis.get('revenue')?.uploads).toEqual([accepted.uploadId]);
  });
});
