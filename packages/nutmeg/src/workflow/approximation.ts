// A fitted ADVI approximation: unconstrained Gaussian, constrained means/sds, draws as InferenceData, PSIS k-hat.
import type { CompiledModel, VariableInfo } from '../compiler/compiledModel.js';
import type { InferenceData, VariableArray } from '../posterior/inferenceData.js';
import { shapeSize } from '../posterior/inferenceData.js';
import { Rng } from '../core/rng.js';
import { OptionError } from '../core/errors.js';
import { seedOption } from '../core/optionChecks.js';
import { DEFAULT_MEMORY_LIMIT, enforceMemoryLimit, memoryLimitOption } from './resourceLimits.js';
import { formatCount } from '../core/formatCount.js';
import type { GaussianFamily } from '../inference/vi/family.js';
import { fillStandardNormal } from '../inference/vi/normals.js';
import { paretoKHat } from '../diagnostics/psis.js';
import type { ParetoKHat } from '../diagnostics/psis.js';
import type { AdviMethod, AdviSettings } from '../inference/vi/settings.js';
import type { AdviRun } from '../inference/vi/advi.js';
import { constantDataGroup, observedGroup } from './results.js';

/** Stream ids of the random numbers each use draws from (fixed, so results depend on the seed only). */
const STREAM_SUMMARY = 0x5a11;
const STREAM_PSIS = 0x9515;
const STREAM_SAMPLE = 0x5a3e;

/** How good the approximation is by the Pareto k-hat of its importance ratios (Yao et al. 2018). */
export interface ParetoDiagnostic extends ParetoKHat {
  /** 'good' (k < 0.5), 'ok' (k < threshold), 'bad' (k ≥ threshold) or 'unknown' (not computed / NaN). */
  readonly verdict: 'good' | 'ok' | 'bad' | 'unknown';
  /** A sentence saying what k-hat means for this fit and what to do. */
  readonly message: string;
}

/** Options of {@link Approximation.sample}. */
export interface ApproximationSampleOptions {
  /** Seed of the draws (default: the fit's seed); the same seed gives the same draws. */
  seed?: number;
  /** Compute the log density of each draw into `sample_stats.lp` (default true). */
  lp?: boolean;
  /** Memory the draws may take, in bytes (default 2 GiB, `DEFAULT_MEMORY_LIMIT`); more is refused up front. */
  memoryLimit?: number;
}

function paretoMessage(k: ParetoKHat, method: AdviMethod): ParetoDiagnostic {
  const kStr = Number.isFinite(k.k) ? k.k.toFixed(2) : String(k.k);
  if (Number.isNaN(k.k)) {
    return { ...k, verdict: 'unknown', message: 'Pareto k-hat could not be estimated (too few draws or degenerate importance ratios).' };
  }
  if (k.k < 0.5) {
    return {
      ...k,
      verdict: 'good',
      message:
        `Pareto k-hat = ${kStr} < 0.5: the approximation is close to the posterior (Yao et al. 2018); ` +
        `its means and sds can be used${method === 'advi' ? ', though mean-field sds tend to be too small' : ''}.`,
    };
  }
  if (k.k < k.threshold) {
    return {
      ...k,
      verdict: 'ok',
      message:
        `Pareto k-hat = ${kStr} (between 0.5 and ${k.threshold.toFixed(2)}): the approximation is usable with care; ` +
        `means are likely fine, sds and tails less so. Check against NUTS (sample(model, {init: 'advi'})).`,
    };
  }
  return {
    ...k,
    verdict: 'bad',
    message:
      `Pareto k-hat = ${kStr} ≥ ${k.threshold.toFixed(2)}: the approximation is far from the posterior in some direction ` +
      `(importance ratios have a very heavy tail). ` +
      (method === 'advi'
        ? 'Mean-field ADVI ignores correlations and under-estimates variances, typical on hierarchical models. '
        : 'Even full-rank Gaussian q misses the posterior shape (funnels, skewed scales). ') +
      `Use it as a starting point, not as the answer: sample(model, {init: 'advi'}) runs NUTS from it` +
      (method === 'advi' ? "; or try method: 'fullrank_advi'." : '.'),
  };
}

/**
 * The result of {@link fit}: a Gaussian approximation q(θ) of the posterior in the unconstrained
 * space, with the model's names, shapes and constraints for results.
 *
 * - `mean`, `std`: q's mean and marginal sds in the unconstrained space (Float64Array, model order);
 *   `std²` is the diagonal inverse mass matrix NUTS starts from with `init: 'advi'`.
 * - `means`, `sds`: per-variable means and sds in the constrained space (the tutorial's `means, sds`);
 *   exact for identity-transformed parameters, Monte Carlo over `summaryDraws` draws otherwise.
 * - `elboHistory`: the ELBO estimate of every iteration; `elbo` the final estimate.
 * - `paretoK`: the PSIS k-hat diagnostic with a message.
 * - `sample(n)`: draws as InferenceData shaped like NUTS's (one chain).
 */
export class Approximation {
  /** 'advi' (mean-field) or 'fullrank_advi'. */
  readonly method: AdviMethod;
  /** Mean of q in the unconstrained space. */
  readonly mean: Float64Array;
  /** Marginal standard deviations of q in the unconstrained space. */
  readonly std: Float64Array;
  /** Posterior means by variable name (free parameters and deterministics), constrained space. */
  readonly means: Record<string, Float64Array>;
  /** Posterior standard deviations by variable name, constrained space. */
  readonly sds: Record<string, Float64Array>;
  /** The ELBO estimate of each iteration (from the gradient draws). */
  readonly elboHistory: Float64Array;
  /** Iterations at which the ELBO was evaluated with `elboSamples` draws, and the values. */
  readonly elboEvalIterations: Int32Array;
  readonly elboEvals: Float64Array;
  /** The final ELBO estimate. */
  readonly elbo: number;
  /** Iterations run (both stages for full-rank). */
  readonly iterations: number;
  readonly converged: boolean;
  readonly diverged: boolean;
  /** Why the optimisation stopped (e.g. "Median ELBO converged at iteration 2700: …"). */
  readonly message: string;
  /** The step-size scale used. */
  readonly eta: number;
  /** Wall time of the optimisation, in seconds. */
  readonly elapsed: number;
  /** The seed the fit used. */
  readonly seed: number;
  /** PSIS diagnostic of the approximation (k-hat of log p − log q over `psisDraws` draws). */
  readonly paretoK: ParetoDiagnostic;
  /** Warnings for the user (not converged, diverged, k-hat too high). */
  readonly warnings: readonly string[];

  private readonly model: CompiledModel;
  private readonly family: GaussianFamily;
  private readonly settings: AdviSettings;

  /** @internal built by {@link fit}. */
  constructor(model: CompiledModel, run: AdviRun, settings: AdviSettings, extra: { iterations: number; elboHistory: Float64Array; elboEvalIterations: Int32Array; elboEvals: Float64Array; elapsed: number }) {
    this.model = model;
    this.family = run.family;
    this.settings = settings;
    this.method = settings.method;
    const d = model.dim;
    this.mean = run.family.mean(new Float64Array(d));
    this.std = run.family.std(new Float64Array(d));
    this.elboHistory = extra.elboHistory;
    this.elboEvalIterations = extra.elboEvalIterations;
    this.elboEvals = extra.elboEvals;
    this.elbo = run.elbo;
    this.iterations = extra.iterations;
    this.converged = run.converged;
    this.diverged = run.diverged;
    this.message = run.message;
    this.eta = run.eta;
    this.elapsed = extra.elapsed;
    this.seed = settings.seed;
    const { means, sds } = this.constrainedSummaries(settings.summaryDraws);
    this.means = means;
    this.sds = sds;
    this.paretoK =
      settings.psisDraws > 0
        ? paretoMessage(paretoKHat(this.logImportanceRatios(settings.psisDraws)), settings.method)
        : paretoMessage({ k: NaN, sigma: NaN, tailLength: 0, sampleSize: 0, threshold: NaN }, settings.method);
    const warnings: string[] = [];
    if (this.diverged) warnings.push(`ADVI: ${this.message}`);
    else if (!this.converged) warnings.push(`ADVI: ${this.message}`);
    if (this.paretoK.verdict === 'bad' || this.paretoK.verdict === 'ok') warnings.push(this.paretoK.message);
    this.warnings = warnings;
  }

  /**
   * Writes one draw θ ~ q (unconstrained) into `out`.
   *
   * @param rng - the stream to draw from
   * @param out - length `model.dim` (allocated if omitted)
   * @returns `out`
   */
  draw(rng: Rng, out?: Float64Array): Float64Array {
    const d = this.model.dim;
    const o = out ?? new Float64Array(d);
    const eta = new Float64Array(d);
    fillStandardNormal(rng, eta);
    this.family.transform(eta, o);
    return o;
  }

  /** The covariance of q in the unconstrained space, dense row-major (diagonal for mean-field). */
  covariance(): Float64Array {
    return this.family.covariance();
  }

  /** log p(θ) − log q(θ) for `n` draws θ ~ q (the importance ratios behind k-hat). */
  logImportanceRatios(n: number, seed = this.settings.seed): Float64Array {
    const d = this.model.dim;
    const rng = new Rng(seed, STREAM_PSIS);
    const eta = new Float64Array(d);
    const z = new Float64Array(d);
    const g = new Float64Array(d);
    const out = new Float64Array(n);
    const lpOnly = this.model.logDensity ? (x: Float64Array) => this.model.logDensity!(x) : (x: Float64Array) => this.model.logDensityGrad(x, g);
    for (let i = 0; i < n; i++) {
      fillStandardNormal(rng, eta);
      this.family.transform(eta, z);
      out[i] = lpOnly(z) - this.family.logDensityOfDraw(eta);
    }
    return out;
  }

  private constrainedSummaries(n: number): { means: Record<string, Float64Array>; sds: Record<string, Float64Array> } {
    const vars = this.model.variables;
    const sum: Record<string, Float64Array> = {};
    const sumSq: Record<string, Float64Array> = {};
    for (const v of vars) {
      const k = shapeSize(v.shape);
      sum[v.name] = new Float64Array(k);
      sumSq[v.name] = new Float64Array(k);
    }
    const rng = new Rng(this.settings.seed, STREAM_SUMMARY);
    const z = new Float64Array(this.model.dim);
    // Sums are taken about the first draw, which keeps the variance formula well conditioned.
    let first: Record<string, Float64Array> | undefined;
    for (let i = 0; i < n; i++) {
      this.draw(rng, z);
      const c = this.model.constrain(z);
      if (!first) first = Object.fromEntries(Object.entries(c).map(([k, a]) => [k, Float64Array.from(a)]));
      for (const v of vars) {
        const a = c[v.name];
        const f = first[v.name];
        const s = sum[v.name];
        const q = sumSq[v.name];
        if (!a) continue;
        for (let j = 0; j < s.length; j++) {
          const x = a[j] - f[j];
          s[j] += x;
          q[j] += x * x;
        }
      }
    }
    const means: Record<string, Float64Array> = {};
    const sds: Record<string, Float64Array> = {};
    for (const v of vars) {
      const s = sum[v.name];
      const q = sumSq[v.name];
      const f = first?.[v.name] ?? new Float64Array(s.length);
      const m = new Float64Array(s.length);
      const sd = new Float64Array(s.length);
      for (let j = 0; j < s.length; j++) {
        const mu = s[j] / n;
        m[j] = f[j] + mu;
        sd[j] = n > 1 ? Math.sqrt(Math.max(0, (q[j] - n * mu * mu) / (n - 1))) : 0;
      }
      if (isIdentityFree(v)) {
        // Exact: the constrained value is the unconstrained coordinate.
        const off = v.offset!;
        for (let j = 0; j < m.length; j++) {
          m[j] = this.mean[off + j];
          sd[j] = this.std[off + j];
        }
      }
      means[v.name] = m;
      sds[v.name] = sd;
    }
    return { means, sds };
  }

  /**
   * Draws `n` values from the approximation and returns them as InferenceData with one chain,
   * shaped like NUTS's results: `posterior` (every free parameter and deterministic, constrained,
   * with dims and coords), `sample_stats.lp` (the log density of each draw) and `observed_data`.
   *
   * @param n - number of draws (positive integer)
   * @param options - seed, whether to compute lp
   * @returns the draws
   * @throws OptionError if n is not a positive integer, the seed is not an integer in [0, 2^32), or
   *   the draws would take more memory than `memoryLimit` (the message gives both)
   * @example
   * ```ts
   * declare const model: CompiledModel; // e.g. new Model()…compile()
   * const approx = fit(model, { method: 'advi', seed: 1 });
   * const idata = approx.sample(1000);
   * idata.groups.posterior!.vars.alpha.values; // 1 × 1000 × 85 numbers
   * ```
   */
  sample(n: number, options: ApproximationSampleOptions = {}): InferenceData {
    if (!Number.isInteger(n) || n <= 0) throw new OptionError('n', `must be a positive integer, got ${String(n)}`);
    const seed = options.seed === undefined ? this.settings.seed : seedOption(options.seed);
    const perDraw = this.model.variables.reduce((k, v) => k + shapeSize(v.shape), 0) + 1;
    const limit = memoryLimitOption(options.memoryLimit, DEFAULT_MEMORY_LIMIT);
    const estimate = { bytes: n * perDraw * 8, formula: `${formatCount(n)} draws × ${perDraw} numbers × 8 bytes` };
    enforceMemoryLimit('n', estimate, limit, options.memoryLimit === undefined ? 'the default' : 'the memoryLimit option');
    const withLp = options.lp ?? true;
    const rng = new Rng(seed, STREAM_SAMPLE);
    const model = this.model;
    const vars = model.variables;
    const post: Record<string, Float64Array> = {};
    for (const v of vars) post[v.name] = new Float64Array(n * shapeSize(v.shape));
    const lp = new Float64Array(n);
    const z = new Float64Array(model.dim);
    const g = new Float64Array(model.dim);
    for (let i = 0; i < n; i++) {
      this.draw(rng, z);
      const c = model.constrain(z);
      for (const v of vars) {
        const a = c[v.name];
        if (a) post[v.name].set(a, i * a.length);
      }
      if (withLp) lp[i] = model.logDensity ? model.logDensity(z) : model.logDensityGrad(z, g);
    }
    const posterior: Record<string, VariableArray> = {};
    for (const v of vars) posterior[v.name] = { dims: v.dims, shape: v.shape, values: post[v.name] };
    const groups: InferenceData['groups'] = {
      posterior: {
        vars: posterior,
        attrs: { inference_library: 'nutmeg', inference: this.method, draws_from: 'variational approximation' },
      },
    };
    if (withLp) groups.sample_stats = { vars: { lp: { dims: [], shape: [], values: lp } }, attrs: {} };
    const observed = observedGroup(model);
    if (observed) groups.observed_data = observed;
    const constant = constantDataGroup(model);
    if (constant) groups.constant_data = constant;
    return {
      nChains: 1,
      nDraws: n,
      groups,
      coords: model.coords,
      attrs: {
        inference_library: 'nutmeg',
        method: this.method,
        seed,
        fit_seed: this.seed,
        elbo: this.elbo,
        iterations: this.iterations,
        converged: this.converged,
        diverged: this.diverged,
        message: this.message,
        pareto_k: this.paretoK.k,
        warnings: [...this.warnings],
      },
    };
  }
}

function isIdentityFree(v: VariableInfo): boolean {
  return v.kind === 'free' && v.transform === 'identity' && v.offset !== undefined && (v.unconstrainedSize ?? shapeSize(v.shape)) === shapeSize(v.shape);
}
