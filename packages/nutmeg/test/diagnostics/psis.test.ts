// Tests of the generalized Pareto fit and the Pareto k-hat of importance ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpdFit, paretoKHat, paretoKThreshold } from '../../src/diagnostics/psis.js';
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
