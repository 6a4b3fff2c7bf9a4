// Parallel chains in module Web Workers: one worker per chain up to the core count, each re-compiling the model from its spec; the calling thread when workers cannot start.
import { deserializeError } from '../../core/errorTransfer.js';
import type { ChainJob, ChainResult } from '../../inference/chain/chain.js';
import type { ChainProgress } from '../../inference/chain/progress.js';
import type { ChainSource } from '../../workflow/chainSource.js';
import { loadChainSource } from '../../workflow/chainSource.js';
import { sequentialRunner, type ChainRunner, type RunningChains } from '../../workflow/runner.js';
import type { FromBrowserWorker, ToBrowserWorker } from './chainWorker.js';

/** Logical cores the browser reports (at least 1). */
export function browserCoreCount(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, n ?? 1);
}

/**
 * A new chain worker. The expression is the one bundlers recognise (Vite, webpack 5, Parcel 2 emit
 * the worker's own bundle for it); throws where there is no `Worker`.
 */
function spawnWorker(): Worker {
  return new Worker(new URL('./chainWorker.js', import.meta.url), { type: 'module' });
}

/** Raised inside the runner when a worker cannot load its script: the run falls back to the calling thread. */
class WorkerStartError extends Error {}

let warned = false;
/** Says once per page that chains run in the calling thread, and why. */
function warnFallback(reason: string): void {
  if (warned) return;
  warned = true;
  console.warn(
    `nutmeg: Web Workers could not start (${reason}); chains run one after another in this thread, which blocks it while sampling. ` +
      'Bundle the worker too: see "nutmeg in the browser" in docs/architecture.md.',
  );
}

/**
 * Runs `jobs` on up to `workers` Web Workers. Each worker compiles the model once and takes jobs
 * from a shared queue; a chain's draws depend only on its job, so the scheduling never changes
 * them. Rejects with a {@link WorkerStartError} when a worker fails to load before it is ready.
 */
function runOnWorkers(
  source: ChainSource,
  workers: number,
  jobs: readonly ChainJob[],
  onProgress: ((e: ChainProgress) => void) | undefined,
  stopSignal: { stopped: boolean; listeners: (() => void)[] },
): Promise<ChainResult[]> {
  return new Promise<ChainResult[]>((resolve, reject) => {
    const pool: Worker[] = [];
    const results: ChainResult[] = new Array(jobs.length);
    let next = 0;
    let finished = 0;
    let settled = false;
    const end = (): void => {
      settled = true;
      for (const w of pool) w.terminate();
    };
    const failAll = (e: Error): void => {
      if (settled) return;
      end();
      reject(e);
    };
    const dispatch = (w: Worker): void => {
      if (next >= jobs.length) return;
      const msg: ToBrowserWorker = { type: 'run', job: jobs[next++] };
      w.postMessage(msg);
    };
    stopSignal.listeners.push(() => {
      const msg: ToBrowserWorker = { type: 'stop' };
      for (const w of pool) w.postMessage(msg);
    });
    const n = Math.max(1, Math.min(workers, jobs.length));
    for (let k = 0; k < n; k++) {
      let w: Worker;
      try {
        w = spawnWorker();
      } catch (e) {
        failAll(new WorkerStartError(e instanceof Error ? e.message : String(e)));
        return;
      }
      pool.push(w);
      let ready = false;
      w.onmessage = (e: MessageEvent<FromBrowserWorker>) => {
        const m = e.data;
        if (m.type === 'ready') {
          ready = true;
          // Jobs already stopped still run, briefly: they return at once with what they have (nothing).
          if (stopSignal.stopped) w.postMessage({ type: 'stop' } satisfies ToBrowserWorker);
          dispatch(w);
        } else if (m.type === 'progress') onProgress?.(m.event);
        else if (m.type === 'result') {
          results[jobs.findIndex((j) => j.chain === m.result.chain)] = m.result;
          finished++;
          if (finished === jobs.length) {
            end();
            resolve(results);
          } else dispatch(w);
        } else failAll(deserializeError(m.error)); // with its class, message and fields
      };
      // An `error` event before 'ready' is a script that did not load (missing file, bad MIME type,
      // a CSP); after it, an uncaught error in the worker (the entry catches its own).
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        const what = e.message || `could not load ${new URL('./chainWorker.js', import.meta.url).href}`;
        failAll(ready ? new Error(`chain worker failed: ${what}`) : new WorkerStartError(what));
      };
      w.onmessageerror = () => failAll(new Error('chain worker: a message could not be deserialised'));
      const init: ToBrowserWorker = { type: 'init', source };
      w.postMessage(init);
    }
  });
}

/**
 * A chain runner on module Web Workers (one per chain up to `workers`), with the same progress
 * events as Node's worker threads. `stop()` sends each worker a 'stop' message; a running chain
 * sees it within ~0.1 s (the chain loop lets the worker's event loop turn) and returns its draws
 * so far. Works without cross-origin isolation (no SharedArrayBuffer). When workers cannot start
 * (no `Worker`, or a bundle without the worker file) the chains run in the calling thread after
 * one console warning.
 *
 * @param source - how workers get the log density (a model spec)
 * @param workers - workers to start (at most one per job)
 * @returns a runner
 * @example
 * ```ts
 * declare const spec: unknown; // model.compile().spec
 * const running = webWorkerRunner({ kind: 'spec', spec }, 4).start([]);
 * await running.results; // []
 * ```
 */
export function webWorkerRunner(source: ChainSource, workers: number): ChainRunner {
  return {
    start(jobs, onProgress): RunningChains {
      const stopSignal = { stopped: false, listeners: [] as (() => void)[] };
      let fallback: RunningChains | undefined;
      const results = (async () => {
        if (jobs.length === 0) return [];
        try {
          if (typeof Worker === 'undefined') throw new WorkerStartError('Worker is not defined');
          return await runOnWorkers(source, workers, jobs, onProgress, stopSignal);
        } catch (e) {
          if (!(e instanceof WorkerStartError)) throw e;
          warnFallback(e.message);
          fallback = sequentialRunner(await loadChainSource(source)).start(jobs, onProgress);
          if (stopSignal.stopped) fallback.stop();
          return fallback.results;
        }
      })();
      return {
        results,
        stop() {
          stopSignal.stopped = true;
          for (const l of stopSignal.listeners) l();
          fallback?.stop();
        },
      };
    },
  };
}
