/**
 * Rule `action`: for a KPI off its benchmark, or that moved the wrong way three periods running, the action the
 * sources recommend (the registry's `action`).
 */
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';
import { STREAK_LENGTH } from './streak.ts';

/** Why the action is recommended, or undefined when it is not. */
export function actionTrigger(f: KpiFacts): 'off-benchmark' | 'wrong-way' | undefined {
  if (f.value === null) return undefined;
  if (f.benchmark?.off) return 'off-benchmark';
  if (f.wrongWayStreak >= STREAK_LENGTH) return 'wrong-way';
  return undefined;
}

export function action(f: KpiFacts, _ctx: CommentaryContext): Sentence[] {
  if (!f.def.action || !actionTrigger(f)) return [];
  return [{ rule: 'action', kpiId: f.def.id, text: `Recommended: ${f.def.action}` }];
}
