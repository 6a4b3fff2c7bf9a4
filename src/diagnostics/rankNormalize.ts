// Rank normalisation (z-scale) and folding of draws, the transforms behind rank-normalised R-hat and bulk/tail ESS.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { averageRanks, type Draws, mapDraws, medianSorted, sortedPooled } from './draws.js';

/**
 * Rank-normalises draws: each draw is replaced by its rank r among all S pooled draws (ties get
 * their average rank, which keeps discrete quantities discrete), then by the normal quantile
 * `Φ⁻¹((r − 3/8) / (S + 1/4))` (Blom's offset c = 3/8). This is R posterior's `z_scale`.
 *
 * @param draws - `draws[chain][draw]`, finite values
 * @param sorted - the pooled draws sorted ascending, when already at hand
 * @returns the normal scores, in the same layout
 * @example
 * zScale([[3, 1, 2]]); // [Float64Array [0.8694…, -0.8694…, 0]]
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2);
 * Blom (1958), Statistical Estimates and Transformed Beta-Variables.
 */
export function zScale(draws: Draws, sorted?: Float64Array): Float64Array[] {
  const ranks = averageRanks(draws, sorted);
  let s = 0;
  for (const ch of ranks) s += ch.length;
  const table = blomTable(s);
  for (const ch of ranks) {
    for (let i = 0; i < ch.length; i++) {
      // Average ranks are whole or half numbers, so 2r indexes the table exactly.
      const k = Math.round(2 * ch[i]);
      let z = table[k];
      if (Number.isNaN(z)) z = table[k] = normalQuantile((ch[i] - BLOM_C) / (s - 2 * BLOM_C + 1), 0, 1);
      ch[i] = z;
    }
  }
  return ranks;
}

/** Blom's fractional offset c = 3/8. */
const BLOM_C = 3 / 8;

/** Normal scores by doubled rank, filled lazily, for the last few pooled sizes S. */
const blomTables = new Map<number, Float64Array>();

function blomTable(s: number): Float64Array {
  let t = blomTables.get(s);
  if (!t) {
    t = new Float64Array(2 * s + 2).fill(NaN);
    if (blomTables.size >= 8) blomTables.clear();
    blomTables.set(s, t);
  }
  return t;
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
