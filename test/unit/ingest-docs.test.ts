/** docs/exports.md is generated from the dataset registry and the report's codes; this fails when it is stale. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../../lambdas/domain/layout.ts';
import { DATASETS } from '../../lambdas/domain/datasets/registry.ts';
import { ERROR_CODES, WARNING_CODES } from '../../lambdas/domain/validation/report.ts';
import { EXPORTS_DOC_PATH, renderExportsDoc } from '../../scripts/generate-exports-doc.ts';

describe('docs/exports.md', () => {
  it('is what the registry renders (run npx tsx scripts/generate-exports-doc.ts)', async () => {
    expect(await readFile(EXPORTS_DOC_PATH, 'utf8')).toBe(renderExportsDoc());
  });

  it('lists every dataset with every column, its accepted headers and its rules', () => {
    const doc = renderExportsDoc();
    for (const name of DATASET_NAMES) {
      const spec = DATASETS[name];
      const section = doc.slice(doc.indexOf(`### \`${name}\``)).split('\n### ')[0]!;
      for (const c of spec.columns.filter((x) => !x.helper)) {
        expect(section, `${name}.${c.name}`).toContain(`| \`${c.name}\` |`);
        for (const alias of c.aliases) expect(section, `${name}.${c.name}`).toContain(alias);
      }
      for (const rule of spec.rules) expect(section).toContain(rule);
      expect(spec.rules.length).toBeGreaterThan(0);
    }
  });

  it('gives every error and warning code a hint', () => {
    const doc = renderExportsDoc();
    for (const c of [...ERROR_CODES, ...WARNING_CODES]) expect(doc).toMatch(new RegExp(`\\| \`${c}\` \\| \\S`));
  });
});
