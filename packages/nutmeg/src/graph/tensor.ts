// Tensor: a handle on a node of a model's graph, with the elementwise and linear-algebra ops.
import { ModelError } from '../core/errors.js';
import { broadcastShapes, formatShape, sizeOf } from './graph.js';
import type { GraphBuilder } from './graphBuilder.js';

/**
 * Something that can stand where a tensor is expected: a tensor, a number, an array of numbers or
 * a nested (row-major) array of rows, e.g. `MvNormal({ mu, cov: [[1, 0.5], [0.5, 2]] })`.
 */
export type TensorLike = Tensor | number | ArrayLike<number> | readonly (readonly number[])[];

/**
 * A value in a model: a random variable, data, a constant or an expression of those. Tensors are
 * immutable handles; every op adds a node to the model's graph, which `Model.compile()` turns
 * into a fused, allocation-free log density with its gradient.
 *
 * @example
 * ```ts
 * import { Model, Normal, HalfCauchy } from 'nutmeg';
 * const m = new Model();
 * const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
 * const s = m.rv('s', HalfCauchy({ beta: 1 }));
 * const mu = a.at([0, 2, 1, 1]).mul(2).add(1);  // gather, then elementwise
 * m.rv('y', Normal({ mu, sigma: s }), { observed: [0.1, 0.5, -0.2, 1.3] });
 * ```
 */
export class Tensor {
  /** @internal */
  constructor(
    /** @internal */ readonly graph: GraphBuilder,
    /** @internal */ readonly id: number,
    readonly shape: readonly number[],
  ) {}

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  add(other: TensorLike): Tensor {
    return binary('add', this, other);
  }
  sub(other: TensorLike): Tensor {
    return binary('sub', this, other);
  }
  mul(other: TensorLike): Tensor {
    return binary('mul', this, other);
  }
  div(other: TensorLike): Tensor {
    return binary('div', this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return binary('pow', this, exponent);
  }
  neg(): Tensor {
    return unary('neg', this);
  }
  /** Sum of all elements (a scalar). */
  sum(): Tensor {
    return sum(this);
  }
  /**
   * Gather: `x.at(idx)[i] = x[idx[i]]`, so `alpha.at(countyIdx)` gives one county intercept per
   * observation. `idx` holds 0-based integers, or is a data tensor of them (`m.data('county', idx)`,
   * which prediction can replace); out-of-range indices are a build-time error.
   */
  at(index: ArrayLike<number> | Tensor): Tensor {
    return this.graph.gather(this, index);
  }
}

function unary(op: string, x: TensorLike): Tensor {
  if (!(x instanceof Tensor)) throw new ModelError(`${op}: expected a model tensor`);
  return x.graph.ew(op, [x]);
}

function binary(op: string, x: TensorLike, y: TensorLike): Tensor {
  const g = x instanceof Tensor ? x.graph : y instanceof Tensor ? y.graph : undefined;
  if (!g) throw new ModelError(`${op}: at least one operand must be a model tensor`);
  const a = g.lift(x);
  const b = g.lift(y);
  if (!broadcastShapes(a.shape, b.shape)) {
    throw new ModelError(
      `${op}: shapes ${formatShape(a.shape)} (${g.label(a)}) and ${formatShape(b.shape)} (${g.label(b)}) do not broadcast`,
    );
  }
  return g.ew(op, [a, b]);
}

/** Elementwise e^x. */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Elementwise natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** Elementwise log(1 + x), accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** Elementwise e^x − 1, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
/** Elementwise square root. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** Elementwise x². */
export const square = (x: Tensor): Tensor => unary('square', x);
/** Elementwise |x|. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** Elementwise logistic function 1 / (1 + e^−x) (PyMC's invlogit). */
export const logistic = (x: Tensor): Tensor => unary('logistic', x);
/** Alias of {@link logistic}. */
export const invlogit = logistic;
/** Elementwise softplus log(1 + e^x), stable for large |x|. */
export const softplus = (x: Tensor): Tensor => unary('log1pexp', x);
/** Elementwise hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** Elementwise log Γ(x). */
export const lgamma = (x: Tensor): Tensor => unary('lgamma', x);
/** Elementwise x^y with broadcasting. */
export const pow = (x: TensorLike, y: TensorLike): Tensor => binary('pow', x, y);
/** Elementwise sum with broadcasting. */
export const add = (x: TensorLike, y: TensorLike): Tensor => binary('add', x, y);
/** Elementwise difference with broadcasting. */
export const sub = (x: TensorLike, y: TensorLike): Tensor => binary('sub', x, y);
/** Elementwise product with broadcasting. */
export const mul = (x: TensorLike, y: TensorLike): Tensor => binary('mul', x, y);
/** Elementwise quotient with broadcasting. */
export const div = (x: TensorLike, y: TensorLike): Tensor => binary('div', x, y);

/** Sum of all elements of `x` (a scalar tensor). */
export function sum(x: Tensor): Tensor {
  return x.graph.kernel('sum', [x], [], {});
}

/** Inner product of two vectors of the same length. */
export function dot(x: TensorLike, y: TensorLike): Tensor {
  const g = x instanceof Tensor ? x.graph : (y as Tensor).graph;
  const a = g.lift(x);
  const b = g.lift(y);
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ModelError(`dot: expected two vectors of the same length, got ${formatShape(a.shape)} (${g.label(a)}) and ${formatShape(b.shape)} (${g.label(b)})`);
  }
  return g.kernel('dot', [a, b], [], {});
}

/**
 * Matrix-vector product `X · beta`: `X` has shape [n, k] (data, or a tensor), `beta` shape [k];
 * the result has shape [n].
 */
export function matvec(x: TensorLike, v: TensorLike): Tensor {
  const g = x instanceof Tensor ? x.graph : (v as Tensor).graph;
  const m = g.lift(x);
  const b = g.lift(v);
  if (m.shape.length !== 2 || b.shape.length !== 1 || m.shape[1] !== b.shape[0]) {
    throw new ModelError(`matvec: expected a matrix [n, k] and a vector [k], got ${formatShape(m.shape)} (${g.label(m)}) and ${formatShape(b.shape)} (${g.label(b)})`);
  }
  return g.kernel('matvec', [m, b], [m.shape[0]], {});
}

/** The graph of whichever operand is a model tensor. */
function graphOf(what: string, ...xs: TensorLike[]): GraphBuilder {
  for (const x of xs) if (x instanceof Tensor) return x.graph;
  throw new ModelError(`${what}: at least one operand must be a model tensor`);
}

/**
 * Matrix product `A · B` of two 2-D tensors: `A` [m, k] and `B` [k, p] give [m, p]. Either may be
 * data (a nested array of rows).
 *
 * @param a - the left matrix [m, k]
 * @param b - the right matrix [k, p]
 * @returns a tensor of shape [m, p]
 * @throws ModelError when an operand is not 2-D or the inner sizes differ
 * @example
 * ```ts
 * import { Model, Normal, math } from 'nutmeg';
 * const m = new Model();
 * const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [5, 2] });
 * const r = math.matmul(z, [[1, 0.5], [0, 2]]); // shape [5, 2]
 * ```
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const g = graphOf('matmul', a, b);
  const x = g.lift(a);
  const y = g.lift(b);
  if (x.shape.length !== 2 || y.shape.length !== 2 || x.shape[1] !== y.shape[0]) {
    throw new ModelError(`matmul: expected matrices [m, k] and [k, p], got ${formatShape(x.shape)} (${g.label(x)}) and ${formatShape(y.shape)} (${g.label(y)})`);
  }
  return g.kernel('matmul', [x, y], [x.shape[0], y.shape[1]], {});
}

/**
 * The transpose of a 2-D tensor: [m, p] → [p, m].
 *
 * @param x - a matrix [m, p]
 * @returns a tensor of shape [p, m]
 * @throws ModelError when `x` is not 2-D
 * @example
 * ```ts
 * import { Model, Normal, math } from 'nutmeg';
 * const m = new Model();
 * const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [2, 5] });
 * const zt = math.transpose(z); // shape [5, 2]
 * ```
 */
export function transpose(x: Tensor): Tensor {
  const g = graphOf('transpose', x);
  if (x.shape.length !== 2) throw new ModelError(`transpose: expected a matrix, got shape ${formatShape(x.shape)} (${g.label(x)})`);
  return g.kernel('transpose', [x], [x.shape[1], x.shape[0]], {});
}

/**
 * The same elements, in the same row-major order, under another shape (NumPy's `reshape`): a
 * matrix [G, K] flattened to [G·K] can then be indexed with `at`.
 *
 * @param x - a tensor
 * @param shape - the new shape; its size must equal `x.size`
 * @returns a tensor of shape `shape`
 * @throws ModelError when the sizes differ
 * @example
 * ```ts
 * import { Model, Normal, math } from 'nutmeg';
 * const m = new Model();
 * const r = m.rv('r', Normal({ mu: 0, sigma: 1 }), { shape: [3, 2] });
 * const slopeOfRow = math.reshape(r, [6]).at([1, 3, 5]); // r[g, 1] for g = 0, 1, 2
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const g = graphOf('reshape', x);
  if (!shape.every((s) => Number.isInteger(s) && s >= 0) || sizeOf(shape) !== x.size) {
    throw new ModelError(`reshape: cannot reshape ${formatShape(x.shape)} (${g.label(x)}) into ${formatShape(shape)}`);
  }
  return g.kernel('reshape', [x], [...shape], {});
}

/**
 * The diagonal of a square matrix: [n, n] → [n].
 *
 * @param x - a square matrix
 * @returns a vector of its diagonal elements
 * @throws ModelError when `x` is not square
 * @example
 * ```ts
 * import { Model, Normal, math } from 'nutmeg';
 * const m = new Model();
 * const A = m.rv('A', Normal({ mu: 0, sigma: 1 }), { shape: [3, 3] });
 * const d = math.diagonal(A); // shape [3]
 * ```
 */
export function diagonal(x: Tensor): Tensor {
  const g = graphOf('diagonal', x);
  if (x.shape.length !== 2 || x.shape[0] !== x.shape[1]) throw new ModelError(`diagonal: expected a square matrix, got shape ${formatShape(x.shape)} (${g.label(x)})`);
  return g.kernel('diagonal', [x], [x.shape[0]], {});
}
