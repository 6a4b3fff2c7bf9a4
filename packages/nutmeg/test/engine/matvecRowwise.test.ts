// A matvec of a data matrix is computed row by row in its consumer's loop: the same log density and gradient as the columns form and as finite differences, rows reordered by segments included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HalfNormal, Model, Normal, Rng } from '../../src/index.js';
import { matvec } from '../../src/model/index.js';
import { checkGradient } from './fd.js';

const rng = new Rng(20261206);
const uniform = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
const ROWS = 40;
const COLS = 4;
const X = Array.from({ length: ROWS }, () => uniform(COLS));
const Y = uniform(ROWS, -2, 2);

/** The regression y ~ Normal(a + X·b, s), with X as a matrix (`matvec`) or as columns. */
function regression(form: 'matvec' | 'columns'): Model {
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [COLS] });
  const s = m.rv('s', HalfNormal({ sigma: 1 }));
  let mu = a;
  if (form === 'matvec') mu = a.add(matvec(m.data('X', X), b));
  else for (let j = 0; j < COLS; j++) mu = mu.add(b.at([j]).mul(m.data(`x${j}`, X.map((r) => r[j]))));
  m.rv('y', Normal({ mu, sigma: s }), { observed: Y });
  return m;
}

test('matvec of a data matrix: no buffer for its result, and the log density and gradient of the columns form (to rounding)', () => {
  const mv = regression('matvec').compile();
  const cols = regression('columns').compile();
  assert.equal(mv.dim, cols.dim);
  const sources = (mv as unknown as { __sources: string[] }).__sources.join('\n');
  assert.ok(!/for \(let r = 0; r < /.test(sources), 'the matvec kernel loop is not emitted');
  for (let k = 0; k < 3; k++) {
    const th = Float64Array.from(uniform(mv.dim, -1.5, 1.5));
    const g1 = new Float64Array(mv.dim);
    const g2 = new Float64Array(mv.dim);
    const l1 = mv.logDensityGrad(th, g1);
    const l2 = cols.logDensityGrad(th, g2);
    assert.ok(Math.abs(l1 - l2) <= 1e-12 * Math.abs(l2), `logp ${l1} vs ${l2}`);
    for (let i = 0; i < mv.dim; i++) assert.ok(Math.abs(g1[i] - g2[i]) <= 1e-12 * (1 + Math.abs(g2[i])), `gradient ${i}: ${g1[i]} vs ${g2[i]}`);
    checkGradient(mv, th, `matvec regression (point ${k})`);
  }
});

test('matvec of a data matrix in a loop whose rows are reordered by group (the matrix rows follow)', () => {
  const groups = 5;
  const group = Array.from({ length: ROWS }, (_, i) => (i * 7) % groups); // unsorted: the loop sorts rows
  const m = new Model({ coords: { g: ['a', 'b', 'c', 'd', 'e'] } });
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }), { dims: 'g' });
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [COLS] });
  const gi = m.data('group', group, { indexInto: 'g' });
  m.rv('y', Normal({ mu: alpha.at(gi).add(matvec(m.data('X', X), b)), sigma: 0.7 }), { observed: Y });
  const cm = m.compile();
  // By hand: Σ_i log N(y_i | alpha[g_i] + X_i·b, 0.7) + priors.
  const th = Float64Array.from(uniform(cm.dim, -1.5, 1.5));
  const values = cm.constrain(th);
  const al = values.alpha;
  const bv = values.b;
  let lp = 0;
  for (const v of [...al, ...bv]) lp += -0.5 * v * v - 0.5 * Math.log(2 * Math.PI);
  for (let i = 0; i < ROWS; i++) {
    let mu = al[group[i]];
    for (let j = 0; j < COLS; j++) mu += X[i][j] * bv[j];
    const z = (Y[i] - mu) / 0.7;
    lp += -0.5 * z * z - Math.log(0.7) - 0.5 * Math.log(2 * Math.PI);
  }
  const got = cm.logDensity!(th);
  assert.ok(Math.abs(got - lp) <= 1e-12 * Math.abs(lp), `logp ${got}, by hand ${lp}`);
  checkGradient(cm, th, 'matvec with reordered rows');
});

test('matvec of a one-row matrix (a dot product, broadcast like a scalar) compiles, alone and added to a vector', () => {
  const row = [[0.7, -1.3, 0.4]];
  const ys = [0.2, -0.6, 1.1];
  for (const shape of ['alone', 'broadcast'] as const) {
    const m = new Model();
    const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
    const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
    const dot = matvec(m.data('X', row), b);
    if (shape === 'alone') m.rv('y', Normal({ mu: dot, sigma: 0.5 }), { observed: [ys[0]] });
    else m.rv('y', Normal({ mu: a.add(dot), sigma: 0.5 }), { observed: ys });
    const cm = m.compile(); // threw "internal: a broadcast row-wise matvec is materialized"
    const th = Float64Array.from(uniform(cm.dim, -1.5, 1.5));
    const { a: av, b: bv } = cm.constrain(th) as { a: Float64Array; b: Float64Array };
    const d = row[0].reduce((s, x, j) => s + x * bv[j], 0);
    const logN = (x: number, mu: number, s: number): number => -0.5 * ((x - mu) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
    let lp = 0;
    for (let j = 0; j < 3; j++) lp += logN(av[j], 0, 1) + logN(bv[j], 0, 1);
    if (shape === 'alone') lp += logN(ys[0], d, 0.5);
    else for (let i = 0; i < 3; i++) lp += logN(ys[i], av[i] + d, 0.5);
    const got = cm.logDensity!(th);
    assert.ok(Math.abs(got - lp) <= 1e-12 * Math.abs(lp), `${shape}: logp ${got}, by hand ${lp}`);
    checkGradient(cm, th, `one-row matvec (${shape})`);
  }
});
