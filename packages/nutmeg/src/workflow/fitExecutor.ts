// The contract between mapFits and whatever runs its jobs (this thread, worker threads, later a job queue), and the in-thread executor.
import type { InferenceData } from '../posterior/inferenceData.js';
import { runFitTask, type FitTask } from './fitJob.js';
import { yieldToEventLoop } from './runner.js';

/** The result of one task: its draws, or the error it raised (as thrown, or rebuilt after crossing a thread). */
export type FitTaskResult =
  | { readonly index: number; readonly idata: InferenceData }
  | { readonly index: number; readonly error: unknown };

/** What {@link FitExecutor.run} is given besides the tasks. */
export interface FitExecutorHooks {
  /** Called once per task as it finishes, in any order (each task's `index` says which it is). */
  readonly onResult: (result: FitTaskResult) => void;
  /** When aborted, tasks not yet started are not started: each gets an error result instead. */
  readonly signal?: AbortSignal;
}

/**
 * Runs fit tasks somewhere: in this thread, on worker threads, on other machines. An executor
 * receives plain-data tasks (each with its own seed, derived by mapFits), runs each through
 * {@link runFitTask} (or the same function on the other side of a thread or a queue), and reports
 * one result per task; it resolves once every task has a result. The draws depend only on the
 * tasks, never on the executor, the order or the number of threads.
 *
 * A task's failure is a result (`{ index, error }`), not a rejection; `run` rejects only when the
 * executor itself breaks.
 *
 * @example
 * ```ts
 * // An executor that runs tasks one after another in this thread (what inThreadExecutor does):
 * const executor: FitExecutor = {
 *   async run(tasks, { onResult }) {
 *     for (const t of tasks) {
 *       try { onResult({ index: t.index, idata: await runFitTask(t) }); }
 *       catch (error) { onResult({ index: t.index, error }); }
 *     }
 *   },
 * };
 * ```
 */
export interface FitExecutor {
  run(tasks: readonly FitTask[], hooks: FitExecutorHooks): Promise<void>;
}

/** The error given to tasks that were not started because the run was aborted. */
export function abortedError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the run was aborted before this fit started');
}

/**
 * An executor that runs the tasks one after another in the calling thread: portable (browsers,
 * any runtime), and the reference the other executors must agree with. NUTS yields to the event
 * loop every ~50 ms, so progress can be drawn meanwhile.
 *
 * @returns the executor
 */
export function inThreadExecutor(): FitExecutor {
  return {
    async run(tasks, { onResult, signal }) {
      for (const task of tasks) {
        // A turn of the event loop between fits: awaiting a fit only runs microtasks, so without it
        // a run of many short fits (each shorter than a chain's ~50 ms yield interval) would never
        // let an abort (Ctrl-C) or a timer through until the last fit had finished.
        await yieldToEventLoop();
        if (signal?.aborted) {
          onResult({ index: task.index, error: abortedError(signal) });
          continue;
        }
        let result: FitTaskResult;
        try {
          result = { index: task.index, idata: await runFitTask(task, signal) };
        } catch (error) {
          result = { index: task.index, error };
        }
        onResult(result);
      }
    },
  };
}
