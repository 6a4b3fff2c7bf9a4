// How chains are executed: the ChainRunner contract and the in-thread (sequential) runner.
import type { LogDensity } from '../core/types.js';
import { nowMs } from '../core/clock.js';
import { runChain, type ChainFailure, type ChainJob, type ChainResult } from '../inference/chain/chain.js';
import type { ChainProgress } from '../inference/chain/progress.js';
import type { ChainBlock } from '../inference/chain/checkpoint.js';

/** A running set of chains: their results, and a way to stop them early. */
export interface RunningChains {
  /** Resolves with one result per job (in job order) once every chain has finished or stopped. */
  readonly results: Promise<ChainResult[]>;
  /** Asks every chain to stop after its current iteration; results then hold the draws so far. */
  stop(): void;
}

/**
 * What a run asks of its runner beyond progress (every member optional: a runner that ignores one
 * still runs the chains, without checkpoints or time limits).
 */
export interface RunOptions {
  /** Receives each checkpointing chain's blocks (jobs with a `checkpoint` schedule), in the calling thread. */
  onBlock?(block: ChainBlock): void;
  /**
   * A chain still running this many seconds after it started is ended (its worker terminated, or,
   * in the calling thread, stopped at its next iteration) and reported as failed with cause 'timeout'.
   */
  chainTimeoutSeconds?: number;
}

/**
 * Executes chain jobs: in the calling thread, on worker threads, in Web Workers. A chain that fails
 * (its code throws, its thread dies or runs out of time) should resolve as a result carrying
 * `failure` (see {@link failedChainResult}) so that the other chains are kept; a runner that rejects
 * instead fails the whole run.
 */
export interface ChainRunner {
  start(jobs: readonly ChainJob[], onProgress?: (e: ChainProgress) => void, options?: RunOptions): RunningChains;
}

/**
 * The result of a chain that failed: no draws, and the failure.
 *
 * @param job - the chain's job
 * @param failure - what ended it
 * @returns a result with `nDraws = 0` and `failure`
 * @example
 * ```ts
 * // In a custom runner: a chain whose thread died ends alone, the others are kept.
 * declare const job: ChainJob;
 * const result = failedChainResult(job, { chain: job.chain, cause: 'exit', message: `chain ${job.chain} failed: its worker exited` });
 * ```
 */
export function failedChainResult(job: ChainJob, failure: ChainFailure): ChainResult {
  return {
    chain: job.chain,
    dim: job.init.length,
    nDraws: 0,
    nTuned: 0,
    positions: new Float64Array(0),
    stats: {},
    stepSize: NaN,
    inverseMetric: new Float64Array(0),
    gradEvals: 0,
    divergencesWarmup: 0,
    messages: [],
    warmupSeconds: 0,
    samplingSeconds: 0,
    interrupted: true,
    failure,
  };
}

/** The failure of chain `chain` from an exception its code threw. */
export function chainErrorFailure(chain: number, e: unknown): ChainFailure {
  const error = e instanceof Error ? e : new Error(String(e));
  return { chain, cause: 'error', message: `chain ${chain} failed: ${error.name}: ${error.message}`, error };
}

/** Resolves after one turn of the event loop (a macrotask), so timers, signals and aborts get through. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs chains one after another in the calling thread (used for hand-written log densities, which
 * cannot be sent to workers). The loop yields to the event loop every ~50 ms so progress can be
 * drawn and Ctrl-C handled.
 *
 * @param logDensity - the target
 * @returns a runner
 */
export function sequentialRunner(logDensity: LogDensity): ChainRunner {
  return {
    start(jobs, onProgress, options = {}) {
      let stopped = false;
      const limitMs = options.chainTimeoutSeconds !== undefined ? options.chainTimeoutSeconds * 1000 : Infinity;
      const results = (async () => {
        const out: ChainResult[] = [];
        for (const job of jobs) {
          // In this thread a chain can only be stopped between iterations: past its time limit it
          // stops at the next one (a density that never returns cannot be ended here).
          const deadline = nowMs() + limitMs;
          let timedOut = false;
          const shouldStop = limitMs === Infinity ? () => stopped : (): boolean => stopped || (timedOut ||= nowMs() > deadline);
          try {
            const result = await runChain(logDensity, job, {
              ...(onProgress ? { onProgress } : {}),
              ...(options.onBlock ? { onBlock: options.onBlock } : {}),
              shouldStop,
              yieldNow: yieldToEventLoop,
            });
            out.push(timedOut ? failedChainResult(job, timeoutFailure(job.chain, options.chainTimeoutSeconds!)) : result);
          } catch (e) {
            out.push(failedChainResult(job, chainErrorFailure(job.chain, e)));
          }
        }
        return out;
      })();
      return {
        results,
        stop() {
          stopped = true;
        },
      };
    },
  };
}

/** The failure of a chain that ran past `chainTimeoutSeconds`. */
export function timeoutFailure(chain: number, seconds: number): ChainFailure {
  return { chain, cause: 'timeout', message: `chain ${chain} failed: it ran longer than chainTimeoutSeconds = ${seconds} s and was ended` };
}
