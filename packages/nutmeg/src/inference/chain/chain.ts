// The chain loop: warm-up with the sampler's adaptation, then draws; generic over the sampler (chosen by name), free of platform APIs so any thread can run it.
import { nowMs as now } from '../../core/clock.js';
import type { LogDensity } from '../../core/types.js';
import { Rng, type RngState } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';
import { denseMetric, diagMetric } from '../hmc/metric.js';
import { OptionError } from '../../core/errors.js';
import type { AdaptedParams } from '../adaptation/windowAdaptation.js';
import { getSampler } from '../samplers/registry.js';
import type { Adaptation, Sampler, SamplerKernel, TransitionInfo } from '../samplers/sampler.js';
import type { ChainSettings } from '../samplers/chainSettings.js';
import type { ChainProgress } from './progress.js';
import type { ChainBlock, ChainCheckpoint, ChainResume, CheckpointSchedule, IterationRows } from './checkpoint.js';

export type { ChainSettings } from '../samplers/chainSettings.js';

/** One chain's job: which chain, where it starts, and its random stream. */
export interface ChainJob {
  readonly chain: number;
  readonly init: Float64Array;
  readonly rngState: RngState;
  readonly settings: ChainSettings;
  /** Continue from this checkpoint (with the draws kept before it) instead of starting at `init`. */
  readonly resume?: ChainResume;
  /** Hand out a {@link ChainBlock} every `checkpoint.every` iterations to `hooks.onBlock`. */
  readonly checkpoint?: CheckpointSchedule;
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
  /** Set when the chain failed (no draws are kept then); see {@link ChainFailure}. */
  readonly failure?: ChainFailure;
}

/**
 * Why a chain ended without finishing: an exception of its code ('error'), its thread exiting
 * ('exit') or running out of memory ('out-of-memory'), or its time limit ('timeout').
 */
export interface ChainFailure {
  readonly chain: number;
  readonly cause: 'error' | 'exit' | 'out-of-memory' | 'timeout';
  /** A sentence naming the chain and the cause. */
  readonly message: string;
  /** The error thrown, when there was one. */
  readonly error?: Error;
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
  /**
   * Receives the chain's blocks when the job has a `checkpoint` schedule: every `every`
   * iterations, and once more when the chain finishes or stops. Called synchronously between
   * iterations; the block's arrays are the receiver's (copies).
   */
  onBlock?(block: ChainBlock): void;
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
 * With `job.resume` the chain continues from a {@link ChainCheckpoint} instead (no initialisation,
 * no step-size search): the draws after it are bit-identical to those of the run it was taken from.
 *
 * @throws OptionError for an unknown sampler name, or a checkpoint for a sampler whose adaptation
 *   cannot snapshot its state; ModelError from the step-size search when the posterior is improper
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

/**
 * The chain loop of {@link runChain} with its sampler and kernel. Longer than most functions here
 * for a reason: the loop's counters are locals that V8 keeps in registers, and the closures that
 * report progress and take checkpoints read them where they are.
 */
async function sampleChain(
  logDensity: LogDensity,
  sampler: Sampler,
  kernel: SamplerKernel,
  job: ChainJob,
  hooks: ChainHooks,
): Promise<ChainResult> {
  const { settings, chain } = job;
  const d = logDensity.dim;
  const resume = job.resume?.checkpoint;
  const rng = Rng.fromState(resume?.rng ?? job.rngState);
  const adapt = sampler.adaptation(logDensity, settings);
  const nDrawsTarget = settings.draws;
  const positions = new Float64Array(nDrawsTarget * d);
  const stats: Record<string, Float64Array> = {};
  for (const name of sampler.statNames) stats[name] = new Float64Array(nDrawsTarget);
  if (job.resume) copyRows(job.resume.draws, positions, stats, resume!.nDraws * d);
  const messages: string[] = resume ? [...resume.messages] : [];
  const interval = settings.progressIntervalMs ?? 100;
  const yieldInterval = hooks.yieldIntervalMs ?? 50;

  let state: HmcState = resume ? copyState(resume.state) : kernel.init(job.init);
  let gradEvals = resume?.gradEvals ?? 0;
  let divergences = resume?.divergences ?? 0;
  let divergencesWarmup = resume?.divergencesWarmup ?? 0;
  let stepsSinceReport = 0;
  let itersSinceReport = 0;
  let lastReport = -Infinity;
  let lastYield = now();
  // A resumed chain's clocks continue from the seconds it had already spent.
  const t0 = now() - (resume ? (resume.warmupSeconds + resume.samplingSeconds) * 1000 : 0);
  let tWarmupEnd = resume && resume.nTuned >= settings.tune ? t0 + resume.warmupSeconds * 1000 : t0;
  let warmupClosed = resume !== undefined && resume.nTuned >= settings.tune;
  let interrupted = false;
  let params = startingParams(sampler, adapt, rng, state, job, d);
  let nTuned = resume?.nTuned ?? 0;
  let nDraws = resume?.nDraws ?? 0;
  const blocks = job.checkpoint && hooks.onBlock ? blockWriter(job.checkpoint, hooks.onBlock, sampler, d) : undefined;
  if (blocks && !adapt.snapshot) throw new OptionError('checkpoint', `sampler '${sampler.name}' cannot snapshot its adaptation for a checkpoint`);
  const checkpointNow = (done: boolean): ChainCheckpoint => ({
    chain,
    nTuned,
    nDraws,
    done,
    state: copyState(state),
    rng: rng.getState(),
    adaptation: adapt.snapshot!(),
    stepSize: params.stepSize,
    inverseMetric: Float64Array.from(params.metric.inverseMetric),
    gradEvals,
    divergences,
    divergencesWarmup,
    messages: [...messages],
    warmupSeconds: ((warmupClosed ? tWarmupEnd : now()) - t0) / 1000,
    samplingSeconds: warmupClosed ? (now() - tWarmupEnd) / 1000 : 0,
  });
  let drawsFlushed = nDraws;
  /** Hands out the rows since the last block and the checkpoint after them. */
  const flush = (done: boolean): void => {
    blocks!.emit(positions, stats, drawsFlushed, nDraws, checkpointNow(done));
    drawsFlushed = nDraws;
  };
  // Counted down per iteration: one predictable branch in the hot loop, none of the work when off.
  const every = blocks ? job.checkpoint!.every : 0;
  let untilBlock = every;

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
  const warmupLeft = nTuned < settings.tune;
  for (let i = nTuned; i < settings.tune; i++) {
    if (yieldDue() ? await pause() : stopRequested()) break;
    const info = transition();
    // Counted without a branch: the first divergence would otherwise meet a branch V8 never saw
    // run and throw away the optimised chain loop (once per chain).
    divergencesWarmup += info.diverging ? 1 : 0;
    blocks?.recordWarmup(state, info, params);
    params = adapt.update(rng, state, info.acceptanceRate);
    nTuned++;
    if (every > 0 && --untilBlock === 0) {
      untilBlock = every;
      flush(false);
    }
    report('warmup', false);
  }
  // The tuned values are a function of the adaptation's state: a chain resumed after warm-up
  // recomputes them from the restored state, bit for bit.
  if (!interrupted && settings.tune > 0) params = adapt.final();
  if (warmupLeft) tWarmupEnd = now();
  warmupClosed = true;
  if (!interrupted) {
    report('sampling', true);
    for (let i = nDraws; i < nDrawsTarget; i++) {
      if (yieldDue() ? await pause() : stopRequested()) break;
      const info = transition();
      divergences += info.diverging ? 1 : 0;
      positions.set(state.position, i * d);
      sampler.recordDraw(stats, i, state, info, params);
      nDraws++;
      if (every > 0 && --untilBlock === 0) {
        untilBlock = every;
        flush(false);
      }
      report('sampling', false);
    }
  }
  const tEnd = now();
  if (blocks) flush(!interrupted);
  report(interrupted ? 'stopped' : 'done', true);
  // A stopped chain hands over the draws it has, not its buffers for all it was to make: a worker
  // copies the result to the parent, and 2 × 10^6 planned draws made a Ctrl-C take seconds.
  const stoppedEarly = nDraws < nDrawsTarget;
  return {
    chain,
    dim: d,
    nDraws,
    nTuned,
    positions: stoppedEarly ? positions.slice(0, nDraws * d) : positions,
    stats: stoppedEarly ? Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.slice(0, nDraws)])) : stats,
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

/**
 * The tuning values of a chain's first transition: from its checkpoint (the adaptation restored),
 * else from the adaptation's start (a step-size search), or its starting values without warm-up.
 */
function startingParams(sampler: Sampler, adapt: Adaptation, rng: Rng, state: HmcState, job: ChainJob, d: number): AdaptedParams {
  const resume = job.resume?.checkpoint;
  if (resume) {
    if (!adapt.restore) throw new OptionError('checkpoint', `sampler '${sampler.name}' cannot restore its adaptation from a checkpoint`);
    adapt.restore(resume.adaptation);
    return { stepSize: resume.stepSize, metric: metricOf(resume.inverseMetric, job.settings.metric, d) };
  }
  // Without warm-up the adaptation's starting values are used as they are (no step-size search).
  return job.settings.tune > 0 ? adapt.start(rng, state) : adapt.final();
}

/** A copy of an HMC state (checkpoints hold their own arrays). */
function copyState(s: HmcState): HmcState {
  return { position: Float64Array.from(s.position), logDensity: s.logDensity, grad: Float64Array.from(s.grad) };
}

/** The metric of a checkpoint's inverse metric (its Cholesky factor recomputed: the same bits). */
function metricOf(inverseMetric: Float64Array, kind: 'diag' | 'dense', d: number) {
  const inv = Float64Array.from(inverseMetric);
  return kind === 'dense' ? denseMetric(inv, d) : diagMetric(inv);
}

/** Copies a resumed chain's kept draws into the chain's buffers. */
function copyRows(rows: IterationRows, positions: Float64Array, stats: Record<string, Float64Array>, nValues: number): void {
  positions.set(rows.positions.subarray(0, nValues));
  for (const [name, buf] of Object.entries(stats)) {
    const saved = rows.stats[name];
    if (saved) buf.set(saved.subarray(0, rows.rows));
  }
}

/**
 * Collects the rows of a checkpointing chain and hands out blocks: warm-up rows (when asked for) in
 * a buffer of one block, draws as copies of the chain's own buffers.
 */
function blockWriter(schedule: CheckpointSchedule, onBlock: (b: ChainBlock) => void, sampler: Sampler, d: number) {
  if (!(Number.isInteger(schedule.every) && schedule.every >= 1)) {
    throw new OptionError('checkpoint.every', `must be an integer ≥ 1, got ${schedule.every}`);
  }
  const cap = schedule.every;
  const newStats = (n: number): Record<string, Float64Array> => Object.fromEntries(sampler.statNames.map((k) => [k, new Float64Array(n)]));
  let warmPositions = new Float64Array(schedule.saveWarmup ? cap * d : 0);
  let warmStats = newStats(schedule.saveWarmup ? cap : 0);
  let warmRows = 0;
  return {
    /** Records one warm-up iteration's row (before the adaptation updates `params`). */
    recordWarmup(state: HmcState, info: TransitionInfo, params: AdaptedParams): void {
      if (!schedule.saveWarmup) return;
      warmPositions.set(state.position, warmRows * d);
      sampler.recordDraw(warmStats, warmRows, state, info, params);
      warmRows++;
    },
    /** Hands out the warm-up rows collected and draws `from … to − 1`, with the checkpoint. */
    emit(positions: Float64Array, stats: Record<string, Float64Array>, from: number, to: number, checkpoint: ChainCheckpoint): void {
      const draws: IterationRows = {
        rows: to - from,
        positions: positions.slice(from * d, to * d),
        stats: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.slice(from, to)])),
      };
      const warmup: IterationRows | undefined = schedule.saveWarmup
        ? { rows: warmRows, positions: warmPositions.subarray(0, warmRows * d), stats: Object.fromEntries(Object.entries(warmStats).map(([k, v]) => [k, v.subarray(0, warmRows)])) }
        : undefined;
      onBlock({ chain: checkpoint.chain, ...(warmup ? { warmup } : {}), draws, checkpoint });
      if (schedule.saveWarmup) {
        // The receiver owns the handed-out rows: fresh buffers for the next block.
        warmPositions = new Float64Array(cap * d);
        warmStats = newStats(cap);
        warmRows = 0;
      }
    },
  };
}
