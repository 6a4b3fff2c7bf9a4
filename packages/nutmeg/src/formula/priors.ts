// Which prior each parameter of a formula model gets: the user's most specific brms class key, else brms's default; listed as prior_summary does.
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

/** Text of a user's prior: `Normal(mu = 0, sigma = 1)`. */
export function describePrior(spec: DistributionSpec): string {
  const args = Object.entries(spec.params).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : Array.isArray(v) ? `[${v.join(', ')}]` : '…'}`);
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
  const header = ['prior', 'class', 'coef', 'group', 'source'];
  const cells = priors.map((r) => [r.prior, r.class, r.coef, r.group, r.source]);
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: readonly string[]): string => c.map((v, k) => (k === 0 ? v.padStart(widths[k]) : v.padStart(widths[k]))).join(' ');
  return [line(header), ...cells.map(line)].join('\n');
}
