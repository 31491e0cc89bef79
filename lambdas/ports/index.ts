/**
 * Ports: what the use cases need from the outside world. The AWS adapters implement them over S3, DynamoDB
 * and SES; tests use small in-memory fakes.
 */
import type { DatasetName } from '../domain/layout.ts';
import type { AnyRecord } from '../domain/datasets/records.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import type { MetricValue } from '../domain/metrics/registry.ts';
import type { PeriodType } from '../domain/settings.ts';

export interface Clock {
  now(): Date;
}

/** An object in the bucket, as an S3 event names it (key already URL-decoded). */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

export interface ObjectInfo {
  readonly lastModified: string;
  readonly size: number;
  readonly etag?: string;
  readonly versionId?: string;
}

/** Streams records into a stored file; nothing is visible until `close`. */
export interface RecordFileWriter {
  write(record: AnyRecord): void | Promise<void>;
  reset(): void | Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface ObjectStore {
  head(ref: ObjectRef): Promise<ObjectInfo>;
  /** The object's bytes, from the start; may be called more than once. */
  open(ref: ObjectRef): AsyncIterable<Uint8Array>;
  putJson(bucket: string, key: string, value: unknown): Promise<void>;
  readJson<T>(bucket: string, key: string): Promise<T>;
  copy(from: ObjectRef, toKey: string): Promise<void>;
  createRecordWriter(bucket: string, key: string): RecordFileWriter;
  readRecords(bucket: string, key: string): AsyncIterable<AnyRecord>;
}

/** The record of one upload and its outcome. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly dataset: DatasetName;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly uploadedAt: string;
  readonly status: 'accepted' | 'rejected';
  readonly rows: number;
  readonly acceptedRows: number;
  readonly recordsKey?: string;
  readonly reportKey: string;
  readonly errorCounts: ValidationReport['errorCounts'];
  readonly warningCounts: ValidationReport['warningCounts'];
  readonly processedAt: string;
  /**
   * The ops email this upload owes (rejected, or rows dropped under the tolerance): 'pending' until SES took it.
   * A redelivered event finishes a pending notice, so a failed send is retried instead of lost.
   */
  readonly opsNotice?: 'pending' | 'sent';
}

export interface StoredKpi extends MetricValue {
  readonly id: string;
  readonly periodId: string;
  readonly periodType: PeriodType;
  /**
   * Uploads whose records the value was computed from: of the KPI's input datasets, the accepted uploads with a
   * record in the period that counts (not replaced by a later upload), in upload order per dataset.
   */
  readonly uploads: readonly string[];
  /**
   * Not the wall clock: the newest `processedAt` of the upload outcomes the computation read, so recomputing from
   * the same inputs writes identical items (the run's own time is in its logs).
   */
  readonly computedAt: string;
}

/** An accepted upload, as the period summary names it. */
export interface UploadRef {
  readonly uploadId: string;
  readonly key: string;
  readonly uploadedAt: string;
}

/** The data-completeness check of one dataset for a period. */
export interface DatasetCompleteness {
  /** Records that count in the period (see `DatasetInPeriod` in domain/metrics/measures.ts); 0 = missing. */
  readonly records: number;
  /** First and last local date of those records' dates in the period: a leads export that stops on the 15th shows. */
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** The dataset's latest accepted upload, whatever period its records are in. */
  readonly latestUpload?: UploadRef;
  /** The latest accepted upload with a record in this period. */
  readonly latestUploadInPeriod?: UploadRef;
  /** KPIs (ids) that need this dataset: they are null when it is missing. */
  readonly requiredBy: readonly string[];
}

export interface PeriodSummary {
  readonly periodId: string;
  readonly periodType: PeriodType;
  readonly timezone: string;
  readonly currency: string;
  /** Per dataset, whether it has records in the period. */
  readonly coverage: Readonly<Record<DatasetName, boolean>>;
  /** Per dataset, the accepted uploads with records in the period (that count), latest last. */
  readonly uploads: Readonly<Record<DatasetName, readonly { uploadId: string; key: string; uploadedAt: string; rows: number }[]>>;
  /** Rejected uploads so far, for the data-quality footer. */
  readonly rejected: readonly { key: string; dataset: DatasetName; errors: number; uploadedAt: string }[];
  /** The data-completeness check (always written by the KPI step): per dataset, and the datasets with no records. */
  readonly completeness?: Readonly<Record<DatasetName, DatasetCompleteness>>;
  readonly missing?: readonly DatasetName[];
  /** A digest of everything the values depend on (upload outcomes read, settings): equal digests, equal items. */
  readonly inputsDigest?: string;
  /** As in `StoredKpi`: derived from the inputs, not the wall clock. */
  readonly computedAt: string;
}

export type UploadIdentity = Pick<UploadRecord, 'dataset' | 'uploadedAt' | 'key' | 'uploadId'>;

export interface UploadLedger {
  /** Records an upload's outcome once; false when it was already recorded (a duplicate event). */
  recordUpload(u: UploadRecord): Promise<boolean>;
  findUpload(u: UploadIdentity): Promise<UploadRecord | undefined>;
  /** Marks an upload's ops notice as sent. */
  markOpsNotified(u: UploadIdentity): Promise<void>;
  /** A dataset's uploads, oldest first. */
  listUploads(dataset: DatasetName): Promise<UploadRecord[]>;
}

export interface KpiStore {
  /**
   * Replaces the period's KPI items and summary: items of the period that are not in `kpis` are removed, so the
   * stored period is exactly what was computed (idempotent: same inputs, same items).
   */
  putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void>;
  getPeriod(periodId: string): Promise<{ summary?: PeriodSummary; kpis: StoredKpi[] }>;
  /** One KPI over a range of periods (ids of one type, inclusive), oldest first: e.g. its last 13 periods. */
  getHistory(kpiId: string, periodType: PeriodType, fromId: string, toId: string): Promise<StoredKpi[]>;
}

/** The send record of one period and recipient. */
export interface SendRecord {
  readonly status: 'sending' | 'sent';
  readonly claimedAt: string;
  /**
   * Until when the claiming invocation may still be sending (its deadline). A record still 'sending' after it
   * was left by an invocation that died mid-send: whether the email went out is unknown.
   */
  readonly leaseUntil?: string;
  readonly messageId?: string;
  readonly sentAt?: string;
}

export interface SendLedger {
  /**
   * Claims the send of `periodId` to `recipient`; false when it was already sent (or is being sent).
   * `leaseUntil` (ISO) is when the claimer will certainly have stopped: its invocation's deadline.
   */
  claim(periodId: string, recipient: string, at: string, leaseUntil?: string): Promise<boolean>;
  markSent(periodId: string, recipient: string, messageId: string, at: string): Promise<void>;
  /** Gives a claim back after a failed send, so a retry sends it. Never removes a 'sent' record. */
  release(periodId: string, recipient: string): Promise<void>;
  /** The record of a send (read consistently), or undefined when there is none. */
  get(periodId: string, recipient: string): Promise<SendRecord | undefined>;
}

export interface Mailer {
  /** Sends a complete MIME message; returns the provider's message id. */
  sendRaw(message: Uint8Array, from: string, to: readonly string[]): Promise<string>;
}
