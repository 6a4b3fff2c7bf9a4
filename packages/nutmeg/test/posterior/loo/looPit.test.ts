// looPit against ArviZ's _loo_pit formula (fixtures/looPit.json from looPit.py), the empirical fraction for equal weights, and uniformity under the true model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../../src/core/rng.js';
import { OptionError } from '../../../src/core/errors.js';
import { looPit } from '../../../src/posterior/loo/looPit.js';
import { loo } from '../../../src/posterior/loo/loo.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/looPit.json', import.meta.url), 'utf8')) as {
  y: number[];
  y_hat: number[][];
  log_weights: number[][];
  loo_pit: number[];
};

/** ArviZ's y_hat is (observation, sample); looPit's yRep is (draw, observation). */
function transpose(a: readonly number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

test('looPit equals ArviZ _loo_pit on the fixed example (ties, PIT 0 and 1)', () => {
  const pit = looPit({ y: fx.y, yRep: transpose(fx.y_hat), logWeights: fx.log_weights });
  assert.equal(pit.length, fx.loo_pit.length);
  // Same sums of the same exponentials in another order: rounding only.
  fx.loo_pit.forEach((p, i) => assert.ok(Math.abs(pit[i] - p) <= 1e-14, `PIT[${i}]: ${pit[i]} vs ${p}`));
  assert.equal(pit[2], 0, 'below every draw');
  // Unnormalised weights (shifted by a constant per observation) give the same values.
  const shifted = fx.log_weights.map((lw, i) => lw.map((w) => w + 3 * i - 5));
  const pit2 = looPit({ y: fx.y, yRep: transpose(fx.y_hat), logWeights: shifted });
  fx.loo_pit.forEach((p, i) => assert.ok(Math.abs(pit2[i] - p) <= 1e-13));
});

test('with equal weights looPit is the fraction of replicates ≤ y (ties included)', () => {
  const rng = new Rng(7);
  const S = 50;
  const n = 30;
  const y = Array.from({ length: n }, () => Math.round(rng.normal() * 2));
  const yRep = Array.from({ length: S }, () => Array.from({ length: n }, () => Math.round(rng.normal() * 2)));
  const pit = looPit({ y, yRep, logWeights: Array.from({ length: n }, () => new Float64Array(S)) });
  let ties = 0;
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let s = 0; s < S; s++) {
      if (yRep[s][i] <= y[i]) count++;
      if (yRep[s][i] === y[i]) ties++;
    }
    assert.ok(Math.abs(pit[i] - count / S) < 1e-14, `PIT[${i}] = ${pit[i]}, fraction ${count / S}`);
  }
  assert.ok(ties > 0, 'the example has ties');
  // A constant log-likelihood gives equal PSIS weights: the same fraction.
  const flat = looPit({ y, yRep, logLik: [yRep.map(() => new Float64Array(n))], rEff: 1 });
  for (let i = 0; i < n; i++) assert.ok(Math.abs(flat[i] - pit[i]) < 1e-12);
});

/** Kolmogorov–Smirnov distance of values from U(0, 1). */
function ksUniform(values: ArrayLike<number>): number {
  const x = Float64Array.from(values).sort();
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, (i + 1) / x.length - x[i], x[i] - i / x.length);
  return d;
}

/**
 * Normal model with known sd 1 and prior θ ~ N(0, 1): y_i ~ N(θ_true, 1); exact posterior draws
 * θ_s ~ N(Σy/(n+1), 1/(n+1)), yrep_is ~ N(θ_s, predSd), log p(y_i | θ_s) for the PSIS weights.
 */
function normalModel(seed: number, n: number, S: number, predSd: number) {
  const rng = new Rng(seed);
  const theta = rng.normal();
  const y = Array.from({ length: n }, () => theta + rng.normal());
  const postMean = y.reduce((a, b) => a + b, 0) / (n + 1);
  const postSd = 1 / Math.sqrt(n + 1);
  const chains = 2;
  const logLik: Float64Array[][] = [];
  const yRep: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    logLik.push([]);
    for (let d = 0; d < S / chains; d++) {
      const t = postMean + postSd * rng.normal();
      const ll = new Float64Array(n);
      const rep = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        ll[i] = -0.5 * Math.log(2 * Math.PI) - 0.5 * (y[i] - t) ** 2;
        rep[i] = t + predSd * rng.normal();
      }
      logLik[c].push(ll);
      yRep.push(rep);
    }
  }
  return { y, yRep, logLik };
}

test('under the true model the LOO-PIT values are uniform (KS at a fixed seed); a too-narrow predictive is not', () => {
  const n = 400;
  // KS critical value at level 0.001 for n = 400: 1.95/√n ≈ 0.0975 (asymptotic Kolmogorov quantile).
  const critical = 1.95 / Math.sqrt(n);
  const good = normalModel(2026, n, 2000, 1);
  const pit = looPit({ y: good.y, yRep: good.yRep, logLik: good.logLik });
  for (const p of pit) assert.ok(p >= 0 && p <= 1);
  const d = ksUniform(pit);
  assert.ok(d < critical, `KS distance ${d} ≥ ${critical}`);
  // Replicates drawn with sd 0.5 instead of 1: PIT piles at 0 and 1, and KS rejects (D ≈ 0.16–0.20 over seeds 1–5, 2026;
  // the true model gives 0.024–0.052).
  const narrow = normalModel(2026, n, 2000, 0.5);
  const dNarrow = ksUniform(looPit({ y: narrow.y, yRep: narrow.yRep, logLik: narrow.logLik }));
  assert.ok(dNarrow > critical, `KS distance of a too-narrow predictive only ${dNarrow}`);
});

test('looPit rejects inconsistent input', () => {
  const yRep = [[0, 1], [1, 2]];
  assert.throws(() => looPit({ y: [0, 1], yRep }), OptionError);
  assert.throws(() => looPit({ y: [0, 1], yRep, logWeights: [[0, 0], [0, 0]], logLik: [[[0, 0]], [[0, 0]]] }), /exactly one/);
  assert.throws(() => looPit({ y: [0, 1], yRep, logWeights: [[0, 0], [0, 0]], weights: [[0.5, 0.5], [0.5, 0.5]] }), /exactly one/);
  assert.throws(() => looPit({ y: [0, 1], yRep, weights: [[0.5, 0.5]] }), /weights: has 1 observations but y has 2/);
  assert.throws(() => looPit({ y: [0, 1], yRep, weights: [[0.5, 0.5], [1]] }), /observation 1 has 1 weights but yRep has 2 draws/);
  assert.throws(() => looPit({ y: [0, 1, 2], yRep, logWeights: [[0, 0]] }), /draw 0 has 2 values but y has 3/);
  assert.throws(() => looPit({ y: [0, 1], yRep, logWeights: [[0, 0]] }), /1 observations but y has 2/);
  assert.throws(() => looPit({ y: [0, 1], yRep, logWeights: [[0, 0], [0]] }), /observation 1 has 1 weights but yRep has 2 draws/);
  assert.throws(() => looPit({ y: [0, 1], yRep, logLik: [[[0, 0, 0]], [[0, 0, 0]]] }), /3 observations but y has 2/);
});

test("loo's saved log weights (saveLogWeights) are PSIS's and give the same LOO-PIT as the log-likelihood, bit for bit", () => {
  const m = normalModel(11, 60, 400, 1);
  const plain = loo(m.logLik);
  const saved = loo(m.logLik, { saveLogWeights: true });
  assert.equal(plain.logWeights, undefined, 'not kept by default');
  assert.equal(saved.logWeights?.length, 60);
  assert.deepEqual(saved.pointwise, plain.pointwise);
  const fromLogLik = looPit({ y: m.y, yRep: m.yRep, logLik: m.logLik, rEff: plain.diagnostics.rEff });
  const fromWeights = looPit({ y: m.y, yRep: m.yRep, logWeights: saved.logWeights! });
  assert.deepEqual(fromWeights, fromLogLik);
});

test("loo's saved weights (saveWeights) are exp of its log weights within 2 + ln S ulps, and give ArviZ's LOO-PIT to rounding", () => {
  const m = normalModel(12, 60, 400, 1);
  const both = loo(m.logLik, { saveLogWeights: true, saveWeights: true });
  const plain = loo(m.logLik);
  assert.equal(plain.weights, undefined, 'not kept by default');
  assert.deepEqual(both.pointwise, plain.pointwise, 'keeping them changes nothing else');
  const S = 400;
  const ulps = 2 + Math.log(S);
  both.weights!.forEach((w, i) => {
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const want = Math.exp(both.logWeights![i][s]);
      assert.ok(Math.abs(w[s] - want) <= ulps * Number.EPSILON * want, `observation ${i}, draw ${s}: ${w[s]} vs ${want}`);
      sum += w[s];
    }
    assert.ok(Math.abs(sum - 1) <= S * Number.EPSILON, `observation ${i}: weights sum to ${sum}`);
  });
  const fromLog = looPit({ y: m.y, yRep: m.yRep, logWeights: both.logWeights! });
  const fromLinear = looPit({ y: m.y, yRep: m.yRep, weights: both.weights! });
  fromLog.forEach((p, i) => assert.ok(Math.abs(fromLinear[i] - p) <= 1e-13, `PIT[${i}]: ${fromLinear[i]} vs ${p}`));
  // ArviZ's fixture, its log weights exponentiated here (and left unnormalised: scaled by e^2).
  const fixtureWeights = fx.log_weights.map((lw) => lw.map((x) => Math.exp(x + 2)));
  const pit = looPit({ y: fx.y, yRep: transpose(fx.y_hat), weights: fixtureWeights });
  fx.loo_pit.forEach((p, i) => assert.ok(Math.abs(pit[i] - p) <= 1e-14, `fixture PIT[${i}]: ${pit[i]} vs ${p}`));
});
