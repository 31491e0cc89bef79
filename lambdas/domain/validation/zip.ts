/**
 * Reading a zip archive (an .xlsx file) held in memory, from its central directory: any entry, in any
 * order, whatever order the writer put them in. Every way an archive can be damaged ends in an error, never
 * a wait: offsets past the end, a deflate stream that breaks or is cut short, bytes whose CRC-32 is not the
 * one recorded. Sizes are checked against the limits before and while inflating (a zip bomb stops at once).
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { NotTabularError, TooLargeError } from './decode.ts';
import { formatBytes } from './limits.ts';

export interface ZipEntry {
  /** As stored (`/` separated). */
  readonly name: string;
  /** 0: stored, 8: deflated. */
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  /** Uncompressed size, as the directory says (checked while inflating). */
  readonly size: number;
  /** Offset of the entry's local header. */
  readonly offset: number;
}

/** Limits an entry is read under; `what` names the entry in messages and `advice` says what to do. */
export interface EntryLimits {
  readonly maxBytes: number;
  readonly maxRatio: number;
  readonly ratioCheckAfterBytes: number;
  readonly what: string;
  readonly advice: string;
}

const damaged = (why: string): NotTabularError =>
  new NotTabularError(`the workbook is damaged (${why}): open it in Excel and save it again, or export the sheet as CSV`);

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** The entries of an archive, by lower-case name (part names are case-insensitive in an Office file). */
export function readZipDirectory(zip: Buffer): Map<string, ZipEntry> {
  // The end record is within the last 22 + 65,535 bytes (its comment can be that long).
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) { end = i; break; }
  }
  if (end < 0) throw damaged('the end of the zip archive is missing: it was cut short');
  let count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if ((count === 0xffff || at === MAX32) && end >= 20 && zip.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
    const z = readOffset(zip, end - 20 + 8);
    if (z + 56 > zip.length || zip.readUInt32LE(z) !== ZIP64_EOCD) throw damaged('its zip64 directory is missing');
    count = readOffset(zip, z + 32);
    at = readOffset(zip, z + 48);
  }
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw damaged('its zip directory is broken');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    if (at + 46 + nameLength + extraLength > zip.length) throw damaged('its zip directory is broken');
    let compressedSize = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    let offset = zip.readUInt32LE(at + 42);
    // Zip64: sizes and offset that do not fit 32 bits are in an extra field, in this order, when marked so.
    if (compressedSize === MAX32 || size === MAX32 || offset === MAX32) {
      const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
        if (extra.readUInt16LE(e) !== 1) continue;
        let v = e + 4;
        const next = (): number => { const n = v + 8 <= extra.length ? readOffset(extra, v) : MAX32; v += 8; return n; };
        if (size === MAX32) size = next();
        if (compressedSize === MAX32) compressedSize = next();
        if (offset === MAX32) offset = next();
      }
    }
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength).replace(/\\/g, '/').replace(/^\//, '');
    entries.set(name.toLowerCase(), {
      name, method: zip.readUInt16LE(at + 10), flags: zip.readUInt16LE(at + 8), crc32: zip.readUInt32LE(at + 16),
      compressedSize, size, offset,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A 64-bit little-endian offset or size (safe up to 2^53, far past any file read here). */
function readOffset(b: Buffer, at: number): number {
  return b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 2 ** 32;
}

/** The compressed bytes of an entry, after its local header. */
function entryData(zip: Buffer, e: ZipEntry): Buffer {
  if (e.offset + 30 > zip.length || zip.readUInt32LE(e.offset) !== LOCAL) throw damaged(`the entry ${e.name} is missing`);
  const start = e.offset + 30 + zip.readUInt16LE(e.offset + 26) + zip.readUInt16LE(e.offset + 28);
  if (start + e.compressedSize > zip.length) throw damaged(`the entry ${e.name} is cut short`);
  return zip.subarray(start, start + e.compressedSize);
}

/** Bytes at a time handed to inflate, and the size of what it hands back. */
const SLICE = 64 * 1024;

/**
 * The uncompressed bytes of an entry, chunk by chunk. Throws `TooLargeError`, before inflating anything, when
 * the directory gives a size larger than `limits.maxBytes` or past the compression ratio, and a
 * `NotTabularError` when the entry is damaged: a broken or truncated deflate stream, more or fewer bytes
 * than the directory says, a CRC-32 that differs.
 */
export async function* inflateEntry(zip: Buffer, e: ZipEntry, limits: EntryLimits): AsyncGenerator<Buffer> {
  if (e.size > limits.maxBytes) {
    throw new TooLargeError(`${limits.what} expands to more than ${formatBytes(limits.maxBytes)} (the limit for .xlsx uploads): ${limits.advice}`);
  }
  if (e.size > limits.ratioCheckAfterBytes && e.size > limits.maxRatio * e.compressedSize) {
    throw new TooLargeError(`${limits.what} expands more than ${limits.maxRatio}-fold (${formatBytes(e.size)} from ` +
      `${formatBytes(e.compressedSize)}), which no spreadsheet does: ${limits.advice}`);
  }
  if (e.flags & 1) throw new NotTabularError('the workbook is encrypted (password-protected): save it without a password, or export the sheet as CSV');
  if (e.method !== 0 && e.method !== 8) throw damaged(`the entry ${e.name} uses compression method ${e.method}, which Excel does not write`);
  const data = entryData(zip, e);
  let out = 0;
  let crc = 0;
  // The size the directory gives passed the limits above; more bytes than it says is a damaged (or forged)
  // archive, so what is inflated stays within the limits.
  const take = (chunk: Buffer): Buffer => {
    out += chunk.length;
    if (out > e.size) throw damaged(`the entry ${e.name} is longer than its zip directory says`);
    crc = crc32(chunk, crc);
    return chunk;
  };
  if (e.method === 0) {
    for (let i = 0; i < data.length; i += SLICE) yield take(data.subarray(i, i + SLICE));
  } else {
    // The inflate stream is iterated directly, so that a broken or cut deflate stream rejects the iteration
    // ("unexpected end of file", "invalid distance"): no error event goes unheard, nothing waits forever.
    const inflate = zlib.createInflateRaw({ chunkSize: SLICE });
    Readable.from(slices(data)).pipe(inflate);
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) yield take(chunk);
    } catch (err) {
      if (isZlibError(err)) throw damaged(`the entry ${e.name} cannot be decompressed: ${err.message}`);
      throw err;
    } finally {
      inflate.destroy();
    }
  }
  if (out !== e.size) throw damaged(`the entry ${e.name} is shorter than its zip directory says`);
  if ((crc >>> 0) !== e.crc32) throw damaged(`the entry ${e.name} does not match its checksum`);
}

function* slices(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += SLICE) yield data.subarray(i, i + SLICE);
}

const isZlibError = (e: unknown): e is NodeJS.ErrnoException =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_');

/** The whole of an entry held in memory (the workbook's small parts), as text. */
export async function readEntryText(zip: Buffer, e: ZipEntry, limits: EntryLimits): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of inflateEntry(zip, e, limits)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** CRC-32 (zlib.crc32 where Node has it, from 20.15; a table otherwise). */
const crc32: (data: Uint8Array, value: number) => number =
  (zlib as { crc32?: (data: Uint8Array, value: number) => number }).crc32 ?? tableCrc32;

let TABLE: Int32Array | undefined;
function tableCrc32(data: Uint8Array, value: number): number {
  if (!TABLE) {
    TABLE = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      TABLE[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
