// Small dense linear algebra on row-major Float64Arrays: Cholesky, triangular solves, log-determinant, products, SPD inverse.
import { log } from '../core/libm/index.js';
//
// Matrices are n×n (or rows×cols) row-major `Float64Array`s: element (i, j) is `a[i * cols + j]`.
// Every function writes into a caller-supplied `out` buffer and allocates nothing, so the
// model engine can call them in its gradient loop; unless a function says otherwise, `out` may
// alias an input. The algorithms are the textbook ones (Golub & Van Loan, "Matrix Computations",
// 4th ed., §4.2 and §3.1; LAPACK xPOTRF/xTRTRI/xLAUUM for the in-place inverse), fine for the small
// matrices (n ≲ 100) of covariance and correlation parameters.

/** Thrown by {@link cholesky} and {@link spdInverse} when the matrix is not (numerically) positive definite. */
export class NotPositiveDefiniteError extends RangeError {
  /** 0-based index of the pivot (diagonal element) where the factorisation broke down. */
  readonly pivot: number;
  /** The value of that pivot after elimination (≤ 0 or NaN). */
  readonly value: number;
  constructor(pivot: number, value: number, what = 'cholesky') {
    super(
      `${what}: matrix is not positive definite: pivot ${pivot} (diagonal element [${pivot}, ${pivot}]) is ${value} ` +
        `after eliminating the rows above it, so the leading ${pivot + 1}×${pivot + 1} block is not positive definite`,
    );
    this.name = 'NotPositiveDefiniteError';
    this.pivot = pivot;
    this.value = value;
  }
}

/**
 * Cholesky factorisation without throwing, for hot paths: writes the lower-triangular L with
 * A = L·Lᵀ into `out` (upper triangle set to 0) and reports where it failed, if it did.
 *
 * Only the lower triangle of `a` is read (A is taken as symmetric). `out` may be `a` itself.
 *
 * @param a - n×n symmetric matrix, row-major.
 * @param n - order of the matrix.
 * @param out - n×n output buffer for L.
 * @returns -1 on success; otherwise the 0-based index of the first pivot that was ≤ 0 or NaN
 *   (then `out` holds a partial factor and must not be used).
 * @example
 * ```ts
 * const L = new Float64Array(4);
 * tryCholesky(Float64Array.of(4, 2, 2, 5), 2, L); // -1; L = [2, 0, 1, 2]
 * ```
 *
 * References: Golub & Van Loan (2013), Algorithm 4.2.1 (row-oriented, Cholesky–Banachiewicz).
 */
export function tryCholesky(a: Float64Array, n: number, out: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= out[ri + k] * out[rj + k];
      if (j === i) {
        if (!(s > 0)) {
          out[ri + i] = s;
          return i;
        }
        out[ri + i] = Math.sqrt(s);
      } else {
        out[ri + j] = s / out[rj + j];
      }
    }
    for (let j = i + 1; j < n; j++) out[ri + j] = 0;
  }
  return -1;
}

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix.
 *
 * Only the lower triangle of `a` is read. `out` may be `a` itself.
 *
 * @param a - n×n symmetric positive-definite matrix, row-major.
 * @param n - order of the matrix.
 * @param out - n×n output buffer for L (default: a new array).
 * @returns `out`, holding L (lower triangular, zeros above the diagonal).
 * @throws {@link NotPositiveDefiniteError} naming the failing pivot, if A is not positive definite.
 * @example
 * ```ts
 * cholesky(Float64Array.of(4, 2, 2, 5), 2); // Float64Array [2, 0, 1, 2]
 * ```
 */
export function cholesky(a: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  const failed = tryCholesky(a, n, out);
  if (failed >= 0) throw new NotPositiveDefiniteError(failed, out[failed * n + failed]);
  return out;
}

/**
 * Forward substitution: solves L·y = b for lower-triangular L.
 *
 * @param L - n×n lower-triangular matrix (the upper triangle is ignored), row-major.
 * @param n - order.
 * @param b - right-hand side, length n.
 * @param out - solution buffer, length n; may be `b`.
 * @returns `out` = L⁻¹·b.
 * @example
 * ```ts
 * solveLower(Float64Array.of(2, 0, 1, 2), 2, Float64Array.of(2, 5), new Float64Array(2)); // [1, 2]
 * ```
 */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[ri + k] * out[k];
    out[i] = s / L[ri + i];
  }
  return out;
}

/**
 * Back substitution with the transpose of a lower-triangular factor: solves Lᵀ·x = y.
 *
 * @param L - n×n lower-triangular matrix (the upper triangle is ignored), row-major.
 * @param n - order.
 * @param y - right-hand side, length n.
 * @param out - solution buffer, length n; may be `y`.
 * @returns `out` = L⁻ᵀ·y.
 * @example
 * ```ts
 * solveLowerTransposed(Float64Array.of(2, 0, 1, 2), 2, Float64Array.of(4, 4), new Float64Array(2)); // [1, 2]
 * ```
 */
export function solveLowerTransposed(L: Float64Array, n: number, y: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * out[k];
    out[i] = s / L[i * n + i];
  }
  return out;
}

/**
 * Solves A·x = b given the Cholesky factor L of A (forward then back substitution).
 *
 * @param L - Cholesky factor of A (from {@link cholesky}).
 * @param n - order.
 * @param b - right-hand side, length n.
 * @param out - solution buffer, length n; may be `b`.
 * @returns `out` = A⁻¹·b.
 * @example
 * ```ts
 * const L = cholesky(Float64Array.of(4, 2, 2, 5), 2);
 * choleskySolve(L, 2, Float64Array.of(6, 7), new Float64Array(2)); // [1, 1]
 * ```
 */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array): Float64Array {
  solveLower(L, n, b, out);
  return solveLowerTransposed(L, n, out, out);
}

/**
 * log det A from the Cholesky factor L of A: 2·Σ log Lᵢᵢ.
 *
 * @param L - Cholesky factor (only the diagonal is read).
 * @param n - order.
 * @returns log det A.
 * @example
 * ```ts
 * logDetFromCholesky(Float64Array.of(2, 0, 1, 2), 2); // log 16
 * ```
 */
export function logDetFromCholesky(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += log(L[i * n + i]);
  return 2 * s;
}

/**
 * The squared Mahalanobis distance xᵀ·A⁻¹·x = |L⁻¹·x|², given the Cholesky factor L of A
 * (the quadratic form in the multivariate normal log density).
 *
 * @param L - Cholesky factor of A.
 * @param n - order.
 * @param x - vector of length n (e.g. y − μ).
 * @param scratch - buffer of length n that receives L⁻¹·x; may be `x`.
 * @returns xᵀ·A⁻¹·x ≥ 0.
 * @example
 * ```ts
 * mahalanobisSq(Float64Array.of(2, 0, 1, 2), 2, Float64Array.of(2, 5), new Float64Array(2)); // 1 + 4 = 5
 * ```
 */
export function mahalanobisSq(L: Float64Array, n: number, x: ArrayLike<number>, scratch: Float64Array): number {
  solveLower(L, n, x, scratch);
  let s = 0;
  for (let i = 0; i < n; i++) s += scratch[i] * scratch[i];
  return s;
}

/**
 * Matrix–vector product out = A·x for a rows×cols matrix.
 *
 * @param a - rows×cols matrix, row-major.
 * @param rows - number of rows.
 * @param cols - number of columns.
 * @param x - vector of length cols.
 * @param out - result buffer of length rows; must not alias `x`.
 * @returns `out`.
 * @example
 * ```ts
 * matVec(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, Float64Array.of(1, 1, 1), new Float64Array(2)); // [6, 15]
 * ```
 */
export function matVec(a: Float64Array, rows: number, cols: number, x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < rows; i++) {
    const ri = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[ri + j] * x[j];
    out[i] = s;
  }
  return out;
}

/**
 * Transposed matrix–vector product out = Aᵀ·x for a rows×cols matrix.
 *
 * @param a - rows×cols matrix, row-major.
 * @param rows - number of rows.
 * @param cols - number of columns.
 * @param x - vector of length rows.
 * @param out - result buffer of length cols; must not alias `x`.
 * @returns `out`.
 * @example
 * ```ts
 * matTVec(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, Float64Array.of(1, 1), new Float64Array(3)); // [5, 7, 9]
 * ```
 */
export function matTVec(a: Float64Array, rows: number, cols: number, x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let j = 0; j < cols; j++) out[j] = 0;
  for (let i = 0; i < rows; i++) {
    const ri = i * cols;
    const xi = x[i];
    for (let j = 0; j < cols; j++) out[j] += a[ri + j] * xi;
  }
  return out;
}

/**
 * Lower-triangular matrix–vector product out = L·x (e.g. μ + L·z for a multivariate normal draw).
 *
 * @param L - n×n lower-triangular matrix (the upper triangle is ignored).
 * @param n - order.
 * @param x - vector of length n.
 * @param out - result buffer of length n; may be `x` (rows are computed bottom-up).
 * @returns `out`.
 * @example
 * ```ts
 * lowerMatVec(Float64Array.of(2, 0, 1, 2), 2, Float64Array.of(1, 1), new Float64Array(2)); // [2, 3]
 * ```
 */
export function lowerMatVec(L: Float64Array, n: number, x: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = 0;
    for (let k = 0; k <= i; k++) s += L[ri + k] * x[k];
    out[i] = s;
  }
  return out;
}

/**
 * Matrix product out = A·B, with A m×k and B k×p.
 *
 * @param a - m×k matrix, row-major.
 * @param b - k×p matrix, row-major.
 * @param m - rows of A.
 * @param k - columns of A = rows of B.
 * @param p - columns of B.
 * @param out - m×p result buffer; must not alias `a` or `b`.
 * @returns `out`.
 * @example
 * ```ts
 * matMul(Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 1, new Float64Array(1)); // [11]
 * ```
 */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, p: number, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    const ro = i * p;
    for (let j = 0; j < p; j++) out[ro + j] = 0;
    for (let t = 0; t < k; t++) {
      const ait = a[i * k + t];
      const rb = t * p;
      for (let j = 0; j < p; j++) out[ro + j] += ait * b[rb + j];
    }
  }
  return out;
}

/**
 * out = L·Lᵀ for lower-triangular L (rebuilds A from its Cholesky factor).
 *
 * @param L - n×n lower-triangular matrix (the upper triangle is ignored).
 * @param n - order.
 * @param out - n×n result buffer; must not alias `L`.
 * @returns `out`, symmetric.
 * @example
 * ```ts
 * lowerTimesTranspose(Float64Array.of(2, 0, 1, 2), 2, new Float64Array(4)); // [4, 2, 2, 5]
 * ```
 */
export function lowerTimesTranspose(L: Float64Array, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i * n + k] * L[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * Inverts a lower-triangular matrix in place-capable fashion: out = L⁻¹ (lower triangular).
 *
 * @param L - n×n lower-triangular matrix with non-zero diagonal (upper triangle ignored).
 * @param n - order.
 * @param out - n×n result buffer; may be `L`.
 * @returns `out` = L⁻¹, with zeros above the diagonal.
 * @example
 * ```ts
 * invertLower(Float64Array.of(2, 0, 1, 2), 2, new Float64Array(4)); // [0.5, 0, -0.25, 0.5]
 * ```
 *
 * References: LAPACK xTRTI2 (column-by-column, in place).
 */
export function invertLower(L: Float64Array, n: number, out: Float64Array): Float64Array {
  if (out !== L) out.set(L.subarray(0, n * n));
  // Column j of L⁻¹ only needs rows of L to the right of column j (not yet overwritten) and the
  // entries of column j of L⁻¹ computed above row i.
  for (let j = 0; j < n; j++) {
    out[j * n + j] = 1 / out[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s += out[ri + k] * out[k * n + j];
      out[ri + j] = -s / out[ri + i];
    }
    for (let i = 0; i < j; i++) out[i * n + j] = 0;
  }
  return out;
}

/**
 * Inverse of A from its Cholesky factor L: A⁻¹ = L⁻ᵀ·L⁻¹ (symmetric), without allocating.
 *
 * @param L - Cholesky factor of A.
 * @param n - order.
 * @param out - n×n result buffer; may be `L`.
 * @returns `out` = A⁻¹ (full symmetric matrix).
 * @example
 * ```ts
 * inverseFromCholesky(Float64Array.of(2, 0, 1, 2), 2, new Float64Array(4)); // [5/16, -1/8, -1/8, 1/4]
 * ```
 *
 * References: LAPACK xPOTRI (xTRTRI followed by xLAUUM, both in place).
 */
export function inverseFromCholesky(L: Float64Array, n: number, out: Float64Array): Float64Array {
  invertLower(L, n, out);
  // W = L⁻¹ is in the lower triangle; (A⁻¹)ᵢⱼ = Σ_{k ≥ max(i,j)} Wₖᵢ·Wₖⱼ. Row i of the result
  // (j ≥ i, stored above the diagonal) needs only columns ≥ i of W, so column i can be
  // overwritten by the mirror image once row i is done; the diagonal is computed last in a row.
  for (let i = 0; i < n; i++) {
    for (let j = n - 1; j >= i; j--) {
      let s = 0;
      for (let k = j; k < n; k++) s += out[k * n + i] * out[k * n + j];
      out[i * n + j] = s;
    }
    for (let j = i + 1; j < n; j++) out[j * n + i] = out[i * n + j];
  }
  return out;
}

/**
 * Inverse of a symmetric positive-definite matrix, via its Cholesky factor.
 *
 * @param a - n×n symmetric positive-definite matrix (only the lower triangle is read).
 * @param n - order.
 * @param out - n×n result buffer (default: a new array); may be `a`.
 * @returns `out` = A⁻¹.
 * @throws {@link NotPositiveDefiniteError} if A is not positive definite.
 * @example
 * ```ts
 * spdInverse(Float64Array.of(4, 2, 2, 5), 2); // [5/16, -1/8, -1/8, 1/4]
 * ```
 */
export function spdInverse(a: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  const failed = tryCholesky(a, n, out);
  if (failed >= 0) throw new NotPositiveDefiniteError(failed, out[failed * n + failed], 'spdInverse');
  return inverseFromCholesky(out, n, out);
}
