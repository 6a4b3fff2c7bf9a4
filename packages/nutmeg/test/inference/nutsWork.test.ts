// NUTS does linear work per leapfrog at any dimension: one gradient per leapfrog step, and the positions it evaluates live in a fixed set of vectors (counted, not timed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { LogDensity } from '../../src/core/types.js';
import { denseMetric, unitMetric } from '../../src/inference/hmc/metric.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';

/**
 * A standard normal in `dim` dimensions that counts its gradient evaluations and the distinct
 * vectors (buffer and offset) it is handed: a kernel that stored every point of a trajectory, or
 * copied one per step, would hand over ever new vectors (memory and copying growing with the
 * trajectory's length times the dimension).
 */
function countingNormal(dim: number): { ld: LogDensity; calls: () => number; vectors: () => number } {
  let calls = 0;
  const seen = new Map<ArrayBufferLike, Set<number>>();
  const ld: LogDensity = {
    dim,
    logDensityGrad(x: Float64Array, grad: Float64Array): number {
      calls++;
      let offsets = seen.get(x.buffer);
      if (!offsets) seen.set(x.buffer, (offsets = new Set()));
      offsets.add(x.byteOffset);
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        lp -= 0.5 * x[i] * x[i];
        grad[i] = -x[i];
      }
      return lp;
    },
  };
  return { ld, calls: () => calls, vectors: () => [...seen.values()].reduce((s, o) => s + o.size, 0) };
}

for (const dim of [64, 4096]) {
  test(`NUTS at ${dim} dimensions: one gradient per leapfrog step and a fixed set of position vectors, whatever the trees' sizes`, () => {
    const { ld, calls, vectors } = countingNormal(dim);
    const kernel = buildNuts(ld, { maxTreeDepth: 8 });
    const rng = new Rng(5);
    let state = kernel.init(Float64Array.from({ length: dim }, () => rng.normal()));
    assert.equal(calls(), 1);
    let steps = 0;
    let deepest = 0;
    // A small step size makes long trajectories (hundreds of leapfrog steps a transition).
    for (let t = 0; t < 20; t++) {
      const [next, info] = kernel.step(rng, state, { stepSize: t < 10 ? 0.02 : 0.4, metric: unitMetric(dim) });
      state = next;
      steps += info.nSteps;
      deepest = Math.max(deepest, info.treeDepth);
    }
    assert.ok(deepest >= 7, `trees reached depth ${deepest}`);
    assert.equal(calls(), 1 + steps, 'gradient evaluations = 1 (init) + leapfrog steps');
    // init's own vector, and the trajectory's five points (its two ends, two proposals, the next leaf).
    assert.ok(vectors() <= 6, `${vectors()} distinct position vectors over ${steps} leapfrog steps`);
  });
}

test('NUTS trees that reach maxTreeDepth (1, 2, 10) fit the trajectory\'s preallocated vectors (JS and WebAssembly loops, diag and dense)', () => {
  // A tiny step never U-turns: every transition builds the deepest tree, holding a pending
  // sibling at every level, the trajectory's span and the subtree's at once.
  for (const dim of [3, 40]) {
    for (const maxTreeDepth of [1, 2, 10]) {
      for (const kind of ['diag', 'dense'] as const) {
        const { ld, calls } = countingNormal(dim);
        const kernel = buildNuts(ld, { maxTreeDepth });
        const identity = Float64Array.from({ length: dim * dim }, (_, i) => (i % (dim + 1) === 0 ? 1 : 0));
        const metric = kind === 'dense' ? denseMetric(identity, dim) : unitMetric(dim);
        const rng = new Rng(2);
        let state = kernel.init(new Float64Array(dim).fill(0.5));
        for (let t = 0; t < 5; t++) {
          const [next, info] = kernel.step(rng, state, { stepSize: 5e-4, metric });
          assert.ok(info.reachedMaxTreeDepth, `d=${dim} maxTreeDepth ${maxTreeDepth} ${kind}: transition ${t} stopped at depth ${info.treeDepth}`);
          assert.equal(info.nSteps, 2 ** maxTreeDepth - 1);
          state = next;
        }
        assert.equal(calls(), 1 + 5 * (2 ** maxTreeDepth - 1));
        kernel.release();
      }
    }
  }
});
