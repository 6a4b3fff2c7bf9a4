// Finite-difference helpers for the engine tests: gradient checks of compiled models, numeric Jacobians.
//
// Central differences. For a coordinate i with step h, D = (f(θ + h e_i) − f(θ − h e_i)) / (2h)
// differs from ∂f/∂θ_i by
//   truncation  h² |f'''| / 6                (Taylor expansion to third order), and
//   rounding    ≈ ε S / h                    (ε = 2.2e-16; S = the magnitude of the floating-point
//                                             sums that make up f, each evaluation off by ~ε S).
// With h = 1e-6·max(1, |θ_i|): truncation ≈ 1e-12·|f'''| (negligible for the smooth, O(1)-scaled
// test functions), rounding ≈ 2.2e-10·S. The tolerance is therefore
//   |grad_i − D| ≤ 1e-6·|D| + 1e-8·S,
// a relative part for the (tiny) truncation error and an absolute floor 45× above the rounding
// estimate. S is bounded by 1 + Σ_v |log density term of v| (logDensityByVariable), which also
// covers cancellation between a variable's prior and its likelihood. The step is made exactly
// representable (h = (θ + h) − θ) so that the divisor is the step actually taken.
import assert from 'node:assert/strict';
import type { CompiledModel } from '../../src/index.js';

/** Relative step of the central differences. */
export const FD_STEP = 1e-6;
/** Relative tolerance on each gradient component. */
export const FD_RTOL = 1e-6;
/** Absolute floor, in units of the magnitude S of the log density's terms. */
export const FD_ATOL = 1e-8;

/** Central difference of `f` along coordinate `i` at `x` (step relative to |x_i|). */
export function centralDiff(f: (x: Float64Array) => number, x: Float64Array, i: number, rel = FD_STEP): number {
  const xi = x[i];
  const h0 = rel * Math.max(1, Math.abs(xi));
  const up = xi + h0;
  const down = xi - h0;
  const xp = x.slice();
  const xm = x.slice();
  xp[i] = up;
  xm[i] = down;
  return (f(xp) - f(xm)) / (up - down);
}

/** Numeric Jacobian J[r][c] = ∂f_r/∂x_c of a vector map by central differences. */
export function numericJacobian(f: (x: Float64Array) => Float64Array, x: Float64Array, rel = FD_STEP): number[][] {
  const m = f(x).length;
  const J: number[][] = Array.from({ length: m }, () => new Array<number>(x.length).fill(0));
  for (let c = 0; c < x.length; c++) {
    const xc = x[c];
    const h0 = rel * Math.max(1, Math.abs(xc));
    const xp = x.slice();
    const xm = x.slice();
    xp[c] = xc + h0;
    xm[c] = xc - h0;
    const fp = f(xp);
    const fm = f(xm);
    for (let r = 0; r < m; r++) J[r][c] = (fp[r] - fm[r]) / (xp[c] - xm[c]);
  }
  return J;
}

/** log |det A| of a small square matrix by Gaussian elimination with partial pivoting. */
export function logAbsDet(A: readonly (readonly number[])[]): number {
  const n = A.length;
  const M = A.map((r) => [...r]);
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let r = k + 1; r < n; r++) if (Math.abs(M[r][k]) > Math.abs(M[p][k])) p = r;
    [M[k], M[p]] = [M[p], M[k]];
    const piv = M[k][k];
    if (piv === 0) return -Infinity;
    s += Math.log(Math.abs(piv));
    for (let r = k + 1; r < n; r++) {
      const f = M[r][k] / piv;
      for (let c = k; c < n; c++) M[r][c] -= f * M[k][c];
    }
  }
  return s;
}

/**
 * Checks a compiled model's gradient at `theta` against central differences of its log density
 * (see the tolerance derivation at the top of this file). Also checks that `logDensityGrad` and
 * `logDensity` agree on the value and that the gradient buffer is fully overwritten.
 * @returns the log density at `theta`.
 */
export function checkGradient(cm: CompiledModel, theta: Float64Array, what: string): number {
  const g = new Float64Array(cm.dim).fill(Number.NaN);
  const f = cm.logDensityGrad(theta, g);
  assert.ok(Number.isFinite(f), `${what}: log density ${f} at [${Array.from(theta).join(', ')}]`);
  const fv = cm.logDensity!(theta);
  assert.ok(Math.abs(fv - f) <= 1e-13 * Math.max(1, Math.abs(f)), `${what}: logDensity ${fv} ≠ logDensityGrad ${f}`);
  const terms = cm.logDensityByVariable(theta);
  const S = 1 + Object.values(terms).reduce((s, v) => s + Math.abs(v), 0);
  const fn = (x: Float64Array): number => cm.logDensity!(x);
  for (let i = 0; i < cm.dim; i++) {
    const d = centralDiff(fn, theta, i);
    const tol = FD_RTOL * Math.abs(d) + FD_ATOL * S;
    assert.ok(
      Math.abs(g[i] - d) <= tol,
      `${what}: d logp / d theta[${i}] = ${g[i]}, finite difference ${d} (diff ${g[i] - d}, tol ${tol.toExponential(2)}) at theta = [${Array.from(theta).join(', ')}]`,
    );
  }
  return f;
}
