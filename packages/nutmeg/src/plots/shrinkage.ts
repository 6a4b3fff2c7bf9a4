// Shrinkage plot: per group an arrow from one estimate (unpooled) to another (hierarchical) in a 2-D parameter plane.
import { arrayArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { r6, topLevel, type VegaLiteSpec } from './spec.js';

/** A point of the parameter plane. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** One arrow of a {@link plotShrinkage}. */
export interface ShrinkageRow {
  /** Group label (e.g. county name), shown in the tooltip. */
  readonly label: string;
  /** Start of the arrow (e.g. unpooled posterior mean of (intercept, slope)). */
  readonly from: XY;
  /** End of the arrow (e.g. hierarchical posterior mean). */
  readonly to: XY;
}

/** Options of {@link plotShrinkage}. */
export interface ShrinkagePlotOptions {
  /** Chart title. Default `'Shrinkage of the estimates'`. */
  title?: string;
  /** x axis title. Default `'intercept'`. */
  xTitle?: string;
  /** y axis title. Default `'slope'`. */
  yTitle?: string;
  /** Legend name of the arrow starts. Default `'unpooled'`. */
  fromName?: string;
  /** Legend name of the arrow ends. Default `'hierarchical'`. */
  toName?: string;
  /** Plot size in px. Default 460 × 380. */
  width?: number;
  height?: number;
  /** Colours of the start and end markers. Default the first two palette colours. */
  colors?: readonly [string, string];
}

function domainOf(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    const c = Number.isFinite(lo) ? lo : 0;
    return [c - 1, c + 1];
  }
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/**
 * Shrinkage plot as in Wiecki & Elbers' hierarchical regression tutorial: each group is an arrow
 * from its unpooled estimate to its hierarchical estimate of (intercept, slope), showing how
 * partial pooling pulls noisy groups towards the population mean. The arrow heads are rotated in
 * screen space, so the axes use fixed (padded) domains computed from the data.
 *
 * @param rows - one arrow per group
 * @param options - titles, legend names, size, colours
 * @returns a Vega-Lite spec
 * @throws RangeError if `rows` is empty
 * @example
 * ```ts
 * const counties = ['AITKIN', 'ANOKA'];
 * const aUnpooled = [0.8, 0.9], bUnpooled = [-0.9, -0.5], aHier = [1.1, 0.95], bHier = [-0.7, -0.6];
 * const spec = plotShrinkage(counties.map((c, j) => ({ label: c,
 *   from: { x: aUnpooled[j], y: bUnpooled[j] }, to: { x: aHier[j], y: bHier[j] } })));
 * ```
 */
export function plotShrinkage(rows: readonly ShrinkageRow[], options: ShrinkagePlotOptions = {}): VegaLiteSpec {
  arrayArgument(rows, 'rows', 'plotShrinkage', 'shrinkage rows');
  options = optionsObject(options, 'plotShrinkage');
  if (rows.length === 0) throw new RangeError('plotShrinkage: no rows');
  const width = options.width ?? 460;
  const height = options.height ?? 380;
  const fromName = options.fromName ?? 'unpooled';
  const toName = options.toName ?? 'hierarchical';
  const colors = options.colors ?? ['#4c78a8', '#e45756'];
  const xd = domainOf(rows.flatMap((r) => [r.from.x, r.to.x]));
  const yd = domainOf(rows.flatMap((r) => [r.from.y, r.to.y]));
  const values = rows.map((r) => {
    const dxp = ((r.to.x - r.from.x) / (xd[1] - xd[0])) * width;
    const dyUp = ((r.to.y - r.from.y) / (yd[1] - yd[0])) * height;
    // vega's angle turns a symbol clockwise from pointing up; screen y grows downwards.
    const angle = (Math.atan2(dxp, dyUp) * 180) / Math.PI;
    return {
      label: r.label,
      x0: r6(r.from.x),
      y0: r6(r.from.y),
      x1: r6(r.to.x),
      y1: r6(r.to.y),
      angle: r6((angle + 360) % 360),
    };
  });
  const xTitle = options.xTitle ?? 'intercept';
  const yTitle = options.yTitle ?? 'slope';
  const x = (field: string): VegaLiteSpec => ({ field, type: 'quantitative', title: xTitle, scale: { domain: xd, nice: false, zero: false } });
  const y = (field: string): VegaLiteSpec => ({ field, type: 'quantitative', title: yTitle, scale: { domain: yd, nice: false, zero: false } });
  const legendScale = { domain: [fromName, toName], range: [...colors] };
  const legend = { orient: 'top-right', fillColor: 'rgba(255,255,255,0.85)', padding: 4 };
  const shapeScale = { domain: [fromName, toName], range: ['circle', 'triangle-up'] };
  const tooltip = [
    { field: 'label', type: 'nominal', title: 'group' },
    { field: 'x0', type: 'quantitative', title: `${xTitle} (${fromName})`, format: '.3f' },
    { field: 'y0', type: 'quantitative', title: `${yTitle} (${fromName})`, format: '.3f' },
    { field: 'x1', type: 'quantitative', title: `${xTitle} (${toName})`, format: '.3f' },
    { field: 'y1', type: 'quantitative', title: `${yTitle} (${toName})`, format: '.3f' },
  ];
  return topLevel(
    {
      width,
      height,
      data: { values },
      layer: [
        {
          mark: { type: 'rule', color: '#777777', strokeWidth: 0.9, opacity: 0.8 },
          encoding: { x: x('x0'), y: y('y0'), x2: { field: 'x1' }, y2: { field: 'y1' } },
        },
        {
          transform: [{ calculate: JSON.stringify(fromName), as: 'estimate' }],
          mark: { type: 'point', filled: true, size: 26, opacity: 0.85 },
          encoding: {
            x: x('x0'),
            y: y('y0'),
            color: { field: 'estimate', type: 'nominal', scale: legendScale, title: null, legend },
            shape: { field: 'estimate', type: 'nominal', scale: shapeScale, title: null, legend },
            tooltip,
          },
        },
        {
          transform: [{ calculate: JSON.stringify(toName), as: 'estimate' }],
          mark: { type: 'point', filled: true, size: 42, opacity: 0.95 },
          encoding: {
            x: x('x1'),
            y: y('y1'),
            angle: { field: 'angle', type: 'quantitative', scale: null },
            color: { field: 'estimate', type: 'nominal', scale: legendScale, title: null, legend },
            shape: { field: 'estimate', type: 'nominal', scale: shapeScale, title: null, legend },
            tooltip,
          },
        },
      ],
    },
    options.title ?? 'Shrinkage of the estimates',
    `arrows from the ${fromName} to the ${toName} posterior mean of each group`,
  );
}
