// The one adapter from a bare LogDensity to a variable layout: any model seen as a CompiledModel (names, shapes, constraining).
import type { LogDensity } from '../core/types.js';
import { OptionError } from '../core/errors.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import type { Model } from '../model/model.js';

/**
 * True when `ld` is a compiled model (has names, transforms and an initial point), not a bare log
 * density.
 *
 * @param ld - a log density, possibly a compiled model
 * @returns whether it carries a variable layout of its own
 */
export function isCompiledModel(ld: LogDensity): ld is CompiledModel {
  const m = ld as Partial<CompiledModel>;
  return typeof m.constrain === 'function' && Array.isArray(m.variables) && typeof m.initialPoint === 'function';
}

/**
 * A model with a variable layout: a compiled model as it is, or a bare {@link LogDensity} (a
 * hand-written one, whose coordinates have no names) as a model with one free, untransformed
 * vector variable `vectorName` of length `dim` with dim `<vectorName>_dim_0`, no coords, no
 * observed data, no `spec` (so it cannot be re-compiled in a worker) and the origin as its initial
 * point. Results builders (`sample`'s InferenceData, `fit`'s Approximation) read layouts only
 * through this, so a hand-written density needs no path of its own.
 *
 * @param model - a compiled model or a bare log density
 * @param vectorName - the name of the one variable of a bare log density (`sample` uses `x`, `fit` `theta`)
 * @returns the model itself when compiled, else its adapter (whose log density calls `model`'s)
 * @throws OptionError (option `model`) when `model` is not a log density at all
 * @example
 * ```ts
 * const ld: LogDensity = { dim: 2, logDensityGrad: (x, g) => { g[0] = -x[0]; g[1] = -x[1]; return -0.5 * (x[0] ** 2 + x[1] ** 2); } };
 * const m = asCompiledModel(ld);
 * m.variables[0];                        // { name: 'x', kind: 'free', shape: [2], dims: ['x_dim_0'], … }
 * m.constrain(new Float64Array([1, 2])); // { x: Float64Array [1, 2] }
 * ```
 */
export function asCompiledModel(model: LogDensity | CompiledModel, vectorName = 'x'): CompiledModel {
  if (isCompiledModel(model)) return model;
  if (!model || typeof model.logDensityGrad !== 'function' || !Number.isInteger(model.dim)) {
    throw new OptionError('model', 'must be a compiled model (m.compile()) or a LogDensity {dim, logDensityGrad}');
  }
  const d = model.dim;
  return {
    dim: d,
    logDensityGrad: (x, g) => model.logDensityGrad(x, g),
    logDensity: model.logDensity ? (x) => model.logDensity!(x) : undefined,
    variables: [{ name: vectorName, kind: 'free', shape: [d], dims: [`${vectorName}_dim_0`], transform: 'identity', offset: 0, unconstrainedSize: d }],
    coords: {},
    observed: [],
    constrain: (theta) => ({ [vectorName]: Float64Array.from(theta) }),
    constrainRows: (thetas, nRows, out, firstRow) => out[0].set(thetas.subarray(0, nRows * d), firstRow * d),
    unconstrain: (values) => Float64Array.from(values[vectorName] as ArrayLike<number>),
    initialPoint: () => new Float64Array(d),
    logDensityByVariable: () => ({}),
    spec: undefined,
  };
}

/**
 * The model argument of `sample` and `fit`: a compiled model or a log density as it is; a
 * {@link Model} compiled first, as PyMC users expect (`pm.sample()` samples the model it is
 * given, with no compile step). Compile once yourself (`m.compile()`) to reuse it across calls.
 *
 * @param model - what the caller passed
 * @param fn - the function's name, for the message
 * @returns something to sample or fit
 * @throws OptionError (option `model`) when it is none of these; ModelError from compiling a Model
 */
export function modelArgument(model: Model | LogDensity | CompiledModel, fn: string): LogDensity | CompiledModel {
  const m: unknown = model;
  if (m !== null && typeof m === 'object') {
    const maybe = m as { compile?: unknown; logDensityGrad?: unknown; spec?: unknown };
    if (typeof maybe.logDensityGrad === 'function') return model as LogDensity | CompiledModel;
    if (typeof maybe.compile === 'function') return (model as Model).compile();
  }
  throw new OptionError('model', `${fn} needs a Model, a compiled model (m.compile()) or a LogDensity { dim, logDensityGrad }, got ${describeModel(m)}`);
}

function describeModel(m: unknown): string {
  if (m === null || m === undefined) return String(m);
  if (typeof m === 'object') return `an object {${Object.keys(m).slice(0, 5).join(', ')}}`;
  return typeof m;
}
