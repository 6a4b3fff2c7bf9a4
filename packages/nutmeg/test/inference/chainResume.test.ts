// A chain resumed from any of its checkpoints continues bit-identically: NUTS and static HMC, diagonal and dense metrics, in warm-up and in sampling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChain, type ChainJob, type ChainResult } from '../../src/inference/chain/chain.js';
import type { ChainBlock, ChainResume } from '../../src/inference/chain/checkpoint.js';
import type { ChainSettings } from '../../src/inference/samplers/chainSettings.js';
import type { LogDensity } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';

/** A correlated, scaled Gaussian in 3 dimensions (so that a dense metric differs from a diagonal one). */
const target: LogDensity = {
  dim: 3,
  logDensityGrad(x, g) {
    const a = x[0], b = x[1] - 0.8 * x[0], c = x[2] / 3;
    g[0] = -a + 0.8 * b;
    g[1] = -b;
    g[2] = -c / 3;
    return -0.5 * (a * a + b * b + c * c);
  },
};

function job(settings: Partial<ChainSettings>, extra: Partial<ChainJob> = {}): ChainJob {
  return {
    chain: 0,
    init: new Float64Array([0.3, -0.2, 0.5]),
    rngState: new Rng(11).split(0).getState(),
    settings: { draws: 60, tune: 80, maxTreeDepth: 10, targetAccept: 0.8, metric: 'diag', divergenceThreshold: 1000, ...settings },
    ...extra,
  };
}

/** The draws kept up to a block's checkpoint, gathered from the blocks before it. */
function resumeAt(blocks: readonly ChainBlock[], k: number, d: number): ChainResume {
  const upTo = blocks.slice(0, k + 1);
  const rows = upTo.reduce((n, b) => n + b.draws.rows, 0);
  const positions = new Float64Array(rows * d);
  const stats: Record<string, Float64Array> = {};
  let r = 0;
  for (const b of upTo) {
    positions.set(b.draws.positions, r * d);
    for (const [name, v] of Object.entries(b.draws.stats)) {
      stats[name] ??= new Float64Array(rows);
      stats[name].set(v, r);
    }
    r += b.draws.rows;
  }
  return { checkpoint: blocks[k].checkpoint, draws: { rows, positions, stats } };
}

function assertSameDraws(a: ChainResult, b: ChainResult): void {
  assert.equal(b.nDraws, a.nDraws);
  assert.deepEqual(b.positions, a.positions);
  for (const name of Object.keys(a.stats)) assert.deepEqual(b.stats[name], a.stats[name], name);
  assert.equal(b.stepSize, a.stepSize);
  assert.deepEqual(b.inverseMetric, a.inverseMetric);
  assert.equal(b.gradEvals, a.gradEvals);
  assert.equal(b.divergencesWarmup, a.divergencesWarmup);
}

for (const settings of [
  { metric: 'diag' },
  { metric: 'dense' },
  { sampler: 'hmc', targetAccept: 0.65, pathLength: 1.5 },
  { metric: 'diag', adaptation: 'nutpie' },
  { sampler: 'hmc', targetAccept: 0.65, pathLength: 1.5, adaptation: 'nutpie' },
] as const) {
  test(`runChain: resumed from every checkpoint, ${JSON.stringify(settings)} gives the uninterrupted draws`, async () => {
    const plain = await runChain(target, job(settings));
    const blocks: ChainBlock[] = [];
    const checkpointed = await runChain(target, job(settings, { checkpoint: { every: 7 } }), { onBlock: (b) => blocks.push(b) });
    assertSameDraws(plain, checkpointed);
    // 140 iterations in blocks of 7, and the final one.
    assert.equal(blocks.length, 21);
    assert.equal(blocks.at(-1)!.checkpoint.done, true);
    assert.ok(blocks.some((b) => b.checkpoint.nTuned < 80) && blocks.some((b) => b.checkpoint.nDraws > 0), 'blocks in warm-up and in sampling');
    for (let k = 0; k < blocks.length; k++) {
      const resumed = await runChain(target, job(settings, { resume: resumeAt(blocks, k, 3) }));
      assertSameDraws(plain, resumed);
    }
  });
}

test('runChain: warm-up rows are handed out with saveWarmup, and a stopped chain hands out its last block', async () => {
  const blocks: ChainBlock[] = [];
  let n = 0;
  const r = await runChain(target, job({}, { checkpoint: { every: 10, saveWarmup: true } }), { onBlock: (b) => blocks.push(b), shouldStop: () => ++n > 95 });
  assert.equal(r.interrupted, true);
  const warm = blocks.reduce((s, b) => s + (b.warmup?.rows ?? 0), 0);
  const draws = blocks.reduce((s, b) => s + b.draws.rows, 0);
  assert.equal(warm, 80);
  assert.equal(draws, r.nDraws);
  assert.equal(blocks.at(-1)!.checkpoint.done, false);
  assert.equal(blocks.at(-1)!.checkpoint.nDraws, r.nDraws);
});
