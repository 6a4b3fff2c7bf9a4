// The unpooled ("individual") radon model: one small regression per county, fitted separately, in-process or on two threads.
import { availableParallelism } from 'node:os';
import { fit, sample, type InferenceData, type VariableArray } from 'nutmeg';
import type { RadonData } from './data.js';
import { singleCounty } from './models.js';
import { runWorker } from './threads.js';

/** How every county is fitted. */
export interface CountyFitOptions {
  readonly method: 'nuts' | 'advi' | 'advi+nuts';
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed: number;
}

/** One county's fit: draws of alpha, beta, eps laid out (chain, draw), and sampler counts. */
export interface CountyFit {
  readonly county: number;
  readonly nChains: number;
  readonly nDraws: number;
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  readonly eps: Float64Array;
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
  /** Threads used. */
  readonly threads: number;
}

/** A county's seed: derived from the run's seed and the county index only, so threads never change draws. */
export function countySeed(seed: number, county: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + 7919 * (county + 1)) >>> 0;
}

/** Row indices of each county's homes. */
export function countyRows(d: RadonData): number[][] {
  const rows: number[][] = d.counties.map(() => []);
  d.county.forEach((c, i) => rows[c].push(i));
  return rows;
}

/**
 * Fits the single-county model to one county: the model is compiled once and its chains run in
 * this thread (`cores: 1`): the fits are tiny, so starting workers would cost more than sampling.
 */
export async function fitCounty(d: RadonData, rows: readonly number[], county: number, o: CountyFitOptions): Promise<CountyFit> {
  const floor = Float64Array.from(rows, (i) => d.floor[i]);
  const y = Float64Array.from(rows, (i) => d.logRadon[i]);
  const model = singleCounty(floor, y).compile();
  const seed = countySeed(o.seed, county);
  let idata: InferenceData;
  let divergences = 0;
  let gradEvals = 0;
  let warnings: string[] = [];
  if (o.method === 'advi') {
    const approx = fit(model, { method: 'advi', seed });
    idata = approx.sample(o.chains * o.draws, { seed, lp: false });
    gradEvals = approx.iterations;
    warnings = [...approx.warnings];
  } else {
    idata = await sample(model, {
      chains: o.chains,
      draws: o.draws,
      tune: o.tune,
      seed,
      cores: 1,
      progress: false,
      // R-hat and ESS of every county's parameters are computed once, on the combined draws
      // (summary.json and the report); per fit they would cost more than some fits' sampling.
      computeConvergenceChecks: false,
      ...(o.method === 'advi+nuts' ? { init: 'advi' as const } : {}),
    });
    divergences = Number(idata.attrs.divergences ?? 0);
    gradEvals = Number(idata.attrs.grad_evals ?? 0);
    warnings = Array.isArray(idata.attrs.warnings) ? (idata.attrs.warnings as unknown[]).map(String) : [];
  }
  const post = idata.groups.posterior!.vars;
  return {
    county,
    nChains: idata.nChains,
    nDraws: idata.nDraws,
    alpha: post.alpha.values,
    beta: post.beta.values,
    eps: post.eps.values,
    divergences,
    gradEvals,
    warnings,
  };
}

/** Fits a list of counties one after another, reporting each one done. */
export async function fitCounties(
  d: RadonData,
  counties: readonly number[],
  o: CountyFitOptions,
  onDone?: (county: number) => void,
): Promise<CountyFit[]> {
  const rows = countyRows(d);
  const out: CountyFit[] = [];
  for (const c of counties) {
    out.push(await fitCounty(d, rows[c], c, o));
    onDone?.(c);
  }
  return out;
}

/** Messages of the unpooled worker. */
export type WorkerMessage = { type: 'done'; county: number } | { type: 'result'; fits: CountyFit[] } | { type: 'error'; message: string };

/** Input of the unpooled worker. */
export interface WorkerInput {
  readonly csv: string;
  readonly counties: number[];
  readonly options: CountyFitOptions;
}

async function fitInWorker(input: WorkerInput, onDone?: (county: number) => void): Promise<CountyFit[]> {
  const r = await runWorker<{ type: 'result'; fits: CountyFit[] }>('unpooledWorker', input, (m) => {
    if ((m as WorkerMessage).type === 'done') onDone?.((m as { county: number }).county);
  });
  return r.fits;
}

/**
 * Splits counties into `k` groups of about equal cost (homes per county + a fixed per-fit cost),
 * greedily, largest first.
 */
export function balance(rows: readonly (readonly number[])[], k: number): number[][] {
  const groups: number[][] = Array.from({ length: k }, () => []);
  const load = new Float64Array(k);
  const order = rows.map((r, c) => c).sort((a, b) => rows[b].length - rows[a].length);
  for (const c of order) {
    let best = 0;
    for (let g = 1; g < k; g++) if (load[g] < load[best]) best = g;
    groups[best].push(c);
    load[best] += 20 + rows[c].length;
  }
  for (const g of groups) g.sort((a, b) => a - b);
  return groups.filter((g) => g.length > 0);
}

/** Stacks per-county draws into one InferenceData (alpha, beta, eps with dim `county`). */
export function combine(d: RadonData, fits: readonly CountyFit[]): InferenceData {
  const K = d.counties.length;
  const byCounty = new Array<CountyFit>(K);
  for (const f of fits) byCounty[f.county] = f;
  const nChains = fits[0].nChains;
  const nDraws = Math.min(...fits.map((f) => f.nDraws));
  const vars: Record<string, VariableArray> = {};
  for (const name of ['alpha', 'beta', 'eps'] as const) {
    const values = new Float64Array(nChains * nDraws * K);
    for (let c = 0; c < K; c++) {
      const f = byCounty[c];
      const src = f[name];
      for (let ch = 0; ch < nChains; ch++) {
        for (let i = 0; i < nDraws; i++) values[(ch * nDraws + i) * K + c] = src[ch * f.nDraws + i];
      }
    }
    vars[name] = { dims: ['county'], shape: [K], values };
  }
  return {
    nChains,
    nDraws,
    groups: {
      posterior: { vars, attrs: { inference_library: 'nutmeg', model: 'unpooled: one regression per county' } },
      observed_data: { vars: { log_radon: { dims: ['obs'], shape: [d.logRadon.length], values: d.logRadon } }, attrs: {} },
    },
    coords: { county: d.counties },
    attrs: {},
  };
}

/**
 * Fits the unpooled model: each county's regression separately, on `threads` worker threads
 * (default: 2 when the machine has 2 or more cores, counties balanced by size) or in this thread
 * (`threads: 1`). Each county's draws depend only on the run's seed and the county, never on the
 * threads.
 *
 * @param d - the radon data
 * @param csv - path of the CSV the workers read
 * @param o - method, chains, draws, tune, seed
 * @param options - threads, and a callback per finished county
 * @returns the fits combined
 */
export async function fitUnpooled(
  d: RadonData,
  csv: string,
  o: CountyFitOptions,
  options: { threads?: number; onDone?: (county: number) => void } = {},
): Promise<UnpooledFit> {
  const t0 = performance.now();
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(2, availableParallelism()), d.counties.length));
  const all = d.counties.map((_, c) => c);
  let fits: CountyFit[];
  if (threads === 1) {
    fits = await fitCounties(d, all, o, options.onDone);
  } else {
    const groups = balance(countyRows(d), threads);
    const parts = await Promise.all(groups.map((counties) => fitInWorker({ csv, counties, options: o }, options.onDone)));
    fits = parts.flat();
  }
  fits.sort((a, b) => a.county - b.county);
  const seconds = (performance.now() - t0) / 1000;
  return {
    idata: combine(d, fits),
    fits,
    divergences: fits.reduce((s, f) => s + f.divergences, 0),
    gradEvals: fits.reduce((s, f) => s + f.gradEvals, 0),
    seconds,
    threads,
  };
}
