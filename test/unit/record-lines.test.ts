/**
 * The JSON-lines encoder of the stored records writes, byte for byte, `JSON.stringify(record) + '\n'` with the
 * keys in `RECORD_FIELDS` order, whatever the values: its fast paths (printable ASCII, enum constants, booleans,
 * integers) must give way to exact escaping for anything else, including values of the wrong type or shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordLinesEncoder } from '../../lambdas/adapters/record-lines.ts';
import { RECORD_FIELDS, type AnyRecord } from '../../lambdas/domain/datasets/records.ts';
import { DATASET_NAMES, type DatasetName } from '../../lambdas/domain/layout.ts';

/** What the encoder must write for a record: JSON.stringify of its fields in RECORD_FIELDS order. */
function expectedLine(dataset: DatasetName, record: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const name of RECORD_FIELDS[dataset] as readonly string[]) if (name in record) ordered[name] = record[name];
  return `${JSON.stringify(ordered)}\n`;
}

/** Compares bytes (a readable diff of the text when they differ; `toEqual` on big Buffers is slow). */
function expectBytes(got: Buffer, want: string): void {
  const same = got.equals(Buffer.from(want, 'utf8'));
  if (!same) expect(got.toString('utf8')).toBe(want);
  expect(same).toBe(true);
}

const awkward = fc.constantFrom(
  '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f', '\u0080', '\u2028', 'é', 'Ł', '€', '😀',
  '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '/', ' ',
);
/** Text of any kind: mostly plain, with quotes, backslashes, control characters, non-ASCII, emoji, lone surrogates. */
const text = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: fc.oneof(awkward, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', ':', 'T'), maxLength: 24 }),
);
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
/** Date-like text as the stores hold it, and the same with something JSON must escape (`2026-01-01"x`). */
const dateLike = fc.oneof(
  date.map((iso) => iso.slice(0, 10)),
  date.map((iso) => iso.slice(0, 19)),
  date.map((iso) => `${iso.slice(0, 19)}Z`),
  date.map((iso) => iso.slice(0, 7)),
  fc.tuple(date, awkward, fc.nat(19)).map(([iso, bad, at]) => `${iso.slice(0, at)}${bad}${iso.slice(at, 19)}`),
);
const enumLike = fc.constantFrom(
  'accepted', 'rejected', 'pending', 'open', 'won', 'lost', 'marketing', 'sales',
  'Accepted', 'accepted"', 'won\n', 'sales\\', 'marketingé', '',
);
const number = fc.oneof(
  fc.nat(), fc.maxSafeNat(), fc.integer({ min: -1e9, max: 1e9 }), fc.double(),
  fc.constantFrom(
    -0, 0.5, -1, 1e-7, 1e21, 9.999999999999999e20, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 64 - 2 ** 12, 123456789012345680000,
    Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity,
  ),
);
/** Any value a field could hold, of its own type or not (the general path must match JSON.stringify too). */
const value = fc.oneof(
  { weight: 4, arbitrary: text }, { weight: 3, arbitrary: dateLike }, { weight: 2, arbitrary: enumLike },
  { weight: 2, arbitrary: number }, { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, [1, 'a"'], { x: 'é' }) },
);

const ABSENT: unique symbol = Symbol('absent');
/** A record of `dataset`: every field absent, undefined or set, the set ones in a random insertion order. */
const record = (dataset: DatasetName): fc.Arbitrary<Record<string, unknown>> => {
  const names = RECORD_FIELDS[dataset] as readonly string[];
  const field = fc.oneof(
    { weight: 1, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 6, arbitrary: value },
  );
  return fc.tuple(
    fc.array(field, { minLength: names.length, maxLength: names.length }),
    fc.shuffledSubarray([...names], { minLength: names.length, maxLength: names.length }),
  ).map(([values, order]) => {
    const r: Record<string, unknown> = {};
    for (const name of order) {
      const v = values[names.indexOf(name)];
      if (v !== ABSENT) r[name] = v;
    }
    return r;
  });
};

describe('RecordLinesEncoder', () => {
  it.each(DATASET_NAMES)('%s: writes the bytes of JSON.stringify with keys in RECORD_FIELDS order', (dataset) => {
    fc.assert(fc.property(fc.array(record(dataset), { minLength: 1, maxLength: 8 }), fc.nat(7), (records, takeAfter) => {
      const enc = new RecordLinesEncoder(dataset);
      const chunks: Buffer[] = [];
      records.forEach((r, i) => {
        enc.write(r as unknown as AnyRecord);
        if (i === takeAfter) chunks.push(enc.take());
      });
      const pending = enc.pending;
      const last = enc.take();
      expect(last.length).toBe(pending);
      chunks.push(last);
      const want = records.map((r) => expectedLine(dataset, r)).join('');
      expectBytes(Buffer.concat(chunks), want);
    }), { numRuns: 1500 });
  });

  it('writes well-formed records of every dataset exactly (the fast paths)', () => {
    const samples: Record<DatasetName, Record<string, unknown>> = {
      leads: { lead_id: '100002', created_at: '2026-06-11T12:22:00', source: 'Outbound', campaign: 'brand "always on"', mql_at: '2026-06-12', sql_at: '2026-06-14', sql_status: 'rejected', customer_at: '2026-07-01T09:00:00Z', marketing_sourced: false },
      opportunities: { opportunity_id: 'D-1', created_at: '2026-01-02', status: 'won', closed_at: '2026-03-04', amount_minor: 1234567, source: 'Zoë\'s list', lead_id: 'L1', marketing_sourced: true },
      spend: { date: '2026-10', amount_minor: 0, channel: 'Paid Social', campaign: '', category: 'sales' },
      customers: { customer_id: 'C\\1', started_at: '2025-12-31', churned_at: undefined, mrr_minor: Number.MAX_SAFE_INTEGER, marketing_sourced: true },
      web_traffic: { date: '2026-10-01', channel: 'all', sessions: 10, engaged_sessions: 7, bounce_rate: 0.30000000000000004, conversions: 1 },
    };
    for (const dataset of DATASET_NAMES) {
      const enc = new RecordLinesEncoder(dataset);
      enc.write(samples[dataset] as unknown as AnyRecord);
      expect(enc.take().toString('utf8')).toBe(expectedLine(dataset, samples[dataset]));
    }
  });

  it('grows its buffer in the middle of a record and keeps what it wrote', () => {
    const enc = new RecordLinesEncoder('leads');
    const records = [
      { lead_id: 'a', created_at: '2026-01-01', source: 'x', marketing_sourced: true },
      { lead_id: 'é'.repeat(100_000), created_at: '"'.repeat(70_000), source: '😀'.repeat(50_000), campaign: '\u0001'.repeat(60_000), marketing_sourced: false },
      { lead_id: 'b', created_at: '2026-01-02', source: 'y', sql_status: 'pending', marketing_sourced: true },
    ];
    for (const r of records) enc.write(r as unknown as AnyRecord);
    expect(enc.take().toString('utf8')).toBe(records.map((r) => expectedLine('leads', r)).join(''));
  });

  it('stays exact across many buffer growths, at record starts and in the middle of values', () => {
    // Values of 0..900 characters (up to 5,400 bytes escaped) put every kind of write near a buffer's end.
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const pieces = ['a', 'é', '"', '\\', '\n', '😀', '\ud800', '2026-01-01'];
    const enc = new RecordLinesEncoder('web_traffic');
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 3000; i++) {
      let channel = '';
      for (let n = random(900); channel.length < n;) channel += pieces[random(pieces.length)]!;
      const r = { date: '2026-10-01', channel, sessions: random(1e6), bounce_rate: -0.0000012345678901234567, conversions: 2 ** 53 - 1 };
      records.push(r);
      enc.write(r as unknown as AnyRecord);
    }
    expectBytes(enc.take(), records.map((r) => expectedLine('web_traffic', r)).join(''));
  });

  it('keeps room for escaped text and the fields after it wherever a buffer ends', () => {
    // Filler lines (500 bytes, short enough not to make the encoder grow its buffer) bring the start of a
    // record towards the end of the first buffer (256 KiB); that record's channel escapes to 6,000 bytes (6 a
    // character, the most there is) and its numbers are the longest there are, so its text and the fields
    // after it end at every distance from the buffer's end.
    const fillerLine = (bytes: number) => ({ date: '2026-10-01', channel: 'a'.repeat(bytes - 48), sessions: 1 });
    for (let start = 2 ** 18 - 6400; start <= 2 ** 18 - 4096; start += 7) {
      const enc = new RecordLinesEncoder('web_traffic');
      const fillers = Math.floor((start - 48) / 500);
      const records = [
        ...Array.from({ length: fillers }, () => fillerLine(500)),
        fillerLine(start - 500 * fillers),
        { date: '2026-10-02', channel: '\u0001'.repeat(1000), sessions: 2 ** 53 - 1, engaged_sessions: 2 ** 53 - 1,
          bounce_rate: -0.0000012345678901234567, conversions: 2 ** 53 - 1 },
      ];
      for (const r of records) enc.write(r as unknown as AnyRecord);
      const want = records.map((r) => expectedLine('web_traffic', r)).join('');
      expect(Buffer.byteLength(want) - Buffer.byteLength(expectedLine('web_traffic', records.at(-1)!))).toBe(start);
      expectBytes(enc.take(), want);
    }
  });

  it('writes an empty record as {}', () => {
    const enc = new RecordLinesEncoder('spend');
    enc.write({} as AnyRecord);
    enc.write({ date: undefined } as unknown as AnyRecord);
    expect(enc.take().toString('utf8')).toBe('{}\n{}\n');
  });
});
