/**
 * The send-scorecard handler against the stand-ins (DynamoDB and SES over HTTP): stored KPIs in the table, one
 * email per recipient with its sparklines inline, none more when the handler runs again, and a claim left by an
 * invocation that died reported to ops instead of re-sent.
 */
import Mustache from 'mustache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as sendScorecard } from '../../lambdas/handlers/send-scorecard.ts';
import { parseSettings } from '../../lambdas/domain/settings.ts';
import { scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';
import { OCTOBER, storedKpis, summaryFor } from '../helpers/sample-view.ts';

const SETTINGS = parseSettings({ recipients: 'ceo@example.com,cmo@example.com', opsEmail: 'ops@example.com', sender: 'scorecard@example.com' });

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(SETTINGS);
  const kpis = storedKpis(
    { leads: [400, 410, 430, 465, 480], sqls: [50, 55, 60, 63, 67], sql_acceptance_rate: [0.8, 0.78, 0.76, 0.746] },
    { sql_acceptance_rate: { numerator: 50, denominator: 67 } },
  );
  for (const p of scorecardPeriods(OCTOBER).all) await stack.table.kpis.putPeriod(summaryFor({}, p), [...(kpis.get(p.id)?.values() ?? [])]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('sending the scorecard through the stand-ins', () => {
  it('emails each recipient once, with the sparklines inline and their alt text saying low, high and now', async () => {
    await stack.standIns.clearEmails();
    const first = await sendScorecard({ responsePayload: { period: '2026-10' } }, { getRemainingTimeInMillis: () => 90_000 });
    expect(first).toMatchObject({ sent: ['ceo@example.com', 'cmo@example.com'], alreadySent: [], uncertain: [] });
    const again = await sendScorecard({ period: '2026-10' });
    expect(again).toMatchObject({ sent: [], alreadySent: ['ceo@example.com', 'cmo@example.com'] });

    const mails = await stack.standIns.receivedEmails();
    expect(mails.map((m) => m.destination.to)).toEqual([['ceo@example.com'], ['cmo@example.com']]);
    const mail = mails[0]!;
    // The subject carries the period's news: the first headlines in a few words.
    expect(mail.subject).toMatch(/^October 2026: \S.* (up|down) /);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['leads.png', 'image/png'], ['sqls.png', 'image/png'], ['sql_acceptance_rate.png', 'image/png'], ['scorecard.csv', 'text/csv'],
    ]);
    expect(Buffer.from(mail.attachments[0]!.content, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(mail.body.html).toContain(`alt="${Mustache.escape('SQLs, Nov 2025 to Oct 2026: low 50 in Jun 2026, high 67 in Oct 2026, now 67; no figure for 7 of 12')}"`);
    expect(mail.body.html).toContain('SQL acceptance 74.6% is below the 80% benchmark: 17 of 67 SQLs were rejected.');
    expect(mail.body.text).toContain('SQLs grew 6.3% to 67, inside the 5–10% monthly growth target.');
  });

  it('never re-sends a claim left by an invocation that died; ops hear of it once', async () => {
    await stack.standIns.clearEmails();
    await stack.table.sends.claim('2026-09', 'ceo@example.com', '2026-10-01T06:00:00.000Z', '2026-10-01T06:02:00.000Z');
    const september = storedKpis({ leads: [400, 410] }, {}, scorecardPeriods(OCTOBER).window[11]!);
    for (const [id, items] of september) if (items.size) await stack.table.kpis.putPeriod(summaryFor({}, scorecardPeriods(OCTOBER).all.find((p) => p.id === id)!), [...items.values()]);

    const r = await sendScorecard({ period: '2026-09' });
    expect(r).toMatchObject({ sent: ['cmo@example.com'], uncertain: ['ceo@example.com'] });
    expect(await sendScorecard({ period: '2026-09' })).toMatchObject({ sent: [], uncertain: ['ceo@example.com'] });

    const mails = await stack.standIns.receivedEmails();
    expect(mails.map((m) => m.destination.to[0])).toEqual(['cmo@example.com', 'ops@example.com']);
    expect(mails[1]!.subject).toBe('Scorecard 2026-09: delivery unknown for 1 recipient');
    expect(mails[1]!.body.text).toContain('"resend": ["<recipient>"]');

    await sendScorecard({ period: '2026-09', resend: ['ceo@example.com'] });
    expect((await stack.standIns.receivedEmails()).map((m) => m.destination.to[0])).toEqual(['cmo@example.com', 'ops@example.com', 'ceo@example.com']);
  });
});
