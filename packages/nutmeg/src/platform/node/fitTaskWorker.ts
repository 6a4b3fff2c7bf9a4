// The worker-thread side of fit tasks (mapFits on worker threads): the messages and running a task (errors cross as core/errorTransfer data).
import { serializeError, type SerializedError } from '../../core/errorTransfer.js';
import type { InferenceData } from '../../posterior/inferenceData.js';
import { runFitTask, type FitTask } from '../../workflow/fitJob.js';

/** Parent → worker: run one fit task. */
export interface FitTaskMessage {
  readonly type: 'fit';
  readonly task: FitTask;
}

/** Parent → worker: stop the running fit task `index` (Ctrl-C); it replies with its draws so far. */
export interface StopFitMessage {
  readonly type: 'stopFit';
  readonly index: number;
}

/** The abort controllers of the fits running in this thread, by task index. */
const running = new Map<number, AbortController>();
/** Tasks stopped before their fit had started here (the stop overtook the module's loading): they start stopped. */
const stoppedBeforeStart = new Set<number>();

/**
 * Stops a running fit task: its chains stop at their next yield to the event loop and
 * {@link runFitMessage} posts the draws so far (`attrs.incomplete`). A task that has already
 * finished (the message crossed its reply) is left alone.
 *
 * @param index - the task's index
 */
export function stopFitMessage(index: number): void {
  const controller = running.get(index);
  if (controller) controller.abort(new Error('the run was stopped (Ctrl-C)'));
  else stoppedBeforeStart.add(index);
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
  const controller = new AbortController();
  running.set(task.index, controller);
  if (stoppedBeforeStart.delete(task.index)) controller.abort(new Error('the run was stopped (Ctrl-C)'));
  try {
    // Copied back, not transferred (see chainWorker.ts: a detached buffer deoptimises the sampler).
    reply = { type: 'fitResult', index: task.index, idata: await runFitTask(task, controller.signal) };
  } catch (e) {
    reply = { type: 'fitError', index: task.index, error: serializeError(e) };
  } finally {
    running.delete(task.index);
  }
  post(reply);
}
