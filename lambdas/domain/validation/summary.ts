/** Readable summaries of a validation report: for the CLI and for the ops email about a rejected upload. */
import { ERROR_HINTS, type ErrorCode, type Issue, type ValidationReport } from './report.ts';

/**
 * Text from an upload (cells, headers, file names) as it may be shown on a terminal or in an email: control
 * characters (an ANSI escape sequence that recolours or clears a terminal, a bell, a carriage return that
 * overwrites the line) are written as visible escapes instead of being obeyed.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const where = (i: Issue): string =>
  [i.row !== undefined ? `row ${i.row}` : '', i.line !== undefined ? `line ${i.line}` : '', i.column ? `column ${i.column}` : '']
    .filter(Boolean).join(', ');

export function describeIssue(i: Issue): string {
  const at = where(i);
  return `${i.code}${at ? ` (${printable(at)})` : ''}: ${printable(i.message)}`;
}

const counts = (c: Readonly<Partial<Record<string, number>>>): string =>
  Object.entries(c).map(([code, n]) => `${code} ×${n}`).join(', ');

/** A few lines a person reads: outcome, counts per code, the first issues with where they are. */
export function formatReportSummary(r: ValidationReport, firstN = 10): string {
  const lines: string[] = [];
  const head = r.status === 'accepted' ? 'ACCEPTED' : 'REJECTED';
  lines.push(`${head}  ${printable(r.source)}  (${r.dataset})`);
  lines.push(`  ${r.rows} data rows read, ${r.status === 'accepted' ? r.acceptedRows : 0} accepted` +
    (r.droppedRows ? `, ${r.droppedRows} with errors dropped (within the error-rate tolerance)` : ''));
  const f = r.format;
  // Only what was found: a file rejected before its header has no delimiter or header line to show.
  if (f.encoding) {
    lines.push(`  format: ${[
      f.fileType, f.encoding, f.delimiter !== undefined ? `delimiter ${JSON.stringify(f.delimiter)}` : '',
      f.lineEnding ? `${f.lineEnding} line ends` : '', f.headerLine !== undefined ? `header on line ${f.headerLine}` : '',
    ].filter(Boolean).join(', ')}`);
  } else if (f.fileType === 'xlsx') {
    lines.push(`  format: ${['xlsx', f.sheet ? `sheet ${JSON.stringify(f.sheet)}` : '', f.headerLine !== undefined ? `header on row ${f.headerLine}` : '']
      .filter(Boolean).join(', ')}`);
  }
  if (f.profile || f.mapping) {
    lines.push(`  read as: ${[f.profile ? `the ${f.profile} export (docs/exports.md, "Exports of the tools")` : '', f.mapping ? `mapping ${printable(f.mapping)}` : '']
      .filter(Boolean).join(', with ')}`);
  }
  const cols = Object.entries(r.columns);
  if (cols.length) lines.push(`  columns: ${cols.map(([c, h]) => (c === h ? c : `${c} ← "${printable(h)}"`)).join(', ')}`);
  if (Object.keys(r.errorCounts).length) {
    lines.push(`  errors: ${counts(r.errorCounts)}`);
    for (const e of r.errors.slice(0, firstN)) lines.push(`    - ${describeIssue(e)}${e.value !== undefined && e.value !== '' ? ` [value: ${JSON.stringify(e.value)}]` : ''}`);
    const total = Object.values(r.errorCounts).reduce((a, b) => a + (b ?? 0), 0);
    if (total > firstN) lines.push(`    … and ${total - Math.min(firstN, r.errors.length)} more`);
    lines.push('  how to fix:');
    for (const code of Object.keys(r.errorCounts) as ErrorCode[]) lines.push(`    ${code}: ${ERROR_HINTS[code]}`);
  }
  const suggested = Object.entries(r.suggestions ?? {});
  if (suggested.length) {
    lines.push('  closest headers for the missing columns:');
    for (const [column, list] of suggested) {
      lines.push(`    ${column}: ${list.length ? list.map((s) => `"${printable(s.header)}" (${s.why})`).join(', ') : 'none of the headers looks like it'}`);
    }
    lines.push(`  a draft mapping.json is in the report (mappingDraft), or run: smarketing map <file> --dataset ${r.dataset}`);
  }
  if (Object.keys(r.warningCounts).length) {
    lines.push(`  warnings: ${counts(r.warningCounts)}`);
    for (const w of r.warnings.slice(0, 5)) lines.push(`    - ${describeIssue(w)}`);
  }
  return lines.join('\n');
}

export function formatRejectionEmail(r: ValidationReport, reportKey: string): { subject: string; text: string } {
  const total = Object.values(r.errorCounts).reduce((a, b) => a + (b ?? 0), 0);
  const folder = r.source.slice(0, r.source.lastIndexOf('/') + 1);
  return {
    subject: `Upload rejected: ${printable(r.source)} (${total} error${total === 1 ? '' : 's'})`,
    text: [
      `The ${r.dataset} export ${printable(r.source)} was rejected: none of its rows count towards the scorecard.`,
      r.mappingDraft
        ? `Its headers are not ones the pipeline knows. A draft mapping.json is attached (and below): check that each column ` +
          `names the right header, correct what is wrong, and upload it as ${printable(folder)}mapping.json. The file is then ` +
          'validated again, and so are the other files of that folder rejected for their columns or values; no need to upload them again.'
        : `Fix the file and upload it again; the original is kept as it was.`,
      '',
      formatReportSummary(r, 10),
      '',
      `Full report: ${reportKey}`,
      ...(r.mappingDraft ? ['', 'Draft mapping.json:', JSON.stringify(r.mappingDraft, null, 2)] : []),
    ].join('\n'),
  };
}

/** The ops email about an upload accepted under the error-rate tolerance, with rows left out. */
export function formatDroppedRowsEmail(r: ValidationReport, reportKey: string): { subject: string; text: string } {
  const n = r.droppedRows ?? 0;
  return {
    subject: `Upload accepted with ${n} row${n === 1 ? '' : 's'} dropped: ${printable(r.source)}`,
    text: [
      `The ${r.dataset} export ${printable(r.source)} was accepted, but ${n} of its ${r.rows} rows had errors and do not count ` +
        'towards the scorecard (the configured error-rate tolerance allows it).',
      'Fix those rows and upload the whole file again: its records replace these.',
      '',
      formatReportSummary(r, 10),
      '',
      `Full report: ${reportKey}`,
    ].join('\n'),
  };
}
