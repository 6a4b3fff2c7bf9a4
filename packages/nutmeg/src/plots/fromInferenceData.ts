// Adapters from InferenceData to the plain inputs of the chart builders (trace variables, forest rows, pooled draws).
import { InputError } from '../core/errors.js';
import { hdi } from '../diagnostics/hdi.js';
import { elementDraws, elementLabel, shapeSize, type GroupName, type InferenceData, type VariableArray } from '../posterior/inferenceData.js';
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { arrayArgument, namesArgument, stringArgument } from '../core/argumentChecks.js';
import type { SummaryRow } from '../posterior/summary.js';
import { evenIndices } from './spec.js';
import { integerOption } from '../core/optionChecks.js';
import type { ForestRow } from './forest.js';
import type { TraceVariable } from './trace.js';

function variable(idata: InferenceData, name: string, group: GroupName): VariableArray {
  const vars = idata.groups[group]?.vars;
  const v = vars && Object.hasOwn(vars, name) ? vars[name] : undefined;
  if (!v) throw new InputError(`plots: no variable '${name}' in group '${group}'`);
  return v;
}

/**
 * Trace-plot inputs of posterior variables: scalars as `draws`, vectors as `elements` labelled as
 * ArviZ labels them (`a[CASS]` with coords, `a[0]` without).
 *
 * @param idata - results
 * @param names - variables to include (one name may be given as a string); default every variable of the group
 * @param options - group (default `'posterior'`), whether to label elements by coords (default true),
 *   and `maxElements`: most elements kept per vector (evenly spaced, as `plotTrace` keeps them;
 *   default all), so that a vector of 10,000 elements is not copied out to draw 8 of them
 * @returns one {@link TraceVariable} per name
 * @throws InputError if a variable is missing; OptionError if `idata` is not InferenceData or `names` not names
 * @example
 * ```ts
 * declare const idata: InferenceData; // e.g. from sample()
 * const spec = plotTrace(traceVariables(idata, ['mu_a', 'sigma_a', 'a']));
 * ```
 */
export function traceVariables(
  idata: InferenceData,
  names?: readonly string[] | string,
  options: { group?: GroupName; useCoords?: boolean; maxElements?: number } = {},
): TraceVariable[] {
  checkInferenceData(idata, 'traceVariables');
  const maxElements = options?.maxElements;
  if (maxElements !== undefined) integerOption('maxElements', maxElements, 1);
  const group = options?.group ?? 'posterior';
  const list = namesArgument(names, 'names', 'traceVariables') ?? Object.keys(idata.groups[group]?.vars ?? {});
  return list.map((name) => {
    const v = variable(idata, name, group);
    if (v.shape.length === 0) return { name, draws: elementDraws(v, idata.nChains, idata.nDraws, 0) };
    const coords = options?.useCoords === false ? undefined : idata.coords;
    const total = shapeSize(v.shape);
    const kept = maxElements === undefined ? Array.from({ length: total }, (_, e) => e) : evenIndices(total, maxElements);
    const elements = kept.map((e) => ({
      label: elementLabel(name, v, e, coords),
      draws: elementDraws(v, idata.nChains, idata.nDraws, e),
    }));
    return kept.length < total ? { name, elements, totalElements: total } : { name, elements };
  });
}

/**
 * Trace-plot inputs of chosen parameter elements, one row each (labelled as the summary labels
 * them): with {@link selectSummaryRows}, the trace plot of a model with thousands of parameters
 * draws its scalars and its worst-mixing elements, at most 40.
 *
 * @param idata - results
 * @param rows - summary rows of `idata`'s group (each names its variable and element)
 * @param group - group, default `'posterior'`
 * @returns one scalar {@link TraceVariable} per row
 * @throws InputError if a row's variable is missing; OptionError if `idata` is not InferenceData
 * @example
 * ```ts
 * declare const idata: InferenceData; // e.g. from sample()
 * const pick = selectSummaryRows(summary(idata));
 * const spec = plotTrace(summaryRowTraces(idata, pick.rows), { title: omittedNote(pick.rows.length, pick.total) });
 * ```
 */
export function summaryRowTraces(idata: InferenceData, rows: readonly SummaryRow[], group: GroupName = 'posterior'): TraceVariable[] {
  checkInferenceData(idata, 'summaryRowTraces');
  arrayArgument(rows, 'rows', 'summaryRowTraces', 'summary rows');
  return rows.map((r) => {
    const v = variable(idata, r.variable, group);
    return { name: r.label, draws: elementDraws(v, idata.nChains, idata.nDraws, r.element) };
  });
}

/**
 * Forest-plot rows of a vector variable: posterior mean and HDI per element, labelled by the
 * coordinate value alone (e.g. the county name) when the dim has coords, else by `name[i]`.
 *
 * @param idata - results
 * @param name - a variable of the group
 * @param options - HDI probability (default 0.94), series name for grouped forests, group (default `'posterior'`)
 * @returns one {@link ForestRow} per element
 * @throws InputError if the variable is missing; OptionError if `idata` is not InferenceData or `name` not a string
 * @example
 * ```ts
 * declare const idata: InferenceData; // e.g. from sample()
 * const spec = plotForest(forestRows(idata, 'a'), { xTitle: 'county intercept a' });
 * ```
 */
export function forestRows(
  idata: InferenceData,
  name: string,
  options: { hdiProb?: number; series?: string; group?: GroupName } = {},
): ForestRow[] {
  checkInferenceData(idata, 'forestRows');
  stringArgument(name, 'name', 'forestRows', "'a'");
  options = options ?? {};
  const v = variable(idata, name, options.group ?? 'posterior');
  const n = shapeSize(v.shape);
  const oneDimCoords = v.shape.length === 1 ? idata.coords[v.dims[0]] : undefined;
  const rows: ForestRow[] = [];
  for (let e = 0; e < n; e++) {
    const draws = elementDraws(v, idata.nChains, idata.nDraws, e);
    let s = 0;
    let k = 0;
    for (const c of draws) for (let i = 0; i < c.length; i++, k++) s += c[i];
    const [lo, hi] = hdi(draws, options.hdiProb ?? 0.94);
    const label = oneDimCoords ? String(oneDimCoords[e]) : elementLabel(name, v, e, idata.coords);
    rows.push({ label, mean: s / k, lo, hi, ...(options.series !== undefined ? { group: options.series } : {}) });
  }
  return rows;
}

/**
 * Draws of one element of a variable with the chains pooled (chain 0 first).
 *
 * @param idata - results
 * @param name - variable name
 * @param element - flat element index (0 for a scalar)
 * @param group - group, default `'posterior'`
 * @returns `nChains × nDraws` draws
 * @throws InputError if the variable is missing; OptionError if `idata` is not InferenceData, `name`
 *   not a string or `element` not one of the variable's elements
 */
export function pooledDraws(idata: InferenceData, name: string, element = 0, group: GroupName = 'posterior'): Float64Array {
  checkInferenceData(idata, 'pooledDraws');
  stringArgument(name, 'name', 'pooledDraws', "'mu'");
  const v = variable(idata, name, group);
  integerOption('element', element, 0, shapeSize(v.shape) - 1);
  const chains = elementDraws(v, idata.nChains, idata.nDraws, element);
  const out = new Float64Array(idata.nChains * idata.nDraws);
  chains.forEach((c, i) => out.set(c, i * idata.nDraws));
  return out;
}
