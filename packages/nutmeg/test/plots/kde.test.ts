// Tests of the Gaussian KDE: bandwidth rules, normalisation, binned vs exact evaluation, and accuracy within its standard error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kde, bandwidth } from '../../src/plots/kde.js';
import { Rng } from '../../src/core/rng.js';

function normals(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

test('bandwidth: Silverman and Scott rules on a hand-computed sample', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const sd = Math.sqrt(6); // sample sd of 1..8 = sqrt(42/7)
  const iqr = (6.25 - 2.75) / 1.349; // type-7 quantiles
  assert.ok(Math.abs(bandwidth(x, 'silverman') - 0.9 * Math.min(sd, iqr) * 8 ** -0.2) < 1e-12);
  assert.ok(Math.abs(bandwidth(x, 'scott') - 1.06 * sd * 8 ** -0.2) < 1e-12);
  assert.ok(Number.isNaN(bandwidth([1])));
  assert.ok(bandwidth([2, 2, 2]) > 0, 'constant sample still gets a positive bandwidth');
});

test('bandwidth: the quartiles found by selection are numpy\'s (type 7) of the sorted sample, ties, NaN and infinities included', () => {
  const rng = new Rng(20261207);
  for (let k = 0; k < 300; k++) {
    const n = 2 + (k % 40);
    // Rounded values give ties; a few non-finite values are ignored.
    const x = Array.from({ length: n }, () => Math.round(rng.normal() * 4) / 2);
    if (k % 7 === 0) x.push(NaN, Infinity);
    const finite = x.filter(Number.isFinite);
    const sorted = [...finite].sort((a, b) => a - b);
    const q = (p: number): number => {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, sorted.length - 1);
      return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    };
    const m = finite.reduce((a, b) => a + b, 0) / finite.length;
    const sd = Math.sqrt(finite.reduce((a, b) => a + (b - m) ** 2, 0) / (finite.length - 1));
    const iqr = (q(0.75) - q(0.25)) / 1.349;
    const spread = iqr > 0 ? Math.min(sd, iqr) : sd;
    const want = 0.9 * spread * finite.length ** -0.2;
    if (!(want > 0)) continue; // all equal: the fallback spike, tested above
    const got = bandwidth(x);
    assert.ok(Math.abs(got - want) <= 1e-12 * want, `sample ${k} (n = ${finite.length}): ${got} vs ${want}`);
  }
});

test('kde integrates to 1 and matches the exact (unbinned) estimate', () => {
  const x = normals(3000, 11);
  const r = kde(x, { gridSize: 512 });
  const dx = r.x[1] - r.x[0];
  let area = 0;
  for (let j = 0; j < r.density.length; j++) area += r.density[j] * dx;
  assert.ok(Math.abs(area - 1) < 5e-3, `area ${area}`);
  // exact Gaussian KDE at a few grid points
  const h = r.bandwidth;
  let maxErr = 0;
  let maxD = 0;
  for (const j of [64, 128, 200, 256, 300, 400]) {
    let s = 0;
    for (const v of x) s += Math.exp(-0.5 * ((r.x[j] - v) / h) ** 2);
    const exact = s / (x.length * h * Math.sqrt(2 * Math.PI));
    maxErr = Math.max(maxErr, Math.abs(exact - r.density[j]));
    maxD = Math.max(maxD, exact);
  }
  // linear binning error is O((dx/h)^2) relative to the density
  const rel = ((r.x[1] - r.x[0]) / h) ** 2;
  assert.ok(maxErr < rel * maxD, `binned vs exact error ${maxErr} > ${rel * maxD}`);
});

test('kde at the mode of a standard normal agrees with its expectation within 4 standard errors', () => {
  const n = 4000;
  const x = normals(n, 5);
  const r = kde(x, { range: [-1, 1], gridSize: 201 });
  const h = r.bandwidth;
  // E f̂(0) = N(0 | 0, 1 + h²); Var f̂(0) ≈ f(0) R(K) / (n h), R(K) = 1 / (2 √π)
  const expected = 1 / Math.sqrt(2 * Math.PI * (1 + h * h));
  const se = Math.sqrt(((1 / Math.sqrt(2 * Math.PI)) * (1 / (2 * Math.sqrt(Math.PI)))) / (n * h));
  assert.ok(Math.abs(r.density[100] - expected) < 4 * se, `f̂(0) = ${r.density[100]}, expected ${expected} ± ${se}`);
});

test('kde: fixed bandwidth, ignores non-finite values, rejects bad input', () => {
  const r = kde([0, 1, NaN, Infinity, 2], { bandwidth: 0.5, gridSize: 16 });
  assert.equal(r.bandwidth, 0.5);
  assert.equal(r.x.length, 16);
  assert.ok(r.density.every((d) => Number.isFinite(d) && d >= 0));
  assert.throws(() => kde([1]), RangeError);
  assert.throws(() => kde([1, 2], { bandwidth: -1 }), RangeError);
  assert.throws(() => kde([1, 2], { gridSize: 1 }), RangeError);
  assert.throws(() => kde([1, 2], { range: [2, 1] }), RangeError);
});
