// LOO-PIT check as ArviZ's plot_loo_pit(ecdf=True): the ECDF of the LOO-PIT values minus the uniform CDF, inside a pointwise band for uniform values.
import { numbersArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { lgamma } from '../math/special.js';
import { r6, topLevel, type VegaLiteSpec } from './spec.js';
import { exp, log, log1p } from '../core/libm/index.js';

/** Options of {@link plotLooPit}. */
export interface LooPitPlotOptions {
  /** Probability of the pointwise band of the uniform ECDF. Default 0.94 (ArviZ's `hdi_prob`). */
  prob?: number;
  /** Points of the grid on which the band is drawn. Default 201. */
  gridSize?: number;
  /** Chart title. Default `'LOO-PIT'`. */
  title?: string;
  /** Plot size in px. Default 480 × 280. */
  width?: number;
  height?: number;
}

/** Smallest k with P(Binomial(n, p) ≤ k) ≥ q. */
function binomialQuantile(q: number, n: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const logP = log(p);
  const logQ = log1p(-p);
  const lgn = lgamma(n + 1);
  let cdf = 0;
  for (let k = 0; k < n; k++) {
    cdf += exp(lgn - lgamma(k + 1) - lgamma(n - k + 1) + k * logP + (n - k) * logQ);
    if (cdf >= q * (1 - 1e-12)) return k;
  }
  return n;
}

/**
 * LOO-PIT check as ArviZ's `plot_loo_pit` with `ecdf=True`: the empirical CDF of the LOO-PIT
 * values (from `looPit`) minus the CDF of the uniform distribution, against the band where that
 * difference lies, pointwise with probability `prob`, for n uniform values
 * (n·ECDF(x) ~ Binomial(n, x)). A calibrated model stays inside the band around 0. An S-shape
 * below then above 0 (values piled at 0 and 1) means the predictive distributions are too narrow;
 * above then below, too wide; mostly above or below, biased.
 *
 * Of ArviZ's two variants this is the ECDF difference, not the default KDE against 100 random
 * uniform KDEs: it is deterministic (no random draws in a chart), has no kernel boundary bias at
 * 0 and 1, and its band has an exact probability. The band is pointwise (at each x), not
 * simultaneous: with many x some excursions are expected.
 *
 * @param pit - the LOO-PIT values, in [0, 1]
 * @param options - band probability, grid size, title, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if there are no values, a value is outside [0, 1], or `prob` is not in (0, 1)
 * @example
 * ```ts
 * declare const pit: Float64Array; // LOO-PIT values, e.g. looPit({ y, yRep, logLik: idata })
 * const spec = plotLooPit(pit, { prob: 0.94 });
 * ```
 * References: Säilynoja, T., Bürkner, P.-C. & Vehtari, A. (2022), Graphical test for discrete
 * uniformity and its applications in goodness-of-fit evaluation and multiple sample comparison,
 * Statistics and Computing 32(32); ArviZ `plot_loo_pit`.
 */
export function plotLooPit(pit: ArrayLike<number>, options: LooPitPlotOptions = {}): VegaLiteSpec {
  numbersArgument(pit, 'pit', 'plotLooPit');
  options = optionsObject(options, 'plotLooPit');
  const n = pit.length;
  if (n === 0) throw new RangeError('plotLooPit: no LOO-PIT values');
  const prob = options.prob ?? 0.94;
  if (!(prob > 0 && prob < 1)) throw new RangeError(`plotLooPit: prob must be in (0, 1), got ${prob}`);
  const sorted = Float64Array.from(pit).sort();
  if (!(sorted[0] >= 0 && sorted[n - 1] <= 1)) throw new RangeError('plotLooPit: LOO-PIT values must lie in [0, 1]');
  const g = options.gridSize ?? 201;
  const values: VegaLiteSpec[] = [];
  for (let j = 0; j < g; j++) {
    const x = j / (g - 1);
    const lo = binomialQuantile((1 - prob) / 2, n, x) / n - x;
    const hi = binomialQuantile((1 + prob) / 2, n, x) / n - x;
    values.push({ series: 'band', x: r6(x), lo: r6(lo), hi: r6(hi) });
  }
  // ECDF − x is linear between jumps: its exact path is the points just before and at each jump.
  let order = 0;
  const ecdf = (xv: number, diff: number): void => void values.push({ series: 'ecdf', order: order++, x: r6(xv), diff: r6(diff) });
  ecdf(0, 0);
  for (let i = 0; i < n; i++) {
    const x = sorted[i];
    if (i > 0 && x === sorted[i - 1]) continue;
    let upTo = i;
    while (upTo < n && sorted[upTo] === x) upTo++;
    ecdf(x, i / n - x);
    ecdf(x, upTo / n - x);
  }
  ecdf(1, 0);
  const band = `${Math.round(prob * 100)}% band of uniform values`;
  const x = { field: 'x', type: 'quantitative', title: 'LOO-PIT', scale: { domain: [0, 1], nice: false } };
  return topLevel(
    {
      width: options.width ?? 480,
      height: options.height ?? 280,
      data: { values },
      layer: [
        {
          transform: [{ filter: { field: 'series', equal: 'band' } }],
          mark: { type: 'area', color: '#9ecae9', opacity: 0.55, interpolate: 'step-after' },
          encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'ECDF − uniform CDF' }, y2: { field: 'hi' } },
        },
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] },
          encoding: { y: { field: 'zero', type: 'quantitative' } },
        },
        {
          transform: [{ filter: { field: 'series', equal: 'ecdf' } }],
          mark: { type: 'line', color: '#1f4e79', strokeWidth: 1.8 },
          encoding: { x, y: { field: 'diff', type: 'quantitative' }, order: { field: 'order', type: 'quantitative' } },
        },
      ],
    },
    options.title ?? 'LOO-PIT',
    `ECDF of ${n} LOO-PIT values minus the uniform CDF (line), pointwise ${band} (shaded)`,
  );
}
