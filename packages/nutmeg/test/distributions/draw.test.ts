// Random draws of every distribution family against SciPy: chi-square on quantile/pmf bins and moments within MCSE at fixed seeds, plus layout, seeds and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError, OptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import * as C from '../../src/distributions/continuous.js';
import * as D from '../../src/distributions/discrete.js';
import type { ElementwiseDistribution } from '../../src/distributions/distribution.js';
import { draw, drawElements } from '../../src/distributions/draw.js';
import * as F from '../../src/distributions/factories.js';
import * as M from '../../src/distributions/multivariate.js';
import { Model } from '../../src/model/model.js';
import { checkChiSquare, checkStat, REFERENCE, Z, type ReferenceCase } from './drawChecks.js';

const FACTORIES = F as unknown as Record<string, (p: object) => F.DistributionSpec>;
const specOf = (c: ReferenceCase): F.DistributionSpec => FACTORIES[c.family](c.params);

/** Every family record exported by the family files (elementwise and composite). */
const FAMILIES = [...Object.values(C), ...Object.values(D), ...Object.values(M)].filter(
  (v): v is ElementwiseDistribution | M.CompositeDistribution => typeof v === 'object' && v !== null && 'paramSets' in v && 'sample' in v,
);

test('every family has reference cases for each of its parameter sets (improper ones refuse to draw)', () => {
  assert.ok(FAMILIES.length >= 21, `found ${FAMILIES.length} families`);
  for (const family of FAMILIES) {
    if ('improper' in family && family.improper) {
      assert.throws(() => draw({ family, params: {} }, { seed: 1 }), (e: Error) => e instanceof ModelError && /improper: it has no random draws/.test(e.message), family.name);
      continue;
    }
    const cases = REFERENCE.cases.filter((c) => c.family === family.name);
    assert.ok(cases.length >= 1, `${family.name} has no case in draw_reference.json (add one to gen_draw_reference.py)`);
    for (const set of family.paramSets) {
      const optional = 'defaults' in family ? Object.keys(family.defaults ?? {}) : [];
      const covered = cases.some((c) => set.every((k) => k in c.params || optional.includes(k)) && Object.keys(c.params).every((k) => set.includes(k)));
      assert.ok(covered, `${family.name}: no reference case with parameters {${set.join(', ')}}`);
    }
  }
});

for (const c of REFERENCE.cases.filter((r) => r.eventShape.length === 0)) {
  test(`${c.id}: chi-square on SciPy's bins, mean and variance within ${Z} MCSE, finite (seed ${c.seed})`, () => {
    const x = draw(specOf(c), { draws: c.draws, seed: c.seed });
    assert.equal(x.length, c.draws);
    checkStat(x, c.stats[0], c.id);
  });
}

/** Component i of every draw of a k-vector variable. */
function column(x: Float64Array, k: number, i: number): Float64Array {
  const out = new Float64Array(x.length / k);
  for (let d = 0; d < out.length; d++) out[d] = x[d * k + i];
  return out;
}

for (const c of REFERENCE.cases.filter((r) => r.eventShape.length > 0)) {
  test(`${c.family} ${JSON.stringify(c.params)}: marginals${c.family === 'MvNormal' ? ', Mahalanobis distance, cross moments' : ', simplex, covariances'} (seed ${c.seed})`, () => {
    const k = c.eventShape[0];
    const x = draw(specOf(c), { draws: c.draws, seed: c.seed });
    assert.equal(x.length, c.draws * k);
    for (const stat of c.stats) {
      if (stat.component !== undefined) {
        checkStat(column(x, k, stat.component), stat, `${c.id} component ${stat.component}`);
      } else if (stat.mahalanobis) {
        const { mean, precision } = stat.mahalanobis;
        const d2 = new Float64Array(c.draws);
        for (let d = 0; d < c.draws; d++) {
          let s = 0;
          for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += (x[d * k + i] - mean[i]) * precision[i * k + j] * (x[d * k + j] - mean[j]);
          d2[d] = s;
        }
        checkStat(d2, stat, `${c.id} Mahalanobis`);
      }
    }
    const mu = c.stats.filter((s) => s.component !== undefined).map((s) => s.mean!);
    for (const { i, j, mean, variance } of c.crossMoments ?? []) {
      // E[(xᵢ − μᵢ)(xⱼ − μⱼ)] = covᵢⱼ, with Var from Isserlis' theorem (SciPy's cov): a check of the correlation.
      let s = 0;
      for (let d = 0; d < c.draws; d++) s += (x[d * k + i] - mu[i]) * (x[d * k + j] - mu[j]);
      const se = Math.sqrt(variance / c.draws);
      assert.ok(Math.abs(s / c.draws - mean) <= Z * se, `${c.id}: cov[${i}, ${j}] ${s / c.draws} vs ${mean} (${((s / c.draws - mean) / se).toFixed(2)} SE)`);
    }
    for (const { i, j, covariance } of c.crossCovariance ?? []) {
      // The products' standard error is estimated from the draws themselves.
      const prod = new Float64Array(c.draws);
      for (let d = 0; d < c.draws; d++) prod[d] = (x[d * k + i] - mu[i]) * (x[d * k + j] - mu[j]);
      const m = prod.reduce((a, b) => a + b, 0) / c.draws;
      const se = Math.sqrt(prod.reduce((a, b) => a + (b - m) ** 2, 0) / (c.draws - 1) / c.draws);
      assert.ok(Math.abs(m - covariance) <= Z * se, `${c.id}: cov[${i}, ${j}] ${m} vs ${covariance} (${((m - covariance) / se).toFixed(2)} SE)`);
    }
    if (c.family === 'Dirichlet') {
      for (let d = 0; d < c.draws; d++) {
        let s = 0;
        for (let i = 0; i < k; i++) {
          assert.ok(x[d * k + i] >= 0 && x[d * k + i] <= 1, `${c.id}: component outside [0, 1]`);
          s += x[d * k + i];
        }
        assert.ok(Math.abs(s - 1) <= 1e-12, `${c.id}: draw ${d} sums to ${s}`);
      }
    }
  });
}

test('the check can fail: a Normal that uses sigma² as its scale, and a Poisson off by one, are caught', () => {
  const normal = REFERENCE.cases.find((c) => c.id === 'Normal(mu=1.5, sigma=2)')!;
  const wrong: ElementwiseDistribution = { ...C.Normal, sampleInto: undefined, sample: (rng, p) => p.mu + p.sigma * p.sigma * rng.normal() };
  const x = drawElements(wrong, { mu: Float64Array.of(1.5), sigma: Float64Array.of(2) }, new Float64Array(normal.draws), new Rng(normal.seed));
  assert.throws(() => checkStat(x, normal.stats[0], 'wrong Normal'), /chi-square|variance/);
  const right = drawElements(C.Normal, { mu: Float64Array.of(1.5), sigma: Float64Array.of(2) }, new Float64Array(normal.draws), new Rng(normal.seed));
  checkStat(right, normal.stats[0], 'the same call with the real Normal');

  const poisson = REFERENCE.cases.find((c) => c.id === 'Poisson(mu=3.5)')!;
  const shifted: ElementwiseDistribution = { ...D.Poisson, sample: (rng, p) => D.Poisson.sample(rng, p) + 1 };
  const y = drawElements(shifted, { mu: Float64Array.of(3.5) }, new Float64Array(poisson.draws), new Rng(poisson.seed));
  assert.throws(() => checkChiSquare(y, poisson.stats[0], 'shifted Poisson'), /chi-square/);
});

test('the same seed gives the same draws; another seed or a continued rng gives others', () => {
  const spec = F.Gamma({ alpha: [0.5, 2, 30], beta: 1.5 });
  const a = draw(spec, { draws: 50, seed: 7 });
  assert.deepEqual(draw(spec, { draws: 50, seed: 7 }), a);
  assert.notDeepEqual(draw(spec, { draws: 50, seed: 8 }), a);
  const rng = new Rng(7);
  assert.deepEqual(draw(spec, { draws: 50, rng }), a, 'seed s is new Rng(s)');
  assert.notDeepEqual(draw(spec, { draws: 50, rng }), a, 'the rng advances');
  const mv = F.MvNormal({ mu: [0, 1], cov: [[1, 0.5], [0.5, 2]] });
  assert.deepEqual(draw(mv, { draws: 10, seed: 3 }), draw(mv, { draws: 10, seed: 3 }));
});

test('layout: draws × broadcast shape, row-major, each element from the scalar sampler in order', () => {
  const mu = [0, 10, 20];
  const sigma = [[1], [2]];
  const x = draw(F.Normal({ mu, sigma }), { draws: 4, seed: 11 });
  assert.equal(x.length, 4 * 2 * 3);
  const rng = new Rng(11);
  for (let d = 0; d < 4; d++) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) assert.equal(x[d * 6 + i * 3 + j], C.Normal.sample(rng, { mu: mu[j], sigma: sigma[i][0] }), `draw ${d} [${i}][${j}]`);
    }
  }
  // `shape` broadcasts the parameters further; a draw count of 1 is the default.
  const y = draw(F.Poisson({ mu: [1, 100] }), { shape: [3, 2], seed: 5 });
  assert.equal(y.length, 6);
  for (let i = 0; i < 3; i++) assert.ok(y[i * 2 + 1] > y[i * 2], 'column 1 has mean 100, column 0 mean 1');
  assert.equal(draw(F.Bernoulli({ p: 1 }), { shape: 4, seed: 1 }).join(), '1,1,1,1');
  assert.equal(draw(F.Uniform(), { seed: 1 }).length, 1, 'defaults fill omitted parameters');
  assert.equal(draw(F.Normal({ mu: 0, sigma: 1 }), { draws: 0, seed: 1 }).length, 0);
  // Typed arrays are parameters too.
  assert.equal(draw(F.Exponential({ lam: Float64Array.of(1, 2, 3) }), { draws: 2, seed: 1 }).length, 6);
});

test('composites: MvNormal broadcasts mu over leading axes; Dirichlet batches of simplices', () => {
  const x = draw(F.MvNormal({ mu: [[0, 0], [100, -100]], chol: [[1, 0], [0.5, 1]] }), { draws: 200, seed: 2 });
  assert.equal(x.length, 200 * 4);
  let s2 = 0, s3 = 0;
  for (let d = 0; d < 200; d++) {
    s2 += x[d * 4 + 2];
    s3 += x[d * 4 + 3];
  }
  assert.ok(Math.abs(s2 / 200 - 100) < 0.5 && Math.abs(s3 / 200 + 100) < 0.5, 'row 1 has mean (100, −100)');
  const y = draw(F.MvNormal({ mu: 1, cov: [[1, 0], [0, 1]] }), { shape: [5, 2], seed: 2 });
  assert.equal(y.length, 10);
  const z = draw(F.Dirichlet({ a: [[1, 1, 1], [0.1, 0.1, 50]] }), { draws: 3, seed: 4 });
  assert.equal(z.length, 3 * 2 * 3);
  for (let r = 0; r < 6; r++) assert.ok(Math.abs(z[r * 3] + z[r * 3 + 1] + z[r * 3 + 2] - 1) < 1e-12);
  assert.ok(z[5] > 0.9 && z[11] > 0.9 && z[17] > 0.9, 'the second simplex puts its mass on its last component');
  assert.equal(draw(F.Dirichlet({ a: [2, 3] }), { shape: [4, 2], seed: 1 }).length, 8);
});

const throwsModel = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: Error) => e instanceof ModelError && pattern.test(e.message), String(pattern));

test('invalid parameters: a ModelError naming the family, the parameter, the rule and the position', () => {
  throwsModel(() => draw(F.Normal({ mu: 0, sigma: [1, -2, 3] }), { seed: 1 }), /Normal: parameter 'sigma' must be finite and > 0 \(violated at sigma\[1\]: -2\)/);
  throwsModel(() => draw(F.Normal({ mu: 0, sigma: [[1, 2], [3, 0]] }), { seed: 1 }), /sigma\[1\]\[1\]: 0/);
  throwsModel(() => draw(F.Normal({ mu: 0, tau: -1 }), { seed: 1 }), /'tau' must be finite and > 0/);
  throwsModel(() => draw(F.Normal({ mu: NaN, sigma: 1 }), { seed: 1 }), /'mu' must be finite \(violated at mu: NaN\)/);
  throwsModel(() => draw(F.Bernoulli({ p: [0.5, 1.5] }), { seed: 1 }), /Bernoulli: parameter 'p' must be in \[0, 1\] \(violated at p\[1\]: 1.5\)/);
  throwsModel(() => draw(F.Binomial({ n: 2.5, p: 0.5 }), { seed: 1 }), /'n' must be a non-negative integer/);
  throwsModel(() => draw(F.Binomial({ n: -1, p: 0.5 }), { seed: 1 }), /'n' must be a non-negative integer/);
  throwsModel(() => draw(F.Poisson({ mu: 0 }), { seed: 1 }), /Poisson: parameter 'mu' must be finite and > 0/);
  throwsModel(() => draw(F.Gamma({ alpha: 1, beta: Infinity }), { seed: 1 }), /'beta' must be finite and > 0/);
  throwsModel(() => draw(F.Uniform({ lower: [0, 2], upper: 1 }), { seed: 1 }), /Uniform: parameter 'upper' must be > 'lower' \(violated at element \[1\]: upper = 1, lower = 2\)/);
  throwsModel(() => draw(F.Uniform({ lower: 1, upper: 1 }), { seed: 1 }), /violated at the only element/);
  throwsModel(() => draw(F.MvNormal({ mu: [0, 0], cov: [[1, 2], [2, 1]] }), { seed: 1 }), /MvNormal: parameter 'cov' is not positive definite/);
  throwsModel(() => draw(F.MvNormal({ mu: [0, 0], cov: [[1, 0.5], [0.4, 1]] }), { seed: 1 }), /'cov' must be symmetric/);
  throwsModel(() => draw(F.MvNormal({ mu: [0, 0], chol: [[1, 0], [0.5, -1]] }), { seed: 1 }), /'chol' must have a positive diagonal \(violated at \[1, 1\]/);
  throwsModel(() => draw(F.MvNormal({ mu: [0, 0, 0], cov: [[1, 0], [0, 1]] }), { seed: 1 }), /do not broadcast/);
  throwsModel(() => draw(F.Dirichlet({ a: [1, 0, 2] }), { seed: 1 }), /Dirichlet: parameter 'a' must be finite and > 0 \(violated at element 1: 0\)/);
});

test('invalid inputs: Tensors, ragged arrays, shapes that do not broadcast, unknown parameters, options', () => {
  const m = new Model();
  const s = m.rv('s', F.HalfNormal({ sigma: 1 }));
  throwsModel(() => draw(F.Normal({ mu: 0, sigma: s }), { seed: 1 }), /parameter 'sigma' is a model Tensor; draw\(\) takes numbers, arrays or nested arrays/);
  throwsModel(() => draw(F.Normal({ mu: [[1, 2], [3]], sigma: 1 }), { seed: 1 }), /'mu' is a ragged array \(mu\[1\] should have length 2\)/);
  throwsModel(() => draw(F.Normal({ mu: [1, 2, 3], sigma: [1, 2] }), { seed: 1 }), /parameter shapes do not broadcast: mu has length 3 and sigma has length 2/);
  throwsModel(() => draw(F.Normal({ mu: [1, 2, 3], sigma: 1 }), { shape: [2], seed: 1 }), /'mu' of shape \[3\] does not broadcast to the shape \[2\]/);
  throwsModel(() => draw(F.Normal({ mu: 0, sd: 1 } as never), { seed: 1 }), /Normal has no parameter 'sd'/);
  throwsModel(() => draw(F.Gamma({ alpha: 1 } as never), { seed: 1 }), /Gamma needs parameters \{alpha, beta\} or \{mu, sigma\}/);
  const opt = (f: () => unknown, option: string) => assert.throws(f, (e: Error) => e instanceof OptionError && e.option === option, option);
  opt(() => draw(F.Normal({ sigma: 1 })), 'seed');
  opt(() => draw(F.Normal({ sigma: 1 }), { seed: 1, rng: new Rng(1) }), 'seed');
  opt(() => draw(F.Normal({ sigma: 1 }), { seed: 1, draws: 2.5 }), 'draws');
  opt(() => draw(F.Normal({ sigma: 1 }), { seed: 1, shape: [2, -1] }), 'shape');
});

test('drawElements: parameters of length 1 or n, checked, named after the variable', () => {
  const out = new Float64Array(4);
  const mu = Float64Array.of(0, 100, 200, 300);
  drawElements(C.Normal, { mu, sigma: Float64Array.of(1e-9) }, out, new Rng(1));
  out.forEach((v, i) => assert.ok(Math.abs(v - mu[i]) < 1e-6));
  drawElements(C.StudentT, { nu: Float64Array.of(4), sigma: Float64Array.of(1) }, out, new Rng(1)); // mu defaults to 0
  // Same stream as draw() over the same broadcast parameters.
  const viaDraw = draw(F.Poisson({ mu: [1, 2, 3, 4] }), { seed: 9 });
  assert.deepEqual(drawElements(D.Poisson, { mu: Float64Array.of(1, 2, 3, 4) }, new Float64Array(4), new Rng(9)), viaDraw);
  throwsModel(() => drawElements(C.Normal, { mu: Float64Array.of(0, 1), sigma: Float64Array.of(1) }, out, new Rng(1)), /'mu' has 2 values; expected 1 or 4/);
  throwsModel(
    () => drawElements(C.HalfNormal, { sigma: Float64Array.of(1, 1, -1, 1) }, out, new Rng(1), { variable: 'y' }),
    /HalfNormal 'y': parameter 'sigma' must be finite and > 0 \(violated at element 2: -1\)/,
  );
  assert.throws(() => drawElements(C.HalfFlat, {}, out, new Rng(1), { variable: 'z' }), (e: Error) => e instanceof ModelError && (e as ModelError).variable === 'z');
  throwsModel(() => drawElements(M.Dirichlet, { a: Float64Array.of(1, 1) }, out, new Rng(1)), /Dirichlet draws whole events/);
});

test('a family’s vectorised sampleInto gives the numbers of its scalar sample, in order (Normal: sigma and tau, shared and per element)', () => {
  for (const family of [C.Normal]) {
    const cases: Record<string, Float64Array>[] = [
      { mu: Float64Array.of(0.5), sigma: Float64Array.of(2) },
      { mu: Float64Array.from({ length: 7 }, (_, i) => i - 3), sigma: Float64Array.from({ length: 7 }, (_, i) => 0.5 + i) },
      { mu: Float64Array.of(1), tau: Float64Array.from({ length: 7 }, (_, i) => 1 + i) },
    ];
    for (const p of cases) {
      const n = 7;
      const fast = new Float64Array(n);
      family.sampleInto!(new Rng(11), p, fast);
      const rng = new Rng(11);
      const slow = Float64Array.from({ length: n }, (_, i) => family.sample(rng, Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a.length === 1 ? a[0] : a[i]]))));
      assert.deepEqual(fast, slow);
    }
  }
});
