/**
 * `npm run bench -- report`: the report function on the shipped samples (October 2026, every KPI of the catalog).
 *   - renderMs: median time to render one scorecard with its images (view model and commentary, HTML and text,
 *     the sparklines rasterised, the MIME message for one recipient), after warm-up.
 *     Baseline beside it: the same without images (view, HTML, text).
 *   - coldStartMs: the time a fresh Node process takes to import the bundled handler, bundled as the CDK bundles
 *     it (esbuild, platform node, ESM, target node22, minified, the createRequire banner, source map without
 *     sourcesContent, nothing external). Baseline beside it: importing an empty module the same way.
 *   - htmlKB: the HTML body of that scorecard (Gmail clips at ~102 KB).
 *   - packageKB: the function's package: bundle and source map (no native module: the sparklines are drawn in
 *     TypeScript). packageZipKB estimates the deployed zip (each file deflated).
 * Prints one JSON line. Figures only: nothing here fails on a time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { parsePeriodId } from '../lambdas/domain/periods/period.ts';
import { composeMime } from '../lambdas/adapters/mime.ts';
import { DEFAULT_SETTINGS } from '../lambdas/domain/settings.ts';
import { buildScorecardView } from '../lambdas/domain/scorecard/view-model.ts';
import { renderScorecard } from '../lambdas/domain/scorecard/render.ts';
import { loadStoredScorecard, renderScorecardFrom } from '../lambdas/use-cases/send-scorecard.ts';
import { sampleKpiStore } from '../test/helpers/sample-view.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PERIOD = parsePeriodId('2026-10');
const NOW = new Date('2026-11-01T06:00:00Z');
/** As lib/constructs/scorecard-function.ts writes it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __scorecardCreateRequire } from 'node:module'; const require = __scorecardCreateRequire(import.meta.url);";

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const kb = (bytes: number): number => round(bytes / 1024);

function time(f: () => unknown, runs: number): number {
  for (let i = 0; i < 5; i++) f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return median(out);
}

async function timeAsync(f: () => Promise<unknown>, runs: number): Promise<number> {
  for (let i = 0; i < 5; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return median(out);
}

/** Median import time (ms) of `module` in fresh processes, measured inside each process; and the process's wall time. */
function coldImport(module: string, runs: number): { importMs: number; processMs: number } {
  const imports: number[] = [];
  const walls: number[] = [];
  const script = `const t = performance.now(); import(${JSON.stringify(module)}).then(() => process.stdout.write(String(performance.now() - t)))`;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    walls.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`importing ${module} failed:\n${r.stderr}`);
    imports.push(Number(r.stdout));
  }
  return { importMs: median(imports), processMs: median(walls) };
}

async function main(): Promise<void> {
  // --- render ---
  const store = await sampleKpiStore(PERIOD.id, DEFAULT_SETTINGS, NOW);
  const data = await loadStoredScorecard(PERIOD, store);
  const deps = { clock: { now: () => NOW }, settings: DEFAULT_SETTINGS };
  const full = renderScorecardFrom(PERIOD, data, deps);
  const runs = 40;
  const renderMs = await timeAsync(async () => {
    const r = renderScorecardFrom(PERIOD, data, deps);
    await composeMime(r.emailTo('ceo@example.com'));
  }, runs);
  const noImagesMs = time(() => {
    const view = buildScorecardView({ period: PERIOD, kpis: data.kpis, ...(data.summary ? { summary: data.summary } : {}), settings: DEFAULT_SETTINGS, generatedAt: NOW });
    renderScorecard(view);
  }, runs);
  const eml = await composeMime(full.emailTo('ceo@example.com'));
  const kpis = full.view.sections.reduce((n, s) => n + s.kpis.length, 0);

  // --- bundle as the CDK does, then import it cold ---
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
  try {
    const out = join(dir, 'index.mjs');
    const built = await build({
      entryPoints: [join(ROOT, 'lambdas/handlers/send-scorecard.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      keepNames: true,
      sourcemap: true,
      sourcesContent: false,
      metafile: true,
      logLevel: 'error',
    });
    // The package is the bundle and its map only: nothing left to load from node_modules (no native module).
    const external = Object.values(built.metafile.outputs).flatMap((o) => o.imports)
      .filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path);
    if (external.length) throw new Error(`the bundle imports packages it does not contain: ${[...new Set(external)].join(', ')}`);
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'index.mjs'), 'export const handler = async () => ({});\n');
    const cold = coldImport(out, 7);
    const empty = coldImport(join(dir, 'empty', 'index.mjs'), 7);
    const bundle = statSync(out).size;
    const map = statSync(`${out}.map`).size;
    const packageFiles = [out, `${out}.map`];
    const zipped = packageFiles.reduce((n, f) => n + deflateRawSync(readFileSync(f)).length, 0);

    console.log(JSON.stringify({
      bench: 'report',
      renderMs: round(renderMs),
      coldStartMs: round(cold.importMs),
      htmlKB: kb(Buffer.byteLength(full.html)),
      packageKB: kb(bundle + map),
      // baselines and detail
      renderNoImagesMs: round(noImagesMs),
      images: full.images.length,
      imagesKB: kb(full.images.reduce((n, i) => n + i.content.byteLength, 0)),
      emlKB: kb(eml.length),
      textKB: kb(Buffer.byteLength(full.text)),
      kpis,
      coldStartProcessMs: round(cold.processMs),
      emptyModuleImportMs: round(empty.importMs),
      emptyModuleProcessMs: round(empty.processMs),
      bundleKB: kb(bundle),
      sourceMapKB: kb(map),
      packageZipKB: kb(zipped),
      node: process.version,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
