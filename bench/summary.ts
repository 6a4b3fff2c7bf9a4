// Benchmark: summary() of 4 chains × 1000 draws × 200 parameters (AR(1) draws), printed as one JSON line.
import { Rng } from '../src/core/rng.js';
import { summary } from '../src/posterior/summary.js';
import type { InferenceData } from '../src/posterior/inferenceData.js';

/** Builds the benchmark's InferenceData: one vector parameter of 200 elements, AR(1) chains with φ = 0.5. */
function makeData(nChains: number, nDraws: number, nParams: number): InferenceData {
  const rng = new Rng(2024);
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

/** Times summary() (best and median of 5 after one warm-up run; wall and CPU time) and prints one JSON line. */
export async function run(): Promise<void> {
  const [nChains, nDraws, nParams] = [4, 1000, 200];
  const idata = makeData(nChains, nDraws, nParams);
  summary(idata); // warm-up (JIT)
  const times: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = summary(idata).length;
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'summary',
      chains: nChains,
      draws: nDraws,
      params: nParams,
      rows,
      best_ms: Number(times[0].toFixed(1)),
      median_ms: Number(times[2].toFixed(1)),
      // CPU time of this process: a steadier figure than wall time on a shared machine.
      cpu_best_ms: Number(cpu[0].toFixed(1)),
    }),
  );
}
