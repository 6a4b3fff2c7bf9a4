// Self-contained HTML report: sections of text, inline SVG figures and tables in one offline file (no network).
import { arrayArgument, objectArgument } from '../core/argumentChecks.js';

/** A figure: an SVG document (e.g. from `renderSvg`) and its caption. */
export interface ReportFigure {
  /** SVG markup; inlined after removing any XML prolog, scripts and event handlers, with ids made unique. */
  readonly svg: string;
  /** Caption under the figure (plain text; `code` in backticks). */
  readonly caption?: string;
  /** Anchor id of the figure. */
  readonly id?: string;
}

/** A table cell: text, a number (formatted), or empty. */
export type ReportCell = string | number | null | undefined;

/** A table: column headers and rows of cells. */
export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly ReportCell[])[];
  /** Caption above the table. */
  readonly caption?: string;
  /** Significant digits of numbers that are not integers. Default 4. */
  readonly digits?: number;
  /**
   * Fixed decimals per column (e.g. 2 for `r_hat` so 1 prints as `1.00`); columns left undefined
   * use `digits` significant digits.
   */
  readonly decimals?: readonly (number | undefined)[];
  /** Alignment per column; default right for columns whose cells are all numbers, else left. */
  readonly align?: readonly ('left' | 'right' | 'center')[];
  /** Anchor id of the table. */
  readonly id?: string;
}

/** A block of a section, rendered in the order given. */
export type ReportBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'callout'; readonly level: 'info' | 'warning' | 'error'; readonly text: string; readonly title?: string }
  | ({ readonly kind: 'figure' } & ReportFigure)
  | ({ readonly kind: 'table' } & ReportTable)
  /** Trusted HTML inserted as is (it must not load anything from the network). */
  | { readonly kind: 'html'; readonly html: string };

/** A section: heading, then paragraphs, figures, tables, blocks and subsections, in that order. */
export interface ReportSection {
  readonly heading: string;
  /** Anchor id; default derived from the heading. */
  readonly id?: string;
  readonly paragraphs?: readonly string[];
  readonly figures?: readonly ReportFigure[];
  readonly tables?: readonly ReportTable[];
  readonly blocks?: readonly ReportBlock[];
  readonly subsections?: readonly ReportSection[];
}

/** Input of {@link renderReport}. */
export interface ReportInput {
  readonly title: string;
  /** Line under the title. */
  readonly subtitle?: string;
  /** Key facts shown under the title (e.g. nutmeg version, seed, date). */
  readonly meta?: readonly { readonly label: string; readonly value: string }[];
  readonly sections: readonly ReportSection[];
  /** Table of contents after the title. Default true when there are 3 or more sections. */
  readonly toc?: boolean;
  /** Small print at the end (plain text). */
  readonly footer?: string;
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param s - any text
 * @returns the text with `& < > " '` escaped
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain text with `code` spans → HTML. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function slug(s: string): string {
  const base = s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base.length > 0 ? base : 'section';
}

/**
 * Prepares SVG markup for inlining in an HTML page: removes an XML prolog, a doctype, comments,
 * `<script>` elements and `on…` event attributes, and prefixes every `id` (and the `url(#…)` and
 * `href="#…"` references to it) so that several figures in one page do not share clip-path or
 * gradient ids (vega numbers its clip paths per process, so two figures can both use `clip1`).
 *
 * @param svg - SVG markup
 * @param prefix - prefix of the ids, unique per figure in the page
 * @returns the cleaned `<svg …>…</svg>` markup
 * @throws RangeError if the markup has no `<svg` element
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg
    .replace(/<\?xml[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[\s\S]*?>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<script[\s\S]*?<\/script\s*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '');
  const start = s.indexOf('<svg');
  if (start < 0) throw new RangeError('inlineSvg: no <svg> element in the figure markup');
  s = s.slice(start).trim();
  const ids = new Set<string>();
  for (const m of s.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (ids.size > 0) {
    const p = (id: string): string => (ids.has(id) ? `${prefix}-${id}` : id);
    s = s
      .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${p(id)}${b}`)
      .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${p(id)})`)
      .replace(/(href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${p(id)}${b}`);
  }
  return s;
}

/**
 * Formats a table cell: integers as they are, other numbers to `digits` significant digits
 * (exponent form when very large or small), `NaN`/`±Inf` spelled out, empty for null.
 *
 * @param v - the cell
 * @param digits - significant digits
 * @returns the text of the cell
 */
export function formatCell(v: ReportCell, digits = 4): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '−Inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

class Counter {
  figure = 0;
  table = 0;
  ids = new Set<string>();
  unique(id: string): string {
    let u = id;
    for (let k = 2; this.ids.has(u); k++) u = `${id}-${k}`;
    this.ids.add(u);
    return u;
  }
}

function figureHtml(f: ReportFigure, c: Counter): string {
  c.figure++;
  const id = c.unique(f.id ?? `figure-${c.figure}`);
  const caption = f.caption ? `<figcaption><span class="label">Figure ${c.figure}.</span> ${inline(f.caption)}</figcaption>` : '';
  return `<figure id="${escapeHtml(id)}"><div class="svg">${inlineSvg(f.svg, `f${c.figure}`)}</div>${caption}</figure>`;
}

function tableHtml(t: ReportTable, c: Counter): string {
  c.table++;
  const id = c.unique(t.id ?? `table-${c.table}`);
  const digits = t.digits ?? 4;
  const align = t.columns.map((_, j) => {
    if (t.align?.[j]) return t.align[j];
    const cells = t.rows.map((r) => r[j]).filter((v) => v !== null && v !== undefined && v !== '');
    return cells.length > 0 && cells.every((v) => typeof v === 'number') ? 'right' : 'left';
  });
  const cell = (v: ReportCell, j: number): string => {
    const d = t.decimals?.[j];
    return typeof v === 'number' && d !== undefined && Number.isFinite(v) ? v.toFixed(d) : formatCell(v, digits);
  };
  const cls = (j: number): string => (align[j] === 'left' ? '' : ` class="${align[j]}"`);
  const head = t.columns.map((h, j) => `<th${cls(j)}>${escapeHtml(h)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${t.columns.map((_, j) => `<td${cls(j)}>${escapeHtml(cell(r[j], j))}</td>`).join('')}</tr>`)
    .join('\n');
  const caption = t.caption ? `<caption><span class="label">Table ${c.table}.</span> ${inline(t.caption)}</caption>` : '';
  return `<div class="table-wrap" id="${escapeHtml(id)}"><table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function blockHtml(b: ReportBlock, c: Counter): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.code)}</code></pre>`;
    case 'callout': {
      const title = b.title ? `<strong>${escapeHtml(b.title)}</strong> ` : '';
      return `<div class="callout ${b.level}" role="note">${title}${inline(b.text)}</div>`;
    }
    case 'figure':
      return figureHtml(b, c);
    case 'table':
      return tableHtml(b, c);
    case 'html':
      return b.html;
  }
}

function sectionHtml(s: ReportSection, level: number, c: Counter, ids: Map<ReportSection, string>): string {
  const id = ids.get(s) ?? c.unique(s.id ?? slug(s.heading));
  const h = `h${Math.min(6, level)}`;
  const parts: string[] = [`<${h} id="${escapeHtml(id)}">${escapeHtml(s.heading)}</${h}>`];
  for (const p of s.paragraphs ?? []) parts.push(`<p>${inline(p)}</p>`);
  for (const f of s.figures ?? []) parts.push(figureHtml(f, c));
  for (const t of s.tables ?? []) parts.push(tableHtml(t, c));
  for (const b of s.blocks ?? []) parts.push(blockHtml(b, c));
  for (const sub of s.subsections ?? []) parts.push(sectionHtml(sub, level + 1, c, ids));
  return `<section>\n${parts.join('\n')}\n</section>`;
}

const CSS = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #dadce0; --accent: #2b5b8a; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 16px/1.55 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 64px; }
h1 { font-size: 1.9rem; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 1.4rem; margin: 2.2em 0 0.5em; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 1.6em 0 0.4em; }
h4, h5, h6 { font-size: 1rem; margin: 1.2em 0 0.3em; }
p, ul { max-width: 78ch; }
.subtitle { color: var(--muted); margin: 0 0 12px; font-size: 1.05rem; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; color: var(--muted); font-size: 0.9rem; margin: 8px 0 16px; padding: 0; list-style: none; }
.meta b { color: var(--fg); font-weight: 600; }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: 10px 18px; margin: 16px 0 8px; max-width: 78ch; }
nav.toc ol { margin: 4px 0; padding-left: 22px; }
a { color: var(--accent); }
code { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; overflow-x: auto; }
pre code { background: none; padding: 0; }
figure { margin: 20px 0 28px; }
figure .svg { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption, caption { color: var(--muted); font-size: 0.92rem; margin-top: 6px; text-align: left; max-width: 90ch; }
caption { caption-side: top; margin: 0 0 6px; }
.label { font-weight: 600; color: var(--fg); }
.table-wrap { overflow-x: auto; margin: 16px 0 24px; }
table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { border-bottom: 2px solid #9aa0a6; font-weight: 600; }
td.right, th.right { text-align: right; }
td.center, th.center { text-align: center; }
tbody tr:nth-child(even) { background: #fafafa; }
.callout { border-left: 4px solid; border-radius: 4px; padding: 8px 12px; margin: 12px 0; max-width: 90ch; }
.callout.info { border-color: #4c78a8; background: #eef4fa; }
.callout.warning { border-color: #e0a100; background: #fff8e1; }
.callout.error { border-color: #d93025; background: #fdecea; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 10px; }
@media print { main { max-width: none; padding: 0; } figure, .table-wrap { break-inside: avoid; } nav.toc { display: none; } }
`;

/**
 * Builds a complete, self-contained HTML report: inline CSS, inline SVG figures, tables, and no
 * external resource of any kind (no scripts, stylesheets, fonts or images are fetched), so the
 * file opens offline and can be mailed or archived as it is. Figures and tables are numbered;
 * text is escaped (backticks mark `code`), except `html` blocks, which are trusted.
 *
 * @param input - title, optional subtitle and meta facts, sections, table of contents, footer
 * @returns an HTML5 document as a string
 * @throws RangeError if a figure's markup has no `<svg>` element
 * @example
 * ```ts
 * declare const svg: string; // e.g. from renderSvg(plotTrace(…))
 * const html = renderReport({ title: 'Radon', sections: [
 *   { heading: 'Model', paragraphs: ['Varying intercepts and slopes.'],
 *     figures: [{ svg, caption: 'Trace plot' }], tables: [{ columns: ['a', 'b'], rows: [[1, 2.5]] }] }] });
 * ```
 */
export function renderReport(input: ReportInput): string {
  objectArgument(input, 'input', 'renderReport', "{ title: 'Report', sections: [] }");
  arrayArgument(input.sections, 'sections', 'renderReport', 'report sections { heading, blocks }');
  const c = new Counter();
  const ids = new Map<ReportSection, string>();
  for (const s of input.sections) ids.set(s, c.unique(s.id ?? slug(s.heading)));
  const showToc = input.toc ?? input.sections.length >= 3;
  const toc = showToc
    ? `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${input.sections
        .map((s) => `<li><a href="#${escapeHtml(ids.get(s) ?? '')}">${escapeHtml(s.heading)}</a></li>`)
        .join('')}</ol></nav>`
    : '';
  const meta =
    input.meta && input.meta.length > 0
      ? `<ul class="meta">${input.meta.map((m) => `<li><b>${escapeHtml(m.label)}:</b> ${escapeHtml(m.value)}</li>`).join('')}</ul>`
      : '';
  const subtitle = input.subtitle ? `<p class="subtitle">${inline(input.subtitle)}</p>` : '';
  const body = input.sections.map((s) => sectionHtml(s, 2, c, ids)).join('\n');
  const footer = input.footer ? `<footer>${inline(input.footer)}</footer>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(input.title)}</h1>${subtitle}${meta}</header>
${toc}
${body}
${footer}
</main>
</body>
</html>
`;
}
