// Checkpoint and resume as sample() sees them: the options, what a run tells its checkpoint store, and the store's contract (files are the platform's business).
import type { CompiledModel } from '../compiler/compiledModel.js';
import type { ChainJob, ChainResult } from '../inference/chain/chain.js';
import type { ChainBlock, ChainResume } from '../inference/chain/checkpoint.js';

/** The `checkpoint` option of `sample()`. */
export interface CheckpointOptions {
  /** The folder the chains stream their draws and states into (created when missing). */
  readonly dir: string;
  /**
   * Iterations (warm-up and sampling together) between two checkpoints of a chain (default
   * {@link CHECKPOINT_DEFAULTS}.every). A kill loses at most this many iterations per chain.
   */
  readonly every?: number;
  /** Also write the warm-up iterations into the CSV files (CmdStan's `save_warmup = 1`; default false). */
  readonly saveWarmup?: boolean;
  /**
   * Write the CmdStan CSV files (default true). Formatting every constrained value as text is most
   * of a checkpoint's cost (~1 µs a number); without them a checkpoint holds only the exact draws
   * and the states, which is all a resume needs.
   */
  readonly csv?: boolean;
}

/** Defaults of {@link CheckpointOptions}. */
export const CHECKPOINT_DEFAULTS = {
  /** Arbitrary: 100 iterations keep the overhead of writing small (see docs/checkpoint.md) and lose little. */
  every: 100,
} as const;

/** What a run tells its checkpoint store: enough to identify the run and to write its files. */
export interface CheckpointRun {
  /** The model's plain-data spec (hashed as model and data), or undefined for a hand-written log density. */
  readonly spec: unknown;
  /** The settings that decide the draws, by name (hashed; a resume names those that differ). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The chains' jobs (their starts and random streams are part of the settings' identity). */
  readonly jobs: readonly ChainJob[];
  /** Names the CSV columns and constrains the draws written there. */
  readonly layout: CompiledModel;
  /** The sampler's per-draw statistics, in storage order. */
  readonly statNames: readonly string[];
  readonly saveWarmup: boolean;
  /** Whether to write the CmdStan CSV files. */
  readonly csv: boolean;
  /** Continue a checkpoint found in the folder (else the folder must hold none). */
  readonly resume: boolean;
}

/**
 * Where a run's checkpoints go. `open` validates (on resume) or starts the folder and says where
 * each chain picks up; `write` stores one block (rows first, then the chain's state, atomically),
 * possibly later but in order per chain, and never throws; `close` waits for the writes and ends
 * the run's use of the store.
 */
export interface CheckpointStore {
  /**
   * @returns per chain (job order) where it resumes, or undefined to start it afresh
   * @throws OptionError (option `resume`) naming the model, data or settings that differ from the
   *   checkpoint's; (option `checkpoint.dir`) when the folder holds a checkpoint and `resume` is false
   */
  open(run: CheckpointRun): (ChainResume | undefined)[];
  /** The seed recorded in the folder's checkpoint, if there is one (a resume without `seed` uses it). */
  savedSeed(): number | undefined;
  write(block: ChainBlock): void;
  /** @returns the first write error, if a write failed (later blocks were then not written) */
  close(): Promise<string | undefined>;
}

/**
 * The result of a chain that had finished before the run was resumed, rebuilt from its checkpoint
 * and stored draws (nothing is sampled again).
 *
 * @param resume - the chain's final checkpoint and draws
 * @param dim - the dimension of the unconstrained space
 * @returns the chain's result, as the run that finished it returned it
 * @example
 * ```ts
 * declare const resume: Parameters<typeof finishedChainResult>[0]; // from CheckpointStore.open, a finished chain
 * const result = finishedChainResult(resume, 3);
 * ```
 */
export function finishedChainResult(resume: ChainResume, dim: number): ChainResult {
  const cp = resume.checkpoint;
  return {
    chain: cp.chain,
    dim,
    nDraws: cp.nDraws,
    nTuned: cp.nTuned,
    positions: resume.draws.positions,
    stats: resume.draws.stats,
    stepSize: cp.stepSize,
    inverseMetric: cp.inverseMetric,
    gradEvals: cp.gradEvals,
    divergencesWarmup: cp.divergencesWarmup,
    messages: cp.messages,
    warmupSeconds: cp.warmupSeconds,
    samplingSeconds: cp.samplingSeconds,
    interrupted: false,
  };
}
