/**
 * The stored records format: one JSON object per line, UTF-8 (`accepted/<dataset>/<upload>.jsonl.gz`, read by
 * the KPI step). `RecordLinesEncoder` writes records straight into byte buffers: the JSON `JSON.stringify`
 * would write (keys in `RECORD_FIELDS` order, absent fields left out), without building a string per record,
 * joining them and encoding the result to UTF-8 again. That took four times longer than validating the row.
 *
 * It runs once per stored row, so per dataset a field writer is compiled from the constant field list: keys
 * (with the value's opening quote) and enum and boolean values are runs of constant stores, integers are
 * written digit by digit, and text is copied four plain ASCII characters at a time until one needs escaping.
 */
import type { DatasetName } from '../layout.ts';
import {
  RECORD_FIELDS, type AnyRecord, type DatasetRecords, type OpportunityStatus, type SpendRecord, type SqlStatus,
} from './records.ts';

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

/**
 * What a field holds, to test for that first: the values of an enum field (written as constant bytes),
 * `boolean`, `integer` (counts and minor units), `number` or `text`. Only the order of the tests: a value of
 * another type or shape goes through the general path, and text is always escaped as JSON does.
 */
type FieldKind = 'text' | 'boolean' | 'integer' | 'number' | readonly string[];

const SQL_STATUSES = ['accepted', 'rejected', 'pending'] as const satisfies readonly SqlStatus[];
const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const satisfies readonly OpportunityStatus[];
const SPEND_CATEGORIES = ['marketing', 'sales'] as const satisfies readonly SpendRecord['category'][];

/** Every field of every record type (a field added to a record type and not here fails compilation). */
const FIELD_KINDS: { readonly [N in DatasetName]: { readonly [K in keyof DatasetRecords[N]]-?: FieldKind } } = {
  leads: {
    lead_id: 'text', created_at: 'text', source: 'text', campaign: 'text', mql_at: 'text', sql_at: 'text',
    sql_status: SQL_STATUSES, customer_at: 'text', marketing_sourced: 'boolean',
  },
  opportunities: {
    opportunity_id: 'text', created_at: 'text', status: OPPORTUNITY_STATUSES, closed_at: 'text', amount_minor: 'integer',
    source: 'text', lead_id: 'text', marketing_sourced: 'boolean',
  },
  spend: { date: 'text', amount_minor: 'integer', channel: 'text', campaign: 'text', category: SPEND_CATEGORIES },
  customers: { customer_id: 'text', started_at: 'text', churned_at: 'text', mrr_minor: 'integer', marketing_sourced: 'boolean' },
  web_traffic: {
    date: 'text', channel: 'text', sessions: 'integer', engaged_sessions: 'integer', bounce_rate: 'number', conversions: 'integer',
  },
};

/**
 * Writes a record's fields from `at`, each as `,"key":value`, into `buf` (and `view`, a DataView of the same
 * bytes); returns the position after them.
 */
type FieldsWriter = (enc: RecordLinesEncoder, record: AnyRecord, buf: Buffer, view: DataView, at: number) => number;
interface CompiledDataset {
  readonly fields: FieldsWriter;
  /** Per field, the bytes of `,"key":`. */
  readonly keys: readonly Buffer[];
  /**
   * Bytes that each call writing a value (text, number, the general path) leaves free after it: room for
   * everything the field writer stores after it without a check (keys, constants, integers) and `}\n`.
   */
  readonly tail: number;
}
const compiled = new Map<DatasetName, CompiledDataset>();

/**
 * Statements storing the constant `bytes` at position `a`: four at a time through the DataView `d`, the
 * rest one by one into the Buffer `b` (no loop, no load from a key buffer, a quarter of the stores).
 */
function storeBytes(bytes: Buffer): string {
  const stores: string[] = [];
  let j = 0;
  for (; j + 4 <= bytes.length; j += 4) stores.push(`d.setUint32(a + ${j}, ${bytes.readUInt32LE(j)}, true);`);
  for (; j < bytes.length; j++) stores.push(`b[a + ${j}] = ${bytes[j]};`);
  return stores.join(' ');
}

const viewOf = (buf: Buffer): DataView => new DataView(buf.buffer, buf.byteOffset, buf.length);

/** The code writing field `i` (`name`, with key bytes `key`) of record `r`, when present, at `a`. */
function fieldCode(name: string, kind: FieldKind, key: Buffer, i: number): string {
  const reload = 'b = e.buf; d = e.view;'; // after a call that may have moved to a bigger buffer
  const constant = (json: string): string => {
    const bytes = Buffer.concat([key, Buffer.from(json, 'utf8')]);
    return `{ ${storeBytes(bytes)} a += ${bytes.length}; }`;
  };
  const tests: string[] = [];
  if (typeof kind !== 'string') for (const value of kind) tests.push(`if (v === ${JSON.stringify(value)}) ${constant(JSON.stringify(value))}`);
  if (kind === 'boolean') tests.push(`if (v === true) ${constant('true')}`, `if (v === false) ${constant('false')}`);
  if (kind === 'integer' || kind === 'number') {
    tests.push(`if (typeof v === 'number') { ${storeBytes(key)} a = e.number(v, a + ${key.length}); ${reload} }`);
  }
  const keyAndQuote = Buffer.concat([key, Buffer.from('"')]);
  tests.push(`if (typeof v === 'string') { ${storeBytes(keyAndQuote)} a = e.text(v, a + ${keyAndQuote.length}); ${reload} }`);
  return `v = r[${JSON.stringify(name)}];
if (v !== undefined) {
  ${tests.join('\n  else ')}
  else { a = e.other(v, a, ${i}); ${reload} }
}`;
}

/**
 * The writer of one dataset's fields, compiled once from the constant field list and kinds (never from
 * data), so that every field is read with a plain property load and its key is a run of constant stores.
 */
function compile(dataset: DatasetName): CompiledDataset {
  let c = compiled.get(dataset);
  if (c) return c;
  const kinds = FIELD_KINDS[dataset] as Readonly<Record<string, FieldKind>>;
  const names = RECORD_FIELDS[dataset] as readonly string[];
  const keys = names.map((name) => Buffer.from(`,${JSON.stringify(name)}:`, 'utf8'));
  const body = names.map((name, i) => fieldCode(name, kinds[name]!, keys[i]!, i)).join('\n');
  const fields = new Function('e', 'r', 'b', 'd', 'a', `let v;\n${body}\nreturn a;`) as FieldsWriter;
  const tail = 3 + names.reduce((sum, name, i) => {
    const kind = kinds[name]!;
    const longestConstant = typeof kind === 'string' ? 0 : Math.max(...kind.map((value) => value.length + 2));
    return sum + keys[i]!.length + 1 + Math.max(MAX_NUMBER_CHARS, longestConstant);
  }, 0);
  if (tail > RECORD_ROOM) throw new Error(`${dataset}: keys too long for RECORD_ROOM`);
  c = { fields, keys, tail };
  compiled.set(dataset, c);
  return c;
}

/** Encodes records as JSON lines into byte buffers; `take` hands out the bytes written so far. */
export class RecordLinesEncoder {
  /**
   * @internal the buffer being written and a DataView of it (for four-byte stores); the compiled field
   * writer reloads both after each call that may move to a bigger buffer.
   */
  buf: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** @internal see `buf` */
  view: DataView = viewOf(this.buf);
  private at = 0;
  private readonly keys: readonly Buffer[];
  private readonly fields: FieldsWriter;
  private readonly tail: number;

  constructor(dataset: DatasetName) {
    const { fields, keys, tail } = compile(dataset);
    this.fields = fields;
    this.keys = keys;
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
    // Every field starts with a comma; the first one's becomes the `{` (no "first field" test per field).
    let at = this.fields(this, record, this.buf, this.view, start);
    const buf = this.buf; // the field writer may have moved to a bigger buffer
    if (at === start) buf[at++] = 0x7b; // {
    else buf[start] = 0x7b;
    buf[at++] = 0x7d; // }
    buf[at++] = 0x0a; // \n
    this.at = at;
  }

  /** The bytes written so far (a fresh buffer is used from here on: the caller may keep these). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(BUFFER_BYTES);
    this.view = viewOf(this.buf);
    this.at = 0;
    return out;
  }

  /** @internal the characters of a JSON string at `at` (its opening quote is written) and its closing quote. */
  text(s: string, at: number): number {
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

  /** @internal a number as `JSON.stringify` writes it; non-negative integers digit by digit. */
  number(v: number, at: number): number {
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

  /** @internal field `i` holding a value of another type: its key and the JSON of the value. */
  other(v: unknown, at: number, i: number): number {
    const key = this.keys[i]!;
    const json = JSON.stringify(v) ?? 'null';
    const bytes = key.length + Buffer.byteLength(json, 'utf8');
    if (this.buf.length - at < bytes + this.tail) this.grow(at, bytes + this.tail);
    key.copy(this.buf, at);
    return at + key.length + this.buf.write(json, at + key.length, 'utf8');
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
