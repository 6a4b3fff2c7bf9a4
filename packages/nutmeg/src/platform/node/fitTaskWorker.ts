// The worker-thread side of fit tasks (mapFits on worker threads): the messages, running a task, and errors as plain data.
import { ModelError, OptionError, InputError } from '../../core/errors.js';
import type { InferenceData } from '../../posterior/inferenceData.js';
import { runFitTask, type FitTask } from '../../workflow/fitJob.js';

/** An error as structured-cloneable data: its class name, message, stack and own fields (`variable`, `option`, …). */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Record<string, unknown>;
}

/** Parent → worker: run one fit task. */
export interface FitTaskMessage {
  readonly type: 'fit';
  readonly task: FitTask;
}

/** Worker → parent: a fit task's draws, or its error. */
export type FitReplyMessage =
  | { readonly type: 'fitResult'; readonly index: number; readonly idata: InferenceData }
  | { readonly type: 'fitError'; readonly index: number; readonly error: ErrorData };

/** Own fields of an error that survive structured cloning (strings, numbers, booleans). */
function plainFields(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** An error as {@link ErrorData}. */
export function errorToData(e: unknown): ErrorData {
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}), fields: plainFields(err) };
}

/**
 * The error described by `d`, with nutmeg's class when it is one of nutmeg's errors (ModelError,
 * OptionError, InputError), otherwise an `Error` carrying the name; fields and stack restored.
 */
export function errorFromData(d: ErrorData): Error {
  let e: Error;
  if (d.name === 'ModelError') e = new ModelError(d.message, typeof d.fields.variable === 'string' ? d.fields.variable : undefined);
  else if (d.name === 'OptionError') e = new OptionError(typeof d.fields.option === 'string' ? d.fields.option : 'option', '');
  else if (d.name === 'InputError') e = new InputError(d.message);
  else e = new Error(d.message);
  e.message = d.message;
  Object.assign(e, d.fields);
  e.name = d.name;
  if (d.stack !== undefined) e.stack = d.stack;
  return e;
}

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
    reply = { type: 'fitError', index: task.index, error: errorToData(e) };
  }
  post(reply);
}
