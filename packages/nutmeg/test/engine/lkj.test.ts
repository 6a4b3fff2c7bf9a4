// LKJCholeskyCorr and the choleskyCorr transform: densities against an independent reference, gradients, round trips, draws and a NUTS prior run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Model, Normal, Gamma, HalfNormal, Rng, math } from '../../src/index.js';
import { LKJCholeskyCorr } from '../../src/distributions/factories.js';
import { LKJCholeskyCorr as LKJFamily } from '../../src/distributions/lkjCholeskyCorr.js';
import { choleskyCorrTransform, TRANSFORMS, bijectTo } from '../../src/transforms/index.js';
import { sample } from '../../src/workflow/sample.js';
import { elementDraws } from '../../src/posterior/inferenceData.js';
import { essMean } from '../../src/diagnostics/ess.js';
import { betaI, checkKs } from '../math/gof.js';
import { checkGradient, logAbsDet, numericJacobian } from './fd.js';

interface RefCase {
  n: number;
  eta: number;
  L: number[];
  logp: number;
}
const REF = JSON.parse(readFileSync(new URL('../fixtures/testvectors/lkj_reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

const rng = new Rng(1306);
const uniforms = (n: number, lo: number, hi: number): Float64Array => Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

/** |a − b| ≤ rtol·max(1, |b|). */
function near(a: number, b: number, rtol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b} (diff ${a - b})`);
}

/** The strict lower triangle of a K×K row-major matrix, row by row. */
const strictLower = (L: Float64Array, K: number): Float64Array => {
  const out: number[] = [];
  for (let i = 1; i < K; i++) for (let j = 0; j < i; j++) out.push(L[i * K + j]);
  return Float64Array.from(out);
};

test('LKJCholeskyCorr log density = the reference (LKJ density of LLᵀ from Lewandowski et al. plus the numeric log-Jacobian of Ω → L)', () => {
  // The reference's numeric Jacobian (fourth-order differences) is good to ~1e-11; 1e-9 leaves room.
  assert.equal(REF.cases.length, 24);
  for (const c of REF.cases) {
    const L = Float64Array.from(c.L);
    const what = `n = ${c.n}, eta = ${c.eta}`;
    // As a free variable: log density on y minus the transform's log-Jacobian.
    const m = new Model();
    m.rv('L', LKJCholeskyCorr({ eta: c.eta, n: c.n }));
    const cm = m.compile();
    const y = cm.unconstrain({ L });
    cm.constrain(y).L.forEach((v, i) => near(v, L[i], 1e-12, `${what}: constrain(unconstrain(L))[${i}]`));
    near(cm.logDensity!(y) - choleskyCorrTransform.logAbsDetJacobian(y), c.logp, 1e-9, `${what}: free`);
    // As observed data (next to a free variable so the model has one).
    const mo = new Model();
    mo.rv('x', Normal({ mu: 0, sigma: 1 }));
    mo.rv('L', LKJCholeskyCorr({ eta: c.eta, n: c.n }), { observed: Array.from(L), shape: [c.n, c.n] });
    near(mo.compile().logDensityByVariable(Float64Array.of(0.2)).L, c.logp, 1e-9, `${what}: observed`);
  }
});

test('LKJCholeskyCorr with a free eta: value and gradient (through the log normalising constant) against finite differences', () => {
  const m = new Model();
  const eta = m.rv('eta', Gamma({ alpha: 3, beta: 1 }));
  m.rv('L', LKJCholeskyCorr({ eta, n: 4 }));
  const cm = m.compile();
  for (let k = 0; k < 8; k++) checkGradient(cm, uniforms(cm.dim, -1.5, 1.5), `free eta, draw ${k}`);
  // The value with eta = 1.7 against the reference formula at the same point, evaluated by the fixed-eta model.
  const th = uniforms(cm.dim, -1, 1);
  th[0] = Math.log(1.7);
  const fixed = new Model();
  fixed.rv('L', LKJCholeskyCorr({ eta: 1.7, n: 4 }));
  near(cm.logDensityByVariable(th).L, fixed.compile().logDensity!(th.subarray(1)), 1e-12, 'free eta vs fixed eta');
});

test('LKJCholeskyCorr gradients against finite differences (n = 2, 3, 5; eta < 1, = 1, > 1), and used downstream', () => {
  for (const [n, eta] of [
    [2, 0.5],
    [3, 1],
    [5, 2.5],
  ]) {
    const m = new Model();
    m.rv('L', LKJCholeskyCorr({ eta, n }));
    const cm = m.compile();
    for (let k = 0; k < 6; k++) checkGradient(cm, uniforms(cm.dim, -2, 2), `n = ${n}, eta = ${eta}, draw ${k}`);
  }
  // The brms construction: r = (diag(sd)·L·z)ᵀ, observed through a likelihood.
  const m = new Model();
  const L = m.rv('L', LKJCholeskyCorr({ eta: 2, n: 3 }));
  const sd = m.rv('sd', HalfNormal({ sigma: 1 }), { shape: [3] });
  const z = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [3, 4] });
  const r = math.transpose(math.matmul(L, z)).mul(sd); // [4, 3]: r[g, k] = sd_k Σ_j L_kj z_jg
  const group = [0, 1, 1, 2, 3, 3];
  const col = [0, 2, 1, 0, 1, 2];
  m.rv('y', Normal({ mu: math.reshape(r, [12]).at(group.map((g, i) => g * 3 + col[i])), sigma: 0.7 }), { observed: [0.3, -1.2, 0.8, 2.1, -0.4, 0.05] });
  const cm = m.compile();
  for (let k = 0; k < 6; k++) checkGradient(cm, uniforms(cm.dim, -1.5, 1.5), `non-centred construction, draw ${k}`);
});

test('choleskyCorr: registered; y = 0 is the identity; round trips; L has unit rows and a positive diagonal', () => {
  assert.equal(TRANSFORMS.choleskyCorr, choleskyCorrTransform);
  assert.equal(bijectTo({ kind: 'choleskyCorr' }), choleskyCorrTransform);
  assert.deepEqual(choleskyCorrTransform.unconstrainedShape([4, 4]), [6]);
  assert.deepEqual(Array.from(choleskyCorrTransform.forward(new Float64Array(3))), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  for (const K of [2, 3, 4, 6]) {
    for (let k = 0; k < 20; k++) {
      const y = uniforms((K * (K - 1)) / 2, -3, 3);
      const L = choleskyCorrTransform.forward(y);
      for (let i = 0; i < K; i++) {
        let norm = 0;
        for (let j = 0; j < K; j++) {
          if (j > i) assert.equal(L[i * K + j], 0);
          else norm += L[i * K + j] ** 2;
        }
        near(norm, 1, 1e-15, `K = ${K}: row ${i} norm`);
        assert.ok(L[i * K + i] > 0);
      }
      const y2 = choleskyCorrTransform.inverse(L);
      y2.forEach((v, i) => near(v, y[i], 1e-9, `K = ${K}: y[${i}]`));
    }
  }
});

test('choleskyCorr: logAbsDetJacobian = log|det| of the finite-difference Jacobian of y → strict lower triangle of L', () => {
  // The unconstrained coordinates map one to one onto the strict lower triangle (the diagonal
  // follows from unit rows). Central differences: ~1e-10 per entry, ~1e-9 on the log-determinant.
  for (const K of [2, 3, 4, 5]) {
    for (let k = 0; k < 8; k++) {
      const y = uniforms((K * (K - 1)) / 2, -2.5, 2.5);
      const J = numericJacobian((v) => strictLower(choleskyCorrTransform.forward(v), K), y);
      near(choleskyCorrTransform.logAbsDetJacobian(y), logAbsDet(J), 1e-7, `K = ${K}`);
    }
  }
  // Far into the tails it stays finite (log sech(y) computed without cosh overflow).
  for (const s of [-30, 30, 800]) assert.ok(Number.isFinite(choleskyCorrTransform.logAbsDetJacobian(new Float64Array(6).fill(s))), `y = ${s}`);
});

test('choleskyCorr compiled: constrain() and the log-Jacobian term equal the numeric transform', () => {
  for (const K of [2, 4]) {
    // LKJ(1) on L: log p = c + Σ_d (K − 1 − d) log L_dd; the rest of the log density is the log-Jacobian.
    const m = new Model();
    m.rv('L', LKJCholeskyCorr({ eta: 1, n: K }));
    const cm = m.compile();
    const info = cm.variables.find((v) => v.name === 'L')!;
    assert.equal(info.transform, 'choleskyCorr');
    assert.deepEqual(info.shape, [K, K]);
    const c0 = cm.logDensity!(new Float64Array(cm.dim)); // at the identity: c + 0 + log|J(0)| = c
    for (let k = 0; k < 10; k++) {
      const y = uniforms(cm.dim, -3, 3);
      const L = cm.constrain(y).L;
      const want = choleskyCorrTransform.forward(y);
      L.forEach((v, i) => near(v, want[i], 1e-14, `K = ${K}: L[${i}]`));
      let dens = c0;
      for (let d = 0; d < K; d++) dens += (K - 1 - d) * Math.log(want[d * K + d]);
      near(cm.logDensity!(y), dens + choleskyCorrTransform.logAbsDetJacobian(y), 1e-12, `K = ${K}: log density`);
    }
  }
});

test('LKJCholeskyCorr draws: each correlation of LLᵀ is Beta(η − 1 + n/2, η − 1 + n/2) on (−1, 1) (KS)', () => {
  const draws = 4000;
  for (const [n, eta] of [
    [2, 0.8],
    [3, 2],
    [5, 1],
  ]) {
    const r = new Rng(9000 + n);
    const K = n;
    const b = eta - 1 + K / 2;
    const cors: Record<string, number[]> = {};
    for (let s = 0; s < draws; s++) {
      const L = LKJFamily.sample(r, { eta: Float64Array.of(eta), n: Float64Array.of(n) }, [K, K]);
      for (let i = 1; i < K; i++) {
        for (let j = 0; j < i; j++) {
          let o = 0;
          for (let l = 0; l <= j; l++) o += L[i * K + l] * L[j * K + l];
          (cors[`${i},${j}`] ??= []).push(o);
        }
      }
    }
    for (const [ij, xs] of Object.entries(cors)) checkKs(xs, (x) => betaI(b, b, (x + 1) / 2), `n = ${n}, eta = ${eta}: Ω[${ij}]`);
  }
});

test('NUTS on the prior L ~ LKJCholeskyCorr(eta = 2, n = 3): correlations have mean 0 and E[ρ²] = 1/(2b + 1), b = 2.5, within 4.5 MCSE', async () => {
  const m = new Model();
  m.rv('L', LKJCholeskyCorr({ eta: 2, n: 3 }));
  const idata = await sample(m.compile(), { seed: 13, chains: 2, tune: 500, draws: 1000, progress: false, cores: 1 });
  const K = 3;
  const vals = idata.groups.posterior!.vars.L;
  const chainsOf = (e: number): Float64Array[] => elementDraws(vals, idata.nChains, idata.nDraws, e);
  const b = 2 - 1 + K / 2;
  const variance = 1 / (2 * b + 1);
  // E[ρ⁴] for ρ = 2u − 1, u ~ Beta(b, b): 3 / ((2b + 1)(2b + 3)).
  const fourth = 3 / ((2 * b + 1) * (2 * b + 3));
  for (const [i, j] of [
    [1, 0],
    [2, 0],
    [2, 1],
  ]) {
    const rows = [chainsOf(i * K), chainsOf(i * K + 1), chainsOf(i * K + 2)];
    const cols = [chainsOf(j * K), chainsOf(j * K + 1), chainsOf(j * K + 2)];
    const rho = rows[0].map((_, c) => rows[0][c].map((_, d) => rows[0][c][d] * cols[0][c][d] + rows[1][c][d] * cols[1][c][d] + rows[2][c][d] * cols[2][c][d]));
    const sq = rho.map((ch) => ch.map((v) => v * v));
    const all = (x: Float64Array[]): number[] => x.flatMap((a) => Array.from(a));
    const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
    const mcseMean = Math.sqrt(variance / essMean(rho));
    const mcseSq = Math.sqrt((fourth - variance ** 2) / essMean(sq));
    const m1 = mean(all(rho));
    const m2 = mean(all(sq));
    assert.ok(Math.abs(m1) <= 4.5 * mcseMean, `Ω[${i},${j}]: mean ${m1}, MCSE ${mcseMean}`);
    assert.ok(Math.abs(m2 - variance) <= 4.5 * mcseSq, `Ω[${i},${j}]: E[ρ²] ${m2} vs ${variance}, MCSE ${mcseSq}`);
  }
});

test('LKJCholeskyCorr errors: bad n, eta ≤ 0, a wrong shape, an observed value that is not a correlation Cholesky factor', () => {
  const build = (f: (m: Model) => void): (() => void) => () => {
    const m = new Model();
    m.rv('x', Normal({ mu: 0, sigma: 1 }));
    f(m);
    m.compile();
  };
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 1 }))), /n must be a fixed integer >= 2/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 2.5 }))), /n must be a fixed integer >= 2/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 0, n: 2 }))), /'eta' must be > 0/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 3 }), { shape: [2, 2] })), /must have shape \[3, 3\]/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 2 }), { observed: [[1, 0.1], [0.6, 0.8]] })), /lower-triangular/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 2 }), { observed: [[1, 0], [0.6, 0.7]] })), /unit norm/);
  assert.throws(build((m) => m.rv('L', LKJCholeskyCorr({ eta: 1, n: 2 }), { observed: [[1, 0], [0.6, -0.8]] })), /positive diagonal/);
});
