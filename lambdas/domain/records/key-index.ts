/**
 * Where each key's record is in a snapshot, and the merge of new records by key, in typed arrays rather than
 * `Map`s of strings (like the validator's id set, `validation/id-set.ts`).
 *
 * `KeyIndex`: one entry per key, its two 32-bit hashes and the month of its partition, sorted by hash: 10 bytes a
 * key (100 MB for ten million), read as three typed arrays with no object per key. It only says where to look:
 * two keys can share both hashes, so a lookup gives every month an equal hash is in, and the fold then compares
 * the keys themselves in those partitions. It is exact that way; the hashes' width only decides how often a
 * partition is read for nothing (about once in 10^8 lookups at ten million keys).
 *
 * `KeySlots`: the keys of the records being folded in, each with a slot number, in an open-addressing table of
 * (hash, slot) pairs; the strings are the records' own, not copies.
 */
import { mix32 } from '../hash.ts';

/** Two independent 32-bit hashes of a key (FNV-1a with two offsets, each finished with the murmur3 mix). */
export function keyHashes(key: string): [number, number] {
  let a = 0x811c9dc5 | 0;
  let b = 0x2545f491 | 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return [mix32(a) >>> 0, mix32(b ^ key.length) >>> 0];
}

/** A key's move: from the month it is in (none: a new key) to the month it goes to. */
export interface KeyMove {
  readonly h1: number;
  readonly h2: number;
  readonly from?: number;
  readonly to: number;
}

const compare = (h1: Uint32Array, h2: Uint32Array, i: number, a: number, b: number): number =>
  h1[i]! !== a ? (h1[i]! < a ? -1 : 1) : h2[i]! !== b ? (h2[i]! < b ? -1 : 1) : 0;

export class KeyIndex {
  private constructor(readonly h1: Uint32Array, readonly h2: Uint32Array, readonly month: Uint16Array) {}

  static empty(): KeyIndex {
    return new KeyIndex(new Uint32Array(0), new Uint32Array(0), new Uint16Array(0));
  }

  get size(): number {
    return this.h1.length;
  }

  /** The months of the entries with these hashes (usually none or one). */
  monthsOf(a: number, b: number): number[] {
    const { h1, h2, month } = this;
    let lo = 0;
    let hi = h1.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(h1, h2, mid, a, b) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < h1.length && h1[i] === a && h2[i] === b; i++) out.push(month[i]!);
    return out;
  }

  /** A new index with the moves applied: per move, its `from` entry removed (one of them) and a `to` entry added. */
  with(moves: readonly KeyMove[]): KeyIndex {
    const changed = moves.filter((m) => m.from !== m.to);
    if (changed.length === 0) return this;
    const removals = changed.filter((m) => m.from !== undefined).map((m) => ({ h1: m.h1, h2: m.h2, month: m.from! }));
    const additions = changed.map((m) => ({ h1: m.h1, h2: m.h2, month: m.to }));
    const byHash = (x: { h1: number; h2: number; month: number }, y: { h1: number; h2: number; month: number }): number =>
      x.h1 - y.h1 || x.h2 - y.h2 || x.month - y.month;
    removals.sort(byHash);
    additions.sort(byHash);
    const n = this.size - removals.length + additions.length;
    const h1 = new Uint32Array(n);
    const h2 = new Uint32Array(n);
    const month = new Uint16Array(n);
    let out = 0;
    let r = 0;
    let a = 0;
    const put = (x: number, y: number, m: number): void => { h1[out] = x; h2[out] = y; month[out] = m; out++; };
    for (let i = 0; i < this.size; i++) {
      const x = this.h1[i]!;
      const y = this.h2[i]!;
      const m = this.month[i]!;
      while (a < additions.length && byHash(additions[a]!, { h1: x, h2: y, month: m }) < 0) put(additions[a]!.h1, additions[a]!.h2, additions[a++]!.month);
      // Removals are sorted the same way, so the next one due is always at `r`.
      if (r < removals.length && removals[r]!.h1 === x && removals[r]!.h2 === y && removals[r]!.month === m) { r++; continue; }
      put(x, y, m);
    }
    while (a < additions.length) put(additions[a]!.h1, additions[a]!.h2, additions[a++]!.month);
    if (r !== removals.length || out !== n) throw new Error(`key index: ${removals.length - r} entries to move were not in it`);
    return new KeyIndex(h1, h2, month);
  }

  /** The stored form: the entry count, then the three arrays, little-endian. */
  encode(): Uint8Array {
    const n = this.size;
    const bytes = new Uint8Array(4 + n * 10);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, n, true);
    for (let i = 0; i < n; i++) {
      view.setUint32(4 + i * 4, this.h1[i]!, true);
      view.setUint32(4 + n * 4 + i * 4, this.h2[i]!, true);
      view.setUint16(4 + n * 8 + i * 2, this.month[i]!, true);
    }
    return bytes;
  }

  static decode(bytes: Uint8Array): KeyIndex {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getUint32(0, true);
    if (bytes.byteLength !== 4 + n * 10) throw new Error(`key index of ${bytes.byteLength} bytes does not hold ${n} entries`);
    const h1 = new Uint32Array(n);
    const h2 = new Uint32Array(n);
    const month = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      h1[i] = view.getUint32(4 + i * 4, true);
      h2[i] = view.getUint32(4 + n * 4 + i * 4, true);
      month[i] = view.getUint16(4 + n * 8 + i * 2, true);
    }
    return new KeyIndex(h1, h2, month);
  }
}

/** Keys with a slot number each (0, 1, … in the order they were first inserted). */
export class KeySlots {
  /** Slot i: `table[2i]` the hash, `table[2i + 1]` the slot + 1 (0 = empty). */
  private table = new Int32Array(2048);
  private mask = 1023;
  readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The slot of `key`, or -1. */
  slotOf(key: string): number {
    const h = keyHashes(key)[0] | 0;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = this.table[2 * i + 1]!;
      if (e === 0) return -1;
      if (this.table[2 * i] === h && this.keys[e - 1] === key) return e - 1;
    }
  }

  /** The slot of `key`, given one if it has none; `created` says which. */
  insert(key: string): { slot: number; created: boolean } {
    const h = keyHashes(key)[0] | 0;
    let i = h & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const e = this.table[2 * i + 1]!;
      if (e === 0) break;
      if (this.table[2 * i] === h && this.keys[e - 1] === key) return { slot: e - 1, created: false };
    }
    const slot = this.keys.length;
    this.keys.push(key);
    this.table[2 * i] = h;
    this.table[2 * i + 1] = slot + 1;
    if (this.keys.length * 2 > this.mask) this.grow();
    return { slot, created: true };
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = old[j]! & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[j]!;
      table[2 * i + 1] = old[j + 1]!;
    }
    this.table = table;
    this.mask = mask;
  }
}
