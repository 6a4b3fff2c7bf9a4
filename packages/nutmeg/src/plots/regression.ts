// Per-group regression panels: jittered data, thin posterior regression lines and thick posterior-mean lines per model.
import { arrayArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { Rng } from '../core/rng.js';
import { evenIndices, PALETTE, r6, topLevel, type VegaLiteSpec } from './spec.js';

/** Posterior draws of a straight line `y = intercept + slope · x` (same length, pooled over chains). */
export interface LineDraws {
  readonly intercept: ArrayLike<number>;
  readonly slope: ArrayLike<number>;
}

/** One model's fit in a panel. */
export interface PanelFit {
  /** Model name, shown in the legend (e.g. `'unpooled'`, `'hierarchical'`). */
  readonly name: string;
  /** Posterior draws of the group's line. */
  readonly draws: LineDraws;
  /** Line drawn thick; default the posterior mean of intercept and slope. */
  readonly mean?: { readonly intercept: number; readonly slope: number };
}

/** One panel (e.g. a county): its observations and the fitted lines of each model. */
export interface RegressionPanel {
  readonly title: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly fits: readonly PanelFit[];
}

/** Options of {@link plotRegression}. */
export interface RegressionPlotOptions {
  /** Chart title. */
  title?: string;
  /** x axis title. Default `'floor'`. */
  xTitle?: string;
  /** y axis title. Default `'log radon'`. */
  yTitle?: string;
  /** Tick labels of x values, e.g. `{0: 'basement', 1: 'first floor'}` (the default). */
  xLabels?: Record<number, string>;
  /** Half-width of the uniform horizontal jitter of the data points. Default 0.05. */
  jitter?: number;
  /** Seed of the jitter (deterministic). Default 0. */
  seed?: number;
  /** Most posterior lines drawn per model and panel (evenly spaced draws). Default 100. */
  maxLines?: number;
  /** Panel size in px. Default 230 × 260. */
  width?: number;
  height?: number;
  /** Colours of the models, in the order of the fits. Default the palette. */
  colors?: readonly string[];
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function labelExpr(labels: Record<number, string>): string {
  const parts = Object.entries(labels).map(([v, l]) => `datum.value === ${Number(v)} ? ${JSON.stringify(l)} : `);
  return `${parts.join('')}''`;
}

/**
 * Regression panels as in Wiecki & Elbers' radon tutorials (one panel per county): the data as
 * jittered points, then for each model thin lines from posterior draws (showing uncertainty) and a
 * thick line at the posterior mean, one colour per model, with a legend. Panels share the y axis.
 *
 * @param panels - one per group, each with the fits of every model to compare
 * @param options - titles, x tick labels, jitter, number of lines, sizes, colours
 * @returns a Vega-Lite spec
 * @throws RangeError if there are no panels, or x and y lengths differ, or intercept and slope draws differ in length
 * @example
 * ```ts
 * const floorCass = [0, 0, 1, 0], logRadonCass = [1.5, 1.9, 0.7, 1.2];
 * declare const aU: Float64Array, bU: Float64Array, aH: Float64Array, bH: Float64Array; // draws of the county's intercept and slope
 * const spec = plotRegression([{ title: 'CASS', x: floorCass, y: logRadonCass, fits: [
 *   { name: 'unpooled', draws: { intercept: aU, slope: bU } },
 *   { name: 'hierarchical', draws: { intercept: aH, slope: bH } } ] }]);
 * ```
 */
export function plotRegression(panels: readonly RegressionPanel[], options: RegressionPlotOptions = {}): VegaLiteSpec {
  arrayArgument(panels, 'panels', 'plotRegression', 'regression panels');
  options = optionsObject(options, 'plotRegression');
  if (panels.length === 0) throw new RangeError('plotRegression: no panels');
  const jitter = options.jitter ?? 0.05;
  const maxLines = options.maxLines ?? 100;
  const rng = new Rng(options.seed ?? 0);
  const fitNames: string[] = [];
  for (const p of panels) for (const f of p.fits) if (!fitNames.includes(f.name)) fitNames.push(f.name);
  const colors = options.colors ?? PALETTE.slice(0, Math.max(1, fitNames.length));

  let xmin = Infinity;
  let xmax = -Infinity;
  for (const p of panels) {
    if (p.x.length !== p.y.length) throw new RangeError(`plotRegression: panel ${p.title}: x has ${p.x.length} values, y ${p.y.length}`);
    for (let i = 0; i < p.x.length; i++) {
      xmin = Math.min(xmin, p.x[i]);
      xmax = Math.max(xmax, p.x[i]);
    }
  }
  const labels = options.xLabels ?? { 0: 'basement', 1: 'first floor' };
  const labelValues = Object.keys(labels).map(Number);
  for (const v of labelValues) {
    xmin = Math.min(xmin, v);
    xmax = Math.max(xmax, v);
  }
  if (!Number.isFinite(xmin)) {
    xmin = 0;
    xmax = 1;
  }
  if (xmax === xmin) xmax = xmin + 1;
  const pad = 0.2 * (xmax - xmin);

  const points: VegaLiteSpec[] = [];
  const lines: VegaLiteSpec[] = [];
  panels.forEach((p) => {
    for (let i = 0; i < p.x.length; i++) {
      points.push({ panel: p.title, x: r6(p.x[i] + jitter * (2 * rng.uniform() - 1)), y: r6(p.y[i]) });
    }
    for (const f of p.fits) {
      const n = f.draws.intercept.length;
      if (f.draws.slope.length !== n) {
        throw new RangeError(`plotRegression: panel ${p.title}, fit ${f.name}: ${n} intercept draws but ${f.draws.slope.length} slope draws`);
      }
      for (const d of evenIndices(n, maxLines)) {
        const a = f.draws.intercept[d];
        const b = f.draws.slope[d];
        const id = `${f.name}#${d}`;
        lines.push({ panel: p.title, model: f.name, id, kind: 'draw', x: xmin, y: r6(a + b * xmin) });
        lines.push({ panel: p.title, model: f.name, id, kind: 'draw', x: xmax, y: r6(a + b * xmax) });
      }
      const m = f.mean ?? { intercept: mean(f.draws.intercept), slope: mean(f.draws.slope) };
      const id = `${f.name}#mean`;
      lines.push({ panel: p.title, model: f.name, id, kind: 'mean', x: xmin, y: r6(m.intercept + m.slope * xmin) });
      lines.push({ panel: p.title, model: f.name, id, kind: 'mean', x: xmax, y: r6(m.intercept + m.slope * xmax) });
    }
  });

  const x = {
    field: 'x',
    type: 'quantitative',
    title: options.xTitle ?? 'floor',
    scale: { domain: [xmin - pad, xmax + pad], nice: false },
    axis: { values: labelValues, labelExpr: labelExpr(labels), grid: false },
  };
  const y = { field: 'y', type: 'quantitative', title: options.yTitle ?? 'log radon', scale: { zero: false } };
  const color = {
    field: 'model',
    type: 'nominal',
    title: null,
    scale: { domain: fitNames, range: [...colors] },
    legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  };
  const titles = panels.map((p) => p.title);
  return topLevel(
    {
      data: { values: [...points.map((p) => ({ ...p, kind: 'data' })), ...lines] },
      facet: { column: { field: 'panel', type: 'nominal', sort: titles, title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } } },
      spec: {
        width: options.width ?? 230,
        height: options.height ?? 260,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'draw'" }],
            mark: { type: 'line', strokeWidth: 0.7, opacity: 0.12, clip: true },
            encoding: { x, y, color, detail: { field: 'id' } },
          },
          {
            transform: [{ filter: "datum.kind === 'data'" }],
            mark: { type: 'point', filled: true, size: 22, color: '#333333', opacity: 0.6 },
            encoding: { x, y },
          },
          {
            transform: [{ filter: "datum.kind === 'mean'" }],
            mark: { type: 'line', strokeWidth: 3, clip: true },
            encoding: { x, y, color, detail: { field: 'id' } },
          },
        ],
      },
      spacing: 14,
    },
    options.title,
    'points: data (jittered); thin lines: posterior draws; thick lines: posterior mean',
  );
}
