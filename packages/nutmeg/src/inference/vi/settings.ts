// ADVI settings: the typed defaults (with where each comes from) and their validation.
import { OptionError } from '../../core/errors.js';
import type { AdviProgressCallback } from './progress.js';
import type { OptimizerKind } from './optimizer.js';

/** The variational family: 'advi' is mean-field Gaussian, 'fullrank_advi' a full-covariance Gaussian (PyMC's names). */
export type AdviMethod = 'advi' | 'fullrank_advi';

/** Options of {@link fit} and `runAdvi` (nutmeg/kernels); every field is optional. */
export interface AdviOptions {
  /** 'advi' (mean-field, default) or 'fullrank_advi'. */
  method?: AdviMethod;
  /** Maximum number of iterations (PyMC's `n`). */
  n?: number;
  /** Seed of the random numbers; the same seed gives the same fit. */
  seed?: number;
  /** Relative ELBO tolerance (Stan's `tol_rel_obj`): converged when the mean or median relative change over the window is below it. */
  tolerance?: number;
  /** Relative parameter-change tolerance (PyMC's `CheckParametersConvergence`); 0 turns the check off. */
  paramTolerance?: number;
  /** Initial standard deviation of q in every unconstrained coordinate. */
  initScale?: number;
  /** Maximum number of ELBO evaluations in the convergence window (Stan uses 0.1·n/evalElbo without a cap). */
  convergenceWindow?: number;
  /** Monte Carlo draws per gradient (Stan's `grad_samples`). */
  gradSamples?: number;
  /** Monte Carlo draws per ELBO evaluation (Stan's `elbo_samples`). */
  elboSamples?: number;
  /** Evaluate the ELBO and the convergence checks every this many iterations (Stan's `eval_elbo`). */
  evalElbo?: number;
  /** Step-size scale η, or 'adapt' for Stan's grid search (default). */
  eta?: number | 'adapt';
  /** Iterations per candidate η in the search (Stan's `adapt_iter`). */
  adaptIterations?: number;
  /** 'stan' (Stan's decreasing adaptive sequence, default) or 'adam' (then `eta` is Adam's learning rate, default 0.1). */
  optimizer?: OptimizerKind;
  /** Average the iterates (polynomial-decay averaging) and keep the average if its ELBO is higher (default true). */
  iterateAveraging?: boolean;
  /** Draws from the approximation for the Pareto k-hat diagnostic (0 skips it). */
  psisDraws?: number;
  /** Draws used to estimate constrained means and sds of non-identity-transformed quantities. */
  summaryDraws?: number;
  /** Starting mean in the unconstrained space (default: the model's initial point, or zeros). */
  init?: Float64Array;
  /** Progress: a listener of {@link AdviEvent}s, `true` for a plain text line per evaluation on the console, false for none. */
  progress?: boolean | AdviProgressCallback;
}

/** Resolved settings: every option given a value. */
export interface AdviSettings {
  readonly method: AdviMethod;
  readonly n: number;
  readonly seed: number;
  readonly tolerance: number;
  readonly paramTolerance: number;
  readonly initScale: number;
  readonly convergenceWindow: number;
  readonly gradSamples: number;
  readonly elboSamples: number;
  readonly evalElbo: number;
  readonly eta: number | 'adapt';
  readonly adaptIterations: number;
  readonly optimizer: OptimizerKind;
  readonly iterateAveraging: boolean;
  readonly psisDraws: number;
  readonly summaryDraws: number;
}

/** Defaults, with provenance. */
export const ADVI_DEFAULTS = {
  method: 'advi',
  /** PyMC's `fit` default is 10,000 and Stan's `iter` 10,000; the convergence checks usually stop far earlier. */
  n: 10000,
  /**
   * Stan's `tol_rel_obj` is 0.01, which on models with an ELBO in the thousands stops while the
   * means still move by a fair fraction of a posterior sd (Yao et al. 2018 show the same); 0.001 costs
   * a few hundred more iterations and lands within MC noise of the optimum.
   */
  tolerance: 0.01,
  /** PyMC's `CheckParametersConvergence` tolerance 1e-3 is never met by noisy iterates; off by default. */
  paramTolerance: 0,
  /**
   * NumPyro's AutoNormal `init_scale` = 0.1 (Stan starts at sd 1). With sd 1 the first draws of a
   * hierarchical model's scales and effects are wild enough that the η = 1 trial often scored an
   * ELBO of −10⁴…−10⁹ on radon and a 10× smaller η won the search (4 of 8 runs); with 0.1, η = 1
   * was chosen in 8 of 8 and every fit landed within 0.03 of NUTS's means.
   */
  initScale: 0.1,
  /** Stan's window at its default n = 10,000 (0.1·n/evalElbo = 10), kept when n is larger. */
  convergenceWindow: 10,
  /** Stan's `grad_samples` = 1. */
  gradSamples: 1,
  /** Stan's `elbo_samples` = 100. */
  elboSamples: 100,
  /** Stan's `eval_elbo` = 100. */
  evalElbo: 100,
  /** Stan's `adapt engaged` = 1: grid search over η. */
  eta: 'adapt',
  /**
   * Stan's `adapt_iter` is 50; after 50 iterations a large η is still in its transient, and on
   * radon η = 0.1 then beat η = 1 in 3 runs of 10, though η = 1 converges 10× sooner to a better
   * fit. With 100 iterations per trial η = 1 was chosen in 10 of 10.
   */
  adaptIterations: 100,
  optimizer: 'stan',
  /** nutmeg's addition (Stan does not average): smooths the final jitter of the iterates. */
  iterateAveraging: true,
  /** 1,000 draws: enough for a stable k-hat (tail of ≈ 95 ratios); arbitrary. */
  psisDraws: 1000,
  /** 1,000 draws for constrained summaries: MC error ≈ 3% of an sd; arbitrary. */
  summaryDraws: 1000,
} as const;

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new OptionError(name, `must be a positive integer, got ${String(v)}`);
  }
  return v;
}

function nonNegInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new OptionError(name, `must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

function positiveNumber(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new OptionError(name, `must be a finite number > 0, got ${String(v)}`);
  }
  return v;
}

function nonNegNumber(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new OptionError(name, `must be a finite number ≥ 0, got ${String(v)}`);
  }
  return v;
}

let seedCounter = 0;

/**
 * Validates options and fills in defaults.
 *
 * @param o - user options
 * @returns the resolved settings
 * @throws OptionError naming the first bad option
 */
export function resolveAdviSettings(o: AdviOptions = {}): AdviSettings {
  const method = o.method ?? ADVI_DEFAULTS.method;
  if (method !== 'advi' && method !== 'fullrank_advi') {
    throw new OptionError('method', `unknown method '${String(method)}'; use 'advi' (mean-field) or 'fullrank_advi' (full-rank)`);
  }
  const optimizer = o.optimizer ?? ADVI_DEFAULTS.optimizer;
  if (optimizer !== 'stan' && optimizer !== 'adam') {
    throw new OptionError('optimizer', `unknown optimizer '${String(optimizer)}'; use 'stan' or 'adam'`);
  }
  let eta: number | 'adapt' = o.eta ?? (optimizer === 'adam' ? 0.1 : ADVI_DEFAULTS.eta);
  if (eta !== 'adapt') {
    if (typeof eta !== 'number' || !(eta > 0) || !Number.isFinite(eta)) {
      throw new OptionError('eta', `must be a positive number or 'adapt', got ${String(eta)}`);
    }
  } else if (optimizer === 'adam') {
    eta = 0.1;
  }
  let seed = o.seed;
  if (seed === undefined) {
    // No seed given: derive one from the clock (recorded in the results so the fit can be repeated).
    seed = (Date.now() + 7919 * ++seedCounter) % 2147483647;
  } else if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
    throw new OptionError('seed', `must be a non-negative integer, got ${String(seed)}`);
  }
  const tolerance = nonNegNumber('tolerance', o.tolerance ?? ADVI_DEFAULTS.tolerance);
  return {
    method,
    n: positiveInt('n', o.n ?? ADVI_DEFAULTS.n),
    seed,
    tolerance,
    paramTolerance: nonNegNumber('paramTolerance', o.paramTolerance ?? ADVI_DEFAULTS.paramTolerance),
    initScale: positiveNumber('initScale', o.initScale ?? ADVI_DEFAULTS.initScale),
    convergenceWindow: positiveInt('convergenceWindow', o.convergenceWindow ?? ADVI_DEFAULTS.convergenceWindow),
    gradSamples: positiveInt('gradSamples', o.gradSamples ?? ADVI_DEFAULTS.gradSamples),
    elboSamples: positiveInt('elboSamples', o.elboSamples ?? ADVI_DEFAULTS.elboSamples),
    evalElbo: positiveInt('evalElbo', o.evalElbo ?? ADVI_DEFAULTS.evalElbo),
    eta,
    adaptIterations: positiveInt('adaptIterations', o.adaptIterations ?? ADVI_DEFAULTS.adaptIterations),
    optimizer,
    iterateAveraging: o.iterateAveraging ?? ADVI_DEFAULTS.iterateAveraging,
    psisDraws: nonNegInt('psisDraws', o.psisDraws ?? ADVI_DEFAULTS.psisDraws),
    summaryDraws: positiveInt('summaryDraws', o.summaryDraws ?? ADVI_DEFAULTS.summaryDraws),
  };
}
