// A chain's full sampler state as plain data (a checkpoint), and the blocks of draws a checkpointing chain hands out as it goes.
import type { RngState } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';

/**
 * Everything a chain carries between two iterations, as structured-cloneable plain data: with it,
 * {@link runChain} continues the chain so that every later draw is bit-identical to a run never
 * stopped. Taken between iterations only (never inside a transition).
 */
export interface ChainCheckpoint {
  readonly chain: number;
  /** Warm-up iterations done. */
  readonly nTuned: number;
  /** Sampling iterations (kept draws) done. */
  readonly nDraws: number;
  /** True once the chain has done all its warm-up and draws. */
  readonly done: boolean;
  /** The current state: unconstrained position, its log density and gradient. */
  readonly state: HmcState;
  /** The chain's random stream, where the next transition picks it up. */
  readonly rng: RngState;
  /** The adaptation's own state (its `snapshot()`): Welford sums, dual averaging, schedule position. */
  readonly adaptation: unknown;
  /** The step size and inverse metric the next transition uses. */
  readonly stepSize: number;
  readonly inverseMetric: Float64Array;
  readonly gradEvals: number;
  /** Divergences among the draws so far (the warm-up ones are `divergencesWarmup`). */
  readonly divergences: number;
  readonly divergencesWarmup: number;
  /** Distinct error messages of the log density so far (at most 10). */
  readonly messages: readonly string[];
  /** Seconds spent so far in warm-up and in sampling (summed over resumptions). */
  readonly warmupSeconds: number;
  readonly samplingSeconds: number;
}

/** Rows of iterations: unconstrained positions (rows × dim, row-major) and per-row statistics. */
export interface IterationRows {
  readonly rows: number;
  readonly positions: Float64Array;
  readonly stats: Record<string, Float64Array>;
}

/**
 * What a checkpointing chain hands out every `checkpointEvery` iterations (and when it finishes or
 * stops): the rows since the previous block and the checkpoint after them. Written in that order
 * (rows first, then the checkpoint), a store never holds a checkpoint whose draws are missing.
 */
export interface ChainBlock {
  readonly chain: number;
  /** Warm-up rows since the previous block (only when the job asks for `saveWarmup`). */
  readonly warmup?: IterationRows;
  /** Kept draws since the previous block (draw indices `checkpoint.nDraws - draws.rows` onward). */
  readonly draws: IterationRows;
  readonly checkpoint: ChainCheckpoint;
}

/** How a chain checkpoints: every how many iterations, and whether warm-up rows are handed out too. */
export interface CheckpointSchedule {
  /** Iterations (warm-up and sampling counted together) between blocks; ≥ 1. */
  readonly every: number;
  /** Hand out warm-up rows as well (for CSV files with `save_warmup = 1`). */
  readonly saveWarmup?: boolean;
}

/**
 * Where a resumed chain picks up: its checkpoint and the draws it had kept (positions and
 * statistics of draws 0 … checkpoint.nDraws − 1).
 */
export interface ChainResume {
  readonly checkpoint: ChainCheckpoint;
  readonly draws: IterationRows;
}
