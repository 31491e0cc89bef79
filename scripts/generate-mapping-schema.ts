/**
 * Writes docs/mapping.schema.json, the JSON Schema of a `mapping.json` kept beside the exports, from the zod
 * schema the validator checks mapping files with: `npm run docs:mapping` (or `npx tsx
 * scripts/generate-mapping-schema.ts`). `test/unit/mapping-schema.test.ts` fails when the committed file differs.
 *
 * A mapping file can name it for editor completion and checks: `"$schema": "<path to>/docs/mapping.schema.json"`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mappingSchema } from '../lambdas/domain/mapping/schema.ts';
import { renderJsonSchema } from './json-schema.ts';

export const MAPPING_SCHEMA_PATH = fileURLToPath(new URL('../docs/mapping.schema.json', import.meta.url));

/** The JSON Schema (draft 2020-12) of a mapping file, as the file's text. */
export function renderMappingSchema(): string {
  return renderJsonSchema(mappingSchema, 'input');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(MAPPING_SCHEMA_PATH, renderMappingSchema());
  console.log(`wrote ${MAPPING_SCHEMA_PATH}`);
}
