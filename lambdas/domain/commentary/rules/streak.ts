/**
 * Rule `streak`: a KPI that moved the wrong way three periods running says so, with the numbers at both ends
 * ("SQL acceptance has fallen 3 months running, from 81% in July 2026 to 74.6%.").
 */
import { periods, say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

/** Wrong-way moves in a row from which a KPI counts as trending the wrong way. */
export const STREAK_LENGTH = 3;

export function streak(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const n = f.wrongWayStreak;
  if (n < STREAK_LENGTH || f.value === null) return [];
  const start = f.window[f.window.length - 1 - n];
  if (!start || start.value === null) return [];
  const verb = f.def.better === 'up' ? 'fallen' : 'risen';
  const text = `${f.def.label} has ${verb} ${periods(n, ctx.period.type)} running, from ${say(start.value, f.def.unit, ctx.currency)} in ${start.period.label} to ${say(f.value, f.def.unit, ctx.currency)}.`;
  return [{ rule: 'streak', kpiId: f.def.id, text, tone: 'bad' }];
}
