// Charts in the page: the library's Vega-Lite specs rendered to SVG by renderSvg, shown as <img> from a blob URL (an SVG image runs no script, whatever its labels hold).
import { plotForest, renderSvg, type VegaLiteSpec } from 'nutmeg';
import { el } from './dom.js';

/** A rendered chart: its SVG text (for the report) and the figure element shown. */
export interface RenderedChart {
  readonly name: string;
  readonly caption: string;
  readonly svg: string;
  readonly figure: HTMLElement;
}

/** Blob URLs handed out, revoked when the next run replaces the charts. */
const urls: string[] = [];

/** Revokes the blob URLs of the previous run's charts. */
export function releaseCharts(): void {
  for (const u of urls.splice(0)) URL.revokeObjectURL(u);
}

/**
 * Renders a spec to a figure with a caption.
 *
 * @param name - a short id (`trace`, `forest`, …), used as the figure's `data-chart`
 * @param caption - what the chart shows
 * @param spec - the Vega-Lite spec
 * @returns the chart, or a figure saying why it could not be drawn
 */
export async function renderChart(name: string, caption: string, spec: () => VegaLiteSpec): Promise<RenderedChart> {
  let svg: string;
  try {
    svg = await renderSvg(spec());
  } catch (e) {
    const figure = el('figure', { className: 'chart failed', attrs: { 'data-chart': name } }, [el('figcaption', { text: `${caption} (could not be drawn: ${(e as Error).message})` })]);
    return { name, caption, svg: '', figure };
  }
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  urls.push(url);
  const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  const img = el('img', { attrs: { src: url, alt: caption, ...(size ? { width: size[1], height: size[2] } : {}) } });
  const figure = el('figure', { className: 'chart', attrs: { 'data-chart': name } }, [img, el('figcaption', { text: caption })]);
  return { name, caption, svg, figure };
}

/**
 * Loads and compiles the charting libraries (vega, vega-lite: about a second of parsing) by
 * drawing a one-row chart, so that the first real chart after a run does not pay for it. Called
 * while the page is idle.
 *
 * @returns resolves when done (errors are ignored: the real charts report their own)
 */
export async function warmUpCharts(): Promise<void> {
  try {
    await renderSvg(plotForest([{ label: 'warm-up', mean: 0, lo: -1, hi: 1 }]));
  } catch {
    // The real charts say what went wrong.
  }
}
