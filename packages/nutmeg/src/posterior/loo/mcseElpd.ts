// Monte Carlo standard error of one observation's PSIS-LOO elpd, as R loo 2.5.1's mcse_elpd (normal approximation pushed through the log by Blom's normal scores).
import { normalQuantile } from '../../math/stdlib.js';
import { expInto, log1p, expm1 } from '../../core/libm/index.js';
import { scratchFloat64 } from '../../diagnostics/scratch.js';

/** Number of normal scores loo uses (`n_samples = 1000`). */
const SCORE_COUNT = 1000;
/** Blom's (1958) offset of the approximate expected normal order statistics. */
const BLOM_OFFSET = 3 / 8;

let scores: Float64Array | undefined;

/** Blom's approximate expected order statistics of 1000 standard normals, qnorm((r − 3/8)/(n + 1/4)). */
function blomScores(): Float64Array {
  if (!scores) {
    scores = new Float64Array(SCORE_COUNT);
    for (let r = 1; r <= SCORE_COUNT; r++) {
      scores[r - 1] = normalQuantile((r - BLOM_OFFSET) / (SCORE_COUNT - 2 * BLOM_OFFSET + 1), 0, 1);
    }
  }
  return scores;
}

/**
 * MCSE of elpd_loo_i = log Σ_s w_s p(y_i | θ_s): the variance of the importance-sampling estimate
 * of p(y_i | y_−i), Σ_s w_s² (p(y_i | θ_s) − E)², defines a normal approximation of it; its
 * variance on the log scale is that of log z over z = E + sd·(Blom's normal scores), z > 0; the
 * MCSE is √(Var / r_eff). Computed relative to E (log z − log E = log(1 + (sd/E)·score)), which is
 * the same number and cannot overflow.
 *
 * @param logLik - log p(y_i | θ_s) over the S draws
 * @param logWeights - normalised PSIS log weights of the same draws
 * @param elpd - elpd_loo_i = log E
 * @param rEff - relative efficiency of the draws
 * @returns the MCSE of elpd_loo_i
 *
 * References: R package loo 2.5.1, `mcse_elpd` (R/loo.R); Blom, G. (1958), Statistical estimates
 * and transformed beta-variables, Wiley.
 */
export function mcseElpd(logLik: Float64Array, logWeights: Float64Array, elpd: number, rEff: number): number {
  const wSq = expInto(scratchFloat64('mcse.weightsSquared', logWeights.length), logWeights, 2, 0); // exp(2·lw_s) = w_s²
  let varRel = 0;
  for (let s = 0; s < logLik.length; s++) {
    varRel += wSq[s] * expm1(logLik[s] - elpd) ** 2;
  }
  const sdRel = Math.sqrt(varRel);
  const z = blomScores();
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let r = 0; r < z.length; r++) {
    const u = sdRel * z[r];
    if (!(u > -1)) continue; // z ≤ 0: no log
    const v = log1p(u);
    n++;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  return Math.sqrt(m2 / (n - 1) / rEff);
}
