// math.matmul, transpose, reshape and diagonal: values against direct loops, gradients against finite differences, shape errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Normal, Rng, math } from '../../src/index.js';
import { checkGradient } from './fd.js';

const rng = new Rng(4242);
const uniforms = (n: number, lo: number, hi: number): Float64Array => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

/** Row-major A [m, k] · B [k, p]. */
function matmulRef(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, p: number): Float64Array {
  const out = new Float64Array(m * p);
  for (let r = 0; r < m; r++) for (let q = 0; q < p; q++) for (let l = 0; l < k; l++) out[r * p + q] += A[r * k + l] * B[l * p + q];
  return out;
}

test('matmul, transpose, reshape, diagonal: values equal direct loops (parameter × parameter and data × parameter)', () => {
  const m = new Model();
  const A = m.rv('A', Normal({ mu: 0, sigma: 1 }), { shape: [3, 4] });
  const B = m.rv('B', Normal({ mu: 0, sigma: 1 }), { shape: [4, 2] });
  const D = [
    [1, 2, 3],
    [-1, 0.5, 4],
  ];
  m.deterministic('AB', math.matmul(A, B));
  m.deterministic('DA', math.matmul(D, A));
  m.deterministic('At', math.transpose(A));
  m.deterministic('Ar', math.reshape(A, [2, 6]));
  m.deterministic('dg', math.diagonal(math.matmul(A, math.transpose(A))));
  const cm = m.compile();
  const th = uniforms(cm.dim, -2, 2);
  const a = th.subarray(0, 12);
  const b = th.subarray(12, 20);
  const out = cm.constrain(th);
  assert.deepEqual(Array.from(out.AB), Array.from(matmulRef(a, b, 3, 4, 2)));
  assert.deepEqual(Array.from(out.DA), Array.from(matmulRef(D.flat(), a, 2, 3, 4)));
  for (let r = 0; r < 3; r++) for (let q = 0; q < 4; q++) assert.equal(out.At[q * 3 + r], a[r * 4 + q]);
  assert.deepEqual(Array.from(out.Ar), Array.from(a));
  const aat = matmulRef(a, Array.from({ length: 12 }, (_, i) => a[(i % 3) * 4 + Math.floor(i / 3)]), 3, 4, 3);
  for (let d = 0; d < 3; d++) assert.equal(out.dg[d], aat[d * 4]);
});

test('matmul, transpose, reshape, diagonal: gradients against finite differences', () => {
  const m = new Model();
  const A = m.rv('A', Normal({ mu: 0, sigma: 1 }), { shape: [3, 2] });
  const B = m.rv('B', Normal({ mu: 0, sigma: 1 }), { shape: [2, 4] });
  const C = math.matmul(A, B); // [3, 4]
  const Ct = math.transpose(C); // [4, 3]
  const sq = math.matmul(math.transpose(A), A); // [2, 2]
  m.rv('y', Normal({ mu: math.reshape(Ct, [12]).at([0, 3, 5, 11, 7]), sigma: 0.5 }), { observed: [0.1, -0.4, 1.2, 0.3, -2] });
  m.rv('w', Normal({ mu: math.diagonal(sq), sigma: 1 }), { observed: [1.5, 0.2] });
  m.rv('v', Normal({ mu: math.matmul([[0.5, -1, 2]], C), sigma: 2 }), { observed: [[0.4, 0.1, -0.3, 0.9]] });
  const cm = m.compile();
  for (let k = 0; k < 8; k++) checkGradient(cm, uniforms(cm.dim, -1.5, 1.5), `matrix ops, draw ${k}`);
});

test('matrix ops: the generated source does not depend on the sizes', () => {
  const build = (G: number): string => {
    const m = new Model();
    const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [G, 2] });
    const L = m.rv('L', Normal({ mu: 0, sigma: 1 }), { shape: [2, 2] });
    m.potential('p', math.matmul(z, math.transpose(L)));
    return (m.compile() as unknown as { __sources: string[] }).__sources.join('\n');
  };
  assert.equal(build(3), build(7));
});

test('matrix ops: shape errors name the shapes', () => {
  const m = new Model();
  const A = m.rv('A', Normal({ mu: 0, sigma: 1 }), { shape: [3, 2] });
  const v = m.rv('v', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  assert.throws(() => math.matmul(A, A), /matmul: expected matrices \[m, k\] and \[k, p\], got \[3, 2\]/);
  assert.throws(() => math.matmul(A, v), /matmul/);
  assert.throws(() => math.transpose(v), /transpose: expected a matrix, got shape \[3\]/);
  assert.throws(() => math.reshape(A, [4]), /cannot reshape \[3, 2\] \(A\) into \[4\]/);
  assert.throws(() => math.diagonal(A), /diagonal: expected a square matrix/);
});
