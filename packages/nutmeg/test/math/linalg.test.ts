// Tests for src/math/linalg.ts: Cholesky, solves, log-determinant, products and SPD inverse, with backward-error bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/rng.js';
import * as LA from '../../src/math/linalg.js';
import { LOG_2PI } from '../../src/math/special.js';

const EPS = 2.220446049250313e-16;
const here = fileURLToPath(new URL('.', import.meta.url));

/** A random SPD matrix B·Bᵀ + shift·I with condition number controlled by `shift`. */
function randomSpd(rng: Rng, n: number, shift: number): Float64Array {
  const b = new Float64Array(n * n);
  rng.fillNormal(b);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s + (i === j ? shift : 0);
    }
  return a;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Determinant by Gaussian elimination with partial pivoting (independent check of logDet). */
function logAbsDetLu(a0: Float64Array, n: number): number {
  const a = Float64Array.from(a0);
  let ld = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (p !== c) for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
    ld += Math.log(Math.abs(a[c * n + c]));
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      for (let j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j];
    }
  }
  return ld;
}

test('worked 2×2 examples from the docs', () => {
  const a = Float64Array.of(4, 2, 2, 5);
  assert.deepEqual([...LA.cholesky(a, 2)], [2, 0, 1, 2]);
  const L = Float64Array.of(2, 0, 1, 2);
  assert.deepEqual([...LA.solveLower(L, 2, [2, 5], new Float64Array(2))], [1, 2]);
  assert.deepEqual([...LA.solveLowerTransposed(L, 2, [4, 4], new Float64Array(2))], [1, 2]);
  assert.deepEqual([...LA.choleskySolve(L, 2, [6, 7], new Float64Array(2))], [1, 1]);
  assert.equal(LA.logDetFromCholesky(L, 2), Math.log(16));
  assert.equal(LA.mahalanobisSq(L, 2, [2, 5], new Float64Array(2)), 5);
  assert.deepEqual([...LA.matVec(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, [1, 1, 1], new Float64Array(2))], [6, 15]);
  assert.deepEqual([...LA.matTVec(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3, [1, 1], new Float64Array(3))], [5, 7, 9]);
  assert.deepEqual([...LA.lowerMatVec(L, 2, [1, 1], new Float64Array(2))], [2, 3]);
  assert.deepEqual([...LA.matMul(Float64Array.of(1, 2), Float64Array.of(3, 4), 1, 2, 1, new Float64Array(1))], [11]);
  assert.deepEqual([...LA.lowerTimesTranspose(L, 2, new Float64Array(4))], [4, 2, 2, 5]);
  assert.deepEqual([...LA.invertLower(L, 2, new Float64Array(4))], [0.5, 0, -0.25, 0.5]);
  assert.deepEqual([...LA.inverseFromCholesky(L, 2, new Float64Array(4))], [5 / 16, -1 / 8, -1 / 8, 1 / 4]);
  assert.deepEqual([...LA.spdInverse(a, 2)], [5 / 16, -1 / 8, -1 / 8, 1 / 4]);
});

test('cholesky, solves, logDet and inverse on random SPD matrices (backward-error bounds)', () => {
  const rng = new Rng(20240601);
  for (const n of [1, 2, 3, 5, 8, 17, 40]) {
    for (const shift of [n, 1e-3]) {
      const a = randomSpd(rng, n, shift);
      const scale = maxAbs(a);
      const L = LA.cholesky(a, n);
      // Upper triangle is zero, diagonal positive.
      for (let i = 0; i < n; i++) {
        assert.ok(L[i * n + i] > 0);
        for (let j = i + 1; j < n; j++) assert.equal(L[i * n + j], 0);
      }
      // |L·Lᵀ − A| ≤ c·n·ε·|A| (Golub & Van Loan, Theorem 4.2.6; Cholesky is backward stable).
      const llt = LA.lowerTimesTranspose(L, n, new Float64Array(n * n));
      for (let i = 0; i < n * n; i++) assert.ok(Math.abs(llt[i] - a[i]) <= 4 * n * EPS * scale, `LLᵀ = A, n=${n}`);
      // In place gives the same factor.
      const inPlace = Float64Array.from(a);
      LA.cholesky(inPlace, n, inPlace);
      assert.deepEqual(inPlace, L);
      // Solve: residual |A·x − b| ≤ c·n·ε·|A|·|x| (backward stable, whatever the conditioning).
      const b = rng.fillNormal(new Float64Array(n));
      const x = LA.choleskySolve(L, n, b, new Float64Array(n));
      const ax = LA.matVec(a, n, n, x, new Float64Array(n));
      for (let i = 0; i < n; i++) assert.ok(Math.abs(ax[i] - b[i]) <= 8 * n * EPS * scale * maxAbs(x) * n, `Ax = b, n=${n}`);
      // Aliased solve.
      const bb = Float64Array.from(b);
      LA.choleskySolve(L, n, bb, bb);
      assert.deepEqual(bb, x);
      // log det vs LU.
      const ld = LA.logDetFromCholesky(L, n);
      assert.ok(Math.abs(ld - logAbsDetLu(a, n)) <= 1e-12 * Math.max(1, Math.abs(ld)) * n, `logDet n=${n}`);
      // Mahalanobis: xᵀA⁻¹x with x = A·z equals zᵀAz.
      const z = rng.fillNormal(new Float64Array(n));
      const az = LA.matVec(a, n, n, z, new Float64Array(n));
      let zaz = 0;
      for (let i = 0; i < n; i++) zaz += z[i] * az[i];
      const m = LA.mahalanobisSq(L, n, az, new Float64Array(n));
      if (shift >= 1) assert.ok(Math.abs(m - zaz) <= 1e-12 * zaz * n, `mahalanobis n=${n}`);
      // Inverse: |A·A⁻¹ − I| small relative to cond(A) (only asserted when well conditioned).
      const inv = LA.spdInverse(a, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(inv[i * n + j], inv[j * n + i], 'inverse symmetric');
      const inv2 = LA.inverseFromCholesky(L, n, Float64Array.from(L));
      const inv3 = Float64Array.from(L);
      LA.inverseFromCholesky(inv3, n, inv3);
      assert.deepEqual(inv2, inv);
      assert.deepEqual(inv3, inv);
      if (shift >= 1) {
        const prod = LA.matMul(a, inv, n, n, n, new Float64Array(n * n));
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) assert.ok(Math.abs(prod[i * n + j] - (i === j ? 1 : 0)) <= 1e-12 * n, `A·A⁻¹ = I n=${n}`);
      }
      // L⁻¹·L = I.
      const li = LA.invertLower(L, n, new Float64Array(n * n));
      const p2 = LA.matMul(li, L, n, n, n, new Float64Array(n * n));
      if (shift >= 1) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(p2[i * n + j] - (i === j ? 1 : 0)) <= 1e-12 * n);
      // lowerMatVec in place and matTVec against matVec of the transpose.
      const lz = LA.lowerMatVec(L, n, z, new Float64Array(n));
      const zz = Float64Array.from(z);
      LA.lowerMatVec(L, n, zz, zz);
      assert.deepEqual(zz, lz);
      const lt = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lt[j * n + i] = L[i * n + j];
      const t1 = LA.matTVec(L, n, n, z, new Float64Array(n));
      const t2 = LA.matVec(lt, n, n, z, new Float64Array(n));
      for (let i = 0; i < n; i++) assert.ok(Math.abs(t1[i] - t2[i]) <= 4 * n * EPS * maxAbs(L) * maxAbs(z));
    }
  }
});

test('not positive definite: the error names the failing pivot; tryCholesky reports it', () => {
  // Leading 2×2 block [[1, 2], [2, 1]] is indefinite: pivot 1 fails (1 − 4 = −3).
  const a = Float64Array.of(1, 2, 0, 2, 1, 0, 0, 0, 1);
  assert.throws(
    () => LA.cholesky(a, 3),
    (e: unknown) => e instanceof LA.NotPositiveDefiniteError && e instanceof RangeError && e.pivot === 1 && e.value === -3 && /pivot 1/.test(e.message),
  );
  assert.equal(LA.tryCholesky(a, 3, new Float64Array(9)), 1);
  assert.equal(LA.tryCholesky(Float64Array.of(-1), 1, new Float64Array(1)), 0);
  assert.equal(LA.tryCholesky(Float64Array.of(1, 0, 0, 0), 2, new Float64Array(4)), 1); // singular
  assert.equal(LA.tryCholesky(Float64Array.of(NaN), 1, new Float64Array(1)), 0);
  assert.throws(() => LA.spdInverse(Float64Array.of(1, 0, 0, -2), 2), /spdInverse: .*pivot 1/);
  // n = 0 is a valid empty factorisation.
  assert.equal(LA.tryCholesky(new Float64Array(0), 0, new Float64Array(0)), -1);
  assert.equal(LA.logDetFromCholesky(new Float64Array(0), 0), 0);
});

test('multivariate normal log densities from SciPy via cholesky + mahalanobisSq + logDet', () => {
  const { cases } = JSON.parse(readFileSync(`${here}../fixtures/testvectors/logpdf.json`, 'utf8')) as {
    cases: { dist: string; params: { mu: number[]; cov: number[][] }; x: number[]; logp: number }[];
  };
  let count = 0;
  for (const c of cases.filter((v) => v.dist === 'MvNormal')) {
    const n = c.x.length;
    const cov = Float64Array.from(c.params.cov.flat());
    const L = LA.cholesky(cov, n);
    const d = c.x.map((v, i) => v - c.params.mu[i]);
    const got = -0.5 * (n * LOG_2PI + LA.logDetFromCholesky(L, n) + LA.mahalanobisSq(L, n, d, new Float64Array(n)));
    assert.ok(Math.abs(got - c.logp) <= 1e-13 * Math.max(1, Math.abs(c.logp)), `MvNormal: got ${got}, want ${c.logp}`);
    count++;
  }
  assert.ok(count >= 3);
});
