// Parallel chains in module Web Workers: one worker per chain up to the core count, each re-compiling the model from its spec; the calling thread when workers cannot start.
import { deserializeError } from '../../core/errorTransfer.js';
import type { ChainJob, ChainResult } from '../../inference/chain/chain.js';
import type { ChainProgress } from '../../inference/chain/progress.js';
import type { ChainSource } from '../../workflow/chainSource.js';
import { loadChainSource } from '../../workflow/chainSource.js';
import { chainErrorFailure, failedChainResult, sequentialRunner, timeoutFailure, type ChainRunner, type RunOptions, type RunningChains } from '../../workflow/runner.js';
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
 * them. A chain that fails (its code throws, its worker dies, or it runs past
 * `options.chainTimeoutSeconds`, when its worker is terminated) ends as a failed result and the
 * others go on (a dead or terminated worker is replaced while jobs remain), as on Node's worker
 * threads. Rejects with a {@link WorkerStartError} when a worker fails to load before it is ready,
 * and with the worker's error when the model cannot be built.
 */
function runOnWorkers(
  source: ChainSource,
  workers: number,
  jobs: readonly ChainJob[],
  onProgress: ((e: ChainProgress) => void) | undefined,
  stopSignal: { stopped: boolean; listeners: (() => void)[] },
  options: RunOptions,
): Promise<ChainResult[]> {
  return new Promise<ChainResult[]>((resolve, reject) => {
    const live = new Set<Worker>();
    const results: ChainResult[] = new Array(jobs.length);
    const timeoutSeconds = options.chainTimeoutSeconds;
    let next = 0;
    let finished = 0;
    let settled = false;
    const end = (): void => {
      settled = true;
      for (const w of live) w.terminate();
      live.clear();
    };
    const failAll = (e: Error): void => {
      if (settled) return;
      end();
      reject(e);
    };
    /** Records job `index`'s result; true when that was the last one (the run is resolved). */
    const record = (index: number, result: ChainResult): boolean => {
      results[index] = result;
      if (++finished < jobs.length) return false;
      end();
      resolve(results);
      return true;
    };
    stopSignal.listeners.push(() => {
      for (const w of live) w.postMessage({ type: 'stop' } satisfies ToBrowserWorker);
    });

    const startWorker = (): void => {
      let w: Worker;
      try {
        w = spawnWorker();
      } catch (e) {
        failAll(new WorkerStartError(e instanceof Error ? e.message : String(e)));
        return;
      }
      live.add(w);
      let ready = false;
      let current: number | undefined; // the index of the job this worker runs
      let timer: ReturnType<typeof setTimeout> | undefined;
      const retire = (): void => {
        clearTimeout(timer);
        live.delete(w);
        w.terminate();
      };
      /** Ends the current chain with `result` and gives the worker the next job (or retires it). */
      const complete = (result: (job: ChainJob) => ChainResult, replaceWorker: boolean): void => {
        clearTimeout(timer);
        const index = current;
        current = undefined;
        if (index === undefined || record(index, result(jobs[index]))) return;
        if (!replaceWorker) dispatch();
        else if (next < jobs.length) startWorker();
      };
      const dispatch = (): void => {
        if (next >= jobs.length) {
          retire(); // nothing left for it: free its memory now
          return;
        }
        current = next++;
        w.postMessage({ type: 'run', job: jobs[current] } satisfies ToBrowserWorker);
        if (timeoutSeconds !== undefined) {
          timer = setTimeout(() => {
            // A chain past its limit (a density that never returns, say): only ending its worker stops it.
            retire();
            complete((job) => failedChainResult(job, timeoutFailure(job.chain, timeoutSeconds)), true);
          }, timeoutSeconds * 1000);
        }
      };
      w.onmessage = (e: MessageEvent<FromBrowserWorker>) => {
        if (settled) return;
        const m = e.data;
        if (m.type === 'ready') {
          ready = true;
          // Jobs already stopped still run, briefly: they return at once with what they have (nothing).
          if (stopSignal.stopped) w.postMessage({ type: 'stop' } satisfies ToBrowserWorker);
          dispatch();
        } else if (m.type === 'progress') onProgress?.(m.event);
        else if (m.type === 'result') complete(() => m.result, false);
        // Before any chain ran, the model could not be built: every chain would fail the same way.
        else if (current === undefined) failAll(deserializeError(m.error)); // with its class, message and fields
        else complete((job) => failedChainResult(job, chainErrorFailure(job.chain, deserializeError(m.error))), false);
      };
      // An `error` event before 'ready' is a script that did not load (missing file, bad MIME type,
      // a CSP); after it, an uncaught error in the worker (the entry catches its own): the worker is
      // replaced and its chain fails.
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        if (settled) return;
        const what = e.message || `could not load ${new URL('./chainWorker.js', import.meta.url).href}`;
        if (!ready) {
          failAll(new WorkerStartError(what));
          return;
        }
        retire();
        if (current === undefined) {
          if (next < jobs.length) startWorker();
          return;
        }
        complete((job) => failedChainResult(job, { chain: job.chain, cause: 'error', message: `chain ${job.chain} failed: its Web Worker failed: ${what}`, error: new Error(what) }), true);
      };
      w.onmessageerror = () => failAll(new Error('chain worker: a message could not be deserialised'));
      w.postMessage({ type: 'init', source } satisfies ToBrowserWorker);
    };
    const n = Math.max(1, Math.min(workers, jobs.length));
    for (let k = 0; k < n && !settled; k++) startWorker();
  });
}

/**
 * A chain runner on module Web Workers (one per chain up to `workers`), with the same progress
 * events as Node's worker threads. `stop()` sends each worker a 'stop' message; a running chain
 * sees it within ~0.1 s (the chain loop lets the worker's event loop turn) and returns its draws
 * so far. Works without cross-origin isolation (no SharedArrayBuffer). A chain whose worker fails
 * or runs past `chainTimeoutSeconds` (its worker terminated) fails alone: the other chains are
 * returned (see `sample`'s `attrs.failed_chains`). When workers cannot start
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
    start(jobs, onProgress, options = {}): RunningChains {
      const stopSignal = { stopped: false, listeners: [] as (() => void)[] };
      let fallback: RunningChains | undefined;
      const results = (async () => {
        if (jobs.length === 0) return [];
        try {
          if (typeof Worker === 'undefined') throw new WorkerStartError('Worker is not defined');
          return await runOnWorkers(source, workers, jobs, onProgress, stopSignal, options);
        } catch (e) {
          if (!(e instanceof WorkerStartError)) throw e;
          warnFallback(e.message);
          fallback = sequentialRunner(await loadChainSource(source)).start(jobs, onProgress, options);
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
