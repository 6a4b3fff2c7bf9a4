// Tests of the normal ziggurat: its tables against Marsaglia & Tsang's construction, and its draws against the standard normal distribution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZIGGURAT, ZIGGURAT_LAYERS, ZIGGURAT_R } from '../../src/core/ziggurat.js';
import { Rng } from '../../src/core/rng.js';
import { normalCdf } from '../../src/math/special.js';

test('ziggurat tables: 256 layers of equal area that close at the mode, with the published edges', () => {
  const { X, F } = ZIGGURAT;
  const n = ZIGGURAT_LAYERS;
  assert.equal(X[1], ZIGGURAT_R);
  assert.equal(X[n], 0);
  // Published edges (Marsaglia & Tsang 2000; the same in rand_distr's and NumPy's tables).
  assert.ok(Math.abs(X[0] - 3.910757959537090045) < 1e-13);
  assert.ok(Math.abs(X[255] - 0.2152418959) < 1e-9);
  const v = X[0] * F[0 + 1]; // the base layer's area: v = X[0]·f(r)
  for (let i = 1; i < n; i++) {
    const area = X[i] * (F[i + 1] - F[i]);
    // The top layer's height is 1 − f(X[255]): r's 16 digits close it to ~1e-10.
    assert.ok(Math.abs(area - v) < (i === n - 1 ? 1e-9 : 1e-14), `layer ${i}: area ${area} against ${v}`);
  }
  // v = r·f(r) + ∫_r^∞ f, with ∫_r^∞ exp(−x²/2) dx = √(2π)·Φ(−r).
  assert.ok(Math.abs(v - (ZIGGURAT_R * Math.exp(-0.5 * ZIGGURAT_R ** 2) + Math.sqrt(2 * Math.PI) * normalCdf(-ZIGGURAT_R))) < 1e-13);
});

test('fillNormalZiggurat: standard normal by Kolmogorov–Smirnov, tail frequency and moments (fixed seeds)', () => {
  for (const seed of [1, 2]) {
    const n = 400_000;
    const rng = new Rng(seed, 7);
    const x = new Float64Array(n);
    const block = new Float64Array(175); // in blocks, as NUTS draws momentum
    for (let i = 0; i < n; i += block.length) x.set(rng.fillNormalZiggurat(block).subarray(0, Math.min(block.length, n - i)), i);
    // KS: √n·D exceeds 1.95 with probability 0.001 under the null.
    const sorted = Float64Array.from(x).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const p = normalCdf(sorted[i]);
      d = Math.max(d, p - i / n, (i + 1) / n - p);
    }
    assert.ok(Math.sqrt(n) * d < 1.95, `seed ${seed}: KS √n·D = ${(Math.sqrt(n) * d).toFixed(3)}`);
    // Draws beyond r come from the tail method only: their count is binomial.
    const pTail = 2 * normalCdf(-ZIGGURAT_R);
    const tail = x.reduce((c, v) => c + (Math.abs(v) > ZIGGURAT_R ? 1 : 0), 0);
    assert.ok(Math.abs(tail - n * pTail) < 4 * Math.sqrt(n * pTail * (1 - pTail)), `seed ${seed}: ${tail} tail draws`);
    // Mean, variance and kurtosis within 4 standard errors (1/√n, √(2/n), √(96/n)).
    let m1 = 0, m2 = 0, m4 = 0;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    assert.ok(Math.abs(m1 / n) < 4 / Math.sqrt(n), `seed ${seed}: mean ${m1 / n}`);
    assert.ok(Math.abs(m2 / n - 1) < 4 * Math.sqrt(2 / n), `seed ${seed}: variance ${m2 / n}`);
    assert.ok(Math.abs(m4 / n - 3) < 4 * Math.sqrt(96 / n), `seed ${seed}: fourth moment ${m4 / n}`);
  }
});

test('fillNormalZiggurat: each layer\'s share of the draws, and the tail\'s shape, are the normal\'s (the paths past the fast one)', () => {
  // 4·10⁶ draws; ~1.2% take the wedge test, ~2.6·10⁻⁴ the tail. Counts of |x| in each layer's
  // span [X[i+1], X[i]), i = 1 … 255, and beyond r: chi-square with 255 degrees of freedom below
  // 330.5 (scipy.stats.chi2.ppf(0.999, 255)). Accepting every wedge point gives ~670 here.
  const { X } = ZIGGURAT;
  const n = 4_000_000;
  const x = new Rng(5, 1).fillNormalZiggurat(new Float64Array(n));
  const edges = Array.from(X.subarray(1)).reverse(); // 0 = X[256] < X[255] < … < X[1] = r
  const counts = new Float64Array(edges.length);
  const tail: number[] = [];
  for (const v of x) {
    const a = Math.abs(v);
    if (a >= ZIGGURAT_R) tail.push(a);
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= a) lo = mid + 1;
      else hi = mid;
    }
    counts[lo - 1]++;
  }
  let chi2 = 0;
  for (let j = 0; j < edges.length; j++) {
    const upper = j + 1 < edges.length ? normalCdf(-edges[j + 1]) : 0;
    const expected = 2 * n * (normalCdf(-edges[j]) - upper);
    chi2 += (counts[j] - expected) ** 2 / expected;
  }
  assert.ok(chi2 < 330.5, `chi-square ${chi2.toFixed(1)} over 255 degrees of freedom`);
  // The tail draws against the normal conditioned on |x| > r: KS √m·D below 1.95 (p = 0.001).
  tail.sort((a, b) => a - b);
  const m = tail.length;
  const pR = normalCdf(-ZIGGURAT_R);
  let d = 0;
  for (let i = 0; i < m; i++) {
    const p = 1 - normalCdf(-tail[i]) / pR;
    d = Math.max(d, p - i / m, (i + 1) / m - p);
  }
  assert.ok(m > 800 && Math.sqrt(m) * d < 1.95, `${m} tail draws, KS √m·D = ${(Math.sqrt(m) * d).toFixed(3)}`);
});

test('fillNormalZiggurat: a seed gives the same draws, in one call or in pieces; the stream continues after it', () => {
  const whole = new Rng(42).fillNormalZiggurat(new Float64Array(1000));
  const rng = new Rng(42);
  const a = rng.fillNormalZiggurat(new Float64Array(333));
  const b = rng.fillNormalZiggurat(new Float64Array(667));
  assert.deepEqual([...a, ...b], [...whole]);
  const next = new Rng(42);
  next.fillNormalZiggurat(new Float64Array(1000));
  assert.equal(rng.uniform(), next.uniform());
  assert.notDeepEqual([...new Rng(43).fillNormalZiggurat(new Float64Array(10))], [...whole.subarray(0, 10)]);
});
