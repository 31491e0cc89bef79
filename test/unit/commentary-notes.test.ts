/** Rules `capped-lifespan` (CLV used the lifespan cap because nobody churned) and `kpi-note` (other stored remarks). */
import { describe, expect, it } from 'vitest';
import { cappedLifespan, kpiNote } from '../../lambdas/domain/commentary/rules/capped-lifespan.ts';
import { parseSettings } from '../../lambdas/domain/settings.ts';
import { contextFor, factsOf } from '../helpers/sample-view.ts';

const CAPPED = { note: 'no customer churned in 2026-10, so lifespan is capped at 60 months' };

describe('rule capped-lifespan', () => {
  const ctx = contextFor({ clv: [42000], ltv_to_cac: [8.4] }, { clv: CAPPED });

  it('says CLV assumed the cap', () => {
    expect(cappedLifespan(factsOf(ctx, 'clv'), ctx)).toEqual([{
      rule: 'capped-lifespan', kpiId: 'clv',
      text: 'No customer churned in October 2026, so CLV assumes the 60-month lifespan cap instead of a measured churn rate.',
    }]);
  });

  it('says LTV : CAC rests on that capped CLV', () => {
    expect(cappedLifespan(factsOf(ctx, 'ltv_to_cac'), ctx)[0]!.text)
      .toBe('It rests on a CLV of $42,000 with the lifespan capped at 60 months (no churn in October 2026).');
  });

  it('uses the configured cap, and is silent when CLV was measured', () => {
    const c = contextFor({ clv: [21000] }, { clv: CAPPED }, { settings: parseSettings({ clvLifespanCapMonths: 36 }) });
    expect(cappedLifespan(factsOf(c, 'clv'), c)[0]!.text).toContain('36-month lifespan cap');
    const measured = contextFor({ clv: [19000], ltv_to_cac: [4] });
    expect(cappedLifespan(factsOf(measured, 'clv'), measured)).toEqual([]);
    expect(cappedLifespan(factsOf(measured, 'ltv_to_cac'), measured)).toEqual([]);
  });
});

describe('rule kpi-note', () => {
  it('passes on any other remark stored with a value, but not CLV’s (rule capped-lifespan words it)', () => {
    const ctx = contextFor({ win_rate: [0.3], clv: [42000] }, { win_rate: { note: 'two deals were re-opened' }, clv: CAPPED });
    expect(kpiNote(factsOf(ctx, 'win_rate'), ctx)).toEqual([{ rule: 'kpi-note', kpiId: 'win_rate', text: 'Note: two deals were re-opened.' }]);
    expect(kpiNote(factsOf(ctx, 'clv'), ctx)).toEqual([]);
  });
});
