/**
 * In-memory implementations of the stores, for the CLI (which computes from a folder, with no AWS) and for
 * unit tests of the use cases.
 */
import type { PeriodType } from '../domain/settings.ts';
import type { Mailer, KpiStore, OutgoingEmail, PeriodSummary, SendLedger, SendRecord, StoredKpi } from '../ports/index.ts';
import { composeMime } from './mime.ts';

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
