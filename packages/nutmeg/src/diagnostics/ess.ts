// Effective sample size: basic, bulk, tail, quantile, mean and sd ESS, computed as R posterior 1.4 computes them.
import { OptionError } from '../core/errors.js';
import { essOfFlat, essOfIndicator } from './chainEss.js';
import { bulkEss, quantileEss, splitPool, tailEss } from './convergence.js';
import { checkDraws, type Draws, hasNonFinite, isConstant, mean, pooled, quantileSorted, splitInto } from './draws.js';
import { scratchFloat64 } from './scratch.js';

export { essOfChains } from './chainEss.js';

/** Options of the basic diagnostics. */
export interface SplitOptions {
  /** Split each chain in halves first (default true), as split-R̂ and split-ESS do. */
  split?: boolean;
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
  if (opts.split === false) {
    const n = draws[0].length;
    // scratch slot: ess.whole
    const x = scratchFloat64('ess.whole', nChains * n);
    for (let c = 0; c < nChains; c++) for (let i = 0; i < n; i++) x[c * n + i] = draws[c][i];
    return essOfFlat(x, nChains, n);
  }
  return splitEss(draws, (v) => v);
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
  return draws.length === 0 ? NaN : splitEss(draws, (v) => v);
}

/**
 * Bulk effective sample size: the split ESS of the rank-normalised draws; it measures how well
 * the centre of the distribution is explored and is defined even for heavy-tailed draws.
 *
 * @param draws - `draws[chain][draw]`
 * @returns ESS or NaN
 * @throws OptionError when chains have unequal lengths
 * @example
 * declare const drawsOfMu: Float64Array[]; // drawsOfMu[chain][draw]
 * essBulk(drawsOfMu); // e.g. 3820.6
 *
 * References: Vehtari et al. (2021), §4.
 */
export function essBulk(draws: Draws): number {
  checkDraws(draws, 'essBulk');
  if (draws.length === 0 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const pool = splitPool(draws);
  // scratch slot: ess.bulk
  return bulkEss(pool, scratchFloat64('ess.bulk', pool.nChains * pool.len));
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
  if (draws[0].length === 0) return NaN;
  return quantileEss(splitPool(draws), prob);
}

/** essQuantile with the sorted pooled draws already at hand (finite, non-constant draws). */
export function essQuantileSorted(draws: Draws, sorted: Float64Array, prob: number): number {
  let p = prob;
  if (p === 1) p = (sorted.length - 0.5) / sorted.length;
  const q = quantileSorted(sorted, p);
  // scratch slot: ess.quantile
  const x = scratchFloat64('ess.quantile', draws.length * draws[0].length);
  const { nChains, len } = splitInto(draws, x);
  return essOfIndicator(x, nChains, len, q);
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
  if (draws[0].length === 0) return NaN;
  return tailEss(splitPool(draws));
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
  return splitEss(draws, (v) => Math.abs(v - m));
}

/**
 * The ESS of `f(x)` over the split chains of `draws` (`essOfChains(splitChains(map(draws, f)))`)
 * without building per-chain arrays.
 *
 * @param draws - `draws[chain][draw]`, at least one chain
 * @param f - the function of each draw
 */
export function splitEss(draws: Draws, f: (v: number) => number): number {
  // scratch slot: ess.split
  const x = scratchFloat64('ess.split', draws.length * draws[0].length);
  const { nChains, len } = splitInto(draws, x);
  const s = nChains * len;
  for (let i = 0; i < s; i++) x[i] = f(x[i]);
  return essOfFlat(x, nChains, len);
}

/** Throws unless `prob` lies in [0, 1]. */
export function checkProb(prob: number, fn: string): void {
  if (typeof prob !== 'number' || !(prob >= 0 && prob <= 1)) {
    throw new OptionError(`${fn}: prob`, `must be a number in [0, 1], got ${String(prob)}`);
  }
}
