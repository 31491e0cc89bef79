/**
 * The stored records format: one JSON object per line, UTF-8 (`accepted/<dataset>/<upload>.jsonl.gz`, read by
 * the KPI step). `RecordLinesEncoder` writes records straight into byte buffers: the JSON `JSON.stringify`
 * would write (keys in `RECORD_FIELDS` order, absent fields left out), without building a string per record,
 * joining them and encoding the result to UTF-8 again. That took four times longer than validating the row.
 */
import type { DatasetName } from '../layout.ts';
import { RECORD_FIELDS, type AnyRecord, type DatasetRecords } from './records.ts';

/** Size of the buffers handed out; a record longer than a quarter of this gets a buffer of its own size. */
const BUFFER_BYTES = 256 * 1024;
const HEX = '0123456789abcdef';

type FieldWriter = (enc: RecordLinesEncoder, record: AnyRecord) => void;
const compiled = new Map<DatasetName, FieldWriter>();

/**
 * The writer of one dataset's fields, compiled once from the constant field list (never from data), so
 * that every field is read with a plain property load.
 */
function fieldWriter(dataset: DatasetName): FieldWriter {
  let f = compiled.get(dataset);
  if (!f) {
    const fields = RECORD_FIELDS[dataset] as readonly string[];
    const body = fields.map((name, i) =>
      `v = r[${JSON.stringify(name)}]; if (v !== undefined) { e.key(${i}); e.value(v); }`).join('\n');
    f = new Function('e', 'r', `let v;\n${body}`) as FieldWriter;
    compiled.set(dataset, f);
  }
  return f;
}

/** Encodes records as JSON lines into byte buffers; `take` hands out the bytes written so far. */
export class RecordLinesEncoder {
  private buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private at = 0;
  private first = true;
  private readonly keys: Buffer[];
  private readonly fields: FieldWriter;

  constructor(dataset: DatasetName) {
    this.fields = fieldWriter(dataset);
    this.keys = (RECORD_FIELDS[dataset] as readonly string[]).map((name) => Buffer.from(`${JSON.stringify(name)}:`, 'utf8'));
  }

  /** Bytes written and not taken yet. */
  get pending(): number {
    return this.at;
  }

  /** Appends one record and its line break. */
  write(record: AnyRecord): void {
    // Room for a typical record; a longer one grows the buffer as it is written (see `room`).
    if (this.buf.length - this.at < 4096) this.room(4096);
    this.buf[this.at++] = 0x7b; // {
    this.first = true;
    this.fields(this, record);
    this.room(2);
    this.buf[this.at++] = 0x7d; // }
    this.buf[this.at++] = 0x0a; // \n
  }

  /** The bytes written so far (a fresh buffer is used from here on: the caller may keep these). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(BUFFER_BYTES);
    this.at = 0;
    return out;
  }

  /** @internal called by the compiled field writer. */
  key(i: number): void {
    const k = this.keys[i]!;
    this.room(k.length + 1);
    if (!this.first) this.buf[this.at++] = 0x2c; // ,
    this.first = false;
    const buf = this.buf;
    let at = this.at;
    for (let j = 0; j < k.length; j++) buf[at++] = k[j]!; // a few bytes: a loop beats a native copy call
    this.at = at;
  }

  /** @internal a field value: text, a number or a boolean (anything else as JSON.stringify writes it). */
  value(v: unknown): void {
    if (typeof v === 'string') this.string(v);
    else if (typeof v === 'number' && Number.isFinite(v)) this.ascii(String(v));
    else if (typeof v === 'boolean') this.ascii(v ? 'true' : 'false');
    else this.raw(JSON.stringify(v) ?? 'null');
  }

  private room(n: number): void {
    if (this.buf.length - this.at >= n) return;
    const bigger = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, (this.at + n) * 2));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  private ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.at = at;
  }

  private raw(s: string): void {
    this.room(Buffer.byteLength(s, 'utf8'));
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** A JSON string literal in UTF-8, escaped as `JSON.stringify` escapes (including lone surrogates). */
  private string(s: string): void {
    const n = s.length;
    this.room(n * 6 + 2); // the worst case: every unit escaped as \uXXXX
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
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
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
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
    buf[at++] = 0x22;
    this.at = at;
  }
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
