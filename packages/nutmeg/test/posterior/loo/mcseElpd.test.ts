// mcseElpd (from the likelihoods and weights LOO has already) against a transcription of R loo 2.5.1's mcse_elpd, and loo's elpd on both of its routes against colLogSumExps(ll + lw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blomScores, mcseElpd } from '../../../src/posterior/loo/mcseElpd.js';
import { loo } from '../../../src/posterior/loo/loo.js';
import { Rng } from '../../../src/core/rng.js';
import { logsumexp } from '../../../src/math/special.js';

/**
 * R loo 2.5.1's mcse_elpd for one observation, line by line: lik <- exp(ll); w2 <- exp(lw)^2;
 * E_epd <- exp(E_elpd); var_epd <- sum(w2 * (lik - E_epd)^2); z <- E_epd + sqrt(var_epd) * zn;
 * var(log(z[z > 0])) (two-pass variance), then sqrt(var / r_eff).
 */
function rMcseElpd(ll: Float64Array, lw: Float64Array, elpd: number, rEff: number): number {
  const E = Math.exp(elpd);
  let v = 0;
  for (let s = 0; s < ll.length; s++) v += Math.exp(lw[s]) ** 2 * (Math.exp(ll[s]) - E) ** 2;
  const logs = Array.from(blomScores(), (zn) => E + Math.sqrt(v) * zn)
    .filter((z) => z > 0)
    .map(Math.log);
  const m = logs.reduce((a, b) => a + b, 0) / logs.length;
  const variance = logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1);
  return Math.sqrt(variance / rEff);
}

/** A random observation: S log-likelihoods with spread `spread`, and normalised log weights that favour the small likelihoods (as LOO's do). */
function randomCase(rng: Rng, S: number, spread: number): { ll: Float64Array; lw: Float64Array } {
  const ll = new Float64Array(S);
  const lw = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    ll[s] = -1 - spread * Math.abs(rng.normal());
    lw[s] = -ll[s] + 0.1 * rng.normal();
  }
  const norm = logsumexp(lw);
  for (let s = 0; s < S; s++) lw[s] -= norm;
  return { ll, lw };
}

test('mcseElpd from exp(ll − max) and the weights equals R loo mcse_elpd on the log scale', () => {
  const rng = new Rng(20261207);
  let truncated = 0;
  for (const [S, spread] of [[200, 0.1], [1000, 0.5], [4000, 1], [500, 3], [100, 6]] as const) {
    for (let rep = 0; rep < 4; rep++) {
      const { ll, lw } = randomCase(rng, S, spread);
      let max = -Infinity;
      for (const v of ll) if (v > max) max = v;
      const lik = ll.map((v) => Math.exp(v - max));
      const w = lw.map(Math.exp);
      let wLik = 0;
      for (let s = 0; s < S; s++) wLik += w[s] * lik[s];
      const elpd = logsumexp(ll.map((v, s) => v + lw[s]));
      const rEff = 0.5 + rep / 4;
      const expected = rMcseElpd(ll, lw, elpd, rEff);
      const got = mcseElpd(lik, w, wLik, rEff);
      // Both sum S products of nearly equal terms: rounding of order S·ε relative.
      assert.ok(Math.abs(got - expected) <= 1e-12 * expected, `S ${S} spread ${spread}: ${got} vs ${expected}`);
      const sdRel = got === 0 ? 0 : Math.sqrt(lik.reduce((a, l, s) => a + (w[s] * (l - wLik)) ** 2, 0)) / wLik;
      if (sdRel * blomScores()[0] <= -1) truncated++;
    }
  }
  assert.ok(truncated > 0, 'some cases drop normal scores with z ≤ 0 (the bisection is exercised)');
});

test('mcseElpd: a constant likelihood has MCSE 0, a non-positive mean gives NaN', () => {
  const S = 50;
  const w = new Float64Array(S).fill(1 / S);
  assert.equal(mcseElpd(new Float64Array(S).fill(1), w, 1, 1), 0);
  assert.ok(Number.isNaN(mcseElpd(new Float64Array(S), w, 0, 1)));
});

test("loo: elpd_loo equals log Σ exp(ll + lw) of its own weights, also when the likelihoods span more than exp(600); its MCSE is R loo's", () => {
  const rng = new Rng(7);
  const S = 400;
  const n = 3;
  // Observation 2 has log-likelihoods from about −1 down to −1500: exp(ll − max) underflows for many draws.
  const draws = Array.from({ length: S }, () => [-1 - Math.abs(rng.normal()), -2 - 0.3 * rng.normal() ** 2, -1 - 1500 * rng.uniform()]);
  const l = loo(draws, { saveLogWeights: true, rEff: 1 });
  for (let i = 0; i < n; i++) {
    const lw = l.logWeights![i];
    const expected = logsumexp(draws.map((d, s) => d[i] + lw[s]));
    assert.ok(Number.isFinite(l.pointwise.elpdLoo[i]), `observation ${i}`);
    // Sums of S terms: rounding of order S·ε of the terms' scale.
    assert.ok(Math.abs(l.pointwise.elpdLoo[i] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `observation ${i}: ${l.pointwise.elpdLoo[i]} vs ${expected}`);
    const mcse = l.pointwise.mcseElpdLoo[i];
    if (i < 2) {
      const r = rMcseElpd(Float64Array.from(draws, (d) => d[i]), lw, expected, 1);
      assert.ok(Math.abs(mcse - r) <= 1e-12 * r, `observation ${i} mcse: ${mcse} vs R's ${r}`);
    } else {
      // R's exp(ll) underflows here (its mcse is NA); on the log scale the relative sd is finite.
      assert.ok(mcse > 0 && mcse < 10, `observation ${i} mcse: ${mcse}`);
    }
  }
});
