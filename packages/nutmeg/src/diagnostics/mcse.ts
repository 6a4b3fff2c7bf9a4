// Monte Carlo standard errors of the mean, the standard deviation and quantiles (R posterior 1.4).
import { betaQuantile } from '../math/stdlib.js';
import { checkDraws, type Draws, hasNonFinite, isConstant, mean, pooled, sortedPooled, variance } from './draws.js';
import { checkProb, essQuantileSorted, splitEss } from './ess.js';

/**
 * Monte Carlo standard error of the posterior mean: `sd(x) / sqrt(essMean(x))`.
 *
 * @param draws - `draws[chain][draw]`
 * @returns MCSE, or NaN for degenerate input
 * @throws OptionError when chains have unequal lengths
 * @example
 * declare const draws: Float64Array[]; // draws[chain][draw]
 * mcseMean(draws); // ≈ sd / sqrt(ESS)
 *
 * References: Gelman et al. (2013), BDA3 §10.5; Vehtari et al. (2021).
 */
export function mcseMean(draws: Draws): number {
  checkDraws(draws, 'mcseMean');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const sd = Math.sqrt(variance(pooled(draws)));
  return sd / Math.sqrt(splitEss(draws, (v) => v));
}

/**
 * Monte Carlo standard error of the posterior standard deviation, without assuming normality:
 * the variance of the variance estimate by moments (Kenney & Keeping 1951, p. 141),
 * `(E[(x−x̄)⁴] − E[(x−x̄)²]²) / ESS` with the ESS of `(x − x̄)²`, carried to the sd by a first
 * order Taylor expansion (divide by 4·E[(x−x̄)²]). This is posterior 1.4's `mcse_sd`.
 *
 * @param draws - `draws[chain][draw]`
 * @returns MCSE, or NaN for degenerate input
 * @throws OptionError when chains have unequal lengths
 *
 * References: Kenney & Keeping (1951), Mathematics of Statistics, Part Two, p. 141;
 * Vehtari et al. (2021).
 */
export function mcseSd(draws: Draws): number {
  checkDraws(draws, 'mcseSd');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const flat = pooled(draws);
  const m = mean(flat);
  return mcseSdFromMoments(flat, m, splitEss(draws, (v) => (v - m) * (v - m)));
}

/**
 * The Kenney–Keeping MCSE of the sd from the pooled draws, their mean, and the ESS of the squared
 * deviations: `sqrt((E[d⁴] − E[d²]²) / ESS / E[d²] / 4)` with d = x − mean.
 */
export function mcseSdFromMoments(flat: Float64Array, m: number, essSq: number): number {
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < flat.length; i++) {
    const d2 = (flat[i] - m) * (flat[i] - m);
    m2 += d2;
    m4 += d2 * d2;
  }
  const eVar = m2 / flat.length;
  m4 /= flat.length;
  return Math.sqrt((m4 - eVar * eVar) / essSq / eVar / 4);
}

/** The two probabilities a ±1 sd normal interval leaves below it: Φ(−1), Φ(1) as posterior rounds them. */
const ONE_SIGMA = [0.1586553, 0.8413447] as const;

/**
 * Monte Carlo standard error of the quantile estimate at `prob`: half the distance between the
 * order statistics that bound a central ±1-sd interval of a Beta(ESS·p + 1, ESS·(1 − p) + 1)
 * posterior for the quantile's probability, with the ESS of the quantile (posterior 1.4's
 * `mcse_quantile`).
 *
 * @param draws - `draws[chain][draw]`
 * @param prob - probability in [0, 1]
 * @returns MCSE, or NaN for degenerate input
 * @throws OptionError when chains have unequal lengths or prob is outside [0, 1]
 *
 * References: Vehtari et al. (2021), §4.3 and Appendix.
 */
export function mcseQuantile(draws: Draws, prob: number): number {
  checkDraws(draws, 'mcseQuantile');
  checkProb(prob, 'mcseQuantile');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const sorted = sortedPooled(draws);
  return mcseQuantileSorted(draws, sorted, prob);
}

/** mcseQuantile with the sorted pooled draws at hand (finite, non-constant draws). */
export function mcseQuantileSorted(draws: Draws, sorted: Float64Array, prob: number): number {
  return mcseQuantileFromEss(essQuantileSorted(draws, sorted, prob), sorted, prob);
}

/**
 * mcseQuantile from the quantile's ESS and the sorted pooled draws.
 *
 * @param ess - `essQuantile(draws, prob)`
 * @param sorted - the pooled draws sorted ascending
 * @param prob - probability in [0, 1]
 */
export function mcseQuantileFromEss(ess: number, sorted: Float64Array, prob: number): number {
  if (!Number.isFinite(ess)) return NaN;
  const a = ess * prob + 1;
  const b = ess * (1 - prob) + 1;
  const lo = betaQuantile(ONE_SIGMA[0], a, b);
  const hi = betaQuantile(ONE_SIGMA[1], a, b);
  const s = sorted.length;
  const th1 = sorted[Math.max(Math.floor(lo * s), 1) - 1];
  const th2 = sorted[Math.min(Math.ceil(hi * s), s) - 1];
  return (th2 - th1) / 2;
}

/**
 * Monte Carlo standard error of the median (`mcseQuantile(draws, 0.5)`).
 *
 * @param draws - `draws[chain][draw]`
 */
export function mcseMedian(draws: Draws): number {
  return mcseQuantile(draws, 0.5);
}
