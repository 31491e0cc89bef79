/** docs/metrics.md is generated from the metric registry; this fails when it is stale. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../lambdas/domain/metrics/registry.ts';
import { DIMENSION_IDS } from '../../lambdas/domain/metrics/dimensions.ts';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../../scripts/generate-metrics-doc.ts';

describe('docs/metrics.md', () => {
  it('is what the registry renders (run npx tsx scripts/generate-metrics-doc.ts)', async () => {
    expect(await readFile(METRICS_DOC_PATH, 'utf8')).toBe(renderMetricsDoc());
  });

  it('documents every KPI with its formula, unit, direction, inputs, benchmark and action', () => {
    const doc = renderMetricsDoc();
    for (const def of METRICS) {
      const section = doc.slice(doc.indexOf(`### \`${def.id}\``)).split('\n### ')[0]!;
      expect(section, def.id).toContain(def.definition);
      expect(section, def.id).toContain(`**Formula:** ${def.formula}`);
      expect(section, def.id).toMatch(/\*\*Unit:\*\* \w/);
      expect(section, def.id).toContain(`**Better:** ${def.better}`);
      for (const d of def.inputs) expect(section, def.id).toContain(`\`${d}\``);
      expect(section, def.id).toContain(`**Benchmark:** ${def.reference}`);
      if (def.action) expect(section, def.id).toContain(def.action);
    }
    expect(doc).toContain('business model `saas`: 2%–5%; source: seed 002 (SaaS)');
  });

  it('lists the breakdowns: per dimension the KPIs broken down by it, per KPI its dimensions', () => {
    const doc = renderMetricsDoc();
    const section = doc.slice(doc.indexOf('## Breakdowns')).split('\n## ')[0]!;
    for (const d of DIMENSION_IDS) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${d}\``));
      const ids = METRICS.filter((m) => m.breakdownBy?.includes(d)).map((m) => `\`${m.id}\``);
      expect(row, d).toBeDefined();
      expect(row, d).toContain(ids.join(', '));
    }
    expect(section).toContain('| `owner` (rep) | opportunities `owner` | `win_rate`, `revenue`, `avg_deal_size`, `pipeline_created` |');
    for (const def of METRICS) {
      const kpiSection = doc.slice(doc.indexOf(`### \`${def.id}\``)).split('\n### ')[0]!;
      expect(kpiSection, def.id).toContain(def.breakdownBy ? `**Breakdowns:** by \`${def.breakdownBy[0]}\`` : '**Breakdowns:** none');
    }
  });
});
