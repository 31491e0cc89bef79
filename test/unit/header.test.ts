import { describe, expect, it } from 'vitest';
import { DATASETS, normalizeHeader } from '../../lambdas/domain/datasets/registry.ts';
import { findHeader, mapHeader, splitLine } from '../../lambdas/domain/validation/header.ts';

describe('splitLine', () => {
  it('splits on the delimiter, honouring quotes and doubled quotes, and trims cells', () => {
    expect(splitLine('a,b,c', ',')).toEqual(['a', 'b', 'c']);
    expect(splitLine('"Create Date","Amount, net",x', ',')).toEqual(['Create Date', 'Amount, net', 'x']);
    expect(splitLine('"say ""hi""";b', ';')).toEqual(['say "hi"', 'b']);
    expect(splitLine(' a \t b ', '\t')).toEqual(['a', 'b']);
    expect(splitLine('a,,', ',')).toEqual(['a', '', '']);
  });
});

describe('normalizeHeader', () => {
  it('ignores case, spaces, punctuation and underscores', () => {
    for (const h of ['Create Date', 'create_date', 'createdate', ' CREATE-DATE ', 'Create.Date']) {
      expect(normalizeHeader(h)).toBe('createdate');
    }
  });
});

describe('mapHeader', () => {
  it.each([['Create Date'], ['create_date'], ['createdate'], ['  CREATED_AT ']])('maps %s to created_at', (h) => {
    const m = mapHeader(['Record ID', h, 'Original Source'], DATASETS.leads);
    expect(m.index.created_at).toBe(1);
    expect(m.headers.created_at).toBe(h);
    expect(m.missing).toEqual([]);
  });

  it('maps every column of a HubSpot contacts header and ignores the rest', () => {
    const cells = [
      'Record ID', 'First Name', 'Email', 'Create Date', 'Original Source', 'Original Source Drill-Down 1',
      'Became a Marketing Qualified Lead Date', 'Became a Sales Qualified Lead Date', 'SQL Status', 'Became a Customer Date',
    ];
    const m = mapHeader(cells, DATASETS.leads);
    expect(m.index).toEqual({
      lead_id: 0, created_at: 3, source: 4, campaign: 5, mql_at: 6, sql_at: 7, sql_status: 8, customer_at: 9,
    });
    expect(m.missing).toEqual([]);
    expect(m.duplicates).toEqual([]);
  });

  it('prefers the header listed first: Create Date before Became a Lead Date, whatever the file order', () => {
    const m = mapHeader(['Record ID', 'Became a Lead Date', 'Source', 'Create Date'], DATASETS.leads);
    expect(m.headers.created_at).toBe('Create Date');
    expect(m.index.created_at).toBe(3);
  });

  it('falls back to a later alias when the first is absent', () => {
    const m = mapHeader(['Contact ID', 'Became a Lead Date', 'Lead Source'], DATASETS.leads);
    expect(m.headers).toMatchObject({ lead_id: 'Contact ID', created_at: 'Became a Lead Date', source: 'Lead Source' });
  });

  it('prefers Original Source over Original Source Type over Lead Source for leads', () => {
    const m = mapHeader(['Id', 'Created Date', 'Lead Source', 'Original Source Type', 'Original Source'], DATASETS.leads);
    expect(m.headers.source).toBe('Original Source');
  });

  it('reports two headers that are the same after normalising as a duplicate', () => {
    const m = mapHeader(['Record ID', 'Create Date', 'create_date', 'Source'], DATASETS.leads);
    expect(m.duplicates).toEqual([{ column: 'created_at', headers: ['Create Date', 'create_date'] }]);
  });

  it('does not call two different aliases of one column a duplicate', () => {
    const m = mapHeader(['Record ID', 'Create Date', 'Became a Lead Date', 'Source'], DATASETS.leads);
    expect(m.duplicates).toEqual([]);
  });

  it('reads a currency from the header of a money column', () => {
    const m = mapHeader(['Reporting starts', 'Reporting ends', 'Campaign name', 'Amount spent (EUR)'], DATASETS.spend);
    expect(m.index.amount).toBe(3);
    expect(m.headerCurrency).toEqual({ amount: 'EUR' });
    expect(m.headers.amount).toBe('Amount spent (EUR)');
    expect(mapHeader(['Day', 'Cost (usd)'], DATASETS.spend).headerCurrency).toEqual({ amount: 'USD' });
  });

  it('lists the required columns it could not find', () => {
    const m = mapHeader(['Email', 'First Name', 'Campaign'], DATASETS.leads);
    expect(m.missing).toEqual(['lead_id', 'created_at', 'source']);
    expect(m.index.campaign).toBe(2);
  });

  it('maps Salesforce Closed and Won flags as helper columns', () => {
    const m = mapHeader(['Opportunity ID', 'Created Date', 'Stage', 'Close Date', 'Amount', 'Closed', 'Won'], DATASETS.opportunities);
    expect(m.index).toMatchObject({ closed_flag: 5, won_flag: 6, closed_at: 3, status: 2 });
  });
});

describe('findHeader', () => {
  it('skips an ads report title and its date-range line', () => {
    const lines = [
      'Campaign performance report',
      '"October 1, 2026 - October 31, 2026"',
      'Day,Campaign,Currency code,Cost',
      '2026-10-01,Brand,USD,12.00',
    ];
    const h = findHeader(lines, DATASETS.spend);
    expect(h).toMatchObject({ lineIndex: 2, delimiter: ',' });
    expect(h?.mapping.index).toMatchObject({ date: 0, campaign: 1, currency: 2, amount: 3 });
  });

  it("skips GA4's # comment block", () => {
    const lines = [
      '# ----------------------------------------',
      '# Traffic acquisition: Session primary channel group',
      '# Start date: 20261001',
      '# End date: 20261031',
      '# ----------------------------------------',
      '',
      'Date,Session primary channel group,Sessions,Engaged sessions,Key events',
      '20261001,Organic Search,120,80,3',
    ];
    const h = findHeader(lines, DATASETS.web_traffic);
    expect(h?.lineIndex).toBe(6);
    expect(h?.mapping.index).toEqual({ date: 0, channel: 1, sessions: 2, engaged_sessions: 3, conversions: 4 });
  });

  it.each([
    [',', 'Record ID,Create Date,Original Source'],
    [';', 'Record ID;Create Date;Original Source'],
    ['\t', 'Record ID\tCreate Date\tOriginal Source'],
    [';', '"Record ID";"Create Date";"Original Source";"Notes, free text"'],
  ])('detects the delimiter %j from the header line', (delimiter, line) => {
    const h = findHeader([line, '1' + delimiter + '2026-10-01' + delimiter + 'x'], DATASETS.leads);
    expect(h?.delimiter).toBe(delimiter);
    expect(h?.mapping.missing).toEqual([]);
  });

  it('returns the best partial match so that the error can say what is missing', () => {
    const h = findHeader(['Report', 'Record ID,Email,Create Date'], DATASETS.leads);
    expect(h?.lineIndex).toBe(1);
    expect(h?.mapping.missing).toEqual(['source']);
    expect(h?.cells).toEqual(['Record ID', 'Email', 'Create Date']);
  });

  it('falls back to the first non-comment line when nothing matches, and to nothing for blank input', () => {
    const h = findHeader(['# comment', 'foo;bar;baz'], DATASETS.leads);
    expect(h).toMatchObject({ lineIndex: 1, delimiter: ';', cells: ['foo', 'bar', 'baz'] });
    expect(findHeader(['', '  ', '# only comments'], DATASETS.leads)).toBeUndefined();
  });
});
