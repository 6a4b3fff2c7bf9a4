// Prediction for new data and new groups against closed-form predictive moments; the errors that name the culprit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Normal, HalfNormal, predict, OptionError, ModelError, type Tensor } from '../../src/index.js';
import { exactPosterior, momentsOf } from './exactPosterior.js';

function withinMcse(got: number, want: number, mcse: number, what: string): void {
  assert.ok(Math.abs(got - want) <= 4.5 * mcse, `${what}: ${got} vs ${want} (mcse ${mcse})`);
}

const COUNTIES = ['A', 'B', 'C'];

/** Varying intercepts, centered (alpha ~ N(mu, tau)) or non-centered (alpha = mu + tau · z). */
function hierarchical(centered: boolean): Model {
  const m = new Model({ coords: { county: COUNTIES } });
  const floor = m.data('floor', [0, 1, 0, 1, 0, 1], { dims: 'obs_id' });
  const county = m.data('county', ['A', 'A', 'B', 'B', 'C', 'C'], { dims: 'obs_id', indexInto: 'county' });
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 5 }));
  const tau = m.rv('tau', HalfNormal({ sigma: 1 }));
  let alpha: Tensor;
  if (centered) alpha = m.rv('alpha', Normal({ mu, sigma: tau }), { dims: 'county' });
  else {
    const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
    alpha = m.deterministic('alpha', mu.add(tau.mul(z)), { dims: 'county' });
  }
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu: alpha.at(county).add(beta.mul(floor)), sigma }), { observed: [1, 0.5, 2, 1.4, 0.2, -0.3], dims: 'obs_id' });
  return m;
}

/** A posterior with fixed spreads, drawn exactly: mu ≈ N(1, 0.3), tau ≈ |N(0.8, 0.1)|, sigma = 0.5, beta ≈ N(−0.6, 0.1). */
function posterior(centered: boolean): ReturnType<typeof exactPosterior> {
  const alphaMeans = [1.2, 1.9, 0.1];
  return exactPosterior(4, 1500, {
    mu: { shape: [], draw: (rng) => 1 + 0.3 * rng.normal() },
    tau: { shape: [], draw: (rng) => Math.abs(0.8 + 0.1 * rng.normal()) },
    ...(centered
      ? { alpha: { shape: [3], dims: ['county'], draw: (rng, e) => alphaMeans[e] + 0.2 * rng.normal() } }
      : { z: { shape: [3], dims: ['county'], draw: (rng) => rng.normal() } }),
    beta: { shape: [], draw: (rng) => -0.6 + 0.1 * rng.normal() },
    sigma: { shape: [], draw: () => 0.5 },
  }, 21, { county: COUNTIES });
}

for (const centered of [true, false]) {
  test(`predict (${centered ? 'centered' : 'non-centered'}): a new row of a known county, and a county not in the data`, () => {
    const m = hierarchical(centered);
    const idata = posterior(centered);
    const pred = predict(m, idata, { data: { floor: [1, 0, 0], county: ['A', 'Nowhere', 'Nowhere'] }, allowNewLevels: true, seed: 8 });
    const y = pred.groups.predictions!.vars.y;
    assert.deepEqual(y.shape, [3]);
    assert.deepEqual(y.dims, ['obs_id']);
    assert.deepEqual(pred.coords.county, ['A', 'B', 'C', 'Nowhere']);
    assert.deepEqual(pred.coords.obs_id, [0, 1, 2]);
    assert.deepEqual(Array.from(pred.groups.predictions_constant_data!.vars.county.values), [0, 3, 3]);
    const post = idata.groups.posterior!.vars;
    // Known county A with floor 1: E = E[alpha_A] + E[beta], Var = Var(alpha_A + beta) + sigma².
    const rows = 6000;
    const alphaA = Float64Array.from({ length: rows }, (_, r) => (centered ? post.alpha.values[3 * r] : post.mu.values[r] + post.tau.values[r] * post.z.values[3 * r]));
    const meanOf = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    const linA = alphaA.map((a, r) => a + post.beta.values[r]);
    const mA = meanOf(linA);
    const vA = linA.reduce((s, v) => s + (v - mA) ** 2, 0) / (rows - 1) + 0.25;
    const s0 = momentsOf(y.values, 3, 0);
    withinMcse(s0.mean, mA, s0.mcseMean, 'mean of a new house in county A');
    withinMcse(s0.variance, vA, s0.mcseVariance, 'variance of a new house in county A');
    // New county, floor 0: alpha_new | mu, tau ~ N(mu, tau): E = E[mu], Var = Var(mu) + E[tau²] + sigma².
    const mu = post.mu.values;
    const tau = post.tau.values;
    const eMu = meanOf(mu);
    const vNew = mu.reduce((s, v) => s + (v - eMu) ** 2, 0) / (rows - 1) + tau.reduce((s, t) => s + t * t, 0) / rows + 0.25;
    for (const e of [1, 2]) {
      const s = momentsOf(y.values, 3, e);
      withinMcse(s.mean, eMu, s.mcseMean, `mean of a house in a new county (row ${e})`);
      withinMcse(s.variance, vNew, s.mcseVariance, `variance of a house in a new county (row ${e})`);
    }
    // Both rows of the new county share one drawn intercept per draw: their difference has variance 2σ² only.
    const diff = Float64Array.from({ length: rows }, (_, r) => y.values[3 * r + 1] - y.values[3 * r + 2]);
    const sd = momentsOf(diff, 1, 0);
    withinMcse(sd.variance, 0.5, sd.mcseVariance, 'variance of the difference of two houses in one new county');
    // The new county's intercept is returned on request, with the extended coords.
    const withAlpha = predict(m, idata, { data: { floor: [0], county: ['Nowhere'] }, allowNewLevels: true, seed: 8, varNames: ['alpha'] });
    assert.deepEqual(withAlpha.groups.predictions!.vars.alpha.shape, [4]);
    const fitted = Float64Array.from({ length: rows }, (_, r) => withAlpha.groups.predictions!.vars.alpha.values[4 * r]);
    fitted.forEach((v, r) => assert.ok(Math.abs(v - alphaA[r]) <= 1e-12, 'fitted counties keep their posterior values'));
  });
}

test('predict with positions, the same seed twice, and no new levels needed', () => {
  const m = hierarchical(true);
  const idata = posterior(true);
  const a = predict(m, idata, { data: { floor: [0, 1], county: [2, 'B'] }, seed: 3 });
  const b = predict(m, idata, { data: { floor: [0, 1], county: [2, 'B'] }, seed: 3 });
  assert.deepEqual(a.groups.predictions!.vars.y.values, b.groups.predictions!.vars.y.values);
  assert.deepEqual(a.coords.county, COUNTIES);
});

test('predict errors name the culprit and keep the user’s data', () => {
  const m = hierarchical(true);
  const idata = posterior(true);
  const fails = (data: Record<string, unknown>, pattern: RegExp, extra: object = {}): void =>
    assert.throws(() => predict(m, idata, { data: data as never, seed: 1, ...extra }), (e: unknown) => (e instanceof OptionError || e instanceof ModelError) && pattern.test(e.message), `expected ${pattern}`);
  fails({ flor: [0] }, /no data container 'flor' \(its data: floor, county\)/);
  fails({ y: [0] }, /'y' is an observed variable, not a data container/);
  fails({ floor: [[0, 1]] }, /data\.floor: shape \[1, 2\] does not fit the model's \[6\]/);
  fails({ floor: [0, NaN], county: ['A', 'B'] }, /data\.floor: element 1 is NaN/);
  fails({ floor: [0], county: ['Nowhere'] }, /data\.county: row 0 holds 'Nowhere', which is not a level of 'county' .*allowNewLevels: true/);
  fails({ floor: [0], county: [7] }, /data\.county: row 0 holds 7, not a position of 'county' \(0…2\)/);
  fails({ floor: [0, 1, 0], county: ['A', 'B'] }, /new data \(floor \[3\], county \[2\]\) do not fit the model/);
  fails({ floor: [0, 1] }, /new data \(floor \[2\]\) do not fit the model/);
  assert.throws(() => predict(m, idata, undefined as never), (e: unknown) => e instanceof OptionError && e.option === 'data');
});
