// Exact-value unit tests: FFT autocovariance, HDI, E-BFMI, counts, split chains, type-7 quantiles.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import {
  countDivergences,
  countTreeDepthSaturation,
  ebfmi,
  hdi,
  hdiColumnNames,
  meanAutocovariance,
  quantileSorted,
  splitChains,
  zScale,
} from '../../src/diagnostics/index.js';

function directAcov(chains: Float64Array[]): Float64Array {
  const n = chains[0].length;
  const out = new Float64Array(n);
  for (const ch of chains) {
    const m = ch.reduce((a, b) => a + b, 0) / n;
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let i = 0; i + t < n; i++) s += (ch[i] - m) * (ch[i + t] - m);
      out[t] += s / n / chains.length;
    }
  }
  return out;
}

test('FFT autocovariance equals the direct sum, for odd chain counts and lengths too', () => {
  const rng = new Rng(3);
  for (const [nChains, n] of [[1, 1], [1, 7], [2, 33], [3, 100], [4, 257]] as const) {
    const chains = Array.from({ length: nChains }, () => Float64Array.from({ length: n }, () => rng.normal() * 3 + 1));
    const means = chains.map((c) => c.reduce((a, b) => a + b, 0) / n);
    const got = meanAutocovariance(chains, means);
    const want = directAcov(chains);
    for (let t = 0; t < n; t++) assert.ok(Math.abs(got[t] - want[t]) <= 1e-12 * (1 + Math.abs(want[0])), `C=${nChains} n=${n} t=${t}`);
  }
});

test('a constant chain contributes zero autocovariance', () => {
  const a = Float64Array.of(1, 2, 4, 3);
  const c = Float64Array.of(5, 5, 5, 5);
  const got = meanAutocovariance([a, c], [2.5, 5]);
  const want = directAcov([a]);
  for (let t = 0; t < 4; t++) assert.ok(Math.abs(got[t] - want[t] / 2) < 1e-14);
});

test('split chains drop the middle draw of odd-length chains', () => {
  assert.deepEqual(splitChains([[1, 2, 3, 4, 5]]).map((c) => [...c]), [[1, 2], [4, 5]]);
  assert.deepEqual(splitChains([[1, 2, 3, 4]]).map((c) => [...c]), [[1, 2], [3, 4]]);
});

test('type-7 quantiles match R', () => {
  const s = Float64Array.of(1, 2, 3, 4, 10);
  assert.equal(quantileSorted(s, 0.5), 3);
  assert.ok(Math.abs(quantileSorted(s, 0.9) - 7.6) < 1e-15); // R: quantile(c(1,2,3,4,10), 0.9) = 7.6
  assert.equal(quantileSorted(s, 0), 1);
  assert.equal(quantileSorted(s, 1), 10);
});

test('rank normalisation gives tied draws the same score and is symmetric', () => {
  const z = zScale([[3, 1, 2, 2]]);
  assert.equal(z[0][2], z[0][3]);
  assert.ok(Math.abs(z[0][0] + z[0][1]) < 1e-15);
});

test('HDI is the narrowest interval, first on ties, over pooled chains', () => {
  assert.deepEqual(hdi([[1, 2, 3, 4, 100]], 0.5), [1, 3]);
  assert.deepEqual(hdi([[0, 10], [11, 30]], 0.5), [0, 11]);
  assert.deepEqual(hdi([[1, 2, 3, 4]], 0.5), [1, 3]);
  assert.deepEqual(hdi([[5]], 0.94), [5, 5]);
});

test('HDI column names follow ArviZ', () => {
  assert.deepEqual(hdiColumnNames(0.94), ['hdi_3%', 'hdi_97%']);
  assert.deepEqual(hdiColumnNames(0.95), ['hdi_2.5%', 'hdi_97.5%']);
  assert.deepEqual(hdiColumnNames(0.89), ['hdi_5.5%', 'hdi_94.5%']);
  assert.deepEqual(hdiColumnNames(0.5), ['hdi_25%', 'hdi_75%']);
});

test('E-BFMI per chain: mean squared energy change over population variance', () => {
  const e = [1, 3, 2, 5, 4];
  // diffs 2,-1,3,-1 → mean square 15/4; variance about 3: (4+0+1+4+1)/5 = 2
  const got = ebfmi([e, [2, 2, 2, 2, 2], [1, NaN, 2, 3, 4]]);
  assert.ok(Math.abs(got[0] - 15 / 4 / 2) < 1e-15);
  assert.ok(Number.isNaN(got[1]));
  assert.ok(Number.isNaN(got[2]));
});

test('E-BFMI is near 2 for independent energies and small for a random walk', () => {
  const rng = new Rng(11);
  const iid = Array.from({ length: 4000 }, () => rng.normal());
  let w = 0;
  const walk = Array.from({ length: 4000 }, () => (w += rng.normal()));
  const [a, b] = ebfmi([iid, walk]);
  // For iid draws E[(e_n − e_{n−1})²] = 2σ²; the ratio's sd at n = 4000 is ≈ 0.03.
  assert.ok(Math.abs(a - 2) < 0.15, `iid ${a}`);
  assert.ok(b < 0.05, `walk ${b}`);
});

test('counts of divergences and tree-depth saturation, per chain', () => {
  assert.deepEqual(countDivergences([[0, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 0]]), { total: 5, perChain: [2, 0, 3] });
  assert.deepEqual(countTreeDepthSaturation([[3, 10, 10], [11, 2, 9]], 10), { total: 3, perChain: [2, 1] });
  assert.throws(() => countTreeDepthSaturation([[1]], 0), /maxTreeDepth/);
});
