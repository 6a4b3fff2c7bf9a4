// Goodness-of-fit checks of random draws against SciPy's reference (draw_reference.json): chi-square on quantile/pmf bins, moments within MCSE.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** One statistic of a case: bins for a chi-square test and SciPy's moments (null where infinite). */
export interface ReferenceStat {
  /** Interior bin edges, ascending; a draw x falls in bin #{edges ≤ x}. */
  readonly edges: readonly number[];
  /** Probability of each bin (edges.length + 1 of them). */
  readonly probs: readonly number[];
  /** chi2.isf(pValue, bins − 1) from SciPy. */
  readonly crit: number;
  readonly mean: number | null;
  readonly variance: number | null;
  readonly mu4: number | null;
  /** Continuous families: P(|X| > the largest double), how often a correct sampler returns ±Infinity. */
  readonly pOverflow?: number;
  /** For composites: the component this statistic is about… */
  readonly component?: number;
  /** …or the Mahalanobis distance (x − mean)ᵀ·precision·(x − mean). */
  readonly mahalanobis?: { readonly mean: readonly number[]; readonly precision: readonly number[] };
}

/** A distribution at one parameter set, with the seed and number of draws to test it with. */
export interface ReferenceCase {
  readonly id: string;
  readonly family: string;
  readonly params: Readonly<Record<string, number | number[] | number[][]>>;
  readonly eventShape: readonly number[];
  readonly seed: number;
  readonly draws: number;
  readonly stats: readonly ReferenceStat[];
  readonly crossMoments?: readonly { i: number; j: number; mean: number; variance: number }[];
  readonly crossCovariance?: readonly { i: number; j: number; covariance: number }[];
}

/** The reference file made by test/fixtures/testvectors/gen_draw_reference.py. */
export const REFERENCE: { generator: string; pValue: number; cases: ReferenceCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/testvectors/draw_reference.json', import.meta.url), 'utf8'),
);

/** Two-sided z of the moment checks: P(|Z| > 4.5) ≈ 7e-6 per assertion. */
export const Z = 4.5;

/** Asserts the draws pass SciPy's chi-square bins at the reference p-value. */
export function checkChiSquare(x: ArrayLike<number>, stat: ReferenceStat, label: string): void {
  const counts = new Float64Array(stat.probs.length);
  const { edges } = stat;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    assert.ok(!Number.isNaN(v), `${label}: a NaN draw at ${i}`);
    let lo = 0, hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  let chi2 = 0;
  stat.probs.forEach((p, b) => {
    const e = x.length * p;
    chi2 += e > 0 ? (counts[b] - e) ** 2 / e : counts[b] > 0 ? Infinity : 0;
  });
  assert.ok(chi2 <= stat.crit, `${label}: chi-square ${chi2.toFixed(2)} > ${stat.crit.toFixed(2)} on ${stat.probs.length - 1} df`);
}

/**
 * Asserts the sample mean and variance agree with SciPy's within Z Monte Carlo standard errors:
 * SE(mean) = √(σ²/n), SE(s²) = √((μ₄ − σ⁴·(n − 3)/(n − 1))/n) (exact for the unbiased s², which
 * matters where μ₄ = σ⁴, e.g. a fair coin). A moment SciPy calls infinite is not checked
 * (nor the variance when μ₄ is infinite).
 */
export function checkMoments(x: ArrayLike<number>, stat: ReferenceStat, label: string): void {
  const n = x.length;
  if (stat.mean === null || stat.variance === null) return;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  const seMean = Math.sqrt(stat.variance / n);
  assert.ok(Math.abs(mean - stat.mean) <= Z * seMean, `${label}: mean ${mean} vs ${stat.mean} (${((mean - stat.mean) / seMean).toFixed(2)} SE)`);
  if (stat.mu4 === null) return;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const variance = ss / (n - 1);
  const seVar = Math.sqrt(Math.max(stat.mu4 - (stat.variance ** 2 * (n - 3)) / (n - 1), 0) / n);
  assert.ok(
    Math.abs(variance - stat.variance) <= Z * seVar,
    `${label}: variance ${variance} vs ${stat.variance} (${((variance - stat.variance) / seVar).toFixed(2)} SE)`,
  );
}

/**
 * Asserts that no more draws are infinite than SciPy allows: the count of values beyond the double
 * range is Poisson(n·pOverflow), and at most the k with P(count > k) < 1e-6 may occur (0 where
 * SciPy's probability is negligible). A draw that overflows or divides by an underflowed zero lands
 * in the right chi-square bin, so only this catches it.
 */
export function checkFinite(x: ArrayLike<number>, stat: ReferenceStat, label: string): void {
  if (stat.pOverflow === undefined) return;
  const lambda = stat.pOverflow * x.length;
  let allowed = 0;
  for (let term = Math.exp(-lambda), cdf = term; 1 - cdf >= 1e-6 && allowed < x.length; ) {
    allowed++;
    term *= lambda / allowed;
    cdf += term;
  }
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) bad++;
  assert.ok(bad <= allowed, `${label}: ${bad} of ${x.length} draws are not finite (SciPy expects ${lambda.toExponential(1)}, allows ${allowed})`);
}

/** All the checks. */
export function checkStat(x: ArrayLike<number>, stat: ReferenceStat, label: string): void {
  checkFinite(x, stat, label);
  checkChiSquare(x, stat, label);
  checkMoments(x, stat, label);
}
