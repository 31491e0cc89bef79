/** What the published JSON Schemas (docs/settings.schema.json, docs/mapping.schema.json) are rendered with. */
import * as z from 'zod';

/**
 * A zod schema as JSON Schema draft 2020-12, `$schema`, title and description first, as a file's text (two-space
 * indented, final newline). `io` picks the side: what a file holds when the code reads other forms too ('output'),
 * or what the file itself is checked as ('input').
 */
export function renderJsonSchema(schema: z.ZodType, io: 'input' | 'output'): string {
  return `${JSON.stringify(jsonSchemaOf(schema, io), null, 2)}\n`;
}

/** The schema object that `renderJsonSchema` writes. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema, title, description, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, unknown>;
  return { $schema, title, description, ...rest };
}
