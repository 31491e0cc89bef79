/**
 * Faults through the stand-ins (S3, DynamoDB and SES over HTTP): a validation killed half-way and run again, a
 * KPI run and a send repeated, SES refusing, and inputs built to hurt (a 5 MB unterminated quoted field, markup
 * in the data). What must hold: exactly one upload record and one records file per upload, identical KPI items,
 * one email per recipient, a `row-too-large` rejection instead of an out-of-memory, nothing unescaped in the HTML.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { handler as validateUpload } from '../../lambdas/handlers/validate-upload.ts';
import { handler as computeKpis } from '../../lambdas/handlers/compute-kpis.ts';
import { handler as sendScorecard } from '../../lambdas/handlers/send-scorecard.ts';
import { ingestUpload } from '../../lambdas/use-cases/ingest-upload.ts';
import { computeAndStoreKpis, periodsToCompute } from '../../lambdas/use-cases/compute-kpis.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-object-store.ts';
import { CapturingMailer } from '../../lambdas/adapters/memory.ts';
import { DEFAULT_SETTINGS, settingsFromEnv } from '../../lambdas/domain/settings.ts';
import { RESOURCE_ENV } from '../../lambdas/domain/layout.ts';
import type { ObjectStore, RecordFileWriter, UploadLedger } from '../../lambdas/ports/index.ts';
import { startTestStack, type TestStack } from '../helpers/stand-ins.ts';

const HEADER = 'Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,SQL Status';
const leads = (rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';
const OCTOBER = leads([
  '101,2026-10-01,Webinar,2026-10-02,2026-10-05,Accepted',
  '102,2026-10-03,Webinar,2026-10-04,,',
  '103,2026-10-05,Paid Social,2026-10-06,,',
  '104,2026-10-07,Organic Search,,,',
  '105,2026-10-09,Direct Traffic,,,',
]);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Puts an export and returns the event S3 (the stand-in) emitted for it. */
async function upload(key: string, content: string) {
  const before = stack.events.length;
  await stack.put(key, content);
  expect(stack.events.length).toBe(before + 1);
  return stack.events.at(-1)!;
}

/** The use case's dependencies on the stand-ins, as the handler builds them, with any of them swapped. */
function deps(overrides: { store?: ObjectStore; ledger?: UploadLedger } = {}) {
  return {
    store: overrides.store ?? new S3ObjectStore(stack.clients.s3),
    ledger: overrides.ledger ?? stack.table.uploads,
    mailer: new CapturingMailer(),
    clock: { now: () => new Date() },
    settings: DEFAULT_SETTINGS,
  };
}

/** Every accepted file must belong to a recorded upload, and every accepted upload must have its file. */
async function expectNoOrphans(): Promise<void> {
  const recorded = (await stack.table.uploads.listUploads('leads')).filter((u) => u.status === 'accepted').map((u) => u.recordsKey!);
  expect(await stack.list('accepted/leads/')).toEqual([...recorded].sort());
}

describe('a validation killed half-way and run again', () => {
  it('killed after storing the records, before recording the upload: one record, one records file', async () => {
    const event = await upload('incoming/leads/killed-before-ledger.csv', OCTOBER);
    const ledger = stack.table.uploads;
    const dying: UploadLedger = {
      findUpload: (u) => ledger.findUpload(u),
      listUploads: (d) => ledger.listUploads(d),
      markOpsNotified: (u) => ledger.markOpsNotified(u),
      markRetracted: (u, at) => ledger.markRetracted(u, at),
      markRetractionNotified: (u) => ledger.markRetractionNotified(u),
      recordRemoval: (r) => ledger.recordRemoval(r),
      listRemovals: (d, k) => ledger.listRemovals(d, k),
      recordUpload: async () => {
        throw new Error('Task timed out after 900.00 seconds');
      },
    };
    await expect(ingestUpload({ bucket: stack.standIns.bucket, key: 'incoming/leads/killed-before-ledger.csv' }, deps({ ledger: dying }), 'leads'))
      .rejects.toThrow('timed out');

    // Lambda's retry, then a duplicate delivery of the same event.
    expect(await validateUpload(event)).toEqual({ outcomes: ['accepted'] });
    expect(await validateUpload(event)).toEqual({ outcomes: ['duplicate'] });

    const mine = (await ledger.listUploads('leads')).filter((u) => u.key === 'incoming/leads/killed-before-ledger.csv');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: 'accepted', rows: 5, acceptedRows: 5 });
    expect((await stack.list('reports/leads/')).filter((k) => k.includes(mine[0]!.uploadId))).toHaveLength(1);
    await expectNoOrphans();
  });

  it('killed while writing the records: nothing is left behind, and the retry stores it once', async () => {
    const key = 'incoming/leads/killed-mid-write.csv';
    const event = await upload(key, OCTOBER);
    const real = new S3ObjectStore(stack.clients.s3);
    const dying: ObjectStore = Object.assign(Object.create(real) as ObjectStore, {
      // Whatever the port's arguments are: passed through to the real writer.
      createRecordWriter(...args: Parameters<ObjectStore['createRecordWriter']>): RecordFileWriter {
        const writer = real.createRecordWriter(...args);
        let written = 0;
        return {
          write: async (r) => {
            if (++written === 3) throw new Error('Runtime exited with error: signal: killed');
            await writer.write(r);
          },
          reset: () => writer.reset(),
          close: () => writer.close(),
          abort: () => writer.abort(),
        };
      },
    });
    await expect(ingestUpload({ bucket: stack.standIns.bucket, key }, deps({ store: dying }), 'leads')).rejects.toThrow('killed');
    expect((await stack.table.uploads.listUploads('leads')).filter((u) => u.key === key)).toEqual([]);
    await expectNoOrphans();

    expect(await validateUpload(event)).toEqual({ outcomes: ['accepted'] });
    expect((await stack.table.uploads.listUploads('leads')).filter((u) => u.key === key)).toHaveLength(1);
    await expectNoOrphans();
  });
});

describe('runs repeated', () => {
  const kpiItems = async (): Promise<Record<string, unknown>[]> => {
    const r = await stack.clients.dynamodb.send(new ScanCommand({
      TableName: stack.standIns.table, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': 'KPIS#' },
    }));
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'computedAt').map(([k, x]) => [k, strip(x)]));
      }
      return v;
    };
    return (r.Items ?? []).map((i) => strip(i) as Record<string, unknown>)
      .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
  };

  it('compute-kpis twice stores identical items (computedAt aside)', async () => {
    // The handler's call, with the clock given: the second run is a day later, and nothing but computedAt may differ.
    const settings = settingsFromEnv(process.env);
    const run = async (now: string): Promise<void> => {
      const clock = { now: () => new Date(now) };
      const { periods } = periodsToCompute({ period: '2026-10' }, clock.now(), settings.periodType, settings.timezone);
      await computeAndStoreKpis(periods, {
        store: new S3ObjectStore(stack.clients.s3), ledger: stack.table.uploads, kpis: stack.table.kpis, clock, settings,
      });
    };
    await run('2026-11-01T06:00:00.000Z');
    const first = await kpiItems();
    expect(first.length).toBeGreaterThan(14 * 20);
    await run('2026-11-02T06:00:00.000Z');
    expect(await kpiItems()).toEqual(first);
  });

  it('send-scorecard: SES refuses the first run; the retry sends; a third run sends nothing', async () => {
    // An SES that answers every request with a throttling error (SES refused: nothing was sent).
    const refusing: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error></ErrorResponse>');
      });
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    const realSes = process.env[RESOURCE_ENV.sesEndpoint];
    await stack.standIns.clearEmails();
    try {
      process.env[RESOURCE_ENV.sesEndpoint] = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      await expect(sendScorecard({ responsePayload: { period: '2026-10' } })).rejects.toThrow();
    } finally {
      process.env[RESOURCE_ENV.sesEndpoint] = realSes;
      refusing.closeAllConnections(); // the SDK keeps its sockets alive; close() would wait for them
      await new Promise((r) => refusing.close(r));
    }
    expect(await stack.standIns.receivedEmails()).toEqual([]);

    expect(await sendScorecard({ responsePayload: { period: '2026-10' } })).toMatchObject({ sent: ['executives@example.com'] });
    expect(await sendScorecard({ period: '2026-10' })).toMatchObject({ sent: [], alreadySent: ['executives@example.com'] });
    const mails = await stack.standIns.receivedEmails();
    expect(mails.map((m) => m.destination.to)).toEqual([['executives@example.com']]);
  });
});

describe('inputs built to hurt', () => {
  it('a 5 MB unterminated quoted field is rejected as row-too-large, in bounded memory', async () => {
    const huge = `${HEADER}\n201,2026-10-01,"${'x'.repeat(5 * 1024 * 1024)}\n`;
    const event = await upload('incoming/leads/unclosed-quote.csv', huge);
    const rssBefore = process.memoryUsage().rss;
    expect(await validateUpload(event)).toEqual({ outcomes: ['rejected'] });
    // Reading stops at MAX_RECORD_CHARS: a few times the field at most, never the whole file per row.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    const [rejected] = (await stack.table.uploads.listUploads('leads')).filter((u) => u.key === 'incoming/leads/unclosed-quote.csv');
    expect(rejected!.reportKey).toBe(`rejected/leads/${rejected!.uploadId}/unclosed-quote.csv.report.json`);
    const report = JSON.parse(await stack.getText(rejected!.reportKey));
    expect(Object.keys(report.errorCounts)).toContain('row-too-large');
    // The report does not carry the 5 MB value back.
    expect(JSON.stringify(report).length).toBeLessThan(64 * 1024);
  });

  it('markup in the data reaches the scorecard escaped, never as HTML', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const event = await upload('incoming/leads/hostile.csv', leads([
      `301,2026-09-01,"${hostile}",2026-09-02,2026-09-03,Accepted`,
      `302,2026-09-02,"${hostile}",2026-09-03,,`,
      '303,2026-09-03,"{{title}} </td></table><script>alert(2)</script>",2026-09-04,,',
      '304,2026-09-04,Webinar,2026-09-05,,',
    ]));
    expect(await validateUpload(event)).toEqual({ outcomes: ['accepted'] });
    await computeKpis({ period: '2026-09' });
    await stack.standIns.clearEmails();
    expect(await sendScorecard({ period: '2026-09' })).toMatchObject({ sent: ['executives@example.com'] });

    const [mail] = await stack.standIns.receivedEmails();
    const html = mail!.body.html!;
    // Booleans, so a failure does not print a 60 KB email.
    expect(/<img src=x/i.test(html), 'an <img> tag from the data').toBe(false);
    expect(/<script/i.test(html), 'a <script> tag from the data').toBe(false);
    expect(html.includes('</td></table>'), 'markup closing the layout').toBe(false);
    // The MQL → SQL by source table shows the hostile source as text: escaped in the HTML, intact once decoded.
    const decoded = html.replace(/&(lt|gt|quot|amp|#x2F|#x3D|#x60|#39);/g, (_, e: string) =>
      ({ lt: '<', gt: '>', quot: '"', amp: '&', '#x2F': '/', '#x3D': '=', '#x60': '`', '#39': "'" })[e]!);
    expect(decoded.toLowerCase().includes(hostile.toLowerCase()), 'the source, as text').toBe(true);
  });
});
