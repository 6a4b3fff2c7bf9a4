// Web Worker entry (a module worker): rebuilds the log density from the model's spec, runs the chain jobs it is sent, stops on a 'stop' message.
import type { LogDensity } from '../../core/types.js';
import { runChain, type ChainJob, type ChainResult } from '../../inference/chain/chain.js';
import type { ChainProgress } from '../../inference/chain/progress.js';
import { loadChainSource, type ChainSource } from '../../workflow/chainSource.js';
import { serializeError, type SerializedError } from '../../core/errorTransfer.js';

/** Messages from the page. */
export type ToBrowserWorker =
  | { readonly type: 'init'; readonly source: ChainSource }
  | { readonly type: 'run'; readonly job: ChainJob }
  | { readonly type: 'stop' };

/** Messages to the page. */
export type FromBrowserWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly event: ChainProgress }
  | { readonly type: 'result'; readonly result: ChainResult }
  | { readonly type: 'error'; readonly error: SerializedError };

/** The part of a worker's global scope this entry uses (typed here: the DOM library types `self` as a Window). */
interface WorkerScope {
  postMessage(message: FromBrowserWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToBrowserWorker>) => void): void;
}

/**
 * Lets the worker's event loop turn, so that a 'stop' message is handled. A MessageChannel round
 * trip is a macrotask without setTimeout's 4 ms clamp for nested timers; the chain loop calls it
 * at most every `YIELD_INTERVAL_MS`, which costs well under 0.1% of the run.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** How often a running chain lets 'stop' messages in (the latency of stop()). */
const YIELD_INTERVAL_MS = 100;

const scope = globalThis as unknown as WorkerScope;
let logDensity: LogDensity | undefined;
let stopped = false;
const send = (m: FromBrowserWorker): void => scope.postMessage(m);
// The error as data (class lineage, message, stack, own fields): the page rebuilds it (core/errorTransfer.ts).
const fail = (e: unknown): void => send({ type: 'error', error: serializeError(e) });

scope.addEventListener('message', (e) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    stopped = true;
    return;
  }
  if (msg.type === 'init') {
    loadChainSource(msg.source).then((ld) => {
      logDensity = ld;
      send({ type: 'ready' });
    }, fail);
    return;
  }
  if (!logDensity) {
    fail(new Error('chain worker: run before init'));
    return;
  }
  runChain(logDensity, msg.job, {
    onProgress: (event) => send({ type: 'progress', event }),
    shouldStop: () => stopped,
    yieldNow: yieldToEventLoop,
    yieldIntervalMs: YIELD_INTERVAL_MS,
  }).then((result: ChainResult) => send({ type: 'result', result }), fail);
});
