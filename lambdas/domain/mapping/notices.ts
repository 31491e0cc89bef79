/**
 * The ops emails about mapping files: what was accepted once a mapping arrived (its folder's rejected uploads
 * validated again), and a mapping file that cannot be used.
 */
import type { DatasetName } from '../layout.ts';
import type { ValidationReport } from '../validation/report.ts';
import { describeIssue, printable } from '../validation/summary.ts';
import type { MappingProblem } from './schema.ts';

/** One upload validated again with a mapping, and how it came out. */
export interface RevalidatedUpload {
  readonly key: string;
  readonly status: 'accepted' | 'rejected';
  readonly rows: number;
  readonly acceptedRows: number;
  /** The first errors of a still-rejected upload. */
  readonly errors: readonly ValidationReport['errors'][number][];
  readonly reportKey: string;
}

export function formatMappingAppliedEmail(dataset: DatasetName, mappingKey: string, uploads: readonly RevalidatedUpload[]): { subject: string; text: string } {
  const accepted = uploads.filter((u) => u.status === 'accepted');
  const rejected = uploads.filter((u) => u.status === 'rejected');
  const rows = accepted.reduce((a, u) => a + u.acceptedRows, 0);
  return {
    subject: `Mapping applied: ${accepted.length} of ${uploads.length} upload${uploads.length === 1 ? '' : 's'} accepted (${printable(mappingKey)})`,
    text: [
      `The mapping file ${printable(mappingKey)} was uploaded or changed, so the ${dataset} uploads of its folder that had been ` +
        'rejected for their columns or values were validated again with it.',
      '',
      ...(accepted.length
        ? [`Accepted now (${rows} rows count towards the next scorecard):`, ...accepted.map((u) => `  - ${printable(u.key)}: ${u.acceptedRows} of ${u.rows} rows`)]
        : ['No upload was accepted with it.']),
      ...(rejected.length
        ? ['', 'Still rejected (correct the mapping or the file; report keys below):',
          ...rejected.flatMap((u) => [`  - ${printable(u.key)} (${u.reportKey})`, ...u.errors.slice(0, 3).map((e) => `      ${describeIssue(e)}`)])]
        : []),
    ].join('\n'),
  };
}

export function formatBadMappingEmail(mappingKey: string, problems: readonly MappingProblem[]): { subject: string; text: string } {
  return {
    subject: `Mapping file not used: ${printable(mappingKey)}`,
    text: [
      `The mapping file ${printable(mappingKey)} cannot be used, so nothing was validated again with it; uploads of its folder ` +
        'are rejected with a mapping-error until it is corrected:',
      ...problems.map((p) => `  - ${p.path ? `${printable(p.path)}: ` : ''}${printable(p.message)}`),
      '',
      'Correct it and upload it again (docs/exports.md, "Mapping files", shows its shape; docs/mapping.schema.json checks it in an editor).',
    ].join('\n'),
  };
}
