// The unpooled ("individual") radon model: one small regression per county, the 85 fits run by nutmeg's mapFits.
import { mapFits, stackFits, type FitExecutor, type FitJob, type FitOutcome, type InferenceData } from 'nutmeg';
import { coreCount, workerFitExecutor } from 'nutmeg/node';
import type { RadonData } from './data.js';
import { singleCounty } from './models.js';
import { Interrupted } from '../interrupt.js';

/** How every county is fitted. */
export interface CountyFitOptions {
  readonly method: 'nuts' | 'advi' | 'advi+nuts';
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  /** The run's seed; county k's fit is seeded by mapFits from it and k (Rng.split). */
  readonly seed: number;
}

/** One county's fit: its sampler counts (its draws are in the combined InferenceData). */
export interface CountyFit {
  readonly county: number;
  readonly divergences: number;
  readonly gradEvals: number;
  /** The sampler's warnings (attrs.warnings: divergences and tree depth; convergence is checked on the combined draws), as text. */
  readonly warnings: string[];
}

/** The unpooled fits combined, with their cost. */
export interface UnpooledFit {
  /** alpha, beta, eps with dim `county` (85 elements each), as one InferenceData. */
  readonly idata: InferenceData;
  readonly fits: readonly CountyFit[];
  readonly divergences: number;
  readonly gradEvals: number;
  /** Wall time of all fits, s. */
  readonly seconds: number;
  /** Threads used (1 when another executor, such as a job queue, ran the fits). */
  readonly threads: number;
  /** Where the fits ran: `2 threads`, `this thread`, or the executor's description (`the queue nutmeg-fits`). */
  readonly where: string;
}

/** Row indices of each county's homes. */
export function countyRows(d: RadonData): number[][] {
  const rows: number[][] = d.counties.map(() => []);
  d.county.forEach((c, i) => rows[c].push(i));
  return rows;
}

/**
 * The fit job of every county: the single-county model of its homes (as plain data) and the
 * run's method. NUTS skips the per-fit convergence checks: R-hat and ESS of every county's
 * parameters are computed once, on the combined draws (summary.json and the report); per fit they
 * would cost more than some fits' sampling.
 */
export function countyJobs(d: RadonData, o: CountyFitOptions): FitJob[] {
  return countyRows(d).map((rows, county) => {
    const floor = Float64Array.from(rows, (i) => d.floor[i]);
    const y = Float64Array.from(rows, (i) => d.logRadon[i]);
    const model = singleCounty(floor, y).spec;
    const name = d.counties[county];
    if (o.method === 'advi') return { name, model, method: 'advi', options: { draws: o.chains * o.draws, lp: false } };
    const init = o.method === 'advi+nuts' ? { init: 'advi' as const } : {};
    return { name, model, options: { chains: o.chains, draws: o.draws, tune: o.tune, computeConvergenceChecks: false, ...init } };
  });
}

function countyFit(o: FitOutcome & { ok: true }): CountyFit {
  const a = o.idata.attrs;
  return {
    county: o.index,
    divergences: Number(a.divergences ?? 0),
    // NUTS counts gradient evaluations; ADVI reports its iterations.
    gradEvals: Number(a.grad_evals ?? a.iterations ?? 0),
    warnings: Array.isArray(a.warnings) ? (a.warnings as unknown[]).map(String) : [],
  };
}

/**
 * Fits the unpooled model: each county's regression separately, through `mapFits` on `threads`
 * worker threads (default: 2 when the machine has 2 or more cores), in this thread (`threads: 1`),
 * or on another executor (`executor`, e.g. a BullMQ queue from `@nutmeg/queue`). Each county's draws depend only on the run's seed and the county, never on the
 * threads.
 *
 * @param d - the radon data
 * @param o - method, chains, draws, tune, seed
 * @param options - threads, another executor, a callback per finished county, and an abort signal (Ctrl-C: no new county starts)
 * @returns the fits combined
 * @throws the first county's FitError when a county cannot be fitted; Interrupted (saying how many counties were fitted) when `signal` aborted the run
 */
export async function fitUnpooled(
  d: RadonData,
  o: CountyFitOptions,
  options: { threads?: number; executor?: { executor: FitExecutor; where: string }; onDone?: (county: number) => void; signal?: AbortSignal } = {},
): Promise<UnpooledFit> {
  const t0 = performance.now();
  const threads = options.executor ? 1 : Math.max(1, Math.min(options.threads ?? Math.min(2, coreCount()), d.counties.length));
  const executor = options.executor?.executor ?? (threads > 1 ? workerFitExecutor({ threads }) : undefined);
  const outcomes = await mapFits(countyJobs(d, o), {
    seed: o.seed,
    ...(executor ? { executor } : {}),
    ...(options.onDone ? { onProgress: (e: { index: number }) => options.onDone?.(e.index) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.signal?.aborted) {
    const complete = outcomes.filter((r) => r.ok && r.idata.attrs.incomplete !== true).length;
    if (complete < outcomes.length) throw new Interrupted(`${complete} of ${outcomes.length} counties fitted`);
  }
  const ok = outcomes.map((r) => {
    if (!r.ok) throw r.error;
    return r;
  });
  const fits = ok.map(countyFit);
  const idata = stackFits(
    ok.map((r) => r.idata),
    { dim: 'county', coords: d.counties, attrs: { inference_library: 'nutmeg', model: 'unpooled: one regression per county', seed: o.seed } },
  );
  return {
    idata,
    fits,
    divergences: fits.reduce((s, f) => s + f.divergences, 0),
    gradEvals: fits.reduce((s, f) => s + f.gradEvals, 0),
    seconds: (performance.now() - t0) / 1000,
    threads,
    where: options.executor?.where ?? (threads > 1 ? `${threads} threads` : 'this thread'),
  };
}
