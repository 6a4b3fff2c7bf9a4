// NUTS benchmark on the hierarchical radon models (centered, non-centered): 4 chains × (1000 + 1000), ESS/s.
import { sample, essBulk, elementDraws, shapeSize, type InferenceData } from 'nutmeg';
import { idleWorkerCount } from 'nutmeg/node';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineScript } from './paths.js';
import { baselines } from './grad.js';
import { nsPerGradient } from './gradientTiming.js';

const STAN_NAMES: Record<string, string> = {
  radon_hierarchical_centered: 'radon_hier_centered',
  radon_hierarchical_noncentered: 'radon_hier_noncentered',
};

/** Runs rstan on the same model (BENCH_STAN=1; needs ../shared/baselines/stan and R with rstan), returning its JSON line. */
function stanLine(name: string, seed: number): Record<string, unknown> | undefined {
  if (process.env.BENCH_STAN !== '1') return undefined;
  const script = baselineScript('nuts', 'stan', 'bench.sh');
  if (script === undefined) return undefined;
  const r = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, BENCH_MODELS: STAN_NAMES[name], ANCHOR_SEED: String(seed) } });
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
  if (!line) {
    console.error(`nuts bench: Stan baseline failed: ${r.stderr.slice(-400)}`);
    return undefined;
  }
  return JSON.parse(line) as Record<string, unknown>;
}

/** The parameters the minimum bulk ESS is taken over (as the Stan baseline's HIER_PARS). */
const PARAMS = ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'alpha', 'beta', 'eps'];

const r3 = (x: number): number => Number(x.toFixed(3));

function minEssBulk(idata: InferenceData): number {
  let min = Infinity;
  for (const name of PARAMS) {
    const v = idata.groups.posterior!.vars[name];
    for (let k = 0; k < shapeSize(v.shape); k++) min = Math.min(min, essBulk(elementDraws(v, idata.nChains, idata.nDraws, k)));
  }
  return min;
}

const mean = (xs: readonly number[]): number => xs.reduce((t, x) => t + x, 0) / xs.length;
const geometricMean = (xs: readonly number[]): number => Math.exp(mean(xs.map(Math.log)));

const median = (xs: readonly number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/**
 * Runs both models and prints one JSON line each. Env: BENCH_CHAINS, BENCH_DRAWS, BENCH_TUNE, BENCH_SEED, BENCH_MODELS;
 * BENCH_COLD=1 times the first seed on fresh worker threads (default: an untimed run of seed 0 first);
 * BENCH_SEEDS=1,2,3 runs each seed in turn (nutmeg and Stan alike, Stan's through ANCHOR_SEED) and ends
 * with one line per model of the medians over the seeds: the centered model's min ESS is a funnel's
 * and swings 3× from seed to seed, for both samplers, so one seed's ratio says little;
 * BENCH_CHECKPOINT_EVERY=N checkpoints every N iterations into a temporary folder (the overhead of checkpointing),
 * BENCH_CHECKPOINT_CSV=0 without the CSV files.
 */
export async function run(): Promise<void> {
  const env = (k: string, d: number) => Number(process.env[k] ?? d);
  const chains = env('BENCH_CHAINS', 4);
  const draws = env('BENCH_DRAWS', 1000);
  const tune = env('BENCH_TUNE', 1000);
  const seeds = (process.env.BENCH_SEEDS ?? String(env('BENCH_SEED', 20240611))).split(',').map(Number);
  const data = loadRadon();
  const models = {
    radon_hierarchical_centered: hierarchicalCentered,
    radon_hierarchical_noncentered: hierarchicalNonCentered,
  } as const;
  const which = (process.env.BENCH_MODELS ?? Object.keys(models).join(',')).split(',') as (keyof typeof models)[];
  if (process.env.BENCH_SS_COMPARE === '1') return compareSufficientStatistics(models, which, data, { chains, draws, tune, seed: seeds[0] });
  /** Per model, per seed: nutmeg's min bulk ESS per second (wall, and the chains' compute) and Stan's per second of its compute. */
  const rates: Record<string, { wall: number[]; chains: number[]; stan: number[] }> = {};
  // Each model is compiled once and sampled with every seed (nutpie's compile once, sample many):
  // like Stan's own compute, the figures leave out building the model; kept worker threads reuse it.
  const compiledModels = Object.fromEntries(which.map((name) => [name, models[name](data).compile()]));
  for (const name of which) {
    if (process.env.BENCH_COLD !== '1') {
      // One untimed run first (seed 0, not among the seeds), so that every seed is timed on worker
      // threads that are started, hold the model and run optimised code, as Stan's compute leaves out
      // its process start and compiling. Its line reports that first run; BENCH_COLD=1 times the first
      // seed on fresh threads instead. (Each model's seeds run together: a thread keeps one model.)
      const cold = idleWorkerCount() === 0;
      const idata = await sample(compiledModels[name], { chains, draws, tune, seed: 0, progress: false });
      console.log(JSON.stringify({ model: name, untimed_first_run: true, seed: 0, cold_workers: cold, wall_s: r3(Number(idata.attrs.sampling_time)), min_ess_bulk: Number(minEssBulk(idata).toFixed(1)) }));
    }
    for (const seed of seeds) {
      const rate = (rates[name] ??= { wall: [], chains: [], stan: [] });
      const compiled = compiledModels[name];
      // Worker threads left by an earlier run in this process are reused (as by any later sample()
      // call); the line says so, since a fresh thread costs ~0.1 s more.
      const warmWorkers = idleWorkerCount() > 0;
      const t0 = performance.now();
      const every = process.env.BENCH_CHECKPOINT_EVERY;
      const dir = every !== undefined ? mkdtempSync(join(tmpdir(), 'nutmeg-bench-')) : undefined;
      const idata = await sample(compiled, { chains, draws, tune, seed, progress: false, ...(dir ? { checkpoint: { dir, every: Number(every), csv: process.env.BENCH_CHECKPOINT_CSV !== '0' } } : {}) });
      if (dir) rmSync(dir, { recursive: true, force: true });
      const total = (performance.now() - t0) / 1000;
      // Warm-up and draws across the parallel chains, worker start included (attrs.sampling_time);
      // total_s adds assembling the results and the post-run diagnostics behind the warnings.
      const wall = Number(idata.attrs.sampling_time);
      const ess = minEssBulk(idata);
      console.log(
        JSON.stringify({
          model: name,
          chains,
          draws,
          tune,
          wall_s: Number(wall.toFixed(3)),
          total_s: Number(total.toFixed(3)),
          grad_evals: idata.attrs.grad_evals,
          min_ess_bulk: Number(ess.toFixed(1)),
          ess_bulk_per_s: Number((ess / wall).toFixed(1)),
          divergences: idata.attrs.divergences,
          warm_workers: warmWorkers,
          ...(every !== undefined ? { checkpoint_every: Number(every) } : {}),
        }),
      );
      // Where the time goes: gradient evaluations × this model's gradient cost (timed here, in this
      // thread, after the run) spread over the threads that ran chains; the rest is the sampler's own
      // work (tree building, U-turn checks, adaptation), JIT tier-up and worker start. The limit is the
      // same count of gradients at hand-written C's cost (BENCH_LIMIT=1 or BENCH_STAN=1).
      const threads = Math.min(chains, Number((idata.attrs.settings as { cores?: number } | undefined)?.cores ?? 1));
      // The chains' own warm-up + sampling seconds (as Stan reports them), spread over the threads.
      const chainTimes = idata.attrs.timings as { warmup_s: number; sampling_s: number }[];
      const chainS = chainTimes.reduce((t, c) => t + c.warmup_s + c.sampling_s, 0) / threads;
      const gradNs = nsPerGradient(compiled, { rounds: 100 });
      const gradS = (Number(idata.attrs.grad_evals) * gradNs) / 1e9 / threads;
      const withLimit = process.env.BENCH_LIMIT === '1' || process.env.BENCH_STAN === '1';
      const cNs = withLimit && name === 'radon_hierarchical_centered' ? baselines().c_ns : null;
      const limitS = cNs ? (Number(idata.attrs.grad_evals) * cNs) / 1e9 / threads : null;
      console.log(
        JSON.stringify({
          model: name,
          split: 'where the sampling wall time goes',
          threads,
          gradient_ns: Math.round(gradNs),
          gradient_s: r3(gradS),
          chains_compute_s: r3(chainS),
          sampler_s: r3(chainS - gradS),
          startup_and_collect_s: r3(wall - chainS),
          gradient_share: r3(gradS / wall),
          ...(limitS !== null ? { c_gradient_ns: cNs, limit_wall_s: r3(limitS), limit_ess_bulk_per_s: Number((ess / limitS).toFixed(1)), wall_over_limit: r3(wall / limitS) } : {}),
        }),
      );
      rate.wall.push(ess / wall);
      rate.chains.push(ess / chainS);
      const stan = stanLine(name, seed);
      if (stan) {
        const stanRate = Number(stan.ess_bulk_per_s);
        // Stan's own compute: the chains' reported warm-up + sampling seconds, spread over the cores
        // rstan ran them on (what CmdStan takes, without R's start-up and result handling).
        const stanCompute = (Number(stan.elapsed_warmup_sum_s) + Number(stan.elapsed_sampling_sum_s)) / Math.min(Number(stan.cores), Number(stan.chains));
        const stanComputeRate = Number(stan.min_ess_bulk) / stanCompute;
        console.log(
          JSON.stringify({
            model: name,
            baseline: 'rstan',
            ...stan,
            stan_compute_s: r3(stanCompute),
            stan_compute_ess_bulk_per_s: Number(stanComputeRate.toFixed(1)),
            ratio_ess_bulk_per_s: Number((ess / wall / stanRate).toFixed(2)),
            ratio_vs_stan_compute: Number((ess / wall / stanComputeRate).toFixed(2)),
            ratio_chains_vs_stan_compute: Number((ess / chainS / stanComputeRate).toFixed(2)),
          }),
        );
        rate.stan.push(stanComputeRate);
      }
    }
  }
  if (seeds.length < 2) return;
  for (const [name, r] of Object.entries(rates)) {
    const stan = r.stan.length === seeds.length ? median(r.stan) : null;
    console.log(
      JSON.stringify({
        model: name,
        seeds,
        median_ess_bulk_per_s: Number(median(r.wall).toFixed(1)),
        median_ess_bulk_per_chains_s: Number(median(r.chains).toFixed(1)),
        ...(stan !== null
          ? {
              median_stan_compute_ess_bulk_per_s: Number(stan.toFixed(1)),
              ratio_of_medians_vs_stan_compute: Number((median(r.wall) / stan).toFixed(2)),
              ratio_of_medians_chains_vs_stan_compute: Number((median(r.chains) / stan).toFixed(2)),
              // The funnel's min ESS has long tails on both sides (a chain stuck in the neck), so
              // the means are printed beside the medians: geometric, and of ESS/s itself.
              ratio_of_geometric_means_vs_stan_compute: Number((geometricMean(r.wall) / geometricMean(r.stan)).toFixed(2)),
              ratio_of_means_vs_stan_compute: Number((mean(r.wall) / mean(r.stan)).toFixed(2)),
            }
          : {}),
      }),
    );
  }
}

/**
 * BENCH_SS_COMPARE=1: the chains' compute time with the likelihood from per-group statistics (the
 * default) and with its row loop (`sufficientStatistics: false`), each model run in this thread
 * (`cores: 1`: workers re-compile with the defaults), interleaved on, off, on, off; the min of each.
 */
async function compareSufficientStatistics(
  models: Record<string, (d: ReturnType<typeof loadRadon>) => ReturnType<typeof hierarchicalCentered>>,
  which: readonly string[],
  data: ReturnType<typeof loadRadon>,
  o: { chains: number; draws: number; tune: number; seed: number },
): Promise<void> {
  for (const name of which) {
    const compiled = [models[name](data).compile(), models[name](data).compile({ sufficientStatistics: false })];
    const best = [Infinity, Infinity];
    const evals = [0, 0];
    for (let round = 0; round < 2; round++) {
      for (let v = 0; v < 2; v++) {
        const idata = await sample(compiled[v], { ...o, cores: 1, progress: false });
        const chainTimes = idata.attrs.timings as { warmup_s: number; sampling_s: number }[];
        best[v] = Math.min(best[v], chainTimes.reduce((t, c) => t + c.warmup_s + c.sampling_s, 0));
        evals[v] = Number(idata.attrs.grad_evals);
      }
    }
    console.log(
      JSON.stringify({
        model: name,
        split: 'sufficient statistics on vs off, one thread',
        chains_compute_s: r3(best[0]),
        chains_compute_s_row_loop: r3(best[1]),
        ratio: r3(best[0] / best[1]),
        grad_evals: evals[0],
        grad_evals_row_loop: evals[1],
        // Trajectories differ in the last bits, so the counts differ: the cost per evaluation compares like with like.
        us_per_grad_eval: r3((best[0] / evals[0]) * 1e6),
        us_per_grad_eval_row_loop: r3((best[1] / evals[1]) * 1e6),
      }),
    );
  }
}
