#!/usr/bin/env node
/**
 * The `smarketing` command. Runs the compiled CLI (dist/cli, built by `npm run build`, which `npm ci` runs through
 * `prepare`) when it is at least as new as every source file; otherwise the TypeScript itself through tsx, so
 * an edited source is never run stale (slower to start: TypeScript is compiled at run time).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The SDK warns on every run that releases after January 2027 need Node 22; the lockfile pins a release that works on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'smarketing.js');

/** The newest modification time of the CLI's sources (a few hundred files: a few milliseconds). */
function newestSource() {
  let newest = statSync(join(root, 'bin', 'smarketing.ts')).mtimeMs;
  for (const entry of readdirSync(join(root, 'lambdas'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      const t = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
      if (t > newest) newest = t;
    }
  }
  return newest;
}

if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource()) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./smarketing.ts');
}
