// The sampler seam: the registry, static HMC (exact transition, divergences, known posteriors, thread reproducibility) and the bare-LogDensity layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogDensity } from '../../src/core/types.js';
import { DomainError, OptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { unitMetric } from '../../src/inference/hmc/metric.js';
import { buildStaticHmc } from '../../src/inference/hmc/staticHmc.js';
import { getSampler, SAMPLER_NAMES, SAMPLERS } from '../../src/inference/samplers/registry.js';
import { sample } from '../../src/workflow/sample.js';
import { fit } from '../../src/workflow/fit.js';
import { asCompiledModel } from '../../src/workflow/layout.js';
import { workerRunner } from '../../src/platform/node/workers.js';
import { elementDraws, type InferenceData } from '../../src/posterior/inferenceData.js';
import { mcseMean, mcseSd } from '../../src/diagnostics/index.js';
import { correlatedNormal, scaledNormal } from './fixtures/gaussians.js';

/** |mean − truth| ≤ 4·MCSE and |sd − truth| ≤ 4·MCSE(sd) for element `element` of `name`. */
function checkMoments(idata: InferenceData, name: string, element: number, mean: number, sd: number): void {
  const draws = elementDraws(idata.groups.posterior!.vars[name], idata.nChains, idata.nDraws, element);
  let n = 0, s = 0, s2 = 0;
  for (const c of draws) for (const x of c) { n++; s += x; s2 += x * x; }
  const m = s / n;
  const sdHat = Math.sqrt((s2 / n - m * m) * (n / (n - 1)));
  const [em, es] = [mcseMean(draws), mcseSd(draws)];
  assert.ok(Math.abs(m - mean) <= 4 * em, `${name}[${element}] mean ${m} vs ${mean} (mcse ${em})`);
  assert.ok(Math.abs(sdHat - sd) <= 4 * es, `${name}[${element}] sd ${sdHat} vs ${sd} (mcse ${es})`);
}

test('registry: NUTS first; unknown names are an OptionError naming the option and the valid samplers', async () => {
  assert.deepEqual(SAMPLER_NAMES, ['nuts', 'hmc']);
  for (const name of SAMPLER_NAMES) {
    const s = getSampler(name);
    assert.equal(s.name, name);
    assert.ok(s.statNames.includes('lp') && s.statNames.includes('diverging'), name);
  }
  assert.deepEqual(SAMPLERS.nuts.statNames, [
    'lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps', 'diverging', 'energy', 'energy_error', 'max_energy_error', 'reached_max_treedepth',
  ]);
  const unknown = (e: unknown): boolean =>
    e instanceof OptionError && e.option === 'sampler' && /'mala'/.test(e.message) && /'nuts', 'hmc'/.test(e.message);
  assert.throws(() => getSampler('mala'), unknown);
  assert.throws(() => getSampler('toString'), OptionError);
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { sampler: 'mala' as 'nuts', progress: false }), unknown);
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { sampler: 'hmc', pathLength: 0, progress: false }), OptionError);
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { pathLength: 2, progress: false }), (e: unknown) => e instanceof OptionError && e.option === 'pathLength');
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { sampler: 'hmc', maxTreeDepth: 5, progress: false }), (e: unknown) => e instanceof OptionError && e.option === 'maxTreeDepth');
});

test('static HMC: one transition on a 1-d standard normal matches the leapfrog and Metropolis test by hand', () => {
  const ld = scaledNormal({ sds: [1] });
  const kernel = buildStaticHmc(ld, { pathLength: 1 });
  const state = kernel.init(Float64Array.of(0.7));
  const eps = 0.3;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const [next, info] = kernel.step(new Rng(seed), state, { stepSize: eps, metric: unitMetric(1) });
    // The same stream by hand: the momentum, then one uniform for the accept test.
    const rng = new Rng(seed);
    let p = rng.fillNormalZiggurat(new Float64Array(1))[0];
    let q = 0.7;
    const H0 = 0.5 * p * p + 0.5 * q * q;
    for (let l = 0; l < 3; l++) { // ⌊1 / 0.3⌋ = 3 steps of the leapfrog for ∇log π(q) = −q
      p -= 0.5 * eps * q;
      q += eps * p;
      p -= 0.5 * eps * q;
    }
    const err = 0.5 * p * p + 0.5 * q * q - H0;
    const accept = rng.uniform() < Math.min(1, Math.exp(-err));
    assert.equal(info.nSteps, 3);
    assert.ok(Math.abs(info.energyError - err) < 1e-14, `seed ${seed}: ${info.energyError} vs ${err}`);
    assert.ok(Math.abs(info.acceptanceRate - Math.min(1, Math.exp(-err))) < 1e-14);
    assert.equal(info.accepted, accept);
    assert.equal(info.diverging, false);
    if (accept) assert.ok(Math.abs(next.position[0] - q) < 1e-15 && Math.abs(next.logDensity + 0.5 * q * q) < 1e-15);
    else assert.equal(next, state);
    assert.equal(state.position[0], 0.7); // the input state is never mutated
  }
});

test('static HMC: a density that fails along the path is a divergence; the chain stays put and keeps the message', () => {
  const ld: LogDensity = {
    dim: 1,
    logDensityGrad(x, g) {
      if (x[0] > 1) throw new DomainError('outside the support');
      g[0] = 5;
      return 5 * x[0];
    },
  };
  const kernel = buildStaticHmc(ld, { pathLength: 10 });
  const state = kernel.init(Float64Array.of(0.5));
  const [next, info] = kernel.step(new Rng(1), state, { stepSize: 0.5, metric: unitMetric(1) });
  assert.equal(info.diverging, true);
  assert.equal(info.acceptanceRate, 0);
  assert.equal(info.accepted, false);
  assert.equal(next, state);
  assert.ok(info.nSteps < 20);
  assert.equal(info.divergence?.message, 'outside the support');
  assert.throws(() => buildStaticHmc(ld, { pathLength: -1 }), (e: unknown) => e instanceof OptionError && e.option === 'pathLength');
  assert.throws(() => buildStaticHmc(ld, { maxSteps: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'maxSteps');
});

test('sample(sampler: hmc): 5-d scaled normal and a correlated normal — means and sds within 4 MCSE; its own sample_stats', async () => {
  const sds = [1, 2, 3, 4, 5];
  const idata = await sample(scaledNormal({ sds }), { sampler: 'hmc', seed: 1, draws: 1000, tune: 1000, chains: 2, progress: false });
  for (let i = 0; i < 5; i++) checkMoments(idata, 'x', i, 0, sds[i]);
  assert.equal(idata.attrs.sampler, 'hmc');
  assert.deepEqual(Object.keys(idata.groups.sample_stats!.vars), [...SAMPLERS.hmc.statNames]);
  assert.equal(idata.groups.sample_stats!.vars.tree_depth, undefined);
  const acc = idata.groups.sample_stats!.vars.acceptance_rate.values;
  const meanAcc = acc.reduce((a, b) => a + b, 0) / acc.length;
  // Dual averaging aims at 0.65 (static HMC's default target); the mean over draws lands near it.
  assert.ok(meanAcc > 0.5 && meanAcc < 0.85, `mean acceptance ${meanAcc}`);
  assert.equal(idata.attrs.divergences, 0);

  const corr = await sample(correlatedNormal({ rho: 0.9, mu: [1, -2], scale: [1, 10] }), {
    sampler: 'hmc', metric: 'dense', seed: 2, draws: 1000, tune: 1000, chains: 2, progress: false,
  });
  checkMoments(corr, 'x', 0, 1, 1);
  checkMoments(corr, 'x', 1, -2, 10);
});

test('sample(sampler: hmc): the same seed gives bit-identical draws in this thread and on worker threads', async () => {
  const sds = [1, 2, 3];
  const opts = { sampler: 'hmc' as const, pathLength: 3, seed: 42, draws: 100, tune: 100, chains: 3, progress: false as const };
  const a = await sample(scaledNormal({ sds }), opts);
  const url = new URL('./fixtures/gaussians.ts', import.meta.url).href;
  const b = await sample(scaledNormal({ sds }), { ...opts, runner: workerRunner({ kind: 'module', url, exportName: 'scaledNormal', args: { sds } }, 2) });
  assert.deepEqual(a.groups.posterior!.vars.x.values, b.groups.posterior!.vars.x.values);
  for (const name of SAMPLERS.hmc.statNames) assert.deepEqual(a.groups.sample_stats!.vars[name].values, b.groups.sample_stats!.vars[name].values, name);
  const { pathLength: _, ...nutsOpts } = opts;
  const nuts = await sample(scaledNormal({ sds }), { ...nutsOpts, sampler: 'nuts' });
  assert.notDeepEqual(a.groups.posterior!.vars.x.values, nuts.groups.posterior!.vars.x.values);
});

test('asCompiledModel: a bare log density becomes one identity vector; a compiled model is itself; fit and sample share it', () => {
  const ld = scaledNormal({ sds: [1, 2] });
  const m = asCompiledModel(ld);
  assert.deepEqual(m.variables, [{ name: 'x', kind: 'free', shape: [2], dims: ['x_dim_0'], transform: 'identity', offset: 0, unconstrainedSize: 2 }]);
  assert.deepEqual(m.constrain(Float64Array.of(1, 2)), { x: Float64Array.of(1, 2) });
  const out = [new Float64Array(6)];
  m.constrainRows(Float64Array.of(1, 2, 3, 4), 2, out, 1);
  assert.deepEqual(out[0], Float64Array.of(0, 0, 1, 2, 3, 4));
  assert.deepEqual(m.initialPoint(), new Float64Array(2));
  assert.equal(m.spec, undefined);
  const g = new Float64Array(2);
  assert.equal(m.logDensityGrad(Float64Array.of(2, 2), g), -2.5);
  assert.equal(asCompiledModel(m), m);
  assert.equal(asCompiledModel(ld, 'theta').variables[0].dims[0], 'theta_dim_0');
  assert.throws(() => asCompiledModel({ dim: 2 } as LogDensity), (e: unknown) => e instanceof OptionError && e.option === 'model');
  const approx = fit(ld, { seed: 1, n: 2000, psisDraws: 0, summaryDraws: 10 });
  assert.deepEqual(Object.keys(approx.means), ['theta']);
});
