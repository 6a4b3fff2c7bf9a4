// How chains are executed: the ChainRunner contract and the in-thread (sequential) runner.
import type { LogDensity } from '../core/types.js';
import { runChain, type ChainJob, type ChainResult } from '../inference/chain/chain.js';
import type { ChainProgress } from '../inference/chain/progress.js';

/** A running set of chains: their results, and a way to stop them early. */
export interface RunningChains {
  /** Resolves with one result per job (in job order) once every chain has finished or stopped. */
  readonly results: Promise<ChainResult[]>;
  /** Asks every chain to stop after its current iteration; results then hold the draws so far. */
  stop(): void;
}

/** Executes chain jobs: in the calling thread, on worker threads, in Web Workers. */
export interface ChainRunner {
  start(jobs: readonly ChainJob[], onProgress?: (e: ChainProgress) => void): RunningChains;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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
    start(jobs, onProgress) {
      let stopped = false;
      const results = (async () => {
        const out: ChainResult[] = [];
        for (const job of jobs) {
          out.push(
            await runChain(logDensity, job, {
              ...(onProgress ? { onProgress } : {}),
              shouldStop: () => stopped,
              yieldNow: yieldToEventLoop,
            }),
          );
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
