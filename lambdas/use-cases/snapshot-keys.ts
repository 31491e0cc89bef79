/**
 * A snapshot's key index as a fold uses it (domain/records/key-index.ts): shards by key range, each read from the
 * store only when a key being folded in falls in its range, and written again only when a key in it is added or
 * moves to another month.
 */
import { KeyShard } from '../domain/records/key-index.ts';
import type { KeyShardEntry } from '../domain/records/snapshot.ts';
import type { SnapshotStore } from '../ports/snapshots.ts';

/** Keys a shard holds before it is split in two: about 1.3 MB for 9-character ids. */
export const KEY_SHARD_KEYS = 65_536;

interface Shard {
  /** The lowest key it may hold ('' for the first shard); the next shard's first is above its keys. */
  readonly first: string;
  /** Its object, while it is as stored. */
  readonly entry?: KeyShardEntry;
  /** Its keys, once read or changed. */
  readonly keys?: KeyShard;
}

export class SnapshotKeys {
  private shards: Shard[];

  constructor(entries: readonly KeyShardEntry[] | undefined, private readonly store: SnapshotStore, private readonly maxKeys = KEY_SHARD_KEYS) {
    this.shards = entries?.length ? entries.map((entry) => ({ first: entry.first, entry })) : [{ first: '', keys: KeyShard.empty() }];
  }

  /**
   * Puts each of `keys` (distinct) in the month `months` gives it; returns, per key, the month it was in before
   * (-1: a key not seen yet).
   */
  async move(keys: readonly string[], months: ArrayLike<number>): Promise<Int32Array> {
    const sorted = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
    const before = new Int32Array(keys.length).fill(-1);
    const next: Shard[] = [];
    let at = 0;
    for (const [s, shard] of this.shards.entries()) {
      const bound = this.shards[s + 1]?.first;
      let end = at;
      while (end < sorted.length && (bound === undefined || keys[sorted[end]!]! < bound)) end++;
      if (end === at) {
        next.push(shard);
        continue;
      }
      const group = sorted.slice(at, end);
      at = end;
      const stored = shard.keys ?? KeyShard.decode(await this.store.readBytes(shard.entry!.key));
      const { shard: updated, before: was } = stored.upsert(group.map((i) => keys[i]!), group.map((i) => months[i]!));
      let moved = false;
      group.forEach((i, g) => {
        before[i] = was[g]!;
        if (was[g] !== months[i]) moved = true;
      });
      // Keys met again in the month they were in change nothing: the stored shard stays as it is.
      if (!moved) next.push({ ...shard, keys: stored });
      else updated.split(this.maxKeys).forEach((keys, k) => next.push({ first: k === 0 ? shard.first : keys.keyAt(0), keys }));
    }
    this.shards = next;
    return before;
  }

  /** Writes the shards that changed, each under the key `objectKey` gives (`written` lists them); the index's entries. */
  async save(objectKey: (n: number) => string, written: string[]): Promise<KeyShardEntry[]> {
    let n = 0;
    const entries: KeyShardEntry[] = [];
    for (const shard of this.shards) {
      if (shard.entry) {
        entries.push(shard.entry);
        continue;
      }
      const key = objectKey(n++);
      const bytes = shard.keys!.encode();
      written.push(key);
      await this.store.putBytes(key, bytes);
      entries.push({ first: shard.first, key, keys: shard.keys!.size, bytes: bytes.byteLength });
    }
    return entries;
  }
}
