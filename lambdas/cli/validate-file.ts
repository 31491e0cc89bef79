/** `smarketing validate`: one local file through the very validation the Lambda runs on an upload. */
import { createReadStream } from 'node:fs';
import type { DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import type { AnyRecord } from '../domain/datasets/records.ts';
import { validateExport, type RecordSink } from '../domain/validation/validate-export.ts';
import type { ValidationReport } from '../domain/validation/report.ts';

/** Takes records and keeps none: the report counts them, so memory stays flat whatever the file's size. */
const DROP: RecordSink<AnyRecord> = { write: () => undefined, reset: () => undefined };

/** Validates one local file exactly as the Lambda validates an upload made at `uploadedAt`. */
export async function validateFile(
  path: string, dataset: DatasetName, settings: Settings, uploadedAt: Date, onProgress?: (bytes: number) => void,
): Promise<ValidationReport> {
  return validateExport(
    () => createReadStream(path),
    { dataset, settings, source: path, uploadedAt: uploadedAt.toISOString(), ...(onProgress ? { onProgress } : {}) },
    DROP,
  );
}
