/**
 * Reading a folder laid out like the bucket's `incoming/` (`<dir>/<dataset>/<files>`) with the very code the
 * validation Lambda runs: each file is validated, and the accepted ones are merged in name order.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DATASET_NAMES, type DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import type { AnyRecord, DatasetRecords } from '../domain/datasets/records.ts';
import { validateExport } from '../domain/validation/validate-export.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import { RecordMerger } from '../domain/records/merge.ts';
import type { LoadedRecords } from '../use-cases/compute-kpis.ts';
import type { UploadRecord } from '../ports/index.ts';

export interface FolderInput {
  readonly dataset: DatasetName;
  readonly file: string;
  readonly status: 'accepted' | 'rejected';
  readonly rows: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.toLowerCase() === 'readme.md') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out.sort();
}

/** Validates one local file exactly as the Lambda validates an upload; records go to `onRecord`. */
export async function validateFile(
  path: string, dataset: DatasetName, settings: Settings, uploadedAt: Date,
  onRecord: (r: AnyRecord) => void = () => undefined, onProgress?: (bytes: number) => void,
): Promise<ValidationReport> {
  const kept: AnyRecord[] = [];
  const report = await validateExport(
    () => createReadStream(path),
    { dataset, settings, source: path, uploadedAt: uploadedAt.toISOString(), ...(onProgress ? { onProgress } : {}) },
    { write: (r) => { kept.push(r); }, reset: () => { kept.length = 0; } },
  );
  if (report.status === 'accepted') for (const r of kept) onRecord(r);
  return report;
}

export interface LoadedFolder {
  readonly loaded: LoadedRecords;
  readonly inputs: FolderInput[];
  readonly reports: ValidationReport[];
}

/** Validates and merges every file of every dataset folder under `dir`. */
export async function loadExportFolder(dir: string, settings: Settings, now: Date): Promise<LoadedFolder> {
  const records = {} as { [N in DatasetName]: DatasetRecords[N][] };
  const uploads = {} as Record<DatasetName, UploadRecord[]>;
  const contributing = {} as Record<DatasetName, string[]>;
  const rejected: UploadRecord[] = [];
  const inputs: FolderInput[] = [];
  const reports: ValidationReport[] = [];
  for (const dataset of DATASET_NAMES) {
    const merger = new RecordMerger(dataset);
    uploads[dataset] = [];
    for (const path of await filesUnder(join(dir, dataset))) {
      const file = relative(dir, path);
      const uploadedAt = (await stat(path)).mtime;
      // A file's own modification time can lie in the past of its data; never before "now" for future-date checks.
      const report = await validateFile(path, dataset, settings, uploadedAt > now ? uploadedAt : now, (r) => merger.add(file, r as DatasetRecords[typeof dataset]));
      reports.push(report);
      inputs.push({ dataset, file, status: report.status, rows: report.rows });
      const upload: UploadRecord = {
        uploadId: file, dataset, bucket: dir, key: file, uploadedAt: uploadedAt.toISOString(), status: report.status,
        rows: report.rows, acceptedRows: report.acceptedRows, reportKey: '', errorCounts: report.errorCounts,
        warningCounts: report.warningCounts, processedAt: now.toISOString(),
      };
      if (report.status === 'accepted') uploads[dataset].push(upload);
      else rejected.push(upload);
    }
    (records as Record<DatasetName, unknown[]>)[dataset] = merger.records();
    contributing[dataset] = merger.contributingUploads();
  }
  return { loaded: { records, uploads, contributing, rejected }, inputs, reports };
}
