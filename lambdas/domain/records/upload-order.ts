/**
 * The order in which a dataset's uploads apply (a later upload's record replaces an earlier one with the same
 * key): total, and the same on every run, whatever order the events were delivered in.
 *
 * - Uploads of the same S3 key are ordered by the S3 event's `sequencer`: S3 makes it grow with every write of
 *   a key, so the later write wins whatever the clocks say (two writes within one second, an event delivered
 *   late). Sequencers are hex strings of varying length: compared after left-padding to equal length.
 * - Uploads of different keys are ordered by upload time (the event's time, to the millisecond).
 * - Ties (no sequencer, the same time) fall to the key's UTF-8 bytes, then the upload id: never left to chance.
 *
 * The first rule wins over the second: a key's uploads keep the slots the time order gives that key, and fill
 * them in sequencer order.
 */

/** What the order reads of an upload. */
export interface OrderedUpload {
  readonly key: string;
  readonly uploadedAt: string;
  readonly uploadId: string;
  readonly sequencer?: string;
}

/** Compares two S3 sequencers (hex, any length): negative when `a` was written first. */
export function compareSequencers(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  const pa = a.toUpperCase().padStart(n, '0');
  const pb = b.toUpperCase().padStart(n, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

const compareBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Time, then key, then upload id: the order of uploads of different keys. */
function byTime(a: OrderedUpload, b: OrderedUpload): number {
  if (a.uploadedAt !== b.uploadedAt) return a.uploadedAt < b.uploadedAt ? -1 : 1;
  return compareBytes(a.key, b.key) || compareBytes(a.uploadId, b.uploadId);
}

/** Sequencer when both have one, else as `byTime`: the order of writes of one key. */
function byWrite(a: OrderedUpload, b: OrderedUpload): number {
  if (a.sequencer && b.sequencer) {
    const c = compareSequencers(a.sequencer, b.sequencer);
    if (c !== 0) return c;
  }
  return byTime(a, b);
}

/** The uploads in the order their records apply in (a new array). */
export function orderUploads<U extends OrderedUpload>(uploads: readonly U[]): U[] {
  const timeOrder = [...uploads].sort(byTime);
  const slotsOfKey = new Map<string, number[]>();
  timeOrder.forEach((u, i) => {
    const slots = slotsOfKey.get(u.key);
    if (slots) slots.push(i);
    else slotsOfKey.set(u.key, [i]);
  });
  const out = [...timeOrder];
  for (const slots of slotsOfKey.values()) {
    if (slots.length < 2) continue;
    const writes = slots.map((i) => timeOrder[i]!).sort(byWrite);
    slots.forEach((slot, j) => { out[slot] = writes[j]!; });
  }
  return out;
}
