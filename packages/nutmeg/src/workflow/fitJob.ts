// One fit of many as plain data (a model spec and settings), and how any executor runs it: compile, then NUTS or ADVI.
import { objectArgument } from '../core/argumentChecks.js';
import type { ModelSpec } from '../graph/graph.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import type { AdviOptions } from '../inference/vi/settings.js';
import { compileModelSpec } from '../compiler/compile.js';
import { sample, type SampleOptions } from './sample.js';
import { fit } from './fit.js';

/** NUTS settings of a fit job: {@link SampleOptions} without the seed and the environment (plain data only). */
export type NutsJobOptions = Pick<
  SampleOptions,
  'draws' | 'tune' | 'chains' | 'targetAccept' | 'maxTreeDepth' | 'metric' | 'init' | 'divergenceThreshold' | 'computeConvergenceChecks'
>;

/** ADVI settings of a fit job: {@link AdviOptions} without the seed and callbacks, and the draws to take from the approximation. */
export interface AdviJobOptions extends Omit<AdviOptions, 'seed' | 'progress' | 'method'> {
  /** Draws from the fitted approximation, returned as one chain (default 1000). */
  readonly draws?: number;
  /** Keep the log density of each draw in `sample_stats.lp` (default true). */
  readonly lp?: boolean;
}

/**
 * One fit of {@link mapFits}: a model as plain data and how to fit it. Everything in a job can be
 * structured-cloned (and serialised), so any executor (this thread, worker threads, a job queue)
 * can run it.
 */
export type FitJob =
  | {
      /** Label in progress events and errors (default `job <index>`). */
      readonly name?: string;
      /** The model as plain data: a `Model`'s `spec` (no compilation needed; a `CompiledModel`'s `spec` is the same data). */
      readonly model: ModelSpec;
      /** NUTS (default). */
      readonly method?: 'nuts';
      readonly options?: NutsJobOptions;
    }
  | {
      readonly name?: string;
      readonly model: ModelSpec;
      /** Mean-field or full-rank ADVI, then draws from the approximation. */
      readonly method: 'advi' | 'fullrank_advi';
      readonly options?: AdviJobOptions;
    };

/** What an executor receives: a job with its place in the run, its label and its derived seed. */
export interface FitTask {
  /** Position of the job in the list given to {@link mapFits}. */
  readonly index: number;
  readonly name: string;
  /** The job's own seed (derived from the run's seed and `index` by {@link fitSeed}). */
  readonly seed: number;
  readonly job: FitJob;
}

/**
 * Runs one fit task to completion in the calling thread: compiles the job's model spec, then
 * samples it with NUTS (chains one after another, no progress display, no platform adapters) or
 * fits ADVI and draws from the approximation. Every executor runs tasks through this function, so
 * a task gives the same draws wherever it runs.
 *
 * @param task - the job, its index, name and seed
 * @param signal - stops NUTS early when aborted (the draws so far are returned, `attrs.incomplete`)
 * @returns the fit's InferenceData (as {@link sample} or `Approximation.sample` return it)
 * @throws whatever compiling or fitting throws (ModelError, OptionError, AdviError, …)
 */
export async function runFitTask(task: FitTask, signal?: AbortSignal): Promise<InferenceData> {
  objectArgument(task, 'task', 'runFitTask', "{ index: 0, name: 'county 1', seed: 1, job: { model: m.spec } }");
  objectArgument(task.job, 'task.job', 'runFitTask', '{ model: m.spec, options: { draws: 1000 } }');
  const model = compileModelSpec(task.job.model);
  const job = task.job;
  if (job.method === 'advi' || job.method === 'fullrank_advi') {
    const { draws, lp, ...adviOptions } = job.options ?? {};
    const approx = fit(model, { ...adviOptions, method: job.method, seed: task.seed });
    return approx.sample(draws ?? 1000, { seed: task.seed, ...(lp !== undefined ? { lp } : {}) });
  }
  return sample(model, {
    ...job.options,
    seed: task.seed,
    cores: 1,
    progress: false,
    // No environment adapters: no workers inside a fit, no Ctrl-C handler, nothing printed.
    platform: {},
    ...(signal ? { signal } : {}),
  });
}
