// ELBO history of ADVI: per-iteration values (binned range band) and their running mean against iteration.
import { numbersArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { r6, topLevel, type VegaLiteSpec } from './spec.js';

/** Options of {@link plotElbo}. */
export interface ElboPlotOptions {
  /** Chart title. Default `'ADVI: evidence lower bound'`. */
  title?: string;
  /** y axis title. Default `'ELBO'` (use `'loss (−ELBO)'` when plotting PyMC's `approx.hist`). */
  yTitle?: string;
  /** Most points drawn: iterations are grouped in this many bins beyond it. Default 600. */
  maxPoints?: number;
  /** Iterations to leave out at the start (e.g. the first noisy ones) so the scale shows convergence. Default 0. */
  skip?: number;
  /**
   * Add a second panel zoomed on the last half of the iterations, where the scale of the early
   * iterations no longer hides the noise and any remaining trend. Default true.
   */
  zoom?: boolean;
  /** Plot size in px (each panel). Default 560 × 220. */
  width?: number;
  height?: number;
}

/**
 * ELBO history of an ADVI fit against iteration. Noisy per-iteration estimates are summarised in
 * at most `maxPoints` bins of consecutive iterations: a light band spans each bin's 5–95%
 * range and a line follows the bin means, so a long history renders as a small SVG. Because the
 * first iterations are usually orders of magnitude worse than the rest, a second panel (`zoom`)
 * shows the last half of the run on its own scale: a converged fit is flat there, with noise
 * only. Non-finite values are skipped.
 *
 * @param history - ELBO (or loss) per iteration
 * @param options - titles, binning, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `history` has no finite value after `skip`
 * @example
 * ```ts
 * declare const approx: Approximation; // from fit(model)
 * const spec = plotElbo(approx.elboHistory);
 * ```
 */
export function plotElbo(history: ArrayLike<number>, options: ElboPlotOptions = {}): VegaLiteSpec {
  numbersArgument(history, 'history', 'plotElbo');
  options = optionsObject(options, 'plotElbo');
  const skip = options.skip ?? 0;
  const n = history.length - skip;
  const maxPoints = Math.max(2, options.maxPoints ?? 600);
  const binSize = Math.max(1, Math.ceil(n / maxPoints));
  const values: VegaLiteSpec[] = [];
  for (let start = skip; start < history.length; start += binSize) {
    const end = Math.min(history.length, start + binSize);
    const bin: number[] = [];
    for (let i = start; i < end; i++) if (Number.isFinite(history[i])) bin.push(history[i]);
    if (bin.length === 0) continue;
    bin.sort((a, b) => a - b);
    const m = bin.reduce((s, v) => s + v, 0) / bin.length;
    const q = (p: number): number => bin[Math.min(bin.length - 1, Math.max(0, Math.round(p * (bin.length - 1))))];
    values.push({ iteration: Math.round((start + end - 1) / 2), mean: r6(m), lo: r6(q(0.05)), hi: r6(q(0.95)) });
  }
  if (values.length === 0) throw new RangeError('plotElbo: no finite values in the history');
  const yTitle = options.yTitle ?? 'ELBO';
  const width = options.width ?? 560;
  const height = options.height ?? 220;
  const panel = (rows: VegaLiteSpec[], title?: string): VegaLiteSpec => {
    const x = {
      field: 'iteration',
      type: 'quantitative',
      title: 'iteration',
      scale: { nice: false, zero: false },
      axis: { format: ',d', tickMinStep: 1 },
    };
    const y = { type: 'quantitative', title: yTitle, scale: { zero: false } };
    const layers: VegaLiteSpec[] = [];
    if (binSize > 1) {
      layers.push({
        mark: { type: 'area', color: '#4c78a8', opacity: 0.25 },
        encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
      });
    }
    layers.push({ mark: { type: 'line', color: '#4c78a8', strokeWidth: 1.4 }, encoding: { x, y: { ...y, field: 'mean' } } });
    const spec: VegaLiteSpec = { width, height, data: { values: rows }, layer: layers };
    if (title !== undefined) spec.title = { text: title, fontSize: 12, fontWeight: 'normal', anchor: 'start', frame: 'group' };
    return spec;
  };
  const zoom = (options.zoom ?? true) && values.length >= 8;
  const half = Math.floor(values.length / 2);
  const body: VegaLiteSpec = zoom
    ? { vconcat: [panel(values, 'all iterations'), panel(values.slice(half), 'last half')], spacing: 16 }
    : panel(values);
  const subtitle =
    binSize > 1
      ? `${n} iterations in bins of ${binSize}: line = bin mean, band = 5–95% of the bin`
      : `${n} iterations`;
  return topLevel(
    body,
    options.title ?? 'ADVI: evidence lower bound',
    subtitle,
  );
}
