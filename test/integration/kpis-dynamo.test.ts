/**
 * The KPI handler against the DynamoDB stand-in (dynalite over HTTP): exports validated by the validation handler,
 * KPIs computed by the compute handler, then read back with the two access patterns, each one Query: all KPIs of
 * a period, and one KPI over its last 13 periods (the history index). Recomputing with the same inputs writes
 * the same items; a corrected upload replaces them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { TABLE_SCHEMA } from '../../lambdas/domain/layout.ts';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

/** October 2026: 6 leads (3 webinar, 2 paid search, 1 organic), 3 MQLs, 2 SQLs (1 accepted). */
const LEADS = [
  'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status',
  '1,2026-10-01 09:00,Webinar,2026-10-02,2026-10-05,Accepted',
  '2,2026-10-02 09:00,Webinar,2026-10-03,2026-10-06,Rejected',
  '3,2026-10-03 09:00,Webinar,2026-10-04,,',
  '4,2026-10-04 09:00,Paid Search,,,',
  '5,2026-10-05 09:00,Paid Search,,,',
  '6,2026-10-06 09:00,Organic Search,,,',
  '7,2026-09-15 09:00,Organic Search,,,',
].join('\n');

/** The corrected export: lead 4 was an MQL on 7 October and accepted as an SQL on 9 October; lead 2 is accepted. */
const CORRECTED = [
  'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status',
  '2,2026-10-02 09:00,Webinar,2026-10-03,2026-10-06,Accepted',
  '4,2026-10-04 09:00,Paid Search,2026-10-07,2026-10-09,Accepted',
].join('\n');

const SPEND = [
  'Day,Channel,Category,Cost',
  '2026-10-01,Webinar,marketing,300.00',
  '2026-10-02,Paid Search,marketing,150.30',
  '2026-09-20,Webinar,marketing,100.00',
].join('\n');

let stack: TestStack;
const pk = (periodId: string) => `KPIS#${periodId}`;

/** One Query: the period's partition (every KPI and the summary). */
async function queryPeriod(periodId: string) {
  return stack.clients.dynamodb.send(new QueryCommand({
    TableName: stack.standIns.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk(periodId) },
  }));
}

/** One Query: a KPI's last 13 periods on the history index, oldest first. */
async function queryHistory(kpiId: string, fromId: string, toId: string) {
  const { name, partitionKey, sortKey } = TABLE_SCHEMA.kpiHistoryIndex;
  return stack.clients.dynamodb.send(new QueryCommand({
    TableName: stack.standIns.table, IndexName: name,
    KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#p': partitionKey, '#s': sortKey },
    ExpressionAttributeValues: { ':p': `KPI#${kpiId}#month`, ':from': fromId, ':to': toId },
  }));
}

async function upload(key: string, body: string): Promise<void> {
  await stack.put(key, body);
  expect(await validateUpload(stack.events.at(-1)!)).toEqual({ outcomes: ['accepted'] });
}

beforeAll(async () => {
  stack = await startTestStack();
  await upload('incoming/leads/1-october.csv', LEADS);
  await upload('incoming/spend/google-ads.csv', SPEND);
});
afterAll(async () => {
  await stack?.stop();
});

describe('KPIs in DynamoDB', () => {
  it('one Query returns every KPI of a period and its summary with the completeness check', async () => {
    expect(await computeKpis({ period: '2026-10' })).toEqual({ period: '2026-10', computed: expect.arrayContaining(['2025-09', '2026-10']) });

    const r = await queryPeriod('2026-10');
    expect(r.LastEvaluatedKey).toBeUndefined();
    const items = r.Items!;
    // The KPIs, the summary, and the breakdowns the records carry: sources on leads and spend (no campaign column).
    expect(items.map((i) => i.sk).sort()).toEqual([
      '#PERIOD', ...METRICS.map((m) => m.id), 'cost_per_lead#BY#source#000', 'mql_to_sql_rate#BY#source#000',
    ].sort());
    const byId = new Map(items.map((i) => [i.sk, i]));
    expect(byId.get('leads')).toMatchObject({ value: 6, periodId: '2026-10', periodType: 'month' });
    expect(byId.get('mql_to_sql_rate')).toMatchObject({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(byId.get('sql_acceptance_rate')).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    // ($300 + $150.30) / 6 leads; per channel where a spend channel is a lead source
    expect(byId.get('cost_per_lead')).toMatchObject({
      value: 75.05, numerator: 450.3, denominator: 6,
      segments: { webinar: { value: 100, numerator: 300, denominator: 3 }, 'paid search': { value: 75.15, numerator: 150.3, denominator: 2 } },
    });
    expect(byId.get('revenue')).toMatchObject({ value: null, reason: 'no opportunities export covers 2026-10' });

    const summary = byId.get('#PERIOD')!;
    expect(summary.missing).toEqual(['opportunities', 'customers', 'web_traffic']);
    expect(summary.completeness.leads).toMatchObject({
      records: 6, firstDate: '2026-10-01', lastDate: '2026-10-06', latestUpload: { key: 'incoming/leads/1-october.csv' },
    });
    expect(summary.completeness.customers).toMatchObject({ records: 0, requiredBy: expect.arrayContaining(['clv', 'customer_retention_rate']) });
    expect(summary.completeness.customers.latestUpload).toBeUndefined();
  });

  it('one Query on the history index returns a KPI over its last 13 periods, oldest first', async () => {
    const r = await queryHistory('leads', '2025-10', '2026-10');
    expect(r.LastEvaluatedKey).toBeUndefined();
    expect(r.Items!.map((i) => i.periodId)).toEqual([
      '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
    ]);
    expect(r.Items!.at(-1)).toMatchObject({ value: 6 });
    expect(r.Items!.at(-2)).toMatchObject({ value: 1 }); // lead 7, 15 September
    expect(r.Items![0]).toMatchObject({ value: null, reason: 'no leads export covers 2025-10' });
    // The adapter reads the same way.
    expect((await stack.table.kpis.getHistory('leads', 'month', '2025-10', '2026-10')).map((k) => k.value)).toEqual(r.Items!.map((i) => i.value));
  });

  it('recomputing from the same inputs writes the same items', async () => {
    const before = (await queryPeriod('2026-10')).Items;
    const beforeAugust = (await queryPeriod('2026-08')).Items;
    await computeKpis({ period: '2026-10' });
    await computeKpis({ from: '2026-08', to: '2026-10' });
    expect((await queryPeriod('2026-10')).Items).toEqual(before);
    expect((await queryPeriod('2026-08')).Items).toEqual(beforeAugust);
  });

  it('recomputing removes an item of the period that is no longer computed', async () => {
    await stack.clients.dynamodb.send(new PutCommand({
      TableName: stack.standIns.table,
      Item: { pk: pk('2026-10'), sk: 'retired_kpi', gsi1pk: 'KPI#retired_kpi#month', gsi1sk: '2026-10', id: 'retired_kpi', value: 1 },
    }));
    await computeKpis({ period: '2026-10' });
    expect((await queryPeriod('2026-10')).Items!.map((i) => i.sk)).not.toContain('retired_kpi');
  });

  it('a corrected upload and a recompute replace the items, in both access patterns', async () => {
    const before = new Map((await queryPeriod('2026-10')).Items!.map((i) => [i.sk, i]));
    // A later upload of another key: ordered by its event's time (milliseconds), not S3's one-second Last-Modified.
    await upload('incoming/leads/2-october-corrected.csv', CORRECTED);
    await computeKpis({ period: '2026-10' });

    const after = new Map((await queryPeriod('2026-10')).Items!.map((i) => [i.sk, i]));
    expect(after.size).toBe(before.size);
    // MQLs 1, 2, 3 and now 4 → 4; SQLs 1, 2, 4 → 3, all accepted but none rejected: 3 of 3
    expect(after.get('mqls')).toMatchObject({ value: 4 });
    expect(after.get('mql_to_sql_rate')).toMatchObject({ value: 0.75, numerator: 3, denominator: 4 });
    expect(after.get('sql_acceptance_rate')).toMatchObject({ value: 1, numerator: 3, denominator: 3 });
    expect(after.get('leads')).toMatchObject({ value: 6 });
    const uploads = await stack.table.uploads.listUploads('leads');
    expect(after.get('mqls')!.uploads).toEqual(uploads.map((u) => u.uploadId)); // both leads uploads have October records
    expect(after.get('#PERIOD')!.completeness.leads.latestUpload.key).toBe('incoming/leads/2-october-corrected.csv');
    expect(after.get('#PERIOD')!.computedAt > before.get('#PERIOD')!.computedAt).toBe(true);
    expect(after.get('#PERIOD')!.inputsDigest).not.toBe(before.get('#PERIOD')!.inputsDigest);

    const history = await queryHistory('sql_acceptance_rate', '2025-10', '2026-10');
    expect(history.Items!).toHaveLength(13);
    expect(history.Items!.at(-1)).toMatchObject({ periodId: '2026-10', value: 1 });
    // September's values come from the first upload only (the corrected one has no September record).
    const september = (await queryPeriod('2026-09')).Items!.find((i) => i.sk === 'leads')!;
    expect(september).toMatchObject({ value: 1, uploads: [uploads[0]!.uploadId] });
  });
});
