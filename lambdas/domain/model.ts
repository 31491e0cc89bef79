/**
 * The domain's model: what the pipeline reasons about (an upload and its outcome, a stored KPI, a period's
 * summary). Plain data, defined here so the domain depends on nothing; ports and adapters import these.
 */
import type { DatasetName } from './layout.ts';
import type { ValidationReport } from './validation/report.ts';
import type { MetricValue } from './metrics/registry.ts';
import type { PeriodType } from './settings.ts';
import type { InlineImage } from './scorecard/view.ts';

/** The record of one upload and its outcome. */
export interface UploadRecord {
  readonly uploadId: string;
  readonly dataset: DatasetName;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** When the upload was made: the S3 event's time (milliseconds), or the object's Last-Modified without one. */
  readonly uploadedAt: string;
  /** The S3 event's sequencer: orders the writes of one key (see domain/records/upload-order.ts). */
  readonly sequencer?: string;
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
  /**
   * When the upload was retracted: its file was deleted from `incoming/` (or this version of it, for good). A
   * retracted upload's records stop counting from the next KPI run; a later upload of the key is a new upload.
   */
  readonly retractedAt?: string;
  /** The ops email about the retraction: 'pending' until SES took it (finished by a redelivered event, as `opsNotice`). */
  readonly retractionNotice?: 'pending' | 'sent';
  /**
   * Columns some KPIs need that the upload lacks (a `kpi-input-missing` warning each): those KPIs are null, with
   * the reason, for the periods its records count in (domain/metrics/kpi-gaps.ts).
   */
  readonly missingInputs?: readonly string[];
  /** The mapping file that applied (`<key>@<version or etag>`), if any. */
  readonly mapping?: string;
  /** This upload validates again, with a mapping file, the rejected upload of that id (same object version). */
  readonly revalidates?: string;
}

/**
 * A removal of an incoming key, as its S3 event said, kept so an upload recorded after the removal was processed
 * (its validation was still running when the file was deleted) is retracted too.
 */
export interface UploadRemoval {
  readonly dataset: DatasetName;
  readonly key: string;
  /**
   * 'key': the file is gone from `incoming/` (a delete marker, or a delete in an unversioned bucket): every upload
   * of the key written before the removal is retracted. 'version': one version was deleted for good.
   */
  readonly scope: 'key' | 'version';
  readonly versionId?: string;
  /** The removal's S3 sequencer: it orders the removal against the writes of the key. */
  readonly sequencer?: string;
  /** The S3 event's time, to order the removal when a sequencer is missing. */
  readonly eventTime?: string;
  readonly recordedAt: string;
}

/** An accepted upload whose stored records could not be found: the KPI run went on without it. */
export interface UnreadableUpload {
  readonly dataset: DatasetName;
  readonly uploadId: string;
  /** The upload's key under `incoming/`. */
  readonly key: string;
  /** Its stored records (`accepted/…jsonl.gz`), which are missing. */
  readonly recordsKey: string;
  readonly reason: string;
}

/** The ops notice about a file uploaded under `incoming/` but outside every dataset folder: one per object version. */
export interface MisplacedUploadNotice {
  /** A hash of the bucket, key and version (or sequencer): the same object delivered twice has one id. */
  readonly id: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** The dataset the key most likely meant, when there is one. */
  readonly suggestion?: DatasetName;
  readonly seenAt: string;
  /** 'pending' until SES took the email: a redelivered event sends a pending one again, once its lease is over. */
  readonly notice: 'pending' | 'sent';
  /**
   * Until when the delivery that claimed it may still be sending (its deadline): a redelivery before then waits (it
   * fails, and Lambda retries it later), so two deliveries at once send one email.
   */
  readonly leaseUntil?: string;
  readonly sentAt?: string;
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
  /**
   * Accepted uploads whose stored records are missing (deleted by hand): the values were computed without them.
   * Absent when every upload was read.
   */
  readonly unreadableUploads?: readonly UnreadableUpload[];
  /** A digest of everything the values depend on (upload outcomes read, settings): equal digests, equal items. */
  readonly inputsDigest?: string;
  /** As in `StoredKpi`: derived from the inputs, not the wall clock. */
  readonly computedAt: string;
}

/** The identity of an upload, as the ledger finds it. */
export type UploadIdentity = Pick<UploadRecord, 'dataset' | 'uploadedAt' | 'key' | 'uploadId'>;

/** A file attached to an email (the scorecard's CSV of every value, a draft mapping for ops). */
export interface EmailAttachment {
  readonly filename: string;
  /** e.g. 'text/csv; charset=utf-8', 'application/json'. */
  readonly contentType: string;
  readonly content: string | Uint8Array;
}

/**
 * An email the pipeline sends (the scorecard, an ops notice), as plain data. The mailer adapter turns it into
 * MIME: the message format belongs to the adapter that speaks it.
 */
export interface OutgoingEmail {
  /** The bare sender address: the SES identity, and the envelope sender. */
  readonly from: string;
  /** The display name shown with `from` ("Marketing scorecard"); the bare address when absent. */
  readonly fromName?: string;
  /** Where replies go (the person to ask about the numbers), when not to `from`. */
  readonly replyTo?: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The HTML alternative; a plain-text email when absent. */
  readonly html?: string;
  /** Images the HTML shows inline by Content-ID. */
  readonly images?: readonly InlineImage[];
  /** Files attached to the message, after the bodies. */
  readonly attachments?: readonly EmailAttachment[];
  /** The Date header (pass the injected clock's time for reproducible output); the current time when absent. */
  readonly date?: Date;
}
