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
}

export interface StoredKpi extends MetricValue {
  readonly id: string;
  readonly periodId: string;
  readonly periodType: PeriodType;
  /** Uploads whose records the value was computed from. */
  readonly uploads: readonly string[];
  readonly computedAt: string;
}

export interface PeriodSummary {
  readonly periodId: string;
  readonly periodType: PeriodType;
  readonly timezone: string;
  readonly currency: string;
  readonly coverage: Readonly<Record<DatasetName, boolean>>;
  /** Per dataset, the accepted uploads whose records count, latest last. */
  readonly uploads: Readonly<Record<DatasetName, readonly { uploadId: string; key: string; uploadedAt: string; rows: number }[]>>;
  /** Rejected uploads so far, for the data-quality footer. */
  readonly rejected: readonly { key: string; dataset: DatasetName; errors: number; uploadedAt: string }[];
  readonly computedAt: string;
}

export type UploadIdentity = Pick<UploadRecord, 'dataset' | 'uploadedAt' | 'key' | 'uploadId'>;

export interface UploadLedger {
  /** Records an upload's outcome once; false when it was already recorded (a duplicate event). */
  recordUpload(u: UploadRecord): Promise<boolean>;
  findUpload(u: UploadIdentity): Promise<UploadRecord | undefined>;
  /** A dataset's uploads, oldest first. */
  listUploads(dataset: DatasetName): Promise<UploadRecord[]>;
}

export interface KpiStore {
  /** Replaces the period's KPI items and summary (idempotent: same inputs, same items). */
  putPeriod(summary: PeriodSummary, kpis: readonly StoredKpi[]): Promise<void>;
  getPeriod(periodId: string): Promise<{ summary?: PeriodSummary; kpis: StoredKpi[] }>;
  /** One KPI over a range of periods, oldest first. */
  getHistory(kpiId: string, periodType: PeriodType, fromId: string, toId: string): Promise<StoredKpi[]>;
}

export interface SendLedger {
  /** Claims the send of `periodId` to `recipient`; false when it was already sent (or is being sent). */
  claim(periodId: string, recipient: string, at: string): Promise<boolean>;
  markSent(periodId: string, recipient: string, messageId: string, at: string): Promise<void>;
  /** Gives a claim back after a failed send, so a retry sends it. */
  release(periodId: string, recipient: string): Promise<void>;
}

export interface Mailer {
  /** Sends a complete MIME message; returns the provider's message id. */
  sendRaw(message: Uint8Array, from: string, to: readonly string[]): Promise<string>;
}
