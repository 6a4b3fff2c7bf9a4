// The sufficient-statistics rewrite of Gaussian-linear likelihoods (compiler/gaussianLinear.ts) against the row loop, finite differences and direct sums.
//
// Tolerances: gaussianLinearCases.ts derives them from the magnitudes both paths add up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HalfCauchy, HalfNormal, Model, Normal, Rng, type CompiledModel, type Tensor } from '../../src/index.js';
import { exp, matvec } from '../../src/graph/tensor.js';
import { groupLeastSquares, groupStatisticsStride } from '../../src/math/groupLeastSquares.js';
import { checkGradient } from './fd.js';
import { evaluate, linearModel, linearTheta, linearTolerances, randomCase, rawSumsLikelihood, rewrittenTerms, type LinearCase } from './gaussianLinearCases.js';
import { loadRadon } from '../vi/radonDensity.js';

/** Asserts that a model's log density and gradient agree with and without the rewrite, in both loop engines, within `tol`. */
function assertAgrees(build: () => Model, theta: Float64Array, tol: (cm: CompiledModel, grad: Float64Array) => { lp: number; grad: number }, what: string): CompiledModel {
  const off = build().compile({ sufficientStatistics: false });
  const ref = evaluate(off, theta);
  const t = tol(off, ref.grad);
  for (const wasm of [true, false]) {
    const on = build().compile({ wasm });
    const r = evaluate(on, theta);
    const where = `${what} (wasm ${wasm})`;
    assert.ok(Math.abs(r.lp - ref.lp) <= t.lp, `${where}: log density ${r.lp} vs row loop ${ref.lp} (tolerance ${t.lp})`);
    assert.ok(Math.abs(r.value - ref.lp) <= t.lp, `${where}: logDensity ${r.value} vs row loop ${ref.lp}`);
    for (let j = 0; j < on.dim; j++) assert.ok(Math.abs(r.grad[j] - ref.grad[j]) <= t.grad, `${where}: gradient ${j}: ${r.grad[j]} vs row loop ${ref.grad[j]} (tolerance ${t.grad})`);
    // The per-variable log densities still run over the rows: their sum is the same log density.
    const total = Object.values(on.logDensityByVariable(theta)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - r.lp) <= t.lp, `${where}: per-variable sum ${total} vs ${r.lp}`);
  }
  return build().compile();
}

// ---- radon (packages/cli/data/radon.csv), the models of packages/cli/src/radon/models.ts

const radon = loadRadon();

function radonModel(kind: 'centered' | 'noncentered' | 'pooled'): Model {
  const m = new Model();
  const county = radon.county;
  let alpha: Tensor;
  let beta: Tensor;
  if (kind === 'pooled') {
    alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
    beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  } else {
    const muA = m.rv('mu_alpha', Normal({ mu: 0, sigma: 1 }));
    const sA = m.rv('sigma_alpha', HalfCauchy({ beta: 1 }));
    const muB = m.rv('mu_beta', Normal({ mu: 0, sigma: 1 }));
    const sB = m.rv('sigma_beta', HalfCauchy({ beta: 1 }));
    const G = radon.nCounties;
    if (kind === 'centered') {
      alpha = m.rv('alpha', Normal({ mu: muA, sigma: sA }), { shape: [G] });
      beta = m.rv('beta', Normal({ mu: muB, sigma: sB }), { shape: [G] });
    } else {
      alpha = m.deterministic('alpha', muA.add(sA.mul(m.rv('alpha_offset', Normal({ mu: 0, sigma: 1 }), { shape: [G] }))));
      beta = m.deterministic('beta', muB.add(sB.mul(m.rv('beta_offset', Normal({ mu: 0, sigma: 1 }), { shape: [G] }))));
    }
    alpha = alpha.at(county);
    beta = beta.at(county);
  }
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  const mu = alpha.add(beta.mul(m.data('floor', radon.floor)));
  m.rv('log_radon', Normal({ mu, sigma: eps }), { observed: radon.y });
  return m;
}

for (const kind of ['centered', 'noncentered', 'pooled'] as const) {
  test(`radon ${kind}: per-group statistics give the row loop's log density and gradient`, () => {
    const build = (): Model => radonModel(kind);
    assert.equal(rewrittenTerms(build()), 1);
    const cm = build().compile();
    for (let p = 0; p < 3; p++) {
      const theta = cm.initialPoint();
      for (let i = 0; i < theta.length; i++) theta[i] += 0.4 * Math.sin(1.7 * i + p);
      const values = cm.constrain(theta);
      const perGroup = kind !== 'pooled';
      const asCase: LinearCase = {
        y: radon.y,
        index: radon.county,
        groups: radon.nCounties,
        columns: [
          { values: null, perGroup },
          { values: radon.floor, perGroup },
        ],
        sigmaPerGroup: false,
        v: [values.alpha, values.beta],
        sigma: values.eps,
        priorCentre: 0,
        priorScale: 1,
      };
      const compiled = assertAgrees(build, theta, (off, grad) => linearTolerances(off, asCase, theta, grad), `radon ${kind}, point ${p}`);
      checkGradient(compiled, theta, `radon ${kind}, point ${p}`);
    }
  });
}

test('random data: per-group intercepts and slopes, shared coefficients, a data offset, per-group sigma', () => {
  const shapes = [
    { seed: 1, groups: 5, columns: [{ kind: 'intercept', perGroup: true }, { kind: 'random', perGroup: true }], extraRows: 40, offset: 0, dataOffset: false, sigmaPerGroup: false },
    { seed: 2, groups: 7, columns: [{ kind: 'intercept', perGroup: true }, { kind: 'random', perGroup: false }, { kind: 'groupConstant', perGroup: false }], extraRows: 60, offset: 3, dataOffset: true, sigmaPerGroup: true },
    { seed: 3, groups: 1, columns: [{ kind: 'intercept', perGroup: false }, { kind: 'random', perGroup: false }, { kind: 'random', perGroup: false }], extraRows: 30, offset: 0, dataOffset: false, sigmaPerGroup: false },
    { seed: 4, groups: 4, columns: [{ kind: 'intercept', perGroup: true }, { kind: 'nearCollinear', perGroup: true }], extraRows: 30, offset: 1e6, dataOffset: false, sigmaPerGroup: false },
  ] as const;
  for (const shape of shapes) {
    const c = randomCase(shape, new Rng(shape.seed));
    const build = (): Model => linearModel(c);
    assert.equal(rewrittenTerms(build()), 1, `seed ${shape.seed}`);
    const cm = build().compile();
    const theta = linearTheta(cm, c);
    const compiled = assertAgrees(build, theta, (off, grad) => linearTolerances(off, c, theta, grad), `random case ${shape.seed}`);
    if (shape.offset < 1e3) checkGradient(compiled, theta, `random case ${shape.seed}`);
  }
});

test('y ≈ 1e6 + noise: the statistics hold the row loop value where raw sums (Σy², Xᵀy, XᵀX) miss it', () => {
  const shape = { seed: 5, groups: 4, columns: [{ kind: 'intercept', perGroup: true }, { kind: 'random', perGroup: true }], extraRows: 300, offset: 1e6, dataOffset: false, sigmaPerGroup: false } as const;
  const c = randomCase(shape, new Rng(shape.seed));
  const build = (): Model => linearModel(c);
  const off = build().compile({ sufficientStatistics: false });
  const theta = linearTheta(off, c);
  assertAgrees(build, theta, (cm, grad) => linearTolerances(cm, c, theta, grad), 'y ≈ 1e6');
  const ref = evaluate(off, theta);
  const tol = linearTolerances(off, c, theta, ref.grad).lp;
  const rowLikelihood = off.logDensityByVariable(theta).y;
  const miss = Math.abs(rawSumsLikelihood(c) - rowLikelihood);
  assert.ok(miss > 10 * tol, `raw sums miss by ${miss}, the tolerance is ${tol}: the test would not see the cancellation`);
});

test('more shapes the rewrite takes: a matvec, division by data, negation and subtraction', () => {
  const rng = new Rng(5);
  const n = 60;
  const G = 4;
  const index = Int32Array.from({ length: n }, (_, i) => i % G);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const w = Float64Array.from({ length: n }, () => 1 + rng.uniform());
  const y = Float64Array.from({ length: n }, (_, i) => X[i][0] - X[i][1] + (i % G) + rng.normal());
  const build = (): Model => {
    const m = new Model();
    const b = m.rv('b', Normal({ mu: 0, sigma: 3 }), { shape: [2] });
    const a = m.rv('a', Normal({ mu: 0, sigma: 3 }), { shape: [G] });
    const c = m.rv('c', Normal({ mu: 0, sigma: 3 }));
    const mu = matvec(m.data('X', X), b).sub(a.at(index).neg().div(m.data('w', w))).add(c.mul(2));
    m.rv('y', Normal({ mu, sigma: m.rv('s', HalfNormal({ sigma: 1 })) }), { observed: y });
    return m;
  };
  assert.equal(rewrittenTerms(build()), 1);
  // The statistics are built from the model's data without writing to it.
  const model = build();
  const dataBefore = model.spec.nodes.flatMap((n) => (n.kind === 'data' ? [n.values.slice()] : []));
  const cm = model.compile();
  assert.deepEqual(model.spec.nodes.flatMap((n) => (n.kind === 'data' ? [n.values] : [])), dataBefore);
  const theta = Float64Array.from({ length: cm.dim }, (_, j) => 0.3 * Math.cos(j));
  const compiled = assertAgrees(build, theta, (off, grad) => ({ lp: 1e-12 * (1 + Object.values(off.logDensityByVariable(theta)).reduce((s, t) => s + Math.abs(t), 0)) * 10, grad: 1e-11 * (n + Math.max(...grad.map(Math.abs))) }), 'matvec');
  checkGradient(compiled, theta, 'matvec, div, neg, sub');
});

test('shapes the rewrite leaves to the row loop compile and agree with finite differences', () => {
  const rng = new Rng(9);
  const n = 80;
  const c1 = Int32Array.from({ length: n }, (_, i) => i % 4);
  const c2 = Int32Array.from({ length: n }, (_, i) => (i * 7) % 5);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => rng.normal());
  const cases: [string, (m: Model) => { mu: Tensor; sigma: Tensor }][] = [
    ['two gather indices', (m) => ({ mu: m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1).add(m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [5] }).at(c2).mul(x)), sigma: m.rv('s', HalfNormal({ sigma: 1 })) })],
    ['exp(…) of a per-row value in mu', (m) => ({ mu: exp(m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1)).mul(x), sigma: m.rv('s', HalfNormal({ sigma: 1 })) })],
    ['a product of two parameters', (m) => ({ mu: m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1).mul(m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1)), sigma: m.rv('s', HalfNormal({ sigma: 1 })) })],
    ['sigma per row', (m) => ({ mu: m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1), sigma: m.rv('s', HalfNormal({ sigma: 1 })).mul(m.data('w', Float64Array.from(x, (v) => 1 + v * v))) })],
    ['sigma gathered by another index', (m) => ({ mu: m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] }).at(c1), sigma: m.rv('s', HalfNormal({ sigma: 1 }), { shape: [5] }).at(c2) })],
  ];
  for (const [name, make] of cases) {
    const build = (): Model => {
      const m = new Model();
      const { mu, sigma } = make(m);
      m.rv('y', Normal({ mu, sigma }), { observed: y });
      return m;
    };
    assert.equal(rewrittenTerms(build()), 0, name);
    const on = build().compile();
    const off = build().compile({ sufficientStatistics: false });
    const theta = Float64Array.from({ length: on.dim }, (_, j) => 0.2 * Math.sin(j + 1));
    const a = evaluate(on, theta);
    const b = evaluate(off, theta);
    assert.equal(a.lp, b.lp, name);
    assert.deepEqual(a.grad, b.grad, name);
    checkGradient(on, theta, name);
  }
});

test('too few rows per group: the row loop stays', () => {
  const G = 10;
  const index = Int32Array.from({ length: 25 }, (_, i) => i % G);
  const build = (y: Float64Array): Model => {
    const m = new Model();
    const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [G] });
    const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [G] });
    m.rv('y', Normal({ mu: a.at(index).add(b.at(index).mul(m.data('x', Float64Array.from(index, (g) => g + 0.5)))), sigma: 1 }), { observed: y });
    return m;
  };
  // 25 rows < 10 groups × (K + 1 = 3).
  assert.equal(rewrittenTerms(build(new Float64Array(25).fill(1))), 0);
});

test('groupLeastSquares: Q(V) = RSS − 2dᵀc + ‖Rd‖² for rank-deficient groups, single rows and empty groups', () => {
  const rng = new Rng(3);
  // Group 0: intercept and a column constant in it (collinear); group 1: one row; group 2: empty; group 3: a zero column.
  const groupOf = [0, 0, 0, 0, 0, 1, 3, 3, 3, 3];
  const n = groupOf.length;
  const ones = new Float64Array(n).fill(1);
  const x = Float64Array.from(groupOf, (g, i) => (g === 0 ? 2.5 : g === 3 ? 0 : 1 + i));
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => 1e6 + rng.normal());
  const columns = [ones, x, z];
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const starts = Int32Array.of(0, 5, 6, 6, 10);
  const s = groupLeastSquares(y, columns, rows, starts);
  const K = 3;
  const stride = groupStatisticsStride(K);
  for (let g = 0; g < 4; g++) {
    const o = g * stride;
    assert.equal(s[o], starts[g + 1] - starts[g]);
    for (let trial = 0; trial < 3; trial++) {
      const V = [1e6 + rng.normal(), rng.normal(), rng.normal()];
      let direct = 0;
      let scale = 0;
      for (let i = starts[g]; i < starts[g + 1]; i++) {
        const r = y[i] - columns.reduce((acc, col, k) => acc + col[i] * V[k], 0);
        direct += r * r;
        scale += Math.abs(r) * (Math.abs(y[i]) + columns.reduce((acc, col, k) => acc + Math.abs(col[i] * V[k]), 0));
      }
      const d = V.map((v, k) => v - s[o + 2 + K + k]);
      let quad = 0;
      let at = o + 2 + 2 * K;
      for (let j = 0; j < K; j++) {
        let u = 0;
        for (let l = j; l < K; l++) u += s[at++] * d[l];
        quad += u * u;
      }
      const q = s[o + 1] - 2 * d.reduce((acc, dk, k) => acc + dk * s[o + 2 + k], 0) + quad;
      assert.ok(Math.abs(q - direct) <= 1e-12 * (1 + direct + scale), `group ${g}: ${q} vs ${direct}`);
    }
    // V̂ is a least-squares solution: c = Xᵀ(y − XV̂) is tiny next to ‖X‖·‖y‖.
    for (let k = 0; k < K; k++) {
      let scale = 0;
      for (let i = starts[g]; i < starts[g + 1]; i++) scale += Math.abs(columns[k][i] * y[i]);
      assert.ok(Math.abs(s[o + 2 + k]) <= 1e-13 * scale, `group ${g}: c[${k}] = ${s[o + 2 + k]}, scale ${scale}`);
    }
  }
  // The @example: one group, an intercept.
  const e = groupLeastSquares(Float64Array.of(1, 2, 6), [Float64Array.of(1, 1, 1)], Int32Array.of(0, 1, 2), Int32Array.of(0, 3));
  assert.equal(e[0], 3);
  assert.ok(Math.abs(e[1] - 14) < 1e-12 && Math.abs(e[2]) < 1e-12 && Math.abs(e[3] - 3) < 1e-12 && Math.abs(e[4] + Math.sqrt(3)) < 1e-12, String(Array.from(e)));
});

test('the row loop of a[g] + b[g] (two segment values sharing one adjoint total) compiles', () => {
  // Found by the fuzz test: the segment flush defined the shared total twice (a SyntaxError).
  const rng = new Rng(2);
  const index = Int32Array.from({ length: 30 }, (_, i) => i % 3);
  const y = Float64Array.from({ length: 30 }, () => rng.normal());
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  m.rv('y', Normal({ mu: a.at(index).add(b.at(index)), sigma: m.rv('s', HalfNormal({ sigma: 1 }), { shape: [3] }).at(index) }), { observed: y });
  for (const wasm of [true, false]) {
    const cm = m.compile({ wasm, sufficientStatistics: false });
    checkGradient(cm, Float64Array.from({ length: cm.dim }, (_, j) => 0.1 * j), `a[g] + b[g], wasm ${wasm}`);
  }
});

test('unused entries of per-group vectors are never read: an infinite V or a zero sigma there changes nothing', () => {
  const rng = new Rng(4);
  const n = 60;
  // Index values 0, 2, 3: entry 1 of every per-group vector is unused.
  const index = Int32Array.from({ length: n }, (_, i) => [0, 2, 3][i % 3]);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => rng.normal());
  const build = (): Model => {
    const m = new Model();
    const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] });
    const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [4] });
    const sd = m.data('sd', [1, 0, 2, 1.5]);
    m.rv('y', Normal({ mu: exp(a).at(index).add(b.at(index).mul(m.data('x', x))), sigma: sd.at(index) }), { observed: y });
    return m;
  };
  assert.equal(rewrittenTerms(build()), 1);
  const theta = Float64Array.of(0.1, 800, -0.2, 0.3, 0.5, 0.1, -0.4, 0.2); // exp(a[1]) = Infinity
  for (const wasm of [true, false]) {
    const on = evaluate(build().compile({ wasm }), theta);
    const off = evaluate(build().compile({ wasm, sufficientStatistics: false }), theta);
    assert.ok(Number.isFinite(on.lp) && Math.abs(on.lp - off.lp) <= 1e-12 * (1 + Math.abs(off.lp)) * 100, `wasm ${wasm}: ${on.lp} vs ${off.lp}`);
    // ∂/∂a[1] is NaN in both (exp(a)'s backward pass: a zero adjoint times exp(800) = ∞); the rest agree.
    for (let j = 0; j < theta.length; j++) {
      const same = Object.is(on.grad[j], off.grad[j]) || Math.abs(on.grad[j] - off.grad[j]) <= 1e-10 * (1 + Math.abs(off.grad[j]));
      assert.ok(same, `wasm ${wasm}: gradient ${j}: ${on.grad[j]} vs ${off.grad[j]}`);
    }
  }
});
