// nutpie's gradient-based warm-up: the √(Var(x)/Var(∇)) estimate, its window schedule, rejected draws, and snapshot/restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradientAdaptation } from '../../src/inference/adaptation/gradientAdaptation.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';
import type { HmcState } from '../../src/inference/hmc/nuts.js';
import type { LogDensity } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';

/** A diagonal Gaussian with variances 0.01, 1 and 100. */
const VARIANCES = [0.01, 1, 100];
const gaussian: LogDensity = {
  dim: 3,
  logDensityGrad(x, g) {
    let lp = 0;
    for (let i = 0; i < 3; i++) {
      g[i] = -x[i] / VARIANCES[i];
      lp -= (0.5 * x[i] * x[i]) / VARIANCES[i];
    }
    return lp;
  },
};

test('gradientAdaptation: on a diagonal Gaussian the metric is the variances, to rounding', () => {
  // ∇ log p = −x/σ² exactly, so Var(∇_i) = Var(x_i)/σ_i⁴ and √(Var(x_i)/Var(∇_i)) = σ_i² for any draws:
  // the estimate is exact once it has 3 draws, which no variance-only estimate is.
  const kernel = buildNuts(gaussian);
  const rng = new Rng(7);
  let state = kernel.init(new Float64Array([0.05, -0.5, 3]));
  const adapt = gradientAdaptation(gaussian, 300);
  let params = adapt.start(rng, state);
  for (let i = 0; i < 300; i++) {
    const [s, info] = kernel.step(rng, state, params);
    state = s;
    params = adapt.update(rng, state, info.acceptanceRate);
  }
  const tuned = adapt.final();
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(tuned.metric.inverseMetric[i] / VARIANCES[i] - 1) < 1e-9, `entry ${i}: ${tuned.metric.inverseMetric[i]}`);
  assert.ok(tuned.stepSize > 0.3 && tuned.stepSize < 2, `step size ${tuned.stepSize} for a unit-scaled Gaussian`);
});

test('gradientAdaptation: starts from 1/|∇ log p| at the starting point', () => {
  // ∇ log p = −x/σ² = [−10, −2, 0.5] here.
  const position = new Float64Array([0.1, 2, -50]);
  const grad = new Float64Array(3);
  const state: HmcState = { position, grad, logDensity: gaussian.logDensityGrad(position, grad) };
  const adapt = gradientAdaptation(gaussian, 300);
  const params = adapt.start(new Rng(1), state);
  assert.deepEqual(Array.from(params.metric.inverseMetric), [0.1, 0.5, 2]);
});

/** A heavy-tailed target, log p = −Σ log(1 + x²/s²), whose gradient is not linear in x. */
const SCALES = [0.5, 1, 3];
const heavy: LogDensity = {
  dim: 3,
  logDensityGrad(x, g) {
    let lp = 0;
    for (let i = 0; i < 3; i++) {
      const s2 = SCALES[i] ** 2;
      g[i] = (-2 * x[i]) / (s2 + x[i] * x[i]);
      lp -= Math.log(1 + (x[i] * x[i]) / s2);
    }
    return lp;
  },
};

/** A stream of states of `heavy` at made-up positions, the same for every call. */
function states(n: number): HmcState[] {
  const rng = new Rng(3);
  return Array.from({ length: n }, () => {
    const position = Float64Array.from({ length: 3 }, (_, i) => SCALES[i] * rng.normal());
    const grad = new Float64Array(3);
    return { position, grad, logDensity: heavy.logDensityGrad(position, grad) };
  });
}

/** √(Var(x)/Var(g)) per coordinate over a list of states (two-pass, the reference for Welford's). */
function ratio(list: HmcState[]): number[] {
  const v = (f: (s: HmcState) => Float64Array, i: number) => {
    const m = list.reduce((a, s) => a + f(s)[i], 0) / list.length;
    return list.reduce((a, s) => a + (f(s)[i] - m) ** 2, 0);
  };
  return [0, 1, 2].map((i) => Math.sqrt(v((s) => s.position, i) / v((s) => s.grad, i)));
}

test('gradientAdaptation: nuts-rs windows — early switches every 10 draws, the metric fixed in the last 15%', () => {
  const stream = states(301);
  const adapt = gradientAdaptation(heavy, 300);
  adapt.start(new Rng(1), stream[0]);
  const metrics: Float64Array[] = [];
  for (let i = 0; i < 300; i++) metrics.push(adapt.update(new Rng(2), stream[i + 1], 0.8).metric.inverseMetric);
  // The start state and draws 0…8 fill the first window (10), switched in at draw 8; the next
  // window is draws 9…18, switched in at draw 18 and then grown by the foreground's later draws.
  const close = (a: Float64Array, b: number[]) => b.forEach((x, i) => assert.ok(Math.abs(a[i] / x - 1) < 1e-12, `${a[i]} vs ${x}`));
  close(metrics[8], ratio(stream.slice(0, 10)));
  close(metrics[18], ratio(stream.slice(10, 20)));
  close(metrics[23], ratio(stream.slice(10, 25)));
  // From draw 255 (300 − 45) on, only the step size adapts.
  for (let i = 255; i < 300; i++) assert.equal(metrics[i], metrics[254]);
  assert.notDeepEqual(Array.from(metrics[254]), Array.from(metrics[200]));
});

test('gradientAdaptation: a draw equal to the previous one (a rejected transition) is not folded in', () => {
  const stream = states(3);
  const adapt = gradientAdaptation(heavy, 300);
  adapt.start(new Rng(1), stream[0]);
  adapt.update(new Rng(2), stream[1], 0.8);
  adapt.update(new Rng(2), stream[1], 0.8);
  assert.equal(adapt.snapshot().foreground.draws.n, 2);
  adapt.update(new Rng(2), stream[2], 0.8);
  assert.equal(adapt.snapshot().foreground.draws.n, 3);
});

test('gradientAdaptation: restored from a snapshot (structured-cloned), later updates are bit-identical', () => {
  const stream = states(201);
  const run = (cut: number | undefined) => {
    let adapt = gradientAdaptation(heavy, 200);
    const rng = new Rng(5);
    adapt.start(rng, stream[0]);
    const out: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (i === cut) {
        const saved = structuredClone(adapt.snapshot());
        adapt = gradientAdaptation(heavy, 200);
        adapt.restore(saved);
      }
      const p = adapt.update(rng, stream[i + 1], 0.6 + 0.3 * Math.sin(i));
      out.push(p.stepSize, ...p.metric.inverseMetric);
    }
    const f = adapt.final();
    return [...out, f.stepSize, ...f.metric.inverseMetric];
  };
  const plain = run(undefined);
  for (const cut of [1, 9, 61, 150, 190]) assert.deepEqual(run(cut), plain, `cut at ${cut}`);
});
