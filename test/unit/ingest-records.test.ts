/**
 * The pieces of ingest that must be exact however fast they are: the compact id set of the uniqueness check
 * (a reported duplicate is always a real one) and the JSON-lines encoder of the stored records (the same
 * JSON as `JSON.stringify`, through gzip, as the KPI step reads it).
 */
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactIdSet } from '../../lambdas/domain/validation/id-set.ts';
import { JsonLinesGzipWriter, RecordLinesEncoder, readRecordLines, recordLine } from '../../lambdas/adapters/record-lines.ts';
import { RECORD_FIELDS, type AnyRecord, type DatasetRecords } from '../../lambdas/domain/datasets/records.ts';
import { DATASET_NAMES, type DatasetName } from '../../lambdas/domain/layout.ts';

describe('CompactIdSet', () => {
  it('answers exactly like a Set, with the row an id was first seen on', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('', 'a', 'A', 'é', '€', '😀')), { maxLength: 400 }), (ids) => {
      const compact = new CompactIdSet();
      const first = new Map<string, number>();
      ids.forEach((id, i) => {
        const row = i + 2;
        const expected = first.get(id) ?? 0;
        expect(compact.add(id, row)).toBe(expected);
        if (!first.has(id)) first.set(id, row);
      });
      expect(compact.size).toBe(first.size);
    }), { numRuns: 300 });
  });

  it('answers exactly like a Set for decimal ids kept as numbers, beside look-alikes kept as text', () => {
    const digits = fc.stringMatching(/^[0-9]{1,17}$/);
    const lookAlike = fc.oneof(digits.map((d) => `${d} `), digits.map((d) => `+${d}`), digits.map((d) => `${d}.0`), digits.map((d) => `0${d}`));
    fc.assert(fc.property(fc.array(fc.oneof(digits, lookAlike, fc.constantFrom('0', '00', '007', '7', '9007199254740993')), { maxLength: 400 }), (ids) => {
      const compact = new CompactIdSet();
      const first = new Map<string, number>();
      ids.forEach((id, i) => {
        expect(compact.add(id, i + 2)).toBe(first.get(id) ?? 0);
        if (!first.has(id)) first.set(id, i + 2);
      });
      expect(compact.size).toBe(first.size);
    }), { numRuns: 300 });
  });

  it('is empty after release, gives its storage back, and works as new', () => {
    const set = new CompactIdSet();
    for (let i = 0; i < 100_000; i++) set.add(i % 2 ? String(i) : `id-${i}`, i + 2);
    set.add('x'.repeat(5000), 9);
    const grown = set.bytes;
    set.release();
    expect(set.size).toBe(0);
    expect(set.bytes).toBeLessThan(grown / 50);
    expect(set.add('id-0', 3)).toBe(0);
    expect(set.add('1', 4)).toBe(0);
    expect(set.add('x'.repeat(5000), 5)).toBe(0);
    expect(set.add('id-0', 6)).toBe(3);
    expect(set.add('1', 7)).toBe(4);
    expect(set.size).toBe(3);
  });

  it('never takes different ids for the same one, whatever their hashes', () => {
    // 200,000 short, similar ids: probes run through slots of other ids all the time.
    const set = new CompactIdSet();
    const n = 200_000;
    let wrong = 0;
    for (let i = 0; i < n; i++) if (set.add(i.toString(36), i + 1) !== 0) wrong++;
    for (let i = 0; i < n; i += 7) if (set.add(i.toString(36), 0) !== i + 1) wrong++;
    expect(wrong).toBe(0);
    expect(set.add('not there', 1)).toBe(0);
  });

  it('stays exact and fast for decimal ids that crowd together (same low bits, leading zeros, 15 digits)', () => {
    // Decimal ids are placed by their value: ids 2^32 apart share a hash, multiples of 2^20 share low bits.
    const set = new CompactIdSet();
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) ids.push(String(i * 2 ** 20), String(i + 2 ** 32), String(i), `0${i}`, String(999_999_999_999_990 - i));
    const first = new Map<string, number>();
    let wrong = 0;
    ids.forEach((id, i) => {
      if (set.add(id, i + 2) !== (first.get(id) ?? 0)) wrong++;
      if (!first.has(id)) first.set(id, i + 2);
    });
    for (let i = 0; i < ids.length; i += 13) if (set.add(ids[i]!, 1) !== first.get(ids[i]!)) wrong++;
    expect(wrong).toBe(0);
    expect(set.size).toBe(first.size);
  });

  it('keeps ids of any length and alphabet, including ones longer than a page of its store', () => {
    const set = new CompactIdSet();
    const long = 'x'.repeat(5000);
    const huge = 'é'.repeat(600_000);
    expect(set.add(long, 2)).toBe(0);
    expect(set.add(huge, 3)).toBe(0);
    expect(set.add('ÿ', 4)).toBe(0); // 0xFF: the escape byte of the store's encoding
    expect(set.add('\u0100', 5)).toBe(0);
    expect(set.add(long, 6)).toBe(2);
    expect(set.add(huge, 7)).toBe(3);
    expect(set.add('ÿ', 8)).toBe(4);
    expect(set.add('\u0100', 9)).toBe(5);
  });

  it('holds a million ids in a few tens of megabytes', () => {
    const set = new CompactIdSet();
    for (let i = 0; i < 1_000_000; i++) set.add(String(1_000_000 + i), i + 2);
    expect(set.size).toBe(1_000_000);
    expect(set.bytes).toBeLessThan(40 * 2 ** 20); // a Set<string> of these takes ~75 MB of heap
  });
});

const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u2028', 'é', '😀', '\ud800', '\udc00'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const RECORDS: { [N in DatasetName]: fc.Arbitrary<DatasetRecords[N]> } = {
  leads: fc.record({ lead_id: text, created_at: text, source: text, campaign: opt(text), mql_at: opt(text), sql_at: opt(text), sql_status: opt(fc.constantFrom('accepted', 'rejected', 'pending' as const)), customer_at: opt(text), marketing_sourced: fc.boolean() }, { requiredKeys: ['lead_id', 'created_at', 'source', 'marketing_sourced'] }),
  opportunities: fc.record({ opportunity_id: text, created_at: text, status: fc.constantFrom('open', 'won', 'lost' as const), closed_at: opt(text), amount_minor: fc.maxSafeNat(), source: opt(text), lead_id: opt(text), marketing_sourced: fc.boolean() }, { requiredKeys: ['opportunity_id', 'created_at', 'status', 'amount_minor', 'marketing_sourced'] }),
  spend: fc.record({ date: text, amount_minor: fc.maxSafeNat(), channel: text, campaign: text, category: fc.constantFrom('marketing', 'sales' as const) }),
  customers: fc.record({ customer_id: text, started_at: text, churned_at: opt(text), mrr_minor: opt(fc.maxSafeNat()), marketing_sourced: opt(fc.boolean()) }, { requiredKeys: ['customer_id', 'started_at'] }),
  web_traffic: fc.record({ date: text, channel: text, sessions: fc.nat(), engaged_sessions: opt(fc.nat()), bounce_rate: opt(fc.double({ min: 0, max: 1, noNaN: true })), conversions: opt(fc.nat()) }, { requiredKeys: ['date', 'channel', 'sessions'] }),
};

describe('the stored records format', () => {
  it.each(DATASET_NAMES)('%s: each line is the JSON of the record, with the same bytes as JSON.stringify up to key order', (dataset) => {
    const line = recordLine(dataset);
    fc.assert(fc.property(RECORDS[dataset] as fc.Arbitrary<AnyRecord>, (record) => {
      const ours = line(record as never);
      expect(JSON.parse(ours)).toEqual(JSON.parse(JSON.stringify(record)));
      expect(Buffer.byteLength(ours)).toBe(Buffer.byteLength(JSON.stringify(record)));
      expect(ours).not.toContain('\n');
    }), { numRuns: 400 });
  });

  it('writes fields in the order of RECORD_FIELDS and leaves absent ones out', () => {
    const line = recordLine('leads');
    expect(line({ marketing_sourced: true, source: 'Web', created_at: '2026-10-01', lead_id: 'L1', campaign: undefined } as never))
      .toBe('{"lead_id":"L1","created_at":"2026-10-01","source":"Web","marketing_sourced":true}');
    expect(RECORD_FIELDS.leads[0]).toBe('lead_id');
  });

  it('encodes a record longer than its buffer', () => {
    const enc = new RecordLinesEncoder('spend');
    const campaign = '"'.repeat(300_000);
    enc.write({ date: '2026-10-01', amount_minor: 1, channel: 'x', campaign, category: 'marketing' } as never);
    expect(JSON.parse(enc.take().toString('utf8'))).toMatchObject({ campaign });
  });

  it('JsonLinesGzipWriter: gzip JSON lines, one per record, in order, across many batches', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = new JsonLinesGzipWriter(out, 'web_traffic');
    const n = 30_000;
    for (let i = 0; i < n; i++) await writer.write({ date: '2026-10-01', channel: `c${i}`, sessions: i } as never);
    await writer.close();
    const lines = gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).sessions)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('readRecordLines reads back what JsonLinesGzipWriter wrote; an empty file is a valid gzip with no records', async () => {
    const spend = [
      { date: '2026-10-01', amount_minor: 1, channel: 'Paid Search', campaign: 'é "q4"', category: 'marketing' },
      { date: '2026-10', amount_minor: 250_000, channel: 'Outbound', campaign: '', category: 'sales' },
    ];
    for (const records of [spend, []]) {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const writer = new JsonLinesGzipWriter(out, 'spend');
      for (const r of records) await writer.write(r as never);
      await writer.close();
      const bytes = Buffer.concat(chunks);
      expect(gunzipSync(bytes).toString('utf8')).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      const back: unknown[] = [];
      for await (const r of readRecordLines(Readable.from([bytes]))) back.push(r);
      expect(back).toEqual(records);
    }
  });

  it('readRecordLines fails on bytes that are not gzip, instead of reading nothing', async () => {
    const read = async () => { for await (const r of readRecordLines(Readable.from([Buffer.from('{"date":"2026-10-01"}\n')]))) void r; };
    await expect(read()).rejects.toThrow(/header/);
  });
});
