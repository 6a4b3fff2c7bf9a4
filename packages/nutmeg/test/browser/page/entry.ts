// The browser tests' page: exposes the scenarios of ../scenarios.ts on `window.nutmegTest` for Playwright to call.
import { buildModel, hashGroup, sampleReport, workflowReport, type RadonArrays } from '../scenarios.js';
import { Flat, Model, ModelError, sample, type SampleOptions } from 'nutmeg';
import { webWorkerRunner } from '../../../src/platform/browser/workers.js';

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

/**
 * A hand-written 2-d Gaussian as a module (a data: URL, so no file to serve): the first worker to
 * take the Web Lock `lock` fails at its evaluation `after`, by throwing ('throw', once: its next
 * chain runs normally) or never returning ('hang'); it holds the lock until it ends, so the page can
 * tell whether its worker was terminated.
 */
const FAILING_DENSITY = `export async function failingDensity(args) {
  const failing = await new Promise((resolve) => navigator.locks.request(args.lock, { ifAvailable: true }, (lock) => { resolve(lock !== null); return lock ? new Promise(() => {}) : undefined; }));
  let n = 0;
  return { dim: 2, logDensityGrad(x, g) {
    if (failing && ++n === args.after) { if (args.mode === 'throw') throw new TypeError('user density bug'); for (;;) {} }
    g[0] = -x[0]; g[1] = -x[1];
    return -0.5 * (x[0] * x[0] + x[1] * x[1]);
  } };
}`;

/** Two chains on two Web Workers, one of which fails as `mode` says: what sample() returns, and whether the failing worker still holds its lock. */
async function failingChain(mode: 'throw' | 'hang'): Promise<Record<string, unknown>> {
  const lock = `nutmeg-failing-${mode}-${Date.now()}`;
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(FAILING_DENSITY)}`;
  const runner = webWorkerRunner({ kind: 'module', url, exportName: 'failingDensity', args: { mode, lock, after: 50 } }, 2);
  const t0 = performance.now();
  const idata = await sample({ dim: 2, logDensityGrad: () => 0 }, {
    chains: 2, tune: 100, draws: 100, seed: 3, progress: false, runner,
    ...(mode === 'hang' ? { chainTimeoutSeconds: 1 } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  // A terminated worker's lock is released soon after, not at once (up to seconds on a loaded machine).
  let held = true;
  for (let k = 0; k < 200 && held; k++) {
    held = (await navigator.locks.query()).held?.some((l) => l.name === lock) ?? false;
    if (held) await new Promise((r) => setTimeout(r, 50));
  }
  return { nChains: idata.nChains, nDraws: idata.nDraws, incomplete: idata.attrs.incomplete === true, failed: idata.attrs.failed_chains, warning: (idata.attrs.warnings as string[])[0], seconds, lockHeld: held };
}

const api = {
  failingChain,
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
