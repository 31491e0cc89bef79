/**
 * How much one upload may expand to, in one place. Why limits at all: a validation runs in a Lambda function
 * (2 GB of memory, 15 minutes) and on people's laptops (`smarketing validate`), and a small file can expand
 * enormously: a gzip of a gzip, a zip "bomb", a workbook whose shared-strings table (held in memory whole) is
 * hundreds of megabytes. Each limit sits well above what a real export needs (a CSV of millions of rows, an
 * Excel sheet at Excel's own row limit); past one the upload is rejected as `too-large`, at once, with the
 * limit and what to do. docs/exports.md lists them (scripts/generate-exports-doc.ts reads these constants).
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Text of one CSV upload, after decompression: 2 GiB is about 15 million rows of a wide CRM export. */
export const MAX_CSV_BYTES = 2 * GiB;

/**
 * Decompressed bytes per compressed byte, checked once more than `RATIO_CHECK_AFTER_BYTES` came out of a gzip
 * upload, and on a workbook part of more than that (from the sizes its zip directory gives). Exports compress 5 to 50 fold (a sheet's XML about 10 fold); one line repeated,
 * 400 fold; a bomb, up to the 1032 fold deflate allows.
 */
export const MAX_COMPRESSION_RATIO = 200;
export const RATIO_CHECK_AFTER_BYTES = 16 * MiB;

/** An .xlsx file as uploaded: read into memory whole (a zip is read from its directory, at its end). */
export const MAX_WORKBOOK_BYTES = 100 * MiB;

/** One part of a workbook (the sheet's XML), decompressed: streamed, so this bounds time, not memory. */
export const MAX_WORKBOOK_PART_BYTES = 2 * GiB;

/**
 * Parts held in memory whole, decompressed: the shared-strings table (every distinct text of the workbook),
 * the styles and the list of sheets. Held as strings, a table takes one to three times its XML's size.
 */
export const MAX_WORKBOOK_TABLE_BYTES = 128 * MiB;

/** Cells of the sheet read: Excel's 1,048,576 rows of 20 columns. */
export const MAX_WORKBOOK_CELLS = 21_000_000;

/** Characters of one text in a workbook (Excel's own limit for a cell is 32,767). */
export const MAX_WORKBOOK_TEXT_CHARS = 1_000_000;

export interface UploadLimits {
  readonly maxCsvBytes: number;
  readonly maxCompressionRatio: number;
  readonly ratioCheckAfterBytes: number;
  readonly maxWorkbookBytes: number;
  readonly maxWorkbookPartBytes: number;
  readonly maxWorkbookTableBytes: number;
  readonly maxWorkbookCells: number;
  readonly maxWorkbookTextChars: number;
}

/** The limits in force (tests pass lower ones). */
export const UPLOAD_LIMITS: UploadLimits = {
  maxCsvBytes: MAX_CSV_BYTES,
  maxCompressionRatio: MAX_COMPRESSION_RATIO,
  ratioCheckAfterBytes: RATIO_CHECK_AFTER_BYTES,
  maxWorkbookBytes: MAX_WORKBOOK_BYTES,
  maxWorkbookPartBytes: MAX_WORKBOOK_PART_BYTES,
  maxWorkbookTableBytes: MAX_WORKBOOK_TABLE_BYTES,
  maxWorkbookCells: MAX_WORKBOOK_CELLS,
  maxWorkbookTextChars: MAX_WORKBOOK_TEXT_CHARS,
};

/** A byte count as people read it: `2 GiB`, `256 KiB`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  const [unit, size] = n >= GiB ? ['GiB', GiB] : n >= MiB ? ['MiB', MiB] : n >= KiB ? ['KiB', KiB] : ['bytes', 1];
  return `${Math.round((n / size) * 10) / 10} ${unit}`;
}
