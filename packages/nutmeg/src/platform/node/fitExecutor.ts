// mapFits on Node worker threads: the chain workers' pool runs whole fit tasks, one at a time per thread, from a shared queue.
import type { Worker } from 'node:worker_threads';
import type { FitTask } from '../../workflow/fitJob.js';
import { abortedError, type FitExecutor, type FitTaskResult } from '../../workflow/fitExecutor.js';
import { coreCount, keepIdle, takeWorker } from './workers.js';
import { deserializeError } from '../../core/errorTransfer.js';
import type { FitReplyMessage, FitTaskMessage, StopFitMessage } from './fitTaskWorker.js';

/** Options of {@link workerFitExecutor}. */
export interface WorkerFitExecutorOptions {
  /** Worker threads (default: the number of CPU cores; never more than there are tasks). */
  readonly threads?: number;
}

/**
 * An executor for `mapFits` (from `nutmeg`) on Node worker threads. The threads come from the same pool as
 * `sample()`'s chain workers (kept warm between runs); each takes the next task from a shared
 * queue, compiles the task's model spec and fits it, so the load balances itself and a task's
 * draws never depend on the thread that ran it. A task whose thread dies (out of memory, say) gets
 * that error and a new thread takes over the remaining tasks. When the run's `signal` is aborted
 * (Ctrl-C), no task starts any more and each running fit is sent a stop message: its chains stop at
 * their next yield to the event loop (~50 ms) and it reports its draws so far (`attrs.incomplete`),
 * as `inThreadExecutor` does. ADVI fits are synchronous and run to their end.
 *
 * @param options - `threads`
 * @returns the executor
 * @example
 * ```ts
 * import { mapFits, type FitJob } from 'nutmeg';
 * import { workerFitExecutor } from 'nutmeg/node';
 * declare const jobs: FitJob[]; // plain-data fits: a model spec and settings each
 * const outcomes = await mapFits(jobs, { seed: 1, executor: workerFitExecutor({ threads: 2 }) });
 * ```
 */
export function workerFitExecutor(options: WorkerFitExecutorOptions = {}): FitExecutor {
  return {
    run(tasks, { onResult, signal }) {
      return new Promise<void>((resolve) => {
        if (tasks.length === 0) {
          resolve();
          return;
        }
        const threads = Math.max(1, Math.min(options.threads ?? coreCount(), tasks.length));
        let next = 0;
        let pending = tasks.length;
        const finish = (r: FitTaskResult): void => {
          onResult(r);
          if (--pending === 0) resolve();
        };
        /** Fails every task not yet sent to a thread (the run was aborted, or no thread can start). */
        const failRemaining = (error: unknown): void => {
          while (next < tasks.length) finish({ index: tasks[next++].index, error });
        };

        const startThread = (): void => {
          const w: Worker = takeWorker();
          let current: FitTask | undefined;
          let attached = true;
          const detach = (): void => {
            attached = false;
            signal?.removeEventListener('abort', onAbort);
            w.off('message', onMessage);
            w.off('error', onCrash);
            w.off('exit', onExit);
          };
          /** Ctrl-C (the signal aborted): the running fit stops at its next yield and replies with its draws so far. */
          const onAbort = (): void => {
            if (current) w.postMessage({ type: 'stopFit', index: current.index } satisfies StopFitMessage);
          };
          signal?.addEventListener('abort', onAbort);
          const dispatch = (): void => {
            if (signal?.aborted) failRemaining(abortedError(signal));
            if (next >= tasks.length) {
              detach();
              keepIdle(w);
              return;
            }
            current = tasks[next++];
            w.postMessage({ type: 'fit', task: current } satisfies FitTaskMessage);
          };
          const onMessage = (m: FitReplyMessage | { type: string }): void => {
            if (!current || (m.type !== 'fitResult' && m.type !== 'fitError')) return;
            const reply = m as FitReplyMessage;
            if (reply.index !== current.index) return;
            current = undefined;
            finish(reply.type === 'fitResult' ? { index: reply.index, idata: reply.idata } : { index: reply.index, error: deserializeError(reply.error) });
            dispatch();
          };
          const onCrash = (e: Error): void => {
            if (!attached) return;
            detach();
            void w.terminate();
            const lost = current;
            current = undefined;
            if (lost) {
              finish({ index: lost.index, error: e });
              if (next < tasks.length) startThread();
            } else {
              // The thread died before taking a task: a new one would too.
              failRemaining(e);
            }
          };
          const onExit = (code: number): void => onCrash(new Error(`fit worker exited with code ${code}`));
          w.on('message', onMessage);
          w.on('error', onCrash);
          w.on('exit', onExit);
          dispatch();
        };
        for (let k = 0; k < threads; k++) startThread();
      });
    },
  };
}
