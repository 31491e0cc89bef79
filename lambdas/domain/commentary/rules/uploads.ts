/**
 * Rules `uploads`, `rejected-uploads` and `unreadable-uploads`: which uploads the numbers came from (per dataset,
 * how many and the latest), which were rejected and are not counted, and which accepted ones could not be read.
 */
import { DATASET_NAMES } from '../../layout.ts';
import { formatCount } from '../../scorecard/format.ts';
import { DATASET_WORDS, fileName, list } from '../phrases.ts';
import type { CommentaryContext, Sentence } from '../types.ts';

const capital = (s: string): string => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

export function uploads(ctx: CommentaryContext): Sentence[] {
  const summary = ctx.summary;
  if (!summary) return [];
  return DATASET_NAMES.map((d): Sentence => {
    const ups = summary.uploads[d] ?? [];
    const latest = ups[ups.length - 1];
    const word = capital(DATASET_WORDS[d] ?? d);
    const text = latest
      ? `${word}: ${ups.length} upload${ups.length === 1 ? '' : 's'}, latest ${fileName(latest.key)} (${latest.uploadedAt.slice(0, 10)}, ${formatCount(latest.rows)} rows).`
      : `${word}: no accepted upload.`;
    return { rule: 'uploads', text };
  });
}

/** Rejected uploads listed by name, up to this many. */
const LISTED = 5;

export function rejectedUploads(ctx: CommentaryContext): Sentence[] {
  const rejected = ctx.summary?.rejected ?? [];
  if (rejected.length === 0) return [];
  const named = rejected.slice(-LISTED).map((r) => `${fileName(r.key)} (${DATASET_WORDS[r.dataset] ?? r.dataset}, ${formatCount(r.errors)} error${r.errors === 1 ? '' : 's'})`);
  const more = rejected.length - named.length;
  const n = rejected.length;
  const text = `${n} upload${n === 1 ? ' was' : 's were'} rejected and ${n === 1 ? 'is' : 'are'} not counted: ${list(more > 0 ? [...named, `${more} more`] : named)}.`;
  return [{ rule: 'rejected-uploads', text, tone: 'bad' }];
}

/**
 * Accepted uploads whose stored records were missing when the KPIs were computed (deleted by hand): the numbers
 * leave them out, which the reader must know; uploading the file again restores them.
 */
export function unreadableUploads(ctx: CommentaryContext): Sentence[] {
  const unreadable = ctx.summary?.unreadableUploads ?? [];
  if (unreadable.length === 0) return [];
  const named = unreadable.slice(0, LISTED).map((u) => `${fileName(u.key)} (${DATASET_WORDS[u.dataset] ?? u.dataset})`);
  const more = unreadable.length - named.length;
  const n = unreadable.length;
  const text = `${n} accepted upload${n === 1 ? '' : 's'} could not be read and ${n === 1 ? 'is' : 'are'} left out of these numbers ` +
    `(stored records missing): ${list(more > 0 ? [...named, `${more} more`] : named)}. Upload ${n === 1 ? 'it' : 'them'} again to count ${n === 1 ? 'it' : 'them'}.`;
  return [{ rule: 'unreadable-uploads', text, tone: 'bad' }];
}
