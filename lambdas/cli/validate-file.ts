/** `smarketing validate`: one local file through the very validation the Lambda runs on an upload. */
import { createReadStream } from 'node:fs';
import type { DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import type { AnyRecord } from '../domain/datasets/records.ts';
import { validateExport, type RecordSink } from '../domain/validation/validate-export.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import type { MappingText } from './mapping-file.ts';

/** Takes records and keeps none: the report counts them, so memory stays flat whatever the file's size. */
const DROP: RecordSink<AnyRecord> = { write: () => undefined, reset: () => undefined };

/**
 * Validates one local file exactly as the Lambda validates an upload made at `uploadedAt`, with the mapping file
 * that applies to it (see mapping-file.ts); `draft` puts a draft mapping.json in the report whatever the outcome.
 */
export async function validateFile(
  path: string, dataset: DatasetName, settings: Settings, uploadedAt: Date, onProgress?: (bytes: number) => void,
  opts: { readonly mapping?: MappingText; readonly draft?: boolean } = {},
): Promise<ValidationReport> {
  return validateExport(
    () => createReadStream(path),
    {
      dataset, settings, source: path, uploadedAt: uploadedAt.toISOString(), ...(onProgress ? { onProgress } : {}),
      ...(opts.mapping ? { mapping: opts.mapping } : {}), ...(opts.draft ? { draft: true } : {}),
    },
    DROP,
  );
}
