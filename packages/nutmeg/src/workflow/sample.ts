// sample(): PyMC-like MCMC entry point (NUTS by default, any registered sampler by name) — chains in parallel where possible, progress, Ctrl-C, InferenceData.
import { nowMs } from '../core/clock.js';
import type { LogDensity } from '../core/types.js';
import { Rng } from '../core/rng.js';
import { OptionError } from '../core/errors.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { NUTS_DEFAULTS } from '../inference/hmc/settings.js';
import { getSampler, type SamplerName } from '../inference/samplers/registry.js';
import type { ChainJob, ChainResult, ChainSettings } from '../inference/chain/chain.js';
import type { Sampler } from '../inference/samplers/sampler.js';
import { adviStart, basePoint, chainStart, type InitOption } from './init.js';
import { asCompiledModel } from './layout.js';
import { defaultPlatform, type SamplingPlatform } from './platform.js';
import { formatWarnings, samplingWarnings, type SamplingWarning } from '../posterior/warnings.js';
import type { ProgressSink } from '../inference/chain/progress.js';
import { buildInferenceData } from './results.js';
import { computeLogLikelihood } from '../predictive/logLikelihood.js';
import { modelSpecOf } from '../predictive/modelSpecOf.js';
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
  /**
   * Also compute the pointwise log-likelihood of every observation at every draw, as the
   * `log_likelihood` group that `loo` and `waic` read (PyMC's `idata_kwargs={"log_likelihood":
   * True}`; default false: it holds draws × observations numbers). Needs a model built with `Model`.
   */
  logLikelihood?: boolean;
  /** Stops sampling when aborted; the result then holds the draws so far (attrs.incomplete = true). */
  signal?: AbortSignal;
  /** Environment adapters (default: Node's when in Node). */
  platform?: SamplingPlatform;
  /** A custom chain runner (overrides `cores` and the platform's workers). */
  runner?: ChainRunner;
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
  const settings = resolveSampleOptions(options, sampler, layout);
  const platform = options.platform ?? (await defaultPlatform());
  const jobs = chainJobs(model, settings);
  const { runner, parallel, workers } = chooseRunner(model, layout, platform, options, settings.chains);
  const sink: ProgressSink | undefined =
    options.progress === false ? undefined : typeof options.progress === 'object' ? options.progress : platform.createProgress?.(settings.chains, settings.draws);
  const run = await runChains(runner, jobs, sink, platform, options.signal);
  const attrs = runAttrs(settings, run, parallel ? workers : 1, parallel);
  const built = buildInferenceData(layout, run.results, sampler.statNames, attrs);
  const problems = attachWarnings(built, attrs, settings, run.results);
  const progressShown = sink !== undefined && typeof options.progress !== 'object';
  if (progressShown && problems.length > 0) platform.printWarnings?.(formatWarnings(problems));
  return settings.logLikelihood ? computeLogLikelihood(layout, built) : built;
}

/** The options of {@link sample} validated and with their defaults filled in. */
interface SampleSettings {
  readonly sampler: Sampler;
  readonly draws: number;
  readonly tune: number;
  readonly chains: number;
  readonly maxTreeDepth: number;
  readonly targetAccept: number;
  readonly metric: 'diag' | 'dense';
  readonly divergenceThreshold: number;
  readonly pathLength: number | undefined;
  readonly seed: number;
  readonly init: InitOption;
  /** Whether to run the convergence checks (`computeConvergenceChecks`). */
  readonly convergence: boolean;
  /** Whether to add the `log_likelihood` group. */
  readonly logLikelihood: boolean;
}

/**
 * Validates the options of {@link sample} against the sampler and the model, and fills in defaults.
 *
 * @throws OptionError naming the offending option (or `model` for a model with nothing to sample)
 */
function resolveSampleOptions(options: SampleOptions, sampler: Sampler, layout: CompiledModel): SampleSettings {
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
  if (layout.dim < 1) throw new OptionError('model', 'the model has no free parameters to sample');
  const discrete = layout.variables.filter((v) => v.kind === 'free' && v.discrete);
  if (discrete.length > 0) {
    throw new OptionError('model', `${sampler.label} cannot sample discrete parameters: ${discrete.map((v) => v.name).join(', ')}`);
  }
  const convergence = options.computeConvergenceChecks !== false;
  const logLikelihood = options.logLikelihood === true;
  // Checked before sampling, so that a hand-written density does not lose a finished run to it.
  if (logLikelihood) modelSpecOf(layout, 'logLikelihood: true');
  return { sampler, draws, tune, chains, maxTreeDepth, targetAccept, metric, divergenceThreshold, pathLength, seed, init, convergence, logLikelihood };
}

/**
 * One job per chain: its starting point and RNG state (split from the seed) and the chain settings.
 * Starting points and (for `init: 'advi'`) the initial metric are computed here, so that every
 * runner gets the same jobs.
 */
function chainJobs(model: LogDensity, s: SampleSettings): ChainJob[] {
  let base: Float64Array;
  let jitterScale: Float64Array | undefined;
  let initialInverseMetric: Float64Array | undefined;
  if (s.init === 'advi') {
    const approx = adviStart(model, s.seed);
    base = Float64Array.from(approx.mean);
    jitterScale = Float64Array.from(approx.std);
    initialInverseMetric = Float64Array.from(approx.std, (sd) => Math.max(sd * sd, 1e-8));
  } else {
    base = basePoint(model, s.init);
  }
  const jitter = s.init === 'jitter+adapt_diag' || s.init === 'advi';
  const settings: ChainSettings = {
    sampler: s.sampler.name,
    draws: s.draws,
    tune: s.tune,
    maxTreeDepth: s.maxTreeDepth,
    targetAccept: s.targetAccept,
    metric: s.metric,
    divergenceThreshold: s.divergenceThreshold,
    ...(s.pathLength !== undefined ? { pathLength: s.pathLength } : {}),
    ...(initialInverseMetric ? { initialInverseMetric } : {}),
  };
  const root = new Rng(s.seed);
  const initRoot = new Rng(s.seed, 1);
  const jobs: ChainJob[] = [];
  for (let c = 0; c < s.chains; c++) {
    const start = chainStart(model, base, initRoot.split(c), jitter, c, jitterScale);
    jobs.push({ chain: c, init: start, rngState: root.split(c).getState(), settings });
  }
  return jobs;
}

/**
 * The runner for the chains: the caller's `runner`; else worker threads when there are several
 * cores (or the platform prefers workers, as a browser does) and the model has a spec to re-compile
 * there; else this thread, one chain after another.
 */
function chooseRunner(
  model: LogDensity,
  layout: CompiledModel,
  platform: SamplingPlatform,
  options: SampleOptions,
  chains: number,
): { runner: ChainRunner; parallel: boolean; workers: number } {
  const workers = Math.min(chains, options.cores ?? platform.defaultWorkers?.() ?? 1);
  if (options.runner) return { runner: options.runner, parallel: false, workers };
  const wantWorkers = workers > 1 || (platform.preferWorkers === true && options.cores === undefined);
  if (wantWorkers && layout.spec !== undefined && platform.createRunner) {
    // A spec re-compiles in each worker; a hand-written log density has none and runs here.
    return { runner: platform.createRunner(layout.spec, { workers }), parallel: true, workers };
  }
  return { runner: sequentialRunner(model), parallel: false, workers };
}

/** What {@link runChains} returns: the chains' results, whether the run was stopped, and its wall time. */
interface ChainRun {
  readonly results: ChainResult[];
  readonly interrupted: boolean;
  /** Wall-clock seconds of the whole run. */
  readonly wall: number;
}


/**
 * Runs the jobs, reporting progress to `sink`, and stops them on an interrupt (Ctrl-C) or when
 * `signal` aborts. Chains that never started (sequential runs stopped early) are dropped.
 */
async function runChains(
  runner: ChainRunner,
  jobs: ChainJob[],
  sink: ProgressSink | undefined,
  platform: SamplingPlatform,
  signal: AbortSignal | undefined,
): Promise<ChainRun> {
  const t0 = nowMs();
  const running = runner.start(jobs, sink ? (e) => sink.update(e) : undefined);
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    running.stop();
  };
  const removeInterrupt = platform.onInterrupt?.(stop);
  const onAbort = (): void => stop();
  if (signal) {
    if (signal.aborted) stop();
    else signal.addEventListener('abort', onAbort, { once: true });
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
    signal?.removeEventListener('abort', onAbort);
    sink?.finish();
  }
  const wall = (nowMs() - t0) / 1000;
  return { results, interrupted, wall };
}

/** The attrs of the run: library, sampler, seed, settings, timings, adapted tuning and divergence counts. */
function runAttrs(s: SampleSettings, run: ChainRun, cores: number, parallel: boolean): Record<string, unknown> {
  const { results, wall } = run;
  const incomplete = run.interrupted || results.some((r) => r.interrupted);
  const nDraws = Math.min(...results.map((r) => r.nDraws));
  return {
    created_at: new Date().toISOString(),
    inference_library: 'nutmeg',
    inference_library_version: NUTMEG_VERSION,
    nutmeg_version: NUTMEG_VERSION,
    sampler: s.sampler.name,
    seed: s.seed,
    settings: {
      draws: s.draws,
      tune: s.tune,
      chains: s.chains,
      targetAccept: s.targetAccept,
      maxTreeDepth: s.maxTreeDepth,
      metric: s.metric,
      divergenceThreshold: s.divergenceThreshold,
      ...(s.pathLength !== undefined ? { pathLength: s.pathLength } : {}),
      init: typeof s.init === 'string' ? s.init : s.init instanceof Float64Array ? 'vector' : 'values',
      cores,
      parallel,
    },
    tuning_steps: s.tune,
    sampling_time: wall,
    timings: results.map((r) => ({ chain: r.chain, warmup_s: r.warmupSeconds, sampling_s: r.samplingSeconds })),
    grad_evals: results.reduce((sum, r) => sum + r.gradEvals, 0),
    step_size: results.map((r) => r.stepSize),
    inverse_metric: results.map((r) => Array.from(r.inverseMetric)),
    divergences: results.reduce((sum, r) => {
      let n = 0;
      for (let i = 0; i < nDraws; i++) n += r.stats.diverging[i];
      return sum + n;
    }, 0),
    divergences_warmup: results.reduce((sum, r) => sum + r.divergencesWarmup, 0),
    incomplete,
  };
}

/**
 * Checks the run and records its problems from one producer (posterior/warnings.ts), ranked, each
 * with what to try: errors and warnings in `attrs.warnings`, efficiency notes (severity 'info') in
 * `attrs.warning_details` only.
 *
 * @returns the errors and warnings (to print once where progress was shown)
 */
function attachWarnings(idata: InferenceData, attrs: Record<string, unknown>, s: SampleSettings, results: readonly ChainResult[]): SamplingWarning[] {
  const details = samplingWarnings(idata, {
    targetAccept: s.targetAccept,
    maxTreeDepth: s.maxTreeDepth,
    convergence: s.convergence,
    logDensityErrors: [...new Set(results.flatMap((r) => r.messages))],
  });
  const problems = details.filter((w) => w.severity !== 'info');
  attrs.warnings = problems.map((w) => `${w.message} ${w.advice}`);
  attrs.warning_details = details;
  return problems;
}

/** `v` when it is an integer ≥ 1 (≥ 0 with `allowZero`); otherwise throws OptionError naming `name`. */
function positiveInt(name: string, v: number, allowZero = false): number {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) throw new OptionError(name, `must be an integer ≥ ${allowZero ? 0 : 1}, got ${v}`);
  return v;
}
