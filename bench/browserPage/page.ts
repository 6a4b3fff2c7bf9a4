// The browser benchmark's page: samples the radon hierarchical non-centered model with Web Worker chains and reports the wall time, the min bulk ESS and the main thread's long tasks.
import { sample, essBulk, elementDraws, shapeSize, type InferenceData } from 'nutmeg';
import { hierarchicalNonCentered } from '../../packages/cli/src/radon/models.js';

/** Long tasks (> 50 ms) on the main thread, in ms, since the last reset. */
let longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

/** The smallest bulk ESS over every posterior element. */
function minEssBulk(idata: InferenceData): number {
  let min = Infinity;
  for (const v of Object.values(idata.groups.posterior?.vars ?? {})) {
    for (let e = 0; e < shapeSize(v.shape); e++) min = Math.min(min, essBulk(elementDraws(v, idata.nChains, idata.nDraws, e)));
  }
  return min;
}

interface RadonArrays {
  readonly counties: string[];
  readonly county: number[];
  readonly floor: number[];
  readonly logRadon: number[];
}

const api = {
  run: async (d: RadonArrays, options: { chains: number; draws: number; tune: number; seed: number }) => {
    const model = hierarchicalNonCentered({ counties: d.counties, county: Int32Array.from(d.county), floor: Float64Array.from(d.floor), logRadon: Float64Array.from(d.logRadon) }).compile();
    longTasks = [];
    const t0 = performance.now();
    const idata = await sample(model, { ...options, progress: { update: () => undefined, finish: () => undefined } });
    const total = (performance.now() - t0) / 1000;
    const tasks = longTasks;
    return {
      wall_s: Number(idata.attrs.sampling_time),
      total_s: total,
      grad_evals: idata.attrs.grad_evals as number,
      min_ess_bulk: minEssBulk(idata),
      workers: (idata.attrs.settings as { cores: number }).cores,
      long_tasks: tasks.length,
      long_task_max_ms: tasks.length > 0 ? Math.max(...tasks) : 0,
    };
  },
};
(globalThis as unknown as { nutmegBench: typeof api }).nutmegBench = api;
document.documentElement.dataset.ready = '1';
