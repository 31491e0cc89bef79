/**
 * Renders the drill-down page: one static HTML file with its style inline and its charts as inline SVG — no
 * script, no font, nothing fetched — readable on a phone and a laptop, and printable. Every value goes through
 * `esc`, so data (a campaign called `<script>`) can never become markup.
 */
import { historyChartSvg } from './chart.ts';
import type { PageKpi, PageTable, PageView } from './model.ts';
import { PAGE_CSS } from './style.ts';
import { capitalised, GLANCE_KEY, headlineMarker, toneWord } from '../scorecard/signs.ts';
import { DEFINITIONS_ANCHOR } from '../links.ts';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function table(t: PageTable, id?: string): string {
  const head = t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.cells.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<table${id ? ` id="${esc(id)}"` : ''}${t.names ? ' class="names"' : ''}><caption>${esc(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>` +
    (t.more ? `<p class="small">${esc(t.more)}</p>` : '') +
    (t.note ? `<p class="small">${esc(t.note)}</p>` : '');
}

function kpi(k: PageKpi): string {
  const tone = (t: string): string => (t === 'good' || t === 'bad' ? t : 'neutral');
  const parts = [
    `<figure class="chart-box"><figcaption class="small">${esc(k.seriesSummary)}</figcaption>${historyChartSvg(k.series, k.tone, k.chartLabel)}` +
      `<div class="axis" aria-hidden="true"><span>${esc(k.firstPeriod)}</span><span>${esc(k.lastPeriod)}</span></div></figure>`,
    `<div>${table(k.history)}</div>`,
    ...k.breakdowns.map((t) => `<div>${table(t)}</div>`),
  ];
  return `<article class="kpi" id="${esc(k.anchor)}" aria-labelledby="${esc(k.anchor)}-h">` +
    `<h3 id="${esc(k.anchor)}-h">${esc(k.label)}</h3>` +
    `<p class="value">${esc(k.value)}</p>` +
    (k.change ? `<p class="chg ${tone(k.tone)}">${esc(k.change)}</p>` : '') +
    `<p class="vs">${esc(k.comparison)}</p>` +
    (k.benchmark ? `<p><span class="badge ${tone(k.benchmark.tone)}">${esc(k.benchmark.text)}</span></p>` : '') +
    (k.evidence ? `<p class="def">${esc(k.evidence)}</p>` : '') +
    (k.commentary.length ? `<ul class="cm">${k.commentary.map((c) => `<li>${esc(c.text)}</li>`).join('')}</ul>` : '') +
    `<div class="parts">${parts.join('')}</div>` +
    `<p class="def"><b>Definition:</b> ${esc(k.definition)} <code>${esc(k.formula)}</code></p>` +
    `<p class="small">${k.uploads.length ? `From: ${esc(k.uploads.join(', '))}.` : 'From no upload in this period.'}</p>` +
    `</article>`;
}

/** The page's HTML. `view.csvHref` is written as given (a signed query, or a path beside the page). */
export function renderPage(view: PageView): string {
  const toc = view.sections.map((s) => `<li><a href="#section-${esc(s.id)}">${esc(s.title)}</a></li>`).join('') +
    `<li><a href="#about-the-data">About the data</a></li><li><a href="#${DEFINITIONS_ANCHOR}">Definitions</a></li>`;
  const headlines = view.headline.length
    ? `<section class="block" aria-labelledby="headlines"><h2 id="headlines">Headlines</h2><ul class="heads">${view.headline.map((h) => {
      const tone = h.tone === 'good' || h.tone === 'bad' ? h.tone : 'neutral';
      const word = capitalised(toneWord(h.tone ?? 'neutral'));
      return `<li><span class="arrow ${tone}" aria-hidden="true">${esc(headlineMarker(h))}</span><span>${word ? `<b class="${tone}">${esc(word)}:</b> ` : ''}${esc(h.text)}</span></li>`;
    }).join('')}</ul><p class="small">${esc(GLANCE_KEY)}</p></section>`
    : '';
  const sections = view.sections.map((s) => `<section class="block" id="section-${esc(s.id)}" aria-labelledby="section-${esc(s.id)}-h">` +
    `<h2 id="section-${esc(s.id)}-h">${esc(s.title)}</h2>${s.kpis.map(kpi).join('')}${s.tables.map((t) => table(t)).join('')}</section>`).join('');
  const notes = `<section class="block" id="about-the-data" aria-labelledby="about-the-data-h"><h2 id="about-the-data-h">About the data</h2>` +
    (view.dataNotes.length ? `<ul class="cm">${view.dataNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '<p>No note for this period.</p>') + '</section>';
  const defs = `<section class="block" id="${DEFINITIONS_ANCHOR}" aria-labelledby="${DEFINITIONS_ANCHOR}-h"><h2 id="${DEFINITIONS_ANCHOR}-h">Definitions</h2><dl class="defs">` +
    view.definitions.map((d) => `<dt id="${esc(d.anchor)}">${esc(d.label)}</dt><dd>${esc(d.definition)} <code>${esc(d.formula)}</code><br><span class="small">Benchmark: ${esc(d.reference)}</span></dd>`).join('') +
    '</dl></section>';
  const f = view.footer;
  const footer = `<footer class="wrap">${f ? `<p>${esc(`Sent by ${f.sender} to ${f.recipients}. Questions about these numbers: ${f.contact}.`)}</p>` : ''}<p>${esc(view.generatedAt)}.</p></footer>`;
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">' +
    `<title>${esc(view.title)}</title><style>${PAGE_CSS}</style></head><body>` +
    '<a class="skip" href="#main">Skip to the numbers</a>' +
    `<header class="top"><div class="wrap"><h1>${esc(view.title)}</h1><p>${esc(`${view.periodLabel} compared with ${view.previousPeriodLabel}`)} · <a href="${esc(view.csvHref)}">Download every value (CSV)</a></p></div></header>` +
    `<nav class="toc" aria-label="Sections"><div class="wrap"><ul>${toc}</ul></div></nav>` +
    `<main id="main" class="wrap">${view.banner ? `<p class="block banner"><b>Missing data:</b> ${esc(view.banner)}</p>` : ''}${headlines}${sections}${notes}${defs}</main>` +
    `${footer}</body></html>\n`;
}
