// Kernel unit tests: leapfrog exact values and energy error, metrics, U-turn criterion, divergences on mock models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DomainError } from '../../src/core/errors.js';
import type { LogDensity } from '../../src/core/types.js';
import { evaluate, leapfrog, newPhasePoint } from '../../src/inference/hmc/integrators.js';
import { denseMetric, diagMetric, sampleMomentum, unitMetric, velocity } from '../../src/inference/hmc/metric.js';
import { noUTurn } from '../../src/inference/hmc/termination.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';
import { scaledNormal } from './fixtures/gaussians.js';
import { recursiveTransition } from './fixtures/recursiveNuts.js';

const EPS = Number.EPSILON;
const stdNormal1 = scaledNormal({ sds: [1] });

test('leapfrog: one step on a standard normal gives the exact velocity-Verlet values', () => {
  const z = newPhasePoint(1);
  z.q[0] = 1;
  z.p[0] = 0;
  evaluate(stdNormal1, z);
  const lp = leapfrog(stdNormal1, unitMetric(1), z, 0.1, new Float64Array(1));
  // p½ = −0.05, q = 1 − 0.005 = 0.995, p = −0.05 − 0.05·0.995 = −0.09975
  assert.ok(Math.abs(z.q[0] - 0.995) < 4 * EPS);
  assert.ok(Math.abs(z.p[0] + 0.09975) < 4 * EPS);
  assert.ok(Math.abs(lp + 0.5 * 0.995 * 0.995) < 4 * EPS);
});

test('leapfrog: energy error on a Gaussian is O(ε²), bounded over long trajectories, and the step is reversible', () => {
  const ld = scaledNormal({ sds: [1, 2, 0.5] });
  const metric = diagMetric(new Float64Array([1, 4, 0.25]));
  const v = new Float64Array(3);
  for (const eps of [0.2, 0.1, 0.05]) {
    const z = newPhasePoint(3);
    z.q.set([1, -1, 0.5]);
    z.p.set([0.3, 0.2, -1]);
    evaluate(ld, z);
    const h0 = velocity(metric, z.p, v) - z.logDensity;
    let maxErr = 0;
    for (let s = 0; s < 1000; s++) {
      leapfrog(ld, metric, z, eps, v);
      maxErr = Math.max(maxErr, Math.abs(velocity(metric, z.p, v) - z.logDensity - h0));
    }
    // For a harmonic oscillator with ω·ε = ε (after preconditioning) the leapfrog energy error is
    // bounded by ~ε²/4·(2H); here 2H ≈ 2.9.
    assert.ok(maxErr < 0.25 * eps * eps * 3, `eps ${eps}: max energy error ${maxErr}`);
    assert.ok(maxErr > 0.01 * eps * eps, 'the integrator is not exact');
  }
  const z = newPhasePoint(3);
  z.q.set([1, -1, 0.5]);
  z.p.set([0.3, 0.2, -1]);
  evaluate(ld, z);
  const q0 = Float64Array.from(z.q);
  for (let s = 0; s < 10; s++) leapfrog(ld, metric, z, 0.1, v);
  for (let s = 0; s < 10; s++) leapfrog(ld, metric, z, -0.1, v);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(z.q[i] - q0[i]) < 1e-13);
});

test('metric: dense momentum draws have covariance Σ⁻¹; velocity is Σp', () => {
  const S = new Float64Array([2, 0.6, 0.6, 1]);
  const m = denseMetric(S, 2);
  const rng = new Rng(3);
  const p = new Float64Array(2);
  const z = new Float64Array(2);
  const n = 40000;
  let c00 = 0, c01 = 0, c11 = 0;
  for (let i = 0; i < n; i++) {
    sampleMomentum(m, rng, p, z);
    c00 += p[0] * p[0];
    c01 += p[0] * p[1];
    c11 += p[1] * p[1];
  }
  // Σ⁻¹ = [1, −0.6; −0.6, 2] / (2 − 0.36)
  const det = 2 - 0.36;
  const want = [1 / det, -0.6 / det, 2 / det];
  const got = [c00 / n, c01 / n, c11 / n];
  // sd of a sample second moment ≈ sqrt(2/n)·scale: allow 5 of those.
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(got[k] - want[k]) < 5 * Math.sqrt(2 / n) * 1.3, `${k}: ${got[k]} vs ${want[k]}`);
  const v = new Float64Array(2);
  const k = velocity(m, new Float64Array([1, 2]), v);
  assert.deepEqual(Array.from(v), [2 + 1.2, 0.6 + 2]);
  assert.ok(Math.abs(k - 0.5 * (3.2 + 2 * 2.6)) < 1e-15);
  assert.throws(() => denseMetric(new Float64Array([1, 2, 2, 1]), 2), /not positive definite/);
  assert.throws(() => diagMetric(new Float64Array([1, 0])), /entry 1/);
});

test('noUTurn: continues while both ends point along ρ, stops at a U-turn', () => {
  const f = (a: number[]) => Float64Array.from(a);
  assert.equal(noUTurn(f([1, 0]), f([1, 0]), f([2, 0])), true);
  assert.equal(noUTurn(f([1, 0]), f([-1, 0]), f([0.5, 0])), false);
  assert.equal(noUTurn(f([-1, 0]), f([1, 0]), f([0.5, 0])), false);
  assert.equal(noUTurn(f([0, 1]), f([1, 0]), f([1, 0])), false, 'orthogonal counts as a U-turn (strict >)');
});

test('nuts: a hand-set energy jump is flagged as a divergence with its position', () => {
  // logp = −x²/2 inside |x| < 1.5, and 2000 lower outside: crossing the wall is an energy error > 1000.
  const wall: LogDensity = {
    dim: 1,
    logDensityGrad(x, g) {
      g[0] = -x[0];
      return -0.5 * x[0] * x[0] - (Math.abs(x[0]) > 1.5 ? 2000 : 0);
    },
  };
  const kernel = buildNuts(wall);
  const rng = new Rng(11);
  let state = kernel.init(new Float64Array([1.4]));
  let divergent = 0;
  for (let i = 0; i < 200; i++) {
    const [next, info] = kernel.step(rng, state, { stepSize: 0.3, metric: unitMetric(1) });
    if (info.diverging) {
      divergent++;
      assert.ok(info.divergence !== undefined);
      assert.ok(Math.abs(info.divergence.end[0]) > 1.5);
      assert.ok(info.divergence.energyError > 1000);
    }
    assert.ok(Math.abs(next.position[0]) <= 1.5, 'never accepts a point beyond the wall');
    state = next;
  }
  assert.ok(divergent > 0);
});

test('nuts: NaN, −∞ and thrown DomainErrors inside a trajectory are divergences, not crashes', () => {
  // Other exceptions stop the chain: see trajectoryErrors.test.ts.
  const cases: [string, (x: number) => number][] = [
    ['nan', (x) => (x > 1 ? NaN : -0.5 * x * x)],
    ['-inf', (x) => (x > 1 ? -Infinity : -0.5 * x * x)],
    ['throw', (x) => {
      if (x > 1) throw new DomainError('domain error at x > 1');
      return -0.5 * x * x;
    }],
  ];
  for (const [name, f] of cases) {
    const ld: LogDensity = { dim: 1, logDensityGrad: (x, g) => ((g[0] = -x[0]), f(x[0])) };
    const kernel = buildNuts(ld);
    const rng = new Rng(5);
    let state = kernel.init(new Float64Array([0.9]));
    let div = 0;
    let message: string | undefined;
    for (let i = 0; i < 100; i++) {
      const [next, info] = kernel.step(rng, state, { stepSize: 0.5, metric: unitMetric(1) });
      if (info.diverging) {
        div++;
        message ??= info.divergence?.message;
      }
      assert.ok(Number.isFinite(next.logDensity));
      state = next;
    }
    assert.ok(div > 0, name);
    if (name === 'throw') assert.equal(message, 'domain error at x > 1');
  }
});

test('nuts: tree depth, leapfrog count and acceptance statistic are consistent', () => {
  const ld = scaledNormal({ sds: [1, 1, 1, 1] });
  const kernel = buildNuts(ld, { maxTreeDepth: 3 });
  const rng = new Rng(2);
  let state = kernel.init(new Float64Array(4));
  for (let i = 0; i < 50; i++) {
    const [next, info] = kernel.step(rng, state, { stepSize: 0.01, metric: unitMetric(4) });
    // With a tiny step no U-turn happens within 2^3 steps: the tree saturates.
    assert.equal(info.treeDepth, 3);
    assert.equal(info.nSteps, 7);
    assert.ok(info.reachedMaxTreeDepth);
    assert.ok(info.acceptanceRate > 0.99 && info.acceptanceRate <= 1);
    assert.ok(Math.abs(info.maxEnergyError) < 1e-3);
    state = next;
  }
  assert.throws(() => buildNuts(ld, { maxTreeDepth: 0 }), /maxTreeDepth/);
});

test('nuts: step returns fresh arrays (the state is not aliased with kernel scratch)', () => {
  const ld = scaledNormal({ sds: [1, 1] });
  const kernel = buildNuts(ld);
  const rng = new Rng(1);
  const s0 = kernel.init(new Float64Array([0.1, 0.2]));
  const [s1] = kernel.step(rng, s0, { stepSize: 0.5, metric: unitMetric(2) });
  const copy = Float64Array.from(s1.position);
  kernel.step(rng, s1, { stepSize: 0.5, metric: unitMetric(2) });
  assert.deepEqual(s1.position, copy);
  assert.deepEqual(Array.from(s0.position), [0.1, 0.2]);
});

test('nuts: the iterative tree makes the same choices as a plain recursive NUTS (JS and WebAssembly loops)', () => {
  // Same random draws in the same order, so every transition must agree: tree depth, leapfrog
  // count, selected point, acceptance statistic, divergences. Step sizes span short trees, deep
  // trees, U-turns at every level and divergent trajectories; dimension 40 runs the WebAssembly loops.
  for (const d of [1, 5, 40]) {
    const sds = Array.from({ length: d }, (_, i) => 0.5 + (2.5 * i) / Math.max(1, d - 1));
    const ld = scaledNormal({ sds });
    const m = Float64Array.from(sds, (s, i) => s * s * (0.6 + 0.1 * (i % 7)));
    const metric = diagMetric(m);
    for (const stepSize of [0.05, 0.4, 1.1, 2.6, 9]) {
      const kernel = buildNuts(ld, { maxTreeDepth: 6 });
      const rngA = new Rng(91, d);
      const rngB = new Rng(91, d);
      let state = kernel.init(Float64Array.from(sds, (s) => 0.3 * s));
      let divergent = 0;
      for (let t = 0; t < 60; t++) {
        const ref = recursiveTransition(ld, rngB, state, stepSize, m, 6);
        const [next, info] = kernel.step(rngA, state, { stepSize, metric });
        const where = `d=${d} ε=${stepSize} transition ${t}`;
        assert.equal(info.treeDepth, ref.treeDepth, where);
        assert.equal(info.nSteps, ref.nSteps, where);
        assert.equal(info.diverging, ref.diverging, where);
        for (let i = 0; i < d; i++) assert.ok(Math.abs(next.position[i] - ref.position[i]) <= 1e-12 * (1 + Math.abs(ref.position[i])), where);
        assert.ok(Math.abs(info.energy - ref.energy) <= 1e-10 * (1 + Math.abs(ref.energy)), where);
        assert.ok(Math.abs(info.acceptanceRate - ref.acceptanceRate) <= 1e-12, where);
        if (info.diverging) divergent++;
        state = next;
      }
      if (stepSize === 9) assert.ok(divergent > 0, `d=${d}: the largest step diverges`);
    }
  }
});

test('nuts: a kernel built after another is released reuses its storage and gives the same draws as fresh storage', () => {
  // d = 40 runs the WebAssembly loops, whose memory a released kernel hands to the next one.
  const sds = Array.from({ length: 40 }, (_, i) => 0.5 + i / 20);
  const ld = scaledNormal({ sds });
  const metric = diagMetric(Float64Array.from(sds, (s) => s * s));
  const run = (kernel: ReturnType<typeof buildNuts>): number[] => {
    const rng = new Rng(7);
    let state = kernel.init(Float64Array.from(sds, (s) => 0.2 * s));
    const out: number[] = [];
    for (let t = 0; t < 30; t++) {
      const [next, info] = kernel.step(rng, state, { stepSize: 0.6, metric });
      out.push(...next.position, info.nSteps, info.energy);
      state = next;
    }
    return out;
  };
  const first = buildNuts(ld);
  const fromFirst = run(first);
  // Built while `first` still holds its storage: fresh memory.
  const fresh = run(buildNuts(ld));
  first.release();
  // Built after the release: `first`'s memory, dirty from its 30 transitions.
  const reused = run(buildNuts(ld));
  assert.deepEqual(fresh, fromFirst);
  assert.deepEqual(reused, fromFirst);
});
