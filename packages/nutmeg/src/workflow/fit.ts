// fit(model, options): ADVI (mean-field or full-rank) on a compiled model, returning an Approximation.
import type { CompiledModel } from '../compiler/compiledModel.js';
import type { LogDensity } from '../core/types.js';
import { OptionError } from '../core/errors.js';
import { runAdvi } from '../inference/vi/advi.js';
import type { AdviRun } from '../inference/vi/advi.js';
import { Approximation } from './approximation.js';
import { asCompiledModel } from './layout.js';
import { GaussianFamily } from '../inference/vi/family.js';
import { formatAdviEvent } from '../inference/vi/progress.js';
import type { AdviEvent, AdviProgressCallback } from '../inference/vi/progress.js';
import { resolveAdviSettings } from '../inference/vi/settings.js';
import type { AdviOptions } from '../inference/vi/settings.js';
import type { Model } from '../model/model.js';
import { checkKnownKeys, optionsObject, seedOption } from '../core/optionChecks.js';
import { adviMemory, DEFAULT_MEMORY_LIMIT, enforceAdviWork, enforceMemoryLimit, memoryLimitOption } from './resourceLimits.js';
import { modelArgument } from './layout.js';

/** Options of {@link fit}: ADVI's ({@link AdviOptions}) and a memory limit. */
export interface FitOptions extends AdviOptions {
  /**
   * Memory the fit may use, in bytes (default 2 GiB, `DEFAULT_MEMORY_LIMIT`): the ELBO history
   * (one number per iteration), the variational parameters and the draws of the summaries. A fit
   * whose estimate is larger is refused before it starts; `Infinity` turns the check off.
   */
  memoryLimit?: number;
}

/**
 * Every option of {@link fit}, so that a misspelt one is refused (with a suggestion) rather than
 * ignored. `satisfies` makes an option added to {@link FitOptions} but not here a type error.
 */
export const FIT_OPTION_KEYS = {
  method: true,
  n: true,
  seed: true,
  tolerance: true,
  paramTolerance: true,
  initScale: true,
  convergenceWindow: true,
  gradSamples: true,
  elboSamples: true,
  evalElbo: true,
  eta: true,
  adaptIterations: true,
  optimizer: true,
  iterateAveraging: true,
  psisDraws: true,
  summaryDraws: true,
  init: true,
  progress: true,
  memoryLimit: true,
} as const satisfies Record<keyof FitOptions, true>;

/**
 * A console listener for `progress: true`: the start, the chosen step size, every tenth ELBO
 * evaluation and the end, one line each. (For a live single-line display in a terminal use
 * `adviTerminalProgress()` from the platform layer.)
 */
function consoleProgress(): AdviProgressCallback {
  let evals = 0;
  return (e: AdviEvent) => {
    if (e.type === 'iteration' && evals++ % 10 !== 0) return;
    console.log(formatAdviEvent(e));
  };
}

function listener(p: AdviOptions['progress']): AdviProgressCallback | undefined {
  if (typeof p === 'function') return p;
  if (p === true) return consoleProgress();
  if (p === undefined || p === false) return undefined;
  throw new OptionError('progress', `must be a boolean or a function, got ${typeof p}`);
}

/**
 * Fits the posterior of a compiled model by automatic differentiation variational inference
 * (ADVI): a Gaussian in the unconstrained space, mean-field (`method: 'advi'`, PyMC's default) or
 * full-rank (`'fullrank_advi'`), optimised by stochastic gradient ascent of the ELBO with Stan's
 * adaptive step sizes, and stopped by Stan's relative-ELBO check (and optionally PyMC's parameter
 * check). Full-rank starts from a mean-field fit (its off-diagonal terms then only need to learn the
 * correlations; started cold, the per-coordinate step sizes blow L up in high dimension).
 * Deterministic for a given seed.
 *
 * @param model - a compiled model (`m.compile()`; a `Model` is compiled first); a bare
 *   {@link LogDensity} is accepted too, and its results then hold one vector variable `theta`
 * @param options - see {@link FitOptions}: `method`, `n`, `seed`, `tolerance`, `progress`, `memoryLimit`, …
 * @returns the {@link Approximation}: `means`, `sds` (constrained), `mean`, `std` (unconstrained),
 *   `elboHistory`, `sample(n)`, `paretoK`
 * @throws OptionError for a bad or unknown option (n ≤ 0, unknown method, a seed outside [0, 2^32), a
 *   misspelt key, …), a model with discrete parameters, a fit that would need more memory than
 *   `memoryLimit`, or one that would evaluate the log density more than 10^10 times (`MAX_ADVI_EVALUATIONS`)
 * @throws AdviError if the ELBO cannot be computed at the start or no step size works
 * @example
 * ```ts
 * declare const model: CompiledModel; // e.g. new Model()…compile()
 * const approx = fit(model, { method: 'advi', n: 100000, seed: 1 });
 * console.log(approx.message);          // 'Median ELBO converged at iteration 2700: …'
 * approx.means.mu_alpha; approx.sds.mu_alpha;
 * const idata = approx.sample(1000);    // InferenceData, like NUTS's
 * ```
 * References: Kucukelbir, A., Tran, D., Ranganath, R., Gelman, A. & Blei, D. M. (2017), Automatic
 * differentiation variational inference, JMLR 18(14); Yao, Y., Vehtari, A., Simpson, D. & Gelman,
 * A. (2018), Yes, but did it work?: Evaluating variational inference, ICML.
 */
export function fit(model: Model | CompiledModel | LogDensity, options?: FitOptions): Approximation {
  options = optionsObject(options, 'fit');
  checkKnownKeys(options, FIT_OPTION_KEYS, 'fit');
  if (options.seed !== undefined) seedOption(options.seed);
  const s = resolveAdviSettings(options);
  const onEvent = listener(options.progress);
  const cm = asCompiledModel(modelArgument(model, 'fit'), 'theta');
  const discrete = cm.variables.filter((v) => v.kind === 'free' && v.discrete).map((v) => v.name);
  if (discrete.length > 0) {
    throw new OptionError(
      'method',
      `ADVI fits continuous parameters only, but ${discrete.join(', ')} ${discrete.length > 1 ? 'are' : 'is'} discrete; ` +
        'marginalise discrete parameters out of the model (sum over their values) before fitting.',
    );
  }
  if (cm.dim <= 0) throw new OptionError('model', 'has no free parameters to fit');
  const limit = memoryLimitOption(options.memoryLimit, DEFAULT_MEMORY_LIMIT);
  enforceMemoryLimit('n', adviMemory(cm, s), limit, options.memoryLimit !== undefined ? 'the memoryLimit option' : 'the default for fit');
  enforceAdviWork(s);
  let init = options.init;
  if (init !== undefined) {
    if (!(init instanceof Float64Array) || init.length !== cm.dim) {
      throw new OptionError('init', `must be a Float64Array of length ${cm.dim} (the unconstrained dimension)`);
    }
  } else {
    init = cm.initialPoint();
  }
  let run: AdviRun;
  let iterations: number;
  let elboHistory: Float64Array;
  let evalIters: Int32Array;
  let evals: Float64Array;
  if (s.method === 'fullrank_advi') {
    const mf = runAdvi(cm, init, { ...s, method: 'advi', n: Math.max(1, Math.floor(s.n / 2)) }, warmStartListener(onEvent));
    const d = cm.dim;
    run = runAdvi(
      cm,
      { mean: mf.family.mean(new Float64Array(d)), scale: mf.family.std(new Float64Array(d)), eta: mf.eta / Math.max(1, Math.sqrt(d)), iterationOffset: mf.iterations },
      { ...s, n: Math.max(1, s.n - mf.iterations) },
      onEvent,
    );
    iterations = mf.iterations + run.iterations;
    elboHistory = concat(mf.elboHistory, run.elboHistory);
    evalIters = Int32Array.from([...mf.elboEvalIterations, ...Array.from(run.elboEvalIterations, (i) => i + mf.iterations)]);
    evals = concat(mf.elboEvals, run.elboEvals);
    if (!(run.elbo >= mf.elbo)) {
      // The full-rank stage ended below its mean-field start (its d(d−1)/2 extra terms are noisy
      // in high dimension): keep the start, as a full-rank family with a diagonal factor.
      const fam = new GaussianFamily('fullrank', d);
      fam.reset(mf.family.mean(new Float64Array(d)), mf.family.std(new Float64Array(d)));
      run = {
        ...run,
        family: fam,
        elbo: mf.elbo,
        diverged: false,
        converged: mf.converged,
        message:
          `${run.message} The full-rank stage ended with a lower ELBO (${run.elbo.toFixed(2)}) than its mean-field start ` +
          `(${mf.elbo.toFixed(2)}), so the mean-field fit is kept (no correlations); try a larger 'n' with a smaller 'tolerance'.`,
      };
    }
    run = { ...run, elapsed: mf.elapsed + run.elapsed };
  } else {
    run = runAdvi(cm, init, s, onEvent);
    iterations = run.iterations;
    elboHistory = run.elboHistory;
    evalIters = run.elboEvalIterations;
    evals = run.elboEvals;
  }
  return new Approximation(cm, run, s, { iterations, elboHistory, elboEvalIterations: evalIters, elboEvals: evals, elapsed: run.elapsed });
}

/*
 * The full-rank stage continues the mean-field run's decreasing schedule (iterationOffset) with η
 * divided by √d. Both are empirical: each of the d(d−1)/2 off-diagonal terms of L steps by ≈ η/√k
 * whatever its gradient (the steps are normalised per coordinate), and their noise adds up in the
 * marginal variances, about d times. On radon (d = 175) the mean-field η restarted at k = 1 left the
 * ELBO at −63…−84 (mean-field reached −59); continued with η/√d it reached −62…−65, and the
 * covariance of a 3-d correlated Gaussian is recovered within Monte Carlo error.
 */

function warmStartListener(onEvent: AdviProgressCallback | undefined): AdviProgressCallback | undefined {
  if (!onEvent) return undefined;
  // The warm start reports as usual except its 'end', which would look like the end of the fit.
  return (e) => {
    if (e.type !== 'end') onEvent(e);
  };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

