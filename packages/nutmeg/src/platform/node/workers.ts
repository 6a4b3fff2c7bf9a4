// Parallel chains on Node worker threads: a pool that re-creates the log density per worker and runs chain jobs.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { deserializeError } from '../../core/errorTransfer.js';
import type { ChainFailure, ChainJob, ChainResult } from '../../inference/chain/chain.js';
import { chainErrorFailure, failedChainResult, timeoutFailure, type ChainRunner } from '../../workflow/runner.js';
import type { ChainSource } from '../../workflow/chainSource.js';
import type { FromWorker, ToWorker } from './chainWorker.js';
import { startWorkerThread } from './workerThread.js';

/** Number of CPU cores Node reports (at least 1). */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/** The built worker bundle (scripts/bundle-worker.mjs), when there is one. */
let bundledWorker: URL | null | undefined;

/**
 * A new chain worker. In the build the entry is the one-file bundle chainWorker.bundle.js (faster
 * to load), or chainWorker.js without it. Running from TypeScript sources (tsx, as the tests
 * do), Node 20 does not pass `--import` loader hooks on to worker threads, so a two-line bootstrap
 * loads the .ts entry through tsx's `tsImport`.
 */
function spawnWorker(resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  let w: Worker;
  if (!import.meta.url.endsWith('.ts')) {
    if (bundledWorker === undefined) {
      const url = new URL('./chainWorker.bundle.js', import.meta.url);
      bundledWorker = existsSync(url) ? url : null;
    }
    w = startWorkerThread(bundledWorker ?? new URL('./chainWorker.js', import.meta.url), limits);
  } else {
    const entry = new URL('./chainWorker.ts', import.meta.url).href;
    const api = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
    w = new Worker(code, { eval: true, ...limits });
  }
  live++;
  w.once('exit', () => live--);
  return w;
}

/** Chain worker threads alive now (running, idle in the pool, or ending). */
let live = 0;

/**
 * The number of chain worker threads alive (started and not yet exited), in use or idle: after a
 * run it equals {@link idleWorkerCount} once terminated threads have exited, which tests of
 * failures check (no orphaned threads).
 *
 * @returns the count
 * @example
 * ```ts
 * declare const model: CompiledModel;
 * await sample(model, { chains: 4, cores: 2 });
 * liveWorkerCount() === idleWorkerCount(); // true once terminated threads have exited
 * ```
 */
export function liveWorkerCount(): number {
  return live;
}

/**
 * Worker threads kept after a run, for the next one: a new worker costs ~100–150 ms (thread start,
 * loading nutmeg, optimising the sampler's code), a kept one only the model's re-compilation.
 * Idle workers are unref'd (they never keep the process alive) and end after `IDLE_MS`.
 */
const idle: Worker[] = [];
const IDLE_MS = 30_000;
const idleTimers = new Map<Worker, ReturnType<typeof setTimeout>>();
/** Numbers the runs' init messages, so that a reused thread's late answer to an earlier run is ignored. */
let runCount = 0;

/** A chain worker from the idle pool, or a new one (also used by the fit executor, fitExecutor.ts). */
export function takeWorker(): Worker {
  const w = idle.pop();
  if (!w) {
    const fresh = spawnWorker();
    // Kept for the worker's life: an idle worker that fails or exits leaves the idle list.
    fresh.on('exit', () => forget(fresh));
    fresh.on('error', () => forget(fresh));
    return fresh;
  }
  clearTimeout(idleTimers.get(w));
  idleTimers.delete(w);
  w.ref();
  return w;
}

function forget(w: Worker): void {
  const k = idle.indexOf(w);
  if (k >= 0) idle.splice(k, 1);
  clearTimeout(idleTimers.get(w));
  idleTimers.delete(w);
}

/** Returns a worker to the idle pool (unref'd; ended after `IDLE_MS`, or now when the pool is full). */
export function keepIdle(w: Worker): void {
  w.unref();
  if (idle.length >= coreCount()) {
    void w.terminate();
    return;
  }
  idle.push(w);
  const timer = setTimeout(() => {
    forget(w);
    void w.terminate();
  }, IDLE_MS);
  (timer as { unref?: () => void }).unref?.();
  idleTimers.set(w, timer);
}

/** Whether a worker thread from an earlier run is waiting to be reused (for benchmarks' reports). */
export function idleWorkerCount(): number {
  return idle.length;
}

/** Options of {@link workerRunner}. */
export interface WorkerRunnerOptions {
  /** A chain still running this many seconds after it started is ended: its worker is terminated. */
  readonly chainTimeoutSeconds?: number;
  /**
   * Node's limits for each worker thread (heap sizes, stack). A thread over its heap limit dies
   * with ERR_WORKER_OUT_OF_MEMORY and only its chain fails. Threads with limits are not pooled.
   */
  readonly resourceLimits?: ResourceLimits;
}

/** One worker of a run: the thread, the chain it runs, and that chain's time limit. */
interface Slot {
  readonly worker: Worker;
  job: ChainJob | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  detach(): void;
}

/**
 * A chain runner on `workers` Node worker threads. Each worker rebuilds the log density from
 * `source` once (a model spec via `compileModelSpec`, or a module factory) and runs jobs from a
 * shared queue; a chain's draws depend only on its job, so the scheduling never changes them.
 * Stopping sets a shared flag that every chain polls between iterations.
 *
 * Failures are contained to their chain: an exception of the chain's code, its thread exiting
 * (`process.exit` in a density), running out of memory or past `chainTimeoutSeconds` ends that
 * chain only (a dead or timed-out thread is terminated and replaced while jobs remain), and the
 * run resolves with the other chains' results beside a result carrying `failure`. Only a failure
 * to build the log density in a worker (before any chain) fails the whole run.
 *
 * @param source - how workers get the log density
 * @param workers - threads to start (at most one per job)
 * @param options - a per-chain time limit, thread resource limits
 * @returns a runner
 */
export function workerRunner(source: ChainSource, workers: number, options: WorkerRunnerOptions = {}): ChainRunner {
  return {
    start(jobs: readonly ChainJob[], onProgress, runOptions = {}) {
      const runId = ++runCount;
      const stopBuffer = new SharedArrayBuffer(4);
      const stopFlag = new Int32Array(stopBuffer);
      const timeoutSeconds = runOptions.chainTimeoutSeconds ?? options.chainTimeoutSeconds;
      const pooled = options.resourceLimits === undefined;
      const slots = new Set<Slot>();
      const results: ChainResult[] = new Array(jobs.length);
      const promise = new Promise<ChainResult[]>((resolve, reject) => {
        let next = 0;
        let settled = 0;
        let closed = false;
        const indexOf = (chain: number): number => jobs.findIndex((j) => j.chain === chain);
        const release = (slot: Slot, keep: boolean): void => {
          clearTimeout(slot.timer);
          slot.detach();
          slots.delete(slot);
          if (keep && pooled) keepIdle(slot.worker);
          else void slot.worker.terminate();
        };
        const finishIfDone = (): void => {
          if (closed || settled < jobs.length) return;
          closed = true;
          // Every chain is done: healthy workers wait, idle, for the next run.
          for (const slot of [...slots]) release(slot, true);
          resolve(results);
        };
        const failRun = (e: Error): void => {
          if (closed) return;
          closed = true;
          Atomics.store(stopFlag, 0, 1);
          for (const slot of [...slots]) release(slot, false);
          reject(e);
        };
        const dispatch = (slot: Slot): void => {
          slot.job = undefined;
          if (next >= jobs.length) return;
          const job = jobs[next++];
          slot.job = job;
          const msg: ToWorker = { type: 'run', job, stop: stopBuffer };
          slot.worker.postMessage(msg);
          if (timeoutSeconds !== undefined) {
            slot.timer = setTimeout(() => chainFailed(slot, timeoutFailure(job.chain, timeoutSeconds), true), timeoutSeconds * 1000);
            (slot.timer as { unref?: () => void }).unref?.();
          }
        };
        /** Records the failure of the slot's chain; a thread that died or hangs is ended and replaced. */
        const chainFailed = (slot: Slot, failure: ChainFailure, endThread: boolean): void => {
          const job = slot.job;
          clearTimeout(slot.timer);
          slot.timer = undefined;
          if (job) {
            results[indexOf(job.chain)] = failedChainResult(job, failure);
            settled++;
          }
          if (endThread) {
            release(slot, false);
            if (next < jobs.length && !closed) addWorker();
            else if (slots.size === 0 && next < jobs.length) failRun(failure.error ?? new Error(failure.message));
          } else dispatch(slot);
          finishIfDone();
        };
        const threadDied = (slot: Slot, cause: ChainFailure['cause'], what: string, error?: Error): void => {
          if (!slots.has(slot) || closed) return;
          if (!slot.job) {
            // Died before running a chain (building the density, or idle): the run cannot use it.
            release(slot, false);
            if (slots.size === 0) failRun(error ?? new Error(`chain worker ${what}`));
            return;
          }
          const chain = slot.job.chain;
          chainFailed(slot, { chain, cause, message: `chain ${chain} failed: its worker thread ${what}`, ...(error ? { error } : {}) }, true);
        };
        const addWorker = (): void => {
          const w = pooled ? takeWorker() : spawnWorker(options.resourceLimits);
          const slot: Slot = { worker: w, job: undefined, timer: undefined, detach: () => {} };
          slots.add(slot);
          const onMessage = (m: FromWorker): void => {
            if (closed) return;
            if (m.type === 'ready') {
              if (m.id === runId) dispatch(slot);
            } else if (m.type === 'progress') onProgress?.(m.event);
            else if (m.type === 'block') runOptions.onBlock?.(m.block);
            else if (m.type === 'result') {
              clearTimeout(slot.timer);
              results[indexOf(m.result.chain)] = m.result;
              settled++;
              dispatch(slot);
              finishIfDone();
            } else if (m.type === 'error') {
              const error = deserializeError(m.error); // with its class, message and fields
              // A chain's exception ends that chain; one before any chain (building the density) ends the run.
              if (slot.job) chainFailed(slot, chainErrorFailure(slot.job.chain, error), false);
              else failRun(error);
            }
          };
          const onError = (e: Error): void => {
            const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
            threadDied(slot, oom ? 'out-of-memory' : 'error', oom ? `ran out of memory (${e.message})` : `crashed: ${e.name}: ${e.message}`, e);
          };
          const onExit = (code: number): void => threadDied(slot, 'exit', `exited (code ${code}; process.exit in the log density?)`);
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          slot.detach = () => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          };
          const init: ToWorker = { type: 'init', source, id: runId };
          w.postMessage(init);
        };
        if (jobs.length === 0) {
          resolve([]);
          return;
        }
        const n = Math.max(1, Math.min(workers, jobs.length));
        for (let k = 0; k < n; k++) addWorker();
      });
      return {
        results: promise,
        stop() {
          Atomics.store(stopFlag, 0, 1);
        },
      };
    },
  };
}
