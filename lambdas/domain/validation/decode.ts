/**
 * Byte-level sniffing and decoding of an upload: what kind of file it is, its encoding, and a stream of
 * text. Pure over async iterables of bytes (no AWS, no file system), so the Lambda, the CLI and the tests
 * feed it the same way.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export class NotTabularError extends Error {
  override name = 'NotTabularError';
  constructor(message: string, readonly code: 'not-tabular' | 'empty-file' = 'not-tabular') {
    super(message);
  }
}

/** Thrown when bytes are not valid UTF-8: the caller reads the file again as Windows-1252. */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';
}

const startsWith = (b: Uint8Array, sig: readonly number[]): boolean => sig.every((x, i) => b[i] === x);

const MAGIC: readonly { sig: number[]; what: string }[] = [
  { sig: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (or an Excel workbook)' },
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { sig: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { sig: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { sig: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { sig: [0xd0, 0xcf, 0x11, 0xe0], what: 'a legacy Office document (.xls): save it as .csv or .xlsx' },
];

async function* concatFirst(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first.length) yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
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
  return { head: Buffer.concat(parts), rest: it };
}

export interface SniffedBytes {
  readonly fileType: 'csv' | 'csv.gz';
  /** Decompressed bytes, BOM still in place. */
  readonly bytes: AsyncIterable<Uint8Array>;
}

/** Rejects what cannot be a CSV, and transparently gunzips gzip uploads (by content, not by name). */
export async function sniffUpload(src: AsyncIterable<Uint8Array>): Promise<SniffedBytes> {
  const { head, rest } = await peek(src, 4096);
  if (head.length === 0) throw new NotTabularError('the file is empty (0 bytes)', 'empty-file');
  if (startsWith(head, [0x1f, 0x8b])) {
    const gunzip = createGunzip();
    const compressed = Readable.from(concatFirst(head, rest));
    compressed.on('error', (e) => gunzip.destroy(e));
    compressed.pipe(gunzip);
    const inner = await sniffUpload(gunzipped(gunzip));
    return { fileType: 'csv.gz', bytes: inner.bytes };
  }
  for (const m of MAGIC) {
    if (startsWith(head, m.sig)) throw new NotTabularError(`the file is ${m.what}, not a CSV export`);
  }
  const hasUtf16Bom = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  if (!hasUtf16Bom && head.includes(0)) {
    throw new NotTabularError('the file contains binary data (NUL bytes), not text: is it really a CSV?');
  }
  return { fileType: 'csv', bytes: concatFirst(head, rest) };
}

/** Decompressed bytes; corrupt or truncated gzip data is a `not-tabular` error, not a crash. */
async function* gunzipped(gunzip: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of gunzip) yield chunk;
  } catch (e) {
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_')) {
      throw new NotTabularError(`the gzip data is corrupt or truncated (${e.message}): compress the export again`);
    }
    throw e;
  }
}

/** Detects the encoding from a BOM; without one, UTF-8 (Windows-1252 is the fallback when UTF-8 fails). */
export function encodingFromBom(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3 };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
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
  const encoding = forced ?? bom.encoding;
  const skip = forced && forced !== bom.encoding ? 0 : bom.bomLength;
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: true });
  let first = true;
  try {
    for await (const chunk of concatFirst(head, rest)) {
      const part = first ? chunk.subarray(skip) : chunk;
      first = false;
      const text = decoder.decode(part, { stream: true });
      if (text) yield text;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } catch (e) {
    if (e instanceof TypeError && encoding === 'utf-8') throw new NotUtf8Error('the file is not valid UTF-8');
    throw e;
  }
}
