/**
 * The CLI's composition root: the pipeline's own use cases (`ingestUpload`, the KPI step, the scorecard's
 * rendering) over a folder of exports, with a file-system object store and in-memory ledgers in place of S3,
 * DynamoDB and SES. One behaviour: what the CLI prints is what the Lambdas would store and send.
 *
 * The "bucket" is a temporary directory whose `incoming` entry is a symbolic link to the user's folder (laid
 * out like `incoming/`: `<dir>/<dataset>/<files>`), so the exports are read in place; `accepted/`, `reports/`
 * and `rejected/` are written beside it and removed with it at the end of the run.
 */
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUCKET_PREFIX, DATASET_NAMES, incomingPrefix, type DatasetName } from '../domain/layout.ts';
import type { Settings } from '../domain/settings.ts';
import type { Period } from '../domain/periods/period.ts';
import type { ValidationReport } from '../domain/validation/report.ts';
import { FsObjectStore } from '../adapters/fs-object-store.ts';
import { CapturingMailer, InMemoryKpiStore, InMemoryUploadLedger } from '../adapters/memory.ts';
import type { Clock } from '../ports/index.ts';
import { fsSnapshots } from '../adapters/snapshot-blobs.ts';
import type { Snapshots } from '../ports/snapshots.ts';
import { ingestUpload, type IngestDeps } from '../use-cases/ingest-upload.ts';
import { isMappingKey } from '../domain/mapping/schema.ts';
import { computeAndStoreKpis, type ComputeDeps } from '../use-cases/compute-kpis.ts';

/** The ports of one CLI run, and where its bucket is. */
export interface CliRun extends IngestDeps, ComputeDeps {
  readonly store: FsObjectStore;
  readonly ledger: InMemoryUploadLedger;
  readonly kpis: InMemoryKpiStore;
  /** Ops notices (a rejected file, dropped rows) are kept here, not sent: the CLI prints the outcomes itself. */
  readonly mailer: CapturingMailer;
  readonly clock: Clock;
  /** The compacted snapshots, under the bucket's `snapshots/` as on S3; the pointers in memory, like the ledgers. */
  readonly snapshots: Snapshots;
  /** The bucket: a temporary directory, removed at the end of the run. */
  readonly bucket: string;
  /** The user's folder of exports (absolute), which is the bucket's `incoming/`. */
  readonly dataDir: string;
}

/** One export of the folder and its outcome. */
export interface FolderInput {
  readonly dataset: DatasetName;
  /** Its path in the folder, `<dataset>/…`. */
  readonly file: string;
  readonly status: 'accepted' | 'rejected';
  readonly rows: number;
}

/**
 * Runs `work` with the ports of a CLI run over `dataDir`, at instant `now` (the run's clock, and every file's
 * upload time: see `ingestFolder`). The bucket is removed afterwards; the user's folder is never written to.
 */
export async function withFolderRun<T>(dataDir: string, settings: Settings, now: Date, work: (run: CliRun) => Promise<T>): Promise<T> {
  const bucket = await mkdtemp(join(tmpdir(), 'smarketing-cli-'));
  try {
    const folder = resolve(dataDir);
    // A junction on Windows: a directory symlink there needs a privilege a user may not have.
    await symlink(folder, join(bucket, BUCKET_PREFIX.incoming.slice(0, -1)), process.platform === 'win32' ? 'junction' : 'dir');
    return await work({
      bucket, dataDir: folder, settings,
      // Every file is uploaded at `now`: the future-date check reads the run's own time, not a file's mtime.
      store: new FsObjectStore({ uploadedAt: now }),
      ledger: new InMemoryUploadLedger(),
      kpis: new InMemoryKpiStore(),
      mailer: new CapturingMailer(),
      clock: { now: () => now },
      snapshots: fsSnapshots(bucket),
    });
  } finally {
    // Removes the link, not what it points to (rm does not follow symbolic links).
    await rm(bucket, { recursive: true, force: true });
  }
}

/** The keys of the files under `prefix` of the bucket, skipping hidden files and READMEs. */
async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(bucket, ...prefix.split('/')), { withFileTypes: true });
  } catch {
    return []; // no folder for this dataset
  }
  const keys: string[] = [];
  for (const e of entries) {
    // Mapping files are no exports: each upload finds its own (the nearest above it), as in the bucket.
    if (e.name.startsWith('.') || e.name.toLowerCase() === 'readme.md' || isMappingKey(e.name)) continue;
    if (e.isDirectory()) keys.push(...(await keysUnder(bucket, `${prefix}${e.name}/`)));
    else keys.push(`${prefix}${e.name}`);
  }
  return keys;
}

/**
 * Validates every export of the folder through `ingestUpload`, as the bucket's events would, and returns the
 * outcomes as the upload ledger lists them: per dataset, in the order the uploads apply in.
 *
 * That order: every file has the same upload time (the run's `now`, from the store's `head`), so the ledger,
 * like the DynamoDB one, orders a dataset's files by key: by file name, a later file's record replacing an
 * earlier one's with the same record key (exactly: by the key's UTF-8 bytes, `orderUploads`). Explicit and the
 * same on every run, whatever the files' modification times.
 */
export async function ingestFolder(run: CliRun): Promise<FolderInput[]> {
  for (const dataset of DATASET_NAMES) {
    for (const key of await keysUnder(run.bucket, incomingPrefix(dataset))) {
      await ingestUpload({ bucket: run.bucket, key }, run, dataset);
    }
  }
  return folderInputs(run);
}

/** The folder's files and their outcomes, from the ledger, per dataset in the order their records apply in. */
export async function folderInputs(run: CliRun): Promise<FolderInput[]> {
  const inputs: FolderInput[] = [];
  for (const dataset of DATASET_NAMES) {
    for (const u of await run.ledger.listUploads(dataset)) {
      inputs.push({ dataset, file: u.key.slice(BUCKET_PREFIX.incoming.length), status: u.status, rows: u.rows });
    }
  }
  return inputs;
}

/** The validation reports of the rejected files, each naming its file by its path. */
export async function rejectedReports(run: CliRun): Promise<ValidationReport[]> {
  const reports: ValidationReport[] = [];
  for (const dataset of DATASET_NAMES) {
    for (const u of await run.ledger.listUploads(dataset)) {
      if (u.status !== 'rejected') continue;
      const report = await run.store.readJson<ValidationReport>(run.bucket, u.reportKey);
      reports.push({ ...report, source: join(run.dataDir, u.key.slice(BUCKET_PREFIX.incoming.length)) });
    }
  }
  return reports;
}

/**
 * The KPIs of a folder of exports for `periods`, as the pipeline stores them: every file ingested, then the KPI
 * step. For callers that know their periods (tests, benchmarks); the commands pick theirs from the records.
 */
export async function kpisOfFolder(dataDir: string, settings: Settings, now: Date, periods: readonly Period[]): Promise<{ inputs: FolderInput[]; kpis: InMemoryKpiStore }> {
  return withFolderRun(dataDir, settings, now, async (run) => {
    const inputs = await ingestFolder(run);
    await computeAndStoreKpis(periods, run);
    return { inputs, kpis: run.kpis };
  });
}
