// Effective sample size: basic, bulk, tail, quantile, mean and sd ESS, computed as R posterior 1.4 computes them.
import { OptionError } from '../core/errors.js';
import { meanAutocovariance } from './autocovariance.js';
import {
  checkDraws,
  type Draws,
  hasNonFinite,
  isConstant,
  asFloat64Chains,
  deviationChains,
  indicatorChains,
  mean,
  pooled,
  quantileSorted,
  sortedPooled,
  splitChains,
  variance,
} from './draws.js';
import { zScale } from './rankNormalize.js';

/** Options of the basic diagnostics. */
export interface SplitOptions {
  /** Split each chain in halves first (default true), as split-R̂ and split-ESS do. */
  split?: boolean;
}

/**
 * The effective sample size of draws already laid out as chains (split or not): R posterior's
 * internal `.ess`. Autocorrelations are estimated by FFT and combined across chains with the
 * between-chain variance (Vehtari et al. 2021, eq. 10); the sum is truncated by Geyer's initial
 * positive sequence, made monotone (Geyer's initial monotone sequence), and the last positive even
 * autocorrelation is added (the "improved" estimate, less variable for antithetic chains).
 *
 * Conventions kept from posterior: NaN when a chain has fewer than 3 draws or any draw is
 * non-finite or all draws are equal; the ESS is capped at S·log10(S) for S total draws; with
 * fewer than 6 draws per chain no lag is summed and the ESS is S/2 (R's `1:0` index quirk).
 *
 * @param chains - chains of equal length
 * @returns the effective sample size, or NaN
 *
 * References: Geyer (1992), Practical Markov chain Monte Carlo, Statistical Science 7(4);
 * Vehtari et al. (2021), Bayesian Analysis 16(2); Stan Reference Manual, "Effective sample size".
 */
export function essOfChains(chains: readonly Float64Array[]): number {
  const nChains = chains.length;
  if (nChains === 0) return NaN;
  const n = chains[0].length;
  if (n < 3 || hasNonFinite(chains) || isConstant(chains)) return NaN;
  const chainMeans = new Float64Array(nChains);
  for (let c = 0; c < nChains; c++) chainMeans[c] = mean(chains[c]);
  const acov = meanAutocovariance(chains, chainMeans);
  const meanVar = (acov[0] * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (nChains > 1) varPlus += variance(chainMeans);

  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acov[1]) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acov[t]) / varPlus;
    rhoOdd = 1 - (meanVar - acov[t + 1]) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;

  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const total = nChains * n;
  // posterior sums rho_hat_t[1:max_t] in R: for max_t = 0 that is the single term rho[0].
  let sum = 0;
  if (maxT === 0) sum = rho[0];
  else for (let i = 0; i < maxT; i++) sum += rho[i];
  let tau = -1 + 2 * sum + rho[maxT];
  const tauBound = 1 / Math.log10(total);
  if (tau < tauBound) tau = tauBound;
  return total / tau;
}

/**
 * Basic (split) effective sample size of the mean, without rank normalisation.
 *
 * @param draws - `draws[chain][draw]`
 * @param opts - `split` (default true)
 * @returns ESS, or NaN for degenerate input (non-finite or constant draws, chains under 3 draws after splitting)
 * @throws OptionError when chains have unequal lengths
 * @example
 * essBasic([[0.1, -0.3, 0.5, 1.2, -0.7, 0.4, 0.0, -1.1]]); // 4 (split halves of 4 draws: too short for lags, S/2)
 *
 * References: Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., §11.5; Vehtari et al. (2021).
 */
export function essBasic(draws: Draws, opts: SplitOptions = {}): number {
  const { nChains } = checkDraws(draws, 'essBasic');
  if (nChains === 0) return NaN;
  const chains = opts.split === false ? draws.map((c) => Float64Array.from(c)) : splitChains(draws);
  return essOfChains(chains);
}

/**
 * Effective sample size for the mean (split chains), the ESS that `mcseMean` uses. Equal to
 * `essBasic(draws)`.
 *
 * @param draws - `draws[chain][draw]`
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths
 */
export function essMean(draws: Draws): number {
  checkDraws(draws, 'essMean');
  return draws.length === 0 ? NaN : essOfChains(splitChains(draws));
}

/**
 * Bulk effective sample size: the split ESS of the rank-normalised draws; it measures how well
 * the centre of the distribution is explored and is defined even for heavy-tailed draws.
 *
 * @param draws - `draws[chain][draw]`
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths
 * @example
 * essBulk(drawsOfMu); // e.g. 3820.6
 *
 * References: Vehtari et al. (2021), §4.
 */
export function essBulk(draws: Draws): number {
  checkDraws(draws, 'essBulk');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  return essOfChains(zScale(splitChains(draws)));
}

/**
 * Effective sample size of the quantile estimate at probability `prob`: the split ESS of the
 * indicator `x ≤ q̂(prob)` (q̂ the pooled type-7 quantile). For prob = 1, posterior uses
 * (S − 0.5)/S instead.
 *
 * @param draws - `draws[chain][draw]`
 * @param prob - probability in [0, 1]
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths or prob is outside [0, 1]
 */
export function essQuantile(draws: Draws, prob: number): number {
  checkDraws(draws, 'essQuantile');
  checkProb(prob, 'essQuantile');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  return essQuantileSorted(draws, sortedPooled(draws), prob);
}

/** essQuantile with the sorted pooled draws already at hand (finite, non-constant draws). */
export function essQuantileSorted(draws: Draws, sorted: Float64Array, prob: number): number {
  let p = prob;
  if (p === 1) p = (sorted.length - 0.5) / sorted.length;
  const q = quantileSorted(sorted, p);
  return essOfChains(splitChains(indicatorChains(asFloat64Chains(draws), q)));
}

/**
 * Tail effective sample size: the smaller of the quantile ESS at 5% and 95%; it measures how
 * well the tails are explored (what intervals rely on).
 *
 * @param draws - `draws[chain][draw]`
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths
 *
 * References: Vehtari et al. (2021), §4.3.
 */
export function essTail(draws: Draws): number {
  checkDraws(draws, 'essTail');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const sorted = sortedPooled(draws);
  return Math.min(essQuantileSorted(draws, sorted, 0.05), essQuantileSorted(draws, sorted, 0.95));
}

/**
 * Effective sample size of the median estimate (`essQuantile(draws, 0.5)`).
 *
 * @param draws - `draws[chain][draw]`
 */
export function essMedian(draws: Draws): number {
  return essQuantile(draws, 0.5);
}

/**
 * Effective sample size of the standard-deviation estimate: the split ESS of the absolute
 * deviations from the mean, `|x − x̄|` (posterior 1.4's `ess_sd`).
 *
 * @param draws - `draws[chain][draw]`
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths
 */
export function essSd(draws: Draws): number {
  checkDraws(draws, 'essSd');
  if (draws.length === 0 || hasNonFinite(draws)) return NaN;
  const m = mean(pooled(draws));
  return essOfChains(splitChains(deviationChains(asFloat64Chains(draws), m, 1)));
}

/** Throws unless `prob` lies in [0, 1]. */
export function checkProb(prob: number, fn: string): void {
  if (typeof prob !== 'number' || !(prob >= 0 && prob <= 1)) {
    throw new OptionError(`${fn}: prob`, `must be a number in [0, 1], got ${String(prob)}`);
  }
}
