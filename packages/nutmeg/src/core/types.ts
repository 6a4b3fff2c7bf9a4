// The narrow contract between models and inference (a log density on the unconstrained space) and the small types every layer shares.

/** A shape: the length of each axis, row-major. `[]` is a scalar. */
export type Shape = readonly number[];

/**
 * A log density over a fixed-size unconstrained vector, with its gradient.
 *
 * Samplers (NUTS), optimisers and ADVI see only this. `logDensityGrad` writes the gradient into
 * `gradOut` and returns the log density (up to a constant). A non-finite log density is returned
 * as `-Infinity` (or NaN), never thrown: inference treats it as a recoverable event
 * (a divergence inside a trajectory).
 *
 * @example
 * ```ts
 * import type { LogDensity } from 'nutmeg';
 * // A standard normal in two dimensions, written by hand.
 * const stdNormal: LogDensity = {
 *   dim: 2,
 *   logDensityGrad(x, g) {
 *     g[0] = -x[0]; g[1] = -x[1];
 *     return -0.5 * (x[0] * x[0] + x[1] * x[1]);
 *   },
 * };
 * const g = new Float64Array(2);
 * stdNormal.logDensityGrad(new Float64Array([1, 2]), g); // → -2.5, g = [-1, -2]
 * ```
 */
export interface LogDensity {
  /** Number of unconstrained coordinates. */
  readonly dim: number;
  /** Log density at `x` (length `dim`); writes d logp / dx into `gradOut` (length `dim`). */
  logDensityGrad(x: Float64Array, gradOut: Float64Array): number;
  /** Log density only (no gradient); optional, defaults to calling `logDensityGrad`. */
  logDensity?(x: Float64Array): number;
}

/** A value keyed by variable name, as the model reports constrained draws. */
export type NamedArrays = Record<string, Float64Array>;

/** Coordinate labels of one dim (ArviZ coords), shared by model specs, compiled models and results. */
export type CoordValues = readonly (string | number)[];
