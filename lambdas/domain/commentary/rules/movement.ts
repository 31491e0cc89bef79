/**
 * Rule `movement`: how the KPI moved since the previous period, in words, with the growth target when the KPI
 * has one ("SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.").
 */
import { formatPercent, shownPoints } from '../../scorecard/format.ts';
import { say } from '../phrases.ts';
import type { CommentaryContext, KpiFacts, Sentence } from '../types.ts';

/** ", inside the 5–10% monthly growth target", or '' when the KPI has no growth target. */
function growthClause(f: KpiFacts): string {
  const b = f.benchmark;
  if (!b || b.benchmark.kind !== 'growth') return '';
  const where = b.position === 'within' ? 'inside' : b.position;
  return `, ${where} ${b.phrase}`;
}

/** "1.6 points", "1 point": between the shown figures, as the card counts them. */
function points(current: number, previous: number): string {
  const p = formatPercent(Math.abs(shownPoints(current, previous)) / 100).replace('%', '');
  return `${p} point${p === '1' ? '' : 's'}`;
}

/** The movement sentence without its full stop, so the headline can extend it. */
export function movementClause(f: KpiFacts, ctx: Pick<CommentaryContext, 'currency' | 'previous'>): string | undefined {
  const { def, value, previous } = f;
  if (value === null) return undefined;
  const v = say(value, def.unit, ctx.currency);
  if (previous === null) return `${def.label} was ${v}; there is no figure for ${ctx.previous.label} to compare with`;
  if (f.trend === 'flat') return `${def.label} held at ${v}${growthClause(f)}`;
  const verb = f.trend === 'up' ? (def.unit === 'count' ? 'grew' : 'rose') : 'fell';
  if (def.unit !== 'rate' && previous === 0) return `${def.label} ${verb} from ${say(0, def.unit, ctx.currency)} to ${v}${growthClause(f)}`;
  const by = def.unit === 'rate' ? points(value, previous) : formatPercent(Math.abs(f.delta ?? 0));
  return `${def.label} ${verb} ${by} to ${v}${growthClause(f)}`;
}

export function movement(f: KpiFacts, ctx: CommentaryContext): Sentence[] {
  const clause = movementClause(f, ctx);
  if (!clause) return [];
  // Without a growth target, the card's change line ("▲ +3.2% (+15) better") already says it all.
  const restates = growthClause(f) === '' && f.previous !== null;
  return [{ rule: 'movement', kpiId: f.def.id, text: `${clause}.`, tone: f.tone, ...(restates ? { restates } : {}) }];
}
