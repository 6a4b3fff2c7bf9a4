// Benchmark: summary() of 4 chains × 1000 draws × 200 parameters, and the after-sampling convergence checks of a 3-parameter fit (4 × 1000), on AR(1) draws; one JSON line each.
import { Rng, samplingWarnings, summary, type InferenceData } from 'nutmeg';

/** Builds the benchmark's InferenceData: one vector parameter of nParams elements, AR(1) chains with φ = 0.5. */
function makeData(nChains: number, nDraws: number, nParams: number, seed = 2024): InferenceData {
  const rng = new Rng(seed);
  const values = new Float64Array(nChains * nDraws * nParams);
  for (let c = 0; c < nChains; c++) {
    const prev = new Float64Array(nParams);
    for (let d = 0; d < nDraws; d++) {
      for (let p = 0; p < nParams; p++) {
        prev[p] = 0.5 * prev[p] + rng.normal();
        values[(c * nDraws + d) * nParams + p] = prev[p] + p;
      }
    }
  }
  return {
    nChains,
    nDraws,
    groups: { posterior: { vars: { theta: { dims: ['theta_dim_0'], shape: [nParams], values } }, attrs: {} } },
    coords: {},
    attrs: {},
  };
}

/** Best and median wall time (ms) and best CPU time of `reps` runs of f, after one warm-up run. */
function time(f: () => void, reps: number): { best: number; median: number; cpuBest: number } {
  f(); // warm-up (JIT)
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { best: times[0], median: times[reps >> 1], cpuBest: cpu[0] };
}

/**
 * Times summary() of 4 × 1000 × 200 (best and median of 5 after one warm-up run; wall and CPU
 * time), then the convergence checks that follow every sample() call (samplingWarnings: R-hat and
 * bulk/tail ESS of every element) on 20 separate fits of 3 parameters × 4 × 1000, as the radon
 * case study's per-county fits run them (best and median of 5 rounds, per fit). Prints one JSON
 * line per case.
 */
export async function run(): Promise<void> {
  const [nChains, nDraws, nParams] = [4, 1000, 200];
  const idata = makeData(nChains, nDraws, nParams);
  let rows = 0;
  const t = time(() => {
    rows = summary(idata).length;
  }, 5);
  console.log(
    JSON.stringify({
      bench: 'summary',
      chains: nChains,
      draws: nDraws,
      params: nParams,
      rows,
      best_ms: Number(t.best.toFixed(1)),
      median_ms: Number(t.median.toFixed(1)),
      // CPU time of this process: a steadier figure than wall time on a shared machine.
      cpu_best_ms: Number(t.cpuBest.toFixed(1)),
    }),
  );

  const nFits = 20;
  const fits = Array.from({ length: nFits }, (_, i) => makeData(nChains, nDraws, 3, 100 + i));
  const opts = { targetAccept: 0.8, maxTreeDepth: 10 };
  const w = time(() => {
    for (const f of fits) samplingWarnings(f, opts);
  }, 5);
  console.log(
    JSON.stringify({
      bench: 'convergence-checks',
      chains: nChains,
      draws: nDraws,
      params: 3,
      fits: nFits,
      best_ms_per_fit: Number((w.best / nFits).toFixed(3)),
      median_ms_per_fit: Number((w.median / nFits).toFixed(3)),
      cpu_best_ms_per_fit: Number((w.cpuBest / nFits).toFixed(3)),
    }),
  );
}
