/**
 * A file uploaded under `incoming/` but outside every dataset folder (`incoming/Leads/x.csv`, `incoming/deals/x.csv`,
 * `incoming/x.csv`) is validated by nobody: ops are told where it should go, once per object version (S3 and
 * EventBridge deliver at least once). The notice is recorded 'pending' before the email and marked 'sent' after,
 * so a redelivered event sends an email that failed, and never one that went out.
 *
 * Two deliveries of one event can run at once. The first to record the notice holds a lease until its deadline;
 * the other fails with `NoticeInFlightError` while the lease lasts (Lambda retries it a minute later and finds the
 * notice sent). Once the lease is over the claimant is dead: a redelivery takes the lease over by a conditional
 * write and sends (at least once: the dead one may have sent it). A claimant whose email was certainly refused
 * (`MailNotSentError`) gives its lease back, so the retry sends at once.
 */
import { createHash } from 'node:crypto';
import { BUCKET_PREFIX } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import { formatMisplacedEmail, inDatasetFolder, suggestDatasetFolder } from '../domain/upload-notices.ts';
import { MailNotSentError, type Clock, type Mailer, type MisplacedNoticeLedger, type MisplacedUploadNotice } from '../ports/index.ts';

export interface MisplacedDeps {
  readonly notices: MisplacedNoticeLedger;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly settings: Settings;
  /** How long a claim protects a send in flight, in ms: the invocation's remaining time. @default 15 minutes (Lambda's maximum) */
  readonly claimLeaseMs?: number;
}

/** Another delivery of the same event is sending its notice right now: this one fails, to be retried later. */
export class NoticeInFlightError extends Error {
  override readonly name = 'NoticeInFlightError';
}

const DEFAULT_CLAIM_LEASE_MS = 15 * 60 * 1000;

/** The object an "Object Created" event names. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** Grows with every write of a key: tells two writes apart where there are no versions. */
  readonly sequencer?: string;
  readonly etag?: string;
}

export type MisplacedOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'duplicate'; readonly id: string }
  | { readonly outcome: 'notified'; readonly id: string; readonly suggestedKey?: string };

/** One id per object version (or write, without versioning): 24 hex characters. */
export function misplacedNoticeId(o: CreatedObject): string {
  const version = o.versionId ?? o.sequencer ?? o.etag ?? '';
  return createHash('sha256').update(`${o.bucket}\n${o.key}\n${version}`).digest('hex').slice(0, 24);
}

export async function notifyMisplacedUpload(o: CreatedObject, deps: MisplacedDeps): Promise<MisplacedOutcome> {
  if (!o.key.startsWith(BUCKET_PREFIX.incoming)) return { outcome: 'ignored', reason: `${o.key} is not under ${BUCKET_PREFIX.incoming}` };
  if (inDatasetFolder(o.key)) return { outcome: 'ignored', reason: `${o.key} is in a dataset folder: its validation function handles it` };
  if (o.key.endsWith('/')) return { outcome: 'ignored', reason: `${o.key} is a folder marker` };

  const suggestion = suggestDatasetFolder(o.key);
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS)).toISOString();
  const notice: MisplacedUploadNotice = {
    id: misplacedNoticeId(o), bucket: o.bucket, key: o.key, ...(o.versionId ? { versionId: o.versionId } : {}),
    ...(suggestion.dataset ? { suggestion: suggestion.dataset } : {}), seenAt: now.toISOString(), notice: 'pending', leaseUntil,
  };
  if (!(await deps.notices.claimMisplacedNotice(notice))) {
    // Recorded by an earlier delivery: done if its email went out; waited for while that delivery may be sending;
    // else (it failed or died) sent now. At least once, and never twice at the same time.
    const known = await deps.notices.findMisplacedNotice(notice.id);
    if (known?.notice === 'sent') return { outcome: 'duplicate', id: notice.id };
    const inFlight = (): NoticeInFlightError => new NoticeInFlightError(`another delivery is sending the notice about ${o.key}; retry later`);
    if (known?.leaseUntil && Date.parse(known.leaseUntil) > now.getTime()) throw inFlight();
    if (known && !(await deps.notices.leaseMisplacedNotice(notice.id, known.leaseUntil, leaseUntil))) throw inFlight();
  }
  const mail = formatMisplacedEmail(o.key, suggestion);
  try {
    await deps.mailer.send({ from: deps.settings.sender, to: [deps.settings.opsEmail], subject: mail.subject, text: mail.text });
  } catch (e) {
    // Certainly not sent: the lease is given back so the retry sends at once. Otherwise it may have gone out.
    if (e instanceof MailNotSentError) await deps.notices.leaseMisplacedNotice(notice.id, leaseUntil, deps.clock.now().toISOString()).catch(() => false);
    throw e;
  }
  await deps.notices.markMisplacedNotified(notice.id, deps.clock.now().toISOString());
  return { outcome: 'notified', id: notice.id, ...(suggestion.key ? { suggestedKey: suggestion.key } : {}) };
}
