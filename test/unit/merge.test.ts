import { describe, expect, it } from 'vitest';
import type { LeadRecord, SpendRecord, WebTrafficRecord } from '../../lambdas/domain/datasets/records.ts';
import { DATASETS } from '../../lambdas/domain/datasets/registry.ts';
import { RecordMerger } from '../../lambdas/domain/records/merge.ts';

const lead = (id: string, source: string): LeadRecord => ({ lead_id: id, created_at: '2026-10-01', source, marketing_sourced: true });
const spend = (date: string, channel: string, campaign: string, amount_minor: number, category: SpendRecord['category'] = 'marketing'): SpendRecord =>
  ({ date, channel, campaign, category, amount_minor });

describe('RecordMerger', () => {
  it('a later upload replaces the earlier record with the same key', () => {
    const m = new RecordMerger('leads');
    m.add('2026-10-05#a', lead('L1', 'web'));
    m.add('2026-10-05#a', lead('L2', 'web'));
    m.add('2026-11-02#b', lead('L1', 'Webinar (corrected)'));
    expect(m.records()).toEqual([lead('L1', 'Webinar (corrected)'), lead('L2', 'web')]);
  });

  it('re-delivering the same upload changes nothing', () => {
    const upload = [lead('L1', 'web'), lead('L2', 'ads')];
    const m = new RecordMerger('leads');
    for (const r of upload) m.add('u1', r);
    const once = { records: m.records(), uploads: m.contributingUploads() };
    for (const r of upload) m.add('u1', r);
    expect({ records: m.records(), uploads: m.contributingUploads() }).toEqual(once);
  });

  it('lists the uploads that still contribute a record, in the order they were made', () => {
    const m = new RecordMerger('leads');
    m.add('u1', lead('L1', 'web'));
    m.add('u1', lead('L2', 'web'));
    m.add('u2', lead('L1', 'web'));
    expect(m.contributingUploads()).toEqual(['u1', 'u2']);
    m.add('u3', lead('L2', 'web'));
    expect(m.contributingUploads()).toEqual(['u2', 'u3']);
    expect(new RecordMerger('customers').contributingUploads()).toEqual([]);
  });

  it('keys spend by date, channel, campaign and category, ignoring the case of names', () => {
    const m = new RecordMerger('spend');
    m.add('u1', spend('2026-10-01', 'Paid Search', 'Brand', 100));
    m.add('u1', spend('2026-10-01', 'Paid Search', 'Brand', 50, 'sales'));
    m.add('u1', spend('2026-10-02', 'Paid Search', 'Brand', 70));
    m.add('u2', spend('2026-10-01', 'paid search', 'BRAND', 120));
    expect(m.records().map((r) => [r.date, r.category, r.amount_minor])).toEqual([
      ['2026-10-01', 'marketing', 120],
      ['2026-10-01', 'sales', 50],
      ['2026-10-02', 'marketing', 70],
    ]);
    expect(m.contributingUploads()).toEqual(['u1', 'u2']);
  });

  it('keys web traffic by date and channel', () => {
    const w = (date: string, channel: string, sessions: number): WebTrafficRecord => ({ date, channel, sessions });
    const m = new RecordMerger('web_traffic');
    m.add('u1', w('2026-10-01', 'Organic Search', 10));
    m.add('u1', w('2026-10-01', 'Direct', 5));
    m.add('u2', w('2026-10-01', 'organic search', 12));
    expect(m.records().map((r) => r.sessions)).toEqual([12, 5]);
  });

  it('uses the keys of the dataset registry', () => {
    expect(DATASETS.opportunities.keyOf({ opportunity_id: 'D1', created_at: '2026-10-01', status: 'open', amount_minor: 0, marketing_sourced: false })).toBe('D1');
    expect(DATASETS.customers.keyOf({ customer_id: 'C1', started_at: '2026-10-01' })).toBe('C1');
  });
});
