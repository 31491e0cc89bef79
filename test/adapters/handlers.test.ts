/**
 * The handlers with the AWS SDK mocked (aws-sdk-client-mock): the calls each makes, in order, and how it
 * treats duplicates and failures. The same handlers run against the stand-ins in test/integration.
 */
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { handler as validateUpload, decodeS3Key } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis, periodsToCompute } from '../../lambdas/handlers/compute-kpis.ts';
import { handler as sendScorecard, periodOfEvent } from '../../lambdas/handlers/send-scorecard.ts';
import { uploadIdOf } from '../../lambdas/use-cases/ingest-upload.ts';
import { s3Event } from '../helpers/events.ts';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);

process.env.SCORECARD_BUCKET = 'exports-bucket';
process.env.SCORECARD_TABLE = 'scorecard-table';

// The adapter only iterates the body as a Node stream, which is what the SDK returns in Node.
const body = (s: string | Buffer) => Readable.from([Buffer.from(s)]) as never;


beforeEach(() => {
  s3.reset();
  ddb.reset();
  ses.reset();
});

describe('validate-upload handler', () => {
  it('decodes S3 event keys (spaces as +, UTF-8 percent-escapes)', () => {
    expect(decodeS3Key('incoming/leads/Oct+2026+%C3%A9t%C3%A9.csv')).toBe('incoming/leads/Oct 2026 été.csv');
  });

  it('reads the exact version from the event, stores records, writes the report and records the upload', async () => {
    s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 80, ETag: '"e"', VersionId: 'v1' });
    s3.on(GetObjectCommand, { Key: 'incoming/leads/Oct export.csv' }).resolves({
      Body: body('Record ID,Create Date,Original Source\n1,2026-10-01,Webinar\n2,2026-10-02,Direct\n'),
    });
    s3.on(PutObjectCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    expect(await validateUpload(s3Event('incoming/leads/Oct+export.csv'))).toEqual({ outcomes: ['accepted'] });

    expect(s3.commandCalls(HeadObjectCommand)[0]!.args[0].input).toMatchObject({ Key: 'incoming/leads/Oct export.csv', VersionId: 'v1' });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toMatchObject({ VersionId: 'v1' });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const records = puts.find((p) => p.Key?.startsWith('accepted/leads/'));
    const lines = gunzipBody(records!.Body).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((r) => r.lead_id)).toEqual(['1', '2']);
    expect(puts.some((p) => p.Key?.startsWith('reports/leads/'))).toBe(true);
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(item.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(item.Item).toMatchObject({ pk: 'UPLOADS#leads', status: 'accepted', rows: 2, versionId: 'v1' });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('does nothing for an upload already recorded (a redelivered event)', async () => {
    s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 80, VersionId: 'v1' });
    ddb.on(GetCommand).resolves({ Item: { pk: 'UPLOADS#leads', sk: 'x', status: 'accepted' } });
    expect(await validateUpload(s3Event('incoming/leads/a.csv'))).toEqual({ outcomes: ['duplicate'] });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('ignores keys outside incoming/<dataset>/', async () => {
    expect(await validateUpload(s3Event('incoming/unknown/a.csv'))).toEqual({ outcomes: ['ignored'] });
    expect(s3.calls()).toHaveLength(0);
  });

  it('rejects: copies the raw file aside with its report and emails ops once', async () => {
    s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 10, VersionId: 'v2' });
    s3.on(GetObjectCommand).resolves({ Body: body('hello, this is not an export\n') });
    s3.on(PutObjectCommand).resolves({});
    s3.on(CopyObjectCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });

    expect(await validateUpload(s3Event('incoming/leads/sub/notes.csv', 'v2'))).toEqual({ outcomes: ['rejected'] });
    // A folder per upload (the id of the bucket, key and version), under the sub-folders the file was in.
    const copyKey = `rejected/leads/sub/${uploadIdOf({ bucket: 'exports-bucket', key: 'incoming/leads/sub/notes.csv', versionId: 'v2' }, { versionId: 'v2', lastModified: '2026-11-01T00:00:00.000Z' })}/notes.csv`;
    expect(s3.commandCalls(CopyObjectCommand)[0]!.args[0].input).toMatchObject({
      Key: copyKey, CopySource: 'exports-bucket/incoming/leads/sub/notes.csv?versionId=v2',
    });
    const report = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === `${copyKey}.report.json`);
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ status: 'rejected', reportKey: `${copyKey}.report.json` });
    expect(JSON.parse(String(report!.args[0].input.Body)).errorCounts).toEqual({ 'missing-column': 3 });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.Destinations).toEqual(['ops@example.com']);
  });

  it('lets an S3 failure propagate, so Lambda retries, and records nothing', async () => {
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }));
    await expect(validateUpload(s3Event('incoming/leads/a.csv'))).rejects.toThrow('Service Unavailable');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('compute-kpis handler', () => {
  it('computes the period that just closed, in the configured zone, plus the trend window', () => {
    const { target, periods } = periodsToCompute({}, new Date('2026-11-01T05:00:00Z'), 'month', 'Europe/Paris');
    expect(target.id).toBe('2026-10');
    expect(periods).toHaveLength(14);
    expect(periods[0]!.id).toBe('2025-09');
    // At 05:00 UTC on 1 November it is still 31 October in Los Angeles: October has not closed there yet.
    expect(periodsToCompute({}, new Date('2026-11-01T05:00:00Z'), 'month', 'America/Los_Angeles').target.id).toBe('2026-09');
  });

  it('backfills a range', () => {
    expect(periodsToCompute({ from: '2026-01', to: '2026-03' }, new Date(), 'month', 'UTC').periods.map((p) => p.id))
      .toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('writes every KPI of each period with BatchWrite, retrying unprocessed items', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    let first = true;
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
      const items = input.RequestItems['scorecard-table']!;
      if (first) { first = false; return { UnprocessedItems: { 'scorecard-table': items.slice(0, 2) } }; }
      return { UnprocessedItems: {} };
    });
    const r = await computeKpis({ from: '2026-10', to: '2026-10' });
    expect(r).toEqual({ period: '2026-10', computed: ['2026-10'] });
    const written = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems!['scorecard-table']!);
    const keys = written.map((w) => (w as { PutRequest: { Item: { sk: string } } }).PutRequest.Item.sk);
    expect(keys).toContain('#PERIOD');
    expect(keys).toContain('mql_to_sql_rate');
    expect(new Set(keys).size).toBe(25); // 24 KPIs and the period summary, the 2 unprocessed written again
    expect(keys.length).toBe(27);
  });
});

describe('send-scorecard handler', () => {
  it('takes the period from a destination record or a direct call', () => {
    expect(periodOfEvent({ responsePayload: { period: '2026-10' } })).toBe('2026-10');
    expect(periodOfEvent({ period: '2026-Q3' })).toBe('2026-Q3');
    expect(() => periodOfEvent({})).toThrow(/no period/);
  });

  it('skips a recipient whose send is already claimed, and releases the claim when SES fails', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'KPIS#2026-10', sk: 'leads', id: 'leads', value: 5, periodId: '2026-10', periodType: 'month', uploads: [], computedAt: 'x' }] });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const skipped = await sendScorecard({ period: '2026-10' });
    expect(skipped).toMatchObject({ sent: [], alreadySent: ['executives@example.com'] });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);

    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Throttling'), { name: 'Throttling' }));
    await expect(sendScorecard({ period: '2026-10' })).rejects.toThrow('Throttling');
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input.Key).toEqual({ pk: 'SENDS#2026-10', sk: 'executives@example.com' });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

function gunzipBody(b: unknown): string {
  // The records file is streamed through lib-storage; with a small body it arrives as one PutObject body.
  if (Buffer.isBuffer(b) || b instanceof Uint8Array) return gunzipSync(b).toString();
  throw new Error(`unexpected body type ${typeof b}`);
}
