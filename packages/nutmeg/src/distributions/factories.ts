// The user-facing distribution constructors: `Normal({ mu, sigma })` etc., with PyMC's names.
import type { TensorLike } from '../graph/tensor.js';
import * as C from './continuous.js';
import * as D from './discrete.js';
import type { ElementwiseDistribution } from './distribution.js';
import * as M from './multivariate.js';

/** A distribution family with its parameters, ready for `Model.rv`. */
export interface DistributionSpec {
  readonly family: ElementwiseDistribution | M.CompositeDistribution;
  readonly params: Readonly<Record<string, TensorLike>>;
}

type P<K extends string> = { [key in K]: TensorLike };

const spec = (family: ElementwiseDistribution | M.CompositeDistribution, params: object): DistributionSpec => ({
  family,
  params: params as Record<string, TensorLike>,
});

/** Normal(mu, sigma) — or with precision `tau`. `mu` defaults to 0. @example `Normal({ mu: 0, sigma: 1 })` */
export const Normal = (p: Partial<P<'mu'>> & (P<'sigma'> | P<'tau'>)): DistributionSpec => spec(C.Normal, p);
/** HalfNormal(sigma) on [0, ∞) — or with precision `tau`. */
export const HalfNormal = (p: P<'sigma'> | P<'tau'>): DistributionSpec => spec(C.HalfNormal, p);
/** HalfCauchy(beta) on [0, ∞). */
export const HalfCauchy = (p: P<'beta'>): DistributionSpec => spec(C.HalfCauchy, p);
/** Cauchy(alpha, beta): location alpha, scale beta. */
export const Cauchy = (p: P<'alpha' | 'beta'>): DistributionSpec => spec(C.Cauchy, p);
/** StudentT(nu, mu, sigma); `mu` defaults to 0. */
export const StudentT = (p: P<'nu'> & Partial<P<'mu'>> & (P<'sigma'> | P<'lam'>)): DistributionSpec => spec(C.StudentT, p);
/** Uniform(lower, upper); defaults 0 and 1. */
export const Uniform = (p: Partial<P<'lower' | 'upper'>> = {}): DistributionSpec => spec(C.Uniform, p);
/** Exponential(lam) with rate `lam` (or `scale` = 1/lam). */
export const Exponential = (p: P<'lam'> | P<'scale'>): DistributionSpec => spec(C.Exponential, p);
/** Gamma(alpha, beta) with shape alpha and rate beta — or Gamma(mu, sigma). */
export const Gamma = (p: P<'alpha' | 'beta'> | P<'mu' | 'sigma'>): DistributionSpec => spec(C.Gamma, p);
/** InverseGamma(alpha, beta). */
export const InverseGamma = (p: P<'alpha' | 'beta'>): DistributionSpec => spec(C.InverseGamma, p);
/** Beta(alpha, beta) on [0, 1]. */
export const Beta = (p: P<'alpha' | 'beta'>): DistributionSpec => spec(C.Beta, p);
/** LogNormal(mu, sigma): log of the value is Normal(mu, sigma). */
export const LogNormal = (p: Partial<P<'mu'>> & (P<'sigma'> | P<'tau'>)): DistributionSpec => spec(C.LogNormal, p);
/** Laplace(mu, b). */
export const Laplace = (p: P<'mu' | 'b'>): DistributionSpec => spec(C.Laplace, p);
/** Weibull(alpha, beta): shape alpha, scale beta. */
export const Weibull = (p: P<'alpha' | 'beta'>): DistributionSpec => spec(C.Weibull, p);
/** The improper flat density on the real line. */
export const Flat = (): DistributionSpec => spec(C.Flat, {});
/** The improper flat density on [0, ∞). */
export const HalfFlat = (): DistributionSpec => spec(C.HalfFlat, {});
/** Bernoulli(p) — or Bernoulli(logit_p). */
export const Bernoulli = (p: P<'p'> | P<'logit_p'>): DistributionSpec => spec(D.Bernoulli, p);
/** Binomial(n, p) — or Binomial(n, logit_p). */
export const Binomial = (p: P<'n'> & (P<'p'> | P<'logit_p'>)): DistributionSpec => spec(D.Binomial, p);
/** Poisson(mu). */
export const Poisson = (p: P<'mu'>): DistributionSpec => spec(D.Poisson, p);
/** NegativeBinomial(mu, alpha): mean mu, variance mu + mu²/alpha. */
export const NegativeBinomial = (p: P<'mu' | 'alpha'>): DistributionSpec => spec(D.NegativeBinomial, p);
/** MvNormal(mu, cov) — or MvNormal(mu, chol) with a lower Cholesky factor; cov/chol must be data. */
export const MvNormal = (p: P<'mu'> & (P<'cov'> | P<'chol'>)): DistributionSpec => spec(M.MvNormal, p);
/** Dirichlet(a) on the simplex. */
export const Dirichlet = (p: P<'a'>): DistributionSpec => spec(M.Dirichlet, p);
