// mapFits(): many independent small fits (one model per group, per data set, per simulation), each seeded from Rng.split.
import { Rng } from '../core/rng.js';
import { OptionError } from '../core/errors.js';
import { integerOption, seedOption, SEED_LIMIT } from '../core/optionChecks.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import type { FitJob, FitTask } from './fitJob.js';
import { inThreadExecutor, type FitExecutor, type FitTaskResult } from './fitExecutor.js';
import { FitError } from './fitError.js';

/** A progress event of {@link mapFits}: one more fit finished. */
export interface FitsProgress {
  /** Fits finished so far (failed ones included). */
  readonly done: number;
  readonly total: number;
  /** The fit that just finished. */
  readonly index: number;
  readonly name: string;
  /** Whether it succeeded. */
  readonly ok: boolean;
}

/** Options of {@link mapFits}. */
export interface MapFitsOptions {
  /** The run's seed; job `i` gets `fitSeed(seed, i)`. Default: from the clock. */
  readonly seed?: number;
  /** Where the fits run (default {@link inThreadExecutor}; in Node, `workerFitExecutor()` from `nutmeg/node` uses worker threads). */
  readonly executor?: FitExecutor;
  /** Called each time a fit finishes. */
  readonly onProgress?: (e: FitsProgress) => void;
  /** Stops starting new fits when aborted (running NUTS fits in this thread stop early too); the fits not run get errors. */
  readonly signal?: AbortSignal;
}

/** The outcome of one job: its InferenceData, or the {@link FitError} that names it. */
export type FitOutcome =
  | { readonly ok: true; readonly index: number; readonly name: string; readonly seed: number; readonly idata: InferenceData }
  | { readonly ok: false; readonly index: number; readonly name: string; readonly seed: number; readonly error: FitError };

/**
 * The seed of job `index` of a run seeded with `seed`: the first 32 bits of the stream
 * `new Rng(seed).split(index)`, so each job's draws depend only on the run's seed and the job's
 * position, never on which thread or machine ran it, or when. 32 bits because seeds are integers
 * in [0, 2^32) (`SEED_LIMIT`): `Rng` folds higher bits into the same 32-bit word, so 53-bit seeds
 * gave no more distinct streams, and `sample`/`fit` refuse them.
 *
 * @param seed - the run's seed
 * @param index - the job's position
 * @returns an integer in [0, 2^32)
 */
export function fitSeed(seed: number, index: number): number {
  seedOption(seed);
  integerOption('index', index, 0);
  return new Rng(seed).split(index).nextUint32();
}

/**
 * Runs many independent fits, PyMC's "one small model per group" loop made parallel and
 * reproducible: each job is plain data (a model's `spec` and NUTS or ADVI settings), gets its own
 * seed from `Rng.split` of the run's seed by its index ({@link fitSeed}), and runs on an
 * executor: in this thread by default, on worker threads with `workerFitExecutor()` from
 * `nutmeg/node`, or anywhere a {@link FitExecutor} sends it. The draws are bit-identical whichever
 * executor and however many threads run them. A job that fails gets a {@link FitError} naming it
 * while the others finish.
 *
 * @param jobs - the fits, as plain data ({@link FitJob})
 * @param options - seed, executor, progress callback, abort signal
 * @returns one outcome per job, in job order
 * @throws OptionError when the jobs are not an array or the seed is not an integer in [0, 2^32); whatever
 *   the executor throws when it breaks (a failing job does not throw)
 * @example
 * ```ts
 * import { HalfNormal, Model, Normal, mapFits, stackFits } from 'nutmeg';
 * import { workerFitExecutor } from 'nutmeg/node';
 *
 * // One regression per group, each group's data in its own model.
 * const groups = [
 *   { name: 'north', x: [0, 1, 2, 3], y: [0.1, 0.9, 2.2, 2.8] },
 *   { name: 'south', x: [0, 1, 2], y: [1.0, 1.4, 2.1] },
 * ];
 * const jobs = groups.map((g) => {
 *   const m = new Model();
 *   const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
 *   const b = m.rv('b', Normal({ mu: 0, sigma: 1 }));
 *   const s = m.rv('s', HalfNormal({ sigma: 1 }));
 *   m.rv('y', Normal({ mu: a.add(b.mul(m.data('x', g.x))), sigma: s }), { observed: g.y });
 *   return { name: g.name, model: m.spec, options: { draws: 500, tune: 500, chains: 2 } };
 * });
 * const outcomes = await mapFits(jobs, {
 *   seed: 1,
 *   executor: workerFitExecutor(), // optional: the default runs the fits in this thread
 *   onProgress: (e) => console.log(`${e.done}/${e.total} ${e.name}`),
 * });
 * const failed = outcomes.filter((o) => !o.ok);
 * const all = stackFits(outcomes.flatMap((o) => (o.ok ? [o.idata] : [])), { dim: 'group', coords: groups.map((g) => g.name) });
 * ```
 */
export async function mapFits(jobs: readonly FitJob[], options: MapFitsOptions = {}): Promise<FitOutcome[]> {
  if (!Array.isArray(jobs)) throw new OptionError('jobs', 'must be an array of fit jobs');
  const seed = options.seed === undefined ? Date.now() % SEED_LIMIT : seedOption(options.seed);
  const tasks: FitTask[] = jobs.map((job, index) => ({ index, name: job.name ?? `job ${index}`, seed: fitSeed(seed, index), job }));
  const outcomes: (FitOutcome | undefined)[] = new Array(tasks.length);
  let done = 0;
  const onResult = (r: FitTaskResult): void => {
    const task = tasks[r.index];
    if (!task || outcomes[r.index]) return; // an unknown or repeated report (a retrying queue, say) is ignored
    const base = { index: task.index, name: task.name, seed: task.seed };
    const outcome: FitOutcome = 'idata' in r ? { ok: true, ...base, idata: r.idata } : { ok: false, ...base, error: new FitError(task.index, task.name, r.error) };
    outcomes[r.index] = outcome;
    done++;
    options.onProgress?.({ done, total: tasks.length, index: task.index, name: task.name, ok: outcome.ok });
  };
  const executor = options.executor ?? inThreadExecutor();
  await executor.run(tasks, { onResult, ...(options.signal ? { signal: options.signal } : {}) });
  return outcomes.map(
    (o, i) => o ?? { ok: false, index: i, name: tasks[i].name, seed: tasks[i].seed, error: new FitError(i, tasks[i].name, new Error('the executor reported no result')) },
  );
}
