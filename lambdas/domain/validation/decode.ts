/**
 * Byte-level sniffing and decoding of an upload: what kind of file it is, its encoding, and a stream of
 * text. Pure over async iterables of bytes (no AWS, no file system), so the Lambda, the CLI and the tests
 * feed it the same way.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import { TextDecoder } from 'node:util';
import { isAscii, isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { UPLOAD_LIMITS, formatBytes, type UploadLimits } from './limits.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The upload as a whole is rejected before its rows are read: not tabular, empty, or past a limit (`code`). */
export class NotTabularError extends Error {
  override name = 'NotTabularError';
  constructor(message: string, readonly code: 'not-tabular' | 'empty-file' | 'too-large' = 'not-tabular') {
    super(message);
  }
}

/** Past one of the limits of limits.ts: a `too-large` error, whose message says the limit and what to do. */
export class TooLargeError extends NotTabularError {
  override name = 'TooLargeError';
  constructor(message: string) {
    super(message, 'too-large');
  }
}

/**
 * Thrown when bytes are not valid UTF-8. `text` is what decoded before the first bad byte (so the caller can
 * say on which line it is); `sawMultibyte` tells whether valid non-ASCII UTF-8 came before it, in which case
 * the file mixes encodings (re-reading it as Windows-1252 would garble that text).
 */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';
  constructor(message: string, readonly text = '', readonly sawMultibyte = false) {
    super(message);
  }
}

/** Text in an encoding told by its BOM (UTF-16) with bytes that are not valid in it: an `encoding-error`. */
export class BrokenTextError extends Error {
  override name = 'BrokenTextError';
}

const startsWith = (b: Uint8Array, sig: readonly number[]): boolean => sig.every((x, i) => b[i] === x);

const MAGIC: readonly { sig: number[]; what: string }[] = [
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { sig: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { sig: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { sig: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { sig: [0xd0, 0xcf, 0x11, 0xe0], what: 'a legacy Office document (.xls): save it as .csv or .xlsx' },
  { sig: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
];

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

async function* concatFirst(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    if (first.length) yield first;
    for (;;) {
      const r = await rest.next();
      if (r.done) { ended = true; return; }
      yield r.value;
    }
  } finally {
    // A reader that stops early (an error, a record too large) closes the source: an S3 download left open
    // holds its connection until the Lambda is frozen.
    if (!ended) await rest.return?.();
  }
}

/** Reads at least `min` bytes from the start of a stream, giving back the head and the rest. */
async function peek(src: AsyncIterable<Uint8Array>, min: number): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
  const it = src[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < min) {
    const r = await it.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    parts.push(chunk);
    size += chunk.length;
  }
  return { head: parts.length === 1 ? parts[0]! : Buffer.concat(parts), rest: it };
}

export interface SniffedBytes {
  readonly fileType: 'csv' | 'csv.gz' | 'xlsx';
  /** Decompressed bytes, BOM still in place (for `xlsx`, the zip archive as it came). */
  readonly bytes: AsyncIterable<Uint8Array>;
}

/** Names of the zip entries whose local headers lie in `head` (a zip's entries are listed as they come). */
export function zipEntryNames(head: Uint8Array): string[] {
  const names: string[] = [];
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  for (let i = buf.indexOf(Buffer.from(ZIP_LOCAL_HEADER)); i >= 0 && i + 30 <= buf.length; i = buf.indexOf(Buffer.from(ZIP_LOCAL_HEADER), i + 4)) {
    const nameLength = buf.readUInt16LE(i + 26);
    if (nameLength === 0 || i + 30 + nameLength > buf.length) continue;
    names.push(buf.toString('latin1', i + 30, i + 30 + nameLength));
  }
  return names;
}

/** What a zip archive is, from its entry names: an Excel workbook, or a named kind of not-tabular file. */
function classifyZip(head: Uint8Array): 'xlsx' | string {
  const names = zipEntryNames(head);
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.some((n) => n.startsWith('word/'))) return 'the file is a Word document, not a tabular export';
  if (names.some((n) => n.startsWith('ppt/'))) return 'the file is a PowerPoint presentation, not a tabular export';
  if (Buffer.from(head).includes('application/vnd.oasis.opendocument.spreadsheet')) {
    return 'the file is an OpenDocument spreadsheet (.ods): save it as .xlsx or .csv';
  }
  // A workbook whose first entries are large (a thumbnail) may not show `xl/` in the head: let the reader try.
  if (names[0] === '[Content_Types].xml') return 'xlsx';
  return 'the file is a zip archive: upload the CSV or .xlsx file inside it, not the archive';
}

/** How far into a zip the entry names are looked for. */
const ZIP_SNIFF_BYTES = 64 * 1024;

/**
 * Rejects what cannot be a tabular export, transparently gunzips gzip uploads, and recognises an Excel
 * workbook (a zip with `xl/` entries): all by content, never by name. The CSV bytes handed on stop with a
 * `TooLargeError` past `limits.maxCsvBytes` (decompressed), and gzip data past the compression ratio.
 */
export async function sniffUpload(src: AsyncIterable<Uint8Array>, limits: UploadLimits = UPLOAD_LIMITS): Promise<SniffedBytes> {
  return sniff(src, limits, false);
}

async function sniff(src: AsyncIterable<Uint8Array>, limits: UploadLimits, gzipped: boolean): Promise<SniffedBytes> {
  let { head, rest } = await peek(src, 4096);
  if (head.length === 0) throw new NotTabularError('the file is empty (0 bytes)', 'empty-file');
  if (startsWith(head, [0x1f, 0x8b])) {
    // A gzip inside a gzip is no export tool's output, and multiplies the compression ratio (a tiny file can
    // expand to terabytes): refused rather than decompressed twice.
    if (gzipped) throw new NotTabularError('the file is gzip-compressed twice (a .gz inside the .gz): decompress it once and upload the .csv or .csv.gz');
    const gunzip = createGunzip();
    const compressed = Readable.from(concatFirst(head, rest));
    compressed.on('error', (e) => gunzip.destroy(e));
    gunzip.on('close', () => compressed.destroy()); // the reader stopped early: close the source too
    compressed.pipe(gunzip);
    const inner = await sniff(gunzipped(gunzip, limits), limits, true);
    if (inner.fileType === 'xlsx') throw new NotTabularError('the file is a gzip-compressed workbook: upload the .xlsx file itself');
    return { fileType: 'csv.gz', bytes: inner.bytes };
  }
  if (startsWith(head, ZIP_LOCAL_HEADER)) {
    const more = await peek(concatFirst(head, rest), ZIP_SNIFF_BYTES);
    head = more.head;
    rest = more.rest;
    const kind = classifyZip(head);
    if (kind !== 'xlsx') throw new NotTabularError(kind);
    return { fileType: 'xlsx', bytes: concatFirst(head, rest) };
  }
  for (const m of MAGIC) {
    if (startsWith(head, m.sig)) throw new NotTabularError(`the file is ${m.what}, not a CSV export`);
  }
  const hasUtf16Bom = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  if (!hasUtf16Bom && head.includes(0) && !utf16WithoutBom(head)) {
    throw new NotTabularError('the file contains binary data (NUL bytes), not text: is it really a CSV?');
  }
  return { fileType: 'csv', bytes: capped(concatFirst(head, rest), limits.maxCsvBytes, gzipped) };
}

/** The bytes, up to `max` of them: past that, a `TooLargeError`. */
async function* capped(bytes: AsyncIterable<Uint8Array>, max: number, decompressed: boolean): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bytes) {
    total += chunk.length;
    if (total > max) {
      throw new TooLargeError(`the file is more than ${formatBytes(max)} of text${decompressed ? ' once decompressed' : ''} ` +
        '(the limit for one CSV upload): split it into smaller files and upload each');
    }
    yield chunk;
  }
}

/**
 * Decompressed bytes; corrupt or truncated gzip data is a `not-tabular` error, not a crash. Data that expands
 * more than `maxCompressionRatio` fold (measured on what gunzip consumed) is a `TooLargeError`.
 */
async function* gunzipped(gunzip: Gunzip, limits: UploadLimits): AsyncGenerator<Uint8Array> {
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
      out += chunk.length;
      if (out > limits.ratioCheckAfterBytes && out > limits.maxCompressionRatio * gunzip.bytesWritten) {
        throw new TooLargeError(`the gzip data expands more than ${limits.maxCompressionRatio}-fold (${formatBytes(out)} from ` +
          `${formatBytes(gunzip.bytesWritten)} so far), which no export does: upload the CSV file itself, or compress it once with gzip`);
      }
      yield chunk;
    }
  } catch (e) {
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_')) {
      throw new NotTabularError(`the gzip data is corrupt or truncated (${e.message}): compress the export again`);
    }
    throw e;
  }
}

/**
 * Detects the encoding from a BOM; without one, UTF-16 when the bytes have its shape (see `utf16WithoutBom`:
 * `guessed`), else UTF-8 (Windows-1252 is the fallback when UTF-8 fails).
 */
export function encodingFromBom(head: Uint8Array): { encoding: TextEncodingName; bomLength: number; guessed?: true } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bomLength: 0, guessed: true };
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * UTF-16 written without a byte-order mark (some "Unicode text" exports): text that is mostly ASCII has a zero
 * byte in every other position, on the odd bytes for little-endian, on the even ones for big-endian. Binary
 * data has zeros in both. Judged on the first bytes, which must be at least a short line's worth.
 */
export function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.6 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs * 0.6 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/** Bytes at the end of `b` that start a UTF-8 sequence not complete yet (0 to 3). */
function incompleteUtf8Tail(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (the error path only). */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0 || i + need > n - 1) return i;
    // The second byte's range is narrower after some lead bytes (no overlongs, no surrogates, nothing past U+10FFFF).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const second = b[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}

/**
 * Decodes a byte stream chunk by chunk. UTF-8 is decoded strictly (no U+FFFD ever reaches stored data) and
 * throws `NotUtf8Error` at the first invalid byte; UTF-16 is strict too; Windows-1252 reads anything.
 * The BOM, if any, is dropped. Tracks whether any non-ASCII UTF-8 text was decoded.
 */
export class ChunkDecoder {
  /** Whether a valid multi-byte UTF-8 sequence (non-ASCII text) has been decoded so far. */
  sawMultibyte = false;
  /**
   * UTF-8 only: the text comes out as UTF-8 *bytes*, one character per byte (each validated, then read as
   * Latin-1). Delimiters, quotes and line breaks are ASCII, and in UTF-8 a byte below 0x80 is always the
   * ASCII character, so a CSV parser reads the structure exactly as from decoded text, on a one-byte string
   * (decoded about twice as fast, and half the size); the cells a caller keeps are then decoded with
   * `utf8Cell` when they hold non-ASCII bytes.
   */
  readonly bytesAsLatin1: boolean;
  private readonly decoder: TextDecoder;
  private carry: Uint8Array | undefined;
  private first = true;

  constructor(readonly encoding: TextEncodingName, private readonly skipBom: boolean, opts: { bytesAsLatin1?: boolean } = {}) {
    this.decoder = new TextDecoder(encoding, { fatal: encoding !== 'windows-1252', ignoreBOM: true });
    this.bytesAsLatin1 = encoding === 'utf-8' && opts.bytesAsLatin1 === true;
  }

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.first) {
      this.first = false;
      if (this.skipBom) {
        const bom = encodingFromBom(chunk);
        if (bom.encoding === this.encoding) bytes = chunk.subarray(bom.bomLength);
      }
    }
    if (this.encoding !== 'utf-8') return this.decodeStreaming(bytes);
    if (this.carry) {
      bytes = Buffer.concat([this.carry, bytes]);
      this.carry = undefined;
    }
    const tail = incompleteUtf8Tail(bytes);
    if (tail) {
      this.carry = bytes.slice(bytes.length - tail);
      bytes = bytes.subarray(0, bytes.length - tail);
    }
    return this.decodeUtf8(bytes);
  }

  end(): string {
    if (this.encoding !== 'utf-8') return this.decodeStreaming(undefined);
    const rest = this.carry;
    this.carry = undefined;
    return rest ? this.decodeUtf8(rest) : '';
  }

  private decodeUtf8(bytes: Uint8Array): string {
    if (this.bytesAsLatin1) return this.utf8AsLatin1(bytes);
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      const valid = firstInvalidUtf8(bytes);
      const before = valid > 0 ? this.decoder.decode(bytes.subarray(0, valid)) : '';
      if (before.length !== valid) this.sawMultibyte = true;
      throw new NotUtf8Error('the file is not valid UTF-8', before, this.sawMultibyte);
    }
    // Fewer characters than bytes: some characters took several bytes.
    if (!this.sawMultibyte && text.length !== bytes.length) this.sawMultibyte = true;
    return text;
  }

  private utf8AsLatin1(bytes: Uint8Array): string {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!isUtf8(buf)) {
      const valid = firstInvalidUtf8(buf);
      if (!this.sawMultibyte && !isAscii(buf.subarray(0, valid))) this.sawMultibyte = true;
      throw new NotUtf8Error('the file is not valid UTF-8', buf.toString('latin1', 0, valid), this.sawMultibyte);
    }
    if (!this.sawMultibyte && !isAscii(buf)) this.sawMultibyte = true;
    return buf.toString('latin1');
  }

  private decodeStreaming(bytes: Uint8Array | undefined): string {
    try {
      return bytes ? this.decoder.decode(bytes, { stream: true }) : this.decoder.decode();
    } catch {
      throw new BrokenTextError(`the file is ${this.encoding.toUpperCase()} text with a broken character in it: save the export again`);
    }
  }
}

/**
 * Decodes bytes to text chunks. UTF-8 is decoded strictly and throws `NotUtf8Error` on the first invalid
 * byte, so no U+FFFD ever reaches stored data; the caller then decodes again as Windows-1252.
 */
export async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  forced?: TextEncodingName,
): AsyncGenerator<string, void, undefined> {
  const { head, rest } = await peek(bytes, 4);
  const bom = encodingFromBom(head);
  const decoder = new ChunkDecoder(forced ?? bom.encoding, !forced || forced === bom.encoding);
  for await (const chunk of concatFirst(head, rest)) {
    const text = decoder.decode(chunk);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * A cell of text read with `bytesAsLatin1` (UTF-8 bytes as Latin-1 characters) as the text it is: decoded
 * from UTF-8 when it holds a byte of 0x80 or more, as is when it is ASCII.
 */
export function utf8Cell(cell: string): string {
  for (let i = 0; i < cell.length; i++) {
    if (cell.charCodeAt(i) >= 0x80) return Buffer.from(cell, 'latin1').toString('utf8');
  }
  return cell;
}
