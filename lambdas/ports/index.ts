/**
 * Ports: what the use cases need from the outside world. The AWS adapters implement them over S3, DynamoDB
 * and SES; tests use small in-memory fakes.
 */
import type { DatasetName, PageFile } from '../domain/layout.ts';
import type { AnyRecord } from '../domain/datasets/records.ts';
import type { PeriodType } from '../domain/settings.ts';
import type { MisplacedUploadNotice, OutgoingEmail, PeriodSummary, StoredKpi, UploadIdentity, UploadRecord, UploadRemoval } from '../domain/model.ts';

export { MailNotSentError, isMailNotSent } from './mail-errors.ts';
export { NotFoundError, isNotFound } from './object-errors.ts';
export type {
  OutgoingEmail, DatasetCompleteness, MisplacedUploadNotice, PeriodSummary, StoredKpi, UnreadableUpload, UploadIdentity, UploadRecord,
  UploadRef, UploadRemoval,
} from '../domain/model.ts';

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

/**
 * Objects in the bucket. A missing object is reported as `NotFoundError` (ports/object-errors.ts) by every
 * method, so a caller can tell it from any other failure.
 */
export interface ObjectStore {
  head(ref: ObjectRef): Promise<ObjectInfo>;
  /** The keys of the objects (current versions) under `prefix`, in any order: one request per thousand, not one per key. */
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  /** The object's bytes, from the start; may be called more than once. */
  open(ref: ObjectRef): AsyncIterable<Uint8Array>;
  putJson(bucket: string, key: string, value: unknown): Promise<void>;
  readJson<T>(bucket: string, key: string): Promise<T>;
  copy(from: ObjectRef, toKey: string): Promise<void>;
  /** A writer of `dataset`'s records to `key`, in the stored records format (the store's adapter owns it). */
  createRecordWriter(bucket: string, key: string, dataset: DatasetName): RecordFileWriter;
  /** The records of a file written by `createRecordWriter`, in the order they were written. */
  readRecords(bucket: string, key: string): AsyncIterable<AnyRecord>;
  /**
   * A small object's text (UTF-8) and what `head` would say of it, or undefined when there is no such object: a
   * `mapping.json` that a folder may or may not have. At most `maxBytes` are read; a larger object is refused.
   */
  readTextIfExists(bucket: string, key: string, maxBytes: number): Promise<StoredText | undefined>;
}

/** The text of a small object and its version. */
export interface StoredText {
  readonly text: string;
  readonly info: ObjectInfo;
}

/** An object larger than a caller's limit for `readTextIfExists`. */
export class ObjectTooLargeError extends Error {
  override name = 'ObjectTooLargeError';
  constructor(readonly key: string, readonly size: number, readonly maxBytes: number) {
    super(`${key} is ${size} bytes, more than the ${maxBytes} read`);
  }
}

export interface UploadLedger {
  /** Records an upload's outcome once; false when it was already recorded (a duplicate event). */
  recordUpload(u: UploadRecord): Promise<boolean>;
  findUpload(u: UploadIdentity): Promise<UploadRecord | undefined>;
  /** Marks an upload's ops notice as sent. */
  markOpsNotified(u: UploadIdentity): Promise<void>;
  /** A dataset's uploads in the order their records apply in (`orderUploads`). */
  listUploads(dataset: DatasetName): Promise<UploadRecord[]>;
  /**
   * Marks an upload retracted at `at`, with its ops notice pending. True when this call retracted it; false when
   * it was already retracted (a redelivered event) or is not recorded: the first retraction's time stays.
   */
  markRetracted(u: UploadIdentity, at: string): Promise<boolean>;
  /** Marks an upload's retraction notice as sent. */
  markRetractionNotified(u: UploadIdentity): Promise<void>;
  /** Keeps a removal of an incoming key (once: the same removal recorded again changes nothing). */
  recordRemoval(r: UploadRemoval): Promise<void>;
  /** The removals recorded for a key. */
  listRemovals(dataset: DatasetName, key: string): Promise<UploadRemoval[]>;
}

/** The ops notices about uploads outside every dataset folder, one per object version. */
export interface MisplacedNoticeLedger {
  /** Records the notice as pending, once; false when a notice for that id is already recorded. */
  claimMisplacedNotice(n: MisplacedUploadNotice): Promise<boolean>;
  findMisplacedNotice(id: string): Promise<MisplacedUploadNotice | undefined>;
  markMisplacedNotified(id: string, at: string): Promise<void>;
  /**
   * Moves a pending notice's lease from `from` (undefined: it has none) to `to`, if it is still pending with that
   * lease: a redelivery takes over a notice whose claimant died, and a claimant gives its lease back when the
   * email was certainly not sent. False when another delivery changed it first, or it was sent.
   */
  leaseMisplacedNotice(id: string, from: string | undefined, to: string): Promise<boolean>;
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
  /**
   * Sends one email; returns the provider's message id. Throws `MailNotSentError` only when the provider
   * certainly did not accept it (a retry may send); any other error leaves the outcome unknown.
   */
  send(email: OutgoingEmail): Promise<string>;
}

/** The drill-down pages in the bucket: `web/<period>/index.html` and `scorecard.csv` (domain/layout.ts). */
export interface PageStore {
  put(periodId: string, file: PageFile, body: string): Promise<void>;
  /** The file's text, or undefined when there is none. */
  get(periodId: string, file: PageFile): Promise<string | undefined>;
}

/** The key that signs the page's links (a Secrets Manager secret on AWS). */
export interface LinkKeySource {
  key(): Promise<Uint8Array>;
}
