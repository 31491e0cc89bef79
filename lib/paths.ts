import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (where package.json and the lock file are). Handler entries in `HANDLER_ENTRIES` are
 * relative to it, so the stack bundles the same files whether `cdk` or the tests run it, from any directory.
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** An entry from `HANDLER_ENTRIES` (project-relative) as an absolute path. */
export const projectPath = (relative: string): string => resolve(PROJECT_ROOT, relative);
