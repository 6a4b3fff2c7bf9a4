// Monte Carlo standard error of one observation's PSIS-LOO elpd, as R loo 2.5.1's mcse_elpd (normal approximation pushed through the log by Blom's normal scores).
import { normalQuantile } from '../../math/stdlib.js';
import { log1pInto } from '../../core/libm/index.js';
import { scratchFloat64 } from '../../diagnostics/scratch.js';

/** Number of normal scores loo uses (`n_samples = 1000`). */
const SCORE_COUNT = 1000;
/** Blom's (1958) offset of the approximate expected normal order statistics. */
const BLOM_OFFSET = 3 / 8;

let scores: Float64Array | undefined;

/** Blom's approximate expected order statistics of 1000 standard normals, qnorm((r − 3/8)/(n + 1/4)), ascending. */
export function blomScores(): Float64Array {
  if (!scores) {
    scores = new Float64Array(SCORE_COUNT);
    for (let r = 1; r <= SCORE_COUNT; r++) {
      scores[r - 1] = normalQuantile((r - BLOM_OFFSET) / (SCORE_COUNT - 2 * BLOM_OFFSET + 1), 0, 1);
    }
  }
  return scores;
}

/**
 * MCSE of elpd_loo_i = log E with E = Σ_s w_s p(y_i | θ_s): the variance of the importance-sampling
 * estimate of E, Σ_s w_s² (p(y_i | θ_s) − E)², defines a normal approximation of it; its variance
 * on the log scale is that of log z over z = E + sd·(Blom's normal scores), z > 0 (R's
 * `var(log(z[z > 0]))`); the MCSE is √(Var / r_eff). Everything is computed relative to E
 * (log z − log E = log1p((sd/E)·score)), the same numbers, which cannot overflow; the likelihoods
 * may carry any common factor (LOO passes exp(ll_s − max ll), the exponentials it has already).
 *
 * @param lik - p(y_i | θ_s)/c over the S draws, for any constant c > 0
 * @param weights - normalised PSIS weights w_s of the same draws (Σ w_s = 1)
 * @param mean - E/c = Σ_s w_s·lik_s
 * @param rEff - relative efficiency of the draws
 * @returns the MCSE of elpd_loo_i (NaN if `mean` is not positive)
 *
 * References: R package loo 2.5.1, `mcse_elpd` (R/loo.R); Blom, G. (1958), Statistical estimates
 * and transformed beta-variables, Wiley.
 */
export function mcseElpd(lik: Float64Array, weights: Float64Array, mean: number, rEff: number): number {
  let varAbs = 0;
  for (let s = 0; s < lik.length; s++) {
    const t = weights[s] * (lik[s] - mean); // w_s·(p_s − E), squared: R's w2 * (lik - E_epd)^2
    varAbs += t * t;
  }
  return mcseElpdOfRelativeSd(Math.sqrt(varAbs) / mean, rEff);
}

/**
 * The last step of {@link mcseElpd}: the MCSE of elpd_loo_i from the relative standard deviation
 * sd/E of the importance-sampling estimate E of p(y_i | y_−i).
 *
 * @param sdRel - sd/E ≥ 0
 * @param rEff - relative efficiency of the draws
 * @returns √(var(log1p(sdRel·z) over Blom's scores z with sdRel·z > −1) / rEff), NaN for a non-finite or negative sdRel
 */
export function mcseElpdOfRelativeSd(sdRel: number, rEff: number): number {
  if (!(sdRel >= 0 && sdRel < Infinity)) return NaN;
  const z = blomScores();
  // z > 0 ⇔ sdRel·score > −1: the scores ascend, so the ones kept are a suffix, found by bisection.
  let lo = 0;
  let hi = z.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sdRel * z[mid] > -1) hi = mid;
    else lo = mid + 1;
  }
  const n = z.length - lo;
  const v = log1pInto(scratchFloat64('mcse.logScores', n), sdRel, z.subarray(lo)); // log(z/E) of the kept z
  let sum = 0;
  for (let r = 0; r < n; r++) sum += v[r];
  // R's var(): the mean, then the sum of squared deviations from it.
  const m = sum / n;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += (v[r] - m) * (v[r] - m);
  return Math.sqrt(ss / (n - 1) / rEff);
}
