/** Hashing shared by the typed-array sets and indexes (validation/id-set.ts, records/key-index.ts). */

/** The murmur3 finalizer: spreads similar 32-bit hashes over a table. */
export function mix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
