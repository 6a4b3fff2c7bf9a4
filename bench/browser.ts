// Browser benchmark: the radon hierarchical non-centered model, 4 chains × (1000 + 1000), in headless Chromium (Web Workers) and in Node (worker threads), one JSON line each and their ratio.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sample, essBulk, elementDraws, shapeSize, type InferenceData } from 'nutmeg';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';
import { launchChromium } from '../packages/nutmeg/test/browser/chromium.js';
import { serveDirectory } from '../packages/nutmeg/test/browser/bundle.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The smallest bulk ESS over every posterior element. */
function minEssBulk(idata: InferenceData): number {
  let min = Infinity;
  for (const v of Object.values(idata.groups.posterior?.vars ?? {})) {
    for (let e = 0; e < shapeSize(v.shape); e++) min = Math.min(min, essBulk(elementDraws(v, idata.nChains, idata.nDraws, e)));
  }
  return min;
}

/**
 * Bundles the page and the chain worker as a user's esbuild build would: from the built package
 * (`npm run bench` builds first), or from the TypeScript sources under `--conditions=development`
 * (`npm run bench:ts`).
 */
async function bundle(): Promise<string> {
  const dev = process.execArgv.some((a) => a.includes('development'));
  const pkg = fileURLToPath(new URL('../packages/nutmeg/', import.meta.url));
  const worker = dev ? `${pkg}src/platform/browser/chainWorker.ts` : `${pkg}dist/src/platform/browser/chainWorker.js`;
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-bench-'));
  await build({
    entryPoints: { main: fileURLToPath(new URL('./browserPage/page.ts', import.meta.url)), chainWorker: worker },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: dev ? ['development', 'browser'] : ['browser'],
    minify: true,
    outdir: dir,
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>nutmeg bench</title><script type="module" src="./main.js"></script>\n');
  return dir;
}

/** Runs Chromium then Node and prints one JSON line each, then the ratio. Env: BENCH_CHAINS, BENCH_DRAWS, BENCH_TUNE, BENCH_SEED. */
export async function run(): Promise<void> {
  const env = (k: string, d: number) => Number(process.env[k] ?? d);
  const options = { chains: env('BENCH_CHAINS', 4), draws: env('BENCH_DRAWS', 1000), tune: env('BENCH_TUNE', 1000), seed: env('BENCH_SEED', 20240611) };
  const data = loadRadon();
  const arrays = { counties: data.counties, county: Array.from(data.county), floor: Array.from(data.floor), logRadon: Array.from(data.logRadon) };

  const served = await serveDirectory(await bundle());
  const browser = await launchChromium();
  let inPage;
  try {
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === '1');
    type Bench = { run: (d: typeof arrays, o: typeof options) => Promise<Record<string, number>> };
    inPage = await page.evaluate(([d, o]) => (globalThis as unknown as { nutmegBench: Bench }).nutmegBench.run(d, o), [arrays, options] as const);
  } finally {
    await browser.close();
    await served.close();
  }
  console.log(JSON.stringify({ model: 'radon_hierarchical_noncentered', runtime: 'chromium', ...options, ...round(inPage) }));

  const compiled = hierarchicalNonCentered(data).compile();
  const t0 = performance.now();
  const idata = await sample(compiled, { ...options, progress: false });
  const inNode = {
    wall_s: Number(idata.attrs.sampling_time),
    total_s: (performance.now() - t0) / 1000,
    grad_evals: idata.attrs.grad_evals as number,
    min_ess_bulk: minEssBulk(idata),
    workers: (idata.attrs.settings as { cores: number }).cores,
  };
  console.log(JSON.stringify({ model: 'radon_hierarchical_noncentered', runtime: 'node', ...options, ...round(inNode) }));
  console.log(JSON.stringify({
    model: 'radon_hierarchical_noncentered',
    ratio_wall_chromium_over_node: Number((inPage.wall_s / inNode.wall_s).toFixed(2)),
    goal: '≤ 1.5',
    same_draws: inPage.grad_evals === inNode.grad_evals,
    long_task_max_ms: inPage.long_task_max_ms,
  }));
}

/** Numbers to 3 decimals. */
function round(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]));
}
