// Random variate generators for the distribution families, driven by an explicit Rng (never Math.random).
//
// Every generator takes the `Rng` first and the family's parameters in PyMC's names and order.
// The short names (`gamma`, `beta`, `normal`) are meant to be used through a namespace: the math
// barrel exports this module as `random` (`random.gamma(rng, 2, 1)`), internal code does
// `import * as draw from './random.js'`.
// Scalar generators allocate nothing; the vector ones (dirichlet, multivariate normal) write
// into an `out` buffer. Invalid parameters throw a RangeError naming the function and argument.

import type { Rng } from '../core/rng.js';
import { lfactorial } from './special.js';
import { lowerMatVec } from './linalg.js';
import { exp, log, log1p, pow } from '../core/libm/index.js';

function bad(fn: string, what: string, value: unknown): never {
  throw new RangeError(`${fn}: ${what}, got ${String(value)}`);
}

/**
 * Normal(μ, σ) draw.
 *
 * @param rng - random number generator.
 * @param mu - mean (default 0).
 * @param sigma - standard deviation, > 0 (default 1).
 * @returns a draw from N(μ, σ²).
 * @throws RangeError if sigma is not > 0.
 * @example
 * ```ts
 * random.normal(new Rng(1), 0, 2);
 * ```
 */
export function normal(rng: Rng, mu = 0, sigma = 1): number {
  if (!(sigma > 0)) bad('normal', 'sigma must be > 0', sigma);
  return mu + sigma * rng.normal();
}

/**
 * HalfNormal(σ) draw: |N(0, σ²)|.
 *
 * @param rng - random number generator.
 * @param sigma - scale, > 0 (default 1).
 * @returns a draw ≥ 0.
 * @throws RangeError if sigma is not > 0.
 * @example
 * ```ts
 * random.halfNormal(new Rng(1), 1);
 * ```
 */
export function halfNormal(rng: Rng, sigma = 1): number {
  if (!(sigma > 0)) bad('halfNormal', 'sigma must be > 0', sigma);
  return sigma * Math.abs(rng.normal());
}

/**
 * Uniform(lower, upper) draw, in [lower, upper).
 *
 * @param rng - random number generator.
 * @param lower - lower bound (default 0).
 * @param upper - upper bound, > lower (default 1).
 * @returns a draw in [lower, upper).
 * @throws RangeError if upper ≤ lower.
 * @example
 * ```ts
 * random.uniform(new Rng(1), -1, 1);
 * ```
 */
export function uniform(rng: Rng, lower = 0, upper = 1): number {
  if (!(upper > lower)) bad('uniform', `upper must be > lower (${lower})`, upper);
  return lower + (upper - lower) * rng.uniform();
}

/**
 * Exponential(λ) draw by inversion, −log(1 − U)/λ.
 *
 * @param rng - random number generator.
 * @param lam - rate λ, > 0 (default 1).
 * @returns a draw ≥ 0 with mean 1/λ.
 * @throws RangeError if lam is not > 0.
 * @example
 * ```ts
 * random.exponential(new Rng(1), 2);
 * ```
 */
export function exponential(rng: Rng, lam = 1): number {
  if (!(lam > 0)) bad('exponential', 'lam must be > 0', lam);
  return -log1p(-rng.uniform()) / lam;
}

/** Standard gamma draw (rate 1) for shape ≥ 1 (Marsaglia & Tsang 2000). */
function gammaShapeAtLeastOne(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniformOpen();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1 - v + log(v))) return d * v;
  }
}

/**
 * log of a standard Gamma(shape, 1) draw, without underflow for tiny shapes (where the draw
 * itself can be below the smallest double). Used by {@link dirichlet} and {@link beta}.
 *
 * @param rng - random number generator.
 * @param shape - shape k, > 0.
 * @returns log G with G ~ Gamma(k, 1).
 * @throws RangeError if shape is not > 0.
 * @example
 * ```ts
 * random.logGamma(new Rng(1), 0.001); // typically around −600
 * ```
 *
 * References: Marsaglia & Tsang (2000), including the boost G(k) = G(k + 1)·U^(1/k) for k < 1.
 */
export function logGamma(rng: Rng, shape: number): number {
  if (!(shape > 0)) bad('logGamma', 'shape must be > 0', shape);
  if (shape >= 1) return log(gammaShapeAtLeastOne(rng, shape));
  return log(gammaShapeAtLeastOne(rng, shape + 1)) + log(rng.uniformOpen()) / shape;
}

/**
 * Gamma(α, β) draw, shape α and rate β (mean α/β), as PyMC's `Gamma(alpha, beta)`.
 *
 * Marsaglia–Tsang squeeze/rejection for α ≥ 1; for α < 1 the boost G(α) = G(α + 1)·U^(1/α).
 *
 * @param rng - random number generator.
 * @param alpha - shape, > 0.
 * @param beta - rate, > 0 (default 1).
 * @returns a draw ≥ 0 (it can underflow to 0 for α ≲ 0.01).
 * @throws RangeError if alpha or beta is not > 0.
 * @example
 * ```ts
 * random.gamma(new Rng(1), 2.5, 0.5); // mean 5
 * ```
 *
 * References: Marsaglia, G. & Tsang, W. W. (2000). A simple method for generating gamma
 * variables. ACM TOMS 26(3), 363–372.
 */
export function gamma(rng: Rng, alpha: number, beta = 1): number {
  if (!(alpha > 0)) bad('gamma', 'alpha (shape) must be > 0', alpha);
  if (!(beta > 0)) bad('gamma', 'beta (rate) must be > 0', beta);
  if (alpha >= 1) return gammaShapeAtLeastOne(rng, alpha) / beta;
  return (gammaShapeAtLeastOne(rng, alpha + 1) * pow(rng.uniformOpen(), 1 / alpha)) / beta;
}

/**
 * InverseGamma(α, β) draw (shape α, scale β): β / Gamma(α, 1) (on the log scale for α < 1, so that
 * a gamma draw below the double range does not give +Infinity).
 *
 * @param rng - random number generator.
 * @param alpha - shape, > 0.
 * @param beta - scale, > 0 (default 1).
 * @returns a draw > 0.
 * @throws RangeError if alpha or beta is not > 0.
 * @example
 * ```ts
 * random.inverseGamma(new Rng(1), 3, 2); // mean 1
 * ```
 */
export function inverseGamma(rng: Rng, alpha: number, beta = 1): number {
  if (!(alpha > 0)) bad('inverseGamma', 'alpha (shape) must be > 0', alpha);
  if (!(beta > 0)) bad('inverseGamma', 'beta (scale) must be > 0', beta);
  if (alpha >= 1) return beta / gammaShapeAtLeastOne(rng, alpha);
  // For α < 1 the gamma draw underflows to 0 with probability ≈ 1e-308^α / Γ(α + 1) (8e-4 at
  // α = 0.01), where β/G is often still a double: divide on the log scale (same uniforms as gamma()).
  return exp(log(beta) - logGamma(rng, alpha));
}

/**
 * ChiSquared(ν) draw: 2·Gamma(ν/2, 1).
 *
 * @param rng - random number generator.
 * @param nu - degrees of freedom, > 0.
 * @returns a draw ≥ 0 with mean ν.
 * @throws RangeError if nu is not > 0.
 * @example
 * ```ts
 * random.chiSquare(new Rng(1), 3);
 * ```
 */
export function chiSquare(rng: Rng, nu: number): number {
  if (!(nu > 0)) bad('chiSquare', 'nu must be > 0', nu);
  return 2 * gamma(rng, nu / 2, 1);
}

/**
 * Beta(α, β) draw as X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β); computed from the log-gamma
 * draws when either shape is < 1, so tiny shapes give draws near 0 or 1 rather than 0/0.
 *
 * @param rng - random number generator.
 * @param alpha - first shape, > 0.
 * @param beta - second shape, > 0.
 * @returns a draw in [0, 1].
 * @throws RangeError if alpha or beta is not > 0.
 * @example
 * ```ts
 * random.beta(new Rng(1), 2, 8); // mean 0.2
 * ```
 */
export function beta(rng: Rng, alpha: number, beta: number): number {
  if (!(alpha > 0)) bad('beta', 'alpha must be > 0', alpha);
  if (!(beta > 0)) bad('beta', 'beta must be > 0', beta);
  if (alpha >= 1 && beta >= 1) {
    const x = gammaShapeAtLeastOne(rng, alpha);
    const y = gammaShapeAtLeastOne(rng, beta);
    return x / (x + y);
  }
  const lx = logGamma(rng, alpha);
  const ly = logGamma(rng, beta);
  // x/(x + y) = 1/(1 + exp(ly − lx)), stable for any difference.
  const d = ly - lx;
  if (d >= 0) {
    const e = exp(-d);
    return e / (1 + e);
  }
  return 1 / (1 + exp(d));
}

/**
 * StudentT(ν, μ, σ) draw: μ + σ·Z/√(V/ν) with Z ~ N(0, 1), V ~ χ²(ν) (V on the log scale for
 * ν < 2, so that tiny ν gives huge finite draws rather than ±Infinity).
 *
 * @param rng - random number generator.
 * @param nu - degrees of freedom, > 0.
 * @param mu - location (default 0).
 * @param sigma - scale, > 0 (default 1).
 * @returns a draw.
 * @throws RangeError if nu or sigma is not > 0.
 * @example
 * ```ts
 * random.studentT(new Rng(1), 3, 0, 1);
 * ```
 */
export function studentT(rng: Rng, nu: number, mu = 0, sigma = 1): number {
  if (!(nu > 0)) bad('studentT', 'nu must be > 0', nu);
  if (!(sigma > 0)) bad('studentT', 'sigma must be > 0', sigma);
  const z = rng.normal();
  if (nu >= 2) return mu + (sigma * z) / Math.sqrt((2 * gammaShapeAtLeastOne(rng, nu / 2)) / nu);
  // For ν < 2 the χ² draw V = 2·Gamma(ν/2) underflows to 0 with probability ≈ 1e-308^(ν/2)
  // (8e-4 at ν = 0.02) while t = Z·√(ν/V) is still a double: compute |t| on the log scale.
  const logAbsT = log(Math.abs(z)) + 0.5 * (log(nu / 2) - logGamma(rng, nu / 2));
  return mu + sigma * Math.sign(z) * exp(logAbsT);
}

/**
 * Cauchy(α, β) draw by inversion: α + β·tan(π(U − ½)).
 *
 * @param rng - random number generator.
 * @param alpha - location (default 0).
 * @param beta - scale, > 0 (default 1).
 * @returns a draw.
 * @throws RangeError if beta is not > 0.
 * @example
 * ```ts
 * random.cauchy(new Rng(1), 0, 1);
 * ```
 */
export function cauchy(rng: Rng, alpha = 0, beta = 1): number {
  if (!(beta > 0)) bad('cauchy', 'beta must be > 0', beta);
  return alpha + beta * Math.tan(Math.PI * (rng.uniformOpen() - 0.5));
}

/**
 * HalfCauchy(β) draw by inversion: β·tan(πU/2).
 *
 * @param rng - random number generator.
 * @param beta - scale, > 0 (default 1).
 * @returns a draw ≥ 0.
 * @throws RangeError if beta is not > 0.
 * @example
 * ```ts
 * random.halfCauchy(new Rng(1), 2.5);
 * ```
 */
export function halfCauchy(rng: Rng, beta = 1): number {
  if (!(beta > 0)) bad('halfCauchy', 'beta must be > 0', beta);
  return beta * Math.tan(0.5 * Math.PI * rng.uniform());
}

/**
 * Laplace(μ, b) draw by inversion of the CDF.
 *
 * @param rng - random number generator.
 * @param mu - location (default 0).
 * @param b - scale, > 0 (default 1).
 * @returns a draw.
 * @throws RangeError if b is not > 0.
 * @example
 * ```ts
 * random.laplace(new Rng(1), 0, 1);
 * ```
 */
export function laplace(rng: Rng, mu = 0, b = 1): number {
  if (!(b > 0)) bad('laplace', 'b must be > 0', b);
  const u = rng.uniformOpen();
  return u < 0.5 ? mu + b * log(2 * u) : mu - b * log(2 * (1 - u));
}

/**
 * Weibull(α, β) draw (shape α, scale β, as PyMC): β·(−log(1 − U))^(1/α).
 *
 * @param rng - random number generator.
 * @param alpha - shape, > 0.
 * @param beta - scale, > 0 (default 1).
 * @returns a draw ≥ 0.
 * @throws RangeError if alpha or beta is not > 0.
 * @example
 * ```ts
 * random.weibull(new Rng(1), 1.5, 2);
 * ```
 */
export function weibull(rng: Rng, alpha: number, beta = 1): number {
  if (!(alpha > 0)) bad('weibull', 'alpha (shape) must be > 0', alpha);
  if (!(beta > 0)) bad('weibull', 'beta (scale) must be > 0', beta);
  return beta * pow(-log1p(-rng.uniform()), 1 / alpha);
}

/**
 * LogNormal(μ, σ) draw: exp(N(μ, σ²)).
 *
 * @param rng - random number generator.
 * @param mu - mean of the log (default 0).
 * @param sigma - standard deviation of the log, > 0 (default 1).
 * @returns a draw > 0.
 * @throws RangeError if sigma is not > 0.
 * @example
 * ```ts
 * random.logNormal(new Rng(1), 0, 0.5);
 * ```
 */
export function logNormal(rng: Rng, mu = 0, sigma = 1): number {
  if (!(sigma > 0)) bad('logNormal', 'sigma must be > 0', sigma);
  return exp(mu + sigma * rng.normal());
}

/**
 * Bernoulli(p) draw.
 *
 * @param rng - random number generator.
 * @param p - probability of 1, in [0, 1].
 * @returns 0 or 1.
 * @throws RangeError if p is outside [0, 1].
 * @example
 * ```ts
 * random.bernoulli(new Rng(1), 0.3);
 * ```
 */
export function bernoulli(rng: Rng, p: number): number {
  if (!(p >= 0 && p <= 1)) bad('bernoulli', 'p must be in [0, 1]', p);
  return rng.uniform() < p ? 1 : 0;
}

// Below this mean, Poisson draws use sequential inversion (expected mu + 1 steps); above, PTRS.
const POISSON_INVERSION_MAX_MEAN = 10;

/**
 * Poisson(μ) draw. Sequential-search inversion for μ < 10 and Hörmann's transformed rejection
 * with squeeze (PTRS) for μ ≥ 10, whose cost does not grow with μ. Both are exact.
 *
 * @param rng - random number generator.
 * @param mu - mean, ≥ 0 (finite).
 * @returns a non-negative integer.
 * @throws RangeError if mu is negative or not finite.
 * @example
 * ```ts
 * random.poisson(new Rng(1), 3.5);
 * ```
 *
 * References: Hörmann, W. (1993). The transformed rejection method for generating Poisson random
 * variables. Insurance: Mathematics and Economics 12(1), 39–45.
 */
export function poisson(rng: Rng, mu: number): number {
  if (!(mu >= 0 && mu < Infinity)) bad('poisson', 'mu must be finite and ≥ 0', mu);
  if (mu === 0) return 0;
  if (mu < POISSON_INVERSION_MAX_MEAN) {
    for (;;) {
      let p = exp(-mu);
      let s = p;
      let k = 0;
      const u = rng.uniform();
      // The pmf tail beyond k = 200 is far below 2^-53 for mu < 10; past it, restart (rounding guard).
      while (u >= s && k < 200) {
        k++;
        p *= mu / k;
        s += p;
      }
      if (k < 200) return k;
    }
  }
  const smu = Math.sqrt(mu);
  const logMu = log(mu);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (log(v) + log(invAlpha) - log(a / (us * us) + b) <= -mu + k * logMu - lfactorial(k)) return k;
  }
}

// Below this n·min(p, 1 − p), binomial draws use sequential inversion; above, BTRS.
const BINOMIAL_INVERSION_MAX_MEAN = 10;

/**
 * Binomial(n, p) draw. Sequential-search inversion (BINV, Kachitvichyanukul & Schmeiser 1988)
 * when n·min(p, 1 − p) < 10, and Hörmann's transformed rejection with squeeze (BTRS) otherwise,
 * with the exact log-pmf ratio in the final test. Both are exact; p > ½ is reflected.
 *
 * @param rng - random number generator.
 * @param n - number of trials, a non-negative integer.
 * @param p - success probability, in [0, 1].
 * @returns an integer in [0, n].
 * @throws RangeError if n is not a non-negative integer or p is outside [0, 1].
 * @example
 * ```ts
 * random.binomial(new Rng(1), 20, 0.3);
 * ```
 *
 * References: Hörmann, W. (1993). The generation of binomial random variates. Journal of
 * Statistical Computation and Simulation 46(1–2), 101–110. Kachitvichyanukul, V. & Schmeiser,
 * B. W. (1988). Binomial random variate generation. CACM 31(2), 216–222.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (!(n >= 0 && Number.isInteger(n))) bad('binomial', 'n must be a non-negative integer', n);
  if (!(p >= 0 && p <= 1)) bad('binomial', 'p must be in [0, 1]', p);
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  if (n === 0 || p === 0) return 0;
  const q = 1 - p;
  if (n * p < BINOMIAL_INVERSION_MAX_MEAN) {
    const s = p / q;
    const a = (n + 1) * s;
    const r0 = exp(n * log1p(-p));
    for (;;) {
      let r = r0;
      let u = rng.uniform();
      let k = 0;
      while (u >= r) {
        u -= r;
        k++;
        if (k > n) break;
        r *= a / k - s;
      }
      if (k <= n) return k;
    }
  }
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = lfactorial(m) + lfactorial(n - m);
  for (;;) {
    const u = rng.uniform() - 0.5;
    let v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = log((v * alpha) / (a / (us * us) + b));
    if (v <= h - lfactorial(k) - lfactorial(n - k) + (k - m) * lpq) return k;
  }
}

/**
 * NegativeBinomial draw in PyMC's (μ, α) parameterisation (mean μ, variance μ + μ²/α), as a
 * gamma–Poisson mixture: λ ~ Gamma(α, rate α/μ), then Poisson(λ).
 *
 * @param rng - random number generator.
 * @param mu - mean, > 0.
 * @param alpha - dispersion (shape), > 0; α → ∞ gives a Poisson.
 * @returns a non-negative integer.
 * @throws RangeError if mu or alpha is not > 0.
 * @example
 * ```ts
 * random.negativeBinomial(new Rng(1), 3, 2); // variance 3 + 9/2
 * ```
 */
export function negativeBinomial(rng: Rng, mu: number, alpha: number): number {
  if (!(mu > 0 && mu < Infinity)) bad('negativeBinomial', 'mu must be finite and > 0', mu);
  if (!(alpha > 0)) bad('negativeBinomial', 'alpha must be > 0', alpha);
  return poisson(rng, gamma(rng, alpha, alpha / mu));
}

/**
 * Categorical draw: index i with probability wᵢ/Σw over `weights[start .. start + k)`.
 *
 * @param rng - random number generator.
 * @param weights - non-negative weights (probabilities, normalised or not).
 * @param start - first index (default 0).
 * @param k - number of categories (default `weights.length - start`).
 * @returns an integer in [0, k).
 * @throws RangeError if the weights do not have a positive finite sum or one is negative.
 * @example
 * ```ts
 * random.categorical(new Rng(1), [0.2, 0.5, 0.3]);
 * ```
 */
export function categorical(rng: Rng, weights: ArrayLike<number>, start = 0, k = weights.length - start): number {
  let total = 0;
  for (let i = 0; i < k; i++) {
    const w = weights[start + i];
    if (!(w >= 0)) bad('categorical', `weights must be ≥ 0 (index ${i})`, w);
    total += w;
  }
  if (!(total > 0 && total < Infinity)) bad('categorical', 'weights must have a positive finite sum', total);
  const u = rng.uniform() * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < k; i++) {
    const w = weights[start + i];
    if (w > 0) {
      acc += w;
      last = i;
      if (u < acc) return i;
    }
  }
  return last; // rounding: u landed in [acc, total)
}

/**
 * Dirichlet(α) draw into `out`: normalised Gamma(αᵢ, 1) draws. When some αᵢ < 1 the gammas are
 * drawn on the log scale and normalised with a log-sum-exp, so small concentrations neither
 * underflow nor give 0/0.
 *
 * @param rng - random number generator.
 * @param alpha - concentrations, each > 0.
 * @param out - output buffer of length ≥ alpha.length (default: a new array; may not alias alpha).
 * @returns `out`, a point on the simplex.
 * @throws RangeError if an αᵢ is not > 0.
 * @example
 * ```ts
 * random.dirichlet(new Rng(1), [1, 2, 3], new Float64Array(3));
 * ```
 */
export function dirichlet(rng: Rng, alpha: ArrayLike<number>, out: Float64Array = new Float64Array(alpha.length)): Float64Array {
  const k = alpha.length;
  let minAlpha = Infinity;
  for (let i = 0; i < k; i++) {
    if (!(alpha[i] > 0)) bad('dirichlet', `alpha[${i}] must be > 0`, alpha[i]);
    if (alpha[i] < minAlpha) minAlpha = alpha[i];
  }
  if (minAlpha >= 1) {
    let s = 0;
    for (let i = 0; i < k; i++) s += out[i] = gammaShapeAtLeastOne(rng, alpha[i]);
    for (let i = 0; i < k; i++) out[i] /= s;
    return out;
  }
  let m = -Infinity;
  for (let i = 0; i < k; i++) {
    out[i] = logGamma(rng, alpha[i]);
    if (out[i] > m) m = out[i];
  }
  let s = 0;
  for (let i = 0; i < k; i++) s += out[i] = exp(out[i] - m);
  for (let i = 0; i < k; i++) out[i] /= s;
  return out;
}

/**
 * Multivariate normal draw μ + L·z into `out`, given the Cholesky factor L of the covariance.
 *
 * @param rng - random number generator.
 * @param mu - mean vector of length n.
 * @param L - n×n lower-triangular Cholesky factor of the covariance, row-major (see `cholesky`).
 * @param n - dimension.
 * @param out - output buffer of length n (default: a new array; may not alias mu).
 * @returns `out`.
 * @example
 * ```ts
 * const L = linalg.cholesky(Float64Array.of(2, 0.3, 0.3, 1), 2); // linalg from 'nutmeg/kernels'
 * random.mvNormal(new Rng(1), [0, 0], L, 2, new Float64Array(2));
 * ```
 */
export function mvNormal(rng: Rng, mu: ArrayLike<number>, L: Float64Array, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  lowerMatVec(L, n, out, out);
  for (let i = 0; i < n; i++) out[i] += mu[i];
  return out;
}
