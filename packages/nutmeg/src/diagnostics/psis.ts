// Pareto-smoothed importance sampling diagnostic: generalized Pareto fit and the k-hat of importance ratios.

/** A fitted generalized Pareto distribution (location 0): shape `k` and scale `sigma`. */
export interface GpdFit {
  /** Shape k (the tail index; larger is heavier). */
  readonly k: number;
  /** Scale sigma > 0. */
  readonly sigma: number;
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
/** Pseudo-observations of the Gaussian prior on k centred at 0.5 (Vehtari et al. 2022, appendix; loo's `adjust_k_wip`, a = 10). */
const K_PRIOR_N = 10;
/** Centre of the prior on k. */
const K_PRIOR_CENTRE = 0.5;

/** Mean of log1p(-b·x) over x. */
function meanLog1p(b: number, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log1p(-b * x[i]);
  return s / x.length;
}

/**
 * Fits a generalized Pareto distribution (location 0) to positive exceedances by Zhang &
 * Stephens' (2009) empirical-Bayes method: the profile likelihood of b = −k/σ is averaged over a
 * grid of `80 + ⌊√n⌋` quantile-based points, and k is then shrunk towards 0.5 with the weakly
 * informative prior of the PSIS paper (`k ← (n·k + 10·0.5)/(n + 10)`). Here k is the tail index
 * (positive for heavy tails), i.e. the negative of Zhang & Stephens' k.
 *
 * @param x - the exceedances, sorted ascending, all ≥ 0, not all equal (length ≥ 1)
 * @param regularise - apply the prior on k (default true)
 * @returns the shape k and scale σ
 * @example
 * ```ts
 * // Exceedances of a standard exponential: k ≈ 0, σ ≈ 1.
 * const x = Float64Array.from({ length: 1000 }, (_, i) => -Math.log(1 - (i + 0.5) / 1000));
 * gpdFit(x); // → { k: ≈ 0.0, sigma: ≈ 1 }
 * ```
 * References: Zhang, J. & Stephens, M. A. (2009), A new and efficient estimation method for the
 * generalized Pareto distribution, Technometrics 51, 316–325. Vehtari, A., Simpson, D., Gelman,
 * A., Yao, Y. & Gabry, J. (2022), Pareto smoothed importance sampling, arXiv:1507.02646.
 */
export function gpdFit(x: Float64Array, regularise = true): GpdFit {
  const n = x.length;
  const m = 80 + Math.floor(Math.sqrt(n));
  const xMax = x[n - 1];
  const xQuart = x[Math.max(0, Math.floor(n / 4 + 0.5) - 1)];
  const b = new Float64Array(m);
  const l = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    // Grid points below 1/xMax so that 1 − b·x > 0 for every x.
    b[j] = 1 / xMax + (1 - Math.sqrt(m / (j + 1 - 0.5))) / ZS_PRIOR / xQuart;
    const kj = meanLog1p(b[j], x); // = −k(b) in Zhang & Stephens' sign
    // Profile log likelihood: n·(log(−b/kj) − kj − 1), written with −b and kj of the same sign.
    l[j] = n * (Math.log(-b[j] / kj) - kj - 1);
  }
  // Posterior weights of the grid points, w_j = 1 / Σ_i exp(l_i − l_j), computed stably.
  let bDotW = 0;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.exp(l[i] - l[j]);
    const w = 1 / s;
    if (Number.isFinite(w) && Number.isFinite(b[j])) bDotW += b[j] * w;
  }
  let k = meanLog1p(bDotW, x);
  const sigma = -k / bDotW;
  if (regularise) k = (n * k + K_PRIOR_N * K_PRIOR_CENTRE) / (n + K_PRIOR_N);
  return { k, sigma };
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
 * Pareto k-hat of importance ratios given on the log scale: fits a generalized Pareto to the
 * largest M = ⌈min(0.2·S, 3·√S)⌉ ratios (exceedances over the next largest) and reports its shape.
 * Used for variational inference as in Yao et al. (2018): with ratios p(θ)/q(θ) for θ ~ q,
 * k < 0.5 means q is close to the posterior, 0.5 ≤ k < 0.7 usable with care, k ≥ 0.7 poor.
 *
 * @param logRatios - log importance ratios (non-finite values are treated as −∞, i.e. ratio 0)
 * @returns the fitted k-hat, scale, tail length and threshold (k = NaN if fewer than 5 tail ratios
 *   or a degenerate tail)
 * @example
 * ```ts
 * declare const logRatios: Float64Array; // log p(θ) − log q(θ) at draws θ from q
 * const k = paretoKHat(logRatios).k; // e.g. 0.3: the approximation is good
 * ```
 * References: Yao, Y., Vehtari, A., Simpson, D. & Gelman, A. (2018), Yes, but did it work?:
 * Evaluating variational inference, ICML. Vehtari et al. (2022), Pareto smoothed importance
 * sampling, arXiv:1507.02646.
 */
export function paretoKHat(logRatios: ArrayLike<number>): ParetoKHat {
  const s = logRatios.length;
  const threshold = s > 1 ? paretoKThreshold(s) : NaN;
  const sorted = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const v = logRatios[i];
    sorted[i] = Number.isNaN(v) ? -Infinity : v;
  }
  sorted.sort();
  const m = Math.ceil(Math.min(0.2 * s, 3 * Math.sqrt(s)));
  if (m < 5 || s <= m) return { k: NaN, sigma: NaN, tailLength: m, sampleSize: s, threshold };
  const maxLog = sorted[s - 1];
  if (!Number.isFinite(maxLog)) return { k: maxLog === Infinity ? Infinity : NaN, sigma: NaN, tailLength: m, sampleSize: s, threshold };
  const cutoff = sorted[s - m - 1];
  const expCut = Number.isFinite(cutoff) ? Math.exp(cutoff - maxLog) : 0;
  const tail = new Float64Array(m);
  for (let i = 0; i < m; i++) tail[i] = Math.exp(sorted[s - m + i] - maxLog) - expCut;
  if (!(tail[m - 1] > tail[0])) return { k: NaN, sigma: NaN, tailLength: m, sampleSize: s, threshold };
  const fitTail = gpdFit(tail);
  return { k: fitTail.k, sigma: fitTail.sigma * Math.exp(maxLog), tailLength: m, sampleSize: s, threshold };
}
