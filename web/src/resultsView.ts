// The results of a run in the page: what was fitted, an "incomplete" banner after Stop, warnings, the summary table, LOO, the charts and the downloads.
import { formatNumber, el } from './dom.js';
import type { FitOutcome } from './fitRun.js';
import { chartPlans } from './figures.js';
import { releaseCharts, renderChart, type RenderedChart } from './charts.js';
import { downloads, type Download } from './report.js';
import { summaryTable } from './summaryTable.js';

/**
 * Shows a run's results; the charts are drawn one after another (the page stays responsive).
 *
 * @param container - the results area (its children are replaced)
 * @param o - the run
 * @returns resolves when every chart is drawn
 */
export async function showResults(container: HTMLElement, o: FitOutcome): Promise<void> {
  releaseCharts();
  const s = o.settings;
  const facts = el('p', {
    className: 'facts',
    text: `${plural(o.idata.nChains, 'chain')} × ${plural(o.idata.nDraws, 'draw')} (after ${s.tune} warm-up), seed ${s.seed}; sampling ${o.samplingSeconds.toFixed(2)} s; ${plural(o.divergences, 'divergence')}.`,
  });
  const parts: Node[] = [el('h2', { text: 'Results' }), el('p', { className: 'fitted', text: o.prepared.title }), facts];
  if (o.incomplete) {
    parts.push(
      el('p', {
        className: 'banner incomplete',
        attrs: { id: 'incomplete', role: 'status' },
        text: `Stopped early: these results are incomplete (${o.idata.nChains} of ${s.chains} chains, ${o.idata.nDraws} of ${s.draws} draws each were kept).`,
      }),
    );
  }
  if (o.warnings.length > 0) parts.push(el('ul', { className: 'warnings', attrs: { id: 'warnings' } }, o.warnings.map((w) => el('li', { className: w.severity, text: `${w.message} ${w.advice}` }))));
  if (o.rows.length > 0) parts.push(el('h3', { text: 'Summary' }), summaryTable(o.rows));
  parts.push(el('h3', { text: 'PSIS-LOO' }), looBlock(o));
  const chartArea = el('div', { className: 'charts', attrs: { id: 'charts' } });
  const downloadArea = el('div', { className: 'downloads', attrs: { id: 'downloads' } });
  parts.push(el('h3', { text: 'Plots' }), chartArea, el('h3', { text: 'Downloads' }), downloadArea);
  container.replaceChildren(...parts);

  const charts: RenderedChart[] = [];
  for (const plan of chartPlans(o)) {
    const chart = await renderChart(plan.name, plan.caption, plan.spec);
    charts.push(chart);
    chartArea.append(chart.figure);
  }
  if (o.idata.nDraws > 0) downloadArea.replaceChildren(...downloads(o, charts).map(downloadButton));
  else downloadArea.replaceChildren(el('p', { text: 'No draws to download.' }));
}

/** `1 chain`, `2 chains`. */
const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** elpd_loo, p_loo, looic with their SEs, and the Pareto k counts. */
function looBlock(o: FitOutcome): HTMLElement {
  const l = o.loo;
  if ('error' in l) return el('p', { className: 'error', attrs: { id: 'loo' }, text: `PSIS-LOO could not be computed: ${l.error}` });
  const row = (name: string, e: { estimate: number; se: number }): HTMLTableRowElement =>
    el('tr', {}, [el('th', { text: name, attrs: { scope: 'row' } }), el('td', { className: 'num', text: formatNumber(e.estimate, 1) }), el('td', { className: 'num', text: formatNumber(e.se, 1) })]);
  const estimates = el('table', { className: 'loo', attrs: { id: 'loo' } }, [
    el('thead', {}, [el('tr', {}, [el('th', { text: '' }), el('th', { text: 'estimate' }), el('th', { text: 'SE' })])]),
    el('tbody', {}, [row('elpd_loo', l.elpdLoo), row('p_loo', l.pLoo), row('looic', l.looic)]),
  ]);
  const bins = el('table', { className: 'loo' }, [
    el('thead', {}, [el('tr', {}, ['Pareto k', 'count', 'share'].map((h) => el('th', { text: h })))]),
    el(
      'tbody',
      {},
      l.paretoKTable.map((b) => el('tr', {}, [el('th', { text: `${b.label} ${b.interval}`, attrs: { scope: 'row' } }), el('td', { className: 'num', text: String(b.count) }), el('td', { className: 'num', text: `${(100 * b.proportion).toFixed(1)}%` })])),
    ),
  ]);
  return el('div', { className: 'loo-wrap' }, [estimates, bins, ...l.warnings.map((w) => el('p', { className: 'warning', text: w }))]);
}

/** A button that saves a file (made on click, through a blob URL). */
function downloadButton(d: Download): HTMLButtonElement {
  const b = el('button', { text: d.filename, attrs: { type: 'button', 'data-file': d.filename } });
  b.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([d.content()], { type: d.type }));
    const a = el('a', { attrs: { href: url, download: d.filename } });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return b;
}
