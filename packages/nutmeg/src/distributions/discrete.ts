// Discrete distributions (PyMC's names and parameters), as scalar-IR log probability masses.
import type { IrBuilder, SNode } from '../ir/scalarIr.js';
import { check, type ElementwiseDistribution } from './distribution.js';
import * as draw from '../math/random.js';
import { expit } from '../math/special.js';

function lfact(b: IrBuilder, k: SNode): SNode {
  return b.op('lgamma', b.add(k, b.c(1)));
}

/** Bernoulli(p) or Bernoulli(logit_p), on {0, 1}. */
export const Bernoulli: ElementwiseDistribution = {
  name: 'Bernoulli',
  paramSets: [['p'], ['logit_p']],
  paramDomains: { p: 'probability', logit_p: 'real' },
  discrete: true,
  support: { kind: 'binary' },
  logp(b, x, p) {
    const checks = [check(x, '>=', b.c(0)), check(x, '<=', b.c(1)), check(x, 'integer', b.c(0))];
    if (p.logit_p) {
      // x·l − log(1 + e^l): stable for any logit.
      return { terms: [b.mul(x, p.logit_p), b.neg(b.op('log1pexp', p.logit_p))], checks };
    }
    checks.push(check(p.p, '>=', b.c(0)), check(p.p, '<=', b.c(1)));
    return { terms: [b.mul(x, b.log(p.p)), b.mul(b.sub(b.c(1), x), b.op('log1p', b.neg(p.p)))], checks };
  },
  sample: (rng, p) => (rng.uniform() < (p.p ?? expit(p.logit_p)) ? 1 : 0),
};

/** Binomial(n, p) or Binomial(n, logit_p). */
export const Binomial: ElementwiseDistribution = {
  name: 'Binomial',
  paramSets: [['n', 'p'], ['n', 'logit_p']],
  paramDomains: { n: 'count', p: 'probability', logit_p: 'real' },
  discrete: true,
  support: { kind: 'count' },
  logp(b, x, p) {
    const n = p.n;
    const lchoose = b.sub(b.sub(lfact(b, n), lfact(b, x)), lfact(b, b.sub(n, x)));
    const checks = [check(x, '>=', b.c(0)), check(x, '<=', n), check(x, 'integer', b.c(0)), check(n, 'integer', b.c(0))];
    if (p.logit_p) {
      // x·l − n·log(1 + e^l)
      return { terms: [lchoose, b.mul(x, p.logit_p), b.neg(b.mul(n, b.op('log1pexp', p.logit_p)))], checks };
    }
    checks.push(check(p.p, '>=', b.c(0)), check(p.p, '<=', b.c(1)));
    return { terms: [lchoose, b.mul(x, b.log(p.p)), b.mul(b.sub(n, x), b.op('log1p', b.neg(p.p)))], checks };
  },
  sample: (rng, p) => draw.binomial(rng, p.n, p.p ?? expit(p.logit_p)),
};

/** Poisson(mu). */
export const Poisson: ElementwiseDistribution = {
  name: 'Poisson',
  paramSets: [['mu']],
  paramDomains: { mu: 'positive' },
  discrete: true,
  support: { kind: 'count' },
  logp(b, x, p) {
    return {
      terms: [b.mul(x, b.log(p.mu)), b.neg(p.mu), b.neg(lfact(b, x))],
      checks: [check(p.mu, '>', b.c(0)), check(x, '>=', b.c(0)), check(x, 'integer', b.c(0))],
    };
  },
  sample: (rng, p) => draw.poisson(rng, p.mu),
};

/** NegativeBinomial(mu, alpha): mean mu, variance mu + mu²/alpha (PyMC's parameterisation). */
export const NegativeBinomial: ElementwiseDistribution = {
  name: 'NegativeBinomial',
  paramSets: [['mu', 'alpha']],
  paramDomains: { mu: 'positive', alpha: 'positive' },
  discrete: true,
  support: { kind: 'count' },
  logp(b, x, p) {
    const { mu, alpha } = p;
    const lsum = b.log(b.add(alpha, mu));
    return {
      terms: [
        b.op('lgamma', b.add(x, alpha)),
        b.neg(b.op('lgamma', alpha)),
        b.neg(lfact(b, x)),
        // alpha·log(alpha/(alpha+mu)) = −alpha·log1p(mu/alpha): stable for large alpha.
        b.neg(b.mul(alpha, b.op('log1p', b.div(mu, alpha)))),
        b.mul(x, b.sub(b.log(mu), lsum)),
      ],
      checks: [check(mu, '>', b.c(0)), check(alpha, '>', b.c(0)), check(x, '>=', b.c(0)), check(x, 'integer', b.c(0))],
    };
  },
  sample: (rng, p) => draw.negativeBinomial(rng, p.mu, p.alpha),
};
