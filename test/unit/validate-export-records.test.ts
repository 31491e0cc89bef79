// The normalised records written to the sink.
import { describe, expect, it } from 'vitest';
import type { LeadRecord, OpportunityRecord } from '../../lambdas/domain/datasets/records.ts';
import { LEADS_HEADER, OPPS_HEADER, lines, validate } from '../helpers/export-builders.ts';

describe('the records written to the sink', () => {
  it('normalizes lead dates and statuses and derives marketing_sourced from the source', async () => {
    const content = lines([
      LEADS_HEADER,
      'L1,2026-10-01 09:15,Organic Search,2026-10-02T10:00:00Z,10/3/2026,Accepted,',
      'L2,10/1/2026 9:15 PM,Outbound,,2026-10-04,Unqualified,',
      'L3,20261001,Sales Generated,,2026-10-04,yes,2026-10-20',
      'L4,2026-10-01,SDR prospecting,,2026-10-04,No,',
      'L5,2026-10-01,Paid Social,,2026-10-04,pending,',
      'L6,2026-10-01T08:00:00+02:00,BDR,,2026-10-04,REJECTED,',
    ]);
    const { report, records } = await validate('leads', content);
    expect(report.status).toBe('accepted');
    expect(report.acceptedRows).toBe(6);
    expect(records).toEqual<LeadRecord[]>([
      {
        lead_id: 'L1', created_at: '2026-10-01T09:15:00', source: 'Organic Search', mql_at: '2026-10-02T10:00:00Z',
        sql_at: '2026-10-03', sql_status: 'accepted', marketing_sourced: true,
      },
      { lead_id: 'L2', created_at: '2026-10-01T21:15:00', source: 'Outbound', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
      {
        lead_id: 'L3', created_at: '2026-10-01', source: 'Sales Generated', sql_at: '2026-10-04', sql_status: 'accepted',
        customer_at: '2026-10-20', marketing_sourced: false,
      },
      { lead_id: 'L4', created_at: '2026-10-01', source: 'SDR prospecting', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
      { lead_id: 'L5', created_at: '2026-10-01', source: 'Paid Social', sql_at: '2026-10-04', sql_status: 'pending', marketing_sourced: true },
      { lead_id: 'L6', created_at: '2026-10-01T06:00:00Z', source: 'BDR', sql_at: '2026-10-04', sql_status: 'rejected', marketing_sourced: false },
    ]);
  });

  it('takes a Marketing Sourced column over the source, and a configured sales-sourced list', async () => {
    const content = lines(['Record ID,Create Date,Source,Marketing Sourced', 'L1,2026-10-01,Outbound,yes', 'L2,2026-10-01,Webinar,N', 'L3,2026-10-01,Partner referral,']);
    const { records } = await validate('leads', content);
    expect(records.map((r) => r.marketing_sourced)).toEqual([true, false, true]);
    const custom = await validate('leads', content, { settings: { salesSourcedSources: ['partner'] } });
    expect(custom.records.map((r) => r.marketing_sourced)).toEqual([true, false, false]);
  });

  it('maps opportunity stage labels to a status and drops an open deal\'s expected close date, even in the future', async () => {
    const content = lines([
      OPPS_HEADER,
      'D1,2026-09-01,Closed Won,2026-10-20,"$12,500.00",Organic Search',
      'D2,2026-09-01,closedlost,2026-10-21,800,Outbound',
      'D3,2026-10-01,Contract Sent,2027-03-31,"USD 2,000",',
      'D4,2026-10-01,Won,2026-10-25,0,webinar',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records).toEqual<OpportunityRecord[]>([
      { opportunity_id: 'D1', created_at: '2026-09-01', status: 'won', closed_at: '2026-10-20', amount_minor: 1_250_000, source: 'Organic Search', marketing_sourced: true },
      { opportunity_id: 'D2', created_at: '2026-09-01', status: 'lost', closed_at: '2026-10-21', amount_minor: 80_000, source: 'Outbound', marketing_sourced: false },
      { opportunity_id: 'D3', created_at: '2026-10-01', status: 'open', amount_minor: 200_000, marketing_sourced: false },
      { opportunity_id: 'D4', created_at: '2026-10-01', status: 'won', closed_at: '2026-10-25', amount_minor: 0, source: 'webinar', marketing_sourced: true },
    ]);
  });

  it('holds a won deal to the future-date rule and requires its close date', async () => {
    const content = lines([OPPS_HEADER, 'D1,2026-10-01,Closed Won,2027-03-31,100,web', 'D2,2026-10-01,Closed Lost,,100,web', 'D3,2026-10-01,,,100,web']);
    const { report } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['future-date', 2, 'closed_at'],
      ['missing-value', 3, 'closed_at'],
      ['missing-value', 4, 'status'],
    ]);
  });

  it("lets a Salesforce report's Closed and Won columns decide the status", async () => {
    const content = lines([
      'Opportunity ID,Created Date,Stage,Close Date,Amount,Closed,Won',
      'O1,10/1/2026,Negotiation,10/20/2026,100,1,1',
      'O2,10/1/2026,Closed Won,10/21/2026,100,TRUE,FALSE',
      'O3,10/1/2026,Closed Won,12/31/2026,100,false,false',
    ]);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records.map((r) => [r.opportunity_id, r.status, r.closed_at])).toEqual([
      ['O1', 'won', '2026-10-20'],
      ['O2', 'lost', '2026-10-21'],
      ['O3', 'open', undefined],
    ]);
    expect(report.columns).not.toHaveProperty('closed_flag');
  });

  it('derives the status from Closed and Won when a Salesforce report has no Stage column', async () => {
    const content = lines(['Opportunity ID,Created Date,Close Date,Amount,Closed,Won', 'O1,10/1/2026,10/20/2026,100,1,0']);
    const { report, records } = await validate('opportunities', content, { uploadedAt: '2026-11-01T00:00:00Z' });
    expect(report.errors).toEqual([]);
    expect(records).toMatchObject([{ opportunity_id: 'O1', status: 'lost', closed_at: '2026-10-20' }]);
  });

  it('defaults spend channel, campaign and category, and keys by all of them', async () => {
    const content = lines(['Month,Cost,Category', '2026-10,"1,000.00",Sales', '2026-10,250,']);
    const { records } = await validate('spend', content);
    expect(records).toEqual([
      { date: '2026-10', amount_minor: 100_000, channel: 'unspecified', campaign: '', category: 'sales' },
      { date: '2026-10', amount_minor: 25_000, channel: 'unspecified', campaign: '', category: 'marketing' },
    ]);
  });

  it('derives the bounce rate from engaged sessions, or reads it as a fraction or a percent', async () => {
    const content = lines(['Date,Channel,Sessions,Engaged sessions,Bounce rate', '20261001,Organic,200,150,', '20261001,Paid,100,,42%', '20261002,Paid,100,,0.5']);
    const { records } = await validate('web_traffic', content);
    expect(records).toEqual([
      { date: '2026-10-01', channel: 'Organic', sessions: 200, engaged_sessions: 150, bounce_rate: 0.25 },
      { date: '2026-10-01', channel: 'Paid', sessions: 100, bounce_rate: 0.42 },
      { date: '2026-10-02', channel: 'Paid', sessions: 100, bounce_rate: 0.5 },
    ]);
  });
});
