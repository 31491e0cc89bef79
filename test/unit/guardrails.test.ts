/**
 * Never silently wrong, on every dataset with money: a currency in a header (code or sign), in a currency column
 * or in a mapping file must be the configured one; a decimal comma is read only where a profile or a mapping says
 * the file writes them, and otherwise the error names the setting.
 */
import { describe, expect, it } from 'vitest';
import { lines, validate } from '../helpers/export-builders.ts';

describe('currency, on every dataset with money', () => {
  it.each([
    ['opportunities', 'Deal ID,Create Date,Deal Stage,Close Date,Amount (EUR),Lead Source', 'D1,2026-10-01,Closed Won,2026-10-02,10,Web', 'EUR'],
    ['customers', 'Customer ID,Customer Since,Churn Date,MRR (€)', 'C1,2026-10-01,,99', '€'],
    ['spend', 'Day,Channel,Cost (£)', '2026-10-01,Search,5', '£'],
  ] as const)('%s: a header naming another currency is a currency-mismatch', async (dataset, header, row, currency) => {
    const { report } = await validate(dataset, lines([header, row]));
    expect(report.errors).toMatchObject([{ code: 'currency-mismatch', row: 1, line: 1 }]);
    expect(report.errors[0]!.message).toContain(currency);
  });

  it('a dollar sign fits the dollars; a currency column of a deal or a subscription is checked', async () => {
    expect((await validate('customers', lines(['Customer ID,Customer Since,MRR ($)', 'C1,2026-10-01,99']))).report.status).toBe('accepted');
    const deals = await validate('opportunities', lines(['Deal ID,Create Date,Deal Stage,Close Date,Amount,Currency', 'D1,2026-10-01,Closed Won,2026-10-02,10,EUR']));
    expect(deals.report.errors).toMatchObject([{ code: 'currency-mismatch', column: 'currency', value: 'EUR' }]);
  });

  it('a mapping that says the file is in another currency rejects it, naming the mapping', async () => {
    const { report } = await validate('spend', lines(['Day,Cost', '2026-10-01,5']), { mapping: { currency: 'EUR' } });
    expect(report.errors).toMatchObject([{ code: 'currency-mismatch', value: 'EUR' }]);
    expect(report.errors[0]!.message).toContain('incoming/spend/mapping.json says the amounts are in EUR');
    expect((await validate('spend', lines(['Day,Cost', '2026-10-01,5']), { mapping: { currency: 'usd' } })).report.status).toBe('accepted');
  });
});

describe('decimal commas only where a profile or a mapping says so', () => {
  const sheet = lines(['Day,Channel,Cost', '2026-10-01,Search,"59,78"', '2026-10-02,Search,"1.234,50"']);

  it('"59,78" in a comma-separated file is a type-error that names the setting', async () => {
    const { report } = await validate('spend', sheet);
    expect(report.errors).toMatchObject([{ code: 'type-error', row: 2, column: 'amount', value: '59,78' }, { code: 'type-error', row: 3, value: '1.234,50' }]);
    expect(report.errors[0]!.message).toContain('"decimalSeparator": ","');
  });

  it('read with the mapping\'s decimal separator; a ;-separated file writes them unless told otherwise', async () => {
    expect((await validate('spend', sheet, { mapping: { decimalSeparator: ',' } })).records.map((r) => r.amount_minor)).toEqual([5_978, 123_450]);
    const semicolons = lines(['Day;Channel;Cost', '2026-10-01;Search;59,78']);
    expect((await validate('spend', semicolons)).records.map((r) => r.amount_minor)).toEqual([5_978]);
    // "1,234" in a ;-file whose mapping says points: one thousand two hundred and thirty-four.
    expect((await validate('spend', lines(['Day;Channel;Cost', '2026-10-01;Search;"1,234"']), { mapping: { decimalSeparator: '.' } })).records.map((r) => r.amount_minor)).toEqual([123_400]);
  });

  it('a 1,234 in a comma file stays one thousand two hundred and thirty-four', async () => {
    expect((await validate('spend', lines(['Day,Channel,Cost', '2026-10-01,Search,"1,234"']))).records.map((r) => r.amount_minor)).toEqual([123_400]);
  });
});
