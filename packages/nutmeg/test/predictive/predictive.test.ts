// Prior and posterior predictive draws against closed-form predictive distributions; determinism, dims and groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Normal, HalfNormal, Flat, Poisson, samplePriorPredictive, samplePosteriorPredictive, OptionError, ModelError, math } from '../../src/index.js';
import { exactPosterior, momentsOf } from './exactPosterior.js';

/** |got − want| within 4.5 Monte Carlo standard errors (a fixed seed makes the check deterministic). */
function withinMcse(got: number, want: number, mcse: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 4.5 * mcse, `${what}: ${got} vs ${want} (mcse ${mcse})`);
}

/** y_i ~ Normal(mu, 1) with mu ~ Normal(2, 3): a conjugate model with closed-form predictives. */
function conjugate(y: number[]): Model {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 2, sigma: 3 }));
  m.deterministic('twice_mu', mu.mul(2));
  m.rv('y', Normal({ mu, sigma: 1 }), { observed: y });
  return m;
}

test('prior predictive: mu ~ N(2, 3) and y ~ N(mu, 1) give y ~ N(2, √10); deterministics in `prior`', () => {
  const prior = samplePriorPredictive(conjugate([0.5, 1.5]), { draws: 4000, seed: 11 });
  assert.equal(prior.nChains, 1);
  assert.equal(prior.nDraws, 4000);
  const mu = momentsOf(prior.groups.prior!.vars.mu.values, 1, 0);
  withinMcse(mu.mean, 2, mu.mcseMean, 'prior mean of mu');
  withinMcse(mu.variance, 9, mu.mcseVariance, 'prior variance of mu');
  const twice = prior.groups.prior!.vars.twice_mu.values;
  prior.groups.prior!.vars.mu.values.forEach((v, i) => assert.equal(twice[i], 2 * v));
  const y = prior.groups.prior_predictive!.vars.y;
  assert.deepEqual(y.shape, [2]);
  for (const e of [0, 1]) {
    const s = momentsOf(y.values, 2, e);
    withinMcse(s.mean, 2, s.mcseMean, `prior predictive mean of y[${e}]`);
    withinMcse(s.variance, 10, s.mcseVariance, `prior predictive variance of y[${e}]`);
  }
  assert.deepEqual(Array.from(prior.groups.observed_data!.vars.y.values), [0.5, 1.5]);
});

test('posterior predictive: exact posterior draws of mu give y_rep ~ N(E mu, √(var mu + 1)) per element', () => {
  const y = [0.3, 1.1, -0.4, 0.9, 2.2];
  const n = y.length;
  // Posterior of mu: precision 1/9 + n, mean (2/9 + Σy) / precision.
  const prec = 1 / 9 + n;
  const postMean = (2 / 9 + y.reduce((a, b) => a + b, 0)) / prec;
  const idata = exactPosterior(4, 1000, { mu: { shape: [], draw: (rng) => postMean + rng.normal() / Math.sqrt(prec) } });
  const withPpc = samplePosteriorPredictive(conjugate(y), idata, { seed: 5 });
  assert.ok(withPpc.groups.posterior, 'keeps the posterior');
  const rep = withPpc.groups.posterior_predictive!.vars.y;
  assert.deepEqual(rep.shape, [n]);
  assert.deepEqual(rep.dims, ['y_dim_0']);
  assert.equal(rep.values.length, 4000 * n);
  for (let e = 0; e < n; e++) {
    const s = momentsOf(rep.values, n, e);
    withinMcse(s.mean, postMean, s.mcseMean, `mean of y_rep[${e}]`);
    withinMcse(s.variance, 1 / prec + 1, s.mcseVariance, `variance of y_rep[${e}]`);
  }
  // Each draw's replicate is centred on that draw's mu: y_rep − mu ~ N(0, 1).
  const mu = idata.groups.posterior!.vars.mu.values;
  const resid = Float64Array.from({ length: 4000 }, (_, r) => rep.values[r * n] - mu[r]);
  const s = momentsOf(resid, 1, 0);
  withinMcse(s.variance, 1, s.mcseVariance, 'variance of y_rep − mu');
});

test('predictive draws are deterministic given the seed, and differ between seeds', () => {
  const m = conjugate([1, 2]);
  const idata = exactPosterior(2, 50, { mu: { shape: [], draw: (rng) => rng.normal() } });
  const a = samplePosteriorPredictive(m, idata, { seed: 3 }).groups.posterior_predictive!.vars.y.values;
  const b = samplePosteriorPredictive(m, idata, { seed: 3 }).groups.posterior_predictive!.vars.y.values;
  const c = samplePosteriorPredictive(m, idata, { seed: 4 }).groups.posterior_predictive!.vars.y.values;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(samplePriorPredictive(m, { draws: 20, seed: 9 }).groups.prior!.vars.mu.values, samplePriorPredictive(m, { draws: 20, seed: 9 }).groups.prior!.vars.mu.values);
});

test('dims and coords follow the model; varNames picks observed and deterministic variables', () => {
  const m = new Model({ coords: { county: ['A', 'B', 'C'] } });
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
  const idx = m.data('county_idx', [0, 1, 2, 2], { dims: 'obs_id' });
  const rate = m.deterministic('rate', math.exp(a), { dims: 'county' });
  m.rv('count', Poisson({ mu: rate.at(idx) }), { observed: [1, 0, 3, 2], dims: 'obs_id' });
  const idata = exactPosterior(1, 400, { a: { shape: [3], dims: ['county'], draw: (rng) => 0.2 * rng.normal() } }, 3, m.coords);
  const pp = samplePosteriorPredictive(m, idata, { seed: 1, varNames: ['count', 'rate'] });
  const vars = pp.groups.posterior_predictive!.vars;
  assert.deepEqual(vars.count.dims, ['obs_id']);
  assert.deepEqual(vars.rate.dims, ['county']);
  assert.ok(vars.count.values.every((v) => Number.isInteger(v) && v >= 0), 'Poisson draws are counts');
  const av = idata.groups.posterior!.vars.a.values;
  vars.rate.values.forEach((v, i) => assert.ok(Math.abs(v - Math.exp(av[i])) <= 1e-15 * v));
  assert.throws(() => samplePosteriorPredictive(m, idata, { varNames: ['nope'] }), (e: unknown) => e instanceof OptionError && /no variable 'nope'/.test(e.message));
  assert.throws(() => samplePosteriorPredictive(m, idata, { varNames: ['county_idx'] }), (e: unknown) => e instanceof OptionError && /'county_idx' is data/.test(e.message));
});

test('clear errors: a posterior from another model, an improper prior, a hand-written density, a bad seed', () => {
  const m = conjugate([1]);
  const other = exactPosterior(1, 10, { theta: { shape: [], draw: (rng) => rng.normal() } });
  assert.throws(() => samplePosteriorPredictive(m, other), (e: unknown) => e instanceof OptionError && /no variable 'mu'/.test(e.message));
  const wrongShape = exactPosterior(1, 10, { mu: { shape: [2], draw: (rng) => rng.normal() } });
  assert.throws(() => samplePosteriorPredictive(m, wrongShape), (e: unknown) => e instanceof OptionError && /shape \[2\]/.test(e.message));
  const flat = new Model();
  const b = flat.rv('b', Flat());
  flat.rv('y', Normal({ mu: b, sigma: 1 }), { observed: [1] });
  assert.throws(() => samplePriorPredictive(flat, { draws: 5, seed: 1 }), (e: unknown) => e instanceof ModelError && e.variable === 'b' && /Flat/.test(e.message));
  const handWritten = { dim: 1, logDensityGrad: () => 0, spec: undefined };
  assert.throws(() => samplePriorPredictive(handWritten), (e: unknown) => e instanceof OptionError && /built with Model/.test(e.message));
  assert.throws(() => samplePriorPredictive(m, { seed: 1.5 }), (e: unknown) => e instanceof OptionError && e.option === 'seed');
  assert.throws(() => samplePriorPredictive(m, { draws: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'draws');
  void HalfNormal;
});
