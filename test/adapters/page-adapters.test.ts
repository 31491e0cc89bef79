/**
 * The drill-down page's adapters and handlers with the AWS SDK mocked: the report handler writes the period's page
 * and CSV under web/ and signs the email's links with the key from Secrets Manager; the viewer handler serves a
 * signed link and refuses anything else; the key is read once per few minutes (a rotation takes effect then);
 * every call each makes is granted to its function in lib/permissions.ts.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { simpleParser } from 'mailparser';
import { handler as sendScorecard } from '../../lambdas/handlers/send-scorecard.ts';
import { handler as viewPage } from '../../lambdas/handlers/view-page.ts';
import { SecretsManagerLinkKey } from '../../lambdas/adapters/secrets-link-key.ts';
import { S3PageStore } from '../../lambdas/adapters/s3-page-store.ts';
import { functionUrlEvent } from '../../lambdas/local/page-server.ts';
import { FUNCTION_ACCESS, grantedActions, iamActionsOf, type FunctionAccess } from '../../lib/permissions.ts';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const secrets = mockClient(SecretsManagerClient);

const ENV = {
  SCORECARD_BUCKET: 'exports-bucket', SCORECARD_TABLE: 'scorecard-table',
  SCORECARD_PAGE_URL: 'https://viewer.lambda-url.eu-west-1.on.aws/', SCORECARD_LINK_KEY_SECRET: 'arn:aws:secretsmanager:eu-west-1:1:secret:link-key',
};
const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
Object.assign(process.env, ENV);
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
});

const KPI = (id: string, value: number) => ({ pk: 'KPIS#2026-10', sk: id, id, value, periodId: '2026-10', periodType: 'month', uploads: [], computedAt: 'x' });
const KEY = 'k'.repeat(64);

beforeEach(() => {
  s3.reset();
  ddb.reset();
  ses.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: KEY });
});

/** The IAM actions of every call the mocks saw (index queries marked `index:`). */
function actionsCalled(): string[] {
  return [...s3.calls(), ...ddb.calls(), ...ses.calls(), ...secrets.calls()].flatMap((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    const actions = iamActionsOf(command.constructor.name, command.input);
    return command.input.IndexName ? actions.map((a) => `index:${a}`) : actions;
  });
}

function expectGranted(access: FunctionAccess): void {
  const granted = grantedActions(access);
  expect([...new Set(actionsCalled())].filter((a) => !granted.has(a)), 'called but not granted in lib/permissions.ts').toEqual([]);
}

/** The stored page files, as the report handler wrote them. */
const written = new Map<string, string>();

async function sendOctober(): Promise<string> {
  ddb.on(QueryCommand).callsFake((input: { IndexName?: string; ExpressionAttributeValues?: Record<string, string> }) => {
    if (input.IndexName) return { Items: [{ ...KPI('leads', 500), gsi1pk: 'x', gsi1sk: '2026-09', periodId: '2026-09', pk: 'KPIS#2026-09' }, { ...KPI('leads', 520), gsi1pk: 'x', gsi1sk: '2026-10' }] };
    return input.ExpressionAttributeValues?.[':pk'] === 'KPIS#2026-10' ? { Items: [KPI('leads', 520)] } : { Items: [] };
  });
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
    written.set(input.Key, input.Body);
    return {};
  });
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
  await sendScorecard({ period: '2026-10' });
  const raw = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data as Uint8Array);
  const html = String((await simpleParser(raw)).html);
  return /href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=');
}

/** A GetObject body: the adapter reads it with `transformToString`, as the SDK's stream offers. */
const stream = (s: string) => ({ transformToString: async () => s }) as never;

describe('the report handler writes the page and signs its links', () => {
  it('puts index.html and scorecard.csv under web/<period>/ before sending, and the email links the viewer with a signature', async () => {
    const link = await sendOctober();
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Key, p.ContentType])).toEqual([
      ['web/2026-10/index.html', 'text/html; charset=utf-8'],
      ['web/2026-10/scorecard.csv', 'text/csv; charset=utf-8'],
    ]);
    expect(puts.every((p) => p.Bucket === 'exports-bucket')).toBe(true);
    expect(link).toMatch(/^https:\/\/viewer\.lambda-url\.eu-west-1\.on\.aws\/2026-10\/\?e=\d+&s=[A-Za-z0-9_-]{43}$/);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: ENV.SCORECARD_LINK_KEY_SECRET });
    // Each KPI's history came from the KPI history index.
    expect(ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.IndexName === 'gsi1').length).toBeGreaterThan(0);
    expectGranted(FUNCTION_ACCESS.sendScorecard);
  });
});

describe('the viewer handler', () => {
  it('serves the page and its CSV to the email’s link, and 403 to a tampered, unsigned or expired one', async () => {
    const link = await sendOctober();
    s3.reset();
    ddb.reset();
    ses.reset();
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const body = written.get(input.Key);
      if (body === undefined) throw new NoSuchKey({ message: 'no such key', $metadata: { httpStatusCode: 404 } });
      return { Body: stream(body) };
    });
    const get = (url: string) => viewPage(functionUrlEvent('GET', new URL(url)));

    const page = await get(link) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="kpi-leads"');
    expect(page.headers['Referrer-Policy']).toBe('no-referrer');
    const csvHref = /href="(scorecard\.csv\?[^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const csv = await get(new URL(csvHref, link).href) as { statusCode: number; body: string };
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('2026-10,leads,Leads,count');

    const sig = new URL(link).searchParams.get('s')!;
    for (const bad of [link.replace(sig, sig.split('').reverse().join('')), link.split('?')[0]!, link.replace(/e=\d+/, 'e=1000')]) {
      expect(((await get(bad)) as { statusCode: number }).statusCode, bad).toBe(403);
    }
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['web/2026-10/index.html', 'web/2026-10/scorecard.csv']);
    expectGranted(FUNCTION_ACCESS.viewPage);
  });
});

describe('the adapters', () => {
  it('reads the key once per few minutes: a rotation takes effect after that, not per request', async () => {
    let t = 0;
    const key = new SecretsManagerLinkKey(new SecretsManagerClient({ region: 'eu-west-1' }), 'link-key', () => t, 300_000);
    expect(Buffer.from(await key.key()).toString()).toBe(KEY);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'n'.repeat(64) });
    t = 299_999;
    expect(Buffer.from(await key.key()).toString()).toBe(KEY);
    t = 300_000;
    expect(Buffer.from(await key.key()).toString()).toBe('n'.repeat(64));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('S3PageStore: a missing page is undefined; any other error fails', async () => {
    const pages = new S3PageStore(new S3Client({ region: 'eu-west-1' }), 'b');
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: { httpStatusCode: 404 } }));
    expect(await pages.get('2026-10', 'index.html')).toBeUndefined();
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(pages.get('2026-10', 'index.html')).rejects.toThrow('Access Denied');
  });
});
