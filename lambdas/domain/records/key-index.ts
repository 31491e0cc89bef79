/**
 * Where each key's record is in a snapshot, and the merge of new records by key, in typed arrays rather than
 * `Map`s of strings (like the validator's id set, `validation/id-set.ts`).
 *
 * The key index is cut by **key range** into shards (`KeyShard`): each holds the keys from its first one up to the
 * next shard's first, sorted, with the month of each key's partition. A fold reads only the shards its new keys
 * fall in. Split by hash, a 10k-row upload's keys would hit nearly every shard; split by range, the new ids of a
 * CRM export (which mostly grow: `L00012345`, HubSpot's record ids, Salesforce's) fall in the last shard or two,
 * and corrections of a month's leads in the few shards their ids span. Keys in random order (UUIDs) still read
 * every shard: the cost of the old single index, no more.
 *
 * Keys are kept as their UTF-16 code units (one byte each while all are below 256), so the index's order is
 * JavaScript's own string order (`a < b`) and any string, even one a UTF-8 round trip would change, keeps its
 * identity: the index is exact, with no hash to collide.
 *
 * `KeySlots`: the keys of the records being folded in, each with a slot number, in an open-addressing table of
 * (hash, slot) pairs; the strings are the records' own, not copies.
 */
import { mix32 } from '../hash.ts';

/** A 32-bit hash of a key (FNV-1a finished with the murmur3 mix). */
export function keyHash(key: string): number {
  let a = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) a = Math.imul(a ^ key.charCodeAt(i), 0x01000193);
  return mix32(a);
}

/**
 * A shard's keys as code units: one byte each while every one is below 256 (ids, dates, Latin-1 names: half the
 * memory), two once a key needs more.
 */
type Units = Uint8Array | Uint16Array;

const needsTwoBytes = (key: string): boolean => {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return true;
  return false;
};

/** `key` against the code units `units[start, end)`, in string order: negative, zero or positive. */
function compareKeyTo(key: string, units: Units, start: number, end: number): number {
  const n = Math.min(key.length, end - start);
  for (let i = 0; i < n; i++) {
    const d = key.charCodeAt(i) - units[start + i]!;
    if (d !== 0) return d;
  }
  return key.length - (end - start);
}

/**
 * One range of the key index: its keys in string order, each with the month (`monthNumber`) of its partition.
 * Immutable: an update gives a new shard.
 */
export class KeyShard {
  /** Key i is `units[offsets[i], offsets[i + 1])`. */
  private constructor(private readonly units: Units, private readonly offsets: Uint32Array, private readonly months: Uint16Array) {}

  static empty(): KeyShard {
    return new KeyShard(new Uint8Array(0), new Uint32Array(1), new Uint16Array(0));
  }

  /** Bytes a code unit takes in memory: 1 or 2. */
  get unitBytes(): number {
    return this.units.BYTES_PER_ELEMENT;
  }

  get size(): number {
    return this.months.length;
  }

  keyAt(i: number): string {
    let key = '';
    for (let s = this.offsets[i]!, e = this.offsets[i + 1]!; s < e; s += 4096) key += String.fromCharCode(...this.units.subarray(s, Math.min(e, s + 4096)));
    return key;
  }

  monthAt(i: number): number {
    return this.months[i]!;
  }

  /**
   * The shard with `keys` (distinct, in string order) now in `months`; and per key the month it was in before
   * (-1: a new key). One pass over both, as a merge.
   */
  upsert(keys: readonly string[], months: ArrayLike<number>): { shard: KeyShard; before: Int32Array } {
    const n = this.size;
    const m = keys.length;
    let added = 0;
    for (const k of keys) added += k.length;
    const length = this.offsets[n]! + added;
    const units: Units = this.units instanceof Uint16Array || keys.some(needsTwoBytes) ? new Uint16Array(length) : new Uint8Array(length);
    const offsets = new Uint32Array(n + m + 1);
    const out = new Uint16Array(n + m);
    const before = new Int32Array(m).fill(-1);
    let i = 0;
    let j = 0;
    let o = 0;
    let at = 0;
    const copyOld = (): void => {
      const s = this.offsets[i]!;
      const e = this.offsets[i + 1]!;
      units.set(this.units.subarray(s, e), at);
      at += e - s;
    };
    while (i < n || j < m) {
      const c = i >= n ? 1 : j >= m ? -1 : -compareKeyTo(keys[j]!, this.units, this.offsets[i]!, this.offsets[i + 1]!);
      if (c < 0) {
        copyOld();
        out[o] = this.months[i++]!;
      } else {
        if (j > 0 && !(keys[j - 1]! < keys[j]!)) throw new Error('key shard: keys to add must be distinct and in order');
        if (c === 0) {
          before[j] = this.months[i]!;
          copyOld();
          i++;
        } else {
          const k = keys[j]!;
          for (let u = 0; u < k.length; u++) units[at + u] = k.charCodeAt(u);
          at += k.length;
        }
        out[o] = months[j++]!;
      }
      offsets[++o] = at;
    }
    return { shard: new KeyShard(units.subarray(0, at), offsets.subarray(0, o + 1), out.subarray(0, o)), before };
  }

  /** The keys `[from, to)` as a shard of their own (copied, so this one's memory can go). */
  slice(from: number, to: number): KeyShard {
    const s = this.offsets[from]!;
    const units = this.units.slice(s, this.offsets[to]!);
    const offsets = this.offsets.slice(from, to + 1).map((x) => x - s);
    return new KeyShard(units, offsets, this.months.slice(from, to));
  }

  /** Shards of at most `max` keys (half full, so the next keys fit without another split at once); just this one if it fits. */
  split(max: number): KeyShard[] {
    if (this.size <= max) return [this];
    const count = Math.ceil(this.size / Math.max(1, max >> 1));
    return Array.from({ length: count }, (_, k) => this.slice(Math.floor((k * this.size) / count), Math.floor(((k + 1) * this.size) / count)));
  }

  /**
   * The stored form: the key count and the code unit count (32-bit little-endian), the months (16-bit), then each
   * key front-coded against the one before (sorted ids share most of their characters: `L00012345`, `L00012346`)
   * as varints: the length of the shared prefix, the number of code units after it, and those code units. About 5
   * bytes a key for growing ids, against 24 in memory.
   */
  encode(): Uint8Array {
    const n = this.size;
    const u = this.units.length;
    const bytes = new Uint8Array(8 + n * 2 + u * 3 + n * 10);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, n, true);
    view.setUint32(4, u, true);
    let at = 8;
    for (let i = 0; i < n; i++, at += 2) view.setUint16(at, this.months[i]!, true);
    const varint = (x: number): void => {
      for (; x >= 0x80; x >>>= 7) bytes[at++] = (x & 0x7f) | 0x80;
      bytes[at++] = x;
    };
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const s = this.offsets[i]!;
      const e = this.offsets[i + 1]!;
      let shared = 0;
      while (shared < prev && shared < e - s && this.units[s + shared] === this.units[this.offsets[i - 1]! + shared]) shared++;
      varint(shared);
      varint(e - s - shared);
      for (let k = s + shared; k < e; k++) varint(this.units[k]!);
      prev = e - s;
    }
    return bytes.slice(0, at);
  }

  static decode(bytes: Uint8Array): KeyShard {
    const damaged = (): Error => new Error(`a key shard of ${bytes.byteLength} bytes is cut short or damaged`);
    if (bytes.byteLength < 8) throw damaged();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getUint32(0, true);
    const u = view.getUint32(4, true);
    if (8 + n * 2 > bytes.byteLength) throw damaged();
    const months = new Uint16Array(n);
    const offsets = new Uint32Array(n + 1);
    // Grown as keys are read, up to the count the header gives (a damaged count must not allocate gigabytes), and
    // widened to two bytes a unit at the first unit over 255.
    let units: Units = new Uint8Array(Math.min(u, 16 + bytes.byteLength * 4));
    let at = 8;
    for (let i = 0; i < n; i++, at += 2) months[i] = view.getUint16(at, true);
    const varint = (): number => {
      let x = 0;
      for (let shift = 0; ; shift += 7) {
        if (at >= bytes.byteLength || shift > 21) throw damaged();
        const b = bytes[at++]!;
        x |= (b & 0x7f) << shift;
        if (b < 0x80) return x;
      }
    };
    let end = 0;
    for (let i = 0; i < n; i++) {
      const start = offsets[i]!;
      const shared = varint();
      const rest = varint();
      if (shared > (i > 0 ? start - offsets[i - 1]! : 0) || start + shared + rest > u) throw damaged();
      if (start + shared + rest > units.length) units = resized(units, Math.min(u, Math.max(units.length * 2, start + shared + rest)), units instanceof Uint16Array);
      if (i > 0) units.copyWithin(start, offsets[i - 1]!, offsets[i - 1]! + shared);
      end = start + shared;
      for (let k = 0; k < rest; k++) {
        const unit = varint();
        if (unit > 0xffff) throw damaged();
        if (unit > 0xff && units instanceof Uint8Array) units = resized(units, units.length, true);
        units[end++] = unit;
      }
      offsets[i + 1] = end;
    }
    if (end !== u || at !== bytes.byteLength) throw damaged();
    return new KeyShard(units, offsets, months);
  }
}

/** `units` copied into an array of `length`, of two bytes a unit if `wide`. */
function resized(units: Units, length: number, wide: boolean): Units {
  const out = wide ? new Uint16Array(length) : new Uint8Array(length);
  out.set(units.subarray(0, Math.min(units.length, length)));
  return out;
}

/** The shard a key falls in, given the shards' first keys in order (the first is '', below every key). */
export function shardOf(firsts: readonly string[], key: string): number {
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firsts[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
    const h = keyHash(key);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = this.table[2 * i + 1]!;
      if (e === 0) return -1;
      if (this.table[2 * i] === h && this.keys[e - 1] === key) return e - 1;
    }
  }

  /** The slot of `key`, given one if it has none; `created` says which. */
  insert(key: string): { slot: number; created: boolean } {
    const h = keyHash(key);
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
