// Generated sources do not depend on data sizes: models of one structure over data of different sizes compile to identical code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Normal, HalfCauchy, HalfNormal, Dirichlet, MvNormal, Rng, type CompiledModel } from '../../src/index.js';
import { sum, dot } from '../../src/graph/tensor.js';
import { checkGradient } from './fd.js';

const sourcesOf = (cm: CompiledModel): string[] => (cm as unknown as { __sources: string[] }).__sources;

/** The radon single-county model (cli/radon/models.ts `singleCounty`) over n rows. */
function singleCounty(n: number, rng: Rng): Model {
  const floor = Float64Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0));
  const y = Float64Array.from({ length: n }, () => 1 + rng.normal());
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  m.rv('log_radon', Normal({ mu: alpha.add(beta.mul(floor)), sigma: eps }), { observed: y });
  return m;
}

/**
 * A model whose every size comes from the data: J groups (a vector parameter, so the offsets of
 * the parameters after it depend on J), N rows gathered by group, a [J, 2] parameter broadcast
 * against a [2] one, a K-simplex, sum and dot kernels. The MvNormal keeps its dimension: its
 * normalising constant is computed from the covariance when the graph is built and enters the
 * graph as a constant (literal) node.
 */
function everySize(J: number, N: number, K: number, rng: Rng): Model {
  const group = Int32Array.from({ length: N }, (_, i) => i % J);
  const x = Float64Array.from({ length: N }, () => rng.normal());
  const y = Float64Array.from({ length: N }, () => rng.normal());
  const cov = [[2, 0.5, 0.5], [0.5, 2, 0.5], [0.5, 0.5, 2]];
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  const alpha = m.rv('alpha', Normal({ mu, sigma: 1 }), { shape: [J] });
  const w = m.rv('w', Normal({ mu: 0, sigma: 1 }), { shape: [2] });
  m.rv('b', Normal({ mu: w, sigma: 1 }), { shape: [J, 2] });
  const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
  m.rv('p', Dirichlet({ a: Array.from({ length: K }, () => 1.5) }));
  const v = m.rv('v', MvNormal({ mu: [0, 0, 0], cov }));
  m.potential('pull', sum(alpha).mul(-0.01).add(dot(v, v).mul(-0.01)));
  m.rv('y', Normal({ mu: alpha.at(group).add(mu.mul(x)), sigma }), { observed: y });
  return m;
}

test('single-county models over 4 and 52 rows compile to identical sources', () => {
  const rng = new Rng(7);
  const a = singleCounty(4, rng).compile();
  const b = singleCounty(52, rng).compile();
  assert.deepEqual(sourcesOf(a), sourcesOf(b));
  // The sizes are in the environment, not the source: the densities differ as the data do.
  const th = Float64Array.of(0.3, -0.2, 0.1);
  checkGradient(a, th, 'single county, 4 rows');
  checkGradient(b, th, 'single county, 52 rows');
});

test('sizes, offsets, broadcast strides, segment counts and kernel sizes are not spelled in the source', () => {
  const rng = new Rng(11);
  // Every data set has at most N / 2 groups, so all three run the likelihood group by group (a
  // choice the compiler makes from the data: with more groups it runs row by row).
  const models = [everySize(3, 10, 3, rng), everySize(6, 31, 6, rng), everySize(4, 12, 5, rng)].map((m) => m.compile());
  // The third has coinciding sizes (J = K − 1 = 4): names follow the structure, not the values.
  for (const cm of models.slice(1)) assert.deepEqual(sourcesOf(cm), sourcesOf(models[0]));
  for (const cm of models) {
    const th = cm.initialPoint();
    for (let i = 0; i < th.length; i++) th[i] += 0.3 * Math.sin(1.7 * i + 0.5);
    checkGradient(cm, th, `everySize dim ${cm.dim}`);
  }
});

test('models of one structure share generated code but each keeps its own data', () => {
  const rng = new Rng(13);
  const th = Float64Array.of(0.3, -0.2, 0.1);
  const a = singleCounty(5, rng).compile();
  const ga = new Float64Array(3);
  const la = a.logDensityGrad(th, ga);
  // The second model's programs come from the same factories (one function literal each).
  const b = singleCounty(40, rng).compile();
  const gb = new Float64Array(3);
  const lb = b.logDensityGrad(th, gb);
  assert.notEqual(la, lb);
  // Interleaved long enough for V8 to optimise the shared code: each still reads its own data.
  const g = new Float64Array(3);
  for (let k = 0; k < 20_000; k++) {
    const m = k % 2 === 0 ? a : b;
    const l = m.logDensityGrad(th, g);
    if (k % 1000 < 2) {
      assert.equal(l, m === a ? la : lb);
      assert.deepEqual(g, m === a ? ga : gb);
    }
  }
  assert.equal(a.logDensity?.(th), la);
  assert.equal(b.logDensity?.(th), lb);
});

test('log σ of an exp-transformed scale reads θ: no logarithm in the code, the log density and gradient of the formula', () => {
  // Normal(y | mu, σ) with σ = exp(θ_s): its −n·log σ is −n·θ_s. Both likelihood paths: per-group
  // statistics (default) and the row loop; a vector scale too (one σ per group, gathered).
  const y = [0.4, -1.3, 2.2, 0.9, 1.1];
  const group = Int32Array.of(0, 1, 0, 1, 1);
  const builds: [string, (m: Model) => void][] = [
    ['scalar σ', (m) => m.rv('y', Normal({ mu: m.rv('mu', Normal({ mu: 0, sigma: 1 })), sigma: m.rv('s', HalfNormal({ sigma: 1 })) }), { observed: y })],
    ['σ per group', (m) => m.rv('y', Normal({ mu: m.rv('mu', Normal({ mu: 0, sigma: 1 })), sigma: m.rv('s', HalfNormal({ sigma: 1 }), { shape: [2] }).at(group) }), { observed: y })],
  ];
  for (const [name, build] of builds) {
    for (const sufficientStatistics of [true, false]) {
      const m = new Model();
      build(m);
      const cm = m.compile({ sufficientStatistics });
      for (const src of sourcesOf(cm)) assert.ok(!/logIO\(\)|\blog\(/.test(src), `${name}: a logarithm left in\n${src}`);
      const th = cm.dim === 2 ? Float64Array.of(0.3, -0.4) : Float64Array.of(0.3, -0.4, 0.25);
      const mu = th[0];
      const sd = (i: number) => Math.exp(cm.dim === 2 ? th[1] : th[1 + group[i]]);
      // The formula: Normal(mu | 0, 1), HalfNormal(σ | 1) with its log-Jacobian θ, the likelihood.
      let expected = -0.5 * mu * mu - 0.5 * Math.log(2 * Math.PI);
      for (let k = 1; k < cm.dim; k++) expected += Math.log(Math.sqrt(2 / Math.PI)) - 0.5 * Math.exp(2 * th[k]) + th[k];
      y.forEach((yi, i) => (expected += -0.5 * Math.log(2 * Math.PI) - Math.log(sd(i)) - (0.5 * (yi - mu) ** 2) / sd(i) ** 2));
      const lp = cm.logDensityGrad(th, new Float64Array(cm.dim));
      assert.ok(Math.abs(lp - expected) < 1e-12 * Math.abs(expected), `${name}: ${lp} against ${expected}`);
      checkGradient(cm, th, `${name}, sufficientStatistics ${sufficientStatistics}`);
    }
  }
});
