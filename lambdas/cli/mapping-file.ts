/**
 * The mapping file of a local export: the one given with `--mapping`, or the `mapping.json` nearest above the
 * file, from its own folder up to the dataset folder (a folder named like the dataset), as in the bucket.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { DatasetName } from '../domain/layout.ts';
import { MAPPING_FILE_NAME } from '../domain/mapping/schema.ts';
import { UsageError } from './options.ts';

/** What `validateExport` takes of a mapping file. */
export interface MappingText {
  readonly source: string;
  readonly text: string;
}

const MAX_MAPPING_BYTES = 256 * 1024;

async function readMapping(path: string, shown: string): Promise<MappingText> {
  const info = await stat(path);
  if (!info.isFile()) throw new UsageError(`--mapping ${shown} is not a file`);
  if (info.size > MAX_MAPPING_BYTES) throw new UsageError(`--mapping ${shown} is ${info.size} bytes: a mapping file is a few columns and words`);
  return { source: shown, text: await readFile(path, 'utf8') };
}

/** `--mapping <file>` (a missing file is a usage error), else the nearest mapping.json above `file`, if any. */
export async function mappingFor(file: string, dataset: DatasetName, explicit: string | undefined, cwd: string): Promise<MappingText | undefined> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) throw new UsageError(`no such mapping file: ${explicit}`);
    return readMapping(path, explicit);
  }
  // From the file's folder up; the dataset folder is the last one looked in (none of that name: the file's folder only).
  const folders: string[] = [];
  for (let dir = dirname(resolve(cwd, file)); ; dir = dirname(dir)) {
    folders.push(dir);
    if (basename(dir) === dataset || dirname(dir) === dir) break;
  }
  const searched = folders.some((d) => basename(d) === dataset) ? folders : folders.slice(0, 1);
  for (const dir of searched) {
    const path = resolve(dir, MAPPING_FILE_NAME);
    if (await stat(path).then((s) => s.isFile(), () => false)) return readMapping(path, path);
  }
  return undefined;
}
