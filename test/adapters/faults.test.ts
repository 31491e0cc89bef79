/**
 * Faults, with the AWS SDK faked at two levels:
 * - at the HTTP layer (a scripted request handler under real clients from aws-clients.ts), to show that S3,
 *   DynamoDB and SES throttling and 5xx are retried as AWS_RETRY says and end in success, or in an error;
 * - at the client (aws-sdk-client-mock), to show that a handler facing a failure that outlived the retries
 *   throws (so Lambda retries it, then sends the event to its failure queue) and leaves nothing half-done.
 * Last, every AWS call each handler makes is checked against the IAM actions its function is granted.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { AWS_RETRY, createAwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { SesMailer } from '../../lambdas/adapters/ses-mailer.ts';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { handler as sendScorecard } from '../../lambdas/handlers/send-scorecard.ts';
import { countIngest, createObservability, METRIC, publishesMetrics, RecordedMetrics, redactEmails } from '../../lambdas/handlers/observability.ts';
import { FUNCTION_ACCESS, grantedActions, iamActionsOf, type FunctionAccess } from '../../lib/permissions.ts';
import { uploadIdOf } from '../../lambdas/use-cases/ingest-upload.ts';
import { s3Event } from '../helpers/events.ts';

// ---- the HTTP layer ----------------------------------------------------------------------------------------

type Reply = { status: number; headers?: Record<string, string>; body?: string } | Error;

/** A request handler that answers from a script, one reply per request, and counts the requests. */
class ScriptedHttp {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly requests: string[] = [];
  private readonly script: Reply[] = [];

  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  async handle(request: { method: string; path: string }): Promise<{ response: unknown }> {
    this.requests.push(`${request.method} ${request.path}`);
    const next = this.script.shift();
    if (!next) throw new Error('the script ran out of replies');
    if (next instanceof Error) throw next;
    return {
      response: { statusCode: next.status, reason: '', headers: next.headers ?? {}, body: Readable.from([Buffer.from(next.body ?? '')]) },
    };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}
}

const clientsOver = (http: ScriptedHttp) =>
  createAwsClients({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: http as never });

const S3_SLOW_DOWN: Reply = { status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' };
const S3_INTERNAL: Reply = { status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' };
const HEAD_OK: Reply = { status: 200, headers: { 'content-length': '10', 'last-modified': 'Sun, 01 Nov 2026 00:00:00 GMT', 'x-amz-version-id': 'v1' } };
const DDB_THROTTLED: Reply = {
  status: 400,
  body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'Throughput exceeds the current capacity' }),
};
const DDB_THROTTLING: Reply = { status: 400, body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' }) };
const DDB_INTERNAL: Reply = { status: 500, body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }) };
const SES_THROTTLED: Reply = {
  status: 400,
  body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error></ErrorResponse>',
};
const SES_SENT: Reply = { status: 200, body: '<SendRawEmailResponse><SendRawEmailResult><MessageId>m-1</MessageId></SendRawEmailResult></SendRawEmailResponse>' };
const RESET = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const resolved = async (v: unknown): Promise<unknown> => (typeof v === 'function' ? await (v as () => unknown)() : v);

describe('SDK retries (lambdas/adapters/aws-clients.ts)', () => {
  it('configures each client as AWS_RETRY says', async () => {
    const clients = clientsOver(new ScriptedHttp());
    for (const [name, client] of Object.entries(clients)) {
      const config = client.config as { maxAttempts: unknown; retryMode: unknown };
      const expected = AWS_RETRY[name as keyof typeof AWS_RETRY];
      expect([await resolved(config.maxAttempts), await resolved(config.retryMode)], name).toEqual([expected.maxAttempts, expected.retryMode]);
    }
    expect(AWS_RETRY).toEqual({
      s3: { retryMode: 'standard', maxAttempts: 5 },
      dynamodb: { retryMode: 'adaptive', maxAttempts: 8 },
      ses: { retryMode: 'standard', maxAttempts: 1 },
    });
  });

  it('retries S3 SlowDown and 500 and succeeds', async () => {
    const http = new ScriptedHttp().reply(S3_SLOW_DOWN, S3_INTERNAL, HEAD_OK);
    const r = await clientsOver(http).s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'incoming/leads/a.csv' }));
    expect(r.VersionId).toBe('v1');
    expect(r.$metadata.attempts).toBe(3);
    expect(http.requests).toHaveLength(3);
  });

  it('gives up on S3 after 5 attempts and throws the last error', async () => {
    const http = new ScriptedHttp().reply(S3_INTERNAL, S3_INTERNAL, S3_INTERNAL, S3_INTERNAL, S3_INTERNAL);
    const error = await clientsOver(http).s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500, attempts: 5 } });
    expect(http.requests).toHaveLength(5);
  });

  it('retries DynamoDB throttling and a 500, slowing down (adaptive), and succeeds', async () => {
    const http = new ScriptedHttp().reply(DDB_THROTTLED, DDB_INTERNAL, { status: 200, body: '{"Item":{"pk":{"S":"UPLOADS#leads"}}}' });
    const r = await clientsOver(http).dynamodb.send(new GetCommand({ TableName: 't', Key: { pk: 'UPLOADS#leads', sk: 'x' } }));
    expect(r.Item).toEqual({ pk: 'UPLOADS#leads' });
    expect(r.$metadata.attempts).toBe(3);
    // The other throttling code DynamoDB answers with is retried the same way.
    const again = new ScriptedHttp().reply(DDB_THROTTLING, { status: 200, body: '{}' });
    expect((await clientsOver(again).dynamodb.send(new GetCommand({ TableName: 't', Key: { pk: 'p', sk: 's' } }))).$metadata.attempts).toBe(2);
  });

  it('leaves SES throttling to the mailer, which retries it and sends once', async () => {
    const http = new ScriptedHttp().reply(SES_THROTTLED, SES_THROTTLED, SES_SENT);
    const mailer = new SesMailer(clientsOver(http).ses);
    expect(await mailer.sendRaw(Buffer.from('MIME'), 'scorecard@acme.example', ['ceo@acme.example'])).toBe('m-1');
    expect(http.requests).toHaveLength(3); // one SDK attempt per mailer attempt: no retries multiplied
  });

  it('never repeats an SES request that got no answer (it may have been sent): one attempt, error rethrown', async () => {
    const http = new ScriptedHttp().reply(RESET(), SES_SENT);
    const mailer = new SesMailer(clientsOver(http).ses);
    await expect(mailer.sendRaw(Buffer.from('MIME'), 'scorecard@acme.example', ['ceo@acme.example'])).rejects.toThrow('socket hang up');
    expect(http.requests).toHaveLength(1);
  });
});

// ---- observability: metrics stay off stdout outside Lambda ------------------------------------------------

describe('metrics (lambdas/handlers/observability.ts)', () => {
  it('publish EMF only inside Lambda, unless POWERTOOLS_METRICS_DISABLED says otherwise', () => {
    expect(publishesMetrics({})).toBe(false); // tests, `smarketing local`, the CLI
    expect(publishesMetrics({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe(true);
    expect(publishesMetrics({ AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_METRICS_DISABLED: 'true' })).toBe(false);
    expect(publishesMetrics({ POWERTOOLS_METRICS_DISABLED: 'false' })).toBe(true);
  });

  it('outside Lambda, record counts in memory and print nothing', () => {
    const write = vi.spyOn(process.stdout, 'write');
    try {
      const { metrics } = createObservability('validate-upload', {});
      metrics.count(METRIC.RowsValidated, 120);
      expect(metrics).toBeInstanceOf(RecordedMetrics);
      expect((metrics as RecordedMetrics).total(METRIC.RowsValidated)).toBe(120);
      expect(write.mock.calls.filter(([line]) => String(line).includes('_aws'))).toEqual([]);
    } finally {
      write.mockRestore();
    }
  });

  it('in Lambda, write one EMF line per count in the SmarketingScorecard namespace', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const previous = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED; // Powertools reads it itself too
    try {
      const { metrics } = createObservability('send-scorecard', { AWS_LAMBDA_FUNCTION_NAME: 'SendScorecard' });
      metrics.count(METRIC.ScorecardsSent, 5);
      const emf = write.mock.calls.map(([line]) => String(line)).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({ service: 'send-scorecard', ScorecardsSent: 5 });
      expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: 'SmarketingScorecard', Dimensions: [['service']], Metrics: [{ Name: 'ScorecardsSent', Unit: 'Count' }],
      });
    } finally {
      write.mockRestore();
      if (previous !== undefined) process.env.POWERTOOLS_METRICS_DISABLED = previous;
    }
  });

  it('count an ingest by its outcome, and nothing for a duplicate event', () => {
    const metrics = new RecordedMetrics();
    const report = { rows: 40 } as never;
    countIngest(metrics, { outcome: 'accepted', uploadId: 'u1', report });
    countIngest(metrics, { outcome: 'rejected', uploadId: 'u2', report });
    countIngest(metrics, { outcome: 'duplicate', uploadId: 'u1' });
    expect(metrics.recorded).toEqual([
      { name: 'RowsValidated', value: 40 }, { name: 'UploadsAccepted', value: 1 },
      { name: 'RowsValidated', value: 40 }, { name: 'UploadsRejected', value: 1 },
    ]);
  });

  it('redact email addresses from text bound for the logs', () => {
    expect(redactEmails('MessageRejected: Email address is not verified: ceo@acme.example, "CFO" <cfo@acme.co.uk>'))
      .toBe('MessageRejected: Email address is not verified: <email>, "CFO" <<email>>');
  });
});

// ---- the handlers, with the clients mocked -----------------------------------------------------------------

// Mocked from here on only: aws-sdk-client-mock replaces `send` on every client of a class.
let s3: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let ddb: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let ses: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

process.env.SCORECARD_BUCKET = 'exports-bucket';
process.env.SCORECARD_TABLE = 'scorecard-table';

const body = (s: string) => Readable.from([Buffer.from(s)]) as never;
/** What the SDK throws once its retries are exhausted on a 5xx. */
const serverError = (name = 'InternalError') => Object.assign(new Error(`${name} (after retries)`), { name, $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 5 } });

const GOOD_LEADS = 'Record ID,Create Date,Original Source\n1,2026-10-01,Webinar\n2,2026-10-02,Direct\n';
const BAD_LEADS = 'hello, this is not an export\n';


const KPI_ITEM = { pk: 'KPIS#2026-10', sk: 'leads', id: 'leads', value: 5, periodId: '2026-10', periodType: 'month', uploads: [], computedAt: 'x' };

function uploadExists(content: string): void {
  s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: content.length, ETag: '"e"', VersionId: 'v1' });
  s3.on(GetObjectCommand).callsFake(() => ({ Body: body(content) }));
}

const putKeys = (): string[] => s3.commandCalls(PutObjectCommand).map((c) => String(c.args[0].input.Key));

describe('with the SDK mocked', () => {
  beforeAll(() => {
    s3 = mockClient(S3Client);
    ddb = mockClient(DynamoDBDocumentClient);
    ses = mockClient(SESClient);
  });
  afterAll(() => {
    s3.restore();
    ddb.restore();
    ses.restore();
  });
  beforeEach(() => {
    s3.reset();
    ddb.reset();
    ses.reset();
  });

  describe('a failure that outlives the retries: the handler throws, nothing is half-done', () => {
    it('validate-upload: the records file cannot be stored, so no report and no upload record are written', async () => {
      uploadExists(GOOD_LEADS);
      ddb.on(GetCommand).resolves({});
      s3.on(PutObjectCommand).rejects(serverError('SlowDown'));

      await expect(validateUpload(s3Event('incoming/leads/a.csv'))).rejects.toThrow('SlowDown');

      expect(putKeys().filter((k) => !k.startsWith('accepted/'))).toEqual([]); // no report
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0); // no upload record
      expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    });

    it('validate-upload: the upload record cannot be written; the retry rewrites the same keys and records it once', async () => {
      uploadExists(GOOD_LEADS);
      ddb.on(GetCommand).resolves({});
      s3.on(PutObjectCommand).resolves({});
      ddb.on(PutCommand).rejectsOnce(Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 8 },
      })).resolves({});

      await expect(validateUpload(s3Event('incoming/leads/a.csv'))).rejects.toThrow('Throughput exceeds');
      const firstKeys = putKeys();
      expect(firstKeys.some((k) => k.startsWith('accepted/leads/'))).toBe(true);

      expect(await validateUpload(s3Event('incoming/leads/a.csv'))).toEqual({ outcomes: ['accepted'] });
      // Same upload id, so the same records and report keys: overwritten, never a second file.
      expect(putKeys().slice(firstKeys.length).sort()).toEqual([...firstKeys].sort());
      const records = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
      expect(records).toHaveLength(2);
      expect(records[1]!.ConditionExpression).toBe('attribute_not_exists(pk)');
      const { processedAt: _a, ...second } = records[1]!.Item!;
      const { processedAt: _b, ...first } = records[0]!.Item!;
      expect(second).toEqual(first);
    });

    it('validate-upload: reading the export keeps failing, so nothing is written at all', async () => {
      s3.on(HeadObjectCommand).resolves({ LastModified: new Date('2026-11-01T00:00:00Z'), ContentLength: 10, VersionId: 'v1' });
      s3.on(GetObjectCommand).rejects(serverError());
      ddb.on(GetCommand).resolves({});

      await expect(validateUpload(s3Event('incoming/leads/a.csv'))).rejects.toThrow('InternalError');
      expect(putKeys()).toEqual([]);
      expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    });

    // The upload is recorded with the notice 'pending' before the send; the retry finds it pending and sends it.
    it('validate-upload: ops still get the rejection notice when SES failed on the first attempt', async () => {
      uploadExists(BAD_LEADS);
      const written = new Map<string, string>();
      s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => { written.set(input.Key, String(input.Body)); return {}; });
      // The retry reads the report back from where the first attempt wrote it (a folder of the upload's own).
      const reportKey = `rejected/leads/${uploadIdOf({ bucket: 'exports-bucket', key: 'incoming/leads/notes.csv', versionId: 'v1' }, { versionId: 'v1', lastModified: '2026-11-01T00:00:00.000Z' })}/notes.csv.report.json`;
      s3.on(GetObjectCommand, { Key: reportKey }).callsFake(() => ({ Body: body(written.get(reportKey)!) }));
      s3.on(CopyObjectCommand).resolves({});
      let recorded: Record<string, unknown> | undefined;
      ddb.on(GetCommand).callsFake(() => (recorded ? { Item: recorded } : {}));
      ddb.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
        recorded = input.Item;
        return {};
      });
      ddb.on(UpdateCommand).callsFake(() => {
        recorded = { ...recorded, opsNotice: 'sent' };
        return {};
      });
      ses.on(SendRawEmailCommand).rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }))
        .resolves({ MessageId: 'm-1' });

      await expect(validateUpload(s3Event('incoming/leads/notes.csv'))).rejects.toThrow();
      await validateUpload(s3Event('incoming/leads/notes.csv'));
      expect(ses.commandCalls(SendRawEmailCommand).length).toBe(2); // the failed attempt, then the notice
      expect(recorded).toMatchObject({ status: 'rejected', opsNotice: 'sent', reportKey });
      expect(written.has(reportKey)).toBe(true);
    });

    it('compute-kpis: writing the KPIs keeps failing, so the run throws (and is retried whole: it is idempotent)', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      ddb.on(BatchWriteCommand).rejects(serverError('InternalServerError'));
      await expect(computeKpis({ period: '2026-10' })).rejects.toThrow('InternalServerError');
    });

    it('send-scorecard: SES refuses, so the claim is released (a retry sends) and nothing is marked sent', async () => {
      ddb.on(QueryCommand).resolves({ Items: [KPI_ITEM] });
      ddb.on(GetCommand).resolves({});
      ddb.on(PutCommand).resolves({});
      ddb.on(DeleteCommand).resolves({});
      ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }));

      await expect(sendScorecard({ period: '2026-10' })).rejects.toThrow();
      const released = ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key);
      expect(released).toContainEqual({ pk: 'SENDS#2026-10', sk: 'executives@example.com' });
      expect(ddb.commandCalls(UpdateCommand).filter((c) => JSON.stringify(c.args[0].input).includes('"sent"'))).toHaveLength(0);
    });
  });

  // ---- least privilege, checked against what the handlers really call --------------------------------------

  /** The IAM actions of every call the mocks saw; index queries are marked `index:`. */
  function actionsCalled(): string[] {
    const calls = [...s3.calls(), ...ddb.calls(), ...ses.calls()];
    return calls.flatMap((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
      const actions = iamActionsOf(command.constructor.name, command.input);
      return command.input.IndexName ? actions.map((a) => `index:${a}`) : actions;
    });
  }

  function expectGranted(access: FunctionAccess): void {
    const granted = grantedActions(access);
    const called = [...new Set(actionsCalled())].sort();
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((a) => !granted.has(a)), `called but not granted in lib/permissions.ts`).toEqual([]);
  }

  describe('every AWS call a handler makes is granted to its function (lib/permissions.ts)', () => {
    it('validate-upload, accepting and rejecting', async () => {
      uploadExists(GOOD_LEADS);
      s3.on(PutObjectCommand).resolves({});
      s3.on(CopyObjectCommand).resolves({});
      ddb.on(GetCommand).resolves({});
      ddb.on(PutCommand).resolves({});
      ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
      expect(await validateUpload(s3Event('incoming/leads/a.csv'))).toEqual({ outcomes: ['accepted'] });
      uploadExists(BAD_LEADS);
      expect(await validateUpload(s3Event('incoming/leads/b.csv', 'v2'))).toEqual({ outcomes: ['rejected'] });
      expectGranted(FUNCTION_ACCESS.validateUpload);
    });

    it('compute-kpis', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
      await computeKpis({ period: '2026-10' });
      expectGranted(FUNCTION_ACCESS.computeKpis);
    });

    it('send-scorecard', async () => {
      ddb.on(QueryCommand).resolves({ Items: [KPI_ITEM] });
      ddb.on(GetCommand).resolves({});
      ddb.on(PutCommand).resolves({});
      ddb.on(UpdateCommand).resolves({});
      ddb.on(DeleteCommand).resolves({});
      ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
      await sendScorecard({ period: '2026-10' });
      // Again, finding the send already claimed: the claim is read back.
      ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
      ddb.on(GetCommand).resolves({ Item: { pk: 'SENDS#2026-10', sk: 'executives@example.com', status: 'sent', messageId: 'm' } });
      await sendScorecard({ period: '2026-10' });
      expect(ddb.commandCalls(GetCommand).length).toBeGreaterThan(0);
      expectGranted(FUNCTION_ACCESS.sendScorecard);
    });
  });
});
