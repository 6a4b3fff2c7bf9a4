// The chain loop: warm-up with the sampler's adaptation, then draws; generic over the sampler (chosen by name), free of platform APIs so any thread can run it.
import { nowMs as now } from '../../core/clock.js';
import type { LogDensity } from '../../core/types.js';
import { Rng, type RngState } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';
import { getSampler } from '../samplers/registry.js';
import type { Sampler, SamplerKernel, TransitionInfo } from '../samplers/sampler.js';
import type { ChainSettings } from '../samplers/chainSettings.js';
import type { ChainProgress } from './progress.js';

export type { ChainSettings } from '../samplers/chainSettings.js';

/** One chain's job: which chain, where it starts, and its random stream. */
export interface ChainJob {
  readonly chain: number;
  readonly init: Float64Array;
  readonly rngState: RngState;
  readonly settings: ChainSettings;
}

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
  /** Per-draw statistics by name (the sampler's `statNames`), each of length ≥ nDraws. */
  readonly stats: Record<string, Float64Array>;
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

/**
 * Runs one chain of the sampler `settings.sampler` (default NUTS): its warm-up adaptation for
 * `settings.tune` iterations (Stan's windows for the HMC family), then `settings.draws` draws with
 * the tuned values, recording the sampler's declared statistics. The result depends only on the
 * log density, the job's start, random stream and settings, so the same job gives bit-identical
 * draws in any thread.
 *
 * @param logDensity - the target
 * @param job - chain index, start, RNG state, settings
 * @param hooks - progress, stop and yield hooks
 * @returns the chain's draws and statistics
 * @throws OptionError for an unknown sampler name; ModelError from the step-size search when the
 *   posterior is improper
 */
export async function runChain(logDensity: LogDensity, job: ChainJob, hooks: ChainHooks = {}): Promise<ChainResult> {
  const sampler = getSampler(job.settings.sampler ?? 'nuts');
  const kernel = sampler.build(logDensity, job.settings);
  try {
    return await sampleChain(logDensity, sampler, kernel, job, hooks);
  } finally {
    // The next chain on this thread reuses the kernel's storage and its optimised code.
    kernel.release?.();
  }
}

/** The chain loop of {@link runChain} with its sampler and kernel. */
async function sampleChain(
  logDensity: LogDensity,
  sampler: Sampler,
  kernel: SamplerKernel,
  job: ChainJob,
  hooks: ChainHooks,
): Promise<ChainResult> {
  const { settings, chain } = job;
  const d = logDensity.dim;
  const rng = Rng.fromState(job.rngState);
  const adapt = sampler.adaptation(logDensity, settings);
  const nDrawsTarget = settings.draws;
  const positions = new Float64Array(nDrawsTarget * d);
  const stats: Record<string, Float64Array> = {};
  for (const name of sampler.statNames) stats[name] = new Float64Array(nDrawsTarget);
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
  // Without warm-up the adaptation's starting values are used as they are (no step-size search).
  let params = settings.tune > 0 ? adapt.start(rng, state) : adapt.final();
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
  const record = (info: TransitionInfo): void => {
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
  const transition = (): TransitionInfo => {
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
      sampler.recordDraw(stats, i, state, info, params);
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
