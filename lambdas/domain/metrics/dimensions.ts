/**
 * The dimensions KPIs are broken down by (metrics.md, "Breakdowns"): where each is read from, and how the
 * scorecard and the docs name it. Which KPI is broken down by which dimension is said by the KPI's entry in the
 * metric registry (`breakdownBy`).
 */
import type { DatasetName } from '../layout.ts';

export const DIMENSION_IDS = ['source', 'campaign', 'owner', 'region', 'product', 'segment'] as const;
export type Dimension = (typeof DIMENSION_IDS)[number];

export interface DimensionSpec {
  readonly id: Dimension;
  /** How a sentence names one value's kind: "rep", "campaign". */
  readonly noun: string;
  readonly plural: string;
  /** Per dataset, the column the dimension is read from. */
  readonly readFrom: Readonly<Partial<Record<DatasetName, string>>>;
}

export const DIMENSIONS: { readonly [D in Dimension]: DimensionSpec } = {
  source: { id: 'source', noun: 'source', plural: 'sources', readFrom: { leads: 'source', opportunities: 'source', spend: 'channel' } },
  campaign: { id: 'campaign', noun: 'campaign', plural: 'campaigns', readFrom: { leads: 'campaign', opportunities: 'campaign', spend: 'campaign' } },
  owner: { id: 'owner', noun: 'rep', plural: 'reps', readFrom: { opportunities: 'owner' } },
  region: { id: 'region', noun: 'region', plural: 'regions', readFrom: { opportunities: 'region' } },
  product: { id: 'product', noun: 'product', plural: 'products', readFrom: { opportunities: 'product' } },
  segment: { id: 'segment', noun: 'segment', plural: 'segments', readFrom: { opportunities: 'segment' } },
};

/** The dimensions a dataset carries, in `DIMENSION_IDS` order. */
export const dimensionsOf = (dataset: DatasetName): Dimension[] => DIMENSION_IDS.filter((d) => DIMENSIONS[d].readFrom[dataset] !== undefined);

/** A KPI's breakdown values by dimension, then by value (lower case, see `segmentKey`). */
export interface BreakdownValue {
  readonly value: number | null;
  readonly numerator?: number;
  readonly denominator?: number;
}
export type Breakdowns = Readonly<Partial<Record<Dimension, Readonly<Record<string, BreakdownValue>>>>>;
/** How each value was first written ("Zoë Schäfer" for `zoë schäfer`), where that differs from its key. */
export type BreakdownLabels = Readonly<Partial<Record<Dimension, Readonly<Record<string, string>>>>>;
