// The stdlib special functions and quantiles nutmeg uses, typed, from one pre-bundled module (scripts/bundle-stdlib.mjs).
import * as bundle from './vendor/stdlib.bundle.js';

/** log Γ(x) (@stdlib/math-base-special-gammaln). */
export const gammaln: (x: number) => number = bundle.gammaln;
/** ψ(x), the digamma function (@stdlib/math-base-special-digamma). */
export const digamma: (x: number) => number = bundle.digamma;
/** log B(a, b) (@stdlib/math-base-special-betaln). */
export const betaln: (a: number, b: number) => number = bundle.betaln;
/** The error function (@stdlib/math-base-special-erf). */
export const erf: (x: number) => number = bundle.erf;
/** The complementary error function (@stdlib/math-base-special-erfc). */
export const erfc: (x: number) => number = bundle.erfc;
/** The scaled complementary error function exp(x²)·erfc(x) (@stdlib/math-base-special-erfcx). */
export const erfcx: (x: number) => number = bundle.erfcx;
/** The regularized incomplete beta function I_x(a, b), the CDF of Beta(a, b) at x (@stdlib/math-base-special-betainc; lower tail, regularized). */
export const betainc: (x: number, a: number, b: number) => number = bundle.betainc;
/** Quantile function of Beta(α, β) at p (@stdlib/stats-base-dists-beta-quantile). */
export const betaQuantile: (p: number, alpha: number, beta: number) => number = bundle.betaQuantile;
/** Quantile function of Normal(μ, σ) at p (@stdlib/stats-base-dists-normal-quantile). */
export const normalQuantile: (p: number, mu: number, sigma: number) => number = bundle.normalQuantile;
