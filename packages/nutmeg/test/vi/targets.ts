// Hand-written log densities with known posteriors for the ADVI tests (not a test file itself).
import type { LogDensity } from '../../src/core/types.js';

/** Independent Gaussian N(mu, diag(sd²)). */
export function diagonalGaussian(mu: number[], sd: number[]): LogDensity {
  const d = mu.length;
  return {
    dim: d,
    logDensityGrad(x, g) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const r = (x[i] - mu[i]) / sd[i];
        s -= 0.5 * r * r;
        g[i] = -r / sd[i];
      }
      return s;
    },
  };
}

/** Correlated Gaussian N(mu, cov) given its precision matrix (row-major). */
export function correlatedGaussian(mu: number[], precision: number[]): LogDensity {
  const d = mu.length;
  const r = new Float64Array(d);
  return {
    dim: d,
    logDensityGrad(x, g) {
      for (let i = 0; i < d; i++) r[i] = x[i] - mu[i];
      let s = 0;
      for (let i = 0; i < d; i++) {
        let gi = 0;
        for (let j = 0; j < d; j++) gi -= precision[i * d + j] * r[j];
        g[i] = gi;
        s += 0.5 * r[i] * gi;
      }
      return s;
    },
  };
}

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan (row-major). */
export function invert(a: number[], d: number): number[] {
  const m = a.slice();
  const inv = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
  for (let c = 0; c < d; c++) {
    const p = m[c * d + c];
    for (let j = 0; j < d; j++) {
      m[c * d + j] /= p;
      inv[c * d + j] /= p;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r * d + c];
      for (let j = 0; j < d; j++) {
        m[r * d + j] -= f * m[c * d + j];
        inv[r * d + j] -= f * inv[c * d + j];
      }
    }
  }
  return inv;
}
