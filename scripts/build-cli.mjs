/**
 * `npm run build`: compiles the `smarketing` CLI to JavaScript in dist/cli/ (run by `prepare`, so `npm ci` leaves
 * it built). One module per command (code splitting), npm packages left as imports: a `validate` loads only what
 * it needs, and no TypeScript is compiled at run time. bin/smarketing.js falls back to running the TypeScript
 * through tsx when dist/ is missing or older than a source file, so an edited source is never run stale.
 *
 * Plain JavaScript (not TypeScript) so that it runs before anything is compiled.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'bin', 'smarketing.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
