/**
 * Which mapping file applies to an upload: the `mapping.json` nearest above it, from its own folder up to the
 * dataset folder (`incoming/<dataset>/`). The same rule for bucket keys and for the CLI's folders.
 */
import { MAPPING_FILE_NAME, isMappingKey } from './schema.ts';

/** The folder of a key, with its trailing `/` (`incoming/leads/team/x.csv` → `incoming/leads/team/`). */
export const folderOf = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);

/**
 * The keys a mapping file of `key` may have, nearest first, down to `root` (the dataset folder, with its `/`):
 * `incoming/leads/a/b/x.csv` → `incoming/leads/a/b/mapping.json`, `incoming/leads/a/mapping.json`,
 * `incoming/leads/mapping.json`. Empty when `key` is not under `root`.
 */
export function mappingCandidates(key: string, root: string): string[] {
  if (!key.startsWith(root)) return [];
  const out: string[] = [];
  let folder = folderOf(key);
  while (folder.length >= root.length) {
    out.push(`${folder}${MAPPING_FILE_NAME}`);
    if (folder === root) break;
    folder = folderOf(folder.slice(0, -1));
  }
  return out;
}

/**
 * Whether the mapping file at `mappingKey` is the one that applies to `key`, given the mapping files that exist
 * (`exists`): it is above `key`, and no mapping file lies between them.
 */
export function governs(mappingKey: string, key: string, root: string, exists: (candidate: string) => boolean): boolean {
  if (isMappingKey(key)) return false;
  for (const candidate of mappingCandidates(key, root)) {
    if (candidate === mappingKey) return true;
    if (exists(candidate)) return false;
  }
  return false;
}
