/**
 * What testers met in real, public exports (December 2026), each reduced to the shape that mattered: the same
 * headers, values and layout, not the files themselves.
 */
import { describe, expect, it } from 'vitest';
import { lines, validate } from '../helpers/export-builders.ts';

describe('real exports', () => {
  it('a mapping word "" stands for a blank cell: "skip": [""] leaves out sign-ups with no status; "*" never covers blanks', async () => {
    const content = lines(['id,Created (UTC),Status,MRR', 'cus_1,2026-09-01,active,99', 'cus_2,2026-09-02,,', 'cus_3,2026-09-03,trialing,0']);
    const columns = { customer_id: 'id', started_at: 'Created (UTC)', status: 'Status', mrr: 'MRR' };
    const skipBlank = await validate('customers', content, { mapping: { columns, values: { status: { active: ['active'], skip: ['', 'trialing'] } } } });
    expect(skipBlank.report.status).toBe('accepted');
    expect(skipBlank.records.map((r) => r.customer_id)).toEqual(['cus_1']);
    expect(skipBlank.report.warnings.filter((w) => w.code === 'row-skipped').map((w) => [w.row, w.value])).toEqual([[3, ''], [4, 'trialing']]);
    // "*" is every other word, not a blank: the blank row is read as the dataset reads a blank status.
    const star = await validate('customers', content, { mapping: { columns, values: { status: { active: ['active'], skip: ['*'] } } } });
    expect(star.records.map((r) => r.customer_id)).toEqual(['cus_1', 'cus_2']);
  });
});
