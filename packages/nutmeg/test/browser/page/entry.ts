// The browser tests' page: exposes the scenarios of ../scenarios.ts on `window.nutmegTest` for Playwright to call.
import { buildModel, hashGroup, sampleReport, workflowReport, type RadonArrays } from '../scenarios.js';
import { Flat, Model, ModelError, sample, type SampleOptions } from 'nutmeg';

/** Long tasks (> 50 ms) seen on the main thread, in ms (PerformanceObserver 'longtask'). */
const longTasks: number[] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // no long-task timing in this browser
}

/** Stops a run after its first progress event past `afterDraws` draws, keeping the draws so far. */
async function sampleAndStop(name: 'eight_schools', options: SampleOptions, afterDraws: number): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const phases = new Set<string>();
  const idata = await sample(buildModel(name).compile(), {
    ...options,
    signal: controller.signal,
    progress: {
      update: (e) => {
        phases.add(e.phase);
        if (e.drawsDone >= afterDraws) controller.abort();
      },
      finish: () => undefined,
    },
  });
  return { nDraws: idata.nDraws, incomplete: idata.attrs.incomplete === true, phases: [...phases], posterior: hashGroup(idata, 'posterior') };
}

/** Samples an improper posterior (a flat prior alone): the workers' ModelError must reach the page as a ModelError. */
async function improper(): Promise<Record<string, unknown>> {
  const m = new Model();
  m.rv('x', Flat());
  try {
    await sample(m.compile(), { chains: 2, tune: 50, draws: 10, seed: 1, cores: 2, progress: false });
    return { thrown: false };
  } catch (e) {
    return { thrown: true, isModelError: e instanceof ModelError, name: (e as Error).name, message: (e as Error).message };
  }
}

const api = {
  improper,
  sample: (name: 'eight_schools' | 'logistic' | 'radon', options: SampleOptions, radonData?: RadonArrays) =>
    sampleReport(buildModel(name, radonData).compile(), options),
  sampleAndStop,
  workflow: workflowReport,
  cores: () => navigator.hardwareConcurrency,
  longTasks: () => {
    const out = [...longTasks];
    longTasks.length = 0;
    return out;
  },
};
(globalThis as unknown as { nutmegTest: typeof api }).nutmegTest = api;
document.documentElement.dataset.ready = '1';
