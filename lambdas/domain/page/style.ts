/**
 * The drill-down page's stylesheet, inline in the page (one file, nothing fetched; the viewer's
 * Content-Security-Policy allows inline styles only). One column on a phone; on a laptop a KPI's chart and its
 * history table sit side by side. Printed, the navigation goes and no KPI, table row or chart is split.
 * Colours as in the email: every text colour at least 4.5:1 on its background (WCAG AA).
 */
export const PAGE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f5; color: #1f2933; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
a { color: #0b4f8a; }
a:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #ffffff; padding: 8px 12px; }
.skip:focus { left: 8px; }
.top { background: #12355b; color: #ffffff; padding: 20px 16px; }
.top h1 { margin: 0; font-size: 24px; line-height: 1.25; }
.top p { margin: 4px 0 0; color: #d9e2ec; font-size: 14px; }
.top a { color: #ffffff; }
.wrap { max-width: 1040px; margin: 0 auto; }
nav.toc { background: #ffffff; border-bottom: 1px solid #cbd2d9; padding: 8px 16px; font-size: 14px; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc li { display: inline; }
nav.toc li + li::before { content: " · "; color: #5a6675; }
main { padding: 8px 12px 24px; }
.block { background: #ffffff; margin: 12px 0 0; padding: 16px; border-radius: 4px; }
h2 { margin: 0 0 8px; font-size: 20px; line-height: 1.3; color: #12355b; }
h3 { margin: 0; font-size: 16px; line-height: 1.3; color: #3e4c59; }
h4 { margin: 16px 0 4px; font-size: 15px; color: #1f2933; }
.banner { background: #fff4e5; border-left: 6px solid #b45309; color: #7a2e0e; }
.heads { margin: 0; padding: 0; list-style: none; }
.heads li { display: flex; gap: 8px; padding: 6px 0; }
.heads .arrow { flex: 0 0 18px; }
.kpi { border-top: 1px solid #e4e7eb; padding: 16px 0; scroll-margin-top: 8px; }
.kpi:first-of-type { border-top: 0; }
.value { margin: 2px 0 0; font-size: 30px; line-height: 1.15; font-weight: 700; }
.chg { margin: 2px 0 0; font-weight: 700; font-size: 15px; }
.vs, .note, .small { color: #5a6675; font-size: 14px; margin: 4px 0 0; }
.good { color: #137333; }
.bad { color: #b3261e; }
.neutral { color: #5a6675; }
.badge { display: inline-block; margin-top: 6px; padding: 1px 8px; border: 1px solid #cbd2d9; border-radius: 10px; font-size: 13px; background: #f5f7fa; color: #3e4c59; }
.badge.good { border-color: #9fd3ae; background: #eef8f1; color: #137333; }
.badge.bad { border-color: #f1b8b3; background: #fdf1f0; color: #b3261e; }
.cm { margin: 8px 0 0; padding-left: 18px; font-size: 15px; }
.cm li { margin: 2px 0; }
.parts { display: grid; gap: 12px; margin-top: 12px; }
.parts > * { min-width: 0; }
figure { margin: 0; }
svg.chart { display: block; width: 100%; height: auto; max-height: 180px; }
.axis { display: flex; justify-content: space-between; color: #5a6675; font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; color: #3e4c59; padding: 4px 0; }
th, td { padding: 4px 6px; border-bottom: 1px solid #e4e7eb; text-align: right; vertical-align: top; }
thead th { color: #3e4c59; font-weight: 700; border-bottom: 2px solid #cbd2d9; }
tbody th { font-weight: 400; }
th:first-child, td:first-child { text-align: left; }
table.names tbody th { overflow-wrap: anywhere; }
.def { margin: 8px 0 0; font-size: 14px; color: #3e4c59; }
code { font-size: 13px; background: #f5f7fa; padding: 0 3px; overflow-wrap: anywhere; }
dl.defs dt { font-weight: 700; margin-top: 10px; scroll-margin-top: 8px; }
dl.defs dd { margin: 2px 0 0; font-size: 15px; }
footer { padding: 16px; font-size: 14px; color: #3e4c59; }
@media (max-width: 480px) {
  main { padding: 4px 6px 16px; }
  .block { padding: 12px 10px; }
  table { font-size: 13px; }
  th, td { padding: 4px 3px; }
}
@media (min-width: 900px) {
  main { padding: 8px 16px 32px; }
  .parts { grid-template-columns: 3fr 2fr; align-items: start; }

}
@media print {
  body { background: #ffffff; font-size: 12px; }
  .skip, nav.toc { display: none; }
  .top { background: #ffffff; color: #000000; padding: 0 0 8px; border-bottom: 2px solid #000000; }
  .top p, .top a { color: #000000; }
  .block { padding: 8px 0; margin: 0; }
  .kpi, figure, tr, .heads li { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: #000000; text-decoration: none; }
}
`;
