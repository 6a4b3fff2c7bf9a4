// The response families of formula models as brms names them: link, distributional parameters, likelihood and the response's support.
import { InputError } from '../core/errors.js';
import { Bernoulli, Binomial, Gamma, LogNormal, NegativeBinomial, Normal, Poisson, StudentT, type DistributionSpec } from '../distributions/factories.js';
import { exp } from '../graph/tensor.js';
import type { Tensor } from '../graph/tensor.js';

/** brms's family names supported by formula models. */
export type FamilyName = 'gaussian' | 'student' | 'bernoulli' | 'binomial' | 'poisson' | 'negbinomial' | 'gamma' | 'lognormal';

/** The link of the mean (brms's default link of each family). */
export type LinkName = 'identity' | 'logit' | 'log';

/** A distributional parameter besides the mean, with brms's default prior class and lower bound. */
export interface AuxParameter {
  /** brms's class name, also the variable's name: `sigma`, `nu`, `shape`. */
  readonly name: 'sigma' | 'nu' | 'shape';
  /** Lower bound (brms's `lb`). */
  readonly lower: number;
}

/** A response family: link, distributional parameters, likelihood, and what the response may hold. */
export interface Family {
  readonly name: FamilyName;
  readonly link: LinkName;
  readonly aux: readonly AuxParameter[];
  /** brms's `has_logscale`: the data-dependent prior scales are computed on log(y). */
  readonly logScale: boolean;
  /** The likelihood of the response given the linear predictor `eta`, the distributional parameters and trials. */
  likelihood(eta: Tensor, aux: Readonly<Record<string, Tensor>>, trials: Tensor | undefined): DistributionSpec;
  /** Which responses are valid, in words, and the test. */
  readonly support: { readonly words: string; readonly test: (y: number, trials: number) => boolean };
}

const isCount = (y: number): boolean => Number.isInteger(y) && y >= 0;

/** The families by brms name. */
export const FAMILIES: Readonly<Record<FamilyName, Family>> = {
  gaussian: {
    name: 'gaussian',
    link: 'identity',
    aux: [{ name: 'sigma', lower: 0 }],
    logScale: false,
    likelihood: (eta, a) => Normal({ mu: eta, sigma: a.sigma }),
    support: { words: 'real numbers', test: Number.isFinite },
  },
  student: {
    name: 'student',
    link: 'identity',
    aux: [
      { name: 'sigma', lower: 0 },
      { name: 'nu', lower: 1 },
    ],
    logScale: false,
    likelihood: (eta, a) => StudentT({ nu: a.nu, mu: eta, sigma: a.sigma }),
    support: { words: 'real numbers', test: Number.isFinite },
  },
  bernoulli: {
    name: 'bernoulli',
    link: 'logit',
    aux: [],
    logScale: false,
    likelihood: (eta) => Bernoulli({ logit_p: eta }),
    support: { words: '0 or 1', test: (y) => y === 0 || y === 1 },
  },
  binomial: {
    name: 'binomial',
    link: 'logit',
    aux: [],
    logScale: false,
    likelihood: (eta, _a, trials) => Binomial({ n: trials as Tensor, logit_p: eta }),
    support: { words: 'counts of successes between 0 and the number of trials', test: (y, n) => isCount(y) && y <= n },
  },
  poisson: {
    name: 'poisson',
    link: 'log',
    aux: [],
    logScale: false,
    likelihood: (eta) => Poisson({ mu: exp(eta) }),
    support: { words: 'non-negative integer counts', test: isCount },
  },
  negbinomial: {
    name: 'negbinomial',
    link: 'log',
    aux: [{ name: 'shape', lower: 0 }],
    logScale: false,
    likelihood: (eta, a) => NegativeBinomial({ mu: exp(eta), alpha: a.shape }),
    support: { words: 'non-negative integer counts', test: isCount },
  },
  gamma: {
    name: 'gamma',
    link: 'log',
    aux: [{ name: 'shape', lower: 0 }],
    logScale: false,
    // brms: y ~ gamma(shape, shape / mu) with mu = exp(eta).
    likelihood: (eta, a) => Gamma({ alpha: a.shape, beta: a.shape.mul(exp(eta.neg())) }),
    support: { words: 'positive numbers', test: (y) => y > 0 && Number.isFinite(y) },
  },
  lognormal: {
    name: 'lognormal',
    link: 'identity',
    aux: [{ name: 'sigma', lower: 0 }],
    logScale: true,
    likelihood: (eta, a) => LogNormal({ mu: eta, sigma: a.sigma }),
    support: { words: 'positive numbers', test: (y) => y > 0 && Number.isFinite(y) },
  },
};

/**
 * The family named `name`.
 *
 * @throws InputError naming the family and listing the supported ones
 */
export function familyNamed(name: string): Family {
  if (Object.prototype.hasOwnProperty.call(FAMILIES, name)) return FAMILIES[name as FamilyName];
  throw new InputError(`family '${name}' is not supported (supported: ${Object.keys(FAMILIES).join(', ')})`);
}

/**
 * Checks that every response value fits the family, naming the first row that does not.
 *
 * @param rows - the data row (0-based) of each response value, for the message
 * @throws InputError naming the family, the response, the row and the value
 */
export function checkResponse(family: Family, label: string, y: Float64Array, trials: Float64Array | null, rows: Int32Array): void {
  for (let i = 0; i < y.length; i++) {
    const n = trials ? trials[i] : NaN;
    if (trials && !isCount(n)) throw new InputError(`family binomial: trials must be non-negative integers, but row ${rows[i] + 1} has ${n}`);
    if (!family.support.test(y[i], n)) {
      throw new InputError(`family ${family.name} needs ${family.support.words} as the response, but ${label} is ${y[i]} at row ${rows[i] + 1}${trials ? ` (trials ${n})` : ''}`);
    }
  }
}
