// Transforms from the unconstrained space to a variable's support, as graph builders and numbers.
import type { GraphBuilder } from '../graph/graphBuilder.js';
import type { Tensor } from '../graph/tensor.js';

/** Bounds of an interval transform, when it has them. */
export interface TransformBounds {
  readonly lower?: Tensor;
  readonly upper?: Tensor;
}

/**
 * A bijection from unconstrained coordinates `y` to constrained values `x` (PyMC's
 * `RVTransform`, NumPyro's `biject_to`). `build` adds the forward map and the log |det J| to a
 * model graph (so the compiler differentiates and fuses them like any other expression);
 * `forward`/`inverse`/`logAbsDetJacobian` are the same maps on numbers, for starting points,
 * user-given initial values and tests.
 */
export interface Transform {
  readonly name: string;
  /** Shape of the unconstrained block for a constrained `shape`. */
  unconstrainedShape(shape: readonly number[]): number[];
  /** Adds x = f(y) and log|det J_f(y)| (as a tensor whose elements sum to it; null when 0). */
  build(g: GraphBuilder, y: Tensor, bounds: TransformBounds): { value: Tensor; logDetJacobian: Tensor | null };
  /** x = f(y) on numbers (bounds as numbers). */
  forward(y: Float64Array, bounds?: { lower?: number; upper?: number }): Float64Array;
  /** y = f⁻¹(x) on numbers. */
  inverse(x: Float64Array, bounds?: { lower?: number; upper?: number }): Float64Array;
  /** log |det J_f(y)| on numbers. */
  logAbsDetJacobian(y: Float64Array, bounds?: { lower?: number; upper?: number }): number;
}
