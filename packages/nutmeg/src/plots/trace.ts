// Trace plot as ArviZ's plot_trace draws it: per variable, marginal densities per chain beside the trace.
import { OptionError } from '../core/errors.js';
import { describeValue, integerOption, optionsObject } from '../core/optionChecks.js';
import { kde } from './kde.js';
import { omittedNote, PLOT_LIMITS } from './panelSelection.js';
import { evenIndices, r6, topLevel, type VegaLiteSpec } from './spec.js';

/** One element of a vector variable: its label (e.g. `alpha[CASS]`) and draws per chain. */
export interface TraceElement {
  readonly label: string;
  /** Draws per chain: `draws[chain][draw]`. */
  readonly draws: readonly ArrayLike<number>[];
}

/**
 * A variable for {@link plotTrace}: either a scalar (`draws`) or a vector (`elements`).
 */
export interface TraceVariable {
  readonly name: string;
  /** Draws per chain of a scalar variable: `draws[chain][draw]`. */
  readonly draws?: readonly ArrayLike<number>[];
  /** Elements of a vector variable, overlaid in one row. */
  readonly elements?: readonly TraceElement[];
  /**
   * How many elements the variable has when `elements` holds only some of them (as
   * `traceVariables(idata, names, { maxElements })` gives); default `elements.length`.
   */
  readonly totalElements?: number;
}

/** Options of {@link plotTrace}. */
export interface TracePlotOptions {
  /** Chart title. Default none. */
  title?: string;
  /** Most elements of a vector variable shown (evenly spaced selection). Default 8. */
  maxElements?: number;
  /**
   * Most rows (variables) drawn; the first ones are kept and the subtitle says how many were left
   * out. Default {@link PLOT_LIMITS}.maxPanels (40, ArviZ's `plot.max_subplots`).
   */
  maxRows?: number;
  /** Most draws per chain drawn in a trace (evenly thinned beyond this). Default 1000. */
  maxTracePoints?: number;
  /** Width of the density panel in px. Default 260. */
  densityWidth?: number;
  /** Width of the trace panel in px. Default 440. */
  traceWidth?: number;
  /** Height of one row in px. Default 130. */
  rowHeight?: number;
}

interface Series {
  label: string;
  chain: number;
  values: ArrayLike<number>;
}

function variableSeries(v: TraceVariable, maxElements: number): { series: Series[]; vector: boolean; shown: number; total: number } {
  if (v.draws && v.elements) throw new RangeError(`plotTrace: variable ${v.name} has both draws and elements`);
  if (v.draws) {
    return { series: v.draws.map((values, chain) => ({ label: v.name, chain, values })), vector: false, shown: 1, total: 1 };
  }
  if (!v.elements || v.elements.length === 0) throw new RangeError(`plotTrace: variable ${v.name} has no draws`);
  const keep = evenIndices(v.elements.length, maxElements);
  const series: Series[] = [];
  for (const i of keep) {
    const e = v.elements[i];
    e.draws.forEach((values, chain) => series.push({ label: e.label, chain, values }));
  }
  return { series, vector: true, shown: keep.length, total: Math.max(v.totalElements ?? 0, v.elements.length) };
}

function row(v: TraceVariable, o: Required<Omit<TracePlotOptions, 'title' | 'maxRows'>>): VegaLiteSpec[] {
  const { series, vector, shown, total } = variableSeries(v, o.maxElements);
  const dens: { label: string; chain: string; x: number; density: number }[] = [];
  const trace: { label: string; chain: string; draw: number; value: number }[] = [];
  for (const s of series) {
    const chain = String(s.chain);
    if (s.values.length >= 2) {
      const k = kde(s.values, { gridSize: 128 });
      for (let j = 0; j < k.x.length; j++) dens.push({ label: s.label, chain, x: r6(k.x[j]), density: r6(k.density[j]) });
    }
    for (const d of evenIndices(s.values.length, o.maxTracePoints)) {
      trace.push({ label: s.label, chain, draw: d, value: r6(s.values[d]) });
    }
  }
  const showLegend = !vector || shown <= 10;
  // Scalars: one colour per chain. Vectors (ArviZ's compact layout): one colour per element,
  // chains told apart by dash pattern in the density panel and not at all in the trace.
  const color = vector
    ? { field: 'label', type: 'nominal', sort: null, title: null, legend: showLegend ? { orient: 'right' } : null }
    : { field: 'chain', type: 'nominal', title: 'chain', legend: { orient: 'right' } };
  const densityEnc: VegaLiteSpec = {
    x: { field: 'x', type: 'quantitative', title: v.name, scale: { zero: false, nice: false } },
    y: { field: 'density', type: 'quantitative', title: 'density' },
    color,
    detail: { field: 'chain' },
  };
  if (vector) densityEnc.strokeDash = { field: 'chain', type: 'nominal', legend: null };
  const title = vector && shown < total ? `${v.name} (${shown} of ${total} elements shown)` : v.name;
  // Both cells of a row get their own colour scale with the same domain order, so colours agree;
  // the legend is drawn once, beside the trace.
  return [
    {
      title: { text: title, anchor: 'start', frame: 'group', fontSize: 13 },
      width: o.densityWidth,
      height: o.rowHeight,
      data: { values: dens },
      mark: { type: 'line', strokeWidth: 1.3, clip: true },
      encoding: { ...densityEnc, color: { ...color, legend: null } },
    },
    {
      title: { text: ' ', fontSize: 13 },
      width: o.traceWidth,
      height: o.rowHeight,
      data: { values: trace },
      mark: { type: 'line', strokeWidth: 0.7, opacity: 0.75, clip: true },
      encoding: {
        x: { field: 'draw', type: 'quantitative', title: 'draw', scale: { nice: false } },
        y: { field: 'value', type: 'quantitative', title: v.name, scale: { zero: false } },
        color,
        detail: { field: 'chain' },
      },
    },
  ];
}

/**
 * Trace plot, one row per variable, as ArviZ's `plot_trace`: left, the marginal density (KDE)
 * of each chain; right, the draws of each chain against the draw index. Chains that disagree
 * or wander show up as densities that do not overlap and traces that do not mix.
 * Vector variables overlay their elements (coloured by element; chains dashed in the density),
 * limited to `maxElements` evenly spaced elements. At most `maxRows` rows are drawn (40, as
 * ArviZ's `plot.max_subplots`): the first ones, with a subtitle saying how many were left out,
 * so that a model with thousands of parameters still gives a readable figure in bounded time.
 *
 * @param variables - one variable or several (one row each)
 * @param options - sizes, element selection, thinning
 * @returns a Vega-Lite spec
 * @throws RangeError if a variable has no draws, or both `draws` and `elements`
 * @example
 * ```ts
 * declare const chain0: Float64Array, chain1: Float64Array, chain2: Float64Array, chain3: Float64Array; // draws of each chain
 * const spec = plotTrace({ name: 'mu_a', draws: [chain0, chain1, chain2, chain3] });
 * ```
 */
export function plotTrace(variables: TraceVariable | readonly TraceVariable[], options: TracePlotOptions = {}): VegaLiteSpec {
  if (variables === null || typeof variables !== 'object') {
    throw new OptionError('variables', `plotTrace needs trace variables such as traceVariables(idata), got ${describeValue(variables)}`);
  }
  options = optionsObject(options, 'plotTrace');
  const vars = Array.isArray(variables) ? (variables as readonly TraceVariable[]) : [variables as TraceVariable];
  vars.forEach((v, i) => {
    if (v === null || typeof v !== 'object' || typeof v.name !== 'string') {
      throw new OptionError('variables', `plotTrace: variable ${i} must be { name, draws } or { name, elements } (as traceVariables(idata) gives), got ${describeValue(v)}`);
    }
  });
  if (vars.length === 0) throw new RangeError('plotTrace: no variables');
  const maxRows = options.maxRows ?? PLOT_LIMITS.maxPanels;
  integerOption('maxRows', maxRows, 1);
  const drawn = vars.length > maxRows ? vars.slice(0, maxRows) : vars;
  const note = vars.length > maxRows ? omittedNote(maxRows, vars.length, { what: 'variables', how: 'the first ones' }) : undefined;
  const o = {
    maxElements: options.maxElements ?? 8,
    maxTracePoints: options.maxTracePoints ?? 1000,
    densityWidth: options.densityWidth ?? 260,
    traceWidth: options.traceWidth ?? 440,
    rowHeight: options.rowHeight ?? 130,
  };
  return topLevel(
    {
      columns: 2,
      concat: drawn.flatMap((v) => row(v, o)),
      spacing: { row: 18, column: 28 },
      resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
    },
    options.title ?? (note !== undefined ? '' : undefined),
    note,
  );
}
