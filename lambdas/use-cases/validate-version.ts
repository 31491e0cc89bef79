/**
 * Validating one version of an upload and keeping what came of it: its records when accepted, a copy and the
 * report aside when rejected, and the upload record to write to the ledger. Shared by the first validation of an
 * upload (ingest-upload.ts) and its validation again when a mapping file arrives (apply-mapping.ts).
 */
import { BUCKET_PREFIX, incomingPrefix, rejectedCopyKey, rejectedReportKey, type DatasetName } from '../domain/layout.ts';
import { mappingCandidates } from '../domain/mapping/locate.ts';
import { validateExport } from '../domain/validation/validate-export.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import { ObjectTooLargeError, type ObjectRef, type ObjectStore, type UploadRecord } from '../ports/index.ts';
import type { IngestDeps } from './ingest-upload.ts';

/** A mapping file is a few columns and words: anything past this is no mapping file. */
export const MAX_MAPPING_BYTES = 256 * 1024;

/** The mapping file that applies to an upload, as read. */
export interface FoundMapping {
  readonly key: string;
  /** Its version (or ETag): a changed mapping is a new one. */
  readonly tag: string;
  readonly text?: string;
  /** Why it could not be read (too large). */
  readonly problem?: string;
}

/** The `mapping.json` nearest above `key` in the bucket, up to the dataset folder, if any. */
export async function nearestMapping(store: ObjectStore, bucket: string, key: string, dataset: DatasetName): Promise<FoundMapping | undefined> {
  for (const candidate of mappingCandidates(key, incomingPrefix(dataset))) {
    try {
      const found = await store.readTextIfExists(bucket, candidate, MAX_MAPPING_BYTES);
      if (found) return { key: candidate, tag: found.info.versionId ?? found.info.etag ?? found.info.lastModified, text: found.text };
    } catch (e) {
      if (!(e instanceof ObjectTooLargeError)) throw e;
      return { key: candidate, tag: String(e.size), problem: `is ${e.size} bytes: a mapping file is a few columns and words (at most ${MAX_MAPPING_BYTES / 1024} KB)` };
    }
  }
  return undefined;
}

export interface VersionToValidate {
  readonly dataset: DatasetName;
  /** The object version (its `versionId` when the bucket has versions). */
  readonly version: ObjectRef;
  readonly uploadId: string;
  readonly uploadedAt: string;
  readonly sequencer?: string;
  readonly mapping?: FoundMapping;
}

/** Validates the version and stores what came of it; the upload record is the caller's to write. */
export async function validateVersion(v: VersionToValidate, deps: IngestDeps): Promise<{ report: ValidationReport; record: UploadRecord }> {
  const { dataset, version, uploadId } = v;
  const recordsKey = `${BUCKET_PREFIX.accepted}${dataset}/${uploadId}.jsonl.gz`;
  const writer = deps.store.createRecordWriter(version.bucket, recordsKey, dataset);
  // A mapping that cannot be read is the upload's mapping-error, as a malformed one is.
  const mapping = !v.mapping ? undefined
    : v.mapping.text !== undefined ? { source: v.mapping.key, text: v.mapping.text } : { source: v.mapping.key, problem: v.mapping.problem ?? 'cannot be read' };
  let report: ValidationReport;
  try {
    report = await validateExport(
      () => deps.store.open(version),
      { dataset, settings: deps.settings, source: version.key, uploadedAt: v.uploadedAt, ...(mapping ? { mapping } : {}) },
      writer,
    );
  } catch (e) {
    await writer.abort();
    throw e;
  }
  let reportKey: string;
  if (report.status === 'accepted') {
    await writer.close();
    reportKey = `${BUCKET_PREFIX.reports}${dataset}/${uploadId}.json`;
    await deps.store.putJson(version.bucket, reportKey, report);
  } else {
    await writer.abort();
    // The raw upload stays where it was (the pipeline never deletes it); a copy and its report go aside, under
    // a folder of their own per upload, so a rejected re-upload of the key leaves the earlier ones alone.
    const asideKey = rejectedCopyKey(version.key, dataset, uploadId);
    reportKey = rejectedReportKey(asideKey);
    await deps.store.copy(version, asideKey);
    await deps.store.putJson(version.bucket, reportKey, report);
  }
  const missingInputs = report.status === 'accepted'
    ? report.warnings.filter((w) => w.code === 'kpi-input-missing' && w.column).map((w) => w.column!) : [];
  const record: UploadRecord = {
    uploadId, dataset, bucket: version.bucket, key: version.key,
    ...(version.versionId ? { versionId: version.versionId } : {}),
    uploadedAt: v.uploadedAt, ...(v.sequencer ? { sequencer: v.sequencer } : {}), status: report.status, rows: report.rows, acceptedRows: report.acceptedRows,
    ...(report.status === 'accepted' ? { recordsKey } : {}),
    reportKey, errorCounts: report.errorCounts, warningCounts: report.warningCounts,
    processedAt: deps.clock.now().toISOString(),
    ...(missingInputs.length ? { missingInputs } : {}),
    ...(v.mapping ? { mapping: `${v.mapping.key}@${v.mapping.tag}` } : {}),
  };
  return { report, record };
}
