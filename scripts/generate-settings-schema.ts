/**
 * Writes docs/settings.schema.json, the JSON Schema of the config file (`cdk synth -c config=<file>`,
 * `smarketing --config <file>`), from the zod schema the code checks settings with:
 * `npm run docs:settings` (or `npx tsx scripts/generate-settings-schema.ts`). `test/unit/settings.test.ts` fails
 * when the committed file differs from what this renders, so the published schema cannot drift from the checks.
 *
 * A config file can name it for editor completion and checks: `"$schema": "../docs/settings.schema.json"`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configSchema } from '../lambdas/domain/settings.ts';
import { jsonSchemaOf, renderJsonSchema } from './json-schema.ts';

export const SETTINGS_SCHEMA_PATH = fileURLToPath(new URL('../docs/settings.schema.json', import.meta.url));

/**
 * The JSON Schema (draft 2020-12) of the config file, as the file holds it (the JSON forms of the values: the
 * schema's output side, after the string forms of CDK context and the environment are read), as its text.
 */
export function renderSettingsSchema(): string {
  return renderJsonSchema(configSchema, 'output');
}

/** The same schema as an object, for tests. */
export const settingsJsonSchema = (): Record<string, unknown> => jsonSchemaOf(configSchema, 'output');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(SETTINGS_SCHEMA_PATH, renderSettingsSchema());
  console.log(`wrote ${SETTINGS_SCHEMA_PATH}`);
}
