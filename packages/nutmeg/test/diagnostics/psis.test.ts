// Tests of the generalized Pareto fit, Pareto-smoothed importance weights and the Pareto k-hat of importance ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpdFit, gpdQuantile as libGpdQuantile, paretoKHat, paretoKThreshold, psis, psisTailLength, upperTail } from '../../src/diagnostics/psis.js';
import { Rng } from '../../src/core/rng.js';

/** GPD(k, sigma) quantile function. */
function gpdQuantile(p: number, k: number, sigma: number): number {
  return k === 0 ? -sigma * Math.log1p(-p) : (sigma * (Math.pow(1 - p, -k) - 1)) / k;
}

test('gpdFit recovers shape and scale from exact GPD quantiles (no prior)', () => {
  for (const k of [-0.2, 0, 0.3, 0.7]) {
    const n = 2000;
    const x = Float64Array.from({ length: n }, (_, i) => gpdQuantile((i + 0.5) / n, k, 2));
    const f = gpdFit(x, false);
    assert.ok(Math.abs(f.k - k) < 0.03, `k=${k}: got ${f.k}`);
    assert.ok(Math.abs(f.sigma - 2) < 0.1, `k=${k}: sigma ${f.sigma}`);
  }
});

test('gpdFit shrinks k towards 0.5 by the PSIS prior (n·k + 10·0.5)/(n + 10)', () => {
  const n = 40;
  const x = Float64Array.from({ length: n }, (_, i) => gpdQuantile((i + 0.5) / n, 0.1, 1));
  const raw = gpdFit(x, false).k;
  const reg = gpdFit(x).k;
  assert.ok(Math.abs(reg - (n * raw + 5) / (n + 10)) < 1e-12);
});

test('paretoKHat of Pareto-tailed ratios is near the true shape within Monte Carlo error', () => {
  // Ratios r = U^(−k) have a Pareto tail with shape k; k-hat over R independent replicates.
  const S = 4000;
  const R = 24;
  for (const kTrue of [0.3, 0.6, 0.9]) {
    const ks: number[] = [];
    for (let rep = 0; rep < R; rep++) {
      const rng = new Rng(1000 + rep, Math.round(kTrue * 10));
      const lr = new Float64Array(S);
      for (let i = 0; i < S; i++) lr[i] = -kTrue * Math.log(rng.uniformOpen());
      ks.push(paretoKHat(lr).k);
    }
    const mean = ks.reduce((a, b) => a + b, 0) / R;
    const sd = Math.sqrt(ks.reduce((a, b) => a + (b - mean) ** 2, 0) / (R - 1));
    const m = Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S)));
    const priorShift = (10 * (0.5 - kTrue)) / (m + 10); // the regularisation's known pull towards 0.5
    const err = Math.abs(mean - kTrue - priorShift);
    assert.ok(err < 4 * (sd / Math.sqrt(R)) + 0.01, `k=${kTrue}: mean k-hat ${mean.toFixed(3)} (sd ${sd.toFixed(3)})`);
  }
});

test('paretoKHat of light-tailed ratios is small, of exact ratios is NaN', () => {
  const rng = new Rng(7);
  const S = 2000;
  // Importance ratios of N(0, 1) against a wider proposal N(0, 1.5²): bounded ratios, k < 0.
  const lr = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    const x = 1.5 * rng.normal();
    lr[i] = -0.5 * x * x + 0.5 * (x / 1.5) ** 2;
  }
  assert.ok(paretoKHat(lr).k < 0.2);
  // A proposal narrower than the target, N(0, 0.3²): ratios ∝ exp(0.455·z²), a Pareto tail of
  // shape 2·0.455 ≈ 0.91 (the "bad" region).
  for (let i = 0; i < S; i++) {
    const x = 0.3 * rng.normal();
    lr[i] = -0.5 * x * x + 0.5 * (x / 0.3) ** 2;
  }
  assert.ok(paretoKHat(lr).k > 0.7, `k-hat ${paretoKHat(lr).k}`);
  assert.ok(Number.isNaN(paretoKHat(new Float64Array(S).fill(1)).k));
  assert.ok(Number.isNaN(paretoKHat(new Float64Array(10)).k));
});

test('paretoKThreshold is min(1 − 1/log10 S, 0.7)', () => {
  assert.ok(Math.abs(paretoKThreshold(1000) - 2 / 3) < 1e-12);
  assert.equal(paretoKThreshold(1e6), 0.7);
});

test('psis: the M largest ratios become GPD quantiles over the cut-off, truncated at the largest raw ratio; the rest are unchanged', () => {
  const rng = new Rng(11);
  const S = 1000;
  const lr = Float64Array.from({ length: S }, () => 1.5 * rng.normal());
  for (const rEff of [1, 0.3]) {
    const r = psis(lr, { rEff });
    const M = psisTailLength(S, rEff);
    assert.equal(r.tailLength, M);
    assert.equal(M, Math.ceil(Math.min(0.2 * S, 3 * Math.sqrt(S / rEff))));
    assert.ok(r.smoothed && Number.isFinite(r.k));
    let sum = 0;
    for (const v of r.logWeights) sum += Math.exp(v);
    assert.ok(Math.abs(sum - 1) < 1e-12);
    // The weights themselves: exp(logWeights) to within (2 + ln S) ulps (the log weights carry the
    // rounding of log Σ W, ~ln S ulps of their own), summing to 1.
    let wSum = 0;
    for (let s = 0; s < S; s++) {
      wSum += r.weights[s];
      assert.ok(Math.abs(r.weights[s] - Math.exp(r.logWeights[s])) <= (2 + Math.log(S)) * Number.EPSILON * r.weights[s], `weight ${s}`);
    }
    assert.ok(Math.abs(wSum - 1) < 1e-12);
    const order = Array.from(lr.keys()).sort((a, b) => lr[a] - lr[b]);
    const max = lr[order[S - 1]];
    const cut = Math.exp(lr[order[S - M - 1]] - max);
    // Unnormalised weights relative to the largest raw ratio: log w − log w_body = log r − log r_body.
    const shift = r.logWeights[order[0]] - (lr[order[0]] - max);
    for (let j = 0; j < S - M; j++) assert.ok(Math.abs(r.logWeights[order[j]] - shift - (lr[order[j]] - max)) < 1e-12);
    const sigmaRel = r.sigma / Math.exp(max);
    for (let j = 0; j < M; j++) {
      const q = Math.min(Math.log(libGpdQuantile((j + 0.5) / M, r.k, sigmaRel) + cut), 0);
      assert.ok(Math.abs(r.logWeights[order[S - M + j]] - shift - q) < 1e-9, `tail ${j}`);
    }
    // n_eff = rEff / Σ w².
    let ss = 0;
    for (const v of r.logWeights) ss += Math.exp(2 * v);
    assert.ok(Math.abs(r.nEff - rEff / ss) < 1e-9 * r.nEff);
  }
  assert.equal(psis(lr).k, paretoKHat(lr).k); // ADVI's k-hat is psis's k with rEff = 1
});

test('psis: too short or constant tails are not smoothed and report k = Infinity (as loo)', () => {
  const few = psis(Float64Array.from({ length: 20 }, (_, i) => Math.sin(i)));
  assert.equal(few.tailLength, 4);
  assert.equal(few.k, Infinity);
  assert.equal(few.smoothed, false);
  const flat = psis(new Float64Array(100));
  assert.equal(flat.k, Infinity);
  for (const v of flat.logWeights) assert.ok(Math.abs(v + Math.log(100)) < 1e-12);
  for (const w of flat.weights) assert.ok(Math.abs(w - 0.01) < 1e-15);
});

test('upperTail: the last m of a stable ascending sort (ties by index) and the value before them, with many ties and in every order', () => {
  const rng = new Rng(99);
  for (const [S, m, levels] of [[4000, 190, 0], [4000, 190, 7], [200, 5, 2], [1000, 95, 40], [64, 63, 3], [50, 10, 1], [4000, 190, 1], [4000, 1500, 0], [2000, 30, 2]] as const) {
    for (const order of ['random', 'ascending', 'descending']) {
      const lw = Float64Array.from({ length: S }, () => (levels === 0 ? rng.normal() : Math.floor(rng.uniform() * levels)));
      if (order === 'ascending') lw.sort();
      if (order === 'descending') lw.sort().reverse();
      if (levels === 2) lw[3] = -Infinity;
      if (levels === 1) for (let i = 0; i < S; i += 2) lw[i] = -Infinity; // half −∞: the threshold and the candidates' range
      const sorted = Array.from({ length: S }, (_, i) => i).sort((a, b) => lw[a] - lw[b] || a - b);
      const { idx, cutoff } = upperTail(lw, m);
      assert.deepEqual(Array.from(idx), sorted.slice(S - m), `S ${S} m ${m} levels ${levels} ${order}`);
      assert.equal(cutoff, lw[sorted[S - m - 1]]);
    }
  }
});

test('psis: `out` arrays receive the same weights a fresh call returns, run after run; bad ones are named', () => {
  const rng = new Rng(77);
  const S = 500;
  const out = { logWeights: new Float64Array(S), weights: new Float64Array(S) };
  for (let run = 0; run < 3; run++) {
    const lr = Float64Array.from({ length: S }, () => rng.normal() * (1 + run));
    const fresh = psis(lr, { rEff: 0.8 });
    const into = psis(lr, { rEff: 0.8, out });
    assert.equal(into.logWeights, out.logWeights);
    assert.equal(into.weights, out.weights);
    assert.deepEqual(into.logWeights, fresh.logWeights);
    assert.deepEqual(into.weights, fresh.weights);
    assert.equal(into.k, fresh.k);
  }
  const lr = new Float64Array(S);
  assert.throws(() => psis(lr, { out: { logWeights: new Float64Array(S - 1), weights: out.weights } }), /out\.logWeights.*Float64Array of 500 values/);
  assert.throws(() => psis(lr, { out: { logWeights: out.logWeights, weights: [] as unknown as Float64Array } }), /out\.weights/);
  assert.throws(() => psis(lr, { out: { logWeights: out.weights, weights: out.weights } }), /three different arrays/);
  assert.throws(() => psis(lr, { out: { logWeights: lr, weights: out.weights } }), /three different arrays/);
});
