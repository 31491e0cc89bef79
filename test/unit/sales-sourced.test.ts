/** `isSalesSourced`: the configured list decides, however sources repeat, collide in its cache or change. */
import { describe, expect, it } from 'vitest';
import { isSalesSourced } from '../../lambdas/domain/datasets/registry.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/domain/settings.ts';

describe('isSalesSourced', () => {
  it('answers by the configured list, case ignored, for sources that alternate a million-row way', () => {
    const sources = ['Organic Search', 'Paid Search', 'Paid Social', 'Email Marketing', 'Direct Traffic', 'Referrals',
      'Offline Sources', 'Outbound', 'SDR call', 'Sales Generated', 'unknown'];
    const expected = sources.map((s) => DEFAULT_SETTINGS.salesSourcedSources.some((n) => s.toLowerCase().includes(n.toLowerCase())));
    expect(expected.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    for (let round = 0; round < 50; round++) {
      sources.forEach((s, i) => {
        // A fresh string each time, as a parser hands them out.
        expect(isSalesSourced(` ${s}`.slice(1), DEFAULT_SETTINGS)).toBe(expected[i]);
      });
    }
  });

  it('keeps answers apart per settings, and past thousands of distinct sources', () => {
    const onlyReferrals = { ...DEFAULT_SETTINGS, salesSourcedSources: ['referral'] };
    expect(isSalesSourced('Outbound', DEFAULT_SETTINGS)).toBe(true);
    expect(isSalesSourced('Outbound', onlyReferrals)).toBe(false);
    expect(isSalesSourced('Referrals', onlyReferrals)).toBe(true);
    for (let i = 0; i < 10_000; i++) expect(isSalesSourced(`campaign ${i}${i % 3 === 0 ? ' outbound' : ''}`, DEFAULT_SETTINGS)).toBe(i % 3 === 0);
    expect(isSalesSourced('Outbound', DEFAULT_SETTINGS)).toBe(true);
  });
});
