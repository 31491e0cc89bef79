/**
 * End to end through the stand-ins (S3, DynamoDB and SES over HTTP): an export put in the bucket, the
 * validation outcome, the KPIs in the table, the scorecard in the SES stand-in's inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { handler as sendScorecard } from '../../lambdas/handlers/send-scorecard.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

/** 8 leads created in October 2026: 4 MQLs (2 webinar, 2 paid social), 2 SQLs (both webinar, 1 accepted). */
const GOOD_LEADS = [
  'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status',
  '101,2026-10-01 09:00,Webinar,2026-10-02,2026-10-05,Accepted',
  '102,2026-10-03 10:30,Webinar,2026-10-04,2026-10-09,Rejected',
  '103,2026-10-05,Paid Social,2026-10-06,,',
  '104,2026-10-07,Paid Social,2026-10-08,,',
  '105,2026-10-10,Organic Search,,,',
  '106,2026-10-12,"Referrals, partners",,,',
  '107,2026-10-20,Organic Search,,,',
  '108,2026-10-31 23:30,Direct Traffic,,,',
].join('\r\n');

const BAD_LEADS = [
  'Record ID,Create Date,Original Source',
  '201,2026-10-01,Webinar',
  '201,2026-02-30,Webinar',
].join('\n');

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the pipeline on the local stand-ins', () => {
  it('accepts a good export once, even when its event is delivered twice', async () => {
    await stack.put('incoming/leads/october export.csv', GOOD_LEADS);
    const event = stack.events.at(-1)!;
    expect(event.Records[0]!.s3.object.key).toBe('incoming/leads/october+export.csv'); // URL-encoded, like S3

    expect(await validateUpload(event)).toEqual({ outcomes: ['accepted'] });
    expect(await validateUpload(event)).toEqual({ outcomes: ['duplicate'] });

    const uploads = await stack.table.uploads.listUploads('leads');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ status: 'accepted', rows: 8, acceptedRows: 8, key: 'incoming/leads/october export.csv' });
    expect(await stack.list('accepted/leads/')).toEqual([uploads[0]!.recordsKey]);
    expect(await stack.list('incoming/leads/')).toEqual(['incoming/leads/october export.csv']);
  });

  it('rejects a bad export whole: raw kept, report beside a copy, ops told', async () => {
    await stack.put('incoming/leads/bad.csv', BAD_LEADS);
    expect(await validateUpload(stack.events.at(-1)!)).toEqual({ outcomes: ['rejected'] });

    expect(await stack.list('incoming/leads/')).toContain('incoming/leads/bad.csv');
    const [upload] = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === 'incoming/leads/bad.csv');
    const copy = `rejected/leads/${upload!.uploadId}/bad.csv`;
    expect(upload).toMatchObject({ status: 'rejected', reportKey: `${copy}.report.json` });
    expect(await stack.list('rejected/leads/')).toEqual([copy, `${copy}.report.json`]);
    const report = JSON.parse(await stack.getText(`${copy}.report.json`));
    expect(report.status).toBe('rejected');
    expect(report.errorCounts).toEqual({ 'duplicate-id': 1, 'type-error': 1 });
    expect(report.errors.map((e: { code: string; row: number; line: number; column: string }) => [e.code, e.row, e.line, e.column]))
      .toEqual([['type-error', 3, 3, 'created_at'], ['duplicate-id', 3, 3, 'lead_id']]);

    const mails = await stack.standIns.receivedEmails();
    const ops = mails.filter((m) => m.destination.to.includes('ops@example.com'));
    expect(ops).toHaveLength(1);
    expect(ops[0]!.subject).toContain('bad.csv');
    expect(ops[0]!.body.text).toContain('duplicate-id');
    expect(ops[0]!.body.text).toContain('row 3');
  });

  it('computes KPIs into the table, readable by period and by KPI history', async () => {
    const result = await computeKpis({ period: '2026-10' });
    expect(result.period).toBe('2026-10');
    expect(result.computed).toHaveLength(14);

    const { kpis, summary } = await stack.table.kpis.getPeriod('2026-10');
    const byId = new Map(kpis.map((k) => [k.id, k]));
    expect(byId.get('leads')?.value).toBe(8);
    expect(byId.get('mqls')?.value).toBe(4);
    expect(byId.get('sqls')?.value).toBe(2);
    expect(byId.get('mql_to_sql_rate')).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
    expect(byId.get('mql_to_sql_rate')?.segments?.webinar).toMatchObject({ value: 1 });
    expect(byId.get('mql_to_sql_rate')?.segments?.['paid social']).toMatchObject({ value: 0 });
    expect(byId.get('cost_per_lead')).toMatchObject({ value: null });
    expect(byId.get('cost_per_lead')?.reason).toContain('spend');
    expect(summary?.coverage).toMatchObject({ leads: true, spend: false });
    expect(summary?.rejected.map((r) => r.key)).toEqual(['incoming/leads/bad.csv']);

    const history = await stack.table.kpis.getHistory('leads', 'month', '2025-11', '2026-10');
    expect(history.map((h) => h.periodId)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(history.at(-1)?.value).toBe(8);
    expect(history[0]).toMatchObject({ value: null, reason: 'no leads export covers 2025-11' });
  });

  it('emails the scorecard with those numbers, once per recipient even when retried', async () => {
    await stack.standIns.clearEmails();
    const first = await sendScorecard({ responsePayload: { period: '2026-10' } });
    expect(first.sent).toEqual(['executives@example.com']);
    const again = await sendScorecard({ period: '2026-10' });
    expect(again).toMatchObject({ sent: [], alreadySent: ['executives@example.com'] });

    const mails = await stack.standIns.receivedEmails();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('Scorecard for October 2026');
    expect(mail.destination.to).toEqual(['executives@example.com']);
    for (const part of [mail.body.text!, mail.body.html!]) {
      expect(part).toContain('50.0%'); // MQL → SQL
      expect(part).toMatch(/Leads[\s\S]{0,400}\b8\b/);
      expect(part).toContain('no spend export covers 2026-10');
    }
  });
});
