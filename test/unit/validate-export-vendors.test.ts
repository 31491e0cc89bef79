// Exports as real tools write them: HubSpot, Salesforce, Google Ads, Meta, GA4, hand-made sheets.
import { describe, expect, it } from 'vitest';
import { lines, validate, where, withUtf8Bom } from '../helpers/export-builders.ts';

describe('vendor header sets', () => {
  it('HubSpot contacts export', async () => {
    const content = lines([
      '"Record ID","First Name","Last Name","Email","Lifecycle Stage","Create Date","Original Source","Original Source Drill-Down 1",' +
        '"Became a Marketing Qualified Lead Date","Became a Sales Qualified Lead Date","SQL Status","Became a Customer Date","Message"',
      '"101","Zoë","Ørsted","zoe@example.com","Customer","2026-10-01 08:00","Organic Search","google","2026-10-02 09:00","2026-10-05 10:30","Accepted","2026-10-28 16:00","Hi, ""team""',
      'second line"',
      '"102","Ann","Lee","ann@example.com","Lead","2026-10-03 11:00","Offline Sources","trade show","","","","",""',
    ], '\r\n');
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('accepted');
    expect(report.columns).toEqual({
      lead_id: 'Record ID', created_at: 'Create Date', source: 'Original Source', campaign: 'Original Source Drill-Down 1',
      mql_at: 'Became a Marketing Qualified Lead Date', sql_at: 'Became a Sales Qualified Lead Date', sql_status: 'SQL Status',
      customer_at: 'Became a Customer Date',
    });
    expect(records).toEqual([
      {
        lead_id: '101', created_at: '2026-10-01T08:00:00', source: 'Organic Search', campaign: 'google', mql_at: '2026-10-02T09:00:00',
        sql_at: '2026-10-05T10:30:00', sql_status: 'accepted', customer_at: '2026-10-28T16:00:00', marketing_sourced: true,
      },
      { lead_id: '102', created_at: '2026-10-03T11:00:00', source: 'Offline Sources', campaign: 'trade show', marketing_sourced: true },
    ]);
  });

  it('Salesforce opportunities report', async () => {
    const content = lines([
      '"Opportunity ID","Opportunity Name","Account Name","Opportunity Owner","Stage","Probability (%)","Amount","Created Date","Close Date","Lead Source","Lead ID"',
      '"006A1","Acme - Platform","Acme","Jo Smith","Closed Won","100","$12,500.00","9/14/2026","10/20/2026","Web","00QA1"',
      '"006A2","Globex - Pilot","Globex","Jo Smith","Proposal/Price Quote","60","$3,000.00","10/2/2026","1/15/2027","Outbound Prospecting",""',
      '"006A3","Initech","Initech","Sam Roe","Closed Lost","0","$800.00","10/5/2026","10/30/2026","Partner Referral",""',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.status).toBe('accepted');
    expect(report.columns).toMatchObject({ opportunity_id: 'Opportunity ID', status: 'Stage', amount: 'Amount', created_at: 'Created Date', closed_at: 'Close Date', source: 'Lead Source', lead_id: 'Lead ID', owner: 'Opportunity Owner' });
    expect(records).toEqual([
      { opportunity_id: '006A1', created_at: '2026-09-14', status: 'won', closed_at: '2026-10-20', amount_minor: 1_250_000, source: 'Web', lead_id: '00QA1', owner: 'Jo Smith', marketing_sourced: true },
      { opportunity_id: '006A2', created_at: '2026-10-02', status: 'open', amount_minor: 300_000, source: 'Outbound Prospecting', owner: 'Jo Smith', marketing_sourced: false },
      { opportunity_id: '006A3', created_at: '2026-10-05', status: 'lost', closed_at: '2026-10-30', amount_minor: 80_000, source: 'Partner Referral', owner: 'Sam Roe', marketing_sourced: true },
    ]);
  });

  it('Google Ads campaign report: title, date range, header, Total row', async () => {
    const content = lines([
      'Campaign report',
      '"October 1, 2026 - October 31, 2026"',
      'Day,Campaign,Campaign type,Currency code,Cost,Impressions,Clicks',
      '2026-10-01,Brand - Search,Search,USD,"1,234.56","12,000",340',
      '2026-10-01,Display - Retargeting,Display,USD,15.10,900,2',
      'Total: Account,--,--,USD,"1,249.66","12,900",342',
    ]);
    const { report, records } = await validate('spend', content);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ headerLine: 3, preambleLines: 2 });
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 4, line: 6, column: undefined }]);
    expect(records).toEqual([
      { date: '2026-10-01', amount_minor: 123_456, channel: 'unspecified', campaign: 'Brand - Search', category: 'marketing' },
      { date: '2026-10-01', amount_minor: 1_510, channel: 'unspecified', campaign: 'Display - Retargeting', category: 'marketing' },
    ]);
  });

  it('Meta ads export: Reporting starts/ends and Amount spent (USD); a row spanning two months is an error', async () => {
    const header = 'Campaign name,Reporting starts,Reporting ends,Results,Amount spent (USD)';
    const ok = await validate('spend', lines([header, 'Autumn prospecting,2026-10-01,2026-10-31,120,842.17', 'Retargeting,2026-10-05,2026-10-05,3,12.00']));
    expect(ok.report.status).toBe('accepted');
    expect(ok.report.columns).toMatchObject({ date: 'Reporting starts', amount: 'Amount spent (USD)', campaign: 'Campaign name' });
    expect(ok.records.map((r) => [r.date, r.amount_minor, r.campaign])).toEqual([
      ['2026-10-01', 84_217, 'Autumn prospecting'],
      ['2026-10-05', 1_200, 'Retargeting'],
    ]);
    const spanning = await validate('spend', lines([header, 'Autumn prospecting,2026-09-28,2026-10-04,120,842.17']));
    expect(spanning.report.status).toBe('rejected');
    expect(spanning.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, line: 2 }]);
    expect(spanning.report.errors[0]?.message).toContain('daily breakdown');
  });

  it('GA4 traffic acquisition export', async () => {
    const content = lines([
      '# ----------------------------------------',
      '# Traffic acquisition: Session primary channel group (Default Channel Group)',
      '# Account: Acme',
      '# Start date: 20261001',
      '# End date: 20261031',
      '# ----------------------------------------',
      '',
      'Date,Session primary channel group,Sessions,Engaged sessions,Key events',
      '20261001,Organic Search,1200,900,14',
      '20261001,Direct,300,150,2',
    ]);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(report.format).toMatchObject({ headerLine: 8, preambleLines: 7 });
    expect(records).toEqual([
      { date: '2026-10-01', channel: 'Organic Search', sessions: 1200, engaged_sessions: 900, bounce_rate: 0.25, conversions: 14 },
      { date: '2026-10-01', channel: 'Direct', sessions: 300, engaged_sessions: 150, bounce_rate: 0.5, conversions: 2 },
    ]);
  });

  it('a hand-made customers sheet', async () => {
    const content = withUtf8Bom(lines([
      'Customer ID,Company,Customer Since,Churn Date,MRR,Marketing Sourced',
      'C-1,Acme,3/15/2025,,"$1,200.00",yes',
      'C-2,Globex,1/2/2026,10/31/2026,$99,no',
      'C-3,Initech,2026-10-01,,,',
    ], '\r\n'));
    const { report, records } = await validate('customers', content);
    expect(report.status).toBe('accepted');
    expect(records).toEqual([
      { customer_id: 'C-1', started_at: '2025-03-15', mrr_minor: 120_000, marketing_sourced: true },
      { customer_id: 'C-2', started_at: '2026-01-02', churned_at: '2026-10-31', mrr_minor: 9_900, marketing_sourced: false },
      { customer_id: 'C-3', started_at: '2026-10-01' },
    ]);
    const early = await validate('customers', lines(['Customer ID,Customer Since,Churn Date', 'C-1,2026-10-05,2026-10-01']));
    expect(early.report.errors).toMatchObject([{ code: 'date-order', row: 2, column: 'churned_at' }]);
  });
});

describe('more vendor details', () => {
  it('GA4: the real header "Session primary channel group (Default Channel Group)"', async () => {
    const content = lines([
      '# Traffic acquisition: Session primary channel group (Default Channel Group)',
      'Date,Session primary channel group (Default Channel Group),Sessions,Engaged sessions,Key events,Total revenue (USD)',
      '20261001,Organic Search,1200,900,14,12.5',
    ]);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(report.columns.channel).toBe('Session primary channel group (Default Channel Group)');
    expect(records).toEqual([{ date: '2026-10-01', channel: 'Organic Search', sessions: 1200, engaged_sessions: 900, bounce_rate: 0.25, conversions: 14 }]);
  });

  it('a header that matches as written wins over one that matches without its parenthesised part', async () => {
    const { report } = await validate('web_traffic', lines(['Date,Channel (legacy),Channel,Sessions', '20261001,a,b,1']));
    expect(report.status).toBe('accepted');
    expect(report.columns.channel).toBe('Channel');
  });

  it('Meta: a row spanning two reporting periods of the configured type', async () => {
    const header = 'Campaign name,Reporting starts,Reporting ends,Amount spent (USD)';
    const octoberToNovember = lines([header, 'Autumn,2026-10-26,2026-11-01,10.00']);
    const month = await validate('spend', octoberToNovember);
    expect(month.report.errors).toMatchObject([{ code: 'constraint-error', row: 2, column: 'date_end' }]);
    expect(month.report.errors[0]?.message).toContain('two reporting months (2026-10 and 2026-11)');
    // The same row lies in one quarter, and in one ISO week (Monday 26 October .. Sunday 1 November).
    expect((await validate('spend', octoberToNovember, { settings: { periodType: 'quarter' } })).report.status).toBe('accepted');
    expect((await validate('spend', octoberToNovember, { settings: { periodType: 'week' } })).report.status).toBe('accepted');
    const twoWeeks = await validate('spend', lines([header, 'Autumn,2026-10-01,2026-10-05,10.00']), { settings: { periodType: 'week' } });
    expect(twoWeeks.report.errors[0]?.message).toContain('two reporting weeks (2026-W40 and 2026-W41)');
    const backwards = await validate('spend', lines([header, 'Autumn,2026-10-05,2026-10-01,10.00']));
    expect(backwards.report.errors).toMatchObject([{ code: 'date-order', column: 'date_end' }]);
  });

  it('Salesforce: the footer under a report (Grand Totals, confidentiality notice, copyright) is skipped', async () => {
    const content = lines([
      '"Opportunity ID","Opportunity Name","Stage","Amount","Created Date","Close Date"',
      '"006A1","Acme","Closed Won","$12,500.00","9/14/2026","10/20/2026"',
      '"006A2","Globex","Prospecting","$3,000.00","10/2/2026","1/15/2027"',
      '"Grand Totals (2 records)","","","$15,500.00","",""',
      '""',
      '""',
      '"Confidential Information - Do Not Distribute"',
      '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
    ], '\r\n');
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records.map((r) => r.opportunity_id)).toEqual(['006A1', '006A2']);
    expect(where(report.warnings, 'summary-row')).toEqual([{ row: 4, line: 4, column: undefined }]);
    // The `""` lines are records too (one empty cell each: skipped as blank, still counted).
    expect(where(report.warnings, 'footer-row')).toEqual([
      { row: 7, line: 7, column: undefined },
      { row: 8, line: 8, column: undefined },
    ]);
  });

  it('a lone filled first cell in the middle of the data is an error, not a footer', async () => {
    const content = lines(['Record ID,Create Date,Original Source', 'L1,2026-10-01,web', 'L2', 'L3,2026-10-01,web']);
    const { report } = await validate('leads', content);
    expect(report.errors).toMatchObject([{ code: 'missing-cell', row: 3 }, { code: 'missing-cell', row: 3 }]);
  });

  it('; files: counts with . or space thousands separators', async () => {
    const content = lines(['Date;Sessions;Engaged sessions;Key events', '20261001;1.234;1 000;"2.000"', '20261002;12;7;0']);
    const { report, records } = await validate('web_traffic', content);
    expect(report.errors).toEqual([]);
    expect(records.map((r) => [r.sessions, r.engaged_sessions, r.conversions])).toEqual([[1234, 1000, 2000], [12, 7, 0]]);
    const bad = await validate('web_traffic', lines(['Date;Sessions', '20261001;1.5']));
    expect(bad.report.errors).toMatchObject([{ code: 'type-error', column: 'sessions', value: '1.5' }]);
  });
});
