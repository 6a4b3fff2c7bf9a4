// What a compiled model offers inference and results: the LogDensity plus its parameter layout.
import type { CoordValues, LogDensity } from '../core/types.js';

/** One named quantity of a model as it appears in results. */
export interface VariableInfo {
  readonly name: string;
  /** 'free': a sampled parameter; 'deterministic': a function of the parameters, kept in results. */
  readonly kind: 'free' | 'deterministic';
  /** Constrained shape (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Dim names, one per axis (an axis without a named dim gets `<name>_dim_<k>` as in ArviZ). */
  readonly dims: readonly string[];
  /** Name of the transform to the unconstrained space ('identity', 'log', 'logit', 'simplex', …); free only. */
  readonly transform?: string;
  /** Offset of this parameter in the unconstrained vector; free only. */
  readonly offset?: number;
  /** Number of unconstrained coordinates; free only. */
  readonly unconstrainedSize?: number;
  /** True for a discrete free parameter (NUTS and ADVI refuse those). */
  readonly discrete?: boolean;
}

/** Observed data kept for the `observed_data` group. */
export interface ObservedInfo {
  readonly name: string;
  readonly dims: readonly string[];
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/**
 * A model compiled to a log density on the unconstrained space, with everything needed to turn
 * unconstrained vectors into named, constrained results. Inference code uses only the
 * {@link LogDensity} part; result builders use the rest.
 */
export interface CompiledModel extends LogDensity {
  /** Free parameters then deterministics, in declaration order. */
  readonly variables: readonly VariableInfo[];
  /** Coordinate labels by dim name. */
  readonly coords: Record<string, CoordValues>;
  /** Observed variables and their data. */
  readonly observed: readonly ObservedInfo[];
  /** Constrained values of every free parameter and deterministic at `theta`. */
  constrain(theta: Float64Array): Record<string, Float64Array>;
  /**
   * Constrains many unconstrained vectors at once, without allocating: row `i` of `thetas`
   * (`nRows` rows of length `dim`) is written as row `firstRow + i` of each variable's buffer in
   * `out`, which holds one buffer per entry of `variables` (in that order) laid out row × size.
   */
  constrainRows(thetas: Float64Array, nRows: number, out: readonly Float64Array[], firstRow: number): void;
  /** The unconstrained vector for given constrained values of every free parameter. */
  unconstrain(values: Record<string, number | ArrayLike<number>>): Float64Array;
  /** A default starting point in the unconstrained space (PyMC-like: a central value of each prior). */
  initialPoint(): Float64Array;
  /** Each variable's log density term (priors, likelihoods, potentials) at `theta`, for messages. */
  logDensityByVariable(theta: Float64Array): Record<string, number>;
  /** A plain-data description (structured-cloneable) from which a worker re-compiles the model. */
  readonly spec: unknown;
}

/**
 * `constrainRows` in terms of `constrain`, for hand-written compiled models (it allocates per row;
 * compiled models have an allocation-free one).
 *
 * @param model - the model (its `dim`, `variables` and `constrain`)
 * @param thetas - `nRows` unconstrained vectors, row-major
 * @param nRows - rows to convert
 * @param out - one buffer per variable, row × size
 * @param firstRow - the row of `out` the first vector goes to
 * @example
 * ```ts
 * // A hand-written model of one parameter x ~ Normal(1.5, 1):
 * const model: CompiledModel = {
 *   dim: 1,
 *   logDensityGrad: (x, g) => { g[0] = 1.5 - x[0]; return -0.5 * (x[0] - 1.5) ** 2; },
 *   variables: [{ name: 'x', kind: 'free', shape: [], dims: [], transform: 'identity', offset: 0, unconstrainedSize: 1 }],
 *   coords: {},
 *   observed: [],
 *   constrain: (theta) => ({ x: Float64Array.of(theta[0]) }),
 *   constrainRows(t, n, out, first) { constrainRowsByRecord(this, t, n, out, first); },
 *   unconstrain: (v) => Float64Array.of(Number(v.x)),
 *   initialPoint: () => new Float64Array(1),
 *   logDensityByVariable: (theta) => ({ x: -0.5 * (theta[0] - 1.5) ** 2 }),
 *   spec: undefined,
 * };
 * ```
 */
export function constrainRowsByRecord(
  model: Pick<CompiledModel, 'dim' | 'variables' | 'constrain'>,
  thetas: Float64Array,
  nRows: number,
  out: readonly Float64Array[],
  firstRow: number,
): void {
  const d = model.dim;
  const sizes = model.variables.map((v) => v.shape.reduce((a, b) => a * b, 1));
  for (let r = 0; r < nRows; r++) {
    const values = model.constrain(thetas.subarray(r * d, (r + 1) * d));
    model.variables.forEach((v, k) => {
      const x = values[v.name];
      if (x !== undefined) out[k].set(x.length === sizes[k] ? x : x.subarray(0, sizes[k]), (firstRow + r) * sizes[k]);
    });
  }
}
