// Pareto-smoothed importance sampling (loo 2.x's psis()): generalized Pareto fit, smoothed log weights and k-hat; the one PSIS of LOO, ADVI and the radon app.
import { numbersArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import { OptionError } from '../core/errors.js';
import { scratchFloat64, scratchUint32 } from './scratch.js';
import { exp, expInto, log, log1p, log1pSum, log1pSums, expm1 } from '../core/libm/index.js';

/** A fitted generalized Pareto distribution (location 0): shape `k` and scale `sigma`. */
export interface GpdFit {
  /** Shape k (the tail index; larger is heavier). */
  readonly k: number;
  /** Scale sigma > 0. */
  readonly sigma: number;
}

/** Options of {@link psis}. */
export interface PsisOptions {
  /**
   * Relative efficiency of the draws, ESS / S (default 1: independent draws). It sets the tail
   * length M = ⌈min(0.2·S, 3·√(S / rEff))⌉ and scales the reported `nEff`.
   */
  rEff?: number;
  /**
   * Arrays of S values to write the log weights and the weights into (and return), instead of
   * new ones: for PSIS run many times over draws of one size (a LOO by hand over thousands of
   * observations), where two fresh arrays per run keep the garbage collector busy.
   */
  out?: { readonly logWeights: Float64Array; readonly weights: Float64Array };
}

/** Pareto-smoothed importance weights of one set of log ratios, with the Pareto k-hat of their tail. */
export interface PsisResult {
  /** Smoothed log weights, normalised so that Σ exp(logWeights) = 1, in the order of the input. */
  readonly logWeights: Float64Array;
  /**
   * The normalised weights themselves (Σ = 1; R loo's `weights(x, log = FALSE)`): the exponentials
   * PSIS computes anyway, so an estimate needs no exponential of its own. They equal
   * `Math.exp(logWeights[s])` to within about (2 + ln S) ulps, the rounding of log Σ that the log
   * weights carry.
   */
  readonly weights: Float64Array;
  /**
   * Pareto k-hat of the ratios' upper tail. `Infinity` when the tail was not smoothed (fewer than
   * 5 tail draws, all tail ratios equal, or a failed fit), as loo reports it.
   */
  readonly k: number;
  /** Scale of the fitted tail on the ratio scale (NaN when the tail was not smoothed). */
  readonly sigma: number;
  /** Whether the tail was smoothed (false: the weights are the raw ratios, truncated at their maximum). */
  readonly smoothed: boolean;
  /** Tail length M the generalized Pareto was fitted to. */
  readonly tailLength: number;
  /** PSIS effective sample size, rEff / Σ w² (loo's `psis_n_eff`). */
  readonly nEff: number;
}

/** Pareto k-hat of a set of importance ratios, with the tail it was fitted on. */
export interface ParetoKHat {
  /** The estimated shape of the ratios' upper tail (NaN when it cannot be estimated). */
  readonly k: number;
  /** Scale of the fitted tail. */
  readonly sigma: number;
  /** Number of largest ratios the generalized Pareto was fitted to. */
  readonly tailLength: number;
  /** The sample size S the ratios came from. */
  readonly sampleSize: number;
  /** The sample-size dependent threshold above which the ratios are unreliable: min(1 − 1/log10 S, 0.7). */
  readonly threshold: number;
}

/** Weakly informative prior strength of Zhang & Stephens' profile grid (`prior` = 3 in loo and ArviZ). */
const ZS_PRIOR = 3;
/** Minimum number of grid points of the profile likelihood (loo 2.x and ArviZ: `min_grid_pts = 30`). */
const MIN_GRID_POINTS = 30;
/** Pseudo-observations of the Gaussian prior on k centred at 0.5 (Vehtari et al. 2024, appendix; loo's `adjust_k_wip`, a = 10). */
const K_PRIOR_N = 10;
/** Centre of the prior on k. */
const K_PRIOR_CENTRE = 0.5;
/** The fewest tail draws a generalized Pareto is fitted to (loo's `enough_tail_samples`). */
const MIN_TAIL_LENGTH = 5;

/** Mean of log1p(-b·x) over x. */
function meanLog1p(b: number, x: Float64Array): number {
  return log1pSum(-b, x) / x.length;
}

/**
 * Fits a generalized Pareto distribution (location 0) to positive exceedances by Zhang &
 * Stephens' (2009) empirical-Bayes method, as loo's `gpdfit`: the profile likelihood of
 * b = −k/σ is averaged over a grid of `30 + ⌊√n⌋` quantile-based points, and k is then shrunk
 * towards 0.5 with the weakly informative prior of the PSIS paper (`k ← (n·k + 10·0.5)/(n + 10)`).
 * Here k is the tail index (positive for heavy tails), i.e. the negative of Zhang & Stephens' k.
 *
 * @param x - the exceedances, sorted ascending, all ≥ 0, not all equal (length ≥ 1)
 * @param regularise - apply the prior on k (default true)
 * @returns the shape k and scale σ (NaN for a degenerate sample, e.g. a first quartile of 0)
 * @example
 * ```ts
 * // Exceedances of a standard exponential: k ≈ 0, σ ≈ 1.
 * const x = Float64Array.from({ length: 1000 }, (_, i) => -Math.log(1 - (i + 0.5) / 1000));
 * gpdFit(x, false); // → { k: ≈ 0.0, sigma: ≈ 1 }
 * ```
 * References: Zhang, J. & Stephens, M. A. (2009), A new and efficient estimation method for the
 * generalized Pareto distribution, Technometrics 51, 316–325. Vehtari, A., Simpson, D., Gelman,
 * A., Yao, Y. & Gabry, J. (2024), Pareto smoothed importance sampling, JMLR 25(72).
 */
export function gpdFit(x: Float64Array, regularise = true): GpdFit {
  const n = x.length;
  const m = MIN_GRID_POINTS + Math.floor(Math.sqrt(n));
  const xMax = x[n - 1];
  const xQuart = x[Math.max(0, Math.floor(n / 4 + 0.5) - 1)];
  const b = scratchFloat64('gpd.b', m);
  const l = scratchFloat64('gpd.l', m);
  const negB = scratchFloat64('gpd.negB', m);
  const sums = scratchFloat64('gpd.sums', m);
  // Grid points below 1/xMax so that 1 − b·x > 0 for every x.
  for (let j = 0; j < m; j++) {
    b[j] = 1 / xMax + (1 - Math.sqrt(m / (j + 1 - 0.5))) / ZS_PRIOR / xQuart;
    negB[j] = -b[j];
  }
  log1pSums(negB, x, sums); // Σ_i log1p(−b_j·x_i) for every grid point at once (SIMD where available)
  let lMax = -Infinity;
  for (let j = 0; j < m; j++) {
    const kj = sums[j] / n; // mean of log1p(−b_j·x) = −k(b) in Zhang & Stephens' sign
    // Profile log likelihood: n·(log(−b/kj) − kj − 1), written with −b and kj of the same sign.
    l[j] = n * (log(-b[j] / kj) - kj - 1);
    if (l[j] > lMax) lMax = l[j];
  }
  // Posterior weights of the grid points, w_j = exp(l_j − logsumexp(l)).
  let sumW = 0;
  for (let j = 0; j < m; j++) sumW += exp(l[j] - lMax);
  const logNorm = lMax + log(sumW);
  let bHat = 0;
  for (let j = 0; j < m; j++) bHat += b[j] * exp(l[j] - logNorm);
  let k = meanLog1p(bHat, x);
  const sigma = -k / bHat;
  if (regularise) k = (n * k + K_PRIOR_N * K_PRIOR_CENTRE) / (n + K_PRIOR_N);
  return { k, sigma };
}

/**
 * Quantile function of the generalized Pareto distribution (location 0) at p, loo's `qgpd`:
 * σ·expm1(−k·log1p(−p))/k, with the exponential limit −σ·log1p(−p) at k = 0.
 *
 * @param p - probability in [0, 1)
 * @param k - shape
 * @param sigma - scale (> 0; NaN otherwise)
 * @returns the quantile
 */
export function gpdQuantile(p: number, k: number, sigma: number): number {
  if (!(sigma > 0)) return NaN;
  if (k === 0) return -sigma * log1p(-p);
  return (sigma * expm1(-k * log1p(-p))) / k;
}

/**
 * The PSIS tail length, loo's `n_pareto`: M = ⌈min(0.2·S, 3·√(S / rEff))⌉.
 *
 * @param sampleSize - number of draws S
 * @param rEff - relative efficiency of the draws (1 for independent draws)
 * @returns the number of largest ratios that are smoothed
 */
export function psisTailLength(sampleSize: number, rEff = 1): number {
  return Math.ceil(Math.min(0.2 * sampleSize, 3 * Math.sqrt(sampleSize / rEff)));
}

/** Draws sampled (evenly spaced) to set the threshold of {@link upperTail}'s candidates. */
const TAIL_SAMPLE = 256;

/**
 * The indices of the `m` largest values of `lw`, ordered as a stable ascending sort would place
 * them (ties by index, as R's `sort.int(…, index.return = TRUE)`), and the largest value below them.
 * The indices are in a work buffer, valid until the next call.
 *
 * A stable sort orders the draws by (value, index), so its last m + 1 are the m + 1 largest
 * pairs. A threshold from an evenly spaced sample of 256 draws (a generous upper quantile: about
 * twice the m + 1 draws are expected above it) picks candidates in one pass, which a counting
 * sort orders (`sortedTail`). When fewer than m + 1 are above the threshold, or the candidates'
 * range is not finite, a min-heap keeps the m + 1 largest of them (taken in index order, so a
 * later draw beats an equal earlier one) and yields them in ascending order, the smallest being
 * the cut-off. About 15 µs for 4000 draws, against 60–70 µs for a selection in a copy followed by
 * a merge sort of the tail.
 *
 * @param lw - the values (no NaN)
 * @param m - tail length, 1 ≤ m < lw.length
 * @returns the tail's indices in ascending (value, index) order and the value just below the tail
 */
export function upperTail(lw: Float64Array, m: number): { idx: Uint32Array; cutoff: number } {
  const s = lw.length;
  const size = m + 1;
  const candidates = scratchUint32('psis.candidates', s);
  const threshold = sampleThreshold(lw, size);
  let count = 0;
  if (threshold > -Infinity) {
    for (let i = 0; i < s; i++) {
      candidates[count] = i;
      count += lw[i] >= threshold ? 1 : 0;
    }
  }
  if (count < size) {
    for (let i = 0; i < s; i++) candidates[i] = i;
    count = s;
  } else {
    const idx = scratchUint32('psis.tail', m);
    const cutoff = sortedTail(lw, candidates, count, m, idx);
    if (!Number.isNaN(cutoff)) return { idx, cutoff };
  }
  // The heap: values and indices side by side (no indirection in the sift).
  const hv = scratchFloat64('psis.heapValues', size);
  const hi = scratchUint32('psis.heapIndices', size);
  for (let j = 0; j < size; j++) {
    hi[j] = candidates[j];
    hv[j] = lw[candidates[j]];
  }
  for (let j = (size >> 1) - 1; j >= 0; j--) siftDown(hv, hi, j, size);
  for (let j = size; j < count; j++) {
    const i = candidates[j];
    // (lw[i], i) beats the root when lw[i] ≥ its value: i is the larger index.
    if (lw[i] >= hv[0]) {
      hv[0] = lw[i];
      hi[0] = i;
      siftDown(hv, hi, 0, size);
    }
  }
  // Pop in ascending order: the cut-off first, then the tail.
  const cutoff = hv[0];
  const idx = scratchUint32('psis.tail', m);
  let n = size;
  for (let j = 0; j < m; j++) {
    n--;
    hv[0] = hv[n];
    hi[0] = hi[n];
    siftDown(hv, hi, 0, n);
    idx[j] = hi[0];
  }
  return { idx, cutoff };
}

/**
 * The last m + 1 of the candidates (indices in ascending order) sorted by (value, index), by a
 * counting sort of their values quantised over their range (stable, about two buckets per
 * candidate: monotone keys, so only values sharing a key can be out of order) and an insertion
 * pass that moves a value only past strictly greater ones: branch-light, a few µs for a few
 * hundred candidates. Writes the top m to `idx` ascending and returns the cut-off; NaN (nothing
 * done) when the candidates' range is not finite and positive (−∞ among them, or all equal).
 */
function sortedTail(lw: Float64Array, candidates: Uint32Array, count: number, m: number, idx: Uint32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < count; j++) {
    const v = lw[candidates[j]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (!(range > 0 && range < Infinity)) return NaN;
  let buckets = 1;
  while (buckets < 2 * count) buckets <<= 1;
  const scale = buckets / range;
  const keys = scratchUint32('psis.keys', count);
  const hist = scratchUint32('psis.histogram', buckets + 1).fill(0);
  for (let j = 0; j < count; j++) {
    const q = (lw[candidates[j]] - lo) * scale;
    const key = q < buckets - 1 ? q | 0 : buckets - 1;
    keys[j] = key;
    hist[key + 1]++;
  }
  for (let b = 1; b <= buckets; b++) hist[b] += hist[b - 1];
  const sorted = scratchUint32('psis.sorted', count);
  for (let j = 0; j < count; j++) sorted[hist[keys[j]]++] = candidates[j];
  // Insertion pass over actual values (only equal keys can be out of order); strict comparison keeps ties in index order.
  for (let j = 1; j < count; j++) {
    const t = sorted[j];
    const v = lw[t];
    let i = j - 1;
    while (i >= 0 && lw[sorted[i]] > v) {
      sorted[i + 1] = sorted[i];
      i--;
    }
    sorted[i + 1] = t;
  }
  for (let j = 0; j < m; j++) idx[j] = sorted[count - m + j];
  return lw[sorted[count - m - 1]];
}

/**
 * A value that about 2·`count` of the S draws exceed, from an evenly spaced sample: the r-th
 * largest of 256 sampled values, r the expected number of sampled draws among the top `count`
 * plus three standard deviations. −∞ (no threshold) when the draws are too few to sample.
 */
function sampleThreshold(lw: Float64Array, count: number): number {
  const s = lw.length;
  if (s < 4 * TAIL_SAMPLE) return -Infinity;
  const expected = (TAIL_SAMPLE * count) / s;
  const r = Math.min(TAIL_SAMPLE, Math.ceil(expected + 3 * Math.sqrt(expected)) + 1);
  // The r largest sampled values, ascending, kept by insertion.
  const top = scratchFloat64('psis.sampleTop', r);
  let have = 0;
  const stride = Math.floor(s / TAIL_SAMPLE);
  for (let k = 0; k < TAIL_SAMPLE; k++) {
    const v = lw[k * stride];
    if (have < r) {
      let j = have++;
      while (j > 0 && top[j - 1] > v) {
        top[j] = top[j - 1];
        j--;
      }
      top[j] = v;
    } else if (v > top[0]) {
      let j = 0;
      while (j + 1 < r && top[j + 1] < v) {
        top[j] = top[j + 1];
        j++;
      }
      top[j] = v;
    }
  }
  return top[0];
}

/** Restores the min-heap order by (value, index) below position `at` of the heap of `size` entries. */
function siftDown(hv: Float64Array, hi: Uint32Array, at: number, size: number): void {
  const v = hv[at];
  const x = hi[at];
  let i = at;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size) {
      const right = hv[c + 1] < hv[c] || (hv[c + 1] === hv[c] && hi[c + 1] < hi[c]);
      c += right ? 1 : 0;
    }
    if (hv[c] < v || (hv[c] === v && hi[c] < x)) {
      hv[i] = hv[c];
      hi[i] = hi[c];
      i = c;
    } else break;
  }
  hv[i] = v;
  hi[i] = x;
}

/**
 * Pareto-smoothed importance sampling of one set of log importance ratios, as loo 2.x's `psis()`
 * (Vehtari et al. 2024): the M = ⌈min(0.2·S, 3·√(S/rEff))⌉ largest ratios are replaced by the
 * quantiles (j − ½)/M, j = 1…M, of a generalized Pareto fitted (by {@link gpdFit}, with its
 * weakly informative prior) to their exceedances over the next largest ratio; all weights are then
 * truncated at the largest raw ratio and normalised. The fitted shape is the Pareto k-hat:
 * k ≤ 0.5 good, 0.5 < k ≤ 0.7 ok, k > 0.7 unreliable (loo 2.5's bins).
 *
 * Departures from loo, for robustness only: NaN ratios count as ratio 0 (loo rejects non-finite
 * input), and the tail quantiles use the exponential limit when k is exactly 0.
 *
 * @param logRatios - log importance ratios log(p/q) of S draws (for LOO: −log p(y_i | θ_s))
 * @param opts - `rEff`, the relative efficiency of the draws (default 1); `out`, arrays to write the weights into
 * @returns normalised smoothed log weights and the weights themselves (in `out` when given), k-hat, tail length and PSIS n_eff
 * @throws OptionError for `out` arrays that are not Float64Arrays of S values, or that alias each other or the ratios
 * @example
 * ```ts
 * declare const logRatios: Float64Array; // −log p(y_i | θ_s) over S draws
 * declare const h: Float64Array; // a function of the draws
 * const S = logRatios.length;
 * const { weights, k } = psis(logRatios, { rEff: 0.9 });
 * let estimate = 0;
 * for (let s = 0; s < S; s++) estimate += weights[s] * h[s]; // E_p[h]
 * ```
 * References: Vehtari, A., Simpson, D., Gelman, A., Yao, Y. & Gabry, J. (2024), Pareto smoothed
 * importance sampling, JMLR 25(72); R package loo 2.5.1, `psis()`.
 */
export function psis(logRatios: ArrayLike<number>, opts: PsisOptions = {}): PsisResult {
  numbersArgument(logRatios, 'logRatios', 'psis');
  opts = optionsObject(opts, 'psis');
  const S = logRatios.length;
  const out = opts.out;
  if (out !== undefined) {
    for (const key of ['logWeights', 'weights'] as const) {
      const a = (out as Record<string, unknown>)[key];
      if (!(a instanceof Float64Array) || a.length !== S) throw new OptionError(`psis: out.${key}`, `must be a Float64Array of ${S} values (one per log ratio)`);
    }
    if (out.logWeights === out.weights || out.logWeights === logRatios || out.weights === logRatios) throw new OptionError('psis: out', 'logWeights, weights and the log ratios must be three different arrays');
  }
  const logWeights = out?.logWeights ?? new Float64Array(S);
  const weights = out?.weights ?? new Float64Array(S);
  return { logWeights, weights, ...psisInto(logRatios, opts.rEff ?? 1, logWeights, weights) };
}

/**
 * {@link psis} into a given buffer: the smoothed, normalised log weights are written to `out`
 * (LOO keeps every observation's weights in one block instead of an array each), the rest is
 * returned. Arguments are not checked.
 *
 * @param logRatios - log importance ratios of S draws
 * @param rEff - relative efficiency of the draws
 * @param out - receives the S log weights (may not be `logRatios`)
 * @param weightsOut - optional: receives the normalised weights themselves, w_s = W_s / Σ W with
 *   W_s = exp(lw_s − max lw), the exponentials PSIS computes anyway (equal to exp(out_s) within
 *   about 2 + ln S ulps; LOO's elpd and MCSE take them instead of exponentiating the log weights again)
 * @returns k-hat, scale, whether the tail was smoothed, tail length and PSIS n_eff
 */
export function psisInto(logRatios: ArrayLike<number>, rEff: number, out: Float64Array, weightsOut?: Float64Array): Omit<PsisResult, 'logWeights' | 'weights'> {
  const s = logRatios.length;
  const lw = out;
  let maxLog = -Infinity;
  for (let i = 0; i < s; i++) {
    const v = logRatios[i];
    lw[i] = Number.isNaN(v) ? -Infinity : v;
    if (lw[i] > maxLog) maxLog = lw[i];
  }
  const tailLength = psisTailLength(s, rEff);
  let k = Infinity;
  let sigma = NaN;
  let smoothed = false;
  // The largest weight after truncation, when known without a pass over the draws.
  let maxWeight = NaN;
  if (Number.isFinite(maxLog)) {
    maxWeight = 0; // the largest ratio, shifted by itself
    for (let i = 0; i < s; i++) lw[i] -= maxLog; // ratios relative to the largest, for safe exponentiation
    if (tailLength >= MIN_TAIL_LENGTH && tailLength < s) {
      const { idx, cutoff } = upperTail(lw, tailLength);
      const lowest = lw[idx[0]];
      const highest = lw[idx[tailLength - 1]];
      if (Number.isFinite(lowest) && Math.abs(highest - lowest) >= Number.EPSILON / 100) {
        const expCutoff = exp(cutoff);
        const exceedances = scratchFloat64('psis.exceedances', tailLength);
        for (let j = 0; j < tailLength; j++) exceedances[j] = exp(lw[idx[j]]) - expCutoff;
        const fit = gpdFit(exceedances);
        if (Number.isFinite(fit.k)) {
          k = fit.k;
          sigma = fit.sigma;
          smoothed = true;
          // Smoothed tail values, truncated at the largest raw ratio (0 here): only they can
          // exceed it, as every other value is at most the cut-off. The largest weight is then
          // the cut-off's or a tail value's.
          maxWeight = cutoff;
          for (let j = 0; j < tailLength; j++) {
            let v = log(gpdQuantile((j + 0.5) / tailLength, fit.k, fit.sigma) + expCutoff);
            if (v > 0) v = 0;
            lw[idx[j]] = v;
            if (v > maxWeight) maxWeight = v;
          }
        }
      }
    }
  } else if (maxLog === Infinity) {
    // An infinite ratio: all the weight on the infinite draws.
    for (let i = 0; i < s; i++) lw[i] = lw[i] === Infinity ? 0 : -Infinity;
  }
  const sumSq = normaliseLogWeights(lw, weightsOut, maxWeight);
  const scaledSigma = smoothed ? sigma * exp(maxLog) : NaN;
  return { k, sigma: scaledSigma, smoothed, tailLength, nEff: rEff / sumSq };
}

/**
 * Subtracts logsumexp(lw) from every element (a no-op on all −∞, which stays −∞) and returns the
 * sum of the squared normalised weights, Σ exp(2·lw), from the same exponentials (for PSIS n_eff);
 * the normalised weights W_s / Σ W go to `weightsOut` when given. `knownMax` is max(lw) when the
 * caller knows it (NaN: found here).
 */
function normaliseLogWeights(lw: Float64Array, weightsOut: Float64Array | undefined, knownMax: number): number {
  let max = knownMax;
  if (Number.isNaN(max)) {
    max = -Infinity;
    for (let i = 0; i < lw.length; i++) if (lw[i] > max) max = lw[i];
  }
  if (!Number.isFinite(max)) {
    let sumSq = 0;
    for (let i = 0; i < lw.length; i++) sumSq += exp(2 * lw[i]);
    if (weightsOut) for (let i = 0; i < lw.length; i++) weightsOut[i] = exp(lw[i]);
    return sumSq;
  }
  const w = expInto(weightsOut ?? scratchFloat64('psis.weights', lw.length), lw, 1, max);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < lw.length; i++) {
    sum += w[i];
    sumSq += w[i] * w[i];
  }
  const norm = max + log(sum);
  if (weightsOut) {
    for (let i = 0; i < lw.length; i++) {
      lw[i] -= norm;
      weightsOut[i] = w[i] / sum;
    }
  } else for (let i = 0; i < lw.length; i++) lw[i] -= norm;
  return sumSq / (sum * sum);
}

/**
 * The sample-size dependent k-hat threshold of the PSIS paper: min(1 − 1/log10 S, 0.7). Above it
 * the importance ratios (and so the approximation they measure) are unreliable.
 *
 * @param s - sample size
 * @returns the threshold
 */
export function paretoKThreshold(s: number): number {
  return Math.min(1 - 1 / Math.log10(s), 0.7);
}

/**
 * Pareto k-hat of importance ratios given on the log scale: the k of {@link psis} with rEff = 1
 * (tail length M = ⌈min(0.2·S, 3·√S)⌉), reported as NaN where psis could not fit the tail.
 * Used for variational inference as in Yao et al. (2018): with ratios p(θ)/q(θ) for θ ~ q,
 * k < 0.5 means q is close to the posterior, 0.5 ≤ k < 0.7 usable with care, k ≥ 0.7 poor.
 *
 * @param logRatios - log importance ratios (non-finite values are treated as −∞, i.e. ratio 0)
 * @returns the fitted k-hat, scale, tail length and threshold (k = NaN if fewer than 5 tail ratios
 *   or a degenerate tail; Infinity if a ratio is infinite)
 * @example
 * ```ts
 * declare const logRatios: Float64Array; // log p(θ) − log q(θ) at draws θ from q
 * const k = paretoKHat(logRatios).k; // e.g. 0.3: the approximation is good
 * ```
 * References: Yao, Y., Vehtari, A., Simpson, D. & Gelman, A. (2018), Yes, but did it work?:
 * Evaluating variational inference, ICML. Vehtari et al. (2024), Pareto smoothed importance
 * sampling, JMLR 25(72).
 */
export function paretoKHat(logRatios: ArrayLike<number>): ParetoKHat {
  numbersArgument(logRatios, 'logRatios', 'paretoKHat');
  const s = logRatios.length;
  const threshold = s > 1 ? paretoKThreshold(s) : NaN;
  const r = psis(logRatios);
  let infinite = false;
  for (let i = 0; i < s && !infinite; i++) infinite = logRatios[i] === Infinity;
  const k = r.smoothed ? r.k : infinite ? Infinity : NaN;
  return { k, sigma: r.sigma, tailLength: r.tailLength, sampleSize: s, threshold };
}
