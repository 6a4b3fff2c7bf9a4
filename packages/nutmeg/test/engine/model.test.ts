// The compiled model around the log density: layout, constrain/unconstrain, initial points, per-variable terms, specs, allocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  Model,
  ModelError,
  Rng,
  Normal,
  HalfNormal,
  HalfCauchy,
  Uniform,
  Beta,
  Gamma,
  Dirichlet,
  MvNormal,
  type CompiledModel,
} from '../../src/index.js';
import { exp } from '../../src/graph/tensor.js';
import { compileModelSpec } from '../../src/compiler/compile.js';
import { hierarchicalCentered, hierarchicalNonCentered, pooled, type Priors } from '../../../cli/src/radon/models.js';
import { loadRadon } from '../../../cli/src/radon/data.js';

const radon = loadRadon();
const rng = new Rng(1234);
const uniforms = (n: number, lo: number, hi: number): Float64Array => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
const RADON_VARIANTS: { name: string; build: () => Model; centered: boolean; priors: Priors }[] = [];
for (const priors of ['tutorial', 'flat'] as const) {
  RADON_VARIANTS.push({ name: `radon centered, ${priors} priors`, build: () => hierarchicalCentered(radon, priors), centered: true, priors });
  RADON_VARIANTS.push({ name: `radon non-centered, ${priors} priors`, build: () => hierarchicalNonCentered(radon, priors), centered: false, priors });
}
const COMPILED = new Map(RADON_VARIANTS.map((v) => [v.name, v.build().compile()]));
const nCounty = radon.counties.length;

test('the TSDoc example of Model compiles and runs', () => {
  // Copied from src/model/model.ts.
  const county = [0, 0, 1, 2, 2, 2];
  const floor = [0, 1, 0, 0, 1, 0];
  const y = [1.2, 0.4, 1.9, 1.5, 0.8, 1.4];
  const m = new Model({ coords: { county: ['A', 'B', 'C'] } });
  const muA = m.rv('mu_alpha', Normal({ mu: 0, sigma: 1 }));
  const sA = m.rv('sigma_alpha', HalfCauchy({ beta: 1 }));
  const alpha = m.rv('alpha', Normal({ mu: muA, sigma: sA }), { dims: 'county' });
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  m.rv('y', Normal({ mu: alpha.at(county).add(beta.mul(floor)), sigma: eps }), { observed: y });
  const compiled = m.compile();
  assert.equal(compiled.dim, 7); // mu_alpha, sigma_alpha, alpha × 3, beta, eps
  const g = new Float64Array(compiled.dim);
  assert.ok(Number.isFinite(compiled.logDensityGrad(compiled.initialPoint(), g)));
});

test('the TSDoc example of Tensor compiles and runs', () => {
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const s = m.rv('s', HalfCauchy({ beta: 1 }));
  const mu = a.at([0, 2, 1, 1]).mul(2).add(1);
  m.rv('y', Normal({ mu, sigma: s }), { observed: [0.1, 0.5, -0.2, 1.3] });
  const cm = m.compile();
  assert.equal(cm.dim, 4);
  assert.ok(Number.isFinite(cm.logDensity!(cm.initialPoint())));
});

// ---- constrain / unconstrain ----------------------------------------------------------------------
function mixedModel(): Model {
  const m = new Model();
  m.rv('a', Normal({ mu: 1, sigma: 2 }), { shape: [2] });
  m.rv('s', HalfNormal({ sigma: 1 }), { shape: [3] });
  m.rv('u', Uniform({ lower: -2, upper: 3 }));
  m.rv('p', Beta({ alpha: 2, beta: 2 }), { shape: [2] });
  m.rv('g', Gamma({ alpha: 2, beta: 1 }));
  m.rv('w', Dirichlet({ a: [1, 2, 3, 4] }));
  m.rv('v', MvNormal({ mu: [0, 1], cov: [[1, 0.5], [0.5, 2]] }));
  return m;
}

test('constrain ∘ unconstrain and unconstrain ∘ constrain are identities (every transform)', () => {
  const cm = mixedModel().compile();
  assert.equal(cm.dim, 2 + 3 + 1 + 2 + 1 + 3 + 2);
  for (let k = 0; k < 20; k++) {
    const th = uniforms(cm.dim, -3, 3);
    const values = cm.constrain(th);
    assert.deepEqual(Object.keys(values), ['a', 's', 'u', 'p', 'g', 'w', 'v']);
    const back = cm.unconstrain(values);
    back.forEach((v, i) => assert.ok(Math.abs(v - th[i]) <= 1e-9 * Math.max(1, Math.abs(th[i])), `theta[${i}]: ${v} vs ${th[i]}`));
    const again = cm.constrain(back);
    for (const [name, arr] of Object.entries(values)) arr.forEach((v, i) => assert.ok(Math.abs(again[name][i] - v) <= 1e-14 * Math.max(1, Math.abs(v)), `${name}[${i}]`));
  }
  // Plain numbers and arrays are accepted.
  const th = cm.unconstrain({ a: [0, 1], s: [1, 2, 3], u: 0.5, p: [0.5, 0.25], g: 1, w: [0.25, 0.25, 0.25, 0.25], v: [0, 0] });
  const out = cm.constrain(th);
  assert.deepEqual(Array.from(out.s).map((v) => Math.round(v * 1e12) / 1e12), [1, 2, 3]);
  assert.ok(Math.abs(out.u[0] - 0.5) < 1e-14);
  assert.ok(Math.abs(th[2]) < 1e-15 && Math.abs(th[4] - Math.log(3)) < 1e-15, `s unconstrained: ${th.slice(2, 5)}`);
  // The uniform simplex is the centre of the stick-breaking coordinates.
  for (let i = 9; i < 12; i++) assert.ok(Math.abs(th[i]) < 1e-15, `w unconstrained[${i - 9}] = ${th[i]}`);
});

test('constrainRows writes the same values as constrain, row by row, at the requested rows (transforms and deterministics)', () => {
  const m = mixedModel();
  const a = m.rv('extra', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  m.deterministic('exp_extra', exp(a));
  m.deterministic('sum_extra', a.sum());
  const cm = m.compile();
  const rows = 5;
  const thetas = uniforms(cm.dim * rows, -3, 3);
  const sizes = cm.variables.map((v) => v.shape.reduce((a, b) => a * b, 1));
  const out = sizes.map((s) => new Float64Array((rows + 2) * s).fill(NaN));
  cm.constrainRows(thetas, rows, out, 2);
  for (let r = 0; r < rows; r++) {
    const values = cm.constrain(thetas.slice(r * cm.dim, (r + 1) * cm.dim));
    cm.variables.forEach((v, k) => {
      for (let j = 0; j < sizes[k]; j++) assert.equal(out[k][(r + 2) * sizes[k] + j], values[v.name][j], `${v.name}[${j}] row ${r}`);
    });
  }
  out.forEach((o, k) => assert.ok(Number.isNaN(o[0]) && Number.isNaN(o[2 * sizes[k] - 1]), 'rows before firstRow untouched'));
});

test('unconstrain rejects missing variables, wrong lengths and values outside the support, naming the variable', () => {
  const cm = mixedModel().compile();
  const ok = { a: [0, 1], s: [1, 2, 3], u: 0.5, p: [0.5, 0.25], g: 1, w: [0.25, 0.25, 0.25, 0.25], v: [0, 0] };
  const bad = (values: Record<string, number | number[]>, variable: string, re: RegExp): void =>
    assert.throws(() => cm.unconstrain(values), (e: unknown) => e instanceof ModelError && e.variable === variable && re.test(e.message));
  const { g: _g, ...noG } = ok;
  bad(noG, 'g', /no value given for 'g'/);
  bad({ ...ok, s: [1, 2] }, 's', /needs 3 values, got 2/);
  bad({ ...ok, s: [1, -2, 3] }, 's', /element 1/);
  bad({ ...ok, u: 3.5 }, 'u', /outside its support/);
  bad({ ...ok, p: [0.5, 1.5] }, 'p', /element 1/);
});

// ---- the radon models --------------------------------------------------------------------------------
for (const v of RADON_VARIANTS) {
  test(`${v.name}: initial point has a finite log density and gradient`, () => {
    const cm = COMPILED.get(v.name)!;
    const th = cm.initialPoint();
    assert.equal(th.length, cm.dim);
    const g = new Float64Array(cm.dim);
    const lp = cm.logDensityGrad(th, g);
    assert.ok(Number.isFinite(lp), `log density ${lp}`);
    assert.ok(g.every(Number.isFinite));
    // Central values: location 0 and scale 1 (HalfCauchy, log) or 50 (Uniform(0, 100), logit).
    const out = cm.constrain(th);
    assert.equal(out.mu_alpha[0], 0);
    assert.equal(out.sigma_alpha[0], v.priors === 'flat' ? 50 : 1);
    assert.equal(out.eps[0], v.priors === 'flat' ? 50 : 1);
  });

  test(`${v.name}: logDensityByVariable sums to logDensity`, () => {
    const cm = COMPILED.get(v.name)!;
    for (let k = 0; k < 5; k++) {
      const th = uniforms(cm.dim, -1, 1);
      const lp = cm.logDensity!(th);
      const terms = cm.logDensityByVariable(th);
      const names = ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'eps', 'log_radon', ...(v.centered ? ['alpha', 'beta'] : ['alpha_offset', 'beta_offset'])];
      assert.deepEqual(Object.keys(terms).sort(), names.sort());
      const values = Object.values(terms);
      const total = values.reduce((s, x) => s + x, 0);
      const scale = values.reduce((s, x) => s + Math.abs(x), 0);
      assert.ok(Math.abs(total - lp) <= 1e-13 * scale, `sum ${total} vs ${lp}`);
    }
  });

  test(`${v.name}: variables, offsets, sizes, transforms, dims and coords`, () => {
    const cm = COMPILED.get(v.name)!;
    const sd = v.priors === 'flat' ? 'logit' : 'log';
    const free = v.centered
      ? [['mu_alpha', 1, 'identity'], ['sigma_alpha', 1, sd], ['mu_beta', 1, 'identity'], ['sigma_beta', 1, sd], ['alpha', nCounty, 'identity'], ['beta', nCounty, 'identity'], ['eps', 1, sd]]
      : [['mu_alpha', 1, 'identity'], ['sigma_alpha', 1, sd], ['mu_beta', 1, 'identity'], ['sigma_beta', 1, sd], ['alpha_offset', nCounty, 'identity'], ['beta_offset', nCounty, 'identity'], ['eps', 1, sd]];
    const expected = [...free.map(([name]) => name), ...(v.centered ? [] : ['alpha', 'beta'])];
    assert.deepEqual(cm.variables.map((x) => x.name), expected);
    let offset = 0;
    for (const [name, size, transform] of free as [string, number, string][]) {
      const info = cm.variables.find((x) => x.name === name)!;
      assert.equal(info.kind, 'free');
      assert.equal(info.offset, offset, `${name} offset`);
      assert.equal(info.unconstrainedSize, size, `${name} size`);
      assert.equal(info.transform, transform, `${name} transform`);
      assert.deepEqual(info.shape, size === 1 ? [] : [size]);
      assert.deepEqual(info.dims, size === 1 ? [] : ['county']);
      assert.ok(!info.discrete);
      offset += size;
    }
    assert.equal(cm.dim, offset);
    assert.equal(cm.dim, 5 + 2 * nCounty);
    for (const det of cm.variables.filter((x) => x.kind === 'deterministic')) {
      assert.deepEqual(det.shape, [nCounty]);
      assert.deepEqual(det.dims, ['county']);
      assert.equal(det.offset, undefined);
      assert.equal(det.transform, undefined);
    }
    assert.deepEqual(cm.coords.county, radon.counties);
    assert.equal(cm.observed.length, 1);
    assert.equal(cm.observed[0].name, 'log_radon');
    assert.deepEqual(cm.observed[0].shape, [radon.logRadon.length]);
    assert.deepEqual(cm.observed[0].dims, ['obs_id']); // models.ts declares the homes' dim
    assert.deepEqual(Array.from(cm.observed[0].values), Array.from(radon.logRadon));
  });
}

test('non-centered radon: the deterministics alpha = mu_alpha + sigma_alpha·alpha_offset (and beta) appear in constrain()', () => {
  const cm = COMPILED.get('radon non-centered, tutorial priors')!;
  for (let k = 0; k < 5; k++) {
    const th = uniforms(cm.dim, -2, 2);
    const out = cm.constrain(th);
    assert.equal(out.alpha.length, nCounty);
    for (let c = 0; c < nCounty; c++) {
      assert.equal(out.alpha[c], out.mu_alpha[0] + out.sigma_alpha[0] * out.alpha_offset[c]);
      assert.equal(out.beta[c], out.mu_beta[0] + out.sigma_beta[0] * out.beta_offset[c]);
    }
    assert.equal(out.sigma_alpha[0], Math.exp(th[1]));
    // constrain() returns fresh arrays: later calls do not overwrite them.
    const copy = Float64Array.from(out.alpha);
    cm.constrain(uniforms(cm.dim, -2, 2));
    assert.deepEqual(out.alpha, copy);
  }
});

test('dims and coords: named dims, default <name>_dim_<k> names, 2-D dims, data and deterministic dims', () => {
  const m = new Model({ coords: { county: ['a', 'b', 'c'], predictor: ['x1', 'x2'] } });
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { dims: ['county', 'predictor'] });
  m.rv('c', Normal({ mu: 0, sigma: 1 }), { shape: [2, 3] });
  m.rv('d', Normal({ mu: [0, 1, 2, 3], sigma: 1 }));
  m.data('x', [1, 2], { dims: 'predictor' });
  m.deterministic('e', exp(b), { dims: ['county', 'predictor'] });
  m.deterministic('f', b.sum());
  const cm = m.compile();
  const info = Object.fromEntries(cm.variables.map((v) => [v.name, v]));
  assert.deepEqual(info.b.shape, [3, 2]);
  assert.deepEqual(info.b.dims, ['county', 'predictor']);
  assert.deepEqual(info.c.dims, ['c_dim_0', 'c_dim_1']);
  assert.deepEqual(info.d.shape, [4]);
  assert.deepEqual(info.d.dims, ['d_dim_0']);
  assert.deepEqual(info.e.dims, ['county', 'predictor']);
  assert.deepEqual(info.f.shape, []);
  assert.deepEqual(info.f.dims, []);
  assert.equal(info.x, undefined, 'data are not variables of the compiled model');
  assert.deepEqual(cm.coords, { county: ['a', 'b', 'c'], predictor: ['x1', 'x2'] });
  assert.deepEqual([info.b.offset, info.c.offset, info.d.offset], [0, 6, 12]);
  const th = uniforms(cm.dim, -1, 1);
  const out = cm.constrain(th);
  out.e.forEach((v, i) => assert.equal(v, Math.exp(th[i])));
  // A constant location is the initial value under the identity transform.
  assert.deepEqual(Array.from(cm.initialPoint().slice(12, 16)), [0, 1, 2, 3]);
});

// ---- specs -------------------------------------------------------------------------------------------
test('the spec survives structuredClone; compileModelSpec(clone) gives bit-identical log densities, gradients and outputs', () => {
  const models: [string, CompiledModel, () => Model][] = [
    ['radon non-centered', COMPILED.get('radon non-centered, tutorial priors')!, () => hierarchicalNonCentered(radon)],
    ['radon centered flat', COMPILED.get('radon centered, flat priors')!, () => hierarchicalCentered(radon, 'flat')],
    ['mixed transforms', mixedModel().compile(), mixedModel],
    ['pooled', pooled(radon).compile(), () => pooled(radon)],
  ];
  for (const [name, cm, build] of models) {
    const spec = structuredClone(build().spec);
    const clone = compileModelSpec(structuredClone(spec));
    assert.equal(clone.dim, cm.dim);
    assert.deepEqual(clone.variables, cm.variables);
    assert.deepEqual(clone.coords, cm.coords);
    for (let k = 0; k < 5; k++) {
      const th = uniforms(cm.dim, -1.5, 1.5);
      const g1 = new Float64Array(cm.dim);
      const g2 = new Float64Array(cm.dim);
      const a = cm.logDensityGrad(th, g1);
      const b = clone.logDensityGrad(th, g2);
      assert.ok(Object.is(a, b), `${name}: ${a} vs ${b}`);
      for (let i = 0; i < cm.dim; i++) assert.ok(Object.is(g1[i], g2[i]), `${name}: gradient[${i}] ${g1[i]} vs ${g2[i]}`);
      assert.ok(Object.is(cm.logDensity!(th), clone.logDensity!(th)));
      assert.deepEqual(clone.constrain(th), cm.constrain(th));
      assert.deepEqual(clone.logDensityByVariable(th), cm.logDensityByVariable(th));
    }
  }
});

test('two compiled copies of one model do not share buffers', () => {
  const m = hierarchicalNonCentered(radon);
  const a = m.compile();
  const b = m.compile();
  const x = uniforms(a.dim, -1, 1);
  const y = uniforms(a.dim, -1, 1);
  const ga = new Float64Array(a.dim);
  const gb = new Float64Array(a.dim);
  const lpa = a.logDensityGrad(x, ga);
  const alphaA = a.constrain(x).alpha;
  b.logDensityGrad(y, gb);
  b.constrain(y);
  const ga2 = new Float64Array(a.dim);
  assert.ok(Object.is(a.logDensityGrad(x, ga2), lpa));
  assert.deepEqual(ga2, ga);
  assert.deepEqual(a.constrain(x).alpha, alphaA);
});

// ---- allocation ------------------------------------------------------------------------------------------
test('logDensityGrad allocates nothing per call beyond the boxed return value', () => {
  // V8 boxes a returned double (a 16-byte HeapNumber, once in the generated function and once in
  // its wrapper: 32 bytes per call measured; a hand-written function returning a double shows the
  // same); a per-call work buffer would be ≥ 8·dim bytes (1.4 kB for radon). Heap growth over 1e5 calls
  // after a full GC, with a bound of 64 bytes per call, separates the two. `gc` is exposed at run
  // time (v8 flag + a fresh context), so the test needs no node option.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return;
  const cm = COMPILED.get('radon non-centered, tutorial priors')!;
  const x = cm.initialPoint();
  const g = new Float64Array(cm.dim);
  let s = 0;
  for (let i = 0; i < 20000; i++) s += cm.logDensityGrad(x, g);
  gc();
  const before = process.memoryUsage().heapUsed;
  const calls = 100000;
  for (let i = 0; i < calls; i++) s += cm.logDensityGrad(x, g);
  const perCall = (process.memoryUsage().heapUsed - before) / calls;
  assert.ok(Number.isFinite(s));
  assert.ok(perCall < 64, `${perCall.toFixed(1)} bytes per call`);
});

test('unconstrain with per-element (data array) interval bounds', () => {
  const m = new Model();
  m.rv('u', Uniform({ lower: [0, 1], upper: [2, 5] }));
  const cm = m.compile();
  const th = cm.unconstrain({ u: [1, 3] });
  assert.deepEqual(Array.from(th).map((v) => Math.round(v * 1e12) / 1e12), [0, 0]);
});
