/**
 * In-memory implementations of the stores, for the CLI (which runs the use cases over a folder, with no AWS) and
 * for unit tests of the use cases.
 */
import type { DatasetName } from '../domain/layout.ts';
import type { PeriodType } from '../domain/settings.ts';
import type {
  Mailer, KpiStore, MisplacedNoticeLedger, MisplacedUploadNotice, OutgoingEmail, PeriodSummary, SendLedger, SendRecord, StoredKpi,
  UploadIdentity, UploadLedger, UploadRecord, UploadRemoval,
} from '../ports/index.ts';
import { composeMime } from './mime.ts';
import { orderUploads } from '../domain/records/upload-order.ts';
import { sortRemovals } from '../domain/upload-notices.ts';

export class InMemoryKpiStore implements KpiStore {
  private readonly periods = new Map<string, { summary: PeriodSummary; kpis: StoredKpi[] }>();

  async putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void> {
    this.periods.set(summary.periodId, { summary, kpis: [...kpis] });
  }

  async getPeriod(periodId: string): Promise<{ summary?: PeriodSummary; kpis: StoredKpi[] }> {
    const p = this.periods.get(periodId);
    return p ? { summary: p.summary, kpis: [...p.kpis] } : { kpis: [] };
  }

  async getHistory(kpiId: string, periodType: PeriodType, fromId: string, toId: string): Promise<StoredKpi[]> {
    return [...this.periods.values()]
      .flatMap((p) => p.kpis)
      .filter((k) => k.id === kpiId && k.periodType === periodType && k.periodId >= fromId && k.periodId <= toId)
      .sort((a, b) => a.periodId.localeCompare(b.periodId));
  }
}

/** As the DynamoDB ledger's sort key: one record per upload id (the order is `orderUploads`, for both). */
const uploadSortKey = (u: Pick<UploadIdentity, 'uploadId'>): string => u.uploadId;

/** A removal's identity, as the DynamoDB ledger's sort key: the same removal recorded twice is one. */
const removalId = (r: UploadRemoval): string => [r.key, r.scope, r.versionId ?? '', r.sequencer ?? '', r.eventTime ?? ''].join('\n');

/**
 * `UploadLedger` in memory, ordered exactly as the DynamoDB one: one record per upload version, written once.
 * Also the ledger of misplaced-upload notices, as the DynamoDB one is.
 */
export class InMemoryUploadLedger implements UploadLedger, MisplacedNoticeLedger {
  /** Per dataset (the table's partition), records by their sort key. */
  private readonly partitions = new Map<DatasetName, Map<string, UploadRecord>>();
  private readonly removals = new Map<string, UploadRemoval>();
  private readonly notices = new Map<string, MisplacedUploadNotice>();

  private partition(dataset: DatasetName): Map<string, UploadRecord> {
    let p = this.partitions.get(dataset);
    if (!p) this.partitions.set(dataset, (p = new Map()));
    return p;
  }

  async recordUpload(u: UploadRecord): Promise<boolean> {
    const p = this.partition(u.dataset);
    const sk = uploadSortKey(u);
    if (p.has(sk)) return false;
    p.set(sk, { ...u });
    return true;
  }

  async findUpload(u: UploadIdentity): Promise<UploadRecord | undefined> {
    const found = this.partition(u.dataset).get(uploadSortKey(u));
    return found && { ...found };
  }

  async markOpsNotified(u: UploadIdentity): Promise<void> {
    const p = this.partition(u.dataset);
    const sk = uploadSortKey(u);
    const found = p.get(sk);
    if (found) p.set(sk, { ...found, opsNotice: 'sent' });
  }

  async listUploads(dataset: DatasetName): Promise<UploadRecord[]> {
    return orderUploads([...this.partition(dataset).values()].map((u) => ({ ...u })));
  }

  async markRetracted(u: UploadIdentity, at: string): Promise<boolean> {
    const p = this.partition(u.dataset);
    const sk = uploadSortKey(u);
    const found = p.get(sk);
    if (!found || found.retractedAt) return false;
    p.set(sk, { ...found, retractedAt: at, retractionNotice: 'pending' });
    return true;
  }

  async markRetractionNotified(u: UploadIdentity): Promise<void> {
    const p = this.partition(u.dataset);
    const sk = uploadSortKey(u);
    const found = p.get(sk);
    if (found) p.set(sk, { ...found, retractionNotice: 'sent' });
  }

  async recordRemoval(r: UploadRemoval): Promise<void> {
    const id = `${r.dataset}\n${removalId(r)}`;
    if (!this.removals.has(id)) this.removals.set(id, { ...r });
  }

  async listRemovals(dataset: DatasetName, key: string): Promise<UploadRemoval[]> {
    return sortRemovals([...this.removals.values()].filter((r) => r.dataset === dataset && r.key === key).map((r) => ({ ...r })));
  }

  async claimMisplacedNotice(n: MisplacedUploadNotice): Promise<boolean> {
    if (this.notices.has(n.id)) return false;
    this.notices.set(n.id, { ...n });
    return true;
  }

  async findMisplacedNotice(id: string): Promise<MisplacedUploadNotice | undefined> {
    const found = this.notices.get(id);
    return found && { ...found };
  }

  async markMisplacedNotified(id: string, at: string): Promise<void> {
    const found = this.notices.get(id);
    if (found) this.notices.set(id, { ...found, notice: 'sent', sentAt: at });
  }

  async leaseMisplacedNotice(id: string, from: string | undefined, to: string): Promise<boolean> {
    const found = this.notices.get(id);
    if (!found || found.notice !== 'pending' || found.leaseUntil !== from) return false;
    this.notices.set(id, { ...found, leaseUntil: to });
    return true;
  }
}

export class InMemorySendLedger implements SendLedger {
  readonly records = new Map<string, SendRecord>();

  async claim(periodId: string, recipient: string, at = '', leaseUntil?: string): Promise<boolean> {
    const k = `${periodId}|${recipient}`;
    if (this.records.has(k)) return false;
    this.records.set(k, { status: 'sending', claimedAt: at, ...(leaseUntil ? { leaseUntil } : {}) });
    return true;
  }

  async markSent(periodId: string, recipient: string, messageId: string, at = ''): Promise<void> {
    const k = `${periodId}|${recipient}`;
    this.records.set(k, { claimedAt: this.records.get(k)?.claimedAt ?? at, status: 'sent', messageId, sentAt: at });
  }

  async release(periodId: string, recipient: string): Promise<void> {
    const k = `${periodId}|${recipient}`;
    if (this.records.get(k)?.status === 'sending') this.records.delete(k);
  }

  async get(periodId: string, recipient: string): Promise<SendRecord | undefined> {
    return this.records.get(`${periodId}|${recipient}`);
  }
}

/** Keeps what would have been sent: the email and the MIME message SES would have been given. */
export class CapturingMailer implements Mailer {
  readonly sent: { email: OutgoingEmail; message: Uint8Array; from: string; to: readonly string[] }[] = [];

  async send(email: OutgoingEmail): Promise<string> {
    this.sent.push({ email, message: await composeMime(email), from: email.from, to: email.to });
    return `local-${this.sent.length}`;
  }
}
