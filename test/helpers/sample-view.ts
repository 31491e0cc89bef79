/**
 * Scorecard fixtures: a realistic October 2026 view (25 KPIs in 5 sections, a 9-source table; its content is
 * in sample-sections.ts), a hostile variant whose data tries to become markup, inline sparkline images drawn by
 * the product's rasteriser, the samples' stored KPIs, and stored-KPI builders for the commentary rules' tests.
 */
import { fileURLToPath } from 'node:url';
import type { InMemoryKpiStore } from '../../lambdas/adapters/memory.ts';
import { parsePeriodId, type Period } from '../../lambdas/domain/periods/period.ts';
import { sparklinePngs } from '../../lambdas/domain/scorecard/sparkline.ts';
import { commentaryContext, scorecardPeriods } from '../../lambdas/domain/scorecard/view-model.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../lambdas/domain/settings.ts';
import type { KpisByPeriod } from '../../lambdas/domain/commentary/facts.ts';
import type { CommentaryContext, KpiFacts } from '../../lambdas/domain/commentary/types.ts';
import type { PeriodSummary, StoredKpi } from '../../lambdas/ports/index.ts';
import type { InlineImage, KpiView, ScorecardView, Sentence } from '../../lambdas/domain/scorecard/view.ts';
import { DEFINITIONS, PREV, SECTIONS, sentence, SOURCE_ROWS } from './sample-sections.ts';

export { sentence };

/**
 * The full October 2026 scorecard: 25 KPIs in 5 sections, a 9-source table (412 MQLs, 100 SQLs, as the KPIs
 * say), data notes and definitions. A source within a point of the all-source rate is neutral.
 */
export function sampleView(overrides: Partial<ScorecardView> = {}): ScorecardView {
  return {
    title: 'Scorecard for October 2026',
    subject: 'October 2026: SQLs up 8.7%, SQL acceptance down 1.6 pts',
    periodLabel: 'October 2026',
    periodId: '2026-10',
    previousPeriodLabel: PREV,
    headline: [
      { rule: 'headline', text: 'SQLs grew 8.7% to 100, inside the 5–10% monthly growth target.', tone: 'good' },
      { rule: 'headline', text: 'SQL acceptance 75.0% is below the 80% benchmark: 25 of 100 SQLs were rejected.', tone: 'bad' },
      { rule: 'headline', text: 'Average deal size fell 7.4% to $5,000, the third fall in a row.', tone: 'bad' },
    ],
    sections: [...SECTIONS],
    sourceTable: {
      title: 'MQL → SQL rate by lead source',
      allSourceRate: '24.3%',
      rows: SOURCE_ROWS,
    },
    dataNotes: [
      'Numbers from leads-2026-10.csv (1,214 rows, 3 rejected), opportunities-2026-10.csv (486 rows), spend-2026-10.csv (42 rows) and web_traffic-2026-10.csv (31 rows).',
      'No customers upload for October 2026: net revenue retention is not shown.',
      '3 lead rows were rejected for an invalid email; see the validation report.',
    ].map((text): Sentence => ({ rule: 'uploads', text })),
    definitions: DEFINITIONS,
    generatedAt: 'Generated 1 November 2026 06:00 UTC',
    ...overrides,
  };
}

/** The missing-data banner a real run shows when a required upload is absent. */
export const SAMPLE_BANNER = 'The customers upload for October 2026 is missing: churn, CLV and net revenue retention use September’s customer list.';

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  amp: 'Tom & Jerry',
  quotes: 'the "quoted" one',
  single: "it's 'single'",
} as const;

/** The sample view with data that tries to become markup: in source names, notes, labels and commentary. */
export function hostileView(): ScorecardView {
  const base = sampleView();
  const [first, ...rest] = base.sections;
  if (!first) throw new Error('fixture has no sections');
  const [firstKpi, ...otherKpis] = first.kpis;
  if (!firstKpi) throw new Error('fixture has no KPIs');
  return {
    ...base,
    title: `Scorecard for ${HOSTILE.amp} ${HOSTILE.script}`,
    banner: `Missing upload ${HOSTILE.img} ${HOSTILE.quotes}`,
    headline: [...base.headline, sentence(`Best source ${HOSTILE.script}`, 'good')],
    sections: [
      {
        ...first,
        title: `${first.title} ${HOSTILE.single}`,
        kpis: [
          {
            ...firstKpi,
            label: `Leads ${HOSTILE.img}`,
            value: `1,000 ${HOSTILE.amp}`,
            commentary: [sentence(`Leads from ${HOSTILE.script} grew.`), sentence(`Recommended: Source ${HOSTILE.quotes} ${HOSTILE.single}.`)],
            sparkline: { cid: 'spark-x"onerror="alert(1)@scorecard', alt: `alt ${HOSTILE.quotes} ${HOSTILE.img}` },
          },
          ...otherKpis,
        ],
      },
      ...rest,
    ],
    sourceTable: {
      title: 'MQL → SQL rate by lead source',
      allSourceRate: '24.3%',
      rows: [
        { source: HOSTILE.script, mqls: '10', sqls: '5', rate: '50.0%', tone: 'good' },
        { source: HOSTILE.img, mqls: '10', sqls: '1', rate: '10.0%', tone: 'bad' },
        { source: HOSTILE.amp, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
        { source: HOSTILE.quotes, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
        { source: HOSTILE.single, mqls: '10', sqls: '2', rate: '20.0%', tone: 'neutral' },
      ],
    },
    dataNotes: [sentence(`Upload ${HOSTILE.script}.csv had ${HOSTILE.img} in a cell`), sentence(`Owner ${HOSTILE.amp} ${HOSTILE.quotes} ${HOSTILE.single}`)],
    definitions: [{ label: `Leads ${HOSTILE.single}`, definition: `Defined by ${HOSTILE.script}` }],
  };
}

/** Every KPI of a view, in order. */
export const allKpis = (view: ScorecardView): KpiView[] => view.sections.flatMap((s) => [...s.kpis]);

/**
 * One inline PNG per sparkline in the view, drawn by the product's rasteriser from a made-up but stable
 * 12-month series per KPI (the fixture view carries no series), in the KPI's tone.
 */
export function sampleImages(view: ScorecardView): InlineImage[] {
  const kpis = allKpis(view).flatMap((k, n) => (k.sparkline ? [{ k, n, sparkline: k.sparkline }] : []));
  const pngs = sparklinePngs(kpis.map(({ k, n }) => ({
    values: Array.from({ length: 12 }, (_, i) => 50 + 20 * Math.sin((i + n) / 2) + i * (n % 3 === 0 ? -2 : 2)),
    tone: k.tone,
  })));
  return kpis.map(({ k, sparkline }, i) => ({ cid: sparkline.cid, filename: `${k.id}.png`, contentType: 'image/png', content: pngs[i]! }));
}

// ---------------------------------------------------------------------------------------------------------
// The real thing: the scorecard of the shipped samples, through the same code as `smarketing report`.

/** Stored KPIs of the samples for the periods a scorecard reads (October 2026 and the 12 months before it). */
export async function sampleKpiStore(periodId = '2026-10', settings = DEFAULT_SETTINGS, now = new Date('2026-11-01T06:00:00Z')): Promise<InMemoryKpiStore> {
  // Imported here, not at the top: the unit tests that only need the fixtures above stay clear of validation and KPI code.
  const { kpisOfFolder } = await import('../../lambdas/cli/composition.ts');
  const samples = fileURLToPath(new URL('../../samples/', import.meta.url));
  return (await kpisOfFolder(samples, settings, now, scorecardPeriods(parsePeriodId(periodId)).all)).kpis;
}

// ---------------------------------------------------------------------------------------------------------
// Commentary fixtures: stored KPIs for October 2026 and the months before it, built from short series.

export const OCTOBER = parsePeriodId('2026-10');

/**
 * Stored KPIs by period for October 2026's scorecard window. `series[kpiId]` lists values oldest first, the last
 * one October's (a shorter list fills only the latest months; null stores a KPI with no value). `current[kpiId]`
 * adds fields (numerator, segments, reason, note, uploads…) to October's stored KPI.
 */
export function storedKpis(
  series: Readonly<Record<string, readonly (number | null)[]>>,
  current: Readonly<Record<string, Partial<StoredKpi>>> = {},
  period: Period = OCTOBER,
): KpisByPeriod {
  const periods = scorecardPeriods(period).all;
  const out = new Map<string, Map<string, StoredKpi>>(periods.map((p) => [p.id, new Map()]));
  for (const [id, values] of Object.entries(series)) {
    values.forEach((value, i) => {
      const p = periods[periods.length - values.length + i]!;
      const extra = p.id === period.id ? current[id] ?? {} : {};
      out.get(p.id)!.set(id, {
        id, periodId: p.id, periodType: p.type, value, uploads: [], computedAt: '2026-11-01T06:00:00Z',
        ...(value === null ? { reason: `no value in ${p.id}` } : {}), ...extra,
      });
    });
  }
  for (const [id, extra] of Object.entries(current)) {
    if (!series[id]) out.get(period.id)!.set(id, { id, periodId: period.id, periodType: period.type, value: null, uploads: [], computedAt: '', ...extra });
  }
  return out;
}

/** The commentary context for October 2026 over `storedKpis(series, current)`. */
export function contextFor(
  series: Readonly<Record<string, readonly (number | null)[]>>,
  current: Readonly<Record<string, Partial<StoredKpi>>> = {},
  options: { summary?: PeriodSummary; settings?: Settings; period?: Period } = {},
): CommentaryContext {
  const period = options.period ?? OCTOBER;
  return commentaryContext({
    period, kpis: storedKpis(series, current, period), settings: options.settings ?? DEFAULT_SETTINGS,
    generatedAt: new Date('2026-11-01T06:00:00Z'), ...(options.summary ? { summary: options.summary } : {}),
  });
}

/** A KPI's facts in a context. */
export const factsOf = (ctx: CommentaryContext, id: string): KpiFacts => {
  const f = ctx.kpis.find((k) => k.def.id === id);
  if (!f) throw new Error(`no KPI ${id} in the registry`);
  return f;
};

/** A period summary: every dataset covered and uploaded once, unless told otherwise. */
export function summaryFor(overrides: Partial<PeriodSummary> = {}, period: Period = OCTOBER): PeriodSummary {
  const upload = (d: string) => [{ uploadId: `${d}-1`, key: `incoming/${d}/${d}-${period.id}.csv`, uploadedAt: '2026-11-01T05:00:00.000Z', rows: 100 }];
  return {
    periodId: period.id, periodType: period.type, timezone: 'UTC', currency: 'USD',
    coverage: { leads: true, opportunities: true, spend: true, customers: true, web_traffic: true },
    uploads: { leads: upload('leads'), opportunities: upload('opportunities'), spend: upload('spend'), customers: upload('customers'), web_traffic: upload('web_traffic') },
    rejected: [],
    computedAt: '2026-11-01T06:00:00.000Z',
    ...overrides,
  };
}
