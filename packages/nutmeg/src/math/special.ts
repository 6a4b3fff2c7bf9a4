// Scalar special functions (log-gamma, digamma, log-beta, softplus, log-sum-exp, normal CDF, …) for log densities.
//
// Everything here is scalar, allocation-free and safe to call from generated code on hot paths.
// lgamma, digamma, lbeta, erf, erfc and erfcx come from stdlib-js (Apache-2.0), whose
// implementations are ports of FreeBSD msun / Boost / R with published error bounds; the rest is
// written here, following the references given on each function.

import { gammaln as stdlibGammaln, digamma as stdlibDigamma, betaln as stdlibBetaln, erf as stdlibErf, erfc as stdlibErfc, erfcx as stdlibErfcx } from './stdlib.js';
import { exp, log, log1p, expm1, sin, sumExp } from '../core/libm/index.js';

/** log(2π). */
export const LOG_2PI = 1.8378770664093453;
/** log(√(2π)) = ½·log(2π). */
export const LN_SQRT_2PI = 0.9189385332046728;
/** log(π). */
export const LN_PI = 1.1447298858494002;
/** log(2). */
export const LN2 = 0.6931471805599453;
/** The Euler–Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;
/** √(2/π), the constant in the normal density's ratio to erfcx. */
const SQRT_2_OVER_PI = 0.7978845608028654;
/** 1/√(2π). */
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Natural logarithm of the absolute value of the gamma function, log|Γ(x)|.
 *
 * Accurate to a few ulps over the whole real line (stdlib-js `gammaln`, a port of FreeBSD's
 * `lgamma_r`), including near the roots x = 1 and x = 2 and for negative non-integers.
 *
 * @param x - any real number.
 * @returns log|Γ(x)|; `+Infinity` at 0 and the negative integers; `NaN` for `NaN`.
 * @example
 * ```ts
 * lgamma(5); // log(24) = 3.1780538303479458
 * lgamma(0.5); // log(√π) = 0.5723649429247001
 * ```
 */
export function lgamma(x: number): number {
  return stdlibGammaln(x);
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x).
 *
 * stdlib-js `digamma` (Boost's rational approximations around the positive root, recurrence and
 * an asymptotic series elsewhere, reflection for x < 0).
 *
 * @param x - any real number.
 * @returns ψ(x); `NaN` at 0 and the negative integers (poles).
 * @example
 * ```ts
 * digamma(1); // -0.5772156649015329 (−γ)
 * ```
 */
export function digamma(x: number): number {
  return stdlibDigamma(x);
}

/**
 * The trigamma function ψ₁(x) = d²/dx² log Γ(x).
 *
 * For x > 0 the recurrence ψ₁(x) = ψ₁(x + 1) + 1/x² moves the argument to x ≥ 10, where the
 * asymptotic series 1/x + 1/(2x²) + Σ B₂ₖ/x^(2k+1) is summed to the x⁻¹⁵ term (truncation error
 * below 1e-15 relative). For x < 0 the reflection ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx) is used.
 *
 * @param x - any real number.
 * @returns ψ₁(x); `+Infinity` at 0 and the negative integers.
 * @example
 * ```ts
 * trigamma(1); // π²/6 ≈ 1.6449340668482266
 * ```
 *
 * References: Abramowitz & Stegun (1964), 6.4.6, 6.4.7 and 6.4.12.
 */
export function trigamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) {
    if (x === Math.floor(x)) return Infinity;
    // Reflection; sin(πx) computed from the reduced argument to keep precision for large |x|.
    const r = x - Math.round(x);
    const s = sin(Math.PI * r);
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  if (x > 1e15) return 1 / x + 0.5 / (x * x);
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const z = 1 / x;
  const z2 = z * z;
  const series =
    z +
    0.5 * z2 +
    z * z2 *
      (1 / 6 -
        z2 * (1 / 30 - z2 * (1 / 42 - z2 * (1 / 30 - z2 * (5 / 66 - z2 * (691 / 2730 - z2 * (7 / 6)))))));
  return acc + series;
}

/**
 * Natural logarithm of the beta function, log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b),
 * computed without the cancellation of that formula when one argument is large
 * (stdlib-js `betaln`, after R's `lbeta`).
 *
 * @param a - first shape, > 0.
 * @param b - second shape, > 0.
 * @returns log B(a, b); `NaN` if either argument is negative or `NaN`; `+Infinity` if one is 0.
 * @example
 * ```ts
 * lbeta(2, 3); // log(1/12) = -2.4849066497880004
 * ```
 */
export function lbeta(a: number, b: number): number {
  return stdlibBetaln(a, b);
}

// log(n!) for n < LFACT_TABLE_SIZE, filled once at module load (Poisson/binomial data hit these).
const LFACT_TABLE_SIZE = 256;
const LFACT_TABLE = new Float64Array(LFACT_TABLE_SIZE);
for (let i = 0; i < LFACT_TABLE_SIZE; i++) LFACT_TABLE[i] = stdlibGammaln(i + 1);

/**
 * log(n!) = lgamma(n + 1), with a table lookup for small non-negative integers.
 *
 * @param n - a number ≥ 0 (non-integers give lgamma(n + 1)).
 * @returns log Γ(n + 1); `NaN` for n < 0 or `NaN`.
 * @example
 * ```ts
 * lfactorial(10); // log(3628800) = 15.104412573075518
 * ```
 */
export function lfactorial(n: number): number {
  if (n >= 0 && n < LFACT_TABLE_SIZE && (n | 0) === n) return LFACT_TABLE[n];
  if (!(n >= 0)) return NaN;
  return stdlibGammaln(n + 1);
}

/**
 * Log of the binomial coefficient, log C(n, k) = log Γ(n + 1) − log Γ(k + 1) − log Γ(n − k + 1),
 * computed as −log(n + 1) − log B(n − k + 1, k + 1), which keeps full relative precision when
 * n is large and k or n − k is small.
 *
 * @param n - total, ≥ 0 (real values allowed).
 * @param k - chosen, real in [0, n].
 * @returns log C(n, k); `-Infinity` if k < 0 or k > n; `NaN` for `NaN` input or n < 0.
 * @example
 * ```ts
 * lchoose(10, 3); // log(120) = 4.787491742782046
 * ```
 */
export function lchoose(n: number, k: number): number {
  if (Number.isNaN(n) || Number.isNaN(k) || n < 0) return NaN;
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  if (k === 1 || k === n - 1) return log(n);
  return -log1p(n) - stdlibBetaln(n - k + 1, k + 1);
}

/**
 * Softplus, log(1 + eˣ), stable in both tails.
 *
 * @param x - any real number.
 * @returns log(1 + exp(x)), which is eˣ for x → −∞ and x for x → +∞ (never overflows).
 * @example
 * ```ts
 * log1pexp(0); // log 2
 * log1pexp(800); // 800
 * ```
 *
 * References: Mächler, M. (2012). Accurately computing log(1 − exp(−|a|)). Rmpfr vignette, eq. (10).
 */
export function log1pexp(x: number): number {
  if (x > 33.3) return x;
  // One exp call site (eˣ, or e⁻ˣ above 18): the function stays small enough for V8 to inline.
  const e = exp(x <= 18 ? x : -x);
  return x <= -37 ? e : x <= 18 ? log1p(e) : x + e;
}

/**
 * log(1 − eˣ) for x ≤ 0, accurate near 0 and in the far left tail.
 *
 * Uses log(−expm1(x)) for −log 2 < x ≤ 0 and log1p(−eˣ) below, as recommended by Mächler (2012).
 *
 * @param x - a number ≤ 0.
 * @returns log(1 − exp(x)); `-Infinity` at 0; `NaN` for x > 0.
 * @example
 * ```ts
 * log1mexp(-1e-10); // -23.025850929990458
 * ```
 *
 * References: Mächler, M. (2012). Accurately computing log(1 − exp(−|a|)). Rmpfr vignette.
 */
export function log1mexp(x: number): number {
  if (x > -LN2) return x > 0 ? NaN : log(-expm1(x));
  return log1p(-exp(x));
}

/**
 * log(eᵃ + eᵇ) without overflow or underflow.
 *
 * @param a - log of the first term.
 * @param b - log of the second term.
 * @returns log(exp(a) + exp(b)); `-Infinity` if both are `-Infinity`.
 * @example
 * ```ts
 * logAddExp(1000, 1000); // 1000 + log 2
 * ```
 */
export function logAddExp(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  const m = a > b ? a : b;
  if (m === -Infinity || m === Infinity) return m;
  return m + log1p(exp(-Math.abs(a - b)));
}

/**
 * log(eᵃ − eᵇ) for a ≥ b, without overflow or cancellation: a + log1mexp(b − a).
 *
 * @param a - log of the larger term.
 * @param b - log of the smaller term.
 * @returns log(exp(a) − exp(b)); `-Infinity` if a = b; `NaN` if a < b.
 * @example
 * ```ts
 * logDiffExp(0, -1); // log(1 − e⁻¹)
 * ```
 */
export function logDiffExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + log1mexp(b - a);
}

/**
 * log Σ exp(xᵢ) over `values[start..end)`, shifted by the maximum so nothing overflows.
 *
 * @param values - log terms (any array-like of numbers, e.g. a Float64Array).
 * @param start - first index (default 0).
 * @param end - one past the last index (default `values.length`).
 * @returns the log of the sum; `-Infinity` for an empty range or when all terms are `-Infinity`;
 *   `+Infinity` if any term is `+Infinity`; `NaN` if any term is `NaN`.
 * @example
 * ```ts
 * logsumexp([1000, 1000]); // 1000 + log 2
 * ```
 */
export function logsumexp(values: ArrayLike<number>, start = 0, end = values.length): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  if (m === -Infinity || m === Infinity) return m;
  return m + log(sumExp(values, m, start, end));
}

/**
 * Writes softmax(values) = exp(xᵢ − logsumexp(x)) into `out` (which may be `values` itself).
 *
 * @param values - log weights.
 * @param out - output buffer with at least `values.length` entries.
 * @returns `out`.
 * @example
 * ```ts
 * softmax([0, Math.log(3)], new Float64Array(2)); // [0.25, 0.75]
 * ```
 */
export function softmax<T extends { [i: number]: number; length: number }>(values: ArrayLike<number>, out: T): T {
  const lse = logsumexp(values);
  for (let i = 0; i < values.length; i++) out[i] = exp(values[i] - lse);
  return out;
}

/**
 * The logit, log(p / (1 − p)).
 *
 * @param p - a probability in [0, 1].
 * @returns log(p) − log1p(−p); ±Infinity at 1 and 0; `NaN` outside [0, 1].
 * @example
 * ```ts
 * logit(0.5); // 0
 * ```
 */
export function logit(p: number): number {
  if (p < 0.5) return log(p) - log1p(-p);
  return log(p / (1 - p));
}

/**
 * The logistic function 1 / (1 + e⁻ˣ), stable for both signs of x.
 *
 * @param x - any real number.
 * @returns a probability in [0, 1].
 * @example
 * ```ts
 * expit(0); // 0.5
 * expit(-800); // 0 (no overflow warning, no NaN)
 * ```
 */
export function expit(x: number): number {
  const e = exp(x >= 0 ? -x : x); // one exp call site, as in log1pexp
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/**
 * log(expit(x)) = −log1pexp(−x), the log-probability of success under a logit link.
 *
 * @param x - any real number (log-odds).
 * @returns log σ(x), ≤ 0.
 * @example
 * ```ts
 * logExpit(-800); // -800
 * ```
 */
export function logExpit(x: number): number {
  return -log1pexp(-x);
}

/**
 * log(1 − expit(x)) = −log1pexp(x), the log-probability of failure under a logit link.
 *
 * @param x - any real number (log-odds).
 * @returns log(1 − σ(x)), ≤ 0.
 * @example
 * ```ts
 * log1mExpit(0); // -log 2
 * ```
 */
export function log1mExpit(x: number): number {
  return -log1pexp(x);
}

/**
 * The error function erf(x) (stdlib-js, a port of FreeBSD's `s_erf.c`).
 *
 * @param x - any real number.
 * @returns erf(x) in [−1, 1].
 * @example
 * ```ts
 * erf(1); // 0.8427007929497149
 * ```
 */
export function erf(x: number): number {
  return stdlibErf(x);
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), accurate in the right tail
 * (stdlib-js, a port of FreeBSD's `s_erf.c`).
 *
 * @param x - any real number.
 * @returns erfc(x) in [0, 2].
 * @example
 * ```ts
 * erfc(5); // 1.5374597944280351e-12
 * ```
 */
export function erfc(x: number): number {
  return stdlibErfc(x);
}

/**
 * The scaled complementary error function erfcx(x) = exp(x²)·erfc(x), which does not underflow
 * for large x (stdlib-js, after Johnson's Faddeeva package).
 *
 * @param x - any real number.
 * @returns erfcx(x) > 0 (≈ 1/(x√π) for large x).
 * @example
 * ```ts
 * erfcx(0); // 1
 * ```
 */
export function erfcx(x: number): number {
  return stdlibErfcx(x);
}

// exp(−x²/2) with x² split exactly (Dekker) so that the rounding of x² does not cost ~x²·ε of
// relative accuracy in the tails.
function expNegHalfSquare(x: number): number {
  const c = 134217729 * x;
  const hi = c - (c - x);
  const lo = x - hi;
  return exp(-0.5 * hi * hi) * exp(-0.5 * lo * (2 * hi + lo));
}

/**
 * The standard normal CDF Φ(x) = ½·erfc(−x/√2).
 *
 * For x < −1 it is evaluated as ½·erfcx(−x/√2)·exp(−x²/2) with x² split exactly, which keeps
 * full relative precision deep in the left tail.
 *
 * @param x - any real number.
 * @returns Φ(x) in [0, 1].
 * @example
 * ```ts
 * normalCdf(0); // 0.5
 * ```
 */
export function normalCdf(x: number): number {
  if (x < -1) return x === -Infinity ? 0 : 0.5 * stdlibErfcx(-x * Math.SQRT1_2) * expNegHalfSquare(x);
  return 0.5 * stdlibErfc(-x * Math.SQRT1_2);
}

/**
 * log Φ(x), the log of the standard normal CDF, accurate in both tails.
 *
 * For x < 0, log Φ(x) = log(½·erfcx(−x/√2)) − x²/2, which never underflows; for x ≥ 0,
 * log Φ(x) = log1p(−Φ(−x)).
 *
 * @param x - any real number.
 * @returns log Φ(x) ≤ 0 (≈ −x²/2 − log(−x√(2π)) as x → −∞).
 * @example
 * ```ts
 * logNormalCdf(-40); // -804.6084420137538
 * ```
 */
export function logNormalCdf(x: number): number {
  if (x < 0) {
    if (x === -Infinity) return -Infinity;
    return log(0.5 * stdlibErfcx(-x * Math.SQRT1_2)) - 0.5 * x * x;
  }
  return log1p(-normalCdf(-x));
}

/**
 * log(1 − Φ(x)) = log Φ(−x), the log of the standard normal survival function.
 *
 * @param x - any real number.
 * @returns log(1 − Φ(x)) ≤ 0.
 * @example
 * ```ts
 * logNormalSf(40); // -804.6084420137538
 * ```
 */
export function logNormalSf(x: number): number {
  return logNormalCdf(-x);
}

/**
 * d/dx log Φ(x) = φ(x)/Φ(x) (the inverse Mills ratio of −x), accurate for all x: √(2/π)/erfcx(−x/√2)
 * for x < 0 (≈ −x as x → −∞) and φ(x)/(1 − Φ(−x)) for x ≥ 0 (≈ φ(x) as x → +∞).
 *
 * @param x - any real number.
 * @returns φ(x)/Φ(x) > 0.
 * @example
 * ```ts
 * dLogNormalCdf(0); // 2φ(0) = 0.7978845608028654
 * ```
 */
export function dLogNormalCdf(x: number): number {
  if (x < 0) return SQRT_2_OVER_PI / stdlibErfcx(-x * Math.SQRT1_2);
  return (expNegHalfSquare(x) * INV_SQRT_2PI) / (1 - normalCdf(-x));
}
