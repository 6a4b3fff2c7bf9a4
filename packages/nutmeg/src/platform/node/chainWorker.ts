// Worker-thread entry: rebuilds the log density once, then runs the chain jobs it is sent; also runs whole fits of mapFits (fitTaskWorker.ts).
import { parentPort } from 'node:worker_threads';
import type { LogDensity } from '../../core/types.js';
import { runChain, type ChainJob, type ChainResult } from '../../inference/chain/chain.js';
import { loadChainSource, type ChainSource } from '../../workflow/chainSource.js';
import { serializeError, type SerializedError } from '../../core/errorTransfer.js';
import type { FitReplyMessage, FitTaskMessage, StopFitMessage } from './fitTaskWorker.js';

/** Messages from the parent. */
export type ToWorker =
  | { readonly type: 'init'; readonly source: ChainSource; readonly id: number }
  | { readonly type: 'run'; readonly job: ChainJob; readonly stop: SharedArrayBuffer }
  | FitTaskMessage
  | StopFitMessage;

/** Messages to the parent. */
export type FromWorker =
  | { readonly type: 'ready'; readonly id: number }
  | { readonly type: 'progress'; readonly event: import('../../inference/chain/progress.js').ChainProgress }
  | { readonly type: 'result'; readonly result: ChainResult }
  | { readonly type: 'block'; readonly block: import('../../inference/chain/checkpoint.js').ChainBlock }
  | { readonly type: 'error'; readonly error: SerializedError }
  | FitReplyMessage;

/**
 * Frames kept in the stacks of errors made in this thread. V8 keeps 10, fewer than lie between a
 * log density that throws during the first step-size search and this thread's entry (12); the
 * parent gets the error's stack as made here, so with 10 a user could not see it came from a
 * chain's thread.
 */
const STACK_FRAMES = 32;

const port = parentPort;
if (port) {
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, STACK_FRAMES);
  let logDensity: LogDensity | undefined;
  let latestInit = -1;
  const send = (m: FromWorker): void => port.postMessage(m);
  // The error as data (class lineage, message, stack, own fields): the parent rebuilds it.
  const fail = (e: unknown): void => send({ type: 'error', error: serializeError(e) });
  port.on('message', (msg: ToWorker) => {
    // A whole fit (mapFits on worker threads, fitExecutor.ts): needs no init, compiles its own model.
    // Imported on the first fit, so that chain workers do not load sample() and ADVI (~150 KB) at start.
    if (msg.type === 'fit') {
      void import('./fitTaskWorker.js').then(({ runFitMessage }) => runFitMessage(msg.task, send), fail);
      return;
    }
    if (msg.type === 'stopFit') {
      void import('./fitTaskWorker.js').then(({ stopFitMessage }) => stopFitMessage(msg.index), fail);
      return;
    }
    if (msg.type === 'init') {
      latestInit = msg.id;
      loadChainSource(msg.source).then(
        (ld) => {
          if (msg.id !== latestInit) return; // superseded by a later run's model
          logDensity = ld;
          // The id says which run this is for: a thread reused by a later run may still be
          // answering the init of an earlier one.
          send({ type: 'ready', id: msg.id });
        },
        fail,
      );
      return;
    }
    if (!logDensity) {
      fail(new Error('chain worker: run before init'));
      return;
    }
    const flag = new Int32Array(msg.stop);
    runChain(logDensity, msg.job, {
      onProgress: (event) => send({ type: 'progress', event }),
      shouldStop: () => Atomics.load(flag, 0) === 1,
      // Checkpoint blocks go to the parent, which writes them (files are the parent's business).
      ...(msg.job.checkpoint ? { onBlock: (block) => send({ type: 'block', block }) } : {}),
    }).then((result) => {
      // Copied, not transferred: transferring detaches the buffers, and the first detached
      // ArrayBuffer in an isolate makes V8 throw away all optimised code that assumed none ever
      // is (the sampler, the model's gradient) and re-optimise it with detach checks: ~0.1 s of
      // compiling per thread, measured as ~18% of a 4-chain radon run on two threads. The copy
      // costs ~1 ms per chain.
      send({ type: 'result', result });
    }, fail);
  });
}
