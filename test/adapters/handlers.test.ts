/**
 * The handlers with the AWS SDK mocked (aws-sdk-client-mock): the calls each makes, in order, and how it
 * treats duplicates and failures; then what they publish (metrics, logs, traces) when they run as Lambda runs
 * them. The same handlers run against the stand-ins in test/integration.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { Tracer } from '@aws-lambda-powertools/tracer';
// The X-Ray SDK Powertools' Tracer drives (its dependency): it stands in for the segment Lambda opens.
import AWSXRay from 'aws-xray-sdk-core';
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

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
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
    ddb.on(QueryCommand).resolves({ Items: [] }); // no removal of the key recorded (retract-upload.ts)
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

// ---- observability: what the handlers publish when they run as Lambda runs them ------------------------------

const GOOD_LEADS = 'Record ID,Create Date,Original Source\n1,2026-10-01,Webinar\n2,2026-10-02,Direct\n';
/** Three rows read, one of them with a date that is not one: rejected (no error tolerance by default). */
const BAD_LEADS = 'Record ID,Create Date,Original Source\n1,2026-10-01,Webinar\n2,not a date,Direct\n3,2026-10-03,Direct\n';

function uploadOf(content: string): void {
  s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: content.length, VersionId: 'v1' });
  s3.on(GetObjectCommand).callsFake(() => ({ Body: body(content) }));
  s3.on(PutObjectCommand).resolves({});
  s3.on(CopyObjectCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });
}

/** Sets environment variables (Lambda's own, say) until the test ends; `undefined` unsets one. */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

/** What is written to stdout and stderr while `run` runs (EMF, log lines, warnings), kept off the console. */
async function outputOf<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout.push(String(chunk)); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr.push(String(chunk)); return true; });
  try {
    return { result: await run(), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

interface Published { service: string; name: string; unit: string; value: number }

/** The metrics in the EMF lines written, as CloudWatch would read them (namespace and dimensions checked). */
function published(stdout: string[]): Published[] {
  const emf = stdout.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
  return emf.flatMap(({ _aws, ...fields }) => _aws.CloudWatchMetrics.flatMap((d: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }) => {
    expect(d.Namespace).toBe('SmarketingScorecard');
    expect(d.Dimensions).toEqual([['service']]);
    return d.Metrics.map((m) => ({ service: fields.service, name: m.Name, unit: m.Unit, value: fields[m.Name] }));
  }));
}

const count = (service: string, name: string, value: number): Published => ({ service, name, unit: 'Count', value });

/** A context as Lambda passes it (only the fields the middlewares and handlers read are real). */
const lambdaContext = (awsRequestId: string, functionName = 'SmarketingScorecard-ValidateLeads'): Context => ({
  functionName, awsRequestId, functionVersion: '$LATEST', memoryLimitInMB: '2048',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  getRemainingTimeInMillis: () => 900_000,
}) as Context;

describe('metrics, in Lambda (EMF on stdout, namespace SmarketingScorecard, dimension service)', () => {
  beforeEach(() => {
    // Lambda sets the function name; tracing stays off (no AWS_EXECUTION_ENV): this is about metrics.
    setEnv({ AWS_LAMBDA_FUNCTION_NAME: 'SmarketingScorecard-ValidateLeads', POWERTOOLS_METRICS_DISABLED: undefined });
  });

  it('validate-upload, an accepted upload: the rows read and one accepted upload', async () => {
    uploadOf(GOOD_LEADS);
    const { result, stdout } = await outputOf(() => validateUpload(s3Event('incoming/leads/a.csv'), lambdaContext('req-accepted')));
    expect(result).toEqual({ outcomes: ['accepted'] });
    expect(published(stdout)).toEqual([count('validate-upload', 'RowsValidated', 2), count('validate-upload', 'UploadsAccepted', 1)]);
  });

  it('validate-upload, a rejected upload: the rows read and one rejected upload', async () => {
    uploadOf(BAD_LEADS);
    const { result, stdout } = await outputOf(() => validateUpload(s3Event('incoming/leads/b.csv'), lambdaContext('req-rejected')));
    expect(result).toEqual({ outcomes: ['rejected'] });
    expect(published(stdout)).toEqual([count('validate-upload', 'RowsValidated', 3), count('validate-upload', 'UploadsRejected', 1)]);
  });

  it('validate-upload, a duplicate or an ignored event: nothing at all, not even a "no metrics" warning', async () => {
    s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 80, VersionId: 'v1' });
    ddb.on(GetCommand).resolves({ Item: { pk: 'UPLOADS#leads', sk: 'x', status: 'accepted' } });
    ddb.on(QueryCommand).resolves({ Items: [] }); // no removal of the key recorded (retract-upload.ts)
    const duplicate = await outputOf(() => validateUpload(s3Event('incoming/leads/a.csv'), lambdaContext('req-duplicate')));
    expect(duplicate.result).toEqual({ outcomes: ['duplicate'] });
    const ignored = await outputOf(() => validateUpload(s3Event('incoming/unknown/a.csv'), lambdaContext('req-ignored')));
    expect(ignored.result).toEqual({ outcomes: ['ignored'] });
    for (const { stdout, stderr } of [duplicate, ignored]) {
      expect(published(stdout)).toEqual([]);
      expect([...stdout, ...stderr].join('')).not.toMatch(/metrics/i);
    }
  });

  it('compute-kpis counts the periods computed; send-scorecard the emails sent', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const kpis = await outputOf(() => computeKpis({ from: '2026-09', to: '2026-10' }, lambdaContext('req-kpis', 'SmarketingScorecard-ComputeKpis')));
    expect(published(kpis.stdout)).toEqual([count('compute-kpis', 'KpisComputed', 2)]);

    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'KPIS#2026-10', sk: 'leads', id: 'leads', value: 5, periodId: '2026-10', periodType: 'month', uploads: [], computedAt: 'x' }] });
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm1' });
    const sent = await outputOf(() => sendScorecard({ period: '2026-10' }, lambdaContext('req-send', 'SmarketingScorecard-SendScorecard')));
    expect(sent.result.sent).toEqual(['executives@example.com']);
    expect(published(sent.stdout)).toEqual([count('send-scorecard', 'ScorecardsSent', 1)]);
  });

  it('are kept off stdout outside Lambda (tests, smarketing local)', async () => {
    setEnv({ AWS_LAMBDA_FUNCTION_NAME: undefined });
    uploadOf(GOOD_LEADS);
    const { result, stdout } = await outputOf(() => validateUpload(s3Event('incoming/leads/a.csv')));
    expect(result).toEqual({ outcomes: ['accepted'] });
    expect(published(stdout)).toEqual([]);
  });
});

describe('logs', () => {
  const logLines = (stdout: string[]) => stdout.flatMap((chunk) => chunk.split('\n')).filter((l) => l.startsWith('{') && !l.includes('"_aws"')).map((l) => JSON.parse(l));

  it('carry the invocation\'s request id, every one of them, and keys and counts only (no row value)', async () => {
    setEnv({ POWERTOOLS_LOG_LEVEL: 'INFO' });
    uploadOf(GOOD_LEADS);
    const { stdout } = await outputOf(() => validateUpload(s3Event('incoming/leads/a.csv'), lambdaContext('req-42')));
    const lines = logLines(stdout);
    expect(lines.find((l) => l.message === 'upload processed')).toMatchObject({
      level: 'INFO', service: 'validate-upload', key: 'incoming/leads/a.csv', outcome: 'accepted', rows: 2,
    });
    for (const line of lines) {
      expect(line).toMatchObject({ function_request_id: 'req-42', function_name: 'SmarketingScorecard-ValidateLeads' });
    }
    expect(JSON.stringify(lines)).not.toMatch(/Webinar|Direct|2026-10-0/);
  });

  it('called with the event only (smarketing local), carry a request id of their own per invocation', async () => {
    setEnv({ POWERTOOLS_LOG_LEVEL: 'INFO' });
    uploadOf(GOOD_LEADS);
    const idsOf = async (key: string) => new Set(logLines((await outputOf(() => validateUpload(s3Event(key)))).stdout).map((l) => l.function_request_id));
    const [first, second] = [[...await idsOf('incoming/leads/a.csv')], [...await idsOf('incoming/leads/b.csv')]];
    expect(first).toEqual([expect.stringMatching(/^local-/)]);
    expect(second).toEqual([expect.stringMatching(/^local-/)]);
    expect(second[0]).not.toBe(first[0]);
  });
});

describe('the middlewares', () => {
  it('never end an invocation before Lambda does: work still running at the deadline is not cut short', async () => {
    // Middy's default would reject 5 ms before the deadline, with the work still going on into the next invocation.
    s3.on(HeadObjectCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 80, VersionId: 'v1' };
    });
    ddb.on(GetCommand).resolves({ Item: { pk: 'UPLOADS#leads', sk: 'x', status: 'accepted' } });
    ddb.on(QueryCommand).resolves({ Items: [] }); // no removal of the key recorded (retract-upload.ts)
    const atDeadline = { ...lambdaContext('req-late'), getRemainingTimeInMillis: () => 0 } as Context;
    expect(await validateUpload(s3Event('incoming/leads/a.csv'), atDeadline)).toEqual({ outcomes: ['duplicate'] });
  });
});

describe('tracing (Powertools Tracer over X-Ray)', () => {
  // The X-Ray SDK sends segments to its daemon over UDP: no socket may be opened.
  const dgram = createRequire(import.meta.url)('node:dgram') as typeof import('node:dgram');

  it('in Lambda: the invocation is a subsegment without its response, and every AWS call goes through a captured client', async () => {
    setEnv({
      AWS_LAMBDA_FUNCTION_NAME: 'SmarketingScorecard-ValidateLeads', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _HANDLER: 'index.handler', POWERTOOLS_TRACE_ENABLED: undefined,
    });
    const captured = vi.spyOn(Tracer.prototype, 'captureAWSv3Client');
    const sockets = vi.spyOn(dgram, 'createSocket');
    uploadOf(BAD_LEADS); // rejected: S3, DynamoDB and SES are all called

    // Lambda's segment; never closed here, so never sent.
    const segment = new AWSXRay.Segment('SmarketingScorecard-ValidateLeads');
    const { result } = await outputOf(() => AWSXRay.getNamespace().runPromise(async () => {
      AWSXRay.setSegment(segment);
      return validateUpload(s3Event('incoming/leads/b.csv'), lambdaContext('req-traced'));
    }));
    expect(result).toEqual({ outcomes: ['rejected'] });

    // The runtime had the Tracer capture its three clients, and X-Ray's middleware is now on each.
    const clients = captured.mock.results.map((r) => r.value as S3Client | DynamoDBDocumentClient | SESClient);
    expect(clients.map((c) => c.constructor.name).sort()).toEqual(['DynamoDBDocumentClient', 'S3Client', 'SESClient']);
    for (const client of clients) expect(client.middlewareStack.identify()).toContain('XRaySDKInstrumentation - build');
    // ...and the handler's calls were made on those clients.
    for (const stub of [s3, ddb, ses]) {
      expect(stub.calls().length).toBeGreaterThan(0);
      for (const call of stub.calls()) expect(clients).toContain(call.thisValue);
    }

    const invocation = segment.subsegments?.find((s) => s.name === '## index.handler');
    expect(invocation?.isClosed()).toBe(true);
    const recorded = invocation!.toJSON(); // what X-Ray would receive
    expect(recorded.annotations).toMatchObject({ Service: 'validate-upload' });
    expect(JSON.stringify(recorded)).not.toContain('outcomes'); // the response is not recorded
    expect(sockets).not.toHaveBeenCalled();
  });

  it('outside Lambda: off, even where AWS_EXECUTION_ENV is set (ECS, CodeBuild), and the clients are left as they are', async () => {
    setEnv({ AWS_LAMBDA_FUNCTION_NAME: undefined, AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' });
    const captured = vi.spyOn(Tracer.prototype, 'captureAWSv3Client');
    const sockets = vi.spyOn(dgram, 'createSocket');
    uploadOf(GOOD_LEADS);
    expect(await validateUpload(s3Event('incoming/leads/a.csv'))).toEqual({ outcomes: ['accepted'] });
    expect(captured).toHaveBeenCalledTimes(3);
    expect(captured.mock.contexts.every((tracer) => !(tracer as Tracer).isTracingEnabled())).toBe(true);
    for (const call of s3.calls()) expect((call.thisValue as S3Client).middlewareStack.identify()).not.toContain('XRaySDKInstrumentation - build');
    expect(sockets).not.toHaveBeenCalled();
  });
});

function gunzipBody(b: unknown): string {
  // The records file is streamed through lib-storage; with a small body it arrives as one PutObject body.
  if (Buffer.isBuffer(b) || b instanceof Uint8Array) return gunzipSync(b).toString();
  throw new Error(`unexpected body type ${typeof b}`);
}
