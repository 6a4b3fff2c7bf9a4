// ADVI marginals over NUTS histograms, one panel per parameter, to compare an approximation with MCMC.
import { arrayArgument } from '../core/argumentChecks.js';
import { integerOption, optionsObject } from '../core/optionChecks.js';
import { kde } from './kde.js';
import { omittedNote, PLOT_LIMITS } from './panelSelection.js';
import { r6, topLevel, type VegaLiteSpec } from './spec.js';
import { exp } from '../core/libm/index.js';

/** An approximate marginal: a Gaussian (mean, sd) or draws (shown as a KDE). */
export type ApproxMarginal = { readonly mean: number; readonly sd: number } | ArrayLike<number>;

/** One parameter of {@link plotMarginals}. */
export interface MarginalComparison {
  /** Parameter label, e.g. `mu_a` or `a[CASS]`. */
  readonly name: string;
  /** Reference draws (e.g. NUTS, chains pooled), shown as a density histogram. */
  readonly reference: ArrayLike<number>;
  /** Approximation (e.g. ADVI), shown as a curve. */
  readonly approx: ApproxMarginal;
}

/** Options of {@link plotMarginals}. */
export interface MarginalsOptions {
  /** Chart title. Default `'ADVI vs NUTS marginals'`. */
  title?: string;
  /** Legend name of the histograms. Default `'NUTS'`. */
  referenceName?: string;
  /** Legend name of the curves. Default `'ADVI'`. */
  approxName?: string;
  /** Panels per row. Default 3. */
  columns?: number;
  /** Histogram bins. Default 30. */
  bins?: number;
  /** Panel size in px. Default 220 × 140. */
  width?: number;
  height?: number;
  /**
   * Most panels drawn (the first ones; the subtitle says how many were left out). Default
   * {@link PLOT_LIMITS}.maxPanels (40, ArviZ's `plot.max_subplots`).
   */
  maxPanels?: number;
}

function isGaussian(a: ApproxMarginal): a is { mean: number; sd: number } {
  return typeof (a as { sd?: unknown }).sd === 'number' && typeof (a as { mean?: unknown }).mean === 'number';
}

function finiteRange(a: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function panel(p: MarginalComparison, o: Required<Omit<MarginalsOptions, 'title' | 'columns' | 'maxPanels'>>): VegaLiteSpec {
  const [rlo, rhi] = finiteRange(p.reference);
  if (!(rhi >= rlo)) throw new RangeError(`plotMarginals: ${p.name} has no finite reference draws`);
  let lo = rlo;
  let hi = rhi;
  if (isGaussian(p.approx)) {
    if (!(p.approx.sd > 0)) throw new RangeError(`plotMarginals: ${p.name}: approximation sd must be > 0, got ${p.approx.sd}`);
    lo = Math.min(lo, p.approx.mean - 4 * p.approx.sd);
    hi = Math.max(hi, p.approx.mean + 4 * p.approx.sd);
  } else {
    const [alo, ahi] = finiteRange(p.approx as ArrayLike<number>);
    lo = Math.min(lo, alo);
    hi = Math.max(hi, ahi);
  }
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  // histogram of the reference, normalised to a density
  const span = rhi > rlo ? rhi - rlo : 1;
  const width = span / o.bins;
  const counts = new Float64Array(o.bins);
  let n = 0;
  for (let i = 0; i < p.reference.length; i++) {
    const v = p.reference[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(o.bins - 1, Math.floor((v - rlo) / width))]++;
    n++;
  }
  const bars: VegaLiteSpec[] = [];
  for (let b = 0; b < o.bins; b++) {
    bars.push({ method: o.referenceName, lo: r6(rlo + b * width), hi: r6(rlo + (b + 1) * width), density: r6(counts[b] / (n * width)) });
  }
  const curve: VegaLiteSpec[] = [];
  const G = 160;
  if (isGaussian(p.approx)) {
    const { mean, sd } = p.approx;
    for (let j = 0; j < G; j++) {
      const x = lo + ((hi - lo) * j) / (G - 1);
      const z = (x - mean) / sd;
      curve.push({ method: o.approxName, x: r6(x), density: r6(exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI))) });
    }
  } else {
    const k = kde(p.approx as ArrayLike<number>, { gridSize: G });
    for (let j = 0; j < G; j++) curve.push({ method: o.approxName, x: r6(k.x[j]), density: r6(k.density[j]) });
  }
  const color = {
    field: 'method',
    type: 'nominal',
    title: null,
    scale: { domain: [o.referenceName, o.approxName], range: ['#9ecae9', '#e45756'] },
    legend: { orient: 'top', direction: 'horizontal', symbolType: 'square' },
  };
  const x = { type: 'quantitative', title: p.name, scale: { zero: false, nice: false, domain: [r6(lo), r6(hi)] } };
  return {
    width: o.width,
    height: o.height,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.3 },
        encoding: {
          x: { ...x, field: 'lo' },
          x2: { field: 'hi' },
          y: { field: 'density', type: 'quantitative', title: 'density' },
          y2: { datum: 0 },
          color,
        },
      },
      {
        data: { values: curve },
        mark: { type: 'line', strokeWidth: 2.2, clip: true },
        encoding: { x: { ...x, field: 'x' }, y: { field: 'density', type: 'quantitative' }, color },
      },
    ],
  };
}

/**
 * Marginal posteriors of an approximation (e.g. ADVI, as Gaussian curves or KDEs of its draws)
 * drawn over histograms of reference draws (e.g. NUTS), one panel per parameter, as in the PyMC
 * radon ADVI tutorial. Mean-field ADVI typically matches the centres but underestimates the
 * spread of hierarchical scale parameters; this plot shows where. At most `maxPanels` panels
 * (40) are drawn.
 *
 * @param params - one entry per parameter
 * @param options - titles, legend names, layout, histogram bins, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `params` is empty, a parameter has no finite reference draws, or a Gaussian sd is not positive
 * @example
 * ```ts
 * declare const nutsMuA: Float64Array; // NUTS draws of mu_a, chains pooled (pooledDraws(idata, 'mu_a'))
 * const spec = plotMarginals([{ name: 'mu_a', reference: nutsMuA, approx: { mean: 1.46, sd: 0.05 } }]);
 * ```
 */
export function plotMarginals(params: readonly MarginalComparison[], options: MarginalsOptions = {}): VegaLiteSpec {
  arrayArgument(params, 'params', 'plotMarginals', 'marginal comparisons');
  options = optionsObject(options, 'plotMarginals');
  if (params.length === 0) throw new RangeError('plotMarginals: no parameters');
  const maxPanels = options.maxPanels ?? PLOT_LIMITS.maxPanels;
  integerOption('maxPanels', maxPanels, 1);
  const drawn = params.length > maxPanels ? params.slice(0, maxPanels) : params;
  const note = omittedNote(drawn.length, params.length, { how: 'the first ones' });
  const o = {
    referenceName: options.referenceName ?? 'NUTS',
    approxName: options.approxName ?? 'ADVI',
    bins: options.bins ?? 30,
    width: options.width ?? 220,
    height: options.height ?? 140,
  };
  return topLevel(
    {
      columns: Math.max(1, options.columns ?? 3),
      concat: drawn.map((p) => panel(p, o)),
      spacing: { row: 18, column: 24 },
      resolve: { scale: { color: 'shared' } },
    },
    options.title ?? `${o.approxName} vs ${o.referenceName} marginals`,
    `histograms: ${o.referenceName} draws; curves: ${o.approxName} approximation${note ? `. ${note}` : ''}`,
  );
}
