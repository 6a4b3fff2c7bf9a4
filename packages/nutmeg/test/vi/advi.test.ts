// ADVI end to end on known posteriors: recovery within Monte Carlo error, determinism, divergence, option errors, results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit } from '../../src/workflow/fit.js';
import type { AdviEvent } from '../../src/inference/vi/progress.js';
import { OptionError } from '../../src/core/errors.js';
import { constrainRowsByRecord, type CompiledModel } from '../../src/compiler/compiledModel.js';
import type { LogDensity } from '../../src/core/types.js';
import { correlatedGaussian, diagonalGaussian, invert } from './targets.js';

/** Mean and sd over replicate fits, and the z-score of mean − truth. */
function zScore(values: number[], truth: number): { mean: number; z: number } {
  const r = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / r;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (r - 1));
  return { mean, z: (mean - truth) / (sd / Math.sqrt(r)) };
}

// Tolerances: over R independent seeds the fitted values scatter by their Monte Carlo (SGD) noise;
// their average must sit within 4 standard errors of the truth, i.e. no bias beyond MC error.
const R = 8;

test('mean-field ADVI recovers a diagonal Gaussian (means and sds) within Monte Carlo error', () => {
  const mu = [1, -2, 3, 0.5];
  const sd = [0.5, 2, 1, 0.1];
  const ld = diagonalGaussian(mu, sd);
  const fits = Array.from({ length: R }, (_, k) => fit(ld, { seed: k + 1, n: 20000, tolerance: 0, psisDraws: 0, summaryDraws: 10 }));
  for (let i = 0; i < mu.length; i++) {
    const m = zScore(fits.map((f) => f.mean[i]), mu[i]);
    const s = zScore(fits.map((f) => f.std[i]), sd[i]);
    assert.ok(Math.abs(m.z) < 4, `mean[${i}] = ${m.mean} vs ${mu[i]} (z = ${m.z.toFixed(2)})`);
    assert.ok(Math.abs(s.z) < 4, `sd[${i}] = ${s.mean} vs ${sd[i]} (z = ${s.z.toFixed(2)})`);
    // and every single fit is close in absolute terms (5% of the posterior sd)
    for (const f of fits) assert.ok(Math.abs(f.mean[i] - mu[i]) < 0.05 * sd[i] + 4 * 0.02 * sd[i]);
  }
});

test('full-rank ADVI recovers the covariance of a correlated Gaussian within Monte Carlo error', () => {
  const cov = [1, 0.8, 0.3, 0.8, 2, 0.5, 0.3, 0.5, 1.5];
  const mu = [1, 2, 3];
  const ld = correlatedGaussian(mu, invert(cov, 3));
  const fits = Array.from({ length: R }, (_, k) => fit(ld, { seed: k + 1, method: 'fullrank_advi', n: 40000, tolerance: 0, psisDraws: 0, summaryDraws: 10 }));
  const covs = fits.map((f) => f.covariance());
  for (let i = 0; i < 9; i++) {
    const c = zScore(covs.map((v) => v[i]), cov[i]);
    assert.ok(Math.abs(c.z) < 4, `cov[${i}] = ${c.mean} vs ${cov[i]} (z = ${c.z.toFixed(2)})`);
  }
  for (let i = 0; i < 3; i++) {
    const m = zScore(fits.map((f) => f.mean[i]), mu[i]);
    assert.ok(Math.abs(m.z) < 4, `mean[${i}] = ${m.mean} (z = ${m.z.toFixed(2)})`);
  }
  // Mean-field on the same target gets the marginal precisions right, so its sds are too small:
  // sd_i = 1/√(Σ⁻¹)_ii < √Σ_ii — the under-dispersion the tutorial's plots show.
  const mf = fit(ld, { seed: 1, n: 20000, tolerance: 0, psisDraws: 0, summaryDraws: 10 });
  const prec = invert(cov, 3);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(mf.std[i] - 1 / Math.sqrt(prec[i * 3 + i])) < 0.1 / Math.sqrt(prec[i * 3 + i]));
    assert.ok(mf.std[i] < Math.sqrt(cov[i * 3 + i]));
  }
});

test('the same seed gives the same fit; another seed a different one', () => {
  const ld = diagonalGaussian([1, 2], [1, 0.5]);
  const a = fit(ld, { seed: 42, n: 3000, psisDraws: 100 });
  const b = fit(ld, { seed: 42, n: 3000, psisDraws: 100 });
  const c = fit(ld, { seed: 43, n: 3000, psisDraws: 100 });
  assert.deepEqual(a.mean, b.mean);
  assert.deepEqual(a.elboHistory, b.elboHistory);
  assert.equal(a.paretoK.k, b.paretoK.k);
  assert.notDeepEqual(a.mean, c.mean);
});

test('stops early with Stan\'s message when the relative ELBO change is small', () => {
  // A Gaussian with a normalising offset, so the ELBO is far from 0 as real models' are.
  // (Means and sds away from 0 and 1: PyMC's relative parameter change divides by |parameter|.)
  const base = diagonalGaussian([3, 4, 5], [2, 3, 4]);
  const ld: LogDensity = { dim: 3, logDensityGrad: (x, g) => base.logDensityGrad(x, g) - 500 };
  const a = fit(ld, { seed: 3, n: 100000 });
  assert.ok(a.converged);
  assert.ok(a.iterations < 100000);
  assert.match(a.message, /(Mean|Median) ELBO converged at iteration \d+/);
  assert.equal(a.elboHistory.length, a.iterations);
  assert.ok(Math.abs(a.elbo - (-500 + 1.5 * Math.log(2 * Math.PI) + Math.log(24))) < 0.5);
  // PyMC's parameter check can stop it too, when enabled alone.
  const p = fit(ld, { seed: 3, n: 100000, tolerance: 0, paramTolerance: 0.05 });
  assert.match(p.message, /Parameters converged/);
});

test('a diverging optimisation stops with a message and keeps the best approximation', () => {
  // log density finite near the start, NaN beyond |x| > 3: the optimum lies outside, at x = 10.
  const ld: LogDensity = {
    dim: 1,
    logDensityGrad(x, g) {
      if (Math.abs(x[0]) > 3) return NaN;
      g[0] = -(x[0] - 10) / 4;
      return -((x[0] - 10) ** 2) / 8;
    },
  };
  const a = fit(ld, { seed: 1, n: 5000, eta: 1, psisDraws: 0 });
  assert.ok(a.diverged);
  assert.match(a.message, /diverged at iteration \d+: the ELBO became NaN/);
  assert.match(a.message, /Try a smaller step size \(eta/);
  assert.ok(Number.isFinite(a.mean[0]) && Math.abs(a.mean[0]) < 3);
  assert.ok(a.warnings.some((w) => w.includes('diverged')));
});

test('bad options raise OptionError naming the option', () => {
  const ld = diagonalGaussian([0], [1]);
  const expectOption = (o: object, name: string) =>
    assert.throws(() => fit(ld, o), (e: unknown) => e instanceof OptionError && e.option === name && e.message.startsWith(name));
  expectOption({ n: 0 }, 'n');
  expectOption({ n: -5 }, 'n');
  expectOption({ n: 1.5 }, 'n');
  expectOption({ method: 'svgd' }, 'method');
  expectOption({ tolerance: -1 }, 'tolerance');
  expectOption({ gradSamples: 0 }, 'gradSamples');
  expectOption({ eta: -1 }, 'eta');
  expectOption({ seed: -1 }, 'seed');
  expectOption({ init: new Float64Array(3) }, 'init');
  expectOption({ progress: 'yes' }, 'progress');
  assert.throws(() => fit(ld, { method: 'svgd' } as never), /unknown method 'svgd'; use 'advi' \(mean-field\) or 'fullrank_advi'/);
});

/** A fake compiled model: mu (identity), sigma (log), z[group] (identity), deterministic twice_mu. */
function fakeModel(): CompiledModel {
  // Unconstrained posterior: mu ~ N(1, 0.5²), log sigma ~ N(0, 0.3²), z ~ N(0, 1) each: Gaussian, so mean-field is exact.
  const ld = diagonalGaussian([1, 0, 0, 0, 0], [0.5, 0.3, 1, 1, 1]);
  return {
    dim: 5,
    logDensityGrad: (x, g) => ld.logDensityGrad(x, g),
    variables: [
      { name: 'mu', kind: 'free', shape: [], dims: [], transform: 'identity', offset: 0, unconstrainedSize: 1 },
      { name: 'sigma', kind: 'free', shape: [], dims: [], transform: 'log', offset: 1, unconstrainedSize: 1 },
      { name: 'z', kind: 'free', shape: [3], dims: ['group'], transform: 'identity', offset: 2, unconstrainedSize: 3 },
      { name: 'twice_mu', kind: 'deterministic', shape: [], dims: [] },
    ],
    coords: { group: ['a', 'b', 'c'] },
    observed: [{ name: 'y', dims: ['obs'], shape: [2], values: new Float64Array([0.5, 1.5]) }],
    constrain: (t) => ({ mu: Float64Array.of(t[0]), sigma: Float64Array.of(Math.exp(t[1])), z: t.slice(2, 5), twice_mu: Float64Array.of(2 * t[0]) }),
    constrainRows(t, n, out, first) {
      constrainRowsByRecord(this, t, n, out, first);
    },
    unconstrain: () => new Float64Array(5),
    initialPoint: () => new Float64Array(5),
    logDensityByVariable: () => ({}),
    spec: null,
  };
}

test('constrained means and sds per variable, and sample(n) as InferenceData shaped like NUTS results', () => {
  const model = fakeModel();
  const a = fit(model, { seed: 5, n: 20000, tolerance: 0, summaryDraws: 4000 });
  // Identity-transformed: exact from the Gaussian.
  assert.equal(a.means.mu[0], a.mean[0]);
  assert.equal(a.sds.mu[0], a.std[0]);
  assert.ok(Math.abs(a.means.mu[0] - 1) < 0.05 && Math.abs(a.sds.mu[0] - 0.5) < 0.05);
  // Log-transformed: lognormal mean exp(m + s²/2) and sd, by Monte Carlo (4000 draws: MC error ≈ sd/63).
  const m = a.mean[1];
  const s = a.std[1];
  const lnMean = Math.exp(m + (s * s) / 2);
  const lnSd = lnMean * Math.sqrt(Math.exp(s * s) - 1);
  assert.ok(Math.abs(a.means.sigma[0] - lnMean) < (4 * lnSd) / Math.sqrt(4000));
  assert.ok(Math.abs(a.sds.sigma[0] - lnSd) < 4 * lnSd * Math.sqrt(2 / 4000) * 1.5);
  // Deterministics are summarised too.
  assert.ok(Math.abs(a.means.twice_mu[0] - 2 * a.mean[0]) < (4 * 2 * a.std[0]) / Math.sqrt(4000));
  assert.equal(a.means.z.length, 3);
  assert.equal(a.mean.length, 5);
  assert.equal(a.std.length, 5);
  // A good approximation: k-hat small.
  assert.equal(a.paretoK.verdict, 'good');
  assert.match(a.paretoK.message, /Pareto k-hat = -?\d\.\d\d < 0\.5/);

  const idata = a.sample(300);
  assert.equal(idata.nChains, 1);
  assert.equal(idata.nDraws, 300);
  const post = idata.groups.posterior!.vars;
  assert.deepEqual(Object.keys(post), ['mu', 'sigma', 'z', 'twice_mu']);
  assert.deepEqual(post.z.dims, ['group']);
  assert.deepEqual(post.z.shape, [3]);
  assert.equal(post.z.values.length, 300 * 3);
  assert.equal(post.sigma.values.length, 300);
  for (const v of post.sigma.values) assert.ok(v > 0);
  for (let i = 0; i < 300; i++) assert.equal(post.twice_mu.values[i], 2 * post.mu.values[i]);
  assert.deepEqual(idata.coords.group, ['a', 'b', 'c']);
  assert.equal(idata.groups.sample_stats!.vars.lp.values.length, 300);
  assert.deepEqual(Array.from(idata.groups.observed_data!.vars.y.values), [0.5, 1.5]);
  assert.equal(idata.attrs.method, 'advi');
  // Same seed, same draws; sample's own seed changes them.
  assert.deepEqual(a.sample(300).groups.posterior!.vars.mu.values, post.mu.values);
  assert.notDeepEqual(a.sample(300, { seed: 9 }).groups.posterior!.vars.mu.values, post.mu.values);
  assert.throws(() => a.sample(0), (e: unknown) => e instanceof OptionError && e.option === 'n');
});

test('a model with a discrete parameter is refused with an OptionError', () => {
  const base = fakeModel();
  const model: CompiledModel = { ...base, variables: [...base.variables, { name: 'k', kind: 'free', shape: [], dims: [], discrete: true }] };
  assert.throws(
    () => fit(model, { seed: 1 }),
    (e: unknown) => e instanceof OptionError && /ADVI fits continuous parameters only, but k is discrete/.test(e.message),
  );
});

test('progress events: start, step-size trials, evaluations with the running ELBO, end', () => {
  const events: AdviEvent[] = [];
  const ld = diagonalGaussian([0, 1], [1, 2]);
  const a = fit(ld, { seed: 2, n: 1000, tolerance: 0, progress: (e) => events.push(e) });
  assert.equal(events[0].type, 'start');
  assert.ok(events.some((e) => e.type === 'adapt'));
  const its = events.filter((e) => e.type === 'iteration');
  assert.equal(its.length, 10);
  for (const e of its) if (e.type === 'iteration') assert.ok(Number.isFinite(e.runningElbo) && e.elapsed >= 0);
  const end = events[events.length - 1];
  assert.equal(end.type, 'end');
  if (end.type === 'end') assert.equal(end.iterations, a.iterations);
});

test('a poor approximation gets a high k-hat and an honest message', () => {
  // A banana-shaped target: strongly non-Gaussian, so mean-field q is poor.
  const ld: LogDensity = {
    dim: 2,
    logDensityGrad(x, g) {
      const b = 1.5;
      const u = x[1] - b * (x[0] * x[0] - 1);
      g[0] = -x[0] + 2 * b * x[0] * u * 4;
      g[1] = -u * 4;
      return -0.5 * x[0] * x[0] - 2 * u * u;
    },
  };
  const a = fit(ld, { seed: 1, n: 10000, psisDraws: 2000 });
  assert.ok(a.paretoK.k > 0.5, `k-hat ${a.paretoK.k}`);
  assert.match(a.paretoK.message, /Pareto k-hat = \d\.\d\d/);
  assert.ok(a.warnings.length > 0);
});
