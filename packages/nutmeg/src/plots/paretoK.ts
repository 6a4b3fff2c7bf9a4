// Pareto k per observation as ArviZ's plot_khat: the PSIS-LOO k̂ of each observation, coloured by loo's bins, with the 0.5, 0.7 and 1 thresholds.
import { numbersArgument } from '../core/argumentChecks.js';
import { integerOption, optionsObject } from '../core/optionChecks.js';
import { PARETO_K_BREAKS } from '../posterior/loo/paretoKTable.js';
import { omittedNote, PLOT_LIMITS } from './panelSelection.js';
import { evenIndices, r6, topLevel, type VegaLiteSpec } from './spec.js';

/** Options of {@link plotParetoK}. */
export interface ParetoKPlotOptions {
  /** Observation labels for tooltips (e.g. county and house), one per k. Default the 0-based index. */
  labels?: readonly string[];
  /** Chart title. Default `'Pareto k diagnostic'`. */
  title?: string;
  /** x axis title. Default `'observation'`. */
  xTitle?: string;
  /** Plot size in px. Default 520 × 260. */
  width?: number;
  height?: number;
  /**
   * Most points drawn: beyond it, every observation outside the good bin is kept (evenly thinned
   * if they alone are too many) and evenly spaced good ones fill the rest; the subtitle says so and
   * the bin counts stay those of all observations. Default {@link PLOT_LIMITS}.maxPoints (5,000).
   */
  maxPoints?: number;
}

/** loo's bins with the colours of their points: good blue, ok yellow, bad orange, very bad red. */
const BINS = [
  { label: 'good', upper: PARETO_K_BREAKS.good, color: '#4c78a8' },
  { label: 'ok', upper: PARETO_K_BREAKS.ok, color: '#d4a517' },
  { label: 'bad', upper: PARETO_K_BREAKS.bad, color: '#f58518' },
  { label: 'very bad', upper: Infinity, color: '#d62728' },
] as const;

/**
 * Pareto k diagnostic per observation, as ArviZ's `plot_khat`: the k̂ of the PSIS importance
 * ratios of each observation (from `loo(...).diagnostics.paretoK`) against its index, points
 * coloured by R loo's bins (good ≤ 0.5 < ok ≤ 0.7 < bad ≤ 1 < very bad, {@link PARETO_K_BREAKS}),
 * with dashed lines at the thresholds. Points above 0.7 are observations whose LOO estimate is
 * unreliable: highly influential, often outliers or signs of a misspecified model. With more than
 * `maxPoints` observations (5,000), the good ones are thinned, so 100,000 observations give a
 * figure of bounded size.
 *
 * @param k - Pareto k per observation
 * @param options - labels, titles, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `k` is empty or `labels` has another length
 * @example
 * ```ts
 * declare const idata: InferenceData; // with a log_likelihood group
 * const spec = plotParetoK(loo(idata).diagnostics.paretoK);
 * ```
 */
export function plotParetoK(k: ArrayLike<number>, options: ParetoKPlotOptions = {}): VegaLiteSpec {
  numbersArgument(k, 'k', 'plotParetoK');
  options = optionsObject(options, 'plotParetoK');
  const n = k.length;
  if (n === 0) throw new RangeError('plotParetoK: no Pareto k values');
  if (options.labels && options.labels.length !== n) {
    throw new RangeError(`plotParetoK: ${options.labels.length} labels for ${n} values`);
  }
  const maxPoints = options.maxPoints ?? PLOT_LIMITS.maxPoints;
  integerOption('maxPoints', maxPoints, 1);
  // Each observation's bin (255 for NaN, not drawn), counted over all observations.
  const binOf = new Uint8Array(n);
  const binCounts = BINS.map(() => 0);
  const good: number[] = [];
  const notGood: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(k[i])) {
      binOf[i] = 255;
      continue;
    }
    let b = 0;
    while (b < BINS.length - 1 && !(k[i] <= BINS[b].upper)) b++;
    binOf[i] = b;
    binCounts[b]++;
    (b === 0 ? good : notGood).push(i);
  }
  const finite = good.length + notGood.length;
  let drawn: number[];
  if (finite <= maxPoints) drawn = [...good, ...notGood].sort((a, b) => a - b);
  else if (notGood.length >= maxPoints) drawn = evenIndices(notGood.length, maxPoints).map((j) => notGood[j]);
  else drawn = [...notGood, ...evenIndices(good.length, maxPoints - notGood.length).map((j) => good[j])].sort((a, b) => a - b);
  const values: VegaLiteSpec[] = drawn.map((i) => ({ i, label: options.labels?.[i] ?? String(i), k: r6(k[i]), bin: BINS[binOf[i]].label }));
  const note = omittedNote(drawn.length, finite, { what: 'observations', how: 'every one above the good bin first, the rest evenly spaced' });
  const thresholds = [PARETO_K_BREAKS.good, PARETO_K_BREAKS.ok, PARETO_K_BREAKS.bad].map((t) => ({ threshold: t }));
  const counts = BINS.map((b, j) => `${binCounts[j]} ${b.label}`).join(', ');
  return topLevel(
    {
      width: options.width ?? 520,
      height: options.height ?? 260,
      layer: [
        {
          data: { values: thresholds },
          mark: { type: 'rule', strokeDash: [5, 4], color: '#999999' },
          encoding: { y: { field: 'threshold', type: 'quantitative' } },
        },
        {
          data: { values: thresholds },
          mark: { type: 'text', align: 'right', dx: -2, dy: -6, fontSize: 10, color: '#777777' },
          encoding: { y: { field: 'threshold', type: 'quantitative' }, x: { value: options.width ?? 520 }, text: { field: 'threshold' } },
        },
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 26, opacity: 0.85 },
          encoding: {
            x: { field: 'i', type: 'quantitative', title: options.xTitle ?? 'observation', scale: { domain: [0, Math.max(1, n - 1)], nice: false } },
            y: { field: 'k', type: 'quantitative', title: 'Pareto k' },
            color: {
              field: 'bin',
              type: 'nominal',
              title: null,
              scale: { domain: BINS.map((b) => b.label), range: BINS.map((b) => b.color) },
              legend: { orient: 'top', direction: 'horizontal' },
            },
            tooltip: [
              { field: 'label', type: 'nominal', title: 'observation' },
              { field: 'k', type: 'quantitative', format: '.3f' },
              { field: 'bin', type: 'nominal', title: 'bin' },
            ],
          },
        },
      ],
    },
    options.title ?? 'Pareto k diagnostic',
    `PSIS-LOO Pareto k of ${n} observations: ${counts}${note ? `. ${note}` : ''}`,
  );
}
