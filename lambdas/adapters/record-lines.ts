/**
 * The stored records format, `accepted/<dataset>/<upload>.jsonl.gz`: one JSON object per line (the keys in
 * `RECORD_FIELDS` order, absent fields left out, exactly what `JSON.stringify` writes), UTF-8, gzip-compressed.
 * The object stores (S3, a directory) write it through `JsonLinesGzipWriter` and read it back with
 * `readRecordLines`; nothing else knows the format.
 *
 * `RecordLinesEncoder` writes records straight into byte buffers, without building a string per record,
 * joining them and encoding the result to UTF-8 again (that took four times longer than validating the row).
 * It runs once per stored row: per dataset, each field's key bytes (with a value's opening quote) and the bytes
 * of its enum and boolean values are prepared once, and a plain loop over the fields copies them four bytes at
 * a time; integers are written digit by digit, and text is copied four plain ASCII characters at a time until
 * one needs escaping.
 */
import { createGunzip, createGzip, type ZlibOptions } from 'node:zlib';
import { pipeline, type Readable, type TransformOptions } from 'node:stream';
import { createInterface } from 'node:readline';
import type { DatasetName } from '../domain/layout.ts';
import {
  RECORD_FIELDS, type AnyRecord, type DatasetRecords, type OpportunityStatus, type SpendRecord, type SqlStatus,
} from '../domain/datasets/records.ts';

/** Size of the buffers handed out; a record longer than a quarter of this gets a buffer of its own size. */
const BUFFER_BYTES = 256 * 1024;
/** Free bytes `write` makes sure of before a record (more than any dataset's `tail`). */
const RECORD_ROOM = 4096;
/** The longest text `String(n)` gives for a number (`-0.0000012345678901234567`). */
const MAX_NUMBER_CHARS = 25;
const HEX = '0123456789abcdef';

/**
 * 1 for the UTF-16 units JSON writes as themselves in one byte (printable ASCII but the quote and the backslash):
 * one load tells whether a character needs any care, for all 65,536 of them.
 */
const PLAIN = new Uint8Array(0x10000);
for (let c = 0x20; c < 0x7f; c++) PLAIN[c] = c === 0x22 || c === 0x5c ? 0 : 1;

/**
 * `s.charCodeAt(i)` on record values is a property load on strings of many representations (sliced out of
 * the file, concatenated, one- and two-byte, internalized): past four of them the load goes megamorphic and
 * every character costs a generic lookup (twice as slow overall, measured). A call of the function itself
 * stays a plain character load.
 */
const charCodeAt = String.prototype.charCodeAt;

const SQL_STATUSES = ['accepted', 'rejected', 'pending'] as const satisfies readonly SqlStatus[];
const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const satisfies readonly OpportunityStatus[];
const SPEND_CATEGORIES = ['marketing', 'sales'] as const satisfies readonly SpendRecord['category'][];

/**
 * The enum values of each field that has some (written as constant bytes); every other field is text, a number
 * or a boolean, told apart at run time. A value outside its enum is written as text, like any string.
 */
const ENUMS: { readonly [N in DatasetName]: { readonly [K in keyof DatasetRecords[N]]?: readonly string[] } } = {
  leads: { sql_status: SQL_STATUSES },
  opportunities: { status: OPPORTUNITY_STATUSES },
  spend: { category: SPEND_CATEGORIES },
  customers: {},
  web_traffic: {},
};

/**
 * Constant bytes (a key, an enum value) as little-endian 32-bit words and the bytes after the last whole one:
 * `put` copies them four at a time.
 */
interface Constant {
  readonly words: Uint32Array;
  readonly rest: Uint8Array;
  readonly length: number;
}

function constantOf(text: string): Constant {
  const bytes = Buffer.from(text, 'utf8');
  const whole = bytes.length >> 2;
  const words = new Uint32Array(whole);
  for (let j = 0; j < whole; j++) words[j] = bytes.readUInt32LE(j * 4);
  return { words, rest: new Uint8Array(bytes.subarray(whole * 4)), length: bytes.length };
}

/** Copies constant bytes to `at` (`view` is a DataView of `buf`); for these lengths a loop beats a native copy call. */
function put(buf: Buffer, view: DataView, at: number, c: Constant): number {
  const words = c.words;
  let a = at;
  for (let j = 0; j < words.length; j++, a += 4) view.setUint32(a, words[j]!, true);
  const rest = c.rest;
  for (let j = 0; j < rest.length; j++) buf[a + j] = rest[j]!;
  return at + c.length;
}

/** What the encoder knows of one field, prepared once per dataset. */
interface FieldPlan {
  readonly name: string;
  /** `,"name":` */
  readonly key: Constant;
  /** `,"name":"` (a text value's key and opening quote). */
  readonly keyQuote: Constant;
  /** `,"name":true` and `,"name":false`. */
  readonly whenTrue: Constant;
  readonly whenFalse: Constant;
  /** The field's enum values and, at the same index, `,"name":"value"`. */
  readonly enumValues: readonly string[];
  readonly enumBytes: readonly Constant[];
}

interface DatasetPlan {
  readonly fields: readonly FieldPlan[];
  /**
   * Bytes that each call writing a value of variable length (text, a number, the general path) leaves free
   * after it: room for every key and constant of the fields after it, a number each, and `}\n`. Those are
   * written without a check.
   */
  readonly tail: number;
}

const plans = new Map<DatasetName, DatasetPlan>();

function planOf(dataset: DatasetName): DatasetPlan {
  let plan = plans.get(dataset);
  if (plan) return plan;
  const enums = ENUMS[dataset] as Readonly<Record<string, readonly string[]>>;
  const fields = (RECORD_FIELDS[dataset] as readonly string[]).map((name): FieldPlan => {
    const key = `,${JSON.stringify(name)}:`;
    const enumValues = enums[name] ?? [];
    return {
      name, key: constantOf(key), keyQuote: constantOf(`${key}"`), whenTrue: constantOf(`${key}true`), whenFalse: constantOf(`${key}false`),
      enumValues, enumBytes: enumValues.map((v) => constantOf(key + JSON.stringify(v))),
    };
  });
  const tail = 3 + fields.reduce((sum, f) => {
    const longestConstant = Math.max(5, ...f.enumValues.map((v) => v.length + 2));
    return sum + f.key.length + 1 + Math.max(MAX_NUMBER_CHARS, longestConstant);
  }, 0);
  if (tail > RECORD_ROOM) throw new Error(`${dataset}: keys too long for RECORD_ROOM`);
  plan = { fields, tail };
  plans.set(dataset, plan);
  return plan;
}

const viewOf = (buf: Buffer): DataView => new DataView(buf.buffer, buf.byteOffset, buf.length);

/** Encodes records of one dataset as JSON lines into byte buffers; `take` hands out the bytes written so far. */
export class RecordLinesEncoder {
  private buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** A DataView of `buf`, for four-byte stores (constants, plain text). */
  private view: DataView = viewOf(this.buf);
  private at = 0;
  private readonly fields: readonly FieldPlan[];
  private readonly tail: number;

  constructor(dataset: DatasetName) {
    const { fields, tail } = planOf(dataset);
    this.fields = fields;
    this.tail = tail;
  }

  /** Bytes written and not taken yet. */
  get pending(): number {
    return this.at;
  }

  /** Appends one record and its line break. */
  write(record: AnyRecord): void {
    if (this.buf.length - this.at < RECORD_ROOM) this.grow(this.at, RECORD_ROOM);
    const start = this.at;
    const r = record as unknown as Readonly<Record<string, unknown>>;
    // Every field starts with a comma; the first one's becomes the `{` (no "first field" test per field).
    let at = this.fieldsInKeyOrder(r, start);
    if (at < 0) at = this.fieldsByName(r, start); // what was written from `start` is written over
    const buf = this.buf; // `field` may have moved to a bigger buffer
    if (at === start) buf[at++] = 0x7b; // {
    else buf[start] = 0x7b;
    buf[at++] = 0x7d; // }
    buf[at++] = 0x0a; // \n
    this.at = at;
  }

  /**
   * The fields, when the record's own keys are the dataset's fields in order (absent ones at the end may be
   * missing), as validation builds every record: then each value is read where the loop over the keys finds
   * it, which V8 does as a plain field load. Reading by name (`fieldsByName`) costs a generic lookup per field,
   * a third of the encoder's time. -1 for a record of another shape.
   */
  private fieldsInKeyOrder(r: Readonly<Record<string, unknown>>, at: number): number {
    const fields = this.fields;
    let i = 0;
    for (const name in r) {
      const f = fields[i++];
      if (f === undefined || f.name !== name) return -1;
      at = this.field(f, r[name], at);
    }
    return at;
  }

  /** The fields in the dataset's order, read by name: for a record of any shape. */
  private fieldsByName(r: Readonly<Record<string, unknown>>, at: number): number {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) at = this.field(fields[i]!, r[fields[i]!.name], at);
    return at;
  }

  /** One field, `,"key":value`, at `at` (nothing when undefined); the calls writing text or a number may grow the buffer. */
  private field(f: FieldPlan, v: unknown, at: number): number {
    if (v === undefined) return at;
    if (typeof v === 'string') {
      const values = f.enumValues; // one of them: its constant bytes; any other text: escaped as JSON
      let e = 0;
      while (e < values.length && values[e] !== v) e++;
      if (e < values.length) return put(this.buf, this.view, at, f.enumBytes[e]!);
      return this.text(v, put(this.buf, this.view, at, f.keyQuote));
    }
    if (typeof v === 'number') return this.number(v, put(this.buf, this.view, at, f.key));
    if (v === true) return put(this.buf, this.view, at, f.whenTrue);
    if (v === false) return put(this.buf, this.view, at, f.whenFalse);
    return this.other(v, at, f.key);
  }

  /** The bytes written so far (a fresh buffer is used from here on: the caller may keep these). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(BUFFER_BYTES);
    this.view = viewOf(this.buf);
    this.at = 0;
    return out;
  }

  /** The characters of a JSON string at `at` (its opening quote is written) and its closing quote. */
  private text(s: string, at: number): number {
    const n = s.length;
    if (this.buf.length - at < n * 6 + this.tail) this.grow(at, n * 6 + this.tail); // worst case: all `\uXXXX`
    const buf = this.buf;
    // Most text is plain ASCII that JSON writes as itself: four characters at a time, one table load each
    // and one four-byte store, until one needs care; from there on, character by character.
    const view = this.view;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const c0 = charCodeAt.call(s, i), c1 = charCodeAt.call(s, i + 1), c2 = charCodeAt.call(s, i + 2), c3 = charCodeAt.call(s, i + 3);
      if ((PLAIN[c0]! & PLAIN[c1]! & PLAIN[c2]! & PLAIN[c3]!) === 0) break;
      view.setUint32(at, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
      at += 4;
    }
    for (; i < n; i++) {
      const c = charCodeAt.call(s, i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) break; // what PLAIN says, measured faster here
      buf[at++] = c;
    }
    if (i < n) at = escapeFrom(s, i, buf, at);
    buf[at++] = 0x22;
    return at;
  }

  /** A number as `JSON.stringify` writes it; non-negative integers digit by digit. */
  private number(v: number, at: number): number {
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) {
      const buf = this.buf; // at most 16 digits: within the tail
      let digits = 1;
      for (let p = 10; p <= v; p *= 10) digits++;
      let rest = v;
      for (let j = at + digits - 1; j >= at; j--) {
        const next = Math.floor(rest / 10);
        buf[j] = 0x30 + (rest - next * 10);
        rest = next;
      }
      return at + digits;
    }
    const s = Number.isFinite(v) ? String(v) : 'null'; // `-0` too: String(-0) is "0", as JSON writes it
    if (this.buf.length - at < s.length + this.tail) this.grow(at, s.length + this.tail);
    const buf = this.buf;
    for (let j = 0; j < s.length; j++) buf[at++] = charCodeAt.call(s, j);
    return at;
  }

  /** A field holding a value of another type (null, an object): its key and the JSON of the value. */
  private other(v: unknown, at: number, key: Constant): number {
    const json = JSON.stringify(v) ?? 'null';
    const bytes = key.length + Buffer.byteLength(json, 'utf8');
    if (this.buf.length - at < bytes + this.tail) this.grow(at, bytes + this.tail);
    at = put(this.buf, this.view, at, key);
    return at + this.buf.write(json, at, 'utf8');
  }

  /** Makes room for `n` bytes after `at` (the bytes before `at`, the current record's too, are kept). */
  private grow(at: number, n: number): void {
    if (this.buf.length - at >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, (at + n) * 2));
    this.buf.copy(bigger, 0, 0, at);
    this.buf = bigger;
    this.view = viewOf(bigger);
  }
}

/**
 * The rest of `s` from `i` as JSON string characters in UTF-8, escaped as `JSON.stringify` escapes (including
 * lone surrogates, as `\udXXX`); `buf` has room for 6 bytes per UTF-16 unit.
 */
function escapeFrom(s: string, i: number, buf: Buffer, at: number): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = charCodeAt.call(s, i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) { buf[at++] = c; continue; }
      buf[at++] = 0x5c;
      if (c === 0x22 || c === 0x5c) buf[at++] = c;
      else if (c === 0x0a) buf[at++] = 0x6e; // n
      else if (c === 0x0d) buf[at++] = 0x72; // r
      else if (c === 0x09) buf[at++] = 0x74; // t
      else if (c === 0x08) buf[at++] = 0x62; // b
      else if (c === 0x0c) buf[at++] = 0x66; // f
      else at = hexEscape(buf, at, c);
    } else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? charCodeAt.call(s, i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[at++] = 0xf0 | (cp >> 18);
        buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[at++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        buf[at++] = 0x5c;
        at = hexEscape(buf, at, c);
      }
    } else {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** Writes `uXXXX` (the backslash is already written). */
function hexEscape(buf: Buffer, at: number, c: number): number {
  buf[at++] = 0x75;
  buf[at++] = HEX.charCodeAt((c >> 12) & 15);
  buf[at++] = HEX.charCodeAt((c >> 8) & 15);
  buf[at++] = HEX.charCodeAt((c >> 4) & 15);
  buf[at++] = HEX.charCodeAt(c & 15);
  return at;
}

/** One record as its line of JSON (no line break): the same bytes the encoder writes, as a string. */
export function recordLine<N extends DatasetName>(dataset: N): (record: DatasetRecords[N]) => string {
  const enc = new RecordLinesEncoder(dataset);
  return (record) => {
    enc.write(record);
    const bytes = enc.take();
    return bytes.toString('utf8', 0, bytes.length - 1);
  };
}

// ---- the file: gzip around the lines ----

/**
 * gzip level of the stored records. Level 1 takes about a third of the default level's (6) CPU; the files come
 * out about a third larger (17 MB instead of 13 MB for a million leads), which S3 and the KPI step hardly notice.
 */
export const RECORDS_GZIP_LEVEL = 1;
/** Bytes handed to gzip at a time: one stream write per batch of records, not per record. */
const BATCH_BYTES = 192 * 1024;
/** Bytes queued for gzip before the validator waits: gzip runs on the thread pool, in parallel, only while it has work queued. */
const GZIP_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * Writes a dataset's records in the stored format to any writable stream. `write` is synchronous and returns a
 * promise only when gzip asks the writer to wait (backpressure).
 */
export class JsonLinesGzipWriter {
  private readonly gzip: ReturnType<typeof createGzip>;
  private readonly finished: Promise<void>;
  private readonly encoder: RecordLinesEncoder;

  constructor(dest: NodeJS.WritableStream, dataset: DatasetName, opts: { readonly level?: number } = {}) {
    // Zlib streams take stream options too (Node passes them to the Transform); @types/node does not say so.
    const options: ZlibOptions & TransformOptions = {
      level: opts.level ?? RECORDS_GZIP_LEVEL, chunkSize: 256 * 1024, writableHighWaterMark: GZIP_QUEUE_BYTES,
    };
    this.gzip = createGzip(options);
    this.encoder = new RecordLinesEncoder(dataset);
    this.finished = new Promise((resolve, reject) => {
      dest.once('finish', resolve);
      dest.once('error', reject);
      this.gzip.once('error', reject);
    });
    this.finished.catch(() => undefined); // observed in close
    this.gzip.pipe(dest);
  }

  write(record: AnyRecord): void | Promise<void> {
    this.encoder.write(record);
    if (this.encoder.pending >= BATCH_BYTES) return this.flushBatch();
  }

  /** Nothing to forget: the caller drops the whole file when it reads the upload again. */
  reset(): void {}

  private flushBatch(): void | Promise<void> {
    const chunk = this.encoder.take();
    if (chunk.length === 0) return;
    if (!this.gzip.write(chunk)) return new Promise<void>((resolve) => this.gzip.once('drain', resolve));
  }

  async close(): Promise<void> {
    if (this.encoder.pending > 0) await this.flushBatch();
    this.gzip.end();
    await this.finished;
  }

  destroy(): void {
    this.gzip.destroy();
  }
}

/** Reads the records of a stored file, given its (gzip) bytes; a read or gunzip error ends the iteration with it. */
export async function* readRecordLines(body: Readable): AsyncIterable<AnyRecord> {
  const gunzip = createGunzip();
  pipeline(body, gunzip, () => undefined); // an error destroys both streams; the lines below then throw it
  for await (const line of createInterface({ input: gunzip, crlfDelay: Infinity })) {
    if (line) yield JSON.parse(line) as AnyRecord;
  }
}

/**
 * What every store's records writer shares: nothing is opened until the first record (`start`), an accepted file
 * with no rows still gets its (empty) records file on `close`, and `reset` forgets everything (`abort`). A store
 * says where the bytes go (`start`) and how they are made visible once complete (`finish`).
 */
export abstract class LazyRecordFileWriter {
  protected lines?: JsonLinesGzipWriter;

  /** Opens the destination and returns the writer of its lines (also kept in `lines`). */
  protected abstract start(): JsonLinesGzipWriter;
  /** After the last line is written and compressed: makes the file visible (rename, complete the upload). */
  protected abstract finish(): Promise<void>;
  /** Leaves nothing behind. */
  abstract abort(): Promise<void>;

  write(record: AnyRecord): void | Promise<void> {
    return (this.lines ?? this.start()).write(record);
  }

  async reset(): Promise<void> {
    await this.abort();
  }

  async close(): Promise<void> {
    const lines = this.lines ?? this.start();
    await lines.close();
    await this.finish();
    this.lines = undefined;
  }
}
