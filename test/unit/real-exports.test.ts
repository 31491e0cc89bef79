/**
 * What testers met in real, public exports (December 2026), each reduced to the shape that mattered: the same
 * headers, values and layout, not the files themselves.
 */
import { describe, expect, it } from 'vitest';
import type { LeadRecord, SpendRecord } from '../../lambdas/domain/datasets/records.ts';
import { lines, validate } from '../helpers/export-builders.ts';
import { handWorkbook } from '../helpers/xlsx-builder.ts';
import { kpi, kpis, sets } from '../helpers/metric-builders.ts';

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

  it('Google Ads spend (no channel column) and leads by source: no source has a cost per lead of $0, the total is right', async () => {
    const ads = await validate('spend', lines([
      'Campaign report', '"October 1, 2026 - October 31, 2026"', 'Day,Campaign,Currency code,Cost,Impr.,Clicks',
      '2026-10-01,Brand,USD,120.00,1000,50', '2026-10-02,Generic,USD,80.00,900,30', 'Total: Account,--,USD,200.00,1900,80',
    ]));
    expect(ads.report).toMatchObject({ status: 'accepted', format: { profile: 'google-ads-en' } });
    expect(ads.records.map((r) => r.channel)).toEqual(['unspecified', 'unspecified']);
    const leads: LeadRecord[] = [1, 2, 3, 4].map((i) => ({ lead_id: `L${i}`, created_at: '2026-10-05', source: i < 4 ? 'Paid Search' : 'Organic Search', marketing_sourced: true }));
    const cpl = kpi(kpis(sets({ spend: ads.records as SpendRecord[], leads })), 'cost_per_lead');
    expect(cpl).toMatchObject({ value: 50, numerator: 200, denominator: 4 });
    // The $200 came with no channel: "paid search" did not cost $0 a lead, and the email must not say it did.
    expect(cpl.breakdowns?.source).toEqual({
      'organic search': { value: null, numerator: 0, denominator: 1 },
      'paid search': { value: null, numerator: 0, denominator: 3 },
      unspecified: { value: null, numerator: 200, denominator: 0 },
    });
  });

  it('a Stripe customers export: a custom field "account_id (metadata)" is not the Account ID column; "id" is suggested', async () => {
    const content = lines([
      'id,Description,Email,Name,Created (UTC),Plan,Status,account_id (metadata),plan (metadata)',
      'cus_P1,,a@example.com,Ana,2026-09-01 10:00:00,price_1Abc,active,acct-7,pro',
      'cus_P2,,b@example.com,Bo,2026-09-02 11:00:00,,,,',
    ]);
    const { report } = await validate('customers', content);
    expect(report.status).toBe('rejected');
    expect(report.columns.customer_id).toBeUndefined();
    expect(report.errorCounts['missing-column']).toBeGreaterThan(0);
    expect((report.suggestions?.customer_id ?? []).map((x) => x.header)[0]).toBe('id');
  });

  it('a Google Ads ad group report with "Currency code" twice is read (every copy checked), not a duplicate-column', async () => {
    const content = lines([
      'Ad group report', '"October 1, 2026 - October 31, 2026"', 'Day,Ad group,Campaign,Currency code,Cost,Currency code,Clicks',
      '2026-10-01,AG 1,Brand,USD,10.50,USD,5', '2026-10-02,AG 2,Brand,USD,4.50,USD,3',
    ]);
    const ok = await validate('spend', content);
    expect(ok.report).toMatchObject({ status: 'accepted', format: { profile: 'google-ads-en' } });
    expect(ok.records.map((r) => r.amount_minor)).toEqual([1050, 450]);
    // The currency is still checked: another one than the configured is refused.
    const eur = await validate('spend', content.replace(/USD,10\.50/, 'EUR,10.50'));
    expect(eur.report.errorCounts).toMatchObject({ 'currency-mismatch': 1 });
    // Every copy is read: copies that disagree are an error, and a blank first copy does not hide the second.
    const disagree = await validate('spend', content.replace('2026-10-02,AG 2,Brand,USD,4.50,USD,3', '2026-10-02,AG 2,Brand,USD,4.50,EUR,3'));
    expect(disagree.report.errors.map((e) => [e.row, e.code, e.message])).toEqual([[3, 'currency-mismatch', 'the file\'s 2 "currency" columns disagree on this row: USD, EUR']]);
    const blankFirst = await validate('spend', content.replace('2026-10-02,AG 2,Brand,USD,4.50,USD,3', '2026-10-02,AG 2,Brand,,4.50,EUR,3'));
    expect(blankFirst.report.errorCounts).toMatchObject({ 'currency-mismatch': 1 });
    // Two headers that are one after normalising, for another column, are still a mistake.
    const twice = await validate('spend', lines(['Day,Campaign,Cost,Cost', '2026-10-01,Brand,1,2']));
    expect(twice.report.errorCounts).toMatchObject({ 'duplicate-column': 1 });
  });

  it('a GA4 exploration: its "Grand total" row, first, labelled past the last column, is skipped as a summary row', async () => {
    const content = lines([
      '# ----------------------------------------', '# Acme GA4', '# Free form 1', '# 20261001-20261031', '# ----------------------------------------', '',
      'Date,Session primary channel group (Default Channel Group),Sessions,Engaged sessions',
      ',,1500,1100,Grand total',
      '20261001,Organic Search,900,700', '20261001,Direct,600,400',
    ]);
    const { report, records } = await validate('web_traffic', content);
    expect(report.status).toBe('accepted');
    expect(records.map((r) => [r.date, r.channel, r.sessions])).toEqual([['2026-10-01', 'Organic Search', 900], ['2026-10-01', 'Direct', 600]]);
    expect(report.warnings.filter((w) => w.code === 'summary-row').map((w) => [w.row, w.value])).toEqual([[2, 'Grand total']]);
    // A row of the data with a stray cell is still an error, not a summary.
    const stray = await validate('web_traffic', content.replace('20261001,Direct,600,400', '20261001,Direct,600,400,x'));
    expect(stray.report.errorCounts).toMatchObject({ 'extra-cell': 1 });
  });

  it('a Meta export broken down by Month and Platform: the total row first is skipped, each row covers its range of days', async () => {
    const header = '\ufeff"Account name",Month,Platform,Reach,Impressions,Currency,"Amount spent (USD)","Link clicks","Reporting starts","Reporting ends"';
    const content = lines([
      header,
      ',,,4887984,8595576,USD,1234.50,101679,2026-08-28,2026-10-30',
      'Acme,"2026-08-28 - 2026-08-31",facebook,1000,2000,USD,100.25,30,2026-08-28,2026-10-30',
      'Acme,"2026-08-28 - 2026-08-31",instagram,1000,2000,USD,34.25,10,2026-08-28,2026-10-30',
      'Acme,"2026-09-01 - 2026-09-30",facebook,1000,2000,USD,600,30,2026-08-28,2026-10-30',
      'Acme,"2026-10-01 - 2026-10-30",facebook,1000,2000,USD,500,30,2026-08-28,2026-10-30',
    ]);
    const { report, records } = await validate('spend', content, { uploadedAt: '2026-11-02T10:00:00Z' });
    expect(report).toMatchObject({ status: 'accepted', format: { profile: 'meta-ads' } });
    expect(report.warnings.filter((w) => w.code === 'summary-row').map((w) => w.row)).toEqual([2]);
    expect(records.map((r) => [r.date, r.channel, r.amount_minor])).toEqual([
      ['2026-08-28', 'facebook', 10_025], ['2026-08-28', 'instagram', 3_425], ['2026-09-01', 'facebook', 60_000], ['2026-10-01', 'facebook', 50_000],
    ]);
    // A range over two months cannot be put in one: the row says to export by day.
    const spans = await validate('spend', content.replace('"2026-10-01 - 2026-10-30"', '"2026-09-20 - 2026-10-05"'), { uploadedAt: '2026-11-02T10:00:00Z' });
    expect(spans.report.status).toBe('rejected');
    expect(spans.report.errors.map((e) => [e.row, e.code])).toEqual([[6, 'constraint-error']]);
    expect(spans.report.errors[0]!.message).toMatch(/daily breakdown/);
  });

  it('a Meta export that says "No data available." is an empty export, not four errors', async () => {
    const { report } = await validate('spend', lines([
      '"Reporting starts","Reporting ends","Campaign name","Campaign delivery",Results,Reach,Impressions,"Amount spent (USD)",Ends', '"No data available."',
    ]));
    expect(report.errorCounts).toEqual({});
    expect(report.warnings.map((w) => w.code)).toContain('footer-row');
  });

  it('dash dates with the year last (16-04-2026, as Excel re-saves a GA4 export) are read only in a date order said for the file', async () => {
    const content = lines(['Date,Session default channel group,Sessions', '05-10-2026,Organic Search,120', '06-10-2026,Direct,80', '09-10-2026,Direct,70']);
    // The default order (MDY) is nobody's statement about this file: 05-10-2026 would silently become 10 May.
    const unsaid = await validate('web_traffic', content, { settings: { dateOrder: 'MDY' }, draft: true });
    expect(unsaid.report.status).toBe('rejected');
    expect(unsaid.report.errorCounts).toEqual({ 'type-error': 3 });
    expect(unsaid.report.errors[0]!.message).toContain('has dashes and the year last, which tools write day first and month first alike: say which in mapping.json, "dateOrder": "DMY" (day first) or "MDY" (month first)');
    expect((await validate('web_traffic', lines(['Date,Sessions', '16-04-2026,1']))).report.errors[0]!.message).toContain('this one can only be day first');
    // Said by the file's mapping, either way; or by settings that chose DMY (the default is MDY).
    expect((await validate('web_traffic', content, { mapping: { dateOrder: 'DMY' } })).records.map((r) => r.date)).toEqual(['2026-10-05', '2026-10-06', '2026-10-09']);
    expect((await validate('web_traffic', content, { mapping: { dateOrder: 'MDY' } })).records.map((r) => r.date)).toEqual(['2026-05-10', '2026-06-10', '2026-09-10']);
    expect((await validate('web_traffic', content, { settings: { dateOrder: 'DMY' } })).records.map((r) => r.date)).toEqual(['2026-10-05', '2026-10-06', '2026-10-09']);
    // A 13th month under the file's order names the other order.
    const wrong = await validate('web_traffic', lines(['Date,Sessions', '16-04-2026,1']), { mapping: { dateOrder: 'MDY' } });
    expect(wrong.report.errors[0]!.message).toContain('dash dates look like D-M-YYYY');
    // A mix of separators in one date is no date.
    const mixed = await validate('web_traffic', lines(['Date,Sessions', '16-04/2026,1']), { settings: { dateOrder: 'DMY' } });
    expect(mixed.report.errorCounts).toMatchObject({ 'type-error': 1 });
  });

  it('a Google Ads or GA4 export without its date says what to add in the tool, with no mapping draft that cannot work', async () => {
    const ads = await validate('spend', lines([
      'Campaign report', '"October 1, 2026 - October 31, 2026"', 'Campaign,Campaign state,Currency code,Cost,Impr.,Clicks', 'Brand,Enabled,USD,120.00,1000,50',
    ]));
    expect(ads.report).toMatchObject({ status: 'rejected', format: { profile: 'google-ads-en' }, errorCounts: { 'missing-column': 1 } });
    expect(ads.report.errors[0]!.message).toContain('the Google Ads export has no such column: add the "Day" segment to the report');
    expect(ads.report.mappingDraft).toBeUndefined();
    const ga4 = await validate('web_traffic', lines(['Session primary channel group (Default Channel Group),Sessions,Engaged sessions', 'Direct,100,60']));
    expect(ga4.report.errors[0]!.message).toContain('add the "Date" dimension');
    // A sheet of the team's own still gets its closest headers and a draft.
    const own = await validate('spend', lines(['Tag,Kanal,Betrag', '2026-10-01,Google,12.50']));
    expect(own.report.mappingDraft).toBeDefined();
  });

  it('a draft never proposes a column whose values cannot be its type: GA4\'s "Nth day" (0000, 0001) as the date, a Stripe "Plan" of price ids as MRR', async () => {
    const snapshot = await validate('web_traffic', lines(['# Reports snapshot', '# Start date: 20251211', 'Nth day,Active users', '0000,0', '0001,3', '0002,7']));
    expect((snapshot.report.mappingDraft as { columns: Record<string, string> }).columns.date).toBeUndefined();
    const stripe = await validate('customers', lines(['id,Created (UTC),Plan,Status', 'cus_1,2026-09-01 10:00:00,price_1AbCdEf,active', 'cus_2,2026-09-02 11:00:00,,active']), { draft: true });
    expect((stripe.report.mappingDraft as { columns: Record<string, string> }).columns.mrr).toBeUndefined();
  });

  it('a Microsoft Advertising report by hour says to export by day', async () => {
    const { report } = await validate('spend', lines(['TimePeriod,CampaignName,CurrencyCode,Spend,Impressions,Clicks', '2026-10-05|13,Brand,USD,1.20,100,3']));
    expect(report.errors[0]!.message).toContain('an hour of a day (an hourly report): export the report with a daily time unit');
  });

  it('HubSpot deals with a blank Amount: rejected (amount is required), with the mapping that says a blank means 0, which then works', async () => {
    const content = lines([
      'Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date',
      '1,A,Closed won,100,2026-09-01,2026-09-20', '2,B,Closed won,,2026-09-02,2026-09-21', '3,C,Appointment scheduled,,2026-09-03,',
    ]);
    const rejected = await validate('opportunities', content);
    expect(rejected.report.errorCounts).toEqual({ 'missing-value': 2 });
    expect(rejected.report.errors[0]!.message).toContain('if a blank amount means 0 in this file, say so in mapping.json: "values": { "amount": { "0": [""] } }');
    const accepted = await validate('opportunities', content, { mapping: { values: { amount: { '0': [''] } } } });
    expect(accepted.records.map((r) => [r.opportunity_id, r.status, r.amount_minor])).toEqual([['1', 'won', 10_000], ['2', 'won', 0], ['3', 'open', 0]]);
  });

  it('Meta\'s leading total is skipped only when it is the total of the rows below: with its dates filled too; never a record with a campaign', async () => {
    const at = { uploadedAt: '2026-11-02T10:00:00Z' };
    // No time breakdown: the total row has the report's dates, like every row.
    const byPlatform = lines([
      '"Account name",Platform,Reach,Impressions,Currency,"Amount spent (USD)","Reporting starts","Reporting ends"',
      ',,4887984,8595576,USD,1234.50,2026-10-01,2026-10-31', 'Acme,facebook,1,2,USD,1000.25,2026-10-01,2026-10-31', 'Acme,instagram,1,2,USD,234.25,2026-10-01,2026-10-31',
    ]);
    const a = await validate('spend', byPlatform, at);
    expect(a.report).toMatchObject({ status: 'accepted', format: { profile: 'meta-ads' } });
    expect(a.records.map((r) => [r.channel, r.amount_minor])).toEqual([['facebook', 100_025], ['instagram', 23_425]]);
    expect(a.report.warnings.filter((w) => w.code === 'summary-row').map((w) => w.row)).toEqual([2]);
    // A first row that is a record (its campaign filled) with no date is an error, not a total.
    const missingDay = lines(['Campaign name,Day,"Amount spent (USD)","Reporting starts","Reporting ends"', 'Brand,,120.50,2026-10-01,2026-10-31', 'Brand,2026-10-02,60,2026-10-01,2026-10-31', 'Brand,2026-10-03,60.50,2026-10-01,2026-10-31']);
    expect((await validate('spend', missingDay, at)).report.errorCounts).toMatchObject({ 'missing-value': 1 });
    // One account-level row (no campaign, no platform): it is the data, not a total of nothing.
    const one = await validate('spend', lines(['"Amount spent (USD)","Reporting starts","Reporting ends"', '99.90,2026-10-01,2026-10-31']), at);
    expect(one.records.map((r) => r.amount_minor)).toEqual([9_990]);
    // A first row without campaign that is not the sum of the rest is a record too, counted once.
    const notTotal = lines(['Campaign name,"Amount spent (USD)","Reporting starts","Reporting ends"', ',50,2026-10-01,2026-10-31', 'Brand,20,2026-10-01,2026-10-31']);
    expect((await validate('spend', notTotal, at)).records.map((r) => [r.campaign, r.amount_minor])).toEqual([['Brand', 2_000], ['', 5_000]]);
  });

  it('a Meta Day breakdown over two months: each row is its day, the report\'s Reporting ends is not the row\'s end', async () => {
    const at = { uploadedAt: '2026-11-02T10:00:00Z' };
    const content = lines([
      'Campaign name,Day,"Amount spent (USD)","Reporting starts","Reporting ends"',
      'Brand,2026-09-29,10,2026-09-29,2026-10-02', 'Brand,2026-09-30,11,2026-09-29,2026-10-02', 'Brand,2026-10-01,12,2026-09-29,2026-10-02',
    ]);
    const { report, records } = await validate('spend', content, at);
    expect(report.status).toBe('accepted');
    expect(records.map((r) => [r.date, r.amount_minor])).toEqual([['2026-09-29', 1000], ['2026-09-30', 1100], ['2026-10-01', 1200]]);
    // Without the Day column the row covers the report's range, which spans two months: refused, as before.
    const noDay = content.replace('Campaign name,Day,', 'Campaign name,Dia,');
    expect((await validate('spend', noDay, at)).report.errorCounts).toMatchObject({ 'constraint-error': 3 });
  });

  it('a range row and day rows inside it, on the same channel and campaign, overlap: an error, not a sum', async () => {
    const at = { uploadedAt: '2026-11-02T10:00:00Z' };
    const { report } = await validate('spend', lines([
      'Campaign name,Channel,Month,"Amount spent (USD)"', 'Brand,facebook,"2026-10-01 - 2026-10-31",100', 'Brand,facebook,2026-10-20,7', 'Brand,instagram,2026-10-20,5',
    ]), at);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([[3, 'overlapping-granularity']]);
    expect(report.errors[0]!.message).toContain('overlaps row 2');
  });

  it('workbooks: a hidden first sheet (an old copy) is not read; cells merged down data rows are refused, not read as blanks; subtotal rows are skipped', async () => {
    const header = ['Opportunity ID', 'Opportunity Owner', 'Stage', 'Amount', 'Created Date', 'Close Date'];
    const deals = (amount: number): (string | number | { serial: number; format: 'date' })[][] => [
      ['O1', 'Ana', 'Closed Won', amount, { serial: 46296, format: 'date' }, { serial: 46300, format: 'date' }],
      ['O2', 'Ana', 'Closed Lost', amount, { serial: 46297, format: 'date' }, { serial: 46301, format: 'date' }],
    ];
    const hidden = handWorkbook({ sheets: [
      { name: 'old export (Sept)', hidden: true, rows: [header, ...deals(2000)] }, { name: 'Deals', rows: [header, ...deals(1000)] },
    ] });
    const read = await validate('opportunities', hidden);
    expect(read.report.format.sheet).toBe('Deals');
    expect(read.records.map((r) => r.amount_minor)).toEqual([100_000, 100_000]);
    // The owner merged down its group (a Salesforce Formatted Report): refused with what to do.
    const merged = handWorkbook({ sheets: [{ name: 'Report', merged: ['B2:B3'], rows: [header, deals(1000)[0]!, ['O2', null, 'Closed Lost', 1000, { serial: 46297, format: 'date' }, { serial: 46301, format: 'date' }]] }] });
    const refused = await validate('opportunities', merged);
    expect(refused.report.status).toBe('rejected');
    expect(refused.report.errors[0]!.message).toContain('cells B2:B3 of the sheet "Report" are merged over rows 2 to 3');
    expect(refused.report.errors[0]!.message).toContain('export "Details Only"');
    // A title merged across columns above the header is no problem.
    const title = handWorkbook({ sheets: [{ name: 'Report', merged: ['A1:F1'], rows: [['Opportunities by owner'], header, ...deals(1000)] }] });
    expect((await validate('opportunities', title)).report.status).toBe('accepted');
    // Subtotal rows in the middle of the data are totals, skipped.
    const sub = handWorkbook({ sheets: [{ name: 'Report', rows: [header, deals(1000)[0]!, ['Subtotal', null, null, 1000], deals(1000)[1]!, ['Subtotal', null, null, 1000], ['Total', null, null, 2000]] }] });
    const subs = await validate('opportunities', sub);
    expect(subs.report.status).toBe('accepted');
    expect(subs.report.warnings.filter((w) => w.code === 'summary-row')).toHaveLength(3);
    // A workbook whose first sheet has no table (a dashboard of charts) names the others.
    const chart = handWorkbook({ sheets: [{ name: 'Dashboard', rows: [] }, { name: 'Deals', rows: [header, ...deals(1000)] }] });
    expect((await validate('opportunities', chart)).report.errors[0]!.message).toContain('the workbook\'s other sheets: "Deals"');
  });

  it('a team\'s pipeline sheet: the draft takes the sales agent as the owner, not the customer account', async () => {
    const { report } = await validate('opportunities', lines([
      'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
      '1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054', 'Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514',
    ]), { draft: true });
    expect(report.mappingDraft).toMatchObject({ columns: { owner: 'sales_agent' } });
  });

  it('rows skipped as totals or footers leave no blank-value warnings (their blank source is no lead\'s)', async () => {
    const { report, records } = await validate('leads', lines([
      'Lead ID,Created Date,Lead Source', '00Q1,10/1/2026,Web', '00Q2,10/2/2026,', ',,', 'Grand Totals (2 records),,',
      'Confidential Information - Do Not Distribute,,', '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",,',
    ]));
    expect(records.map((r) => [r.lead_id, r.source])).toEqual([['00Q1', 'Web'], ['00Q2', 'unknown']]);
    expect(report.warnings.filter((w) => w.code === 'blank-value').map((w) => w.row)).toEqual([3]);
  });
});
