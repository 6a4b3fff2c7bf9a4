// The built package's chain worker (the one-file bundle of scripts/bundle-worker.mjs): it runs chains and gives the in-thread draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

const DIST = new URL('../../dist/src/', import.meta.url);
const BUNDLE = new URL('platform/node/chainWorker.bundle.js', DIST);

// `npm ci` builds dist/ (the prepare script), so CI always runs this; a checkout that was never
// built has nothing to test.
test('built package: sample() on worker threads runs the bundled worker and gives bit-identical draws to this thread', { skip: !existsSync(BUNDLE) && 'dist/ is not built (npm run build)' }, async () => {
  const { Model } = (await import(new URL('model/index.js', DIST).href)) as typeof import('../../src/model/index.js');
  const { Normal, HalfNormal } = (await import(new URL('distributions/index.js', DIST).href)) as typeof import('../../src/distributions/index.js');
  const { sample } = (await import(new URL('workflow/sample.js', DIST).href)) as typeof import('../../src/workflow/sample.js');
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu, sigma }), { observed: [0.3, 1.2, -0.4, 0.8] });
  const compiled = m.compile();
  const opts = { seed: 5, draws: 100, tune: 100, chains: 2, progress: false as const };
  const inThread = await sample(compiled, { ...opts, cores: 1 });
  const workers = await sample(compiled, { ...opts, cores: 2 });
  assert.equal((workers.attrs.settings as { parallel: boolean }).parallel, true);
  assert.deepEqual(workers.groups.posterior!.vars.sigma.values, inThread.groups.posterior!.vars.sigma.values);
  assert.deepEqual(workers.groups.posterior!.vars.mu.values, inThread.groups.posterior!.vars.mu.values);
  // The kept threads reuse the model they built for the next run of the same compiled model, also
  // after a run of another model: every run gives the draws of its first run.
  const other = new Model();
  other.rv('y', Normal({ mu: other.rv('mu', Normal({ mu: 1, sigma: 2 })), sigma: 0.5 }), { observed: [2, 2.5] });
  const otherCompiled = other.compile();
  const otherFirst = await sample(otherCompiled, { ...opts, cores: 2 });
  for (const [model, expected] of [[compiled, workers], [otherCompiled, otherFirst], [compiled, workers]] as const) {
    const again = await sample(model, { ...opts, cores: 2 });
    assert.deepEqual(again.groups.posterior!.vars.mu.values, expected.groups.posterior!.vars.mu.values);
  }
});

test('built package: the bundled worker (its own copy of nutmeg) treats the package\'s DomainError as a divergence, not a crash', { skip: !existsSync(BUNDLE) && 'dist/ is not built (npm run build)' }, async () => {
  const { sample } = (await import(new URL('workflow/sample.js', DIST).href)) as typeof import('../../src/workflow/sample.js');
  const { workerRunner } = (await import(new URL('platform/node/workers.js', DIST).href)) as typeof import('../../src/platform/node/workers.js');
  const url = new URL('./fixtures/domainWall.mjs', import.meta.url).href;
  const { domainWall } = (await import(url)) as { domainWall: () => import('../../src/core/types.js').LogDensity };
  const idata = await sample(domainWall(), { seed: 2, draws: 100, tune: 100, chains: 2, progress: false, runner: workerRunner({ kind: 'module', url, exportName: 'domainWall' }, 2) });
  const divergences = Array.from(idata.groups.sample_stats!.vars.diverging.values).reduce((s, v) => s + v, 0);
  assert.ok(divergences > 0);
  assert.ok((idata.attrs.warnings as string[]).some((w) => /undefined beyond the wall/.test(w)));
});

test('built package: mapFits on worker threads runs fit tasks in the bundled worker and gives the in-thread draws', { skip: !existsSync(BUNDLE) && 'dist/ is not built (npm run build)' }, async () => {
  const { Model } = (await import(new URL('model/index.js', DIST).href)) as typeof import('../../src/model/index.js');
  const { Normal, HalfNormal } = (await import(new URL('distributions/index.js', DIST).href)) as typeof import('../../src/distributions/index.js');
  const { mapFits } = (await import(new URL('workflow/mapFits.js', DIST).href)) as typeof import('../../src/workflow/mapFits.js');
  const { workerFitExecutor } = (await import(new URL('platform/node/fitExecutor.js', DIST).href)) as typeof import('../../src/platform/node/fitExecutor.js');
  const jobs = [[0.3, 1.2, -0.4], [2.1, 1.7], [0.0, -0.5, 0.2, 0.9]].map((y, k) => {
    const m = new Model();
    const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
    m.rv('y', Normal({ mu, sigma: m.rv('sigma', HalfNormal({ sigma: 1 })) }), { observed: y });
    return { name: `g${k}`, model: m.spec, options: { draws: 100, tune: 100, chains: 2 } };
  });
  const inThread = await mapFits(jobs, { seed: 5 });
  const workers = await mapFits(jobs, { seed: 5, executor: workerFitExecutor({ threads: 2 }) });
  workers.forEach((o, k) => {
    assert.ok(o.ok && inThread[k].ok, `job ${k}`);
    if (o.ok && inThread[k].ok) assert.deepEqual(o.idata.groups.posterior!.vars.mu.values, (inThread[k] as typeof o).idata.groups.posterior!.vars.mu.values);
  });
});
