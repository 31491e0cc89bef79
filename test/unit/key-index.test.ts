/**
 * The snapshots' key index (domain/records/key-index.ts, use-cases/snapshot-keys.ts): shards by key range, exact
 * for any string, read only where the keys being folded in fall.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { memorySnapshots } from '../../lambdas/adapters/snapshot-blobs.ts';
import { KeyShard, shardOf } from '../../lambdas/domain/records/key-index.ts';
import type { KeyShardEntry } from '../../lambdas/domain/records/snapshot.ts';
import { SnapshotKeys } from '../../lambdas/use-cases/snapshot-keys.ts';

/** Keys whose string order and UTF-8 byte order disagree (a surrogate pair against U+E000–U+FFFF), lone surrogates, prefixes. */
const key = fc.array(fc.constantFrom('a', 'b', 'Z', '0', '9', '\uE000', '\uFFFD', '\u{1F600}', '\uD800', '\uDC00', 'é', 'é'), { minLength: 0, maxLength: 4 })
  .map((cs) => cs.join(''));
const batch = fc.uniqueArray(fc.tuple(key, fc.integer({ min: 0, max: 40 })), { selector: ([k]) => k, maxLength: 30 });

/** Reads of key shard objects, counted on the blobs under the store. */
function counted(): { store: ReturnType<typeof memorySnapshots>['store']; reads: () => number } {
  const s = memorySnapshots();
  const read = vi.spyOn(s.blobs, 'read');
  return { store: s.store, reads: () => new Set(read.mock.calls.map(([k]) => k)).size };
}

describe('the key index', () => {
  it('says where each key was before, like a Map, over random batches, shard sizes and save/reload', async () => {
    await fc.assert(fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), fc.constantFrom(1, 2, 3, 7, 65_536), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      async (batches, max, reload) => {
        const { store } = memorySnapshots();
        const model = new Map<string, number>();
        let entries: KeyShardEntry[] | undefined;
        let index = new SnapshotKeys(entries, store, max);
        for (const [b, moves] of batches.entries()) {
          const before = await index.move(moves.map(([k]) => k), moves.map(([, m]) => m));
          expect([...before]).toEqual(moves.map(([k]) => model.get(k) ?? -1));
          for (const [k, m] of moves) model.set(k, m);
          if (reload[b]) {
            entries = await index.save((n) => `keys/${b}-${n}.bin`, []);
            index = new SnapshotKeys(entries, store, max);
            // The shards are in key order, each holding its range only, none over the size limit (or it would have split).
            const firsts = entries.map((e) => e.first);
            expect(firsts[0]).toBe('');
            expect([...firsts].sort()).toEqual(firsts);
            expect(new Set(firsts).size).toBe(firsts.length);
            let keys = 0;
            for (const [i, e] of entries.entries()) {
              const shard = KeyShard.decode(await store.readBytes(e.key));
              expect(shard.size).toBe(e.keys);
              for (let j = 0; j < shard.size; j++) expect(shardOf(firsts, shard.keyAt(j))).toBe(i);
              keys += shard.size;
            }
            expect(keys).toBe(model.size);
          }
        }
      }), { numRuns: 300 });
  });

  it('reads back what it stored: keys sharing long prefixes, any code unit', () => {
    const long = fc.array(fc.constantFrom('a', 'b', '0', '\u0080', '\u07FF', '\u0800', '\uD800', '\uFFFF'), { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(fc.property(fc.uniqueArray(long, { maxLength: 60 }), (keys) => {
      const sorted = [...keys].sort();
      const { shard } = KeyShard.empty().upsert(sorted, sorted.map((_, i) => i));
      const back = KeyShard.decode(shard.encode());
      expect(Array.from({ length: back.size }, (_, i) => [back.keyAt(i), back.monthAt(i)])).toEqual(sorted.map((k, i) => [k, i]));
    }), { numRuns: 500 });
  });

  it('stores any string exactly, and refuses a damaged shard', () => {
    const keys = ['', 'a', '\uD800', '\uD800\uDC00', '\uE000', 'x'.repeat(10_000)].sort();
    const { shard } = KeyShard.empty().upsert(keys, keys.map((_, i) => i * 1000));
    const back = KeyShard.decode(shard.encode());
    expect(Array.from({ length: back.size }, (_, i) => [back.keyAt(i), back.monthAt(i)])).toEqual(keys.map((k, i) => [k, i * 1000]));
    expect(() => KeyShard.decode(shard.encode().subarray(0, 20))).toThrow(/cut short or damaged/);
    // One byte a code unit while every key allows it, in memory and read back; two from the first key that needs it.
    const ids = ['L001', 'L002', 'Zoë'];
    const narrow = KeyShard.empty().upsert(ids, [1, 2, 3]).shard;
    expect([narrow.unitBytes, KeyShard.decode(narrow.encode()).unitBytes]).toEqual([1, 1]);
    const wide = narrow.upsert(['Ł003'], [4]).shard;
    expect([wide.unitBytes, KeyShard.decode(wide.encode()).unitBytes]).toEqual([2, 2]);
    expect(Array.from({ length: wide.size }, (_, i) => wide.keyAt(i))).toEqual(['L001', 'L002', 'Zoë', 'Ł003']);
    expect([shard.unitBytes, back.unitBytes]).toEqual([2, 2]);
    expect(() => KeyShard.empty().upsert(['b', 'a'], [1, 2])).toThrow(/distinct and in order/);
    // Damaged bytes are refused (or read as some other shard), never a crash or a hang.
    const stored = shard.encode();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.nat({ max: 255 }), (noise, at, b) => {
      const flipped = Uint8Array.from(stored);
      flipped[at % stored.length] = b;
      for (const bytes of [noise, flipped]) {
        try {
          KeyShard.decode(bytes);
        } catch (e) {
          expect((e as Error).message).toMatch(/key shard/);
        }
      }
    }), { numRuns: 500 });
  });

  it('reads one shard for an upload of new, growing ids, and one for corrections of a run of older ids', async () => {
    const { store, reads } = counted();
    const id = (n: number): string => `L${String(n).padStart(8, '0')}`;
    const build = new SnapshotKeys(undefined, store, 64);
    const old = Array.from({ length: 5_000 }, (_, i) => id(i));
    await build.move(old, old.map((_, i) => 24_000 + Math.floor(i / 500)));
    const entries = await build.save((n) => `keys/${n}.bin`, []);
    expect(entries.length).toBeGreaterThan(100);

    const fresh = new SnapshotKeys(entries, store, 64);
    const newIds = Array.from({ length: 30 }, (_, i) => id(5_000 + i));
    expect([...(await fresh.move(newIds, newIds.map(() => 24_010)))].every((m) => m === -1)).toBe(true);
    expect(reads()).toBe(1);

    const corrected = Array.from({ length: 20 }, (_, i) => id(1_200 + i));
    expect([...(await fresh.move(corrected, corrected.map(() => 24_009)))]).toEqual(corrected.map(() => 24_002));
    expect(reads()).toBeLessThanOrEqual(2 + 1);
    // Only the shards that changed are written again.
    const written: string[] = [];
    const after = await fresh.save((n) => `keys/after-${n}.bin`, written);
    expect(written.length).toBeLessThanOrEqual(3);
    expect(after.filter((e) => !written.includes(e.key)).length).toBe(after.length - written.length);
  });

  it('rewrites nothing when the keys met again stay in their months', async () => {
    const { store } = memorySnapshots();
    const build = new SnapshotKeys(undefined, store, 4);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    await build.move(keys, keys.map(() => 7));
    const entries = await build.save((n) => `k/${n}`, []);
    const again = new SnapshotKeys(entries, store, 4);
    expect([...(await again.move(['c', 'h'], [7, 7]))]).toEqual([7, 7]);
    const written: string[] = [];
    expect(await again.save((n) => `k2/${n}`, written)).toEqual(entries);
    expect(written).toEqual([]);
  });
});
