/**
 * Rules about the data: `data-note` (why a KPI is not available, and which uploads its inputs came from),
 * `uploads`, `rejected-uploads` and `missing-data` (the banner).
 */
import { describe, expect, it } from 'vitest';
import { dataNote, dataNoteWithUploads } from '../../lambdas/domain/commentary/rules/data-note.ts';
import { rejectedUploads, unreadableUploads, uploads } from '../../lambdas/domain/commentary/rules/uploads.ts';
import { missingData, missingDatasets } from '../../lambdas/domain/commentary/rules/missing-data.ts';
import { contextFor, factsOf, summaryFor } from '../helpers/sample-view.ts';

describe('rule data-note', () => {
  const summary = summaryFor({
    uploads: {
      ...summaryFor().uploads,
      spend: [
        { uploadId: 'sp-1', key: 'incoming/spend/sept.csv', uploadedAt: '2026-10-02T00:00:00Z', rows: 40 },
        { uploadId: 'sp-2', key: 'incoming/spend/google ads oct.csv', uploadedAt: '2026-11-01T00:00:00Z', rows: 42 },
      ],
      customers: [],
    },
  });
  const ctx = contextFor({ cac: [4000, null], clv: [null] }, {
    cac: { reason: 'no new customers in 2026-10', uploads: ['sp-1', 'sp-2'] },
    clv: { reason: 'no customers export covers 2026-10', uploads: [] },
  }, { summary });

  it('gives the reason on the KPI’s card', () => {
    expect(dataNote(factsOf(ctx, 'cac'), ctx)).toEqual([{ rule: 'data-note', kpiId: 'cac', text: 'Not available: no new customers in 2026-10.' }]);
  });

  it('names the uploads the inputs came from in the data notes', () => {
    expect(dataNoteWithUploads(factsOf(ctx, 'cac'), ctx)[0]!.text)
      .toBe('Customer acquisition cost is not available: no new customers in 2026-10. Inputs: spend (2 uploads, latest google ads oct.csv).');
    expect(dataNoteWithUploads(factsOf(ctx, 'clv'), ctx)[0]!.text)
      .toBe('Customer lifetime value is not available: no customers export covers 2026-10. Inputs: customers (no upload).');
  });

  it('covers a KPI the KPI step did not store at all, and says nothing about a KPI with a value', () => {
    expect(dataNote(factsOf(ctx, 'sessions'), ctx)[0]!.text).toBe('Not available: the KPI step stored no value for this period.');
    const ok = contextFor({ cac: [4000] });
    expect(dataNote(factsOf(ok, 'cac'), ok)).toEqual([]);
    expect(dataNoteWithUploads(factsOf(ok, 'cac'), ok)).toEqual([]);
  });
});

describe('rules uploads and rejected-uploads', () => {
  it('says per dataset how many uploads count and which is the latest', () => {
    const ctx = contextFor({}, {}, { summary: summaryFor({ uploads: { ...summaryFor().uploads, web_traffic: [] } }) });
    expect(uploads(ctx).map((s) => s.text)).toEqual([
      'Leads: 1 upload, latest leads-2026-10.csv (2026-11-01, 100 rows).',
      'Opportunities: 1 upload, latest opportunities-2026-10.csv (2026-11-01, 100 rows).',
      'Spend: 1 upload, latest spend-2026-10.csv (2026-11-01, 100 rows).',
      'Customers: 1 upload, latest customers-2026-10.csv (2026-11-01, 100 rows).',
      'Web traffic: no accepted upload.',
    ]);
    expect(uploads(contextFor({}))).toEqual([]);
  });

  it('lists rejected uploads, the latest five by name', () => {
    const rejected = Array.from({ length: 7 }, (_, i) => ({ key: `incoming/leads/bad-${i}.csv`, dataset: 'leads' as const, errors: i, uploadedAt: '2026-10-0' + (i + 1) }));
    expect(rejectedUploads(contextFor({}, {}, { summary: summaryFor({ rejected: rejected.slice(0, 1) }) }))).toEqual([
      { rule: 'rejected-uploads', tone: 'bad', text: '1 upload was rejected and is not counted: bad-0.csv (leads, 0 errors).' },
    ]);
    expect(rejectedUploads(contextFor({}, {}, { summary: summaryFor({ rejected }) }))[0]!.text).toBe(
      '7 uploads were rejected and are not counted: bad-2.csv (leads, 2 errors), bad-3.csv (leads, 3 errors), bad-4.csv (leads, 4 errors), bad-5.csv (leads, 5 errors), bad-6.csv (leads, 6 errors) and 2 more.',
    );
    expect(rejectedUploads(contextFor({}, {}, { summary: summaryFor() }))).toEqual([]);
  });

  it('says which accepted uploads could not be read and are left out (rule unreadable-uploads)', () => {
    const unreadableUploadsOf = [{ dataset: 'leads' as const, uploadId: 'u1', key: 'incoming/leads/oct.csv', recordsKey: 'accepted/leads/u1.jsonl.gz', reason: 'missing' }];
    expect(unreadableUploads(contextFor({}, {}, { summary: summaryFor({ unreadableUploads: unreadableUploadsOf }) }))).toEqual([{
      rule: 'unreadable-uploads', tone: 'bad',
      text: '1 accepted upload could not be read and is left out of these numbers (stored records missing): oct.csv (leads). Upload it again to count it.',
    }]);
    expect(unreadableUploads(contextFor({}, {}, { summary: summaryFor() }))).toEqual([]);
  });
});

describe('rule missing-data', () => {
  const coverage = { leads: true, opportunities: true, spend: true, customers: true, web_traffic: false };

  it('names the missing datasets and the KPIs that show n/a because of them', () => {
    const ctx = contextFor({ sessions: [null], bounce_rate: [null], visitor_to_lead_rate: [null], leads: [480] }, {}, { summary: summaryFor({ coverage }) });
    expect(missingDatasets(ctx)).toEqual(['web_traffic']);
    expect(missingData(ctx)).toEqual([{ rule: 'missing-data', tone: 'bad', text: 'No web traffic export covers October 2026: Sessions, Bounce rate and Visitor → lead show n/a.' }]);
  });

  it('summarises a long list of affected KPIs (one the KPI step did not store counts as n/a too)', () => {
    const ids = ['cac', 'customer_retention_rate', 'arpu', 'clv', 'ltv_to_cac', 'sessions'];
    const ctx = contextFor(Object.fromEntries(ids.map((id) => [id, [null]])), {}, {
      summary: summaryFor({ coverage: { ...coverage, customers: false, spend: false } }),
    });
    expect(missingData(ctx)[0]!.text).toBe(
      'No spend, customers and web traffic export covers October 2026: Cost per lead, Lead → customer, Customer acquisition cost, Customer retention and 6 more KPIs show n/a.',
    );
  });

  it('is silent when everything is covered, without a summary, or for datasets not required', () => {
    expect(missingData(contextFor({}, {}, { summary: summaryFor() }))).toEqual([]);
    expect(missingData(contextFor({}))).toEqual([]);
    const ctx = { ...contextFor({}, {}, { summary: summaryFor({ coverage }) }), requiredDatasets: ['leads' as const] };
    expect(missingData(ctx)).toEqual([]);
  });
});
