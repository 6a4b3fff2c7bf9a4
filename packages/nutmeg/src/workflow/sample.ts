// sample(): PyMC-like MCMC entry point (NUTS by default, any registered sampler by name) — chains in parallel where possible, progress, Ctrl-C, InferenceData.
import type { LogDensity } from '../core/types.js';
import { Rng } from '../core/rng.js';
import { OptionError } from '../core/errors.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { NUTS_DEFAULTS } from '../inference/hmc/settings.js';
import { getSampler, type SamplerName } from '../inference/samplers/registry.js';
import type { ChainJob, ChainSettings } from '../inference/chain/chain.js';
import { adviStart, basePoint, chainStart, type InitOption } from './init.js';
import { asCompiledModel } from './layout.js';
import { defaultPlatform, type SamplingPlatform } from './platform.js';
import { formatWarnings, samplingWarnings } from '../posterior/warnings.js';
import type { ProgressSink } from '../inference/chain/progress.js';
import { buildInferenceData } from './results.js';
import { sequentialRunner, type ChainRunner } from './runner.js';
import { NUTMEG_VERSION } from './version.js';

/** Options of {@link sample} (PyMC's names in TypeScript case). */
export interface SampleOptions {
  /**
   * The MCMC sampler, by name: 'nuts' (default; the No-U-Turn sampler) or 'hmc' (static HMC with
   * a fixed path length). Both use Stan's windowed warm-up of step size and metric.
   */
  sampler?: SamplerName;
  /** Static HMC only: integration time per transition (default 2, PyMC's `path_length`). */
  pathLength?: number;
  /** Draws kept per chain (default 1000). */
  draws?: number;
  /** Warm-up (tuning) iterations per chain, discarded (default 1000). */
  tune?: number;
  /** Number of chains (default 4). */
  chains?: number;
  /** Seed; the same seed gives bit-identical draws whether chains run in parallel or not. Default: from the clock (recorded in attrs). */
  seed?: number;
  /**
   * Target acceptance statistic of step-size adaptation (default 0.8 for NUTS, 0.65 for static HMC;
   * raise toward 0.95–0.99 against divergences).
   */
  targetAccept?: number;
  /** Maximum tree depth (default 10). */
  maxTreeDepth?: number;
  /** Metric adapted in warm-up: 'diag' (default) or 'dense'. */
  metric?: 'diag' | 'dense';
  /** How chains start (default 'jitter+adapt_diag'). */
  init?: InitOption;
  /** Live progress: true (default: in a terminal, one line per chain), false, or a custom sink. */
  progress?: boolean | ProgressSink;
  /** Worker threads for parallel chains (default: the platform's core count; 1 runs chains in this thread). */
  cores?: number;
  /** Energy error that flags a divergence (default 1000). */
  divergenceThreshold?: number;
  /**
   * Run the convergence checks after sampling (default true, as PyMC's `compute_convergence_checks`):
   * R̂, bulk and tail ESS of every element, E-BFMI and where divergences concentrate, kept in
   * `attrs.warning_details` and `attrs.warnings`. Turn them off for many small fits whose draws are
   * checked together afterwards (`summary()` of the combined draws); the counts of divergences and
   * tree-depth hits are still reported.
   */
  computeConvergenceChecks?: boolean;
  /** Stops sampling when aborted; the result then holds the draws so far (attrs.incomplete = true). */
  signal?: AbortSignal;
  /** Environment adapters (default: Node's when in Node). */
  platform?: SamplingPlatform;
  /** A custom chain runner (overrides `cores` and the platform's workers). */
  runner?: ChainRunner;
}

function positiveInt(name: string, v: number, allowZero = false): number {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) throw new OptionError(name, `must be an integer ≥ ${allowZero ? 0 : 1}, got ${v}`);
  return v;
}

/**
 * Samples a model with the No-U-Turn sampler (or another registered sampler, `options.sampler`),
 * as PyMC's `pm.sample` / Stan's `sample` do: Stan's windowed warm-up (dual-averaging step size, diagonal or dense metric), `chains` independent
 * chains from one seed (`new Rng(seed).split(chain)`), run on worker threads when the model can be
 * re-compiled there (a {@link CompiledModel} with a `spec`), otherwise one after another in this
 * thread (a hand-written {@link LogDensity}). Ctrl-C (or `signal`) stops early and returns the draws
 * so far, marked `attrs.incomplete = true`.
 *
 * @param model - a compiled model, or any log density on an unconstrained space
 * @param options - see {@link SampleOptions}
 * @returns InferenceData with `posterior` (constrained values, deterministics included, with
 *   dims/coords; a hand-written log density's draws as one vector `x`), `sample_stats` (the
 *   sampler's statistics, ArviZ names) and `observed_data`; attrs record the sampler, the seed,
 *   settings, version and timings
 * @throws OptionError for invalid options (an unknown `sampler` names the valid ones); ModelError when no chain can start (naming the
 *   variables whose log density is not finite) or the posterior is improper
 * @example
 * ```ts
 * declare const model: Model; // built with m.rv(…)
 * const idata = await sample(model.compile(), { draws: 1000, tune: 1000, chains: 4, seed: 1 });
 * summary(idata);
 * ```
 *
 * References: Stan Reference Manual, "MCMC sampling"; PyMC `pm.sample`.
 */
export async function sample(model: LogDensity | CompiledModel, options: SampleOptions = {}): Promise<InferenceData> {
  const sampler = getSampler(options.sampler ?? 'nuts');
  const layout = asCompiledModel(model);
  const draws = positiveInt('draws', options.draws ?? 1000, true);
  const tune = positiveInt('tune', options.tune ?? 1000, true);
  const chains = positiveInt('chains', options.chains ?? 4);
  const maxTreeDepth = positiveInt('maxTreeDepth', options.maxTreeDepth ?? NUTS_DEFAULTS.maxTreeDepth);
  const targetAccept = options.targetAccept ?? sampler.defaultTargetAccept;
  if (!(targetAccept > 0 && targetAccept < 1)) throw new OptionError('targetAccept', `must be in (0, 1), got ${targetAccept}`);
  const metric = options.metric ?? 'diag';
  if (metric !== 'diag' && metric !== 'dense') throw new OptionError('metric', `must be 'diag' or 'dense', got '${String(metric)}'`);
  const divergenceThreshold = options.divergenceThreshold ?? NUTS_DEFAULTS.divergenceThreshold;
  const pathLength = options.pathLength;
  if (pathLength !== undefined && !(pathLength > 0 && Number.isFinite(pathLength))) {
    throw new OptionError('pathLength', `must be finite and > 0, got ${pathLength}`);
  }
  // Options of one sampler given to another would be ignored silently: say so instead.
  if (pathLength !== undefined && sampler.name !== 'hmc') throw new OptionError('pathLength', `applies to sampler 'hmc' only, not '${sampler.name}'`);
  if (options.maxTreeDepth !== undefined && sampler.name !== 'nuts') throw new OptionError('maxTreeDepth', `applies to sampler 'nuts' only, not '${sampler.name}'`);
  const seed = options.seed ?? (Date.now() % 4294967296);
  if (!Number.isFinite(seed)) throw new OptionError('seed', `must be a finite number, got ${seed}`);
  const init = options.init ?? 'jitter+adapt_diag';
  if (typeof init === 'string' && !['jitter+adapt_diag', 'adapt_diag', 'advi'].includes(init)) {
    throw new OptionError('init', `unknown init '${init}' (expected 'jitter+adapt_diag', 'adapt_diag', 'advi', a Float64Array or values by name)`);
  }
  if (options.computeConvergenceChecks !== undefined && typeof options.computeConvergenceChecks !== 'boolean') {
    throw new OptionError('computeConvergenceChecks', `must be true or false, got ${String(options.computeConvergenceChecks)}`);
  }
  if (model.dim < 1) throw new OptionError('model', 'the model has no free parameters to sample');
  const discrete = layout.variables.filter((v) => v.kind === 'free' && v.discrete);
  if (discrete.length > 0) {
    throw new OptionError('model', `${sampler.label} cannot sample discrete parameters: ${discrete.map((v) => v.name).join(', ')}`);
  }

  const platform = options.platform ?? (await defaultPlatform());

  // Starting points and (for ADVI) the initial metric, computed here so every runner gets the same jobs.
  let base: Float64Array;
  let jitterScale: Float64Array | undefined;
  let initialInverseMetric: Float64Array | undefined;
  if (init === 'advi') {
    const approx = adviStart(model, seed);
    base = Float64Array.from(approx.mean);
    jitterScale = Float64Array.from(approx.std);
    initialInverseMetric = Float64Array.from(approx.std, (s) => Math.max(s * s, 1e-8));
  } else {
    base = basePoint(model, init);
  }
  const jitter = init === 'jitter+adapt_diag' || init === 'advi';
  const settings: ChainSettings = {
    sampler: sampler.name,
    draws,
    tune,
    maxTreeDepth,
    targetAccept,
    metric,
    divergenceThreshold,
    ...(pathLength !== undefined ? { pathLength } : {}),
    ...(initialInverseMetric ? { initialInverseMetric } : {}),
  };
  const root = new Rng(seed);
  const initRoot = new Rng(seed, 1);
  const jobs: ChainJob[] = [];
  for (let c = 0; c < chains; c++) {
    const start = chainStart(model, base, initRoot.split(c), jitter, c, jitterScale);
    jobs.push({ chain: c, init: start, rngState: root.split(c).getState(), settings });
  }

  const workers = Math.min(chains, options.cores ?? platform.defaultWorkers?.() ?? 1);
  let runner: ChainRunner;
  let parallel = false;
  if (options.runner) {
    runner = options.runner;
  } else if (workers > 1 && layout.spec !== undefined && platform.createRunner) {
    // A spec re-compiles in each worker; a hand-written log density has none and runs here.
    runner = platform.createRunner(layout.spec, { workers });
    parallel = true;
  } else {
    runner = sequentialRunner(model);
  }

  const sink: ProgressSink | undefined =
    options.progress === false ? undefined : typeof options.progress === 'object' ? options.progress : platform.createProgress?.(chains, draws);

  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const running = runner.start(jobs, sink ? (e) => sink.update(e) : undefined);
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    running.stop();
  };
  const removeInterrupt = platform.onInterrupt?.(stop);
  const onAbort = (): void => stop();
  if (options.signal) {
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }
  let results;
  try {
    results = await running.results;
    // Chains that never started (sequential runs stopped early) are dropped; the others are cut to a common length.
    if (results.some((r) => r.interrupted)) {
      const started = results.filter((r) => r.nDraws > 0);
      if (started.length > 0) results = started;
    }
  } finally {
    removeInterrupt?.();
    options.signal?.removeEventListener('abort', onAbort);
    sink?.finish();
  }
  const wall = ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000;
  const incomplete = interrupted || results.some((r) => r.interrupted);
  const nDraws = Math.min(...results.map((r) => r.nDraws));
  const attrs: Record<string, unknown> = {
    created_at: new Date().toISOString(),
    inference_library: 'nutmeg',
    inference_library_version: NUTMEG_VERSION,
    nutmeg_version: NUTMEG_VERSION,
    sampler: sampler.name,
    seed,
    settings: {
      draws,
      tune,
      chains,
      targetAccept,
      maxTreeDepth,
      metric,
      divergenceThreshold,
      ...(pathLength !== undefined ? { pathLength } : {}),
      init: typeof init === 'string' ? init : init instanceof Float64Array ? 'vector' : 'values',
      cores: parallel ? workers : 1,
      parallel,
    },
    tuning_steps: tune,
    sampling_time: wall,
    timings: results.map((r) => ({ chain: r.chain, warmup_s: r.warmupSeconds, sampling_s: r.samplingSeconds })),
    grad_evals: results.reduce((s, r) => s + r.gradEvals, 0),
    step_size: results.map((r) => r.stepSize),
    inverse_metric: results.map((r) => Array.from(r.inverseMetric)),
    divergences: results.reduce((s, r) => {
      let n = 0;
      for (let i = 0; i < nDraws; i++) n += r.stats.diverging[i];
      return s + n;
    }, 0),
    divergences_warmup: results.reduce((s, r) => s + r.divergencesWarmup, 0),
    incomplete,
  };
  const idata = buildInferenceData(layout, results, sampler.statNames, attrs);
  // The run's problems from one producer (posterior/warnings.ts), ranked, each with what to try:
  // errors and warnings in attrs.warnings (and printed once where progress was shown), efficiency
  // notes (severity 'info') in attrs.warning_details only.
  const details = samplingWarnings(idata, {
    targetAccept,
    maxTreeDepth,
    convergence: options.computeConvergenceChecks !== false,
    logDensityErrors: [...new Set(results.flatMap((r) => r.messages))],
  });
  const problems = details.filter((w) => w.severity !== 'info');
  attrs.warnings = problems.map((w) => `${w.message} ${w.advice}`);
  attrs.warning_details = details;
  const progressShown = sink !== undefined && typeof options.progress !== 'object';
  if (progressShown && problems.length > 0) platform.printWarnings?.(formatWarnings(problems));
  return idata;
}
