// Continuous univariate distributions (PyMC's names and parameters), as scalar-IR log densities.
import type { SNode } from '../ir/scalarIr.js';
import { LN_PI, LN_SQRT_2PI, LN2 } from '../math/special.js';
import { check, type ElementwiseDistribution } from './distribution.js';
import * as draw from '../math/random.js';
import { exp, log, log1p, pow } from '../core/libm/index.js';

const LOG_2_OVER_PI = log(2 / Math.PI);

/** sigma from `sigma` or from a precision `tau` (sigma = 1/sqrt(tau)). */
function scaleOf(b: import('../ir/scalarIr.js').IrBuilder, p: Readonly<Record<string, SNode>>): SNode {
  return p.sigma ?? b.recip(b.op('sqrt', p.tau));
}
function scaleValue(p: Readonly<Record<string, number>>): number {
  return p.sigma ?? 1 / Math.sqrt(p.tau);
}

/** Normal(mu, sigma) or Normal(mu, tau). */
export const Normal: ElementwiseDistribution = {
  name: 'Normal',
  paramSets: [['mu', 'sigma'], ['mu', 'tau']],
  paramDomains: { mu: 'real', sigma: 'positive', tau: 'positive' },
  defaults: { mu: 0 },
  discrete: false,
  support: { kind: 'real' },
  logp(b, x, p) {
    const sigma = scaleOf(b, p);
    const z = b.div(b.sub(x, p.mu), sigma);
    return {
      terms: [b.mul(b.c(-0.5), b.square(z)), b.neg(b.log(sigma)), b.c(-LN_SQRT_2PI)],
      checks: [check(sigma, '>', b.c(0))],
    };
  },
  sample: (rng, p) => p.mu + scaleValue(p) * rng.normal(),
  sampleInto(rng, p, out) {
    // rng.fillNormal gives the numbers of out.length calls of rng.normal, about twice as fast.
    rng.fillNormal(out);
    const mu = p.mu ?? Float64Array.of(0);
    const scale = p.sigma ?? Float64Array.from(p.tau, (t) => 1 / Math.sqrt(t));
    const mu1 = mu.length === 1;
    const s1 = scale.length === 1;
    for (let i = 0; i < out.length; i++) out[i] = (mu1 ? mu[0] : mu[i]) + (s1 ? scale[0] : scale[i]) * out[i];
  },
};

/** HalfNormal(sigma) or HalfNormal(tau), on [0, ∞). */
export const HalfNormal: ElementwiseDistribution = {
  name: 'HalfNormal',
  paramSets: [['sigma'], ['tau']],
  paramDomains: { sigma: 'positive', tau: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    const sigma = scaleOf(b, p);
    const z = b.div(x, sigma);
    return {
      terms: [b.mul(b.c(-0.5), b.square(z)), b.neg(b.log(sigma)), b.c(0.5 * LOG_2_OVER_PI)],
      checks: [check(sigma, '>', b.c(0)), check(x, '>=', b.c(0))],
    };
  },
  sample: (rng, p) => Math.abs(scaleValue(p) * rng.normal()),
};

/** HalfCauchy(beta), on [0, ∞). */
export const HalfCauchy: ElementwiseDistribution = {
  name: 'HalfCauchy',
  paramSets: [['beta']],
  paramDomains: { beta: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    const z = b.div(x, p.beta);
    return {
      terms: [b.c(LOG_2_OVER_PI), b.neg(b.log(p.beta)), b.neg(b.op('log1p', b.square(z)))],
      checks: [check(p.beta, '>', b.c(0)), check(x, '>=', b.c(0))],
    };
  },
  sample: (rng, p) => Math.abs(p.beta * Math.tan(Math.PI * (rng.uniformOpen() - 0.5))),
};

/** Cauchy(alpha, beta): location alpha, scale beta. */
export const Cauchy: ElementwiseDistribution = {
  name: 'Cauchy',
  paramSets: [['alpha', 'beta']],
  paramDomains: { alpha: 'real', beta: 'positive' },
  discrete: false,
  support: { kind: 'real' },
  logp(b, x, p) {
    const z = b.div(b.sub(x, p.alpha), p.beta);
    return {
      terms: [b.c(-LN_PI), b.neg(b.log(p.beta)), b.neg(b.op('log1p', b.square(z)))],
      checks: [check(p.beta, '>', b.c(0))],
    };
  },
  sample: (rng, p) => p.alpha + p.beta * Math.tan(Math.PI * (rng.uniformOpen() - 0.5)),
};

/** StudentT(nu, mu, sigma). */
export const StudentT: ElementwiseDistribution = {
  name: 'StudentT',
  paramSets: [['nu', 'mu', 'sigma'], ['nu', 'mu', 'lam']],
  paramDomains: { nu: 'positive', mu: 'real', sigma: 'positive', lam: 'positive' },
  defaults: { mu: 0 },
  discrete: false,
  support: { kind: 'real' },
  logp(b, x, p) {
    const sigma = p.sigma ?? b.recip(b.op('sqrt', p.lam));
    const nu = p.nu;
    const z = b.div(b.sub(x, p.mu), sigma);
    const half = b.c(0.5);
    const hnu1 = b.mul(half, b.add(nu, b.c(1)));
    return {
      terms: [
        b.op('lgamma', hnu1),
        b.neg(b.op('lgamma', b.mul(half, nu))),
        b.mul(b.c(-0.5), b.log(nu)),
        b.c(-0.5 * LN_PI),
        b.neg(b.log(sigma)),
        b.neg(b.mul(hnu1, b.op('log1p', b.div(b.square(z), nu)))),
      ],
      checks: [check(sigma, '>', b.c(0)), check(nu, '>', b.c(0))],
    };
  },
  sample: (rng, p) => p.mu + (p.sigma ?? 1 / Math.sqrt(p.lam)) * draw.studentT(rng, p.nu),
};

/** Uniform(lower, upper). */
export const Uniform: ElementwiseDistribution = {
  name: 'Uniform',
  paramSets: [['lower', 'upper']],
  paramDomains: { lower: 'real', upper: { above: 'lower' } },
  defaults: { lower: 0, upper: 1 },
  discrete: false,
  support: { kind: 'interval', lower: 'lower', upper: 'upper' },
  logp(b, x, p) {
    return {
      terms: [b.neg(b.log(b.sub(p.upper, p.lower)))],
      checks: [check(p.upper, '>', p.lower), check(x, '>=', p.lower), check(x, '<=', p.upper)],
    };
  },
  sample: (rng, p) => p.lower + (p.upper - p.lower) * rng.uniform(),
};

/** Exponential(lam), rate lam. */
export const Exponential: ElementwiseDistribution = {
  name: 'Exponential',
  paramSets: [['lam'], ['scale']],
  paramDomains: { lam: 'positive', scale: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    const lam = p.lam ?? b.recip(p.scale);
    return { terms: [b.log(lam), b.neg(b.mul(lam, x))], checks: [check(lam, '>', b.c(0)), check(x, '>=', b.c(0))] };
  },
  sample: (rng, p) => -log(rng.uniformOpen()) / (p.lam ?? 1 / p.scale),
};

/** Gamma(alpha, beta): shape alpha, rate beta. */
export const Gamma: ElementwiseDistribution = {
  name: 'Gamma',
  paramSets: [['alpha', 'beta'], ['mu', 'sigma']],
  paramDomains: { alpha: 'positive', beta: 'positive', mu: 'positive', sigma: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    // mu/sigma parameterisation: alpha = mu²/sigma², beta = mu/sigma².
    const alpha = p.alpha ?? b.div(b.square(p.mu), b.square(p.sigma));
    const beta = p.beta ?? b.div(p.mu, b.square(p.sigma));
    return {
      terms: [b.mul(alpha, b.log(beta)), b.neg(b.op('lgamma', alpha)), xlogy(b, b.sub(alpha, b.c(1)), x), b.neg(b.mul(beta, x))],
      checks: [check(alpha, '>', b.c(0)), check(beta, '>', b.c(0)), check(x, '>=', b.c(0))],
    };
  },
  sample: (rng, p) => {
    const alpha = p.alpha ?? (p.mu * p.mu) / (p.sigma * p.sigma);
    const beta = p.beta ?? p.mu / (p.sigma * p.sigma);
    return draw.gamma(rng, alpha, beta);
  },
};

/** InverseGamma(alpha, beta). */
export const InverseGamma: ElementwiseDistribution = {
  name: 'InverseGamma',
  paramSets: [['alpha', 'beta']],
  paramDomains: { alpha: 'positive', beta: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    return {
      terms: [
        b.mul(p.alpha, b.log(p.beta)),
        b.neg(b.op('lgamma', p.alpha)),
        b.neg(b.mul(b.add(p.alpha, b.c(1)), b.log(x))),
        b.neg(b.div(p.beta, x)),
      ],
      checks: [check(p.alpha, '>', b.c(0)), check(p.beta, '>', b.c(0)), check(x, '>', b.c(0))],
    };
  },
  sample: (rng, p) => draw.inverseGamma(rng, p.alpha, p.beta),
};

/** Beta(alpha, beta) on [0, 1]. */
export const Beta: ElementwiseDistribution = {
  name: 'Beta',
  paramSets: [['alpha', 'beta']],
  paramDomains: { alpha: 'positive', beta: 'positive' },
  discrete: false,
  support: { kind: 'unit' },
  logp(b, x, p) {
    const lbeta = b.sub(b.add(b.op('lgamma', p.alpha), b.op('lgamma', p.beta)), b.op('lgamma', b.add(p.alpha, p.beta)));
    return {
      terms: [xlogy(b, b.sub(p.alpha, b.c(1)), x), xlog1py(b, b.sub(p.beta, b.c(1)), b.neg(x)), b.neg(lbeta)],
      checks: [check(p.alpha, '>', b.c(0)), check(p.beta, '>', b.c(0)), check(x, '>=', b.c(0)), check(x, '<=', b.c(1))],
    };
  },
  sample: (rng, p) => draw.beta(rng, p.alpha, p.beta),
};

/** LogNormal(mu, sigma): log x ~ Normal(mu, sigma). */
export const LogNormal: ElementwiseDistribution = {
  name: 'LogNormal',
  paramSets: [['mu', 'sigma'], ['mu', 'tau']],
  paramDomains: { mu: 'real', sigma: 'positive', tau: 'positive' },
  defaults: { mu: 0 },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    const sigma = scaleOf(b, p);
    const lx = b.log(x);
    const z = b.div(b.sub(lx, p.mu), sigma);
    return {
      terms: [b.mul(b.c(-0.5), b.square(z)), b.neg(b.log(sigma)), b.c(-LN_SQRT_2PI), b.neg(lx)],
      checks: [check(sigma, '>', b.c(0)), check(x, '>', b.c(0))],
    };
  },
  sample: (rng, p) => exp(p.mu + scaleValue(p) * rng.normal()),
};

/** Laplace(mu, b). */
export const Laplace: ElementwiseDistribution = {
  name: 'Laplace',
  paramSets: [['mu', 'b']],
  paramDomains: { mu: 'real', b: 'positive' },
  discrete: false,
  support: { kind: 'real' },
  logp(b, x, p) {
    return {
      terms: [b.c(-LN2), b.neg(b.log(p.b)), b.neg(b.div(b.op('abs', b.sub(x, p.mu)), p.b))],
      checks: [check(p.b, '>', b.c(0))],
    };
  },
  sample: (rng, p) => {
    const u = rng.uniformOpen() - 0.5;
    return p.mu - p.b * Math.sign(u) * log1p(-2 * Math.abs(u));
  },
};

/** Weibull(alpha, beta): shape alpha, scale beta. */
export const Weibull: ElementwiseDistribution = {
  name: 'Weibull',
  paramSets: [['alpha', 'beta']],
  paramDomains: { alpha: 'positive', beta: 'positive' },
  discrete: false,
  support: { kind: 'positive' },
  logp(b, x, p) {
    const z = b.div(x, p.beta);
    return {
      terms: [b.log(p.alpha), b.neg(b.log(p.beta)), xlogy(b, b.sub(p.alpha, b.c(1)), z), b.neg(b.op('pow', z, p.alpha))],
      checks: [check(p.alpha, '>', b.c(0)), check(p.beta, '>', b.c(0)), check(x, '>=', b.c(0))],
    };
  },
  sample: (rng, p) => p.beta * pow(-log(rng.uniformOpen()), 1 / p.alpha),
};

/** Flat: the improper uniform density on the real line (log density 0). */
export const Flat: ElementwiseDistribution = {
  name: 'Flat',
  paramSets: [[]],
  paramDomains: {},
  improper: true,
  discrete: false,
  support: { kind: 'real' },
  logp: () => ({ terms: [], checks: [] }),
  sample: () => {
    throw new Error('Flat: an improper distribution has no random draws');
  },
};

/** HalfFlat: the improper uniform density on [0, ∞). */
export const HalfFlat: ElementwiseDistribution = {
  name: 'HalfFlat',
  paramSets: [[]],
  paramDomains: {},
  improper: true,
  discrete: false,
  support: { kind: 'positive' },
  logp: (b, x) => ({ terms: [], checks: [check(x, '>=', b.c(0))] }),
  sample: () => {
    throw new Error('HalfFlat: an improper distribution has no random draws');
  },
};

/** a·log(y) that is 0 when a is the constant 0 (so that x = 0 gives a finite density). */
export function xlogy(b: import('../ir/scalarIr.js').IrBuilder, a: SNode, y: SNode): SNode {
  return b.mul(a, b.log(y));
}
/** a·log1p(y), likewise. */
export function xlog1py(b: import('../ir/scalarIr.js').IrBuilder, a: SNode, y: SNode): SNode {
  return b.mul(a, b.op('log1p', y));
}
