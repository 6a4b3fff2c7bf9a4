// convergenceDiagnostics equals summarizeDraws' and the single-purpose functions' R-hat, bulk ESS and tail ESS, on ordinary and degenerate draws and on the R reference vectors.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { autocovarianceDirect, autocovarianceFft, fft } from '../../src/diagnostics/autocovariance.js';
import { convergenceDiagnostics, essBulk, essTail, rhat, summarizeDraws } from '../../src/diagnostics/index.js';

/** AR(1) chains x_t = φ x_{t−1} + ε_t, transformed by f. */
function ar(rng: Rng, nChains: number, nDraws: number, phi: number, f: (v: number, c: number) => number = (v) => v): number[][] {
  return Array.from({ length: nChains }, (_, c) => {
    let p = 0;
    return Array.from({ length: nDraws }, () => {
      p = phi * p + rng.normal();
      return f(p, c);
    });
  });
}

function inputs(): [string, number[][]][] {
  const rng = new Rng(21);
  const out: [string, number[][]][] = [];
  for (const nChains of [1, 2, 4]) {
    for (const nDraws of [0, 1, 3, 4, 5, 6, 7, 9, 50, 101, 1000]) {
      for (const phi of [-0.5, 0.3, 0.97]) out.push([`${nChains}×${nDraws} φ=${phi}`, ar(rng, nChains, nDraws, phi)]);
    }
  }
  out.push(['discrete', ar(rng, 4, 300, 0.3, (v) => Math.round(v * 2))]);
  out.push(['binary', ar(rng, 4, 300, 0.3, (v) => (v > 0.8 ? 1 : 0))]);
  out.push(['symmetric around the median (folded ties)', ar(rng, 4, 200, 0, (v) => Math.sign(v) * Math.round(Math.abs(v) * 3))]);
  out.push(['heavy tails', ar(rng, 4, 300, 0.3, (v) => Math.tan(v))]);
  out.push(['an outlier', ar(rng, 4, 300, 0.3, (v, c) => (c === 0 && v > 2.5 ? 1e200 : v))]);
  out.push(['a shifted chain', ar(rng, 4, 300, 0.3, (v, c) => v + (c === 2 ? 1 : 0))]);
  out.push(['a scaled chain', ar(rng, 4, 300, 0.3, (v, c) => v * (c === 2 ? 3 : 1))]);
  out.push(['a stuck chain', ar(rng, 4, 300, 0.3, (v, c) => (c === 1 ? 2 : v))]);
  out.push(['constant', ar(rng, 4, 20, 0, () => 3)]);
  out.push(['with NaN', ar(rng, 4, 20, 0, (v) => (v > 1.5 ? NaN : v))]);
  out.push(['with Infinity', ar(rng, 4, 20, 0, (v) => (v > 1.5 ? Infinity : v))]);
  out.push(['no chains', []]);
  return out;
}

test('convergenceDiagnostics equals summarizeDraws exactly and rhat/essBulk/essTail', () => {
  for (const [name, draws] of inputs()) {
    const got = convergenceDiagnostics(draws);
    const s = summarizeDraws(draws);
    for (const k of ['r_hat', 'ess_bulk', 'ess_tail'] as const) {
      assert.ok(Object.is(got[k], s[k]), `${name} ${k}: ${got[k]} vs summarizeDraws ${s[k]}`);
    }
    if (draws.length === 0) continue;
    assert.ok(Object.is(got.r_hat, rhat(draws)), `${name} r_hat vs rhat`);
    assert.ok(Object.is(got.ess_bulk, essBulk(draws)), `${name} ess_bulk vs essBulk`);
    assert.ok(Object.is(got.ess_tail, essTail(draws)), `${name} ess_tail vs essTail`);
  }
});

test('convergenceDiagnostics: NaN for degenerate input, finite otherwise', () => {
  const byName = new Map(inputs());
  for (const name of ['constant', 'with NaN', 'with Infinity', 'no chains', '4×0 φ=0.3', '4×3 φ=0.3']) {
    const d = convergenceDiagnostics(byName.get(name)!);
    assert.ok(Number.isNaN(d.r_hat) && Number.isNaN(d.ess_bulk) && Number.isNaN(d.ess_tail), name);
  }
  // 4 and 5 draws per chain: R-hat yes, ESS no (split chains of 2 draws).
  const d5 = convergenceDiagnostics(byName.get('4×5 φ=0.3')!);
  assert.ok(Number.isFinite(d5.r_hat) && Number.isNaN(d5.ess_bulk) && Number.isNaN(d5.ess_tail));
  const d = convergenceDiagnostics(byName.get('4×1000 φ=0.3')!);
  assert.ok(d.r_hat > 0.99 && d.r_hat < 1.01 && d.ess_bulk > 1000 && d.ess_tail > 500, JSON.stringify(d));
  assert.throws(() => convergenceDiagnostics([[1, 2, 3], [1, 2]]), OptionError);
});

test('convergenceDiagnostics matches the R posterior reference vectors (1e-6)', () => {
  const file = new URL('../fixtures/testvectors/diagnostics.json', import.meta.url);
  const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: { name: string; draws: number[][]; expected: Record<string, number> }[] }).cases;
  let checked = 0;
  for (const c of cases) {
    const d = convergenceDiagnostics(c.draws);
    for (const [k, want] of [['r_hat', c.expected.rhat], ['ess_bulk', c.expected.ess_bulk], ['ess_tail', c.expected.ess_tail]] as const) {
      if (want === undefined) continue;
      const got = d[k];
      if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${c.name} ${k}`);
      else assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want), `${c.name} ${k}: got ${got}, expected ${want}`);
      checked++;
    }
  }
  assert.ok(checked >= 20);
});

test('direct-sum autocovariances equal the FFT ones', () => {
  const rng = new Rng(5);
  for (const [nChains, n] of [[1, 7], [3, 50], [8, 500]]) {
    const x = new Float64Array(nChains * n);
    for (let c = 0; c < nChains; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[c * n + i] = rng.normal() + 0.5 * (i > 0 ? x[c * n + i - 1] : 0);
      for (let i = 0; i < n; i++) x[c * n + i] -= s / n;
    }
    const fft = new Float64Array(n);
    const direct = new Float64Array(n);
    autocovarianceFft(x, nChains, n, fft);
    autocovarianceDirect(x, nChains, n, 0, 3, direct);
    autocovarianceDirect(x, nChains, n, 3, n, direct);
    for (let t = 0; t < n; t++) assert.ok(Math.abs(fft[t] - direct[t]) <= 1e-12 * fft[0], `C=${nChains} n=${n} lag ${t}`);
  }
});

test('fft equals the naive discrete Fourier transform at every size up to 512', () => {
  const rng = new Rng(9);
  for (let m = 1; m <= 512; m *= 2) {
    const re = Float64Array.from({ length: m }, () => rng.normal());
    const im = Float64Array.from({ length: m }, () => rng.normal());
    const wantRe = new Float64Array(m);
    const wantIm = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < m; j++) {
        const a = (-2 * Math.PI * ((j * k) % m)) / m;
        wantRe[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
        wantIm[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
      }
    }
    fft(re, im);
    for (let k = 0; k < m; k++) {
      assert.ok(Math.abs(re[k] - wantRe[k]) < 1e-10 * m && Math.abs(im[k] - wantIm[k]) < 1e-10 * m, `m=${m} k=${k}`);
    }
  }
});
