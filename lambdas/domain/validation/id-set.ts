/**
 * A compact, exact set of ids for the uniqueness check of a file, with the row each id was first seen on.
 *
 * A `Set<string>` of a million ids costs about 75 MB (a heap string and a hash-table entry each). This keeps
 * the ids' characters packed in byte pages (1 byte per Latin-1 character, 3 for any other UTF-16 unit) and an
 * open-addressing table in a typed array, each slot holding a 32-bit hash and an entry number side by side
 * (a probe reads one cache line, not a second array): about 28 bytes plus the id's length per id, no
 * garbage, and nothing the garbage collector has to trace.
 *
 * A plain decimal id (most CRM ids) is kept as its value and length instead of its characters: no bytes to
 * copy or compare, and in-order ids land in neighbouring slots.
 *
 * It is exact: the hash only picks where to look; two ids are the same only when their characters are.
 * So a reported duplicate is always a real duplicate (no false positives), and a different id is never
 * taken for a seen one, whatever the hash does.
 */
import { mix32 } from '../hash.ts';

const PAGE_BYTES = 1 << 20;
/** Ids longer than this (in UTF-16 units) are kept in an ordinary map; no real id is this long. */
const LONG_ID = 4096;

export class CompactIdSet {
  /** Slot i: `table[2i]` the hash, `table[2i + 1]` the entry number + 1 (0 = empty). */
  private table: Int32Array;
  private mask: number;
  private starts = new Uint32Array(1024); // byte position of each entry's encoding in the pages
  private lengths = new Uint32Array(1024); // encoded length in bytes
  private rows = new Uint32Array(1024);
  /** A plain decimal id's value (its length is in `lengths`); NaN for an id kept as characters. */
  private values = new Float64Array(1024);
  private count = 0;
  private readonly pages: Uint8Array[] = [];
  private page: Uint8Array = new Uint8Array(0);
  private pageUsed = 0;
  private readonly long = new Map<string, number>();
  /** Slots are picked by a mixed hash (set once plain decimal ids crowded together); else by the hash itself. */
  private scrambled = false;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Empties the set and gives its storage back, so the object can be reused for another file. */
  release(): void {
    this.table = new Int32Array(2048);
    this.mask = 1023;
    this.starts = new Uint32Array(1024);
    this.lengths = new Uint32Array(1024);
    this.rows = new Uint32Array(1024);
    this.values = new Float64Array(1024);
    this.count = 0;
    this.pages.length = 0;
    this.page = new Uint8Array(0);
    this.pageUsed = 0;
    this.long.clear();
    this.scrambled = false;
  }

  /** Ids held. */
  get size(): number {
    return this.count + this.long.size;
  }

  /** Bytes held in typed arrays (for tests and benchmarks). */
  get bytes(): number {
    return this.table.byteLength + this.starts.byteLength + this.lengths.byteLength + this.rows.byteLength
      + this.values.byteLength + this.pages.length * PAGE_BYTES;
  }

  /**
   * Adds `id`, first seen on `row`. Returns 0 when it is new, or the row it was first seen on (rows start at
   * 1, so 0 never is one).
   */
  add(id: string, row: number): number {
    const n = id.length;
    if (n > LONG_ID) {
      const seen = this.long.get(id);
      if (seen !== undefined) return seen;
      this.long.set(id, row);
      return 0;
    }
    // A plain decimal id (most CRM ids) hashes to its own value, so ids exported in order land in neighbouring
    // slots (one cache line serves several); anything else: FNV-1a over UTF-16 units, finished with a murmur3 mix.
    let numeric = n > 0 && n <= 15;
    let v = 0;
    for (let i = 0; i < n && numeric; i++) {
      const d = id.charCodeAt(i) - 48;
      if ((d >>> 0) > 9) numeric = false;
      else v = v * 10 + d;
    }
    if (numeric) return this.addNumber(v, n, row);
    let h = 0x811c9dc5 | 0;
    let latin1 = true;
    for (let i = 0; i < n; i++) {
      const c = id.charCodeAt(i);
      if (c > 0xfe) latin1 = false;
      h = Math.imul(h ^ c, 0x01000193);
    }
    h = mix32(h);
    const encodedLength = latin1 ? n : encodedSize(id);
    const table = this.table;
    const mask = this.mask;
    let i = (this.scrambled ? mix32(h) : h) & mask;
    for (;;) {
      const e = table[2 * i + 1]!;
      if (e === 0) break;
      if (table[2 * i] === h) {
        const k = e - 1;
        if (this.lengths[k] === encodedLength && this.values[k] !== this.values[k] /* NaN: kept as characters */ && this.equals(k, id)) {
          return this.rows[k]!;
        }
      }
      i = (i + 1) & mask;
    }
    const k = this.append(id, encodedLength, latin1, row);
    table[2 * i] = h;
    table[2 * i + 1] = k + 1;
    if (this.count * 2 > mask) this.grow();
    return 0;
  }

  /** `add` for a plain decimal id of `length` digits and value `v`: the same value and length are the same id. */
  private addNumber(v: number, length: number, row: number): number {
    const h = v >>> 0 | 0;
    const table = this.table;
    const mask = this.mask;
    let i = (this.scrambled ? mix32(h) : h) & mask;
    for (let probes = 0; ; probes++) {
      const e = table[2 * i + 1]!;
      if (e === 0) break;
      if (probes > LONG_PROBE && !this.scrambled) {
        // Ids whose values crowd into one run of slots (say, all multiples of a power of two): place by a
        // mixed hash from now on.
        this.scrambled = true;
        this.rebuild(this.mask + 1);
        return this.addNumber(v, length, row);
      }
      if (table[2 * i] === h) {
        const k = e - 1;
        if (this.values[k] === v && this.lengths[k] === length) return this.rows[k]!;
      }
      i = (i + 1) & mask;
    }
    const k = this.newEntry(row);
    this.values[k] = v;
    this.lengths[k] = length;
    table[2 * i] = h;
    table[2 * i + 1] = k + 1;
    if (this.count * 2 > mask) this.grow();
    return 0;
  }

  /** A new entry number with its row; the arrays grow as needed. */
  private newEntry(row: number): number {
    if (this.count === this.rows.length) {
      const cap = this.count * 2;
      this.starts = grown(this.starts, new Uint32Array(cap));
      this.lengths = grown(this.lengths, new Uint32Array(cap));
      this.rows = grown(this.rows, new Uint32Array(cap));
      this.values = grown(this.values, new Float64Array(cap));
    }
    const k = this.count++;
    this.rows[k] = row;
    return k;
  }

  private append(id: string, length: number, latin1: boolean, row: number): number {
    if (this.pageUsed + length > this.page.length) {
      // An id never straddles two pages; a page's unused tail is at most one id long.
      this.page = new Uint8Array(Math.max(PAGE_BYTES, length));
      this.pages.push(this.page);
      this.pageUsed = 0;
    }
    const page = this.page;
    let p = this.pageUsed;
    const start = (this.pages.length - 1) * PAGE_BYTES + p;
    if (latin1) {
      for (let i = 0; i < id.length; i++) page[p++] = id.charCodeAt(i);
    } else {
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        if (c <= 0xfe) page[p++] = c;
        else { page[p++] = 0xff; page[p++] = c >>> 8; page[p++] = c & 0xff; }
      }
    }
    this.pageUsed = p;
    const k = this.newEntry(row);
    this.starts[k] = start;
    this.lengths[k] = length;
    this.values[k] = NaN;
    return k;
  }

  private equals(k: number, id: string): boolean {
    const start = this.starts[k]!;
    const page = this.pages[Math.floor(start / PAGE_BYTES)]!;
    let p = start % PAGE_BYTES;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c <= 0xfe) {
        if (page[p++] !== c) return false;
      } else if (page[p] !== 0xff || page[p + 1] !== c >>> 8 || page[p + 2] !== (c & 0xff)) return false;
      else p += 3;
    }
    return true;
  }

  private grow(): void {
    this.rebuild((this.mask + 1) * 2);
  }

  private rebuild(cap: number): void {
    const old = this.table;
    const scrambled = this.scrambled;
    const table = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const e = old[j + 1]!;
      if (e === 0) continue;
      const h = old[j]!;
      let i = (scrambled ? mix32(h) : h) & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = h;
      table[2 * i + 1] = e;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Probes past which slots are picked by a mixed hash. */
const LONG_PROBE = 64;

function encodedSize(id: string): number {
  let n = 0;
  for (let i = 0; i < id.length; i++) n += id.charCodeAt(i) <= 0xfe ? 1 : 3;
  return n;
}

function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
