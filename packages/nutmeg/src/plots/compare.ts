// Model comparison as ArviZ's plot_compare: each model's elpd_loo with its SE, and its difference to the best model with the SE of the difference.
import { arrayArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import type { LooCompareRow } from '../posterior/loo/looCompare.js';
import { r6, topLevel, type VegaLiteSpec } from './spec.js';

/** Options of {@link plotCompare}. */
export interface ComparePlotOptions {
  /** Chart title. Default `'Model comparison'`. */
  title?: string;
  /** x axis title. Default `'elpd_loo (log)'`. */
  xTitle?: string;
  /** Width of the plot area in px. Default 420. */
  width?: number;
  /** Height per model in px. Default 60. */
  rowHeight?: number;
}

const ELPD = 'elpd_loo ± SE';
const DIFF = 'elpd_diff ± SE of the difference';

/**
 * Model comparison as ArviZ's `plot_compare`: one row per model in `looCompare`'s order, best at
 * the top. Open circles are each model's elpd_loo with ± its SE; grey triangles, below every
 * model but the best, sit at the same elpd_loo with ± se_diff, the SE of its difference to the
 * best model; the dashed line is the best model's elpd_loo. A model whose triangle's bar reaches
 * the line predicts about as well as the best one. se_diff, from the paired pointwise
 * differences, is usually much smaller than the SEs of the two elpds.
 *
 * @param rows - from `looCompare` (best first)
 * @param options - titles, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `rows` is empty
 * @example
 * ```ts
 * declare const a: InferenceData, b: InferenceData; // two fits of the same observations
 * const spec = plotCompare(looCompare({ pooled: loo(a), hierarchical: loo(b) }));
 * ```
 */
export function plotCompare(rows: readonly LooCompareRow[], options: ComparePlotOptions = {}): VegaLiteSpec {
  arrayArgument(rows, 'rows', 'plotCompare', 'rows from looCompare()');
  options = optionsObject(options, 'plotCompare');
  if (rows.length === 0) throw new RangeError('plotCompare: no models');
  const models = rows.map((r) => r.name);
  const values: VegaLiteSpec[] = [];
  rows.forEach((r, j) => {
    const e = r.elpd.estimate;
    const common = { model: r.name, elpd_loo: r6(e), se: r6(r.elpd.se), elpd_diff: r6(r.elpdDiff), se_diff: r6(r.seDiff) };
    values.push({ ...common, series: ELPD, x: r6(e), lo: r6(e - r.elpd.se), hi: r6(e + r.elpd.se) });
    if (j > 0) values.push({ ...common, series: DIFF, x: r6(e), lo: r6(e - r.seDiff), hi: r6(e + r.seDiff) });
  });
  const series = rows.length > 1 ? [ELPD, DIFF] : [ELPD];
  const y = { field: 'model', type: 'nominal', sort: models, title: null, axis: { grid: false, ticks: false, labelPadding: 6, labelFontSize: 12 } };
  const yOffset = { field: 'series', type: 'nominal', sort: series, scale: { domain: series, paddingOuter: 0.3 } };
  const legend = { orient: 'top', direction: 'horizontal', labelLimit: 260 };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#111111', '#8c8c8c'] }, legend };
  const shape = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['circle', 'triangle-up'] }, legend };
  const tooltip = [
    { field: 'model', type: 'nominal' },
    { field: 'elpd_loo', type: 'quantitative', format: '.1f' },
    { field: 'se', type: 'quantitative', format: '.1f' },
    { field: 'elpd_diff', type: 'quantitative', format: '.1f' },
    { field: 'se_diff', type: 'quantitative', format: '.1f' },
  ];
  return topLevel(
    {
      width: options.width ?? 420,
      height: rows.length * (options.rowHeight ?? 60),
      layer: [
        {
          data: { values: [{ best: r6(rows[0].elpd.estimate) }] },
          mark: { type: 'rule', strokeDash: [5, 4], color: '#999999' },
          encoding: { x: { field: 'best', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'rule', strokeWidth: 1.6 },
          encoding: {
            y,
            yOffset,
            x: { field: 'lo', type: 'quantitative', title: options.xTitle ?? 'elpd_loo (log)', scale: { zero: false } },
            x2: { field: 'hi' },
            color,
          },
        },
        {
          data: { values },
          mark: { type: 'point', size: 70, strokeWidth: 1.6, opacity: 1 },
          encoding: {
            y,
            yOffset,
            x: { field: 'x', type: 'quantitative' },
            color,
            shape,
            fill: { condition: { test: `datum.series === '${DIFF}'`, value: '#8c8c8c' }, value: 'white' },
            tooltip,
          },
        },
      ],
    },
    options.title ?? 'Model comparison',
    'PSIS-LOO, higher is better; dashed line: the best model',
  );
}
