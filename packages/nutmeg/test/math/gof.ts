// Test helpers for random variate generators: MCSE-based moment checks, Kolmogorov–Smirnov and chi-square goodness of fit.
import assert from 'node:assert/strict';
import { lbeta, lgamma } from '../../src/math/special.js';

/**
 * Two-sided z used for every check: P(|Z| > 4.5) ≈ 7e-6 per assertion, so a correct generator
 * fails one of the ~150 checks with probability ≈ 1e-3 for an arbitrary seed (seeds are fixed).
 */
export const Z = 4.5;

/** Central moments (mean, variance, fourth central moment) from raw moments E[X], …, E[X⁴]. */
export function centralFromRaw(m1: number, m2: number, m3: number, m4: number): { mean: number; variance: number; mu4: number } {
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4,
  };
}

/**
 * Asserts the sample mean and variance agree with the truth within Z Monte Carlo standard errors:
 * SE(mean) = √(σ²/n), SE(variance) = √((μ₄ − σ⁴)/n) (the asymptotic variance of the sample variance).
 */
export function checkMoments(draws: ArrayLike<number>, truth: { mean: number; variance: number; mu4: number }, label: string): void {
  const n = draws.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += draws[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (draws[i] - mean) ** 2;
  const variance = ss / (n - 1);
  const seMean = Math.sqrt(truth.variance / n);
  const seVar = Math.sqrt(Math.max(truth.mu4 - truth.variance ** 2, 0) / n);
  assert.ok(
    Math.abs(mean - truth.mean) <= Z * seMean,
    `${label}: mean ${mean} vs ${truth.mean} (${((mean - truth.mean) / seMean).toFixed(2)} SE)`,
  );
  assert.ok(
    Math.abs(variance - truth.variance) <= Z * seVar,
    `${label}: variance ${variance} vs ${truth.variance} (${((variance - truth.variance) / seVar).toFixed(2)} SE)`,
  );
}

/**
 * Asserts the one-sample Kolmogorov–Smirnov statistic against `cdf` is below the p = 1.3e-4
 * critical value, using Stephens' finite-n correction (√n + 0.12 + 0.11/√n)·D and the
 * asymptotic tail P(K > x) ≈ 2·exp(−2x²).
 */
export function checkKs(draws: ArrayLike<number>, cdf: (x: number) => number, label: string): void {
  const x = Float64Array.from(draws).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const stat = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  assert.ok(stat <= 2.2, `${label}: KS statistic ${stat.toFixed(3)} > 2.2 (D = ${d})`);
}

/**
 * Chi-square goodness of fit of integer draws against a pmf on [kLo, kHi] (which must hold all
 * but a negligible mass): adjacent values are merged until each bin expects ≥ 5 draws, and the
 * statistic is compared with the p = 1e-4 quantile (Wilson–Hilferty approximation).
 */
export function checkChiSquare(draws: ArrayLike<number>, pmf: (k: number) => number, kLo: number, kHi: number, label: string): void {
  const n = draws.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const k = draws[i];
    assert.ok(Number.isInteger(k), `${label}: non-integer draw ${k}`);
    const c = Math.min(Math.max(k, kLo), kHi);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const expected: number[] = [];
  const observed: number[] = [];
  let e = 0, o = 0;
  for (let k = kLo; k <= kHi; k++) {
    e += n * pmf(k);
    o += counts.get(k) ?? 0;
    if (e >= 5) {
      expected.push(e);
      observed.push(o);
      e = 0;
      o = 0;
    }
  }
  if (expected.length === 0) {
    expected.push(e);
    observed.push(o);
  } else {
    expected[expected.length - 1] += e;
    observed[observed.length - 1] += o;
  }
  let stat = 0;
  for (let i = 0; i < expected.length; i++) stat += (observed[i] - expected[i]) ** 2 / expected[i];
  const df = Math.max(expected.length - 1, 1);
  const zq = 3.719; // upper 1e-4 normal quantile
  const crit = df * (1 - 2 / (9 * df) + zq * Math.sqrt(2 / (9 * df))) ** 3;
  assert.ok(stat <= crit, `${label}: chi-square ${stat.toFixed(2)} > ${crit.toFixed(2)} on ${df} df`);
}

/** Moments (mean, variance, μ₄) of a discrete distribution from its pmf on [kLo, kHi]. */
export function discreteMoments(pmf: (k: number) => number, kLo: number, kHi: number): { mean: number; variance: number; mu4: number } {
  let m1 = 0;
  for (let k = kLo; k <= kHi; k++) m1 += k * pmf(k);
  let m2 = 0, m4 = 0;
  for (let k = kLo; k <= kHi; k++) {
    const p = pmf(k);
    const d = k - m1;
    m2 += d * d * p;
    m4 += d ** 4 * p;
  }
  return { mean: m1, variance: m2, mu4: m4 };
}

const TINY = 1e-300;

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, Lentz continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const lead = Math.exp(-x + a * Math.log(x) - lgamma(a));
  if (x < a + 1) {
    let term = 1 / a, sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return sum * lead;
  }
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - lead * h;
}

function betaCf(a: number, b: number, x: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b) (continued fraction with the usual symmetry switch). */
export function betaI(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lead = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (lead * betaCf(a, b, x)) / a;
  return 1 - (lead * betaCf(b, a, 1 - x)) / b;
}

/** Student-t CDF with ν degrees of freedom (standardised). */
export function studentTCdf(t: number, nu: number): number {
  const tail = 0.5 * betaI(nu / 2, 0.5, nu / (nu + t * t));
  return t > 0 ? 1 - tail : tail;
}
