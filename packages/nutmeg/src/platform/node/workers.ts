// Parallel chains on Node worker threads: a pool that re-creates the log density per worker and runs chain jobs.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { deserializeError } from '../../core/errorTransfer.js';
import type { ChainJob, ChainResult } from '../../inference/chain/chain.js';
import type { ChainRunner } from '../../workflow/runner.js';
import type { ChainSource } from '../../workflow/chainSource.js';
import type { FromWorker, ToWorker } from './chainWorker.js';

/** Number of CPU cores Node reports (at least 1). */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/** The built worker bundle (scripts/bundle-worker.mjs), when there is one. */
let bundledWorker: URL | null | undefined;

/** Node flags that preload modules or register loaders: `--import`, `--require`/`-r`, `--loader`/`--experimental-loader`. */
const MODULE_LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The process's Node flags without those that preload modules or register loaders. A worker
 * inherits `process.execArgv`, so under `tsx script.ts` (or `node --import tsx`) every chain worker
 * would load the TypeScript loader first (~0.1 s per fresh worker on the radon model, measured) although
 * the built worker is plain JavaScript; other flags (memory limits, `--enable-source-maps`) are kept.
 *
 * @param execArgv - the parent's flags
 * @returns the flags for a built worker
 */
export function withoutModuleLoaders(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    const eq = flag.indexOf('=');
    if (MODULE_LOADER_FLAGS.has(eq > 0 ? flag.slice(0, eq) : flag)) {
      if (eq < 0) i++; // the value is the next argument
      continue;
    }
    out.push(flag);
  }
  return out;
}

/**
 * A new chain worker. In the build the entry is the one-file bundle chainWorker.bundle.js (faster
 * to load), or chainWorker.js without it. Running from TypeScript sources (tsx, as the tests
 * do), Node 20 does not pass `--import` loader hooks on to worker threads, so a two-line bootstrap
 * loads the .ts entry through tsx's `tsImport`.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    if (bundledWorker === undefined) {
      const url = new URL('./chainWorker.bundle.js', import.meta.url);
      bundledWorker = existsSync(url) ? url : null;
    }
    return new Worker(bundledWorker ?? new URL('./chainWorker.js', import.meta.url), { execArgv: withoutModuleLoaders(process.execArgv) });
  }
  const entry = new URL('./chainWorker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true });
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

/**
 * A chain runner on `workers` Node worker threads. Each worker rebuilds the log density from
 * `source` once (a model spec via `compileModelSpec`, or a module factory) and runs jobs from a
 * shared queue; a chain's draws depend only on its job, so the scheduling never changes them.
 * Stopping sets a shared flag that every chain polls between iterations.
 *
 * @param source - how workers get the log density
 * @param workers - threads to start (at most one per job)
 * @returns a runner
 */
export function workerRunner(source: ChainSource, workers: number): ChainRunner {
  return {
    start(jobs: readonly ChainJob[], onProgress) {
      const runId = ++runCount;
      const stopBuffer = new SharedArrayBuffer(4);
      const stopFlag = new Int32Array(stopBuffer);
      const pool: Worker[] = [];
      /** Removes this run's listeners from each worker of the pool. */
      const detach: (() => void)[] = [];
      const results: ChainResult[] = new Array(jobs.length);
      const promise = new Promise<ChainResult[]>((resolve, reject) => {
        let next = 0;
        let finished = 0;
        let failed = false;
        const shutdown = (): void => {
          for (const d of detach) d();
          for (const w of pool) void w.terminate();
        };
        const failAll = (e: Error): void => {
          if (failed) return;
          failed = true;
          Atomics.store(stopFlag, 0, 1);
          shutdown();
          reject(e);
        };
        const dispatch = (w: Worker): void => {
          if (next >= jobs.length) return;
          const job = jobs[next++];
          const msg: ToWorker = { type: 'run', job, stop: stopBuffer };
          w.postMessage(msg);
        };
        const n = Math.max(1, Math.min(workers, jobs.length));
        if (jobs.length === 0) {
          resolve([]);
          return;
        }
        for (let k = 0; k < n; k++) {
          const w = takeWorker();
          pool.push(w);
          const onMessage = (m: FromWorker): void => {
            if (m.type === 'ready') {
              if (m.id === runId) dispatch(w);
            }
            else if (m.type === 'progress') onProgress?.(m.event);
            else if (m.type === 'result') {
              results[jobs.findIndex((j) => j.chain === m.result.chain)] = m.result;
              finished++;
              if (finished === jobs.length) {
                // Every chain is done: the workers wait, idle, for the next run.
                for (const d of detach) d();
                for (const x of pool) keepIdle(x);
                resolve(results);
              } else dispatch(w);
            } else if (m.type === 'error') failAll(deserializeError(m.error)); // with its class, message and fields
          };
          const onError = (e: Error): void => failAll(e);
          const onExit = (code: number): void => {
            if (code !== 0 && finished < jobs.length) failAll(new Error(`chain worker exited with code ${code}`));
          };
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          detach.push(() => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          });
          const init: ToWorker = { type: 'init', source, id: runId };
          w.postMessage(init);
        }
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
