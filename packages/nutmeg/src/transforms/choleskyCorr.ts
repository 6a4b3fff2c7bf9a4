// The Cholesky-factor-of-correlation transform (Stan's cholesky_factor_corr), for LKJCholeskyCorr variables.
import type { Transform } from './transform.js';
import { exp, log1p, tanh, cosh } from '../core/libm/index.js';

/** K for an unconstrained length K(K−1)/2. */
function orderOf(m: number): number {
  const K = Math.round((1 + Math.sqrt(1 + 8 * m)) / 2);
  if ((K * (K - 1)) / 2 !== m) throw new Error(`choleskyCorr: ${m} unconstrained values are not K(K−1)/2 for any K`);
  return K;
}

/** log sech(y) = −log cosh(y), exact for large |y|. */
const logSech = (y: number): number => {
  const a = Math.abs(y);
  return -(a + log1p(exp(-2 * a)) - Math.LN2);
};

/**
 * K(K−1)/2 unconstrained reals (the strict lower triangle, row by row) → the lower-triangular
 * Cholesky factor L (K×K, row-major) of a correlation matrix: z = tanh(y) are canonical partial
 * correlations, L[i, j] = z_ij·sqrt(1 − Σ_{l<j} L[i, l]²) and L[i, i] = sqrt(1 − Σ_{l<i} L[i, l]²)
 * (Stan reference manual, "Cholesky factors of correlation matrices"). y = 0 maps to the identity.
 * log|det J| = Σ_{j<i} [log(1 − z_ij²) + ½·log(1 − Σ_{l<j} L[i, l]²)] = Σ_{j<i} (i + 1 − j)·log sech(y_ij).
 */
export const choleskyCorrTransform: Transform = {
  name: 'choleskyCorr',
  unconstrainedShape: (shape) => {
    const K = shape[shape.length - 1];
    return [(K * (K - 1)) / 2];
  },
  build(g, y) {
    const K = orderOf(y.shape[0]);
    return {
      value: g.kernel('choleskyCorr', [y], [K, K], { K }),
      logDetJacobian: g.kernel('choleskyCorrLogDet', [y], [], { K }),
    };
  },
  forward(y) {
    const K = orderOf(y.length);
    const L = new Float64Array(K * K);
    let k = 0;
    for (let i = 0; i < K; i++) {
      let w = 1;
      for (let j = 0; j < i; j++) {
        L[i * K + j] = tanh(y[k]) * w;
        w /= cosh(y[k++]);
      }
      L[i * K + i] = w;
    }
    return L;
  },
  inverse(x) {
    // z_ij = L[i, j] / sqrt(1 − Σ_{l<j} L[i, l]²), y = atanh(z).
    const K = Math.round(Math.sqrt(x.length));
    const y = new Float64Array((K * (K - 1)) / 2);
    let k = 0;
    for (let i = 1; i < K; i++) {
      let rest = 1;
      for (let j = 0; j < i; j++) {
        const v = x[i * K + j];
        y[k++] = Math.atanh(v / Math.sqrt(rest));
        rest -= v * v;
      }
    }
    return y;
  },
  logAbsDetJacobian(y) {
    const K = orderOf(y.length);
    let s = 0;
    let k = 0;
    for (let i = 1; i < K; i++) for (let j = 0; j < i; j++) s += (i + 1 - j) * logSech(y[k++]);
    return s;
  },
};
