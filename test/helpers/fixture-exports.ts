/**
 * The tool exports of test/fixtures/exports/ (one per profile, each in its tool's own shape: preamble, headers,
 * dialect, footer) and what the tests do with them: validate one as an upload of its dataset, and compute the KPIs
 * of October 2026 from a set of them.
 */
import { readFileSync } from 'node:fs';
import type { DatasetName } from '../../lambdas/domain/layout.ts';
import type { DatasetRecords } from '../../lambdas/domain/datasets/records.ts';
import type { Settings } from '../../lambdas/domain/settings.ts';
import { computePeriodKpis } from '../../lambdas/domain/metrics/compute.ts';
import type { MetricValue } from '../../lambdas/domain/metrics/registry.ts';
import { parsePeriodId } from '../../lambdas/domain/periods/period.ts';
import { settingsWith, validate, type ValidateResult } from './export-builders.ts';

export const fixtureBytes = (name: string): Buffer => readFileSync(new URL(`../fixtures/exports/${name}`, import.meta.url));

/** The fixtures' business sells through sales reps too: HubSpot's "Offline Sources" are deals the reps entered. */
export const FIXTURE_SETTINGS: Partial<Settings> = {
  salesSourcedSources: [...settingsWith().salesSourcedSources, 'Offline Sources'],
};

/** Validates a fixture as an upload of `dataset` made on 2 November 2026. */
export function validateFixture<N extends DatasetName>(dataset: N, name: string, mapping?: string): Promise<ValidateResult<N>> {
  return validate(dataset, fixtureBytes(name), {
    settings: FIXTURE_SETTINGS, source: `incoming/${dataset}/${name}`,
    ...(mapping ? { mapping: { source: `incoming/${dataset}/mapping.json`, text: fixtureBytes(mapping).toString('utf8') } } : {}),
  });
}

export type Records = { [N in DatasetName]: DatasetRecords[N][] };

export const noRecords = (): Records => ({ leads: [], opportunities: [], spend: [], customers: [], web_traffic: [] });

/** October 2026's KPIs from these records (each counts once), with the fixtures' settings. */
export function octoberKpis(records: Partial<Records>): Record<string, MetricValue> {
  return computePeriodKpis({ ...noRecords(), ...records }, parsePeriodId('2026-10'), settingsWith(FIXTURE_SETTINGS)).metrics as Record<string, MetricValue>;
}

/** A KPI's value, numerator and denominator (what two exports of one business must agree on). */
export const figures = (m: MetricValue | undefined) => ({ value: m?.value, numerator: m?.numerator, denominator: m?.denominator });
