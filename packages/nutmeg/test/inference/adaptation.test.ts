// Warm-up adaptation: Stan's window schedule, dual averaging, Welford estimators, the step-size heuristic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { windowSchedule } from '../../src/inference/adaptation/schedule.js';
import { dualAveraging } from '../../src/inference/adaptation/dualAveraging.js';
import { welfordCovariance, welfordVariance } from '../../src/inference/adaptation/welford.js';
import { initStepSize } from '../../src/inference/adaptation/initStepSize.js';
import { windowAdaptation } from '../../src/inference/adaptation/windowAdaptation.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';
import { unitMetric } from '../../src/inference/hmc/metric.js';
import { scaledNormal } from './fixtures/gaussians.js';

const spans = (n: number) => windowSchedule(n).map((s) => [s.kind, s.start, s.end]);

test("windowSchedule: Stan's windows for 1000 warm-up iterations", () => {
  assert.deepEqual(spans(1000), [
    ['fast', 0, 75],
    ['slow', 75, 100],
    ['slow', 100, 150],
    ['slow', 150, 250],
    ['slow', 250, 450],
    ['slow', 450, 950],
    ['fast', 950, 1000],
  ]);
});

test('windowSchedule: 150 fits exactly one slow window; 2000 stretches the last window', () => {
  assert.deepEqual(spans(150), [['fast', 0, 75], ['slow', 75, 100], ['fast', 100, 150]]);
  // 75 + 25 + 50 + 100 + 200 + 400 = 850 → next window (800) would end at 1650 + 1600 > 1950: stretch to 1950.
  assert.deepEqual(spans(2000), [
    ['fast', 0, 75], ['slow', 75, 100], ['slow', 100, 150], ['slow', 150, 250], ['slow', 250, 450],
    ['slow', 450, 850], ['slow', 850, 1950], ['fast', 1950, 2000],
  ]);
  // 500: windows 25, 50, 100, then 200 would end at 450 = 500−50 exactly.
  assert.deepEqual(spans(500), [['fast', 0, 75], ['slow', 75, 100], ['slow', 100, 150], ['slow', 150, 250], ['slow', 250, 450], ['fast', 450, 500]]);
});

test('windowSchedule: short warm-ups scale to 15% / 75% / 10%; under 20 no metric adaptation', () => {
  assert.deepEqual(spans(100), [['fast', 0, 15], ['slow', 15, 90], ['fast', 90, 100]]);
  assert.deepEqual(spans(149), [['fast', 0, 22], ['slow', 22, 135], ['fast', 135, 149]]);
  assert.deepEqual(spans(20), [['fast', 0, 3], ['slow', 3, 18], ['fast', 18, 20]]);
  assert.deepEqual(spans(19), [['fast', 0, 19]]);
  assert.deepEqual(spans(0), []);
  // Stages always tile [0, n).
  for (const n of [20, 37, 150, 151, 333, 999, 1000, 1234, 5000]) {
    const s = windowSchedule(n);
    assert.equal(s[0].start, 0);
    assert.equal(s[s.length - 1].end, n);
    for (let k = 1; k < s.length; k++) assert.equal(s[k].start, s[k - 1].end);
  }
});

test('dualAveraging: first update matches the formulas; converges to the target acceptance', () => {
  const da = dualAveraging({ targetAccept: 0.8 });
  const s0 = da.init(1);
  assert.equal(s0.mu, Math.log(10));
  const s1 = da.update(s0, 0.5);
  // η = 1/11, s̄ = 0.3/11, x = log 10 − s̄·1/0.05, x̄ = x (κ-weight 1 at count 1)
  const sBar = 0.3 / 11;
  assert.ok(Math.abs(s1.sBar - sBar) < 1e-15);
  assert.ok(Math.abs(s1.x - (Math.log(10) - sBar / 0.05)) < 1e-14);
  assert.ok(Math.abs(s1.xBar - s1.x) < 1e-14);
  assert.equal(da.update(s0, 1.7).sBar, da.update(s0, 1).sBar, 'acceptance is capped at 1');
  // A deterministic acceptance curve a(ε) = exp(−ε): the fixed point is ε* = −log 0.8.
  let s = da.init(1);
  for (let i = 0; i < 3000; i++) s = da.update(s, Math.exp(-Math.exp(s.x)));
  const eps = da.final(s);
  // x̄ forgets early iterates slowly (weights ∝ t^−κ), so after 3000 updates it is within 2%.
  assert.ok(Math.abs(eps + Math.log(0.8)) < 0.02 * -Math.log(0.8), `ε = ${eps}`);
});

test('welfordVariance.updateBoth: two estimators of one stream, started apart, equal update() on each bit for bit', () => {
  const rng = new Rng(21);
  const w = welfordVariance(5);
  const [a, b, a2, b2] = [w.init(), w.init(), w.init(), w.init()];
  // b starts later (a window switch): the two states hold different counts and means.
  for (let t = 0; t < 120; t++) {
    const x = Float64Array.from({ length: 5 }, (_, i) => rng.normal() * (i + 1) + 10 * i);
    if (t < 40) {
      w.update(a, x);
      w.update(a2, x);
      continue;
    }
    w.updateBoth(a, b, x);
    w.update(a2, x);
    w.update(b2, x);
  }
  for (const [got, want] of [[a, a2], [b, b2]]) {
    assert.equal(got.n, want.n);
    assert.deepEqual(Array.from(got.mean), Array.from(want.mean));
    assert.deepEqual(Array.from(got.m2), Array.from(want.m2));
  }
  assert.equal(a.n, 120);
  assert.equal(b.n, 80);
});

test('welfordVariance / welfordCovariance: agree with two-pass estimates; Stan regularisation', () => {
  const rng = new Rng(9);
  const n = 200;
  const xs = Array.from({ length: n }, () => Float64Array.from([rng.normal() * 2 + 1, rng.normal() - 3, rng.normal()]));
  xs.forEach((x) => (x[2] += 0.5 * x[0]));
  const wv = welfordVariance(3);
  const wc = welfordCovariance(3);
  const sv = wv.init();
  const sc = wc.init();
  for (const x of xs) {
    wv.update(sv, x);
    wc.update(sc, x);
  }
  const mean = [0, 1, 2].map((i) => xs.reduce((a, x) => a + x[i], 0) / n);
  const cov = (i: number, j: number) => xs.reduce((a, x) => a + (x[i] - mean[i]) * (x[j] - mean[j]), 0) / (n - 1);
  const v = wv.final(sv, false);
  const c = wc.final(sc, false);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(v[i] - cov(i, i)) < 1e-12 * (1 + cov(i, i)));
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(c[i * 3 + j] - cov(i, j)) < 1e-12 * (1 + Math.abs(cov(i, j))));
  }
  const r = wv.final(sv);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(r[i] - ((n / (n + 5)) * cov(i, i) + 1e-3 * (5 / (n + 5)))) < 1e-14);
  const rc = wc.final(sc);
  assert.ok(Math.abs(rc[1] - (n / (n + 5)) * cov(0, 1)) < 1e-14);
  assert.ok(Math.abs(rc[4] - ((n / (n + 5)) * cov(1, 1) + 1e-3 * (5 / (n + 5)))) < 1e-14);
});

test('initStepSize: finds a step whose one-step acceptance straddles 0.8', () => {
  for (const sd of [0.01, 1, 100]) {
    const ld = scaledNormal({ sds: [sd, sd] });
    const kernel = buildNuts(ld);
    const state = kernel.init(new Float64Array([sd, -sd]));
    const eps = initStepSize(ld, unitMetric(2), new Rng(4), state, 1);
    assert.ok(eps > 0.05 * sd && eps < 20 * sd, `sd ${sd}: ε ${eps}`);
  }
});

test('windowAdaptation: learns the posterior variances and a step size near the target acceptance', () => {
  const sds = [0.1, 1, 10];
  const ld = scaledNormal({ sds });
  const kernel = buildNuts(ld);
  const rng = new Rng(21);
  const adapt = windowAdaptation(ld, 1000);
  let state = kernel.init(new Float64Array([0.05, 0.5, 5]));
  let params = adapt.start(rng, state);
  for (let i = 0; i < 1000; i++) {
    const [s, info] = kernel.step(rng, state, params);
    state = s;
    params = adapt.update(rng, state, info.acceptanceRate);
  }
  const final = adapt.final();
  assert.equal(final.metric.kind, 'diag');
  const m = final.metric.inverseMetric;
  // The last slow window holds 500 draws; a variance from ~500 draws is within ±35% comfortably.
  for (let i = 0; i < 3; i++) {
    const ratio = m[i] / (sds[i] * sds[i]);
    assert.ok(ratio > 0.6 && ratio < 1.5, `coordinate ${i}: ratio ${ratio}`);
  }
  let acc = 0;
  for (let i = 0; i < 500; i++) {
    const [s, info] = kernel.step(rng, state, final);
    state = s;
    acc += info.acceptanceRate;
  }
  acc /= 500;
  assert.ok(acc > 0.7 && acc < 0.95, `mean acceptance ${acc}`);
});
