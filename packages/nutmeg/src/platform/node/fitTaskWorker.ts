// The worker-thread side of fit tasks (mapFits on worker threads): the messages and running a task (errors cross as core/errorTransfer data).
import { serializeError, type SerializedError } from '../../core/errorTransfer.js';
import type { InferenceData } from '../../posterior/inferenceData.js';
import { runFitTask, type FitTask } from '../../workflow/fitJob.js';

/** Parent → worker: run one fit task. */
export interface FitTaskMessage {
  readonly type: 'fit';
  readonly task: FitTask;
}

/** Worker → parent: a fit task's draws, or its error. */
export type FitReplyMessage =
  | { readonly type: 'fitResult'; readonly index: number; readonly idata: InferenceData }
  | { readonly type: 'fitError'; readonly index: number; readonly error: SerializedError };

/**
 * Runs a fit task inside a worker and posts its reply.
 *
 * @param task - the task (structured-cloned from the parent)
 * @param post - the worker's postMessage
 */
export async function runFitMessage(task: FitTask, post: (m: FitReplyMessage) => void): Promise<void> {
  let reply: FitReplyMessage;
  try {
    // Copied back, not transferred (see chainWorker.ts: a detached buffer deoptimises the sampler).
    reply = { type: 'fitResult', index: task.index, idata: await runFitTask(task) };
  } catch (e) {
    reply = { type: 'fitError', index: task.index, error: serializeError(e) };
  }
  post(reply);
}
