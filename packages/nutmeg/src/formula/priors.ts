// Which prior each parameter of a formula model gets: the user's most specific brms class key, else brms's default; listed as prior_summary does.
import { arrayArgument } from '../core/argumentChecks.js';
import { OptionError } from '../core/errors.js';
import type { DistributionSpec } from '../distributions/factories.js';
import type { PriorChoice } from './defaultPriors.js';

/** One row of the prior summary (brms's `prior_summary`): the prior, its class, coefficient and group, and who set it. */
export interface PriorRow {
  readonly prior: string;
  readonly class: string;
  readonly coef: string;
  readonly group: string;
  readonly source: 'default' | 'user';
}

/** Stan's name and argument order of nutmeg's families, for priors shown as brms shows them. */
const STAN_FORMS: Readonly<Record<string, { name: string; args: readonly (string | number)[] }>> = {
  Normal: { name: 'normal', args: ['mu', 'sigma'] },
  HalfNormal: { name: 'normal', args: [0, 'sigma'] },
  StudentT: { name: 'student_t', args: ['nu', 'mu', 'sigma'] },
  Cauchy: { name: 'cauchy', args: ['alpha', 'beta'] },
  HalfCauchy: { name: 'cauchy', args: [0, 'beta'] },
  Laplace: { name: 'double_exponential', args: ['mu', 'b'] },
  Exponential: { name: 'exponential', args: ['lam'] },
  Gamma: { name: 'gamma', args: ['alpha', 'beta'] },
  InverseGamma: { name: 'inv_gamma', args: ['alpha', 'beta'] },
  LogNormal: { name: 'lognormal', args: ['mu', 'sigma'] },
  Uniform: { name: 'uniform', args: ['lower', 'upper'] },
  Beta: { name: 'beta', args: ['alpha', 'beta'] },
  LKJCholeskyCorr: { name: 'lkj', args: ['eta'] },
};

/**
 * Text of a user's prior as brms shows priors: Stan's name and arguments (`normal(0, 1)`,
 * `student_t(3, 0, 2.5)`, `lkj(2)`; a half distribution as its full one, bounded by the parameter);
 * other forms as nutmeg writes them (`Normal(mu = 0, tau = 1)`).
 */
export function describePrior(spec: DistributionSpec): string {
  const p = spec.params;
  const form = STAN_FORMS[spec.family.name];
  if (spec.family.name === 'Flat' || spec.family.name === 'HalfFlat') return '(flat)';
  if (form && form.args.every((a) => typeof a === 'number' || typeof p[a] === 'number')) {
    return `${form.name}(${form.args.map((a) => (typeof a === 'number' ? a : p[a])).join(', ')})`;
  }
  const args = Object.entries(p).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : Array.isArray(v) ? `[${v.join(', ')}]` : '…'}`);
  return `${spec.family.name}(${args.join(', ')})`;
}

/** Picks priors by brms's class keys (`b`, `b_floor`, `sd`, `sd_county`, `sd_county__floor`, `Intercept`, `cor`, `cor_county`, `sigma`, `nu`, `shape`), recording which keys were used. */
export class PriorBook {
  readonly rows: PriorRow[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly given: Readonly<Record<string, DistributionSpec>>) {
    if (typeof given !== 'object' || given === null) throw new OptionError('prior', 'must be an object of priors by brms class, e.g. { b: Normal({ mu: 0, sigma: 1 }) }');
  }

  /**
   * The prior of one parameter: the first of `keys` (most specific first) that the user gave, else `fallback`.
   *
   * @param row - class, coef and group, for the summary
   */
  pick(keys: readonly string[], fallback: PriorChoice, row: Omit<PriorRow, 'prior' | 'source'>): { dist: DistributionSpec; user: boolean } {
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(this.given, k)) continue;
      const dist = this.given[k];
      if (!dist || typeof dist !== 'object' || !('family' in dist)) throw new OptionError(`prior.${k}`, 'must be a distribution, e.g. Normal({ mu: 0, sigma: 1 })');
      this.used.add(k);
      this.rows.push({ ...row, prior: describePrior(dist), source: 'user' });
      return { dist, user: true };
    }
    this.rows.push({ ...row, prior: fallback.text, source: 'default' });
    return { dist: fallback.dist, user: false };
  }

  /**
   * Fails on keys that matched no parameter, listing the model's parameters.
   *
   * @throws OptionError naming the key
   */
  checkAllUsed(parameters: readonly string[]): void {
    for (const k of Object.keys(this.given)) {
      if (!this.used.has(k)) throw new OptionError(`prior.${k}`, `matches no parameter of this model (its classes and parameters: ${['b', 'Intercept', 'sd', 'cor', ...parameters].filter((p, i, a) => a.indexOf(p) === i).join(', ')})`);
    }
  }
}

/**
 * Formats priors as brms's `prior_summary` prints them: prior, class, coef, group, source.
 *
 * @example
 * ```ts
 * formatPriorSummary([{ prior: 'student_t(3, 1.3, 2.5)', class: 'Intercept', coef: '', group: '', source: 'default' }]);
 * ```
 */
export function formatPriorSummary(priors: readonly PriorRow[]): string {
  arrayArgument(priors, 'priors', 'formatPriorSummary', 'prior rows (FormulaModel.priors)');
  const header = ['prior', 'class', 'coef', 'group', 'source'];
  const cells = priors.map((r) => [r.prior, r.class, r.coef, r.group, r.source]);
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: readonly string[]): string => c.map((v, k) => (k === 0 ? v.padStart(widths[k]) : v.padStart(widths[k]))).join(' ');
  return [line(header), ...cells.map(line)].join('\n');
}
