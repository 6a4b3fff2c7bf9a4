// Forest plot: per row a point estimate and an interval (e.g. posterior mean and 94% HDI per county).
import { arrayArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { integerOption } from '../core/optionChecks.js';
import { omittedNote, PLOT_LIMITS } from './panelSelection.js';
import { evenIndices, r6, topLevel, type VegaLiteSpec } from './spec.js';

/** One row of a {@link plotForest}. */
export interface ForestRow {
  /** Row label shown on the axis (e.g. a county name). */
  readonly label: string;
  /** Point estimate (e.g. posterior mean). */
  readonly mean: number;
  /** Lower end of the interval. */
  readonly lo: number;
  /** Upper end of the interval. */
  readonly hi: number;
  /** Optional series name (e.g. model) to compare several estimates per label. */
  readonly group?: string;
}

/** Options of {@link plotForest}. */
export interface ForestPlotOptions {
  /** Chart title. */
  title?: string;
  /** Title of the value axis. Default `'value'`. */
  xTitle?: string;
  /** Name of the interval, shown in the subtitle. Default `'94% HDI'`. */
  intervalLabel?: string;
  /** Name of the point estimate, shown in the subtitle. Default `'posterior mean'`. */
  pointLabel?: string;
  /** Draw a vertical reference line at this value (e.g. the population mean). */
  reference?: number;
  /** Height per label in px. Default 12 (14 per label per group with groups). */
  rowHeight?: number;
  /** Width of the plot area in px. Default 420. */
  width?: number;
  /**
   * Most labels drawn: beyond it, evenly spaced labels (first and last included) are kept and the
   * subtitle says how many were left out. Default {@link PLOT_LIMITS}.maxForestRows (100).
   */
  maxRows?: number;
}

/**
 * Forest plot as ArviZ's `plot_forest`: one row per label, the point estimate as a dot and the
 * interval as a line, rows in the order given (top to bottom). Rows sharing a label but with
 * different `group`s are drawn side by side in different colours, with a legend. At most
 * `maxRows` labels are drawn (100; evenly spaced beyond that, and the subtitle says so), so that a
 * vector of 10,000 group effects still gives a readable figure.
 *
 * @param rows - one entry per label (and group)
 * @param options - titles, reference line, sizes
 * @returns a Vega-Lite spec
 * @throws RangeError if `rows` is empty
 * @example
 * ```ts
 * const counties = ['AITKIN', 'ANOKA', 'BECKER'];
 * const m = [0.9, 0.95, 1.5], lo = [0.2, 0.7, 0.8], hi = [1.6, 1.2, 2.2]; // means and 94% HDIs
 * const spec = plotForest(counties.map((c, j) => ({ label: c, mean: m[j], lo: lo[j], hi: hi[j] })),
 *   { xTitle: 'county intercept a', reference: 1.46 });
 * ```
 */
export function plotForest(rows: readonly ForestRow[], options: ForestPlotOptions = {}): VegaLiteSpec {
  arrayArgument(rows, 'rows', 'plotForest', 'rows such as forestRows(idata, \'a\') gives');
  options = optionsObject(options, 'plotForest');
  if (rows.length === 0) throw new RangeError('plotForest: no rows');
  const grouped = rows.some((r) => r.group !== undefined);
  const groups = [...new Set(rows.map((r) => r.group ?? ''))];
  const allLabels = [...new Set(rows.map((r) => r.label))];
  const maxRows = options.maxRows ?? PLOT_LIMITS.maxForestRows;
  integerOption('maxRows', maxRows, 1);
  const labels = allLabels.length > maxRows ? evenIndices(allLabels.length, maxRows).map((i) => allLabels[i]) : allLabels;
  const kept = new Set(labels);
  const drawn = labels.length < allLabels.length ? rows.filter((r) => kept.has(r.label)) : rows;
  const step = options.rowHeight ?? (grouped ? 8 + 6 * groups.length : 12);
  const values = drawn.map((r) => ({ label: r.label, mean: r6(r.mean), lo: r6(r.lo), hi: r6(r.hi), group: r.group ?? '' }));
  const xTitle = options.xTitle ?? 'value';
  const y = {
    field: 'label',
    type: 'nominal',
    sort: labels,
    title: null,
    axis: { labelFontSize: 10, grid: false, ticks: false, labelPadding: 4, labelLimit: 200 },
  };
  const color = grouped
    ? { field: 'group', type: 'nominal', sort: groups, title: null, legend: { orient: 'top', direction: 'horizontal' } }
    : { value: '#4c78a8' };
  const common: VegaLiteSpec = { y, color };
  if (grouped) common.yOffset = { field: 'group', type: 'nominal', sort: groups };
  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'rule', strokeWidth: 1.6 },
      encoding: {
        ...common,
        x: { field: 'lo', type: 'quantitative', title: xTitle, scale: { zero: false } },
        x2: { field: 'hi' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 28, opacity: 1 },
      encoding: {
        ...common,
        x: { field: 'mean', type: 'quantitative' },
        tooltip: [
          { field: 'label', type: 'nominal' },
          ...(grouped ? [{ field: 'group', type: 'nominal' }] : []),
          { field: 'mean', type: 'quantitative', format: '.3f' },
          { field: 'lo', type: 'quantitative', format: '.3f' },
          { field: 'hi', type: 'quantitative', format: '.3f' },
        ],
      },
    },
  ];
  if (options.reference !== undefined) {
    layers.unshift({
      data: { values: [{ ref: r6(options.reference) }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
      encoding: { x: { field: 'ref', type: 'quantitative' } },
    });
  }
  const note = omittedNote(labels.length, allLabels.length, { what: 'rows', how: 'evenly spaced' });
  const subtitle = `${options.pointLabel ?? 'posterior mean'} (dot) and ${options.intervalLabel ?? '94% HDI'} (line)${note ? `. ${note}` : ''}`;
  return topLevel(
    {
      width: options.width ?? 420,
      height: { step },
      data: { values },
      layer: layers,
    },
    options.title ?? xTitle,
    subtitle,
  );
}
