/**
 * Rule `benchmark`: where the KPI stands against its benchmark (or leadership's target), with the numbers behind
 * it ("SQL acceptance 75% is below the 80% benchmark: 25 of 100 SQLs were rejected."). Growth targets are said
 * by `movement`, per-source benchmarks by `lead-sources`.
 */
import { evidence, positionVerb, say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

export function benchmark(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const b = f.benchmark;
  if (!b || b.benchmark.kind === 'growth' || f.value === null) return [];
  const because = f.stored ? evidence(f.stored, b.position, ctx.currency) : undefined;
  const text = `${f.def.label} ${say(f.value, f.def.unit, ctx.currency)} ${positionVerb(b.benchmark.kind, b.position)} ${b.phrase}${because ? `: ${because}` : ''}.`;
  // On target, the badge ("Meets the 80% benchmark") is enough; off target, the numbers behind it matter.
  return [{ rule: 'benchmark', kpiId: f.def.id, text, tone: b.tone, ...(b.off ? {} : { restates: true }) }];
}
