/**
 * Writes docs/mapping.schema.json, the JSON Schema of a `mapping.json` kept beside the exports, from the zod
 * schema the validator checks mapping files with: `npm run docs:mapping` (or `npx tsx
 * scripts/generate-mapping-schema.ts`). `test/unit/mapping-schema.test.ts` fails when the committed file differs.
 *
 * A mapping file can name it for editor completion and checks: `"$schema": "<path to>/docs/mapping.schema.json"`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod';
import { mappingSchema } from '../lambdas/domain/mapping/schema.ts';

export const MAPPING_SCHEMA_PATH = fileURLToPath(new URL('../docs/mapping.schema.json', import.meta.url));

/** The JSON Schema (draft 2020-12) of a mapping file. */
export function mappingJsonSchema(): Record<string, unknown> {
  const { $schema, title, description, ...rest } = z.toJSONSchema(mappingSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return { $schema, title, description, ...rest };
}

export function renderMappingSchema(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(MAPPING_SCHEMA_PATH, renderMappingSchema());
  console.log(`wrote ${MAPPING_SCHEMA_PATH}`);
}
