// Radon analysis pieces: PSIS weights agree with nutmeg's Pareto k-hat, RMSD on known values, unpooled draws independent of the threads.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { paretoKHat, psis, Rng } from 'nutmeg';
import { rmsd } from '../../src/radon/analysis.js';
import { loadRadon } from '../../src/radon/data.js';
import { countyJobs, fitUnpooled } from '../../src/radon/unpooled.js';

test('psis weights, as the LOO means of the unpooled and ADVI fits take them: k-hat equals paretoKHat of the same log ratios; weights normalised, tail capped at the largest raw ratio', () => {
  const rng = new Rng(5);
  for (const scale of [0.3, 1, 3]) {
    const lr = Float64Array.from({ length: 4000 }, () => scale * rng.normal());
    const { weights, k } = psis(lr);
    const ref = paretoKHat(lr).k;
    assert.ok(Math.abs(k - ref) < 1e-9, `scale ${scale}: ${k} vs ${ref}`);
    let sum = 0;
    for (const w of weights) sum += w;
    assert.ok(Math.abs(sum - 1) < 1e-12);
    // Only the tail is smoothed, and never above the largest raw ratio: relative to the median
    // (which is not in the tail, so unchanged), the largest weight is at most the largest raw ratio.
    const median = (a: ArrayLike<number>): number => Float64Array.from(a).sort()[Math.floor(a.length / 2)];
    const raw = Float64Array.from(lr, (v) => Math.exp(v));
    const maxOf = (a: ArrayLike<number>): number => Math.max(...Array.from(a));
    assert.ok(maxOf(weights) / median(weights) <= (maxOf(raw) / median(raw)) * (1 + 1e-9));
  }
  // Equal ratios: uniform weights.
  const flat = psis(new Float64Array(100));
  for (const w of flat.weights) assert.ok(Math.abs(w - 0.01) < 1e-15);
});

test('rmsd of known values', () => {
  assert.equal(rmsd([1, 2, 3], [1, 2, 3]), 0);
  assert.ok(Math.abs(rmsd([0, 0, 0, 0], [1, -1, 1, -1]) - 1) < 1e-15);
  assert.ok(Math.abs(rmsd([3, 0], [0, 4]) - Math.sqrt(12.5)) < 1e-15);
});

test('countyJobs: one job per county, named after it, holding exactly its homes', () => {
  const d = loadRadon();
  const jobs = countyJobs(d, { method: 'nuts', chains: 2, draws: 10, tune: 10, seed: 1 });
  assert.equal(jobs.length, 85);
  assert.deepEqual(jobs.map((j) => j.name), d.counties);
  const homes = (k: number): number => d.county.filter((c) => c === k).length;
  const observedLength = (k: number): number => {
    const v = jobs[k].model.variables.find((x) => x.name === 'log_radon');
    return v ? v.shape.reduce((p, s) => p * s, 1) : -1;
  };
  for (const k of [0, 20, 84]) assert.equal(observedLength(k), homes(k), d.counties[k]);
  assert.equal(jobs.reduce((n, _, k) => n + observedLength(k), 0), d.logRadon.length);
});

test('unpooled fits: the same draws on one thread and on two', async () => {
  const d = loadRadon();
  const o = { method: 'nuts' as const, chains: 2, draws: 15, tune: 15, seed: 4 };
  const one = await fitUnpooled(d, o, { threads: 1 });
  const two = await fitUnpooled(d, o, { threads: 2 });
  for (const name of ['alpha', 'beta', 'eps']) {
    assert.deepEqual(two.idata.groups.posterior!.vars[name].values, one.idata.groups.posterior!.vars[name].values, name);
  }
  assert.deepEqual(one.idata.groups.posterior!.vars.alpha.shape, [85]);
  assert.equal(two.threads, 2);
  assert.equal(one.gradEvals, two.gradEvals);
  assert.deepEqual(one.idata.coords.county, d.counties);
});
