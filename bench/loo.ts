// Benchmark: PSIS-LOO of a radon-sized log-likelihood (919 observations, 4 chains × 1000 draws), PSIS of one observation and the generalized Pareto fit of one tail; one JSON line each.
import { loo, psis, Rng } from 'nutmeg';
import { gpdFit } from 'nutmeg/kernels';

const r3 = (x: number): number => Number(x.toFixed(3));

/**
 * The log-likelihood of a normal model of n observations under AR(1) posterior draws (φ = 0.5)
 * of each observation's mean and a shared log sd, as [chain][draw][obs]: the shape and spread of
 * the radon models' log_likelihood.
 */
function makeLogLik(nChains: number, nDraws: number, n: number, seed = 2026): number[][][] {
  const rng = new Rng(seed);
  const y = Array.from({ length: n }, () => rng.normal());
  const out: number[][][] = [];
  for (let c = 0; c < nChains; c++) {
    const mu = new Float64Array(n);
    let logSd = 0;
    const chain: number[][] = [];
    for (let d = 0; d < nDraws; d++) {
      logSd = 0.5 * logSd + 0.05 * rng.normal();
      const sd = Math.exp(logSd - 0.2);
      const row = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        mu[i] = 0.5 * mu[i] + 0.15 * rng.normal();
        const z = (y[i] - mu[i]) / sd;
        row[i] = -0.5 * z * z - Math.log(sd) - 0.9189385332046727;
      }
      chain.push(row);
    }
    out.push(chain);
  }
  return out;
}

/** Best and median CPU time (ms) of `reps` runs of f, after one warm-up run. */
function cpuTime(f: () => void, reps: number): { best: number; median: number } {
  f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return { best: t[0], median: t[reps >> 1] };
}

/**
 * Prints: `loo` (loo() with saveLogWeights, as the radon run calls it: ms per call and µs per
 * observation), `psis` (µs per observation, r_eff = 1), `gpd_fit` (the Zhang–Stephens fit of one
 * tail of 190: µs per fit and per log1p term of its 44 sums). CPU times, best of BENCH_REPS
 * (default 5).
 */
export async function run(): Promise<void> {
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const nObs = 919;
  const ll = makeLogLik(4, 1000, nObs);
  const S = 4000;
  const l = cpuTime(() => loo(ll, { saveLogWeights: true }), reps);
  console.log(JSON.stringify({ bench: 'loo', observations: nObs, draws: S, ms_best: r3(l.best), ms_median: r3(l.median), us_per_observation: r3((l.best * 1000) / nObs) }));

  const ratios = Array.from({ length: 100 }, (_, i) => Float64Array.from({ length: S }, (_, s) => -ll[s % 4][Math.floor(s / 4)][i]));
  const p = cpuTime(() => {
    for (const r of ratios) psis(r);
  }, reps);
  console.log(JSON.stringify({ bench: 'psis', draws: S, us_per_call_best: r3((p.best * 1000) / ratios.length) }));

  const M = 190;
  const x = Float64Array.from({ length: M }, (_, i) => -Math.log(1 - (i + 0.5) / M));
  const loops = 200;
  const fit = cpuTime(() => {
    for (let k = 0; k < loops; k++) gpdFit(x);
  }, reps);
  const terms = (30 + Math.floor(Math.sqrt(M)) + 1) * M; // the grid's log1p sums and the final one
  console.log(JSON.stringify({ bench: 'gpd_fit', tail: M, us_per_fit: r3((fit.best * 1000) / loops), ns_per_log1p_term: r3((fit.best * 1e6) / (loops * terms)) }));
}
