// PSIS-LOO, WAIC, relative efficiency and loo_compare against R loo 2.5.1 (fixtures/testvectors/loo.json), and the input forms and print-outs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  formatLoo,
  formatLooCompare,
  formatParetoKTable,
  loo,
  looCompare,
  relativeEff,
  waic,
  type LooResult,
} from '../../../src/posterior/loo/index.js';
import type { InferenceData } from '../../../src/posterior/inferenceData.js';
import { OptionError } from '../../../src/core/errors.js';

interface LooCase {
  name: string;
  chains: number;
  draws: number;
  n: number;
  log_lik: number[][][];
  r_eff: number[];
  elpd_loo: number;
  se_elpd_loo: number;
  p_loo: number;
  se_p_loo: number;
  looic: number;
  se_looic: number;
  pointwise_elpd_loo: number[];
  pointwise_mcse_elpd_loo: number[];
  pointwise_p_loo: number[];
  pareto_k: number[];
  n_eff: number[];
  elpd_waic: number;
  se_elpd_waic: number;
  p_waic: number;
}
interface CompareCase {
  name: string;
  n: number;
  log_lik: Record<string, number[][][]>;
  order: string[];
  elpd_diff: number[];
  se_diff: number[];
  elpd_loo: number[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const fx = JSON.parse(readFileSync(`${here}../../fixtures/testvectors/loo.json`, 'utf8')) as { cases: LooCase[]; comparisons: CompareCase[] };

/*
 * Tolerances. PSIS-LOO is deterministic: the same sorting, GPD fit on the same 30 + ⌊√M⌋ grid,
 * quantiles and sums as R loo, so results differ from R's only by floating-point rounding and
 * summation order (observed ≤ 5e-14 relative on every quantity below). REL = 1e-10 leaves four
 * orders of magnitude for other platforms' libm while still catching any algorithmic difference:
 * e.g. loo 1.x's 80-point grid moves k by up to 6e-4 on these cases, and ignoring r_eff in the
 * tail length moves k by 0.02 to 0.27. Pointwise p_loo is a difference of two close numbers (p_loo_i ~ 1e-2),
 * so it is compared absolutely (ABS = 1e-10), as is k (a shape near 0, relative error meaningless).
 */
const REL = 1e-10;
const ABS = 1e-10;

function closeRel(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= REL * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}
function allClose(actual: ArrayLike<number>, expected: readonly number[], what: string, mode: 'rel' | 'abs'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const tol = mode === 'rel' ? REL * Math.abs(expected[i]) : ABS;
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function checkLoo(l: LooResult, c: LooCase): void {
  closeRel(l.elpdLoo.estimate, c.elpd_loo, `${c.name} elpd_loo`);
  closeRel(l.elpdLoo.se, c.se_elpd_loo, `${c.name} se_elpd_loo`);
  closeRel(l.pLoo.estimate, c.p_loo, `${c.name} p_loo`);
  closeRel(l.pLoo.se, c.se_p_loo, `${c.name} se_p_loo`);
  closeRel(l.looic.estimate, c.looic, `${c.name} looic`);
  closeRel(l.looic.se, c.se_looic, `${c.name} se_looic`);
  allClose(l.pointwise.elpdLoo, c.pointwise_elpd_loo, `${c.name} pointwise elpd_loo`, 'rel');
  allClose(l.pointwise.mcseElpdLoo, c.pointwise_mcse_elpd_loo, `${c.name} pointwise mcse_elpd_loo`, 'rel');
  allClose(l.pointwise.pLoo, c.pointwise_p_loo, `${c.name} pointwise p_loo`, 'abs');
  allClose(l.pointwise.influenceParetoK, c.pareto_k, `${c.name} pareto_k`, 'abs');
  allClose(l.diagnostics.nEff, c.n_eff, `${c.name} n_eff`, 'rel');
  for (let i = 0; i < c.n; i++) assert.ok(Math.abs(l.pointwise.looic[i] + 2 * l.pointwise.elpdLoo[i]) < 1e-12);
}

test('relativeEff equals R loo relative_eff(exp(log_lik), chain_id) on every case', () => {
  for (const c of fx.cases) allClose(relativeEff(c.log_lik), c.r_eff, `${c.name} r_eff`, 'rel');
});

test('loo equals R loo 2.5.1: estimates, SEs, pointwise values, Pareto k and n_eff (r_eff from the chains by default)', () => {
  for (const c of fx.cases) {
    checkLoo(loo(c.log_lik), c);
    checkLoo(loo(c.log_lik, { rEff: c.r_eff }), c);
  }
});

test('loo: Pareto k table, warning and Monte Carlo SE follow loo 2.5 thresholds', () => {
  let sawBad = false;
  let sawGood = false;
  for (const c of fx.cases) {
    const l = loo(c.log_lik);
    const bins = [0, 0, 0, 0];
    for (const k of c.pareto_k) bins[k <= 0.5 ? 0 : k <= 0.7 ? 1 : k <= 1 ? 2 : 3]++;
    assert.deepEqual(l.paretoKTable.map((b) => b.count), bins, c.name);
    const bad = c.pareto_k.some((k) => k > 0.7);
    const slightly = !bad && c.pareto_k.some((k) => k > 0.5);
    assert.equal(l.warnings.length, bad || slightly ? 1 : 0, c.name);
    if (bad) {
      sawBad = true;
      assert.match(l.warnings[0], /^Some Pareto k diagnostic values are too high/);
      assert.ok(Number.isNaN(l.mcseElpdLoo), `${c.name}: loo reports NA for the MCSE when some k > 0.7`);
    } else {
      sawGood = true;
      const expected = Math.sqrt(c.pointwise_mcse_elpd_loo.reduce((a, m) => a + m * m, 0));
      closeRel(l.mcseElpdLoo, expected, `${c.name} mcse_loo`);
    }
    // Smallest n_eff per bin, from the fixture's n_eff.
    l.paretoKTable.forEach((bin, b) => {
      const inBin = c.n_eff.filter((_, i) => [0.5, 0.7, 1, Infinity].findIndex((u) => c.pareto_k[i] <= u) === b);
      if (inBin.length === 0) assert.ok(Number.isNaN(bin.minNEff));
      else closeRel(bin.minNEff, Math.min(...inBin), `${c.name} min n_eff bin ${b}`);
    });
  }
  assert.ok(sawBad && sawGood, 'the fixture covers both cases');
});

test('waic equals R loo 2.5.1 waic(): elpd_waic, its SE and p_waic', () => {
  for (const c of fx.cases) {
    const w = waic(c.log_lik);
    closeRel(w.elpdWaic.estimate, c.elpd_waic, `${c.name} elpd_waic`);
    closeRel(w.elpdWaic.se, c.se_elpd_waic, `${c.name} se_elpd_waic`);
    closeRel(w.pWaic.estimate, c.p_waic, `${c.name} p_waic`);
    closeRel(w.waic.estimate, -2 * c.elpd_waic, `${c.name} waic`);
  }
});

test('looCompare equals R loo 2.5.1 loo_compare(): order, elpd_diff, se_diff', () => {
  for (const c of fx.comparisons) {
    const models = Object.fromEntries(Object.entries(c.log_lik).map(([name, ll]) => [name, loo(ll)]));
    const rows = looCompare(models);
    assert.deepEqual(rows.map((r) => r.name), c.order, c.name);
    rows.forEach((r, i) => {
      // Differences of sums of ~100 terms of size ~1: compared absolutely.
      assert.ok(Math.abs(r.elpdDiff - c.elpd_diff[i]) < 1e-9, `${c.name} elpd_diff ${r.name}: ${r.elpdDiff} vs ${c.elpd_diff[i]}`);
      assert.ok(Math.abs(r.seDiff - c.se_diff[i]) < 1e-9, `${c.name} se_diff ${r.name}: ${r.seDiff} vs ${c.se_diff[i]}`);
      closeRel(r.elpd.estimate, c.elpd_loo[i], `${c.name} elpd_loo ${r.name}`);
    });
    // An array is named model1, model2, …; the order does not depend on the input order.
    const arr = looCompare([models.C, models.A, models.B]);
    assert.deepEqual(arr.map((r) => r.name), c.order.map((n) => `model${['C', 'A', 'B'].indexOf(n) + 1}`));
  }
  assert.throws(() => looCompare([loo(fx.cases[0].log_lik)]), OptionError);
  assert.throws(() => looCompare([loo(fx.cases[0].log_lik), loo(fx.cases[1].log_lik)]), /same number of observations/);
});

test('loo takes the log_likelihood group of InferenceData and a [draw][obs] matrix of one chain', () => {
  const c = fx.cases[0];
  const values = Float64Array.from(c.log_lik.flat(2));
  const idata: InferenceData = {
    nChains: c.chains,
    nDraws: c.draws,
    groups: { log_likelihood: { vars: { y: { dims: ['obs'], shape: [c.n], values } }, attrs: {} } },
    coords: {},
    attrs: {},
  };
  const fromIdata = loo(idata);
  assert.deepEqual(fromIdata.pointwise.elpdLoo, loo(c.log_lik).pointwise.elpdLoo);
  // One chain as a matrix is the same as a [1][draw][obs] array.
  const oneChain = c.log_lik[0];
  assert.deepEqual(loo(oneChain).pointwise.elpdLoo, loo([oneChain]).pointwise.elpdLoo);
  // Several log_likelihood variables need varName.
  const two: InferenceData = { ...idata, groups: { log_likelihood: { vars: { y: idata.groups.log_likelihood!.vars.y, z: idata.groups.log_likelihood!.vars.y }, attrs: {} } } };
  assert.throws(() => loo(two), /varName/);
  assert.deepEqual(loo(two, { varName: 'z' }).pointwise.elpdLoo, fromIdata.pointwise.elpdLoo);
  assert.throws(() => loo({ ...idata, groups: {} }), /no log_likelihood group/);
  assert.throws(() => loo([[[0, Infinity]], [[0, 1]]]), /finite/);
  assert.throws(() => loo(c.log_lik, { rEff: [1, 2] }), /one value per observation/);
});

test('formatLoo and formatParetoKTable lay out the estimates and the k table as loo 2.5.1 prints them', () => {
  const good = loo(fx.cases[0].log_lik);
  const lines = formatLoo(good).split('\n');
  assert.equal(lines[0], `Computed from ${fx.cases[0].chains * fx.cases[0].draws} by ${fx.cases[0].n} log-likelihood matrix`);
  assert.match(lines[2], /^ +Estimate +SE$/);
  assert.match(lines[3], /^elpd_loo +-70\.6 +5\.0$/);
  assert.ok(lines.includes('All Pareto k estimates are good (k < 0.5).'));
  assert.equal(lines.at(-1), "See help('pareto-k-diagnostic') for details.");
  // A case with k in the bad and very bad bins: loo's four-row table, columns left-aligned.
  const bad = loo(fx.cases[1].log_lik);
  const t = formatParetoKTable(bad.paretoKTable).split('\n');
  assert.equal(t[0], 'Pareto k diagnostic values:');
  assert.equal(t[1], '                         Count Pct.    Min. n_eff');
  assert.match(t[2], /^\(-Inf, 0\.5\] {3}\(good\) {5}\d+ +\d+\.\d% +\d+$/);
  assert.match(t[5], /^ {3}\(1, Inf\) {3}\(very bad\) +\d+ +\d+\.\d% +(\d+|<NA>)$/);
  const cmp = formatLooCompare(looCompare({ a: good, b: loo(fx.cases[0].log_lik, { rEff: 1 }) })).split('\n');
  assert.equal(cmp[0], '  elpd_diff se_diff');
});
