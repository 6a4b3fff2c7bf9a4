// The user-facing distribution constructors: `Normal({ mu, sigma })` etc., with PyMC's names.
import type { TensorLike } from '../graph/tensor.js';
import * as C from './continuous.js';
import * as D from './discrete.js';
import type { ElementwiseDistribution } from './distribution.js';
import * as M from './multivariate.js';
import * as LKJ from './lkjCholeskyCorr.js';

/** A distribution family with its parameters, ready for `Model.rv`. */
export interface DistributionSpec {
  readonly family: ElementwiseDistribution | M.CompositeDistribution;
  readonly params: Readonly<Record<string, TensorLike>>;
}

/** Named parameters of a distribution factory: each a number, an array or a `Tensor` of the model. */
export type DistributionParams<K extends string> = { [key in K]: TensorLike };

const spec = (family: ElementwiseDistribution | M.CompositeDistribution, params: object): DistributionSpec => ({
  family,
  params: params as Record<string, TensorLike>,
});

/** Normal(mu, sigma) — or with precision `tau`. `mu` defaults to 0. @example `Normal({ mu: 0, sigma: 1 })` */
export const Normal = (p: Partial<DistributionParams<'mu'>> & (DistributionParams<'sigma'> | DistributionParams<'tau'>)): DistributionSpec => spec(C.Normal, p);
/** HalfNormal(sigma) on [0, ∞) — or with precision `tau`. */
export const HalfNormal = (p: DistributionParams<'sigma'> | DistributionParams<'tau'>): DistributionSpec => spec(C.HalfNormal, p);
/** HalfCauchy(beta) on [0, ∞). */
export const HalfCauchy = (p: DistributionParams<'beta'>): DistributionSpec => spec(C.HalfCauchy, p);
/** Cauchy(alpha, beta): location alpha, scale beta. */
export const Cauchy = (p: DistributionParams<'alpha' | 'beta'>): DistributionSpec => spec(C.Cauchy, p);
/** StudentT(nu, mu, sigma); `mu` defaults to 0. */
export const StudentT = (p: DistributionParams<'nu'> & Partial<DistributionParams<'mu'>> & (DistributionParams<'sigma'> | DistributionParams<'lam'>)): DistributionSpec => spec(C.StudentT, p);
/** Uniform(lower, upper); defaults 0 and 1. */
export const Uniform = (p: Partial<DistributionParams<'lower' | 'upper'>> = {}): DistributionSpec => spec(C.Uniform, p);
/** Exponential(lam) with rate `lam` (or `scale` = 1/lam). */
export const Exponential = (p: DistributionParams<'lam'> | DistributionParams<'scale'>): DistributionSpec => spec(C.Exponential, p);
/** Gamma(alpha, beta) with shape alpha and rate beta — or Gamma(mu, sigma). */
export const Gamma = (p: DistributionParams<'alpha' | 'beta'> | DistributionParams<'mu' | 'sigma'>): DistributionSpec => spec(C.Gamma, p);
/** InverseGamma(alpha, beta). */
export const InverseGamma = (p: DistributionParams<'alpha' | 'beta'>): DistributionSpec => spec(C.InverseGamma, p);
/** Beta(alpha, beta) on [0, 1]. */
export const Beta = (p: DistributionParams<'alpha' | 'beta'>): DistributionSpec => spec(C.Beta, p);
/** LogNormal(mu, sigma): log of the value is Normal(mu, sigma). */
export const LogNormal = (p: Partial<DistributionParams<'mu'>> & (DistributionParams<'sigma'> | DistributionParams<'tau'>)): DistributionSpec => spec(C.LogNormal, p);
/** Laplace(mu, b). */
export const Laplace = (p: DistributionParams<'mu' | 'b'>): DistributionSpec => spec(C.Laplace, p);
/** Weibull(alpha, beta): shape alpha, scale beta. */
export const Weibull = (p: DistributionParams<'alpha' | 'beta'>): DistributionSpec => spec(C.Weibull, p);
/** The improper flat density on the real line. */
export const Flat = (): DistributionSpec => spec(C.Flat, {});
/** The improper flat density on [0, ∞). */
export const HalfFlat = (): DistributionSpec => spec(C.HalfFlat, {});
/** Bernoulli(p) — or Bernoulli(logit_p). */
export const Bernoulli = (p: DistributionParams<'p'> | DistributionParams<'logit_p'>): DistributionSpec => spec(D.Bernoulli, p);
/** Binomial(n, p) — or Binomial(n, logit_p). */
export const Binomial = (p: DistributionParams<'n'> & (DistributionParams<'p'> | DistributionParams<'logit_p'>)): DistributionSpec => spec(D.Binomial, p);
/** Poisson(mu). */
export const Poisson = (p: DistributionParams<'mu'>): DistributionSpec => spec(D.Poisson, p);
/** NegativeBinomial(mu, alpha): mean mu, variance mu + mu²/alpha. */
export const NegativeBinomial = (p: DistributionParams<'mu' | 'alpha'>): DistributionSpec => spec(D.NegativeBinomial, p);
/** MvNormal(mu, cov) — or MvNormal(mu, chol) with a lower Cholesky factor; cov/chol must be data. */
export const MvNormal = (p: DistributionParams<'mu'> & (DistributionParams<'cov'> | DistributionParams<'chol'>)): DistributionSpec => spec(M.MvNormal, p);
/** Dirichlet(a) on the simplex. */
export const Dirichlet = (p: DistributionParams<'a'>): DistributionSpec => spec(M.Dirichlet, p);
/**
 * LKJCholeskyCorr(eta, n): the n×n lower Cholesky factor L of a correlation matrix LLᵀ ~ LKJ(eta)
 * (Stan's `lkj_corr_cholesky`; eta = 1 is uniform over correlation matrices, larger eta
 * concentrates on the identity). `n` is a fixed integer ≥ 2.
 *
 * @param p - `eta` (> 0, a number or a scalar tensor) and `n` (the order of the matrix)
 * @returns the distribution, for `Model.rv`; the variable has shape [n, n]
 * @example
 * ```ts
 * const m = new Model();
 * const L = m.rv('L', LKJCholeskyCorr({ eta: 2, n: 2 }));
 * const sd = m.rv('sd', HalfNormal({ sigma: 1 }), { shape: [2] });
 * const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [10, 2] });
 * const r = math.matmul(z, math.transpose(L)).mul(sd); // rows ~ MvNormal(0, diag(sd)·LLᵀ·diag(sd))
 * ```
 */
export const LKJCholeskyCorr = (p: DistributionParams<'eta' | 'n'>): DistributionSpec => spec(LKJ.LKJCholeskyCorr, p);
