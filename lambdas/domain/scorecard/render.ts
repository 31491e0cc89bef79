/**
 * Renders the scorecard view model to the two bodies of the email: HTML (the compiled MJML template,
 * filled by mustache) and plain text. Pure: no I/O, no clock, no MJML at run time.
 */
import Mustache from 'mustache';
import { SCORECARD_TEMPLATE } from './compiled-template.ts';
import type { BreakdownTableView, KpiView, ScorecardView, Sentence, Tone } from './view.ts';
import { ARROW, capitalised, changeLine, changeText, comparedWord, GLANCE_KEY, headlineMarker, toneWord } from './signs.ts';

export interface RenderedScorecard {
  readonly html: string;
  readonly text: string;
}

/** Line width the plain-text part wraps at. */
export const TEXT_WIDTH = 78;

/**
 * The glance's change: arrow and figure held together by no-break spaces ("▲ +21.7 pts"), so that on a narrow
 * phone only the tone word after it, or the words of "– about the same", go to the next line.
 */
const glanceChange = (k: KpiView): string =>
  k.change === null ? '' : `${ARROW[k.trend]}\u00a0${/^[−+]?[\d$]/.test(k.change) ? k.change.replace(/ /g, '\u00a0') : k.change}`;

const toneFlags = (tone: Tone, shown = true) => ({
  good: shown && tone === 'good',
  bad: shown && tone === 'bad',
  neutral: shown && tone === 'neutral',
});

/** The previous period as a KPI's comparison line names it ("Sep"). */
const previousName = (view: ScorecardView): string => view.previousPeriodShort ?? view.previousPeriodLabel;

/** "vs 92 in Sep" (or "No figure for Sep") and "80 a year ago (+25.0%)": two pieces that wrap between, not inside. */
function comparison(k: KpiView, previous: string): { prev: string; yearAgo: string | null } {
  const y = k.yearAgo;
  return {
    prev: k.previous === null ? `No figure for ${previous}` : `vs ${k.previous} in ${previous}`,
    yearAgo: y ? `${y.value} a year ago${y.change ? ` (${y.change})` : ''}` : null,
  };
}

const comparisonText = (k: KpiView, previous: string): string => {
  const c = comparison(k, previous);
  return c.yearAgo ? `${c.prev} · ${c.yearAgo}` : c.prev;
};

/** The sentences the email shows: those that say more than the figures and badge around them. */
const shown = (sentences: readonly Sentence[]): Sentence[] => sentences.filter((c) => !c.restates);

const listOrNull = <T>(items: readonly T[]): { items: readonly T[] } | null => (items.length ? { items } : null);

/** The registry's actions come through the `action` rule as "Recommended: …": the template sets the label apart. */
const ACTION_PREFIX = 'Recommended: ';

function sentenceModel(c: Sentence) {
  const action = c.rule === 'action' && c.text.startsWith(ACTION_PREFIX);
  return { text: action ? c.text.slice(ACTION_PREFIX.length) : c.text, action, plain: !action };
}

/**
 * What the template reads. Every key a block looks up is present (null when absent) so mustache never
 * falls through to an outer context: an optional `benchmark` missing on one KPI must not pick up
 * another value of the same name further out.
 */
function templateModel(view: ScorecardView) {
  const previous = previousName(view);
  const tableSection = view.sourceTable ? (view.sourceTable.sectionId ?? view.sections[view.sections.length - 1]?.id) : undefined;
  return {
    title: view.title,
    preheader: view.headline[0]?.text ?? view.title,
    periodLabel: view.periodLabel,
    previousPeriodLabel: view.previousPeriodLabel,
    banner: view.banner ? { text: view.banner } : null,
    headline: listOrNull(view.headline.map((h) => ({
      text: h.text, arrow: headlineMarker(h), word: capitalised(toneWord(h.tone ?? 'neutral')), ...toneFlags(h.tone ?? 'neutral'),
    }))),
    glance: view.sections.length
      ? {
          key: view.links ? `${GLANCE_KEY} ${LINK_NOTE}` : GLANCE_KEY,
          sections: view.sections.map((s) => ({
            title: s.title,
            rows: s.kpis.map((k) => ({
              label: k.label,
              // A figure with its unit ("101.1 days", "4.1 : 1") stays on one line; a label breaks between its words.
              value: /^\S+ (days|: 1)$/.test(k.value) ? k.value.replace(/ /g, '\u00a0') : k.value,
              change: glanceChange(k),
              word: toneWord(k.tone),
              ...toneFlags(k.tone),
              off: Boolean(k.benchmark?.off),
            })),
          })),
        }
      : null,
    sections: view.sections.map((s) => ({
      title: s.title,
      kpis: s.kpis.map((k) => ({
        label: k.label,
        link: k.link ?? null,
        value: k.value,
        arrow: ARROW[k.trend],
        change: changeText(k),
        word: toneWord(k.tone),
        ...toneFlags(k.tone, k.change !== null),
        comparison: comparison(k, previous),
        benchmark: k.benchmark ? { text: k.benchmark.text, ...toneFlags(k.benchmark.tone ?? 'neutral') } : null,
        commentary: shown(k.commentary).map(sentenceModel),
        sparkline: k.sparkline ? { cid: k.sparkline.cid, alt: k.sparkline.alt } : null,
      })),
      sourceTable: view.sourceTable && s.id === tableSection
        ? {
            title: view.sourceTable.title,
            allSourceRate: view.sourceTable.allSourceRate,
            rows: view.sourceTable.rows.map((r) => ({
              source: r.source,
              mqls: r.mqls,
              sqls: r.sqls,
              rate: r.rate,
              word: comparedWord(r.tone),
              ...toneFlags(r.tone),
            })),
          }
        : null,
      breakdownTables: tablesOf(view, s.id).map((t) => ({
        title: t.title, note: t.note, evidenceHead: t.evidenceHead, valueHead: t.valueHead,
        groups: t.groups.map((g) => ({
          name: g.name,
          rows: g.rows.map((r) => ({ name: r.name, evidence: r.evidence, value: r.value, word: comparedWord(r.tone), ...toneFlags(r.tone) })),
        })),
      })),
    })),
    dataNotes: listOrNull(view.dataNotes.map((n) => n.text)),
    // With a page, the definitions are there (one link); without, here.
    definitionsLink: view.links?.definitions ?? null,
    definitions: view.links ? null : listOrNull(view.definitions.map((d) => ({ label: d.label, definition: d.definition }))),
    pageLink: view.links?.page ?? null,
    footer: view.footer ? footerText(view.footer) : null,
    generatedAt: view.generatedAt,
  };
}

/** The breakdown tables that follow a section. */
const tablesOf = (view: ScorecardView, sectionId: string): readonly BreakdownTableView[] =>
  (view.breakdownTables ?? []).filter((t) => t.sectionId === sectionId);

/**
 * Renders the scorecard email bodies. Every value is HTML-escaped by mustache's `{{ }}` (the template has
 * no `{{{ }}}`), so data can never become markup.
 */
export function renderScorecard(view: ScorecardView): RenderedScorecard {
  return { html: Mustache.render(SCORECARD_TEMPLATE, templateModel(view)), text: renderText(view) };
}

// --- plain text ------------------------------------------------------------------------------------------

/** Greedy word wrap; `first` prefixes the first line, `rest` the others. A word longer than a line stays whole. */
export function wrap(text: string, first = '', rest = first, width = TEXT_WIDTH): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + w;
    empty = false;
  }
  lines.push(line);
  return lines;
}

const rule = (ch: string): string => ch.repeat(TEXT_WIDTH);

function kpiText(k: KpiView, previous: string): string[] {
  const change = k.change === null ? null : changeLine(k, changeText(k));
  const figures = [k.value, change, comparisonText(k, previous)].filter((x) => x !== null).join(' · ');
  return [
    ...wrap(k.label),
    ...wrap(figures, '  ', '    '),
    ...(k.benchmark ? wrap(`Benchmark: ${k.benchmark.text}`, '  ', '    ') : []),
    ...(k.seriesText ? wrap(`Trend: ${k.seriesText}`, '  ', '    ') : []),
    ...shown(k.commentary).flatMap((c) => wrap(c.text, '  - ', '    ')),
    '',
  ];
}

function sourceTableText(table: NonNullable<ScorecardView['sourceTable']>): string[] {
  const head = ['Source', 'MQLs', 'SQLs', 'Rate'] as const;
  const rows = table.rows.map((r) => [r.source, r.mqls, r.sqls, `${r.rate} ${comparedWord(r.tone)}`] as const);
  const num = (i: 1 | 2 | 3) => Math.max(head[i].length, ...rows.map((r) => r[i].length));
  const w1 = num(1);
  const w2 = num(2);
  const w3 = num(3);
  // The source column gets what the numbers leave; a longer name goes on a line of its own.
  const w0 = Math.min(Math.max(head[0].length, ...rows.map((r) => r[0].length)), TEXT_WIDTH - (w1 + w2 + w3 + 6));
  const line = (r: readonly [string, string, string, string]): string[] => {
    const nums = `  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}  ${r[3].padStart(w3)}`;
    return r[0].length <= w0 ? [r[0].padEnd(w0) + nums] : [...wrap(r[0]), ' '.repeat(w0) + nums];
  };
  return [
    table.title.toUpperCase(),
    ...wrap(`All sources: ${table.allSourceRate}. Better or worse: above or below it.`),
    '',
    ...line(head),
    `${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ${'-'.repeat(w3)}`,
    ...rows.flatMap(line),
    '',
  ];
}

/** A breakdown table as text: a line per dimension, then its best and worst value, each said better or worse. */
function breakdownTableText(t: BreakdownTableView): string[] {
  const valueOf = (r: BreakdownTableView['groups'][number]['rows'][number]): string => `${r.value} ${comparedWord(r.tone)}`;
  const rows = t.groups.flatMap((g) => g.rows.map((r) => [r.name, r.evidence, valueOf(r)] as const));
  const w1 = Math.max(t.evidenceHead.length, ...rows.map((r) => r[1].length));
  const w2 = Math.max(t.valueHead.length, ...rows.map((r) => r[2].length));
  // The name column (indented by 2) gets what the numbers leave; a longer name goes on lines of its own.
  const w0 = Math.min(Math.max(...rows.map((r) => r[0].length)) + 2, TEXT_WIDTH - (w1 + w2 + 4));
  const line = (r: readonly [string, string, string]): string[] => {
    const nums = `  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}`;
    return r[0].length <= w0 - 2 ? [`  ${r[0]}`.padEnd(w0) + nums] : [...wrap(r[0], '  ', '    '), ' '.repeat(w0) + nums];
  };
  return [
    t.title.toUpperCase(),
    ...wrap(t.note),
    '',
    `${''.padEnd(w0)}  ${t.evidenceHead.padStart(w1)}  ${t.valueHead.padStart(w2)}`,
    ...t.groups.flatMap((g) => [g.name, ...g.rows.flatMap((r) => line([r.name, r.evidence, valueOf(r)]))]),
    '',
  ];
}

export { GLANCE_KEY } from './signs.ts';

/** Every KPI on one line: label, value, change and tone in words, "(!)" when off its benchmark. */
function glanceText(view: ScorecardView): string[] {
  const kpis = view.sections.flatMap((s) => s.kpis);
  const labelWidth = Math.min(30, Math.max(...kpis.map((k) => k.label.length + (k.benchmark?.off ? 4 : 0))));
  const valueWidth = Math.max(...kpis.map((k) => k.value.length));
  const lines = ['AT A GLANCE'];
  for (const s of view.sections) {
    for (const k of s.kpis) {
      const label = `${k.label}${k.benchmark?.off ? ' (!)' : ''}`;
      const line = `${label.padEnd(labelWidth)}  ${k.value.padStart(valueWidth)}  ${changeLine(k)}`.trimEnd();
      lines.push(...(line.length <= TEXT_WIDTH ? [line] : wrap(line, '', '    ')));
    }
  }
  lines.push(...wrap(`${GLANCE_KEY} (!) off its benchmark or target.`), '');
  return lines;
}

/** Under the glance table when there is a page: where the rest is. */
const LINK_NOTE = 'Each KPI’s name below links to its history, breakdowns and sources on the scorecard’s page.';

/** "Sent by … to …. Questions about these numbers: …": a forwarded copy still says where it came from. */
const footerText = (f: NonNullable<ScorecardView['footer']>): string =>
  `Sent by ${f.sender} to ${f.recipients}. Questions about these numbers: ${f.contact} (or reply to this email).`;

function renderText(view: ScorecardView): string {
  const lines: string[] = [
    view.title.toUpperCase(),
    `${view.periodLabel} compared with ${view.previousPeriodLabel}`,
    // A link is one word: a long one stays whole on its line.
    ...(view.links ? ['', 'View in browser, with every KPI’s history, breakdowns and sources:', view.links.page] : []),
    '',
  ];
  if (view.banner) lines.push(...wrap(`MISSING DATA: ${view.banner}`, '!! ', '   '), '');
  if (view.headline.length) {
    const said = (h: Sentence): string => [capitalised(toneWord(h.tone ?? 'neutral')), h.text].filter(Boolean).join(': ');
    lines.push('HEADLINES', ...view.headline.flatMap((h) => wrap(said(h), `${headlineMarker(h)} `, '  ')), '');
  }
  if (view.sections.length) lines.push(...glanceText(view));
  const previous = previousName(view);
  const tableSection = view.sourceTable ? (view.sourceTable.sectionId ?? view.sections[view.sections.length - 1]?.id) : undefined;
  for (const s of view.sections) {
    lines.push(rule('='), s.title.toUpperCase(), rule('='), '');
    for (const k of s.kpis) lines.push(...kpiText(k, previous));
    for (const t of tablesOf(view, s.id)) lines.push(...breakdownTableText(t));
    if (view.sourceTable && s.id === tableSection) lines.push(...sourceTableText(view.sourceTable));
  }
  lines.push(rule('-'));
  if (view.dataNotes.length) lines.push('ABOUT THE DATA', ...view.dataNotes.flatMap((n) => wrap(n.text, '- ', '  ')), '');
  if (view.links) lines.push('DEFINITIONS', 'What each KPI counts and how, on the scorecard’s page:', view.links.definitions, '');
  else if (view.definitions.length) {
    lines.push('DEFINITIONS', ...view.definitions.flatMap((d) => wrap(`${d.label}: ${d.definition}`, '- ', '  ')), '');
  }
  if (view.footer) lines.push(...wrap(footerText(view.footer)), '');
  lines.push(view.generatedAt, '');
  return lines.join('\n');
}
