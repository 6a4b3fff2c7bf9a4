// The chain loop: warm-up with window adaptation, then draws; free of platform APIs so any thread can run it.
import type { LogDensity } from '../../core/types.js';
import { Rng, type RngState } from '../../core/rng.js';
import { buildNuts, type HmcState, type NutsInfo, type NutsKernel } from '../hmc/nuts.js';
import { denseMetric, diagMetric, unitMetric, type Metric } from '../hmc/metric.js';
import { windowAdaptation } from '../adaptation/windowAdaptation.js';
import type { ChainProgress } from './progress.js';

/** Everything a chain needs besides its log density; plain data (structured-cloneable). */
export interface ChainSettings {
  readonly draws: number;
  readonly tune: number;
  readonly maxTreeDepth: number;
  readonly targetAccept: number;
  readonly metric: 'diag' | 'dense';
  readonly divergenceThreshold: number;
  /** Starting inverse metric (diagonal of length d, or d×d for dense); default the identity. */
  readonly initialInverseMetric?: Float64Array;
  /** Starting step size before the heuristic search (default 1). */
  readonly initialStepSize?: number;
  /** Minimum milliseconds between progress reports (default 100). */
  readonly progressIntervalMs?: number;
}

/** One chain's job: which chain, where it starts, and its random stream. */
export interface ChainJob {
  readonly chain: number;
  readonly init: Float64Array;
  readonly rngState: RngState;
  readonly settings: ChainSettings;
}

/** Names of the per-draw statistics a chain records (ArviZ's sample_stats names). */
export const SAMPLE_STAT_NAMES = [
  'lp',
  'acceptance_rate',
  'step_size',
  'tree_depth',
  'n_steps',
  'diverging',
  'energy',
  'energy_error',
  'max_energy_error',
  'reached_max_treedepth',
] as const;

/** A sample statistic's name. */
export type SampleStatName = (typeof SAMPLE_STAT_NAMES)[number];

/** What a chain hands back: unconstrained draws, statistics, tuned values, timings. */
export interface ChainResult {
  readonly chain: number;
  readonly dim: number;
  /** Draws completed (less than settings.draws when stopped). */
  readonly nDraws: number;
  /** Warm-up iterations completed. */
  readonly nTuned: number;
  /** Unconstrained draws, row-major nDraws × dim (length may exceed nDraws·dim when stopped). */
  readonly positions: Float64Array;
  /** Per-draw statistics, each of length ≥ nDraws. */
  readonly stats: Record<SampleStatName, Float64Array>;
  readonly stepSize: number;
  readonly inverseMetric: Float64Array;
  /** Gradient evaluations over warm-up and draws (initialisation and step-size searches excluded). */
  readonly gradEvals: number;
  readonly divergencesWarmup: number;
  /** Distinct error messages thrown by the log density inside trajectories (at most 10). */
  readonly messages: readonly string[];
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
  /** True when the chain was stopped before finishing. */
  readonly interrupted: boolean;
}

/** Hooks into a running chain. */
export interface ChainHooks {
  onProgress?(event: ChainProgress): void;
  /** Polled between iterations: true stops the chain, which returns what it has. */
  shouldStop?(): boolean;
  /**
   * Called between iterations at most every `yieldIntervalMs`; awaiting it lets the event loop turn
   * (for progress rendering and Ctrl-C when chains run in the calling thread).
   */
  yieldNow?(): Promise<void>;
  yieldIntervalMs?: number;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Runs one chain: Stan's windowed warm-up for `settings.tune` iterations, then `settings.draws`
 * draws with the tuned step size and metric. The result depends only on the log density, the job's
 * start, random stream and settings, so the same job gives bit-identical draws in any thread.
 *
 * @param logDensity - the target
 * @param job - chain index, start, RNG state, settings
 * @param hooks - progress, stop and yield hooks
 * @returns the chain's draws and statistics
 * @throws ModelError from the step-size search when the posterior is improper
 */
export async function runChain(logDensity: LogDensity, job: ChainJob, hooks: ChainHooks = {}): Promise<ChainResult> {
  const { settings } = job;
  const kernel = buildNuts(logDensity, { maxTreeDepth: settings.maxTreeDepth, divergenceThreshold: settings.divergenceThreshold });
  try {
    return await sampleChain(logDensity, kernel, job, hooks);
  } finally {
    // The next chain on this thread reuses the kernel's storage and its optimised code.
    kernel.release();
  }
}

/** The chain loop of {@link runChain} with its kernel. */
async function sampleChain(logDensity: LogDensity, kernel: NutsKernel, job: ChainJob, hooks: ChainHooks): Promise<ChainResult> {
  const { settings, chain } = job;
  const d = logDensity.dim;
  const rng = Rng.fromState(job.rngState);
  const initialMetric = makeMetric(settings, d);
  const adapt = windowAdaptation(logDensity, settings.tune, {
    targetAccept: settings.targetAccept,
    metric: settings.metric,
    initialMetric,
    ...(settings.initialStepSize !== undefined ? { initialStepSize: settings.initialStepSize } : {}),
  });
  const nDrawsTarget = settings.draws;
  const positions = new Float64Array(nDrawsTarget * d);
  const stats = {} as Record<SampleStatName, Float64Array>;
  for (const name of SAMPLE_STAT_NAMES) stats[name] = new Float64Array(nDrawsTarget);
  const messages: string[] = [];
  const interval = settings.progressIntervalMs ?? 100;
  const yieldInterval = hooks.yieldIntervalMs ?? 50;

  let state: HmcState = kernel.init(job.init);
  let gradEvals = 0;
  let divergences = 0;
  let divergencesWarmup = 0;
  let stepsSinceReport = 0;
  let itersSinceReport = 0;
  let lastReport = -Infinity;
  let lastYield = now();
  const t0 = now();
  let tWarmupEnd = t0;
  let interrupted = false;
  let params = settings.tune > 0
    ? adapt.start(rng, state)
    : { stepSize: settings.initialStepSize ?? 1, metric: initialMetric ?? (settings.metric === 'dense' ? denseMetric(identity(d), d) : unitMetric(d)) };
  let nTuned = 0;
  let nDraws = 0;

  const report = (phase: ChainProgress['phase'], force: boolean): void => {
    if (!hooks.onProgress) return;
    const t = now();
    if (!force && t - lastReport < interval) return;
    lastReport = t;
    hooks.onProgress({
      chain,
      phase,
      tuneDone: nTuned,
      tune: settings.tune,
      drawsDone: nDraws,
      draws: nDrawsTarget,
      divergences,
      divergencesWarmup,
      stepSize: params.stepSize,
      meanSteps: itersSinceReport > 0 ? stepsSinceReport / itersSinceReport : 0,
      gradEvals,
      elapsedSeconds: (t - t0) / 1000,
    });
    stepsSinceReport = 0;
    itersSinceReport = 0;
  };
  const record = (info: NutsInfo): void => {
    gradEvals += info.nSteps;
    stepsSinceReport += info.nSteps;
    itersSinceReport++;
    if (info.divergence?.message !== undefined && messages.length < 10 && !messages.includes(info.divergence.message)) {
      messages.push(info.divergence.message);
    }
  };
  // Yielding (to let progress and Ctrl-C through) is checked every 16 iterations and awaited only
  // when due: an await per iteration costs more than a whole transition of a small model.
  let sinceCheck = 0;
  const yieldDue = (): boolean => {
    if (++sinceCheck < 16) return false;
    sinceCheck = 0;
    return hooks.yieldNow !== undefined && now() - lastYield >= yieldInterval;
  };
  /** Whether to stop before the next transition; sets `interrupted`. */
  const stopRequested = (): boolean => (interrupted = hooks.shouldStop?.() === true);
  const pause = async (): Promise<boolean> => {
    if (hooks.yieldNow) {
      await hooks.yieldNow();
      lastYield = now();
    }
    return stopRequested();
  };

  /** One transition from the current state (synchronous: the hot path awaits only when a yield is due). */
  const transition = (): NutsInfo => {
    const [next, info] = kernel.step(rng, state, params);
    state = next;
    record(info);
    return info;
  };

  report('warmup', true);
  for (let i = 0; i < settings.tune; i++) {
    if (yieldDue() ? await pause() : stopRequested()) break;
    const info = transition();
    // Counted without a branch: the first divergence would otherwise meet a branch V8 never saw
    // run and throw away the optimised chain loop (once per chain).
    divergencesWarmup += info.diverging ? 1 : 0;
    params = adapt.update(rng, state, info.acceptanceRate);
    nTuned++;
    report('warmup', false);
  }
  if (!interrupted && settings.tune > 0) params = adapt.final();
  tWarmupEnd = now();
  if (!interrupted) {
    report('sampling', true);
    for (let i = 0; i < nDrawsTarget; i++) {
      if (yieldDue() ? await pause() : stopRequested()) break;
      const info = transition();
      divergences += info.diverging ? 1 : 0;
      positions.set(state.position, i * d);
      stats.lp[i] = state.logDensity;
      stats.acceptance_rate[i] = info.acceptanceRate;
      stats.step_size[i] = params.stepSize;
      stats.tree_depth[i] = info.treeDepth;
      stats.n_steps[i] = info.nSteps;
      stats.diverging[i] = info.diverging ? 1 : 0;
      stats.energy[i] = info.energy;
      stats.energy_error[i] = info.energyError;
      stats.max_energy_error[i] = info.maxEnergyError;
      stats.reached_max_treedepth[i] = info.reachedMaxTreeDepth ? 1 : 0;
      nDraws++;
      report('sampling', false);
    }
  }
  const tEnd = now();
  report(interrupted ? 'stopped' : 'done', true);
  return {
    chain,
    dim: d,
    nDraws,
    nTuned,
    positions,
    stats,
    stepSize: params.stepSize,
    inverseMetric: Float64Array.from(params.metric.inverseMetric),
    gradEvals,
    divergencesWarmup,
    messages,
    warmupSeconds: (tWarmupEnd - t0) / 1000,
    samplingSeconds: (tEnd - tWarmupEnd) / 1000,
    interrupted,
  };
}

function makeMetric(settings: ChainSettings, d: number): Metric | undefined {
  const m = settings.initialInverseMetric;
  if (m === undefined) return undefined;
  if (settings.metric === 'dense') {
    if (m.length === d) {
      const full = new Float64Array(d * d);
      for (let i = 0; i < d; i++) full[i * d + i] = m[i];
      return denseMetric(full, d);
    }
    return denseMetric(Float64Array.from(m), d);
  }
  return diagMetric(Float64Array.from(m));
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}
