/**
 * The send use case with in-memory stores: one email per period and recipient however often it runs, recipient
 * groups and their sections, what happens to a claim when SES refuses, fails unclearly or the invocation dies,
 * and the missing-data policy (banner, or hold and tell ops).
 */
import { describe, expect, it } from 'vitest';
import { CapturingMailer, InMemoryKpiStore, InMemorySendLedger } from '../../lambdas/adapters/memory.ts';
import { MailNotSentError } from '../../lambdas/ports/mail-errors.ts';
import { parseSettings } from '../../lambdas/domain/settings.ts';
import { scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import {
  NoKpisError, renderStoredScorecard, resolveRecipients, SendIncompleteError, sendScorecard, type SendDeps, type SendOptions,
} from '../../lambdas/use-cases/send-scorecard.ts';
import type { Mailer, OutgoingEmail, PeriodSummary } from '../../lambdas/ports/index.ts';
import { composeMime } from '../../lambdas/adapters/mime.ts';
import { OCTOBER, storedKpis, summaryFor } from '../helpers/sample-view.ts';

const SETTINGS = parseSettings({ recipients: 'ceo@example.com,cmo@example.com', opsEmail: 'ops@example.com', sender: 'scorecard@example.com' });

async function kpiStore(summary: Partial<PeriodSummary> = {}): Promise<InMemoryKpiStore> {
  const store = new InMemoryKpiStore();
  const kpis = storedKpis({ leads: [400, 420, 480], sqls: [60, 63, 67], sessions: [40000, 41642, 44671], revenue: [1, 2, 3] });
  for (const p of scorecardPeriods(OCTOBER).all) {
    await store.putPeriod(summaryFor(p.id === OCTOBER.id ? summary : {}, p), [...(kpis.get(p.id)?.values() ?? [])]);
  }
  return store;
}

/** A mailer that fails as told, per recipient, then delivers. */
class ScriptedMailer implements Mailer {
  readonly delivered: { to: string; raw: string }[] = [];
  constructor(private readonly failures: Record<string, unknown[]> = {}) {}
  async send(email: OutgoingEmail): Promise<string> {
    const to = email.to;
    const failure = this.failures[to[0]!]?.shift();
    if (failure) throw failure;
    this.delivered.push({ to: to[0]!, raw: (await composeMime(email)).toString('latin1') });
    return `m-${this.delivered.length}`;
  }
}

function deps(kpis: InMemoryKpiStore, over: Partial<SendDeps> = {}): SendDeps & { sends: InMemorySendLedger; now: { t: number } } {
  const now = { t: Date.parse('2026-11-01T06:00:00Z') };
  return { kpis, sends: new InMemorySendLedger(), mailer: new CapturingMailer(), clock: { now: () => new Date(now.t) }, settings: SETTINGS, now, ...over } as never;
}

const subjectOf = (raw: string): string => /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';

describe('sendScorecard', () => {
  it('sends one email per recipient, and none when run again', async () => {
    const mailer = new ScriptedMailer();
    const d = deps(await kpiStore(), { mailer });
    expect(await sendScorecard(OCTOBER, d)).toEqual({
      period: '2026-10', sent: ['ceo@example.com', 'cmo@example.com'], alreadySent: [], inFlight: [], uncertain: [], held: false, failed: [],
    });
    expect(await sendScorecard(OCTOBER, d)).toMatchObject({ sent: [], alreadySent: ['ceo@example.com', 'cmo@example.com'] });
    expect(mailer.delivered.map((m) => m.to)).toEqual(['ceo@example.com', 'cmo@example.com']);
    expect(d.sends.records.get('2026-10|ceo@example.com')).toMatchObject({ status: 'sent', messageId: 'm-1' });
  });

  it('sends the HTML with its sparklines inline, every image referenced by Content-ID', async () => {
    const mailer = new ScriptedMailer();
    await sendScorecard(OCTOBER, deps(await kpiStore(), { mailer }));
    const raw = mailer.delivered[0]!.raw;
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: multipart\/related/);
    const cids = [...raw.matchAll(/^Content-ID: <([^>]+)>/gm)].map((m) => m[1]);
    expect(cids).toEqual(['spark-leads@scorecard', 'spark-sqls@scorecard', 'spark-revenue@scorecard', 'spark-sessions@scorecard']);
    expect(raw.match(/Content-Type: image\/png/g)).toHaveLength(4);
  });

  it('gives each group its sections, and a recipient in two groups one email with both', async () => {
    const mailer = new ScriptedMailer();
    const options: SendOptions = {
      groups: [
        { name: 'executives', recipients: ['ceo@example.com'] },
        { name: 'marketing', recipients: ['CMO@example.com ', 'web@example.com'], sections: ['acquisition', 'web'] },
        { name: 'sales', recipients: ['cmo@example.com'], sections: ['revenue'] },
      ],
    };
    const r = await sendScorecard(OCTOBER, deps(await kpiStore(), { mailer }), options);
    expect(r.sent).toEqual(['ceo@example.com', 'CMO@example.com', 'web@example.com']);
    const sections = (raw: string) => [...raw.matchAll(/^([A-Z][A-Z ]+)\r?$/gm)].map((m) => m[1]).filter((t) => ['ACQUISITION', 'CONVERSION', 'REVENUE', 'EFFICIENCY AND RETENTION', 'WEB'].includes(t!));
    const byTo = Object.fromEntries(mailer.delivered.map((m) => [m.to, m.raw]));
    expect(sections(byTo['ceo@example.com']!)).toEqual(['ACQUISITION', 'CONVERSION', 'REVENUE', 'EFFICIENCY AND RETENTION', 'WEB']);
    expect(sections(byTo['CMO@example.com']!)).toEqual(['ACQUISITION', 'REVENUE', 'WEB']);
    expect(sections(byTo['web@example.com']!)).toEqual(['ACQUISITION', 'WEB']);
    expect(byTo['web@example.com']).not.toContain('spark-revenue@scorecard');
    expect([...resolveRecipients(options.groups!).keys()]).toEqual(['ceo@example.com', 'cmo@example.com', 'web@example.com']);
  });

  it('gives a claim back when SES certainly refused, fails, and the retry sends only that one', async () => {
    const mailer = new ScriptedMailer({ 'cmo@example.com': [new MailNotSentError('Throttling', 'Maximum sending rate exceeded.')] });
    const d = deps(await kpiStore(), { mailer });
    const err = await sendScorecard(OCTOBER, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendIncompleteError);
    expect((err as SendIncompleteError).message).toContain('Throttling');
    expect((err as SendIncompleteError).result).toMatchObject({ sent: ['ceo@example.com'], failed: [{ recipient: 'cmo@example.com' }] });
    expect(d.sends.records.has('2026-10|cmo@example.com')).toBe(false);

    expect(await sendScorecard(OCTOBER, d)).toMatchObject({ sent: ['cmo@example.com'], alreadySent: ['ceo@example.com'] });
    expect(mailer.delivered.map((m) => m.to)).toEqual(['ceo@example.com', 'cmo@example.com']);
  });

  it('keeps the claim when the outcome is unknown, never re-sends it, and tells ops once', async () => {
    const mailer = new ScriptedMailer({ 'cmo@example.com': [Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })] });
    const d = deps(await kpiStore(), { mailer });
    await expect(sendScorecard(OCTOBER, d, { claimLeaseMs: 120_000 })).rejects.toBeInstanceOf(SendIncompleteError);
    expect(d.sends.records.get('2026-10|cmo@example.com')).toMatchObject({ status: 'sending', leaseUntil: '2026-11-01T06:02:00.000Z' });

    // Lambda retries a minute later: the claim may still be in flight, so skip it and fail again.
    d.now.t += 60_000;
    await expect(sendScorecard(OCTOBER, d)).rejects.toMatchObject({ result: { inFlight: ['cmo@example.com'], sent: [] } });

    // Two minutes later the lease has ended: the send is uncertain; ops hear about it, once.
    d.now.t += 120_000;
    expect(await sendScorecard(OCTOBER, d)).toMatchObject({ sent: [], uncertain: ['cmo@example.com'], alreadySent: ['ceo@example.com'] });
    expect(await sendScorecard(OCTOBER, d)).toMatchObject({ uncertain: ['cmo@example.com'] });
    const toOps = mailer.delivered.filter((m) => m.to === 'ops@example.com');
    expect(toOps).toHaveLength(1);
    expect(subjectOf(toOps[0]!.raw)).toBe('Scorecard 2026-10: delivery unknown for 1 recipient');
    expect(toOps[0]!.raw).toContain('cmo@example.com');
    expect(mailer.delivered.filter((m) => m.to === 'cmo@example.com')).toHaveLength(0);
  });

  it('re-sends an uncertain recipient only when ops ask, and never one already sent', async () => {
    const mailer = new ScriptedMailer({ 'cmo@example.com': [Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })] });
    const d = deps(await kpiStore(), { mailer });
    await expect(sendScorecard(OCTOBER, d, { claimLeaseMs: 1000 })).rejects.toThrow();
    d.now.t += 5000;
    const r = await sendScorecard(OCTOBER, d, { resend: ['CMO@example.com', 'ceo@example.com'] });
    expect(r).toMatchObject({ sent: ['cmo@example.com'], alreadySent: ['ceo@example.com'] });
    expect(mailer.delivered.filter((m) => m.to === 'ceo@example.com')).toHaveLength(1);
  });

  it('does not re-send on request while the claim may still be in flight', async () => {
    const d = deps(await kpiStore());
    await d.sends.claim('2026-10', 'cmo@example.com', '2026-11-01T06:00:00.000Z', '2026-11-01T06:10:00.000Z');
    await expect(sendScorecard(OCTOBER, d, { resend: ['cmo@example.com'] })).rejects.toMatchObject({ result: { inFlight: ['cmo@example.com'] } });
  });

  it('with missing data, sends with a banner by default', async () => {
    const mailer = new ScriptedMailer();
    const coverage = { leads: true, opportunities: true, spend: true, customers: true, web_traffic: false };
    const r = await sendScorecard(OCTOBER, deps(await kpiStore({ coverage }), { mailer }));
    expect(r.sent).toHaveLength(2);
    expect(mailer.delivered[0]!.raw).toContain('MISSING DATA: No web traffic export covers October 2026');
  });

  it('with missing data and the hold policy, tells only ops, once; datasets not required do not hold it', async () => {
    const mailer = new ScriptedMailer();
    const coverage = { leads: true, opportunities: true, spend: true, customers: true, web_traffic: false };
    const d = deps(await kpiStore({ coverage }), { mailer });
    expect(await sendScorecard(OCTOBER, d, { whenDataMissing: 'hold' })).toMatchObject({ held: true, sent: [] });
    expect(await sendScorecard(OCTOBER, d, { whenDataMissing: 'hold' })).toMatchObject({ held: true, sent: [] });
    expect(mailer.delivered.map((m) => m.to)).toEqual(['ops@example.com']);
    expect(subjectOf(mailer.delivered[0]!.raw)).toBe('Scorecard for October 2026 held: data missing');
    expect(mailer.delivered[0]!.raw).toContain('No web traffic export covers October 2026');

    const r = await sendScorecard(OCTOBER, d, { whenDataMissing: 'hold', requiredDatasets: ['leads', 'opportunities'] });
    expect(r).toMatchObject({ held: false, sent: ['ceo@example.com', 'cmo@example.com'] });
  });

  it('refuses a period with no stored KPIs', async () => {
    await expect(sendScorecard(OCTOBER, deps(new InMemoryKpiStore()))).rejects.toBeInstanceOf(NoKpisError);
  });
});

describe('renderStoredScorecard', () => {
  it('reads each period of the window once, in parallel, and renders HTML, text and images', async () => {
    const store = await kpiStore();
    const read: string[] = [];
    const spy = { ...store, putPeriod: store.putPeriod.bind(store), getHistory: store.getHistory.bind(store), getPeriod: (id: string) => (read.push(id), store.getPeriod(id)) };
    const r = await renderStoredScorecard(OCTOBER, { kpis: spy, clock: { now: () => new Date(0) }, settings: SETTINGS });
    expect(read.sort()).toEqual(scorecardPeriods(OCTOBER).all.map((p) => p.id).sort());
    expect(r.images.map((i) => i.cid)).toEqual(['spark-leads@scorecard', 'spark-sqls@scorecard', 'spark-revenue@scorecard', 'spark-sessions@scorecard']);
    for (const img of r.images) expect(r.html).toContain(`src="cid:${img.cid}"`);
    expect(r.text).toContain('SQLs grew 6.3% to 67, inside the 5–10% monthly growth target.');
    const eml = (await composeMime(r.emailTo('ceo@example.com'))).toString('latin1');
    expect(eml.match(/Content-Type: image\/png/g)).toHaveLength(4);
  });
});
