/**
 * Sending the scorecard: read the stored KPIs of the period, the 12 periods before it and the same period a
 * year before; build the view per recipient group (each group sees its sections); render HTML, text and the
 * sparkline images; send one email per recipient, exactly once.
 *
 * Exactly once, in practice "never twice, and never silently lost":
 * - Before sending, a conditional send record is claimed per period and recipient, with a lease that ends at
 *   the invocation's deadline. A retried invocation skips every recipient already claimed.
 * - When SES certainly refused the message (`MailNotSentError`), the claim is released and the invocation
 *   fails, so Lambda's retry sends it. Any other failure leaves the claim: SES may have accepted the email.
 * - A claim still 'sending' once its lease is over was left by an invocation that died mid-send: whether the
 *   email went out is unknown. It is never re-sent automatically; ops get one email naming the recipient, and
 *   re-sending is an explicit decision (`{ "period": …, "resend": [recipient] }`).
 * - A claim still within its lease may belong to an invocation that is sending right now, or to one that
 *   crashed: the invocation skips it and fails, so Lambda retries later, when the lease has ended.
 */
import { DEFAULT_SENDER_NAME, type Settings } from '../domain/settings.ts';
import { SECTIONS, type SectionId } from '../domain/metrics/registry.ts';
import { DATASET_NAMES, isDatasetName, type DatasetName } from '../domain/layout.ts';
import type { Period } from '../domain/periods/period.ts';
import { buildScorecardView, scorecardPeriods } from '../domain/scorecard/view-model.ts';
import { renderScorecard } from '../domain/scorecard/render.ts';
import { renderSparklines } from '../domain/scorecard/sparkline.ts';
import { scorecardCsv } from '../domain/scorecard/csv.ts';
import type { PageLinks } from '../domain/links.ts';
import { pageLinks, publishPage, type PageDeps } from './scorecard-page.ts';
import type { KpisByPeriod } from '../domain/commentary/facts.ts';
import type { InlineImage, ScorecardView } from '../domain/scorecard/view.ts';
import {
  isMailNotSent, type Clock, type KpiStore, type Mailer, type OutgoingEmail, type PeriodSummary, type SendLedger, type SendRecord, type StoredKpi,
} from '../ports/index.ts';

export interface SendDeps {
  readonly kpis: KpiStore;
  readonly sends: SendLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly settings: Settings;
  /** The drill-down page: written beside the email, its signed links in it. Absent, the email links nowhere. */
  readonly page?: PageDeps;
}

/** A group of recipients and the sections they get (e.g. marketing: acquisition, conversion, web). */
export interface RecipientGroup {
  readonly name: string;
  readonly recipients: readonly string[];
  /** @default every section */
  readonly sections?: readonly SectionId[];
}

/**
 * How the scorecard goes out. Candidates for `Settings` (see docs/scorecard.md); until then the handler passes
 * what it has and the rest defaults.
 */
export interface SendOptions {
  /** @default one group: `settings.recipients`, every section */
  readonly groups?: readonly RecipientGroup[];
  /**
   * When a required dataset has no records for the period: send with a banner that says so, or hold the
   * scorecard and tell only the ops address. @default 'banner'
   */
  readonly whenDataMissing?: 'banner' | 'hold';
  /** Datasets the period must have records of. @default every dataset */
  readonly requiredDatasets?: readonly DatasetName[];
  /** How long a claim protects a send in flight, in ms: the invocation's remaining time. @default 15 minutes (Lambda's maximum) */
  readonly claimLeaseMs?: number;
  /** Recipients whose stale claim ops checked and want re-sent (the email was not received). @default none */
  readonly resend?: readonly string[];
}

export class NoKpisError extends Error {
  override name = 'NoKpisError';
}

/** Some sends failed or are unresolved; the invocation fails so that Lambda retries it. `result` says which. */
export class SendIncompleteError extends Error {
  override name = 'SendIncompleteError';
  constructor(message: string, readonly result: SendResult, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The sending options the settings carry (groups, hold-or-banner, required datasets). */
export function sendOptionsFrom(settings: Settings): SendOptions {
  const known = new Set<string>(SECTIONS.map((x) => x.id));
  const groups = settings.recipientGroups?.map((g) => {
    const bad = g.sections?.filter((x) => !known.has(x)) ?? [];
    if (bad.length) throw new Error(`recipient group "${g.name}" names unknown sections ${bad.join(', ')} (known: ${[...known].join(', ')})`);
    return { name: g.name, recipients: g.recipients, ...(g.sections ? { sections: g.sections as SectionId[] } : {}) };
  });
  const required = settings.requiredDatasets?.filter((d): d is DatasetName => isDatasetName(d));
  return {
    ...(groups ? { groups } : {}),
    ...(settings.whenDataMissing ? { whenDataMissing: settings.whenDataMissing } : {}),
    ...(required ? { requiredDatasets: required } : {}),
  };
}

/** Addresses inside SDK error texts ("Email address is not verified: …"). */
const EMAIL_RE = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;

export const DEFAULT_CLAIM_LEASE_MS = 15 * 60_000;

export interface RenderedScorecard {
  readonly view: ScorecardView;
  readonly html: string;
  readonly text: string;
  readonly images: readonly InlineImage[];
  /** `scorecard.csv`, attached to the email. */
  readonly csv: string;
  /** The email for a recipient (or a list written in one `To` header, for previews). */
  emailTo(to: string): OutgoingEmail;
}

/** What a scorecard is built from: the stored KPIs of the periods it reads and the period's summary. */
export interface StoredScorecardData {
  readonly kpis: KpisByPeriod;
  readonly summary?: PeriodSummary;
}

const byId = (items: readonly StoredKpi[]): Map<string, StoredKpi> => new Map(items.map((k) => [k.id, k]));

/**
 * Reads the period's KPIs and those of the periods its trends need, one `getPeriod` per period, in parallel.
 * (One query per period returns all 24 KPIs: 13–14 queries, where `getHistory` would take 24, and read 53 periods
 * per KPI to reach a week's year-ago figure. It also reads the base table, not an index that may lag the write.)
 */
export async function loadStoredScorecard(period: Period, kpis: KpiStore): Promise<StoredScorecardData> {
  const periods = scorecardPeriods(period).all;
  const stored = await Promise.all(periods.map((p) => kpis.getPeriod(p.id)));
  const current = stored[periods.findIndex((p) => p.id === period.id)]!;
  if (current.kpis.length === 0) throw new NoKpisError(`no KPIs are stored for ${period.id}: run the KPI step first`);
  return {
    kpis: new Map(periods.map((p, i) => [p.id, byId(stored[i]!.kpis)])),
    ...(current.summary ? { summary: current.summary } : {}),
  };
}

export interface RenderOptions {
  /** @default every section */
  readonly sections?: readonly SectionId[];
  /** @default every dataset */
  readonly requiredDatasets?: readonly DatasetName[];
  /** Links to the period's drill-down page ("View in browser", each KPI's place, the definitions). @default none */
  readonly links?: PageLinks;
  /** Who this version goes to, named in its footer. @default settings.recipients */
  readonly recipients?: readonly string[];
}

/** The CSV attachment's name, as `smarketing report` writes it too. */
export const CSV_FILE = 'scorecard.csv';

/** Renders a scorecard from data already read: view, HTML, text, sparklines, and the email per recipient. */
export function renderScorecardFrom(
  period: Period, data: StoredScorecardData, deps: Pick<SendDeps, 'clock' | 'settings'>, options: RenderOptions = {},
): RenderedScorecard {
  const now = deps.clock.now();
  const view = buildScorecardView({
    period, kpis: data.kpis, ...(data.summary ? { summary: data.summary } : {}), settings: deps.settings, generatedAt: now,
    ...(options.sections ? { sections: options.sections } : {}),
    ...(options.requiredDatasets ? { requiredDatasets: options.requiredDatasets } : {}),
    ...(options.links ? { links: options.links } : {}),
    ...(options.recipients ? { recipients: options.recipients } : {}),
  });
  const { html, text } = renderScorecard(view);
  const images = renderSparklines(view);
  // Every value of the sections this version shows, for finance to reconcile.
  const csv = scorecardCsv(period, data.kpis, deps.settings, options.sections);
  return {
    view, html, text, images, csv,
    emailTo: (to) => ({
      from: deps.settings.sender, fromName: deps.settings.senderName ?? DEFAULT_SENDER_NAME,
      ...(deps.settings.contact ? { replyTo: deps.settings.contact } : {}),
      to: [to], subject: view.subject, html, text, images, date: now,
      attachments: [{ filename: CSV_FILE, contentType: 'text/csv; charset=utf-8', content: csv }],
    }),
  };
}

/** Reads what the scorecard needs from the store and renders it (every section). */
export async function renderStoredScorecard(
  period: Period, deps: Pick<SendDeps, 'kpis' | 'clock' | 'settings'>, options: RenderOptions = {},
): Promise<RenderedScorecard> {
  return renderScorecardFrom(period, await loadStoredScorecard(period, deps.kpis), deps, options);
}

export interface SendResult {
  readonly period: string;
  readonly sent: readonly string[];
  /** Sent (or being handled) by an earlier or concurrent invocation. */
  readonly alreadySent: readonly string[];
  /** Claimed by an invocation whose lease has not ended: retried later. */
  readonly inFlight: readonly string[];
  /** Left 'sending' by an invocation that died: not re-sent; ops are told once. */
  readonly uncertain: readonly string[];
  /** Whether the scorecard was held for missing data (ops told instead). */
  readonly held: boolean;
  readonly failed: readonly { readonly recipient: string; readonly error: string }[];
}

/** One address per mailbox: trimmed and lower-cased, so a recipient in two groups gets one email. */
export const recipientKey = (address: string): string => address.trim().toLowerCase();

/** Each recipient once, with the union of the sections of their groups, in the order first listed. */
export function resolveRecipients(groups: readonly RecipientGroup[]): Map<string, { address: string; sections: Set<SectionId> }> {
  const out = new Map<string, { address: string; sections: Set<SectionId> }>();
  for (const g of groups) {
    for (const address of g.recipients) {
      if (!address.trim()) continue;
      const key = recipientKey(address);
      const entry = out.get(key) ?? { address: address.trim(), sections: new Set<SectionId>() };
      for (const s of g.sections ?? SECTIONS.map((x) => x.id)) entry.sections.add(s);
      out.set(key, entry);
    }
  }
  return out;
}

/** Ledger keys of the ops notices, apart from recipients' addresses (which never start with '#'). */
const HOLD_NOTICE = (ops: string): string => `#held#${recipientKey(ops)}`;
const UNCERTAIN_NOTICE = (recipient: string): string => `#uncertain#${recipient}`;

export async function sendScorecard(period: Period, deps: SendDeps, options: SendOptions = {}): Promise<SendResult> {
  const { settings, clock, sends } = deps;
  const data = await loadStoredScorecard(period, deps.kpis);
  const required = options.requiredDatasets ?? DATASET_NAMES;
  const groups = options.groups ?? [{ name: 'everyone', recipients: settings.recipients }];
  const recipients = resolveRecipients(groups);
  const everyone = [...recipients.values()].map((r) => r.address);
  // One expiry for the invocation: every recipient's links are the same, and so is a retried recipient's email.
  const links = deps.page ? await pageLinks(period, deps.page, clock.now(), settings) : undefined;
  const full = renderScorecardFrom(period, data, deps, { requiredDatasets: required, recipients: everyone, ...(links ? { links } : {}) });
  const result = {
    period: period.id, sent: [] as string[], alreadySent: [] as string[], inFlight: [] as string[], uncertain: [] as string[],
    held: false, failed: [] as { recipient: string; error: string }[],
  };

  if (options.whenDataMissing === 'hold' && full.view.banner) {
    result.held = true;
    await notifyOps(deps, period, HOLD_NOTICE(settings.opsEmail), `${full.view.title} held: data missing`, [
      `The ${full.view.periodLabel} scorecard was not sent to its recipients.`,
      '',
      full.view.banner,
      '',
      `Upload the missing export, then compute the KPIs of ${period.id} again: the scorecard goes out when they are stored.`,
    ]);
    return result;
  }

  // The page (every section, every stored period) before any email that links to it.
  if (deps.page) await publishPage(period, full.view, data, deps.kpis, deps.page.pages, settings);
  const byVariant = new Map<string, string[]>();
  for (const { address, sections } of recipients.values()) {
    const variant = SECTIONS.map((x) => x.id).filter((x) => sections.has(x)).join(',');
    byVariant.set(variant, [...(byVariant.get(variant) ?? []), address]);
  }
  const leaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const resend = new Set((options.resend ?? []).map(recipientKey));
  const rendered = new Map<string, RenderedScorecard>();
  const everySection = SECTIONS.map((s) => s.id);
  let lastError: unknown;

  for (const [key, { address, sections }] of recipients) {
    const now = clock.now();
    if (resend.has(key)) await releaseIfStale(sends, period.id, key, now);
    if (!(await sends.claim(period.id, key, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()))) {
      const record = await sends.get(period.id, key);
      if (!record || record.status === 'sent') result.alreadySent.push(address);
      else if (leaseEnd(record) > now.getTime()) result.inFlight.push(address);
      else result.uncertain.push(address);
      continue;
    }
    let email: OutgoingEmail;
    try {
      const wanted = everySection.filter((s) => sections.has(s));
      const variant = wanted.join(',');
      let scorecard = rendered.get(variant);
      if (!scorecard) {
        scorecard = renderScorecardFrom(period, data, deps, {
          ...(wanted.length === everySection.length ? {} : { sections: wanted }), requiredDatasets: required,
          recipients: byVariant.get(variant) ?? [address], ...(links ? { links } : {}),
        });
        rendered.set(variant, scorecard);
      }
      email = scorecard.emailTo(address);
    } catch (e) {
      // Nothing left the building: give the claim back.
      await sends.release(period.id, key);
      throw e;
    }
    try {
      const messageId = await deps.mailer.send(email);
      await sends.markSent(period.id, key, messageId, clock.now().toISOString());
      result.sent.push(address);
    } catch (e) {
      lastError = e;
      // Only a certain refusal frees the claim; after anything else SES may have the email.
      if (isMailNotSent(e)) await sends.release(period.id, key);
      result.failed.push({ recipient: address, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }

  if (result.uncertain.length) await notifyUncertain(deps, period, result.uncertain);
  if (result.failed.length || result.inFlight.length) {
    const parts = [
      // Counts only: the message reaches logs and the failure queue, which must hold no addresses (`result` has them).
      ...(result.failed.length ? [`${result.failed.length} failed (${result.failed.map((f) => f.error.replace(EMAIL_RE, '<address>')).join('; ')})`] : []),
      ...(result.inFlight.length ? [`${result.inFlight.length} still claimed by another invocation`] : []),
    ];
    throw new SendIncompleteError(`scorecard ${period.id}: ${result.sent.length} sent, ${parts.join(', ')}`, result, { cause: lastError });
  }
  return result;
}

/** Frees a recipient's claim for a resend ops asked for, only when it is stale: never a 'sent' one or one in flight. */
async function releaseIfStale(sends: SendLedger, periodId: string, key: string, now: Date): Promise<void> {
  const record = await sends.get(periodId, key);
  if (record?.status === 'sending' && !(leaseEnd(record) > now.getTime())) await sends.release(periodId, key);
}

/** When a claim's holder will certainly have stopped (ms); a claim without a lease gets the longest one. NaN if unreadable. */
function leaseEnd(record: SendRecord): number {
  return record.leaseUntil ? Date.parse(record.leaseUntil) : Date.parse(record.claimedAt) + DEFAULT_CLAIM_LEASE_MS;
}

/** Tells ops once per ledger key (a retried invocation does not repeat the notice). */
async function notifyOps(deps: SendDeps, period: Period, key: string, subject: string, lines: readonly string[]): Promise<boolean> {
  const { sends, settings, clock } = deps;
  if (!(await sends.claim(period.id, key, clock.now().toISOString()))) return false;
  try {
    const messageId = await deps.mailer.send({ from: settings.sender, to: [settings.opsEmail], subject, text: `${lines.join('\n')}\n` });
    await sends.markSent(period.id, key, messageId, clock.now().toISOString());
    return true;
  } catch (e) {
    if (isMailNotSent(e)) await sends.release(period.id, key);
    throw e;
  }
}

/** One notice per stale recipient, grouped in one email: ops decide whether to re-send. */
async function notifyUncertain(deps: SendDeps, period: Period, recipients: readonly string[]): Promise<void> {
  const fresh: string[] = [];
  for (const r of recipients) {
    const key = UNCERTAIN_NOTICE(recipientKey(r));
    if (await deps.sends.claim(period.id, key, deps.clock.now().toISOString())) fresh.push(r);
  }
  if (fresh.length === 0) return;
  const lines = [
    `The ${period.id} scorecard may not have reached ${fresh.length === 1 ? 'this recipient' : 'these recipients'}:`,
    ...fresh.map((r) => `  - ${r}`),
    '',
    'An invocation claimed the send and stopped before recording the outcome, so SES may or may not have the email.',
    'It is not sent again automatically, to never send twice. Check with the recipient (or the SES sending logs);',
    `to send it again, invoke the report function with {"period": "${period.id}", "resend": ["<recipient>"]}.`,
  ];
  try {
    const messageId = await deps.mailer.send({
      from: deps.settings.sender, to: [deps.settings.opsEmail], text: `${lines.join('\n')}\n`,
      subject: `Scorecard ${period.id}: delivery unknown for ${fresh.length} recipient${fresh.length === 1 ? '' : 's'}`,
    });
    for (const r of fresh) await deps.sends.markSent(period.id, UNCERTAIN_NOTICE(recipientKey(r)), messageId, deps.clock.now().toISOString());
  } catch (e) {
    if (isMailNotSent(e)) for (const r of fresh) await deps.sends.release(period.id, UNCERTAIN_NOTICE(recipientKey(r)));
    throw e;
  }
}
