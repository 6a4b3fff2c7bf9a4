// Posterior predictive check: density of the observed data over densities of replicated data sets.
import { arrayArgument, numbersArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { kde, bandwidth } from './kde.js';
import { evenIndices, r6, topLevel, type VegaLiteSpec } from './spec.js';

/** Options of {@link plotPpc}. */
export interface PpcPlotOptions {
  /** Chart title. Default `'Posterior predictive check'`. */
  title?: string;
  /** x axis title. Default `'y'`. */
  xTitle?: string;
  /** Most replicate densities drawn (evenly spaced); the mean uses all. Default 60. */
  maxReplicates?: number;
  /** Grid points per density. Default 200. */
  gridSize?: number;
  /** Plot size in px. Default 520 × 300. */
  width?: number;
  height?: number;
}

/**
 * Posterior predictive check as ArviZ's `plot_ppc` (kind `'kde'`): the density of the observed
 * data (thick, dark), the densities of replicated data sets drawn from the posterior predictive
 * distribution (thin, light) and their pointwise mean (dashed). Every density is a Gaussian KDE
 * with its own Silverman bandwidth, evaluated on one grid spanning all the data. If the model
 * fits, the observed density looks like one of the replicates.
 *
 * @param observed - the observed values
 * @param replicates - replicated data sets, each of any length (usually that of `observed`)
 * @param options - title, axis title, number of replicates drawn, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `observed` has fewer than 2 values or there are no replicates
 * @example
 * ```ts
 * declare const logRadon: Float64Array; // observed y
 * declare const yRep: Float64Array[]; // replicated data sets, one per posterior draw
 * const spec = plotPpc(logRadon, yRep, { xTitle: 'log radon' });
 * ```
 */
export function plotPpc(observed: ArrayLike<number>, replicates: readonly ArrayLike<number>[], options: PpcPlotOptions = {}): VegaLiteSpec {
  numbersArgument(observed, 'observed', 'plotPpc');
  arrayArgument(replicates, 'replicates', 'plotPpc', 'replicated data sets (one array per draw)');
  options = optionsObject(options, 'plotPpc');
  if (observed.length < 2) throw new RangeError(`plotPpc: need at least 2 observed values, got ${observed.length}`);
  if (replicates.length === 0) throw new RangeError('plotPpc: no replicated data sets');
  const g = options.gridSize ?? 200;
  let lo = Infinity;
  let hi = -Infinity;
  const scan = (a: ArrayLike<number>): void => {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  scan(observed);
  for (const r of replicates) scan(r);
  const h = bandwidth(observed);
  const range: [number, number] = [lo - 3 * h, hi + 3 * h];
  const obs = kde(observed, { gridSize: g, range });
  const meanDensity = new Float64Array(g);
  let used = 0;
  const shown = new Set(evenIndices(replicates.length, options.maxReplicates ?? 60));
  const values: VegaLiteSpec[] = [];
  const PP = 'posterior predictive';
  const MEAN = 'posterior predictive mean';
  const OBS = 'observed';
  replicates.forEach((r, k) => {
    let finite = 0;
    for (let i = 0; i < r.length && finite < 2; i++) if (Number.isFinite(r[i])) finite++;
    if (finite < 2) return;
    const d = kde(r, { gridSize: g, range });
    used++;
    for (let j = 0; j < g; j++) meanDensity[j] += d.density[j];
    if (shown.has(k)) for (let j = 0; j < g; j++) values.push({ series: PP, id: `rep${k}`, x: r6(d.x[j]), density: r6(d.density[j]) });
  });
  for (let j = 0; j < g; j++) {
    values.push({ series: MEAN, id: 'mean', x: r6(obs.x[j]), density: r6(meanDensity[j] / Math.max(1, used)) });
    values.push({ series: OBS, id: 'obs', x: r6(obs.x[j]), density: r6(obs.density[j]) });
  }
  const domain = [OBS, PP, MEAN];
  // One legend: colour and dash use the same field, type, domain and legend; line widths and
  // opacities are mark properties of one layer per series, which also fixes the drawing order.
  const legend = { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1, labelLimit: 260 };
  const encoding = {
    x: { field: 'x', type: 'quantitative', title: options.xTitle ?? 'y', scale: { nice: false, zero: false } },
    y: { field: 'density', type: 'quantitative', title: 'density' },
    color: { field: 'series', type: 'nominal', title: null, scale: { domain, range: ['#111111', '#5b9bd5', '#f58518'] }, legend },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain, range: [[1, 0], [1, 0], [7, 3]] }, legend },
    detail: { field: 'id' },
  };
  const layer = (series: string, strokeWidth: number, opacity: number): VegaLiteSpec => ({
    transform: [{ filter: { field: 'series', equal: series } }],
    mark: { type: 'line', strokeWidth, opacity },
    encoding,
  });
  return topLevel(
    {
      width: options.width ?? 520,
      height: options.height ?? 300,
      data: { values },
      layer: [layer(PP, 0.8, 0.22), layer(MEAN, 2.4, 1), layer(OBS, 2.6, 1)],
    },
    options.title ?? 'Posterior predictive check',
    // How many replicated sets the mean is over, and how many of them are drawn when not all are.
    Math.min(shown.size, used) < used ? `${used} replicated data sets (${shown.size} drawn)` : `${used} replicated data sets`,
  );
}
