// sample(): PyMC-like MCMC entry point (NUTS by default, any registered sampler by name) — chains in parallel where possible, progress, Ctrl-C, InferenceData.
import { nowMs } from '../core/clock.js';
import type { LogDensity } from '../core/types.js';
import { Rng } from '../core/rng.js';
import { OptionError } from '../core/errors.js';
import { booleanOption, checkKnownKeys, describeValue, integerOption, optionsObject, seedOption, SEED_LIMIT } from '../core/optionChecks.js';
import { DEFAULT_MEMORY_LIMIT, enforceMemoryLimit, formatDuration, LONG_RUN_SECONDS, memoryLimitOption, runTimeEstimate, sampleMemory } from './resourceLimits.js';
import type { Model } from '../model/model.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { NUTS_DEFAULTS } from '../inference/hmc/settings.js';
import { GRADIENT_ADAPTATION_DEFAULTS } from '../inference/adaptation/settings.js';
import { getSampler, type SamplerName } from '../inference/samplers/registry.js';
import type { ChainJob, ChainResult, ChainSettings } from '../inference/chain/chain.js';
import type { Sampler } from '../inference/samplers/sampler.js';
import { adviStart, basePoint, chainStart, type InitOption } from './init.js';
import { asCompiledModel, modelArgument } from './layout.js';
import { defaultPlatform, type SamplingPlatform } from './platform.js';
import { formatWarnings, samplingWarnings, type SamplingWarning } from '../posterior/warnings.js';
import type { ProgressSink } from '../inference/chain/progress.js';
import { buildInferenceData } from './results.js';
import { computeLogLikelihood } from '../predictive/logLikelihood.js';
import { modelSpecOf } from '../predictive/modelSpecOf.js';
import { sequentialRunner, type ChainRunner, type RunOptions } from './runner.js';
import { CHECKPOINT_DEFAULTS, finishedChainResult, type CheckpointOptions, type CheckpointStore } from './checkpoint.js';
import type { ChainFailure } from '../inference/chain/chain.js';
import type { ChainBlock, ChainResume } from '../inference/chain/checkpoint.js';
import { NUTMEG_VERSION } from './version.js';

/** Options of {@link sample} (PyMC's names in TypeScript case). */
export interface SampleOptions {
  /**
   * The MCMC sampler, by name: 'nuts' (default; the No-U-Turn sampler) or 'hmc' (static HMC with
   * a fixed path length). Warm-up: see `adaptation`.
   */
  sampler?: SamplerName;
  /** Static HMC only: integration time per transition (default 2, PyMC's `path_length`). */
  pathLength?: number;
  /** Draws kept per chain (default 1000); 0 runs the warm-up only (as PyMC and CmdStan allow), with a warning. */
  draws?: number;
  /** Warm-up (tuning) iterations per chain, discarded (default 300 with nutpie's adaptation, 1000 with Stan's). */
  tune?: number;
  /**
   * Warm-up adaptation of step size and metric: 'nutpie' (nutpie's diagonal metric from the draws
   * and their gradients, which needs fewer tuning draws: `tune` defaults to 300 with it; the default
   * for NUTS with a diagonal metric) or 'stan' (Stan's windowed adaptation; the default for a dense
   * metric, which nutpie's does not adapt, and for static HMC). See docs/adaptation.md.
   */
  adaptation?: 'stan' | 'nutpie';
  /** Number of chains (default 4). */
  chains?: number;
  /**
   * Seed, an integer in [0, 2^32); the same seed gives bit-identical draws whether chains run in
   * parallel or not. Default: from the clock (recorded in attrs).
   */
  seed?: number;
  /**
   * Target acceptance statistic of step-size adaptation (default 0.8 for NUTS, 0.65 for static HMC;
   * raise toward 0.95–0.99 against divergences).
   */
  targetAccept?: number;
  /** Maximum tree depth (default 10; at most 30, i.e. 2^30 gradients per iteration). */
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
  /**
   * Memory the run may use for its draws, in bytes (default: the platform's, in Node half the
   * machine's memory; elsewhere 2 GiB). A run whose estimate is larger is refused before it starts,
   * with the estimate; `Infinity` turns the check off.
   */
  memoryLimit?: number;
  /**
* Stream every chain to the folder `checkpoint.dir` as it samples: a CmdStan CSV of its draws
   * (constrained values), the exact unconstrained draws, and the sampler's whole state every
   * `checkpoint.every` iterations (default 100), so that a killed run can be continued with
   * `resume: true`. Needs a platform with files (Node). See docs/checkpoint.md.
   */
  checkpoint?: CheckpointOptions;
  /**
   * Continue the run checkpointed in `checkpoint.dir` from each chain's last complete block; the
   * finished draws are bit-identical to an uninterrupted run. Refuses (OptionError naming what
   * differs) when the model, data or settings are not the checkpoint's; a finished run is returned
   * without sampling; an empty folder starts a new run. Without `seed`, the checkpoint's seed is used.
   */
  resume?: boolean;
  /**
   * End a chain still running after this many seconds (its worker thread is terminated; in the
   * calling thread it stops at its next iteration). The other chains are kept and the result is
   * marked incomplete, with the chain in `attrs.failed_chains`.
   */
  chainTimeoutSeconds?: number;
}

/**
 * Every option of {@link sample}, so that a misspelt one is refused (with a suggestion) rather
 * than ignored. `satisfies` makes an option added to {@link SampleOptions} but not here a type error.
 */
export const SAMPLE_OPTION_KEYS = {
  sampler: true,
  pathLength: true,
  draws: true,
  tune: true,
  adaptation: true,
  chains: true,
  seed: true,
  targetAccept: true,
  maxTreeDepth: true,
  metric: true,
  init: true,
  progress: true,
  cores: true,
  divergenceThreshold: true,
  computeConvergenceChecks: true,
  logLikelihood: true,
  signal: true,
  platform: true,
  runner: true,
  memoryLimit: true,
  checkpoint: true,
  resume: true,
  chainTimeoutSeconds: true,
} as const satisfies Record<keyof SampleOptions, true>;

/**
 * Largest `maxTreeDepth`: 30, i.e. up to 2^30 gradient evaluations per iteration. Stan accepts any
 * positive depth; beyond 30 a tree is never reached in practice, while the sampler allocates a
 * stack frame per level up front, so 1e9 would exhaust memory.
 */
export const MAX_TREE_DEPTH = 30;

/**
 * Samples a model with the No-U-Turn sampler (or another registered sampler, `options.sampler`),
 * as PyMC's `pm.sample` / Stan's `sample` do: a warm-up of step size and metric (nutpie's gradient-based one for a diagonal metric, Stan's windowed one for a dense metric; option `adaptation`), `chains` independent
 * chains from one seed (`new Rng(seed).split(chain)`), run on worker threads when the model can be
 * re-compiled there (a {@link CompiledModel} with a `spec`), otherwise one after another in this
 * thread (a hand-written {@link LogDensity}). Ctrl-C (or `signal`) stops early and returns the draws
 * so far, marked `attrs.incomplete = true`. A chain that fails (its code throws, its worker thread
 * dies or runs out of memory, or it exceeds `chainTimeoutSeconds`) is dropped and the others are
 * returned, marked incomplete, with `attrs.failed_chains` saying which and why. With `checkpoint`
 * the chains stream to disk as they go and `resume: true` continues a killed run.
 *
 * @param model - a compiled model, or any log density on an unconstrained space; a `Model` is
 *   compiled first (as PyMC's `pm.sample` needs no compile step; compile once yourself to reuse it)
 * @param options - see {@link SampleOptions}
 * @returns InferenceData with `posterior` (constrained values, deterministics included, with
 *   dims/coords; a hand-written log density's draws as one vector `x`), `sample_stats` (the
 *   sampler's statistics, ArviZ names) and `observed_data`; attrs record the sampler, the seed,
 *   settings, version and timings
 * @throws OptionError for invalid options, naming the option, the value and what is allowed (an
 *   unknown `sampler` names the valid ones, a misspelt key the option it resembles; `draws: 0` is
 *   allowed, warm-up only, with a warning as in PyMC; seeds are integers in [0, 2^32)), for a run
 *   whose memory estimate exceeds `memoryLimit` (the message gives both), or for a resume against
 *   another model, data or settings (naming them); ModelError when no chain can start (naming the
 *   variables whose log density is not finite) or the posterior is improper; when every chain fails,
 *   the first chain's error
 * @example
 * ```ts
 * declare const model: Model; // built with m.rv(…)
 * const idata = await sample(model.compile(), { draws: 1000, tune: 1000, chains: 4, seed: 1 });
 * summary(idata);
 * ```
 *
 * References: Stan Reference Manual, "MCMC sampling"; PyMC `pm.sample`.
 */
export async function sample(model: Model | LogDensity | CompiledModel, options?: SampleOptions): Promise<InferenceData> {
  options = optionsObject(options, 'sample');
  checkKnownKeys(options, SAMPLE_OPTION_KEYS, 'sample');
  const target = modelArgument(model, 'sample');
  const sampler = getSampler(options.sampler ?? 'nuts');
  const layout = asCompiledModel(target);
  const platform = options.platform ?? (await defaultPlatform());
  const checkpoint = checkpointOptions(options, platform);
  // A resume without a seed continues with the checkpoint's (a clock seed would never match it).
  const seed = options.seed ?? (options.resume ? checkpoint?.store.savedSeed() : undefined);
  const settings = resolveSampleOptions(seed === undefined ? options : { ...options, seed }, sampler, layout);
  const memoryLimit = memoryLimitOption(options.memoryLimit, platform.memoryLimit?.() ?? DEFAULT_MEMORY_LIMIT);
  const limitSource = options.memoryLimit !== undefined ? 'the memoryLimit option' : platform.memoryLimit ? "the platform's limit; in Node half of this machine's memory" : 'the default for this platform';
  const memory = sampleMemory(layout, { chains: settings.chains, draws: settings.draws, nStats: sampler.statNames.length, logLikelihood: settings.logLikelihood });
  enforceMemoryLimit(settings.chains > settings.draws ? 'chains' : 'draws', memory, memoryLimit, limitSource);
  let jobs = chainJobs(target, settings);
  const resumes = checkpoint?.store.open({
    spec: layout.spec,
    settings: checkpointSettings(settings),
    jobs,
    layout,
    statNames: sampler.statNames,
    saveWarmup: checkpoint.saveWarmup,
    csv: checkpoint.csv,
    resume: options.resume === true,
  });
  const finished = finishedChains(resumes, layout.dim);
  if (checkpoint) jobs = jobs.flatMap((j, k) => (finished.has(j.chain) ? [] : [withCheckpoint(j, resumes?.[k], checkpoint)]));
  const { runner, parallel, workers } = chooseRunner(target, layout, platform, options, Math.max(1, jobs.length));
  const sink: ProgressSink | undefined =
    jobs.length === 0 || options.progress === false
      ? undefined
      : typeof options.progress === 'object' ? options.progress : platform.createProgress?.(settings.chains, settings.draws);
  const progressShown = sink !== undefined && typeof options.progress !== 'object';
  const longRun = jobs.length > 0 ? longRunWarning(target, jobs[0].init, settings, parallel ? workers : 1) : undefined;
  if (longRun && progressShown) platform.printWarnings?.(longRun);
  const runOptions: RunOptions = {
    ...(checkpoint ? { onBlock: (block: ChainBlock) => checkpoint.store.write(block) } : {}),
    ...(options.chainTimeoutSeconds !== undefined ? { chainTimeoutSeconds: options.chainTimeoutSeconds } : {}),
  };
  let run: ChainRun;
  let checkpointError: string | undefined;
  try {
    run = jobs.length > 0 ? await runChains(runner, jobs, sink, platform, options.signal, runOptions) : { results: [], failures: [], interrupted: false, wall: 0 };
  } finally {
    // Waits for the last blocks: once sample() returns, the folder holds the whole run.
    checkpointError = await checkpoint?.store.close();
  }
  run = { ...run, results: [...run.results, ...finished.values()].sort((a, b) => a.chain - b.chain) };
  if (run.results.length === 0 && run.failures.length > 0) throw run.failures[0].error ?? new Error(run.failures[0].message);
  const attrs = runAttrs(settings, run, parallel ? workers : 1, parallel);
  if (checkpoint) attrs.checkpoint_dir = checkpoint.dir;
  const built = buildInferenceData(layout, run.results, sampler.statNames, attrs);
  const problems = attachWarnings(built, attrs, settings, run, checkpointError);
  if (settings.draws === 0) {
    // PyMC warns too ("Tuning was enabled throughout the whole trace"); CmdStan allows num_samples = 0 for warm-up only.
    const text = 'draws: 0, so no draws were kept: only the warm-up ran (its step size and metric are in attrs.step_size and attrs.inverse_metric); a summary of these results has no numbers (NaN). Ask for draws ≥ 1 to sample the posterior.';
    (attrs.warnings as string[]).unshift(text);
    if (progressShown) platform.printWarnings?.(text);
  }
  if (progressShown && problems.length > 0) platform.printWarnings?.(formatWarnings(problems));
  return settings.logLikelihood ? computeLogLikelihood(layout, built) : built;
}

/** The options of {@link sample} validated and with their defaults filled in. */
interface SampleSettings {
  readonly sampler: Sampler;
  readonly draws: number;
  readonly tune: number;
  readonly adaptation: 'stan' | 'nutpie';
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
 * Every message names the option, the value and what is allowed.
 *
 * @throws OptionError naming the offending option (or `model` for a model with nothing to sample)
 */
function resolveSampleOptions(options: SampleOptions, sampler: Sampler, layout: CompiledModel): SampleSettings {
  const draws = integerOption('draws', options.draws ?? 1000, 0);
  // nutpie's warm-up is the default where it was measured better on every posterior of the
  // benchmark set (NUTS, diagonal metric; docs/adaptation.md); Stan's elsewhere.
  const adaptation = options.adaptation ?? (sampler.name === 'nuts' && (options.metric ?? 'diag') === 'diag' ? 'nutpie' : 'stan');
  if (adaptation !== 'stan' && adaptation !== 'nutpie') throw new OptionError('adaptation', `must be 'stan' or 'nutpie', got ${describeValue(adaptation)}`);
  const tune = integerOption('tune', options.tune ?? (adaptation === 'nutpie' ? GRADIENT_ADAPTATION_DEFAULTS.tune : 1000), 0);
  const chains = integerOption('chains', options.chains ?? 4, 1);
  const maxTreeDepth = integerOption('maxTreeDepth', options.maxTreeDepth ?? NUTS_DEFAULTS.maxTreeDepth, 1, MAX_TREE_DEPTH);
  if (options.cores !== undefined) integerOption('cores', options.cores, 1);
  const targetAccept = options.targetAccept ?? sampler.defaultTargetAccept;
  if (typeof targetAccept !== 'number' || !(targetAccept > 0 && targetAccept < 1)) {
    throw new OptionError('targetAccept', `must be a number in (0, 1), e.g. 0.9, got ${describeValue(targetAccept)}`);
  }
  const metric = options.metric ?? 'diag';
  if (metric !== 'diag' && metric !== 'dense') throw new OptionError('metric', `must be 'diag' or 'dense', got ${describeValue(metric)}`);
  if (adaptation === 'nutpie' && metric === 'dense') throw new OptionError('adaptation', "'nutpie' adapts a diagonal metric only: use metric 'diag' (the default) or adaptation 'stan'");
  const divergenceThreshold = options.divergenceThreshold ?? NUTS_DEFAULTS.divergenceThreshold;
  if (typeof divergenceThreshold !== 'number' || !(divergenceThreshold > 0)) {
    throw new OptionError('divergenceThreshold', `must be a number > 0 (an energy error), got ${describeValue(divergenceThreshold)}`);
  }
  const pathLength = options.pathLength;
  if (pathLength !== undefined && (typeof pathLength !== 'number' || !(pathLength > 0 && Number.isFinite(pathLength)))) {
    throw new OptionError('pathLength', `must be finite and > 0, got ${describeValue(pathLength)}`);
  }
  // Options of one sampler given to another would be ignored silently: say so instead.
  if (pathLength !== undefined && sampler.name !== 'hmc') throw new OptionError('pathLength', `applies to sampler 'hmc' only, not '${sampler.name}'`);
  if (options.maxTreeDepth !== undefined && sampler.name !== 'nuts') throw new OptionError('maxTreeDepth', `applies to sampler 'nuts' only, not '${sampler.name}'`);
  const seed = options.seed === undefined ? Date.now() % SEED_LIMIT : seedOption(options.seed);
  const init = options.init ?? 'jitter+adapt_diag';
  checkInit(init);
  checkHandles(options);
  const convergence = booleanOption('computeConvergenceChecks', options.computeConvergenceChecks, true);
  const logLikelihood = booleanOption('logLikelihood', options.logLikelihood, false);
  if (layout.dim < 1) throw new OptionError('model', 'the model has no free parameters to sample');
  const discrete = layout.variables.filter((v) => v.kind === 'free' && v.discrete);
  if (discrete.length > 0) {
    throw new OptionError('model', `${sampler.label} cannot sample discrete parameters: ${discrete.map((v) => v.name).join(', ')}`);
  }
  // Checked before sampling, so that a hand-written density does not lose a finished run to it.
  if (logLikelihood) modelSpecOf(layout, 'logLikelihood: true');
  return { sampler, draws, tune, adaptation, chains, maxTreeDepth, targetAccept, metric, divergenceThreshold, pathLength, seed, init, convergence, logLikelihood };
}

/** The `init` option: a known name, a Float64Array, or constrained values by name (checked against the model later). */
function checkInit(init: unknown): void {
  if (typeof init === 'string') {
    if (!['jitter+adapt_diag', 'adapt_diag', 'advi'].includes(init)) {
      throw new OptionError('init', `unknown init '${init}' (expected 'jitter+adapt_diag', 'adapt_diag', 'advi', a Float64Array or values by name)`);
    }
    return;
  }
  if (init instanceof Float64Array) return;
  if (init === null || typeof init !== 'object' || Array.isArray(init) || ArrayBuffer.isView(init)) {
    throw new OptionError('init', `must be 'jitter+adapt_diag', 'adapt_diag', 'advi', a Float64Array (unconstrained) or values by name such as { mu: 0 }, got ${describeValue(init)}`);
  }
}

/** The options that hand sample() objects: progress, signal, platform, runner. */
function checkHandles(options: SampleOptions): void {
  const p: unknown = options.progress;
  if (p !== undefined && typeof p !== 'boolean' && (p === null || typeof p !== 'object' || typeof (p as ProgressSink).update !== 'function')) {
    throw new OptionError('progress', `must be true, false or a progress sink { update, finish }, got ${describeValue(p)}`);
  }
  const signal: unknown = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof (signal as AbortSignal).addEventListener !== 'function')) {
    throw new OptionError('signal', `must be an AbortSignal (new AbortController().signal), got ${describeValue(signal)}`);
  }
  if (options.platform !== undefined && (options.platform === null || typeof options.platform !== 'object')) {
    throw new OptionError('platform', `must be a SamplingPlatform object, got ${describeValue(options.platform)}`);
  }
  const runner: unknown = options.runner;
  if (runner !== undefined && (runner === null || typeof runner !== 'object' || typeof (runner as ChainRunner).start !== 'function')) {
    throw new OptionError('runner', `must be a ChainRunner { start(jobs, onProgress) }, got ${describeValue(runner)}`);
  }
}

/**
 * A warning, before a run that may take more than {@link LONG_RUN_SECONDS}, with a rough estimate.
 * Long runs are not refused (a hard posterior may need a long warm-up, and Ctrl-C keeps the draws
 * so far); the gradient is timed only for runs long enough to matter (≥ 100,000 iterations in all).
 *
 * @returns the warning, or undefined
 */
function longRunWarning(model: LogDensity, start: Float64Array, s: SampleSettings, workers: number): string | undefined {
  const iterations = s.tune + s.draws;
  if (iterations * s.chains < 100_000) return undefined;
  const grad = new Float64Array(model.dim);
  const t0 = nowMs();
  let n = 0;
  while (n < 1000 && nowMs() - t0 < 5) {
    model.logDensityGrad(start, grad);
    n++;
  }
  const secondsPerGradient = (nowMs() - t0) / 1000 / n;
  const estimate = runTimeEstimate({ chains: s.chains, workers, iterations, secondsPerGradient });
  if (estimate.seconds < LONG_RUN_SECONDS) return undefined;
  return `sample: this run may take about ${formatDuration(estimate.seconds)} (a rough estimate: ${estimate.formula}). Ctrl-C stops it and keeps the draws so far; fewer tune/draws or chains make it shorter.`;
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
    ...(s.adaptation !== 'stan' ? { adaptation: s.adaptation } : {}),
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
  /** The chains that failed (their results are not in `results`). */
  readonly failures: readonly ChainFailure[];
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
  runOptions: RunOptions,
): Promise<ChainRun> {
  const t0 = nowMs();
  const running = runner.start(jobs, sink ? (e) => sink.update(e) : undefined, runOptions);
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
  let failures: ChainFailure[];
  try {
    results = await running.results;
    failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
    results = results.filter((r) => r.failure === undefined);
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
  return { results, failures, interrupted, wall };
}

/** The attrs of the run: library, sampler, seed, settings, timings, adapted tuning and divergence counts. */
function runAttrs(s: SampleSettings, run: ChainRun, cores: number, parallel: boolean): Record<string, unknown> {
  const { results, wall } = run;
  const incomplete = run.interrupted || run.failures.length > 0 || results.some((r) => r.interrupted);
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
      adaptation: s.adaptation,
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
    ...(run.failures.length > 0 ? { failed_chains: run.failures.map((f) => ({ chain: f.chain, cause: f.cause, message: f.message })) } : {}),
  };
}

/**
 * Checks the run and records its problems from one producer (posterior/warnings.ts), ranked, each
 * with what to try: errors and warnings in `attrs.warnings`, efficiency notes (severity 'info') in
 * `attrs.warning_details` only.
 *
 * @returns the errors and warnings (to print once where progress was shown)
 */
function attachWarnings(idata: InferenceData, attrs: Record<string, unknown>, s: SampleSettings, run: ChainRun, checkpointError: string | undefined): SamplingWarning[] {
  const details = samplingWarnings(idata, {
    targetAccept: s.targetAccept,
    maxTreeDepth: s.maxTreeDepth,
    convergence: s.convergence,
    logDensityErrors: [...new Set(run.results.flatMap((r) => r.messages))],
  });
  details.unshift(...runFailureWarnings(run, s.chains, checkpointError));
  const problems = details.filter((w) => w.severity !== 'info');
  attrs.warnings = problems.map((w) => `${w.message} ${w.advice}`);
  attrs.warning_details = details;
  return problems;
}

/** Warnings for chains that failed and for checkpoints that could not be written (first in the list: they are errors). */
function runFailureWarnings(run: ChainRun, chains: number, checkpointError: string | undefined): SamplingWarning[] {
  const out: SamplingWarning[] = [];
  if (run.failures.length > 0) {
    out.push({
      code: 'failed_chains',
      severity: 'error',
      message: `${run.failures.length} of ${chains} chains failed and are not in the results (attrs.incomplete; attrs.failed_chains): ${run.failures.map((f) => f.message).join('; ')}.`,
      advice: 'Fix the cause and sample again (with checkpoint and resume: true only the failed chains are sampled again); the other chains alone may not show convergence problems.',
    });
  }
  if (checkpointError !== undefined) {
    out.push({
      code: 'checkpoint_write',
      severity: 'warning',
      message: `Checkpoints stopped being written: ${checkpointError}. Sampling went on and the results are complete, but the run cannot be resumed past the last checkpoint written.`,
      advice: 'Free space or fix the permissions of the checkpoint folder.',
    });
  }
  return out;
}

/** Validated `checkpoint` and `resume` options, with the platform's store; undefined without `checkpoint`. */
function checkpointOptions(
  options: SampleOptions,
  platform: SamplingPlatform,
): { store: CheckpointStore; dir: string; every: number; saveWarmup: boolean; csv: boolean } | undefined {
  const resume = booleanOption('resume', options.resume, false);
  if (options.chainTimeoutSeconds !== undefined && !(options.chainTimeoutSeconds > 0 && Number.isFinite(options.chainTimeoutSeconds))) {
    throw new OptionError('chainTimeoutSeconds', `must be a finite number of seconds > 0, got ${String(options.chainTimeoutSeconds)}`);
  }
  const c = options.checkpoint;
  if (c === undefined) {
    if (resume) throw new OptionError('resume', 'needs checkpoint: { dir } (the folder of the run to continue)');
    return undefined;
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new OptionError('checkpoint', `must be an object such as { dir: 'run1' }, got ${describeValue(c)}`);
  if (typeof c.dir !== 'string' || c.dir === '') throw new OptionError('checkpoint.dir', 'must be a folder path (a non-empty string)');
  const every = integerOption('checkpoint.every', c.every ?? CHECKPOINT_DEFAULTS.every, 1);
  if (!platform.openCheckpoint) throw new OptionError('checkpoint', 'this platform has no files to write checkpoints to (checkpoints need Node)');
  return { store: platform.openCheckpoint(c.dir), dir: c.dir, every, saveWarmup: c.saveWarmup === true, csv: c.csv !== false };
}

/** The settings that decide a run's draws, by name: what a checkpoint records and a resume must match. */
function checkpointSettings(s: SampleSettings): Record<string, unknown> {
  return {
    sampler: s.sampler.name,
    draws: s.draws,
    tune: s.tune,
    ...(s.adaptation !== 'stan' ? { adaptation: s.adaptation } : {}),
    chains: s.chains,
    seed: s.seed,
    targetAccept: s.targetAccept,
    maxTreeDepth: s.maxTreeDepth,
    metric: s.metric,
    divergenceThreshold: s.divergenceThreshold,
    pathLength: s.pathLength ?? null,
    init: typeof s.init === 'string' ? s.init : s.init instanceof Float64Array ? 'vector' : 'values',
  };
}

/** The results of chains whose checkpoint says they had finished, by chain. */
function finishedChains(resumes: readonly (ChainResume | undefined)[] | undefined, dim: number): Map<number, ChainResult> {
  const out = new Map<number, ChainResult>();
  for (const r of resumes ?? []) if (r?.checkpoint.done) out.set(r.checkpoint.chain, finishedChainResult(r, dim));
  return out;
}

/** A job that checkpoints on the run's schedule, continuing from its resume point when it has one. */
function withCheckpoint(job: ChainJob, resume: ChainResume | undefined, c: { every: number; saveWarmup: boolean }): ChainJob {
  return { ...job, checkpoint: { every: c.every, saveWarmup: c.saveWarmup }, ...(resume ? { resume } : {}) };
}
