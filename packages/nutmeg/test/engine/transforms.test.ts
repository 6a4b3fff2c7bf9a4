// Transforms: round trips, log|det J| against finite-difference Jacobians, and the graph-built transforms of compiled models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Model,
  Rng,
  Flat,
  HalfFlat,
  Uniform,
  Dirichlet,
  HalfNormal,
  Normal,
  Beta,
  Gamma,
  special,
} from '../../src/index.js';
import { bijectTo, identityTransform, logTransform, logitIntervalTransform, simplexTransform, TRANSFORMS, type Transform } from '../../src/transforms/index.js';
import { logAbsDet, numericJacobian } from './fd.js';

const rng = new Rng(77);
const uniforms = (n: number, lo: number, hi: number): Float64Array => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

type Bounds = { lower?: number; upper?: number } | undefined;
interface Case {
  name: string;
  t: Transform;
  bounds: Bounds;
  /** Unconstrained size for a constrained vector of length n. */
  n: number;
}
const CASES: Case[] = [
  { name: 'identity', t: identityTransform, bounds: undefined, n: 4 },
  { name: 'log', t: logTransform, bounds: undefined, n: 4 },
  { name: 'logit on (0, 1)', t: logitIntervalTransform, bounds: undefined, n: 4 },
  { name: 'logit on (-2, 3)', t: logitIntervalTransform, bounds: { lower: -2, upper: 3 }, n: 4 },
  { name: 'logit on (10, 10.5)', t: logitIntervalTransform, bounds: { lower: 10, upper: 10.5 }, n: 3 },
  { name: 'simplex K = 2', t: simplexTransform, bounds: undefined, n: 2 },
  { name: 'simplex K = 3', t: simplexTransform, bounds: undefined, n: 3 },
  { name: 'simplex K = 6', t: simplexTransform, bounds: undefined, n: 6 },
];
const usize = (c: Case): number => c.t.unconstrainedShape([c.n])[0] ?? 1;

/** |a − b| ≤ rtol·max(1, |b|). */
function near(a: number, b: number, rtol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b} (diff ${a - b})`);
}

test('the registry: bijectTo maps each support to its transform; TRANSFORMS by name', () => {
  assert.equal(bijectTo({ kind: 'real' }), identityTransform);
  assert.equal(bijectTo({ kind: 'positive' }), logTransform);
  assert.equal(bijectTo({ kind: 'unit' }), logitIntervalTransform);
  assert.equal(bijectTo({ kind: 'interval', lower: 'lower', upper: 'upper' }), logitIntervalTransform);
  assert.equal(bijectTo({ kind: 'simplex' }), simplexTransform);
  assert.equal(bijectTo({ kind: 'count' }), null);
  assert.equal(bijectTo({ kind: 'binary' }), null);
  for (const [name, t] of Object.entries(TRANSFORMS)) assert.equal(t.name, name);
  assert.deepEqual(simplexTransform.unconstrainedShape([5]), [4]);
  assert.deepEqual(logTransform.unconstrainedShape([2, 3]), [2, 3]);
});

for (const c of CASES) {
  test(`${c.name}: inverse(forward(y)) = y and forward(inverse(x)) = x`, () => {
    for (let k = 0; k < 20; k++) {
      const y = uniforms(usize(c), -4, 4);
      const x = c.t.forward(y, c.bounds);
      assert.equal(x.length, c.n);
      // Inside the support.
      for (const v of x) {
        if (c.t === logTransform) assert.ok(v > 0);
        if (c.t === logitIntervalTransform) assert.ok(v > (c.bounds?.lower ?? 0) && v < (c.bounds?.upper ?? 1), `${v} outside the interval`);
        if (c.t === simplexTransform) assert.ok(v > 0 && v < 1);
      }
      if (c.t === simplexTransform) near(x.reduce((s, v) => s + v, 0), 1, 1e-15, 'simplex sum');
      const y2 = c.t.inverse(x, c.bounds);
      // The inverse loses ~ε/|dx/dy| relative precision: generous but far below any real error.
      y2.forEach((v, i) => near(v, y[i], 1e-9, `${c.name}: y[${i}]`));
      const x2 = c.t.forward(y2, c.bounds);
      x2.forEach((v, i) => near(v, x[i], 1e-14, `${c.name}: x[${i}]`));
    }
  });

  test(`${c.name}: logAbsDetJacobian = log|det| of the finite-difference Jacobian`, () => {
    // For the simplex, the Jacobian of the map from the K−1 unconstrained coordinates to the first
    // K−1 simplex coordinates (the last is determined by them). Central differences with step 1e-6
    // have error ~1e-10 per entry here; the log-determinant inherits ~1e-9.
    const m = usize(c);
    for (let k = 0; k < 10; k++) {
      const y = uniforms(m, -3, 3);
      const f = (v: Float64Array): Float64Array => c.t.forward(v, c.bounds).slice(0, m);
      const J = numericJacobian(f, y);
      const want = logAbsDet(J);
      near(c.t.logAbsDetJacobian(y, c.bounds), want, 1e-7, `${c.name}: log|det J| at [${Array.from(y)}]`);
    }
  });
}

test('logAbsDetJacobian stays finite far into the tails (|y| = 30)', () => {
  for (const c of CASES) {
    for (const s of [-30, 30]) {
      const y = new Float64Array(usize(c)).fill(s);
      assert.ok(Number.isFinite(c.t.logAbsDetJacobian(y, c.bounds)), `${c.name} at y = ${s}`);
    }
  }
});

// ---- the graph-built transforms inside compiled models -------------------------------------------
// One free variable with a density that is constant on its support: the compiled log density is
// then that constant plus the transform's log-Jacobian, and constrain() gives the transform's value.
interface ModelCase {
  name: string;
  t: Transform;
  bounds: Bounds;
  n: number;
  build: (m: Model) => void;
  /** The constant log density of the variable on its support. */
  constant: number;
}
const MODEL_CASES: ModelCase[] = [
  { name: 'identity (Flat)', t: identityTransform, bounds: undefined, n: 3, build: (m) => m.rv('x', Flat(), { shape: [3] }), constant: 0 },
  { name: 'log (HalfFlat)', t: logTransform, bounds: undefined, n: 3, build: (m) => m.rv('x', HalfFlat(), { shape: [3] }), constant: 0 },
  { name: 'log (HalfFlat, transform given explicitly)', t: logTransform, bounds: undefined, n: 2, build: (m) => m.rv('x', HalfFlat(), { shape: [2], transform: 'log' }), constant: 0 },
  { name: 'logit (Uniform(0, 1))', t: logitIntervalTransform, bounds: undefined, n: 3, build: (m) => m.rv('x', Uniform(), { shape: [3] }), constant: 0 },
  { name: 'logit (Beta(1, 1))', t: logitIntervalTransform, bounds: undefined, n: 2, build: (m) => m.rv('x', Beta({ alpha: 1, beta: 1 }), { shape: [2] }), constant: 0 },
  {
    name: 'logit (Uniform(-2, 3))',
    t: logitIntervalTransform,
    bounds: { lower: -2, upper: 3 },
    n: 3,
    build: (m) => m.rv('x', Uniform({ lower: -2, upper: 3 }), { shape: [3] }),
    constant: -3 * Math.log(5),
  },
  { name: 'simplex K = 2 (Dirichlet(1, 1))', t: simplexTransform, bounds: undefined, n: 2, build: (m) => m.rv('x', Dirichlet({ a: [1, 1] })), constant: 0 },
  {
    name: 'simplex K = 5 (Dirichlet(1, …, 1))',
    t: simplexTransform,
    bounds: undefined,
    n: 5,
    build: (m) => m.rv('x', Dirichlet({ a: [1, 1, 1, 1, 1] })),
    constant: special.lgamma(5),
  },
];

for (const c of MODEL_CASES) {
  test(`compiled ${c.name}: same constrained value and log-Jacobian as the numeric transform`, () => {
    const m = new Model();
    c.build(m);
    const cm = m.compile();
    const info = cm.variables.find((v) => v.name === 'x')!;
    assert.equal(info.transform, c.t.name);
    assert.equal(info.unconstrainedSize, cm.dim);
    assert.deepEqual(info.shape, [c.n]);
    for (let k = 0; k < 10; k++) {
      const y = uniforms(cm.dim, -3, 3);
      const x = cm.constrain(y).x;
      const want = c.t.forward(y, c.bounds);
      x.forEach((v, i) => near(v, want[i], 1e-14, `${c.name}: x[${i}]`));
      const logJac = c.t.logAbsDetJacobian(y, c.bounds);
      near(cm.logDensity!(y), c.constant + logJac, 1e-12, `${c.name}: log density at [${Array.from(y)}]`);
      near(cm.logDensityByVariable(y).x, c.constant + logJac, 1e-12, `${c.name}: by variable`);
      // unconstrain is the numeric inverse.
      const back = cm.unconstrain({ x });
      back.forEach((v, i) => near(v, y[i], 1e-9, `${c.name}: unconstrain[${i}]`));
    }
  });
}

test('compiled logit with a bound that is another parameter: Uniform(0, b) uses b at the point', () => {
  const m2 = new Model();
  const b = m2.rv('b', HalfNormal({ sigma: 2 }));
  const lo = m2.rv('lo', Normal({ mu: 0, sigma: 1 }));
  m2.rv('u', Uniform({ lower: 0, upper: b }), { shape: [3] });
  m2.rv('v', Uniform({ lower: lo, upper: lo.add(b) }));
  const cm = m2.compile();
  for (let k = 0; k < 10; k++) {
    const th = uniforms(cm.dim, -2, 2);
    const out = cm.constrain(th);
    const bv = out.b[0];
    const lov = out.lo[0];
    near(bv, Math.exp(th[0]), 1e-15, 'b');
    const yu = th.slice(2, 5);
    const wantU = logitIntervalTransform.forward(yu, { lower: 0, upper: bv });
    out.u.forEach((v, i) => near(v, wantU[i], 1e-14, `u[${i}]`));
    const yv = th.slice(5, 6);
    near(out.v[0], logitIntervalTransform.forward(yv, { lower: lov, upper: lov + bv })[0], 1e-14, 'v');
    // Uniform density −log(b) per element plus the log-Jacobian log(b) + …: they cancel in b.
    const byVar = cm.logDensityByVariable(th);
    near(byVar.u, -3 * Math.log(bv) + logitIntervalTransform.logAbsDetJacobian(yu, { lower: 0, upper: bv }), 1e-12, 'u term');
    near(byVar.v, -Math.log(bv) + logitIntervalTransform.logAbsDetJacobian(yv, { lower: lov, upper: lov + bv }), 1e-12, 'v term');
  }
});

test('compiled log transform of a non-flat prior: the log density is logp(x) + y', () => {
  const m = new Model();
  m.rv('x', Gamma({ alpha: 2.5, beta: 1.5 }), { shape: [2] });
  const cm = m.compile();
  for (let k = 0; k < 5; k++) {
    const y = uniforms(2, -2, 2);
    let want = 0;
    for (const v of y) {
      const x = Math.exp(v);
      want += 2.5 * Math.log(1.5) - special.lgamma(2.5) + 1.5 * Math.log(x) - 1.5 * x + v;
    }
    near(cm.logDensity!(y), want, 1e-12, 'Gamma with log-Jacobian');
  }
});

test('Beta and Uniform(0, 1) priors through the logit transform stay exact in the tails (σ(y) rounding to 0 or 1)', () => {
  // On y: log p = α·log σ(y) + β·log(1 − σ(y)) − log B(α, β), with log σ(y) = −softplus(−y) and
  // log(1 − σ(y)) = −softplus(y). Computing log(1 − σ(y)) naively gives +Infinity·(β − 1) once
  // σ(y) rounds to 1 (y ≳ 37), and loses digits long before.
  const m = new Model();
  m.rv('p', Beta({ alpha: 0.5, beta: 0.7 }));
  m.rv('u', Uniform(), { shape: [1] });
  const cm = m.compile();
  const lbeta = special.lgamma(0.5) + special.lgamma(0.7) - special.lgamma(1.2);
  for (const y of [-800, -745, -40, -30, 0.3, 30, 37, 40, 800]) {
    const th = Float64Array.of(y, -y);
    const g = new Float64Array(2);
    const lp = cm.logDensityGrad(th, g);
    const want = -0.5 * special.log1pexp(-y) - 0.7 * special.log1pexp(y) - lbeta - special.log1pexp(y) - special.log1pexp(-y);
    near(lp, want, 1e-13, `log density at y = ${y}`);
    // d/dy: 0.5·σ(−y) − 0.7·σ(y) for p, σ(−y') − σ(y') at y' = −y for u.
    near(g[0], 0.5 * special.expit(-y) - 0.7 * special.expit(y), 1e-13, `gradient of p at y = ${y}`);
    near(g[1], special.expit(y) - special.expit(-y), 1e-13, `gradient of u at y = ${-y}`);
  }
});
