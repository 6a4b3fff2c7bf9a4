// Effective sample size of draws already laid out as chains (split or not): autocovariances combined across chains and truncated by Geyer's initial sequences.
import { autocovarianceDirect, autocovarianceFft } from './autocovariance.js';
import { degeneracy, meanOf, variance } from './draws.js';
import { scratchFloat64, scratchUint32, scratchUint8 } from './scratch.js';
import { log } from '../core/libm/index.js';

/**
 * The effective sample size of draws already laid out as chains (split or not): R posterior's
 * internal `.ess`. Autocorrelations (by direct sums for the first lags, by FFT when more are
 * needed; see `essOfFlat`) are combined across chains with the between-chain variance
 * (Vehtari et al. 2021, eq. 10); the sum is truncated by Geyer's initial
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
  for (let c = 0; c < nChains; c++) {
    const ch = chains[c];
    for (let i = 0; i < n; i++) flat[c * n + i] = ch[i];
  }
  return essOfFlat(flat, nChains, n);
}

/**
 * `essOfChains` of chains laid end to end: chain c is `x[c·n … (c + 1)·n − 1]`.
 *
 * Only the lags that Geyer's truncation reaches are needed, usually a handful; they are summed
 * directly, four at a time, until the truncation point is found, or until the direct sums would
 * cost more than the FFT or the autocorrelation decays too slowly to get there soon (`slowDecay`);
 * the FFT then supplies every lag. Both give the same autocovariances up to rounding (the direct
 * sums are the more accurate), so the ESS agrees with R posterior's FFT-based one to ~1e-14.
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
  const directMax = Math.min(n, directLagLimit(nChains, n));
  let have = 0;
  const ensure = (upTo: number): boolean => {
    if (upTo < have) return true;
    if (upTo >= directMax || (have > 0 && slowDecay(acov, have, nChains * n, directMax))) return false;
    const to = Math.min(directMax, (upTo + 4) & ~3); // whole blocks of four lags (one pass each)
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
 * The number of leading lags worth summing directly before switching to the FFT, for C chains
 * of n draws. A lag costs C·n multiply-adds; the FFT route costs C/2 + 1 transforms of size
 * m = 2^⌈log2 2n⌉. Measured on Node 20, one lag costs as much as the FFT route does divided by
 * about 4·((C/2 + 1)/C)·(m/n)·log2(m) (52 lags for 8 chains of 500). Direct sums stop at half that,
 * so a chain that needs the FFT after all costs at most about 1.5 FFT routes.
 */
function directLagLimit(nChains: number, n: number): number {
  let m = 1;
  let bits = 0;
  while (m < 2 * n) {
    m <<= 1;
    bits++;
  }
  return Math.max(4, Math.ceil((2 * (nChains / 2 + 1) * m * bits) / (nChains * n)));
}

/**
 * Whether the autocorrelation seen so far decays too slowly for the direct sums to reach Geyer's
 * truncation within `limit` lags: extrapolating ρ_L = acov[L]/acov[0] at the last computed lag L
 * geometrically, ρ falls to the noise level 1/√S only after L·ln(1/√S)/ln(ρ_L) lags. A guess
 * that only chooses between two ways of computing the same lags, so it can save the wasted direct
 * sums of slowly mixing chains without changing any result beyond rounding.
 */
function slowDecay(acov: Float64Array, have: number, total: number, limit: number): boolean {
  const last = have - 1;
  const r = acov[last] / acov[0];
  if (!(r > 0 && r < 1)) return false;
  return (last * log(1 / Math.sqrt(total))) / log(r) > limit;
}

/**
 * The ESS of the indicator `x ≤ q` of chains laid end to end (chain c is `x[c·n …]`), equal to
 * `essOfFlat` of the 0/1 values up to rounding, computed from the positions of the rarer of the
 * two values: with p the share of 1s in a chain and P the positions of its 1s,
 * `Σ_{i<n−t} (I_i − p)(I_{i+t} − p) = #{i ∈ P: i + t ∈ P} − p·(#{i ∈ P: i < n − t} + #{i ∈ P: i ≥ t}) + (n − t)·p²`,
 * so a lag costs |P| look-ups rather than n multiply-adds (twenty times fewer for the 5% and 95%
 * quantiles of the tail ESS). Swapping 0s and 1s negates every centred value and leaves the
 * products unchanged.
 *
 * @param x - the chains
 * @param nChains - number of chains
 * @param n - length of each chain
 * @param q - the threshold
 * @returns the effective sample size, or NaN (fewer than 3 draws per chain, or a constant indicator)
 */
export function essOfIndicator(x: Float64Array, nChains: number, n: number, q: number): number {
  if (nChains === 0 || n < 3) return NaN;
  const len = nChains * n;
  // scratch slots: ind.pos, ind.flag (ess.acov and ess.rho are shared with essOfFlat, never active together)
  const flag = scratchUint8('ind.flag', len); // the indicator x ≤ q
  const chainMeans = new Float64Array(nChains); // the mean of the indicator
  let total = 0;
  for (let c = 0; c < nChains; c++) {
    const off = c * n;
    let ones = 0;
    for (let i = off; i < off + n; i++) {
      const f = x[i] <= q ? 1 : 0;
      flag[i] = f;
      ones += f;
    }
    chainMeans[c] = ones / n;
    total += ones;
  }
  if (total === 0 || total === len) return NaN;
  const listOnes = 2 * total <= len; // list the positions of the rarer value
  const want = listOnes ? 1 : 0;
  const pos = scratchUint32('ind.pos', listOnes ? total : len - total);
  const start = new Uint32Array(nChains + 1);
  const listedMeans = new Float64Array(nChains); // the mean of the listed value's indicator
  let w = 0;
  for (let c = 0; c < nChains; c++) {
    const off = c * n;
    start[c] = w;
    for (let i = 0; i < n; i++) if (flag[off + i] === want) pos[w++] = i;
    listedMeans[c] = (w - start[c]) / n;
  }
  start[nChains] = w;
  const acov = scratchFloat64('ess.acov', n);
  const rho = scratchFloat64('ess.rho', n);
  const betweenVar = nChains > 1 ? variance(chainMeans) : 0;
  const scale = 1 / (n * nChains);
  // A lag costs about w look-ups here against C·n multiply-adds for a direct sum: scale the limit.
  const sparseMax = Math.min(n, Math.ceil((directLagLimit(nChains, n) * len) / Math.max(w, 1)));
  let have = 0;
  const ensure = (upTo: number): boolean => {
    if (upTo < have) return true;
    if (upTo >= sparseMax || (have > 0 && slowDecay(acov, have, len, sparseMax))) return false;
    const to = Math.min(sparseMax, (upTo + 4) & ~3);
    for (let t = have; t < to; t++) {
      let sum = 0;
      for (let c = 0; c < nChains; c++) {
        const off = c * n;
        let onesAhead = 0; // 1s of the indicator at i + t, over listed i < n − t
        let before = 0; // listed positions i < n − t
        let after = 0; // listed positions i ≥ t
        for (let j = start[c]; j < start[c + 1]; j++) {
          const i = pos[j];
          if (i < n - t) {
            before++;
            onesAhead += flag[off + i + t];
          }
          if (i >= t) after++;
        }
        const pairs = listOnes ? onesAhead : before - onesAhead; // listed values at both i and i + t
        const p = listedMeans[c];
        sum += pairs - p * (before + after) + (n - t) * p * p;
      }
      acov[t] = sum * scale;
    }
    have = to;
    return true;
  };
  let tau = geyerTau(acov, rho, n, nChains, betweenVar, ensure);
  if (tau === undefined) {
    // scratch slot: ind.centered
    const centered = scratchFloat64('ind.centered', len);
    for (let c = 0; c < nChains; c++) {
      const off = c * n;
      for (let i = off; i < off + n; i++) centered[i] = (x[i] <= q ? 1 : 0) - chainMeans[c];
    }
    autocovarianceFft(centered, nChains, n, acov);
    tau = geyerTau(acov, rho, n, nChains, betweenVar, () => true) as number;
  }
  return len / tau;
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
