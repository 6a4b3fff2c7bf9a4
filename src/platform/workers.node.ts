// Parallel chains on Node worker threads: a pool that re-creates the log density per worker and runs chain jobs.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ModelError, OptionError } from '../core/errors.js';
import type { ChainJob, ChainResult } from '../inference/run/chain.js';
import type { ChainRunner } from '../inference/run/runner.js';
import type { ChainSource } from './chainSource.js';
import type { FromWorker, ToWorker } from './chainWorker.node.js';

/** Number of CPU cores Node reports (at least 1). */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A new chain worker. In the build the entry is chainWorker.node.js. Running from TypeScript sources
 * (tsx, as the tests and benchmarks do), Node 20 does not pass `--import` loader hooks on to worker
 * threads, so a two-line bootstrap loads the .ts entry through tsx's `tsImport`.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./chainWorker.node.js', import.meta.url));
  const entry = new URL('./chainWorker.node.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true });
}

function rebuildError(m: Extract<FromWorker, { type: 'error' }>): Error {
  if (m.name === 'ModelError') return new ModelError(m.message, m.variable);
  if (m.name === 'OptionError') {
    const e = new OptionError('option', m.message);
    e.message = m.message;
    return e;
  }
  const e = new Error(m.message);
  e.name = m.name;
  return e;
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
      const stopBuffer = new SharedArrayBuffer(4);
      const stopFlag = new Int32Array(stopBuffer);
      const pool: Worker[] = [];
      const results: ChainResult[] = new Array(jobs.length);
      const promise = new Promise<ChainResult[]>((resolve, reject) => {
        let next = 0;
        let finished = 0;
        let failed = false;
        const shutdown = (): void => {
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
          const w = spawnWorker();
          pool.push(w);
          w.on('message', (m: FromWorker) => {
            if (m.type === 'ready') dispatch(w);
            else if (m.type === 'progress') onProgress?.(m.event);
            else if (m.type === 'result') {
              results[jobs.findIndex((j) => j.chain === m.result.chain)] = m.result;
              finished++;
              if (finished === jobs.length) {
                shutdown();
                resolve(results);
              } else dispatch(w);
            } else if (m.type === 'error') failAll(rebuildError(m));
          });
          w.on('error', (e) => failAll(e));
          w.on('exit', (code) => {
            if (code !== 0 && finished < jobs.length) failAll(new Error(`chain worker exited with code ${code}`));
          });
          const init: ToWorker = { type: 'init', source };
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
