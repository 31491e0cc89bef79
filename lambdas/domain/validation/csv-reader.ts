/**
 * The CSV reader layer: text → records with their record number and the physical line each starts on.
 * `CsvParser` is the engine: fed text chunks, it calls back synchronously once per record, so validating a
 * million rows costs no promise, generator step or record object per row. `parseCsvText` wraps it as an
 * async generator, and `readCsvRows` reads a whole upload (sniffing, decoding, delimiter detection) without a
 * dataset, for tools and the conformance tests.
 */
import { NotUtf8Error, decodeText, sniffUpload, type TextEncodingName } from './decode.ts';
import { DELIMITERS, splitLine, type Delimiter } from './header.ts';

export interface CsvRow {
  readonly cells: string[];
  /** Record number, the first record read = `firstRow` (1 by default: the header is row 1). */
  readonly row: number;
  /** Physical line of the file where the record starts. */
  readonly line: number;
}

/** Longest record accepted, in characters: a longer one is `row-too-large` (usually an unclosed quote). */
export const MAX_RECORD_CHARS = 1_000_000;

/** What a NUL byte in the text is: binary data (a damaged file), never part of a CSV export. */
export const nulByteMessage = (line: number): string =>
  `line ${line} has a NUL byte (binary data, not text): the file is damaged or is not a CSV export; export it again`;

/** A record that cannot be read; `row` and `line` say where reading stopped. */
export class CsvReadError extends Error {
  override name = 'CsvReadError';
  constructor(
    readonly code: 'row-too-large' | 'not-tabular' | 'encoding-error',
    message: string,
    readonly row: number,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface ParseCsvOptions {
  readonly delimiter: string;
  /** Physical line of the text's first character. @default 1 */
  readonly firstLine?: number;
  /** Number of the first record. @default 1 */
  readonly firstRow?: number;
  /** @default MAX_RECORD_CHARS */
  readonly maxRecordChars?: number;
  /**
   * The text is UTF-8 bytes read as Latin-1 (`ChunkDecoder`'s `bytesAsLatin1`): cells are decoded from UTF-8
   * when they hold a non-ASCII byte. @default false
   */
  readonly utf8Bytes?: boolean;
  /**
   * Hand every record the same array, refilled: the handler must copy what it keeps past its return. A
   * million short-lived arrays are a good part of what the garbage collector has to sweep. @default false
   */
  readonly reuseCells?: boolean;
}

/**
 * Receives the records, in order: `row` is called once per record; `cells` is the receiver's to keep, unless
 * the parser reuses it (`reuseCells`). An object with a method rather than a function, so that the validator
 * can hand over its row checker itself (one method for every file) instead of a closure made per file.
 */
export interface RowReceiver {
  row(cells: string[], row: number, line: number): void;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
/** "Not found" for cached `indexOf` positions: past any string. */
const FAR = Number.MAX_SAFE_INTEGER;

/**
 * A streaming CSV parser: RFC 4180 quoted fields (delimiters, doubled quotes and line breaks inside), CRLF,
 * LF or CR-only line ends (the first line break of the text decides between LF/CRLF and CR), a quote inside
 * an unquoted field taken literally, ragged rows kept as they are, empty lines skipped but counted.
 *
 * Speed comes from scanning with `indexOf` (native, vectorised) and caching where the next delimiter, quote
 * and line break are, so each character is looked at about once however the text is cut into chunks; only
 * an incomplete last record is carried over to the next chunk.
 */
export class CsvParser {
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly maxRecordChars: number;
  private readonly utf8Bytes: boolean;
  private readonly reused: string[] | undefined;
  private carry = '';
  /** Line break searched for: '\n' (LF and CRLF files) or '\r' (CR-only files); decided by the first one seen. */
  private nl: '\n' | '\r' | undefined;
  private nlCode = LF;
  /** Physical line where `carry` starts. */
  private line: number;
  private row: number;

  constructor(opts: ParseCsvOptions) {
    if (opts.delimiter.length !== 1) throw new Error('the delimiter must be one character');
    this.delim = opts.delimiter;
    this.delimCode = opts.delimiter.charCodeAt(0);
    this.maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
    this.utf8Bytes = opts.utf8Bytes === true;
    this.reused = opts.reuseCells ? [] : undefined;
    this.line = opts.firstLine ?? 1;
    this.row = (opts.firstRow ?? 1) - 1;
  }

  /**
   * Columns whose text the caller never reads (a CSV export's columns the dataset does not know): their cells
   * are not copied out of the text. Such a cell reads as '' when empty, as its text when that is only white
   * space, and as `SKIPPED_CELL` otherwise, so that
   * blank-row and extra-cell checks still see whether it was filled.
   */
  skip: Uint8Array | undefined;

  /** The number the next record will get. */
  get nextRow(): number {
    return this.row + 1;
  }

  /** Physical line where the text not yet consumed starts, and the line of character `offset` in it. */
  lineAt(offset = 0): number {
    return this.line + lineBreaksBefore(this.carry, Math.min(offset, this.carry.length));
  }

  /** Characters received but not yet part of a record (an incomplete last record). */
  get pending(): number {
    return this.carry.length;
  }

  /** Parses every complete record of the text so far. */
  push(text: string, onRow: RowReceiver): void {
    let s = text;
    let start = 0;
    if (this.carry.length) {
      // The record cut by the previous chunk end: finish it on its own when it ends at this chunk's first line
      // break, so the chunk itself is parsed in place (prepending the carry would copy the whole chunk).
      this.detectLineBreak(this.carry + text.slice(0, 1), 0, false);
      const nl = text.indexOf(this.nl ?? '\n');
      const head = nl >= 0 ? this.carry + text.slice(0, nl + 1) : '';
      const used = nl >= 0 ? this.parse(head, 0, false, onRow) : 0;
      if (nl >= 0 && used === head.length) {
        start = nl + 1;
      } else if (used >= this.carry.length) {
        start = used - this.carry.length;
      } else {
        // Not finished there (a quoted line break): go on with the chunk from where that parse stopped.
        s = this.carry.slice(used) + text;
      }
      this.carry = '';
    }
    const pos = this.parse(s, start, false, onRow);
    this.carry = pos >= s.length ? '' : s.slice(pos);
    if (this.carry.length > this.maxRecordChars) {
      throw new CsvReadError('row-too-large',
        `a record is longer than ${this.maxRecordChars.toLocaleString('en-US')} characters (often an unclosed quote); reading stopped here`,
        this.row + 1, this.line);
    }
  }

  /** Parses the last record (the text need not end with a line break); throws on an unclosed quote. */
  end(onRow: RowReceiver): void {
    const s = this.carry;
    this.carry = '';
    if (s.length) this.parse(s, 0, true, onRow);
  }

  private detectLineBreak(s: string, from: number, eof: boolean): void {
    if (this.nl) return;
    const lf = s.indexOf('\n', from);
    const cr = s.indexOf('\r', from);
    if (lf < 0 && cr < 0) return;
    // A CR that ends the text may be the first half of a CRLF cut by the chunk end: wait for what follows.
    if (lf < 0 && cr === s.length - 1 && !eof) return;
    // CRLF counts as LF (the CR is dropped at the end of a record); CR alone only when it comes first, unpaired.
    this.nl = cr >= 0 && (lf < 0 || cr < lf - 1) ? '\r' : '\n';
    this.nlCode = this.nl === '\n' ? LF : CR;
  }

  /**
   * Returns the offset of the first character not consumed. Hot loop: state lives in locals and is written
   * back once. Nothing is read a character at a time: delimiters, line breaks, quotes and non-ASCII characters
   * are found with native searches (`indexOf`, one regular expression), which measured about twice as fast as
   * a loop over the characters of even short fields.
   */
  private parse(s: string, start: number, eof: boolean, onRow: RowReceiver): number {
    const len = s.length;
    const D = this.delimCode;
    const max = this.maxRecordChars;
    const skip = this.skip;
    const utf8 = this.utf8Bytes;
    this.detectLineBreak(s, start, eof);
    const crMode = this.nlCode === CR;
    const nlChar = crMode ? '\r' : '\n';
    let row = this.row;
    let line = this.line;
    let pos = start;
    // Where the next delimiter, line break and non-ASCII character are (FAR: none), once searched for.
    let nextDelim = -1;
    let nextBreak = -1;
    let nextHigh = -1;
    // The other line-break character (CR in LF files, LF in CR files): only quoted fields can hold it.
    const otherChar = crMode ? '\n' : '\r';
    let nextOther = -1;
    // A NUL is never text: the first one (FAR: none) is looked for once per chunk, with the same native search
    // as the other special characters, and rejects the record that holds it.
    const nul = indexOrFar(s, '\0', start);
    try {
      records: while (pos < len) {
        const c0 = s.charCodeAt(pos);
        // Empty line: skipped, counted.
        if (c0 === LF || c0 === CR) {
          if (c0 === CR && pos + 1 >= len && !eof && !crMode) break; // a CR that may be the first half of CRLF
          pos += c0 === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
          line++;
          continue;
        }
        // Cells are stored by index and the length set once at the end: emptying a reused array with
        // `length = 0` would give its storage back and grow it again for every record.
        const cells = this.reused ?? [];
        let n = 0;
        const startLine = line;
        let extraLines = 0;
        let p = pos;
        for (;;) {
          if (p < len && s.charCodeAt(p) === QUOTE) {
            // Quoted field: up to the closing quote (a doubled quote is an escaped one).
            let q = p + 1;
            let escaped = false;
            let close = -1;
            for (;;) {
              const k = s.indexOf('"', q);
              if (k < 0) break;
              if (k + 1 < len) {
                if (s.charCodeAt(k + 1) === QUOTE) { escaped = true; q = k + 2; continue; }
              } else if (!eof) break; // `""` may straddle the chunk end
              close = k;
              break;
            }
            if (close < 0) {
              if (!eof) break records;
              throw new CsvReadError('not-tabular',
                'the file cannot be read as CSV: a quoted field is never closed (a " is missing)', row + 1, startLine);
            }
            let v = s.slice(p + 1, close);
            if (escaped) v = v.replaceAll('""', '"');
            if (utf8) {
              if (nextHigh <= p) nextHigh = nonAsciiFrom(s, p + 1);
              if (nextHigh < close) v = Buffer.from(v, 'latin1').toString('utf8');
            }
            // Line breaks inside the field, told from where the next ones in the text are (each searched for
            // once) rather than by searching every quoted field twice.
            if (nextBreak <= p) nextBreak = indexOrFar(s, nlChar, p);
            if (nextOther <= p) nextOther = indexOrFar(s, otherChar, p);
            if (nextBreak < close || nextOther < close) extraLines += lineBreaksIn(v);
            p = close + 1;
            const after = p < len ? s.charCodeAt(p) : -1;
            if (after === D) { cells[n++] = v; p++; continue; }
            if (after === LF || after === CR) {
              if (after === CR && p + 1 >= len && !eof && !crMode) break records;
              cells[n++] = v;
              p += after === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
              break;
            }
            if (after === -1) {
              if (!eof) break records; // need more text to see what follows the closing quote
              cells[n++] = v;
              break;
            }
            throw new CsvReadError('not-tabular',
              `the file cannot be read as CSV: a quoted field is followed by "${s.slice(p, p + 10)}" instead of a delimiter or a line end`,
              row + 1, startLine + extraLines);
          }
          // Unquoted field: up to the next delimiter or line break (a quote inside it is taken literally). Both
          // are found with `indexOf` and remembered until passed: a native search beats a loop over the field's
          // characters even for short fields, and each delimiter and line break is searched for once.
          const from = p;
          if (nextDelim < p) nextDelim = indexOrFar(s, this.delim, p);
          if (nextBreak < p) nextBreak = indexOrFar(s, nlChar, p);
          const atDelim = nextDelim < nextBreak;
          p = atDelim ? nextDelim : nextBreak;
          let end = p;
          if (p >= len) {
            p = end = len;
            if (!eof) break records; // the record may go on in the next chunk
          } else if (!atDelim && !crMode && p > from && s.charCodeAt(p - 1) === CR) end = p - 1;
          if (skip !== undefined && skip[n] === 1) cells[n++] = skippedCell(s, from, end, utf8);
          else if (utf8) {
            if (nextHigh < from) nextHigh = nonAsciiFrom(s, from);
            cells[n++] = nextHigh < end ? Buffer.from(s.slice(from, end), 'latin1').toString('utf8') : s.slice(from, end);
          } else cells[n++] = s.slice(from, end);
          if (p >= len) break;
          p++;
          if (atDelim) continue;
          break;
        }
        if (nul < p) throw new CsvReadError('not-tabular', nulByteMessage(startLine + lineBreaksBefore(s.slice(pos, nul), nul - pos)), row + 1, startLine);
        if (p - pos > max) { this.row = row; this.line = line; this.tooLarge(); }
        if (cells.length !== n) cells.length = n;
        onRow.row(cells, ++row, startLine);
        line = startLine + extraLines + 1;
        pos = p;
      }
    } finally {
      this.row = row;
      this.line = line;
    }
    return pos;
  }

  private tooLarge(): never {
    throw new CsvReadError('row-too-large',
      `a record is longer than ${this.maxRecordChars.toLocaleString('en-US')} characters (often an unclosed quote); reading stopped here`,
      this.row + 1, this.line);
  }
}

/** Position of the next `ch` in `s` from `from`, or FAR. */
function indexOrFar(s: string, ch: string, from: number): number {
  const k = s.indexOf(ch, from);
  return k < 0 ? FAR : k;
}

const NON_ASCII = /[^\x00-\x7f]/g;

/** Position of the next non-ASCII character of `s` from `from`, or FAR (a native regular-expression scan). */
function nonAsciiFrom(s: string, from: number): number {
  NON_ASCII.lastIndex = from;
  return NON_ASCII.test(s) ? NON_ASCII.lastIndex - 1 : FAR;
}

/** What a cell of a skipped column reads as when it is not empty. */
export const SKIPPED_CELL = '\u0001';

/**
 * A skipped column's cell: '' when empty, `SKIPPED_CELL` when it starts or ends with a visible ASCII character
 * (nearly always, and told without copying it), else its text when that is only white space (NBSP included,
 * hence decoded first), `SKIPPED_CELL` when it is not.
 */
function skippedCell(s: string, from: number, to: number, utf8: boolean): string {
  if (from >= to) return '';
  const a = s.charCodeAt(from);
  const b = s.charCodeAt(to - 1);
  if ((a > 32 && a < 127) || (b > 32 && b < 127)) return SKIPPED_CELL;
  let text = s.slice(from, to);
  if (utf8) text = Buffer.from(text, 'latin1').toString('utf8');
  return text.trim() === '' ? text : SKIPPED_CELL;
}

/** Line breaks in a field's text: CRLF, CR and LF each count once. */
function lineBreaksIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

/**
 * Parses CSV text (quoted fields with delimiters, doubled quotes and line breaks; CRLF, LF or CR-only line
 * ends) into records. Empty lines are skipped but still counted as lines.
 */
export async function* parseCsvText(text: AsyncIterable<string>, opts: ParseCsvOptions): AsyncGenerator<CsvRow, void, undefined> {
  const parser = new CsvParser(opts);
  const out: CsvRow[] = [];
  const collect: RowReceiver = { row: (cells, row, line) => { out.push({ cells, row, line }); } };
  for await (const chunk of text) {
    parser.push(chunk, collect);
    for (const r of out) yield r;
    out.length = 0;
  }
  parser.end(collect);
  yield* out;
}

/** The delimiter that splits a header line into the most cells (`,` on a tie). */
export function detectDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let bestCells = 0;
  for (const d of DELIMITERS) {
    const n = splitLine(line, d).length;
    if (n > bestCells) { best = d; bestCells = n; }
  }
  return best;
}

/** Number of physical lines before character `offset` ends (line breaks: CRLF, CR, LF). */
export function lineBreaksBefore(s: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

export interface CsvFormat {
  readonly encoding: TextEncodingName;
  readonly delimiter: Delimiter;
  /** Whether the bytes were not UTF-8 and were read as Windows-1252. */
  readonly encodingFallback: boolean;
}

export interface ReadCsvOptions {
  /** Delimiter to use instead of detecting it from the first non-blank line. */
  readonly delimiter?: Delimiter;
  /** Told the encoding and delimiter once they are known (again when the encoding falls back). */
  readonly onFormat?: (format: CsvFormat) => void;
}

/**
 * Reads every record of an upload (header included, as row 1), with no dataset: gunzips gzip, rejects binary
 * files (`NotTabularError`), decodes UTF-8 (BOM or not) and UTF-16 with a BOM, and bytes that are not UTF-8
 * as Windows-1252. Blank lines before the first record are skipped (and counted in `line`).
 *
 * `open` gives the bytes from the start; it is called again when the file turns out not to be UTF-8. Records
 * already yielded then are not yielded twice: they were pure ASCII, which reads the same in both encodings;
 * when they were not, the file mixes encodings and a `CsvReadError` with code `encoding-error` is thrown.
 */
export async function* readCsvRows(
  open: () => AsyncIterable<Uint8Array>,
  opts: ReadCsvOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  let yielded = 0;
  let asciiSoFar = true;
  let lastLine = 1;
  for (const encoding of [undefined, 'windows-1252'] as const) {
    let skip = yielded;
    try {
      for await (const r of readOnce(open, opts, encoding)) {
        if (skip > 0) { skip--; continue; }
        if (asciiSoFar && r.cells.some((c) => /[^\x00-\x7f]/.test(c))) asciiSoFar = false;
        yielded++;
        lastLine = r.line;
        yield r;
      }
      return;
    } catch (e) {
      if (!(e instanceof NotUtf8Error) || encoding !== undefined) throw e;
      if (!asciiSoFar || e.sawMultibyte) {
        throw new CsvReadError('encoding-error',
          'the file starts as UTF-8 text and then has bytes that are not UTF-8: it mixes encodings', yielded + 1, lastLine);
      }
    }
  }
}

async function* readOnce(
  open: () => AsyncIterable<Uint8Array>,
  opts: ReadCsvOptions,
  forced: TextEncodingName | undefined,
): AsyncGenerator<CsvRow, void, undefined> {
  const sniffed = await sniffUpload(open());
  if (sniffed.fileType === 'xlsx') throw new CsvReadError('not-tabular', 'the file is an Excel workbook, not CSV text', 1, 1);
  let bomEncoding: TextEncodingName = 'utf-8';
  const bytes = (async function* () {
    let first = true;
    for await (const chunk of sniffed.bytes) {
      if (first && chunk.length >= 2) {
        bomEncoding = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8';
      }
      first = false;
      yield chunk;
    }
  })();
  const text = decodeText(bytes, forced)[Symbol.asyncIterator]();
  // Read ahead to the end of the first non-blank line, to detect the delimiter and skip leading blank lines.
  let prefix = '';
  let ended = false;
  for (;;) {
    const start = prefix.search(/[^\r\n]/);
    if (start >= 0 && /[\r\n]/.test(prefix.slice(start))) break;
    const r = await text.next();
    if (r.done) { ended = true; break; }
    prefix += r.value;
  }
  const start = prefix.search(/[^\r\n]/);
  if (start < 0) return;
  const firstLineText = prefix.slice(start).split(/\r\n|\r|\n/)[0] ?? '';
  const delimiter = opts.delimiter ?? detectDelimiter(firstLineText);
  opts.onFormat?.({ encoding: forced ?? bomEncoding, delimiter, encodingFallback: forced !== undefined });
  const rest = prefix.slice(start);
  const source = (async function* () {
    yield rest;
    if (ended) return;
    for (;;) {
      const r = await text.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  yield* parseCsvText(source, { delimiter, firstLine: lineBreaksBefore(prefix, start) + 1 });
}
