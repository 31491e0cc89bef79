/**
 * `smarketing local`: the whole pipeline on this machine. Starts the stand-ins, binds the handlers to them
 * through the same environment variables the stack sets, uploads the exports, lets the bucket's events
 * drive the handlers as the stack's notifications do (created and removed objects under `incoming/<dataset>/` →
 * the validation handler; any other key created under `incoming/` → the misplaced-upload handler, which the
 * stack's EventBridge rule invokes), runs the KPI handler and the report handler, and writes what SES received.
 */
import { readdir, mkdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { writeReceivedEmail } from './received-email.ts';
import { startPageServer, type PageServer } from './page-server.ts';
import { handler as viewHandler } from '../handlers/view-page.ts';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { BUCKET_PREFIX, DATASET_NAMES, RESOURCE_ENV, incomingPrefix } from '../domain/layout.ts';
import { inDatasetFolder } from '../domain/upload-notices.ts';
import { settingsToEnv, type Settings } from '../domain/settings.ts';
import { createAwsClients } from '../adapters/aws-clients.ts';
import { handler as validateHandler } from '../handlers/validate-upload.ts';
import { handler as computeHandler, type ComputeKpisResult } from '../handlers/compute-kpis.ts';
import { handler as sendHandler } from '../handlers/send-scorecard.ts';
import { handler as misplacedHandler } from '../handlers/notify-misplaced-upload.ts';
import { decodeS3Key } from '../handlers/validate-upload.ts';
import { eventBridgeObjectCreated, startStandIns, type StandIns } from './stand-ins.ts';
import { latestClosedLeadPeriodOf, syncSnapshots } from '../use-cases/compute-kpis.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { DynamoUploadLedger } from '../adapters/dynamo-upload-ledger.ts';
import { s3Snapshots } from '../adapters/s3-snapshot-blobs.ts';
import { DynamoSnapshotPointers } from '../adapters/dynamo-snapshot-pointers.ts';

export interface LocalRunOptions {
  readonly dataDir: string;
  readonly outDir: string;
  readonly settings: Settings;
  /** The period to report on; default: the latest closed period with lead data. */
  readonly period?: string;
  readonly log?: (line: string) => void;
  /** Called after each upload is validated, for a progress display. */
  readonly onUpload?: (u: { key: string; outcome: string; done: number; total: number }) => void;
  /**
   * Keep the stand-ins and the page server running (to serve the email's links, and for tests to inspect them);
   * the caller stops them with the result's `stop`.
   */
  readonly keepRunning?: boolean;
  /** The loopback port the drill-down page is served on. @default 0 (any free port) */
  readonly pagePort?: number;
  /** The key the page's links are signed with (tests sign links of their own). @default a random one per run */
  readonly linkKey?: string;
}

export interface LocalRunResult {
  readonly period: string;
  /**
   * Each upload's key and outcome; a rejected one with the key of its report in the bucket. A file outside every
   * dataset folder is 'misplaced' (ops are emailed where it should go; it is not validated).
   */
  readonly uploads: { key: string; outcome: string; reportKey?: string }[];
  /** What SES was given, written to files: the message, its HTML with its images beside it, its attachments. */
  readonly emails: { to: string[]; subject: string; eml: string; html: string; attachments: readonly string[] }[];
  /** The base URL the email's links to the drill-down page start with (served while the run is kept running). */
  readonly pageUrl: string;
  readonly standIns?: StandIns;
  /** Stops what `keepRunning` kept: the page server and the stand-ins. */
  readonly stop?: () => Promise<void>;
}

/** The secret holding the local link key (any name: the stand-in keeps it). */
export const LOCAL_LINK_KEY_SECRET = 'smarketing-local-link-key';

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.name.startsWith('.') || e.name.toLowerCase() === 'readme.md') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out.sort();
}

/**
 * Points the handlers at the stand-ins, exactly as the stack's environment points them at AWS; with `pageUrl`, the
 * report and viewer handlers at the drill-down page's server and link key too.
 */
export function bindHandlersEnv(s: StandIns, settings: Settings, pageUrl?: string): void {
  Object.assign(process.env, {
    [RESOURCE_ENV.secretsManagerEndpoint]: s.endpoints.secretsmanager,
    ...(pageUrl ? { [RESOURCE_ENV.pageUrl]: pageUrl, [RESOURCE_ENV.linkKeySecret]: LOCAL_LINK_KEY_SECRET } : {}),
    [RESOURCE_ENV.bucket]: s.bucket,
    [RESOURCE_ENV.table]: s.table,
    [RESOURCE_ENV.s3Endpoint]: s.endpoints.s3,
    [RESOURCE_ENV.dynamodbEndpoint]: s.endpoints.dynamodb,
    [RESOURCE_ENV.sesEndpoint]: s.endpoints.ses,
    AWS_REGION: s.aws.region,
    AWS_ACCESS_KEY_ID: s.aws.credentials?.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.aws.credentials?.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...settingsToEnv(settings),
  });
}

/** Runs S3-triggered invocations one at a time, like a queue, and lets the caller wait for it to drain. */
export class EventQueue {
  private tail: Promise<void> = Promise.resolve();
  readonly failures: unknown[] = [];

  push(work: () => Promise<void>): void {
    this.tail = this.tail.then(work).catch((e: unknown) => { this.failures.push(e); });
  }

  async drained(): Promise<void> {
    let t;
    do { t = this.tail; await t; } while (t !== this.tail);
  }
}

/**
 * Connects the stand-in bucket's events to the handlers the way the stack does: per dataset, objects created and
 * removed under `incoming/<dataset>/` → the validation handler (S3 notifications); every object created under
 * `incoming/` → the misplaced-upload handler, which ignores the dataset folders (the EventBridge rule). Each
 * invocation runs on `queue`, one at a time; `processed` is told each event's outcome.
 */
export function wireHandlers(s: StandIns, queue: EventQueue, processed?: (event: S3Event, outcome: string) => void): void {
  for (const dataset of DATASET_NAMES) {
    const validate = (event: S3Event): void => queue.push(async () => {
      const r = await validateHandler(event);
      processed?.(event, r.outcomes.join(','));
    });
    s.onObjectCreated(incomingPrefix(dataset), validate);
    s.onObjectRemoved(incomingPrefix(dataset), validate);
  }
  s.onObjectCreated(BUCKET_PREFIX.incoming, (event) => {
    const record = event.Records[0];
    if (!record || inDatasetFolder(decodeS3Key(record.s3.object.key))) return; // the validation handler has it
    queue.push(async () => {
      const r = await misplacedHandler(eventBridgeObjectCreated(record));
      processed?.(event, r.outcome === 'notified' ? 'misplaced' : r.outcome);
    });
  });
}

export async function runLocalPipeline(opts: LocalRunOptions): Promise<LocalRunResult> {
  const log = opts.log ?? (() => undefined);
  const standIns = await startStandIns();
  let pages: PageServer | undefined;
  const stop = async (): Promise<void> => {
    await pages?.stop();
    await standIns.stop();
  };
  try {
    // The page's links are signed with a key of this run's: links from an earlier run are refused.
    standIns.secrets.set(LOCAL_LINK_KEY_SECRET, opts.linkKey ?? randomBytes(32).toString('hex'));
    pages = await startPageServer((event) => viewHandler(event), opts.pagePort ?? 0);
    bindHandlersEnv(standIns, opts.settings, pages.url);
    log(`stand-ins up: S3 ${standIns.endpoints.s3}, DynamoDB ${standIns.endpoints.dynamodb}, SES ${standIns.endpoints.ses}; pages at ${pages.url}`);

    const queue = new EventQueue();
    const uploads: LocalRunResult['uploads'] = [];
    let total = 0;
    const done = (key: string, outcome: string): void => {
      uploads.push({ key, outcome });
      opts.onUpload?.({ key, outcome, done: uploads.length, total });
    };
    wireHandlers(standIns, queue, (event, outcome) => done(decodeS3Key(event.Records[0]?.s3.object.key ?? ''), outcome));

    const { s3 } = createAwsClients(standIns.aws);
    // Every file under the data folder goes to the same path under incoming/: a folder that is no dataset
    // (`Leads/`, `deals/`, a file at the top) ends up where ops get told about it, as on AWS.
    const files = (await listFiles(opts.dataDir)).map((file) => ({ file, key: `${BUCKET_PREFIX.incoming}${relative(opts.dataDir, file).split(sep).join('/')}` }));
    if (!files.some((f) => inDatasetFolder(f.key))) {
      throw new Error(`no exports found under ${opts.dataDir}/<dataset>/ (datasets: ${DATASET_NAMES.join(', ')})`);
    }
    total = files.length;
    log(`uploading ${files.length} exports from ${opts.dataDir}`);
    for (const { file, key } of files) {
      await s3.send(new PutObjectCommand({ Bucket: standIns.bucket, Key: key, Body: await readFile(file) }));
    }
    await queue.drained();
    if (queue.failures.length) throw queue.failures[0];
    await addReportKeys(standIns, uploads);

    const period = opts.period ?? (await latestSamplePeriod(standIns, opts.settings));
    const kpiEvent = period ? { period } : {};
    const computed: ComputeKpisResult = await computeHandler(kpiEvent);
    log(`KPIs computed for ${computed.computed.length} periods, scorecard period ${computed.period}`);
    const sent = await sendHandler({ responsePayload: computed });
    log(`scorecard sent to ${sent.sent.length} recipient(s)`);

    await mkdir(opts.outDir, { recursive: true });
    const emails: LocalRunResult['emails'] = [];
    for (const [i, mail] of (await standIns.receivedEmails()).entries()) {
      const base = join(opts.outDir, `${String(i + 1).padStart(2, '0')}-${slug(mail.subject)}`);
      const raw = standIns.rawMessage((mail as { messageId?: string }).messageId ?? '');
      if (!raw) throw new Error(`the SES stand-in kept no raw message for "${mail.subject}"`);
      const written = await writeReceivedEmail(base, raw);
      emails.push({ to: mail.destination.to, subject: mail.subject, eml: written.eml, html: written.html, attachments: written.attachments });
    }
    return { period: computed.period, uploads, emails, pageUrl: pages.url, ...(opts.keepRunning ? { standIns, stop } : {}) };
  } catch (e) {
    if (opts.keepRunning) await stop();
    throw e;
  } finally {
    if (!opts.keepRunning) await stop();
  }
}

/**
 * Where each rejected upload's report went, as its upload record says (the key has a folder per upload, so it
 * is read back rather than worked out here). Each file is uploaded once per run, so the key finds the record.
 */
async function addReportKeys(s: StandIns, uploads: LocalRunResult['uploads']): Promise<void> {
  if (!uploads.some((u) => u.outcome === 'rejected')) return;
  const ledger = new DynamoUploadLedger(createAwsClients(s.aws).dynamodb, s.table);
  const reportKeys = new Map<string, string>();
  for (const dataset of DATASET_NAMES) {
    for (const u of await ledger.listUploads(dataset)) if (u.status === 'rejected') reportKeys.set(u.key, u.reportKey);
  }
  for (const [i, u] of uploads.entries()) {
    const reportKey = u.outcome === 'rejected' ? reportKeys.get(u.key) : undefined;
    if (reportKey) uploads[i] = { ...u, reportKey };
  }
}

/** The latest closed period the uploaded data has leads in, so the samples keep working as time passes. */
async function latestSamplePeriod(s: StandIns, settings: Settings): Promise<string | undefined> {
  const clients = createAwsClients(s.aws);
  const store = new S3ObjectStore(clients.s3);
  // The KPI handler's own snapshots: folded here first, the handler then finds them up to date.
  const deps = {
    store, ledger: new DynamoUploadLedger(clients.dynamodb, s.table), settings,
    snapshots: s3Snapshots(clients.s3, s.bucket, new DynamoSnapshotPointers(clients.dynamodb, s.table)),
  };
  return (await latestClosedLeadPeriodOf(await syncSnapshots(deps), settings.periodType, new Date(), deps))?.id;
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'email';
