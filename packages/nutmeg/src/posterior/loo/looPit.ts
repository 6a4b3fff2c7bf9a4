// LOO-PIT: the probability integral transform of each observation under its leave-one-out predictive distribution, by PSIS weights, as ArviZ's loo_pit.
import { arrayArgument, numbersArgument, objectArgument } from '../../core/argumentChecks.js';
import { OptionError } from '../../core/errors.js';
import { psis } from '../../diagnostics/psis.js';
import { logsumexp } from '../../math/special.js';
import { logLikMatrix, observationColumn, type LogLikInput, type LogLikOptions } from './logLik.js';
import { relativeEff } from './relativeEff.js';
import { exp } from '../../core/libm/index.js';

/** Input of {@link looPit}: observations, replicated data, and the LOO weights or the log-likelihood to make them. */
export interface LooPitInput extends LogLikOptions {
  /** The n observed values y_i. */
  y: ArrayLike<number>;
  /**
   * Replicated data sets from the posterior predictive distribution: S arrays of n values, one
   * per draw, draws in the order of the log-likelihood (chain by chain, as InferenceData stores them).
   */
  yRep: readonly ArrayLike<number>[];
  /**
   * PSIS-smoothed log weights, n arrays of S values (one per observation, as `psis` returns
   * them); normalised here, so unnormalised weights are accepted. Give these or `logLik`.
   */
  logWeights?: readonly ArrayLike<number>[];
  /**
   * PSIS weights themselves, n arrays of S values (as `loo` keeps them with `saveWeights`):
   * normalised here as well. Give these, `logWeights` or `logLik`; no exponential is taken.
   */
  weights?: readonly ArrayLike<number>[];
  /**
   * Pointwise log-likelihood (see {@link LogLikInput}), from which the weights are made by PSIS
   * of the ratios −log p(y_i | θ_s), exactly as {@link loo} makes them.
   */
  logLik?: LogLikInput;
  /**
   * Relative efficiency for PSIS with `logLik`: one per observation or one for all (default:
   * from the chains by `relativeEff`, as `loo`; ArviZ instead uses one value, the mean ESS of
   * the posterior's parameters over S). Observations whose computed r_eff is NaN use 1.
   */
  rEff?: number | ArrayLike<number>;
}

/** The normalised PSIS log weights of each observation, from the log-likelihood, as loo makes them. */
function weightsFromLogLik(input: LooPitInput, n: number): Float64Array[] {
  const m = logLikMatrix(input.logLik!, input, 'looPit');
  if (m.nObs !== n) throw new OptionError('looPit: logLik', `has ${m.nObs} observations but y has ${n}`);
  const S = m.nChains * m.nDraws;
  const given = input.rEff;
  const rEff = given === undefined ? relativeEff(input.logLik!, input) : typeof given === 'number' ? new Float64Array(n).fill(given) : Float64Array.from(given);
  if (rEff.length !== n) throw new OptionError('looPit: rEff', `needs one value per observation (${n}), got ${rEff.length}`);
  const ll = new Float64Array(S);
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    observationColumn(m, i, ll);
    for (let s = 0; s < S; s++) ll[s] = -ll[s];
    const r = Number.isNaN(rEff[i]) && given === undefined ? 1 : rEff[i];
    if (!(r > 0)) throw new OptionError('looPit: rEff', `must be positive (observation ${i}: ${r})`);
    out.push(psis(ll, { rEff: r }).logWeights);
  }
  return out;
}

/**
 * Leave-one-out probability integral transform, as ArviZ's `az.loo_pit`: for each observation,
 * PIT_i = Σ_s w_is·1[yrep_is ≤ y_i], the probability under the LOO predictive distribution
 * p(ỹ_i | y_−i) of a value at most y_i, with w_is the normalised PSIS weights of draw s for
 * observation i (ArviZ: `exp(logsumexp(log_weights[y_hat <= y]))`, capped at 1; 0 when no draw
 * is ≤ y_i). Ties yrep_is = y_i count as ≤, as in ArviZ. If the model is calibrated the values
 * are close to uniform on [0, 1]: piled near 0 and 1 the predictive is too narrow; piled in the
 * middle, too wide; skewed, biased (see `plotLooPit`).
 *
 * Discrete data: ArviZ, when y or y_hat has an integer dtype, first replaces both by a cubic
 * spline through the values in observation order (`smooth_data`); JavaScript numbers carry no
 * dtype and that step mixes unrelated observations, so it is not done here. For discrete data the
 * PIT values are not uniform even under the true model (they are jittered in bayesplot's
 * randomised PIT); read the plot with that in mind.
 *
 * @param input - `y`, `yRep`, and `logWeights`, `weights` or `logLik` (with `rEff`, `varName`)
 * @returns the n LOO-PIT values
 * @throws OptionError unless exactly one of `logWeights`, `weights` and `logLik` is given, or when shapes disagree
 * @example
 * ```ts
 * declare const idata: InferenceData; // with log_likelihood and posterior_predictive groups
 * declare const y: Float64Array; // the observed values
 * declare const yRep: Float64Array[]; // one replicated data set per draw
 * const pit = looPit({ y, yRep, logLik: idata });
 * pit.length === y.length; // true; values in [0, 1]
 * ```
 * References: Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., §6.3; Gabry, J. et al. (2019),
 * Visualization in Bayesian workflow, JRSS A 182, 389–402; ArviZ `arviz/stats/stats.py` `loo_pit`.
 */
export function looPit(input: LooPitInput): Float64Array {
  objectArgument(input, 'input', 'looPit', '{ y, yRep, logLik }');
  numbersArgument(input.y, 'y', 'looPit');
  arrayArgument(input.yRep, 'yRep', 'looPit', 'replicated data sets (draws × observations)');
  const { y, yRep } = input;
  const n = y.length;
  const S = yRep.length;
  const given = [input.logWeights, input.weights, input.logLik].filter((x) => x !== undefined).length;
  if (given !== 1) throw new OptionError('looPit', 'give exactly one of logWeights, weights and logLik');
  if (S === 0) throw new OptionError('looPit: yRep', 'has no draws');
  yRep.forEach((rep, s) => {
    if (rep.length !== n) throw new OptionError('looPit: yRep', `draw ${s} has ${rep.length} values but y has ${n}`);
  });
  if (input.weights !== undefined) return pitOfWeights(y, yRep, input.weights);
  const logWeights = input.logWeights ?? weightsFromLogLik(input, n);
  if (logWeights.length !== n) throw new OptionError('looPit: logWeights', `has ${logWeights.length} observations but y has ${n}`);
  const pit = new Float64Array(n);
  const selected = new Float64Array(S);
  for (let i = 0; i < n; i++) {
    const lw = logWeights[i];
    if (lw.length !== S) throw new OptionError('looPit: logWeights', `observation ${i} has ${lw.length} weights but yRep has ${S} draws`);
    const total = logsumexp(lw);
    let k = 0;
    for (let s = 0; s < S; s++) if (yRep[s][i] <= y[i]) selected[k++] = lw[s];
    pit[i] = k === 0 ? 0 : Math.min(1, exp(logsumexp(selected, 0, k) - total));
  }
  return pit;
}

/** LOO-PIT from linear weights: Σ_s w_is·1[yrep_is ≤ y_i] / Σ_s w_is, capped at 1. */
function pitOfWeights(y: ArrayLike<number>, yRep: readonly ArrayLike<number>[], weights: readonly ArrayLike<number>[]): Float64Array {
  const n = y.length;
  const S = yRep.length;
  if (weights.length !== n) throw new OptionError('looPit: weights', `has ${weights.length} observations but y has ${n}`);
  const pit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (w.length !== S) throw new OptionError('looPit: weights', `observation ${i} has ${w.length} weights but yRep has ${S} draws`);
    const yi = y[i];
    let total = 0;
    let below = 0;
    for (let s = 0; s < S; s++) {
      total += w[s];
      if (yRep[s][i] <= yi) below += w[s];
    }
    pit[i] = below === 0 ? 0 : Math.min(1, below / total);
  }
  return pit;
}
