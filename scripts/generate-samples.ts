/**
 * Deterministic generator of realistic sample exports for all five datasets
 * (leads, opportunities, spend, customers, web_traffic), one file per month per dataset,
 * laid out like the bucket's `incoming/` prefix: `samples/<dataset>/<file>`.
 *
 * Everything is derived from a seeded PRNG (mulberry32) and a fixed month range, so two runs
 * produce byte-identical files. `generateSamples()` is pure; running this file as a script
 * (`npm run samples` / `npx tsx scripts/generate-samples.ts`) writes the files to `samples/`.
 *
 * The parts live in scripts/samples/: calendar and random source, the business simulation
 * (market, people, simulate-*), one writer per vendor dialect (writers/), the README text.
 * See samples/README.md (also generated here) for what each file set imitates.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASETS } from './samples/datasets.ts';
import { generateSamples } from './samples/generate.ts';

export { DEFAULT_SEED, FIRST_MONTH, LAST_MONTH, RANGE_END_DATE, SAMPLE_MONTHS } from './samples/calendar.ts';
export { DATASETS, FILE_PREFIX, sampleFileName, type Dataset } from './samples/datasets.ts';
export { generateSamples } from './samples/generate.ts';

/** Default output directory: `<repo>/samples`. */
export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'samples');

/** Writes the files, removing stale generated CSVs from the dataset folders. */
export function writeSamples(outDir: string = SAMPLES_DIR, files: Map<string, string> = generateSamples()): void {
  for (const ds of DATASETS) {
    const dir = join(outDir, ds);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!files.has(`${ds}/${name}`)) rmSync(join(dir, name), { force: true, recursive: true });
    }
  }
  for (const [rel, content] of files) {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, 'utf8');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = generateSamples();
  writeSamples(SAMPLES_DIR, files);
  const bytes = [...files.values()].reduce((s, c) => s + Buffer.byteLength(c, 'utf8'), 0);
  console.log(`wrote ${files.size} files (${(bytes / 1024).toFixed(0)} KiB) to ${SAMPLES_DIR}`);
}
