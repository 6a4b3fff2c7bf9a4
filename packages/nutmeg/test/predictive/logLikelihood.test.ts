// Pointwise log-likelihood against SciPy's logpdf/logpmf (fixtures) and against the compiled model's own log density.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Normal, HalfNormal, computeLogLikelihood, sample, loo, ModelError, OptionError, MvNormal } from '../../src/index.js';
import { CASES, FACTORY, MULTIVARIATE, label, wanted } from '../engine/logpdfCases.js';
import { exactPosterior } from './exactPosterior.js';

test('log_likelihood of an observation equals SciPy logpdf/logpmf for every elementwise case in the fixtures (1e-10 relative)', () => {
  let checked = 0;
  for (const c of CASES) {
    const want = wanted(c);
    if (MULTIVARIATE.has(c.dist) || !Number.isFinite(want)) continue;
    const m = new Model();
    m.rv('x', FACTORY[c.dist](c.params), { observed: c.x });
    const idata = computeLogLikelihood(m, exactPosterior(1, 1, {}));
    const ll = idata.groups.log_likelihood!.vars.x;
    const total = ll.values.reduce((a, b) => a + b, 0);
    const tol = Math.max(1e-12, 1e-10 * Math.abs(want));
    assert.ok(Math.abs(total - want) <= tol, `${label(c)}: ${total} vs SciPy ${want}`);
    checked++;
  }
  assert.ok(checked >= 150, `only ${checked} cases checked`);
});

test('per draw, the log-likelihood sums to the compiled model’s log density term of the observed variable', async () => {
  const m = new Model({ coords: { group: ['a', 'b'] } });
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }), { dims: 'group' });
  const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
  const g = m.data('g', [0, 0, 1, 1, 1], { dims: 'obs_id' });
  m.rv('y', Normal({ mu: mu.at(g), sigma }), { observed: [0.1, -0.3, 1.2, 0.8, 1.9], dims: 'obs_id' });
  const compiled = m.compile();
  const idata = await sample(compiled, { draws: 100, tune: 100, chains: 2, seed: 4, progress: false, cores: 1, logLikelihood: true });
  const ll = idata.groups.log_likelihood!.vars.y;
  assert.deepEqual(ll.dims, ['obs_id']);
  assert.equal(ll.values.length, 200 * 5);
  const post = idata.groups.posterior!.vars;
  for (const r of [0, 57, 199]) {
    const theta = compiled.unconstrain({ mu: post.mu.values.subarray(2 * r, 2 * r + 2), sigma: post.sigma.values[r] });
    const want = compiled.logDensityByVariable(theta).y;
    const got = ll.values.subarray(5 * r, 5 * r + 5).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(got - want) <= 1e-12 * Math.abs(want) + 1e-12, `draw ${r}: ${got} vs ${want}`);
  }
  assert.deepEqual(Array.from(idata.groups.constant_data!.vars.g.values), [0, 0, 1, 1, 1]);
  assert.ok(Number.isFinite(loo(idata).elpdLoo.estimate));
});

test('log-likelihood errors: multivariate observations, a hand-written density before sampling, non-observed names', async () => {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  m.rv('y', MvNormal({ mu: mu.add([0, 0]), cov: [[1, 0], [0, 1]] }), { observed: [0.1, 0.2] });
  const idata = exactPosterior(1, 3, { mu: { shape: [], draw: (rng) => rng.normal() } });
  assert.throws(() => computeLogLikelihood(m, idata), (e: unknown) => e instanceof ModelError && e.variable === 'y' && /not elementwise/.test(e.message));
  assert.throws(() => computeLogLikelihood(m, idata, { varNames: ['mu'] }), (e: unknown) => e instanceof OptionError && /'mu' is a free variable/.test(e.message));
  const handWritten = { dim: 1, logDensityGrad: (x: Float64Array, g: Float64Array) => ((g[0] = -x[0]), -0.5 * x[0] * x[0]) };
  await assert.rejects(sample(handWritten, { draws: 10, tune: 10, chains: 1, logLikelihood: true, progress: false }), (e: unknown) => e instanceof OptionError && /built with Model/.test(e.message));
});
