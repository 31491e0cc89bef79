/**
 * Rule `data-note`: every KPI that could not be computed says why, on its card ("Not available: no spend export
 * covers 2026-10.") and in the data notes, where it also names the uploads its inputs came from.
 */
import { DATASET_WORDS, fileName, list } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

const reasonOf = (f: KpiFacts): string => f.stored?.reason ?? (f.stored ? 'not computed for this period' : 'the KPI step stored no value for this period');

/** The sentence on the KPI's card. */
export function dataNote(f: KpiFacts, _ctx: CommentaryContext): Sentence[] {
  if (f.value !== null) return [];
  return [{ rule: 'data-note', kpiId: f.def.id, text: `Not available: ${reasonOf(f)}.` }];
}

/** "leads (14 uploads, latest 2026-10 leads.csv)" or "spend (no upload)", per input dataset of the KPI. */
function inputsPhrase(f: KpiFacts, ctx: CommentaryContext): string {
  const used = new Set(f.stored?.uploads ?? []);
  // Besides its declared inputs, a KPI counting new customers reads customers or leads: name whichever it used.
  const extra = f.def.usesNewCustomers
    ? (['customers', 'leads'] as const).filter((d) => !f.def.inputs.includes(d) && (ctx.summary?.uploads[d] ?? []).some((u) => used.has(u.uploadId)))
    : [];
  return list([...f.def.inputs, ...extra].map((d) => {
    const ups = (ctx.summary?.uploads[d] ?? []).filter((u) => used.has(u.uploadId));
    const latest = ups[ups.length - 1];
    const word = DATASET_WORDS[d] ?? d;
    if (!latest) return `${word} (no upload)`;
    return `${word} (${ups.length} upload${ups.length === 1 ? '' : 's'}, latest ${fileName(latest.key)})`;
  }));
}

/** The line in the data notes. */
export function dataNoteWithUploads(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  if (f.value !== null) return [];
  return [{ rule: 'data-note', kpiId: f.def.id, text: `${f.def.label} is not available: ${reasonOf(f)}. Inputs: ${inputsPhrase(f, ctx)}.` }];
}
