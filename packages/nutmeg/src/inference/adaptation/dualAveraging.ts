// Nesterov dual averaging of the log step size toward a target acceptance statistic (Stan's stepsize_adaptation).
import { ADAPTATION_DEFAULTS } from './settings.js';
import { exp, log, pow } from '../../core/libm/index.js';

/** State of dual averaging (plain data). */
export interface DualAveragingState {
  /** Iterations since the last restart. */
  readonly count: number;
  /** Running average of (target − acceptance). */
  readonly sBar: number;
  /** Averaged log step size (the final value is exp(xBar)). */
  readonly xBar: number;
  /** Current log step size. */
  readonly x: number;
  /** Shrinkage point log(10 ε₀). */
  readonly mu: number;
}

/** Dual averaging constants (defaults in {@link ADAPTATION_DEFAULTS}). */
export interface DualAveragingOptions {
  targetAccept?: number;
  gamma?: number;
  kappa?: number;
  t0?: number;
}

/**
 * Dual averaging as a `{init, update, final}` reducer.
 *
 * @example
 * ```ts
 * const da = dualAveraging({ targetAccept: 0.8 });
 * let s = da.init(0.5);
 * s = da.update(s, 0.6);   // acceptance below target → smaller step
 * const eps = Math.exp(s.x), finalEps = da.final(s);
 * ```
 *
 * References: Y. Nesterov (2009), "Primal-dual subgradient methods for convex problems";
 * M. D. Hoffman & A. Gelman (2014), JMLR 15, Algorithm 5; stan-dev/stan
 * src/stan/mcmc/stepsize_adaptation.hpp.
 */
export function dualAveraging(options: DualAveragingOptions = {}) {
  const delta = options.targetAccept ?? ADAPTATION_DEFAULTS.targetAccept;
  const gamma = options.gamma ?? ADAPTATION_DEFAULTS.gamma;
  const kappa = options.kappa ?? ADAPTATION_DEFAULTS.kappa;
  const t0 = options.t0 ?? ADAPTATION_DEFAULTS.t0;
  return {
    /** Starts (or restarts) around step size `stepSize`, shrinking toward log(10·stepSize). */
    init(stepSize: number): DualAveragingState {
      return { count: 0, sBar: 0, xBar: 0, x: log(stepSize), mu: log(10 * stepSize) };
    },
    /** Folds in one transition's acceptance statistic; the new step size is exp(state.x). */
    update(state: DualAveragingState, acceptStat: number): DualAveragingState {
      const count = state.count + 1;
      const a = Number.isNaN(acceptStat) ? 0 : Math.min(1, acceptStat);
      const eta = 1 / (count + t0);
      const sBar = (1 - eta) * state.sBar + eta * (delta - a);
      const x = state.mu - (sBar * Math.sqrt(count)) / gamma;
      const xEta = pow(count, -kappa);
      const xBar = (1 - xEta) * state.xBar + xEta * x;
      return { count, sBar, xBar, x, mu: state.mu };
    },
    /** The adapted step size exp(x̄). */
    final(state: DualAveragingState): number {
      return exp(state.xBar);
    },
  };
}
