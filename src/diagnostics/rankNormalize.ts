// Rank normalisation (z-scale) and folding of draws, the transforms behind rank-normalised R-hat and bulk/tail ESS.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { averageRanks, type Draws, mapDraws, medianSorted, sortedPooled } from './draws.js';

/**
 * Rank-normalises draws: each draw is replaced by its rank r among all S pooled draws (ties get
 * their average rank, which keeps discrete quantities discrete), then by the normal quantile
 * `Φ⁻¹((r − 3/8) / (S + 1/4))` (Blom's offset c = 3/8). This is R posterior's `z_scale`.
 *
 * @param draws - `draws[chain][draw]`, finite values
 * @returns the normal scores, in the same layout
 * @example
 * zScale([[3, 1, 2]]); // [[0.8193…, -0.8193…, 0]]
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2);
 * Blom (1958), Statistical Estimates and Transformed Beta-Variables.
 */
export function zScale(draws: Draws): Float64Array[] {
  const ranks = averageRanks(draws);
  let s = 0;
  for (const ch of ranks) s += ch.length;
  const c = 3 / 8;
  const denom = s - 2 * c + 1;
  return ranks.map((ch) => {
    const o = new Float64Array(ch.length);
    for (let i = 0; i < ch.length; i++) o[i] = normalQuantile((ch[i] - c) / denom, 0, 1);
    return o;
  });
}

/**
 * Folds draws around their pooled median, `|x − median(x)|` (R posterior's `fold_draws`); the
 * folded draws' R-hat detects chains that differ in scale rather than location.
 *
 * @param draws - `draws[chain][draw]`, finite values
 */
export function foldDraws(draws: Draws): Float64Array[] {
  const med = medianSorted(sortedPooled(draws));
  return mapDraws(draws, (v) => Math.abs(v - med));
}
