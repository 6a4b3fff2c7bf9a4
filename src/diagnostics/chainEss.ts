// Effective sample size of draws already laid out as chains (split or not): autocovariances combined across chains and truncated by Geyer's initial sequences.
import { autocovarianceDirect, autocovarianceFft } from './autocovariance.js';
import { degeneracy, meanOf, variance } from './draws.js';
import { scratchFloat64 } from './scratch.js';

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
  // scratch slot: ess.in
  const flat = scratchFloat64('ess.in', nChains * n);
  for (let c = 0; c < nChains; c++) flat.set(chains[c].subarray(0, n), c * n);
  return essOfFlat(flat, nChains, n);
}

/**
 * `essOfChains` of chains laid end to end: chain c is `x[c·n … (c + 1)·n − 1]`.
 *
 * Only the lags that Geyer's truncation reaches are needed, usually a handful; they are summed
 * directly, a few at a time, until the truncation point is found or the direct sums would cost
 * more than the FFT, which then supplies every lag.
 *
 * @param x - the chains
 * @param nChains - number of chains
 * @param n - length of each chain
 * @returns the effective sample size, or NaN
 */
export function essOfFlat(x: Float64Array, nChains: number, n: number): number {
  if (nChains === 0 || n < 3 || degeneracy(x, nChains * n) !== 0) return NaN;
  const len = nChains * n;
  // scratch slots: ess.centered, ess.acov, ess.rho
  const centered = scratchFloat64('ess.centered', len);
  const chainMeans = new Float64Array(nChains);
  for (let c = 0; c < nChains; c++) {
    const off = c * n;
    const mu = meanOf(x, off, n);
    chainMeans[c] = mu;
    for (let i = off; i < off + n; i++) centered[i] = x[i] - mu;
  }
  const acov = scratchFloat64('ess.acov', n);
  const rho = scratchFloat64('ess.rho', n);
  const betweenVar = nChains > 1 ? variance(chainMeans) : 0;
  // Direct sums of lag t cost about C·n multiply-adds each; beyond `directMax` lags the FFT is cheaper.
  const directMax = Math.min(n, directLagLimit(n));
  let have = 0;
  const ensure = (upTo: number): boolean => {
    if (upTo < have) return true;
    if (upTo >= directMax) return false;
    const to = Math.min(directMax, Math.max(upTo + 1, 2 * have));
    autocovarianceDirect(centered, nChains, n, have, to, acov);
    have = to;
    return true;
  };
  let tau = geyerTau(acov, rho, n, nChains, betweenVar, ensure);
  if (tau === undefined) {
    autocovarianceFft(centered, nChains, n, acov);
    tau = geyerTau(acov, rho, n, nChains, betweenVar, () => true) as number;
  }
  return (nChains * n) / tau;
}

/**
 * The number of leading lags worth summing directly before switching to the FFT: direct sums
 * cost about n·C per lag against roughly 12·m·log2(m)·(C/2 + 1) / C... for the FFT route with
 * m = 2^⌈log2 2n⌉; measured on Node 20, direct sums win up to about 2.5·log2(m) lags.
 */
function directLagLimit(n: number): number {
  let m = 1;
  let bits = 0;
  while (m < 2 * n) {
    m <<= 1;
    bits++;
  }
  return Math.max(4, Math.ceil(2.5 * bits));
}

/**
 * The integrated autocorrelation time τ of `essOfChains` from the mean autocovariances (Geyer's
 * initial positive and monotone sequences, improved estimate, capped below at 1/log10(S)), or
 * undefined when `ensure(t)` reports that lag t is not available.
 */
function geyerTau(
  acov: Float64Array,
  rho: Float64Array,
  n: number,
  nChains: number,
  betweenVar: number,
  ensure: (t: number) => boolean,
): number | undefined {
  if (!ensure(1)) return undefined;
  const meanVar = (acov[0] * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (nChains > 1) varPlus += betweenVar;

  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acov[1]) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    if (!ensure(t + 1)) return undefined;
    rhoEven = 1 - (meanVar - acov[t]) / varPlus;
    rhoOdd = 1 - (meanVar - acov[t + 1]) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    } else {
      rho[t] = 0;
      rho[t + 1] = 0;
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
  return tau;
}
