/**
 * The order uploads apply in (`orderUploads`): the later write of a key wins by sequencer, uploads of different
 * keys go by time, and the order is total: the same for any order the events were delivered in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSequencers, orderUploads, type OrderedUpload } from '../../lambdas/domain/records/upload-order.ts';

describe('compareSequencers', () => {
  it('compares hex of different lengths as numbers', () => {
    expect(compareSequencers('0A', 'A')).toBe(0);
    expect(compareSequencers('FF', '100')).toBeLessThan(0);
    expect(compareSequencers('0061C5A2B3D4E5F602', '61C5A2B3D4E5F601')).toBeGreaterThan(0);
    expect(compareSequencers('abc', 'ABD')).toBeLessThan(0);
  });
});

/** Writes to a few keys, each with a sequencer that grows per write (S3's), and an event time with clock jitter. */
const history = fc.array(
  fc.record({ key: fc.constantFrom('a.csv', 'b.csv', 'sub/a.csv', 'é.csv'), jitterMs: fc.integer({ min: -2500, max: 2500 }) }),
  { minLength: 1, maxLength: 12 },
).map((writes) => writes.map((w, i): OrderedUpload & { seq: number } => ({
  key: `incoming/leads/${w.key}`,
  uploadedAt: new Date(Date.UTC(2026, 10, 1, 10) + i * 700 + w.jitterMs).toISOString(),
  uploadId: `u${String(i).padStart(2, '0')}`,
  seq: i,
})));

describe('orderUploads', () => {
  it('property: the same order whatever the delivery order, and one key\'s writes in sequencer order', () => {
    fc.assert(fc.property(history, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (writes, randoms) => {
      // S3's sequencer grows with every write; its hex length varies (here 6 or 8 digits, left-padded).
      const uploads = writes.map((w) => ({ ...w, sequencer: w.seq.toString(16).padStart(w.seq % 2 ? 8 : 6, '0') }));
      const shuffled = [...uploads].sort(() => randoms.next().value! - 0.5);
      const ordered = orderUploads(shuffled);
      expect(ordered.map((u) => u.uploadId)).toEqual(orderUploads(uploads).map((u) => u.uploadId));
      expect(ordered).toHaveLength(uploads.length);
      for (const key of new Set(uploads.map((u) => u.key))) {
        const seqs = ordered.filter((u) => u.key === key).map((u) => u.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    }), { numRuns: 500 });
  });

  it('uploads of different keys go by time; ties by key bytes then id', () => {
    const t = '2026-11-01T10:00:00.000Z';
    const ordered = orderUploads([
      { key: 'b', uploadedAt: t, uploadId: 'u2' }, { key: 'a', uploadedAt: '2026-11-01T10:00:00.001Z', uploadId: 'u1' },
      { key: 'Ａ', uploadedAt: t, uploadId: 'u3' }, { key: '😀', uploadedAt: t, uploadId: 'u4' }, { key: 'b', uploadedAt: t, uploadId: 'u0' },
    ]);
    expect(ordered.map((u) => u.uploadId)).toEqual(['u0', 'u2', 'u3', 'u4', 'u1']);
  });
});
