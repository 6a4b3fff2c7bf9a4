// mapFits(): seeds from Rng.split, bit-identical draws on every executor, per-job errors, progress, abort; stackFits' layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/model/index.js';
import { Normal, HalfNormal } from '../../src/distributions/index.js';
import { ModelError, OptionError, InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { sample } from '../../src/workflow/sample.js';
import { compileModelSpec } from '../../src/compiler/compile.js';
import { fitSeed, mapFits, type FitOutcome, type FitsProgress } from '../../src/workflow/mapFits.js';
import { runFitTask, type FitJob } from '../../src/workflow/fitJob.js';
import { inThreadExecutor, type FitExecutor } from '../../src/workflow/fitExecutor.js';
import { FitError } from '../../src/workflow/fitError.js';
import { stackFits } from '../../src/workflow/stackFits.js';
import { workerFitExecutor } from '../../src/platform/node/fitExecutor.js';
import { deserializeError, serializeError } from '../../src/core/errorTransfer.js';
import { elementDraws, type InferenceData } from '../../src/posterior/inferenceData.js';
import { mcseMean, mcseSd } from '../../src/diagnostics/index.js';

/** y_i ~ Normal(mu, 1), mu ~ Normal(0, 10): the posterior of mu is Normal with known mean and sd. */
function normalMean(y: number[]): Model {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 10 }));
  m.rv('y', Normal({ mu, sigma: 1 }), { observed: y });
  return m;
}

/** A regression with a scale parameter (a transform) and a deterministic. */
function regression(x: number[], y: number[]): Model {
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }));
  const s = m.rv('s', HalfNormal({ sigma: 1 }));
  m.deterministic('a_plus_b', a.add(b));
  m.rv('y', Normal({ mu: a.add(b.mul(m.data('x', x))), sigma: s }), { observed: y });
  return m;
}

const DATA = [
  { x: [0, 1, 0, 1, 1], y: [0.8, 1.9, 1.2, 2.4, 2.0] },
  { x: [1, 0, 0], y: [0.1, 1.3, 0.9] },
  { x: [0, 0, 1, 1, 0, 1, 0], y: [1.5, 1.1, 0.2, 0.4, 1.8, 0.0, 1.2] },
  { x: [0, 1], y: [0.5, 0.3] },
  { x: [1, 1, 0, 0], y: [-0.2, 0.1, 0.7, 0.6] },
];
const NUTS = { draws: 150, tune: 150, chains: 2 };
const jobs: FitJob[] = [
  ...DATA.map((d, k) => ({ name: `group ${k}`, model: regression(d.x, d.y).spec, options: NUTS })),
  { name: 'advi', model: regression(DATA[0].x, DATA[0].y).spec, method: 'advi' as const, options: { draws: 200 } },
];

function okIdata(o: FitOutcome): InferenceData {
  if (!o.ok) throw o.error;
  return o.idata;
}

function sameDraws(a: readonly FitOutcome[], b: readonly FitOutcome[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((o, i) => {
    const x = okIdata(o);
    const y = okIdata(b[i]);
    for (const g of ['posterior', 'sample_stats'] as const) {
      for (const [name, v] of Object.entries(x.groups[g]?.vars ?? {})) {
        assert.deepEqual(y.groups[g]!.vars[name].values, v.values, `${what}: job ${i} ${g}.${name}`);
      }
    }
  });
}

test('fitSeed: derived from Rng.split of the run seed by job index; distinct per job and per run seed', () => {
  const rng = new Rng(42).split(3);
  const expected = rng.nextUint32();
  assert.equal(fitSeed(42, 3), expected);
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => fitSeed(42, i)));
  assert.equal(seeds.size, 1000);
  assert.notEqual(fitSeed(42, 0), fitSeed(43, 0));
  // Seeds that sample() and fit() accept: integers in [0, 2^32).
  for (const s of seeds) assert.ok(Number.isSafeInteger(s) && s >= 0 && s < 2 ** 32);
});

test('mapFits: each job gives exactly what sample()/fit() give with its derived seed, in job order, with its name and seed', async () => {
  const out = await mapFits(jobs, { seed: 7 });
  assert.deepEqual(out.map((o) => o.name), [...DATA.map((_, k) => `group ${k}`), 'advi']);
  assert.deepEqual(out.map((o) => o.seed), jobs.map((_, i) => fitSeed(7, i)));
  const direct = await sample(compileModelSpec(jobs[2].model), { ...NUTS, seed: fitSeed(7, 2), cores: 1, progress: false });
  assert.deepEqual(okIdata(out[2]).groups.posterior!.vars.b.values, direct.groups.posterior!.vars.b.values);
  assert.deepEqual(okIdata(out[2]).groups.posterior!.vars.a_plus_b.values, direct.groups.posterior!.vars.a_plus_b.values);
  const advi = okIdata(out[5]);
  assert.equal(advi.nChains, 1);
  assert.equal(advi.nDraws, 200);
  assert.equal(advi.attrs.method, 'advi');
  assert.equal(advi.attrs.seed, fitSeed(7, 5));
});

test('mapFits: bit-identical draws in this thread and on 1 or 2 worker threads', async () => {
  const inThread = await mapFits(jobs, { seed: 11, executor: inThreadExecutor() });
  const oneThread = await mapFits(jobs, { seed: 11, executor: workerFitExecutor({ threads: 1 }) });
  const twoThreads = await mapFits(jobs, { seed: 11, executor: workerFitExecutor({ threads: 2 }) });
  sameDraws(inThread, oneThread, '1 worker');
  sameDraws(inThread, twoThreads, '2 workers');
  // A job's draws depend on its own index only: moving it in the list changes its seed, not its neighbours'.
  const reordered = await mapFits([jobs[0], jobs[1]], { seed: 11 });
  sameDraws(inThread.slice(0, 2), reordered, 'a prefix of the jobs');
});

test('mapFits: a failing job gets a FitError naming it (its cause keeps class and fields across threads); the others finish', async () => {
  const bad: FitJob[] = [
    jobs[0],
    { name: 'bad draws', model: jobs[1].model, options: { draws: -1 } },
    jobs[2],
    // Observed data outside the support fails at compile time with a ModelError naming the variable.
    { name: 'bad data', model: (() => { const m = new Model(); const s = m.rv('s', HalfNormal({ sigma: 1 })); m.rv('z', HalfNormal({ sigma: s }), { observed: [-1] }); return m.spec; })() },
  ];
  for (const executor of [inThreadExecutor(), workerFitExecutor({ threads: 2 })]) {
    const out = await mapFits(bad, { seed: 3, executor });
    assert.deepEqual(out.map((o) => o.ok), [true, false, true, false]);
    const e1 = (out[1] as Extract<FitOutcome, { ok: false }>).error;
    assert.ok(e1 instanceof FitError);
    assert.equal(e1.index, 1);
    assert.equal(e1.job, 'bad draws');
    assert.match(e1.message, /fit 'bad draws' \(job 1\) failed: OptionError: draws: must be an integer/);
    assert.ok(e1.cause instanceof OptionError);
    assert.equal((e1.cause as OptionError).option, 'draws');
    const e3 = (out[3] as Extract<FitOutcome, { ok: false }>).error;
    assert.ok(e3.cause instanceof ModelError, `cause: ${String(e3.cause)}`);
    assert.equal((e3.cause as ModelError).variable, 'z');
  }
});

test('fit task errors (serializeError/deserializeError, what fit workers send): nutmeg error classes and their fields survive the round trip', () => {
  const back = deserializeError(structuredClone(serializeError(new ModelError('bad', 'alpha'))));
  assert.ok(back instanceof ModelError);
  assert.equal((back as ModelError).variable, 'alpha');
  assert.equal(back.message, 'bad');
  const opt = deserializeError(structuredClone(serializeError(new OptionError('tune', 'must be ≥ 0'))));
  assert.ok(opt instanceof OptionError);
  assert.equal(opt.message, 'tune: must be ≥ 0');
  const other = deserializeError(structuredClone(serializeError(new TypeError('x is not a function'))));
  assert.equal(other.name, 'TypeError');
  assert.ok(other instanceof TypeError);
});

test('mapFits: progress counts fits done of total, once per job; an aborted run starts no fit', async () => {
  const events: FitsProgress[] = [];
  await mapFits(jobs.slice(0, 3), { seed: 1, executor: workerFitExecutor({ threads: 2 }), onProgress: (e) => events.push(e) });
  assert.deepEqual(events.map((e) => e.done), [1, 2, 3]);
  assert.ok(events.every((e) => e.total === 3 && e.ok));
  assert.deepEqual(events.map((e) => e.index).sort(), [0, 1, 2]);
  const controller = new AbortController();
  controller.abort();
  for (const executor of [inThreadExecutor(), workerFitExecutor({ threads: 2 })]) {
    const out = await mapFits(jobs.slice(0, 3), { seed: 1, executor, signal: controller.signal });
    assert.ok(out.every((o) => !o.ok));
  }
});

test('mapFits on worker threads, aborted mid-run: the running fits stop within a second with their draws so far, the finished fits are kept, the rest not started', async (t) => {
  // Two short fits that finish first, then long ones (2 × 200,000 iterations each: minutes if not stopped).
  const LONG = { draws: 100_000, tune: 100_000, chains: 2 };
  const mixed: FitJob[] = [
    ...DATA.slice(0, 2).map((d, k) => ({ name: `short ${k}`, model: regression(d.x, d.y).spec, options: NUTS })),
    ...DATA.map((d, k) => ({ name: `long ${k}`, model: regression(d.x, d.y).spec, options: LONG })),
  ];
  const controller = new AbortController();
  const done: number[] = [];
  let abortedAt = 0;
  const run = mapFits(mixed, {
    seed: 3,
    executor: workerFitExecutor({ threads: 2 }),
    signal: controller.signal,
    onProgress: (e) => {
      done.push(e.index);
      // Once both short fits are in, the two threads are on long fits: abort a little later.
      if (done.length === 2) {
        setTimeout(() => {
          abortedAt = performance.now();
          controller.abort(new Error('stopped by the test'));
        }, 300);
      }
    },
  });
  const out = await run;
  const ms = performance.now() - abortedAt;
  t.diagnostic(`abort → mapFits resolved: ${ms.toFixed(0)} ms`);
  assert.ok(abortedAt > 0, 'aborted');
  assert.ok(ms < 1000, `mapFits resolved ${ms.toFixed(0)} ms after the abort`);
  // The short fits: complete, and the same draws as an undisturbed run.
  const reference = await mapFits(mixed.slice(0, 2), { seed: 3 });
  for (const k of [0, 1]) assert.notEqual(okIdata(out[k]).attrs.incomplete, true, `fit ${k} complete`);
  sameDraws(out.slice(0, 2), reference, 'short fits');
  // The two long fits running at the abort: stopped, their draws so far kept and marked incomplete.
  const stopped = out.slice(2).filter((o) => o.ok);
  assert.equal(stopped.length, 2, 'two long fits were running');
  for (const o of stopped) assert.equal(okIdata(o).attrs.incomplete, true);
  // The others were never started.
  const notStarted = out.slice(2).filter((o) => !o.ok);
  assert.equal(notStarted.length, 3);
  for (const o of notStarted) assert.match(String(!o.ok && o.error.message), /stopped by the test/);
});

test('mapFits: a custom executor (the contract a job queue implements) receives plain-data tasks and may report in any order', async () => {
  const seen: number[] = [];
  const reversed: FitExecutor = {
    async run(tasks, { onResult }) {
      for (const t of [...tasks].reverse()) {
        seen.push(t.index);
        const copy = structuredClone(t); // what crosses a queue
        onResult({ index: copy.index, idata: await runFitTask(copy) });
      }
    },
  };
  const out = await mapFits(jobs.slice(0, 2), { seed: 5, executor: reversed });
  assert.deepEqual(seen, [1, 0]);
  const reference = await mapFits(jobs.slice(0, 2), { seed: 5 });
  sameDraws(reference, out, 'reversed executor');
});

test('mapFits: known posterior of a normal mean in every job (mean and sd within 4 MCSE)', async () => {
  const ys = [[0.3, -0.2, 1.1, 0.4], [2.0, 2.5, 1.7], [-1.2, -0.8, -1.5, -1.1, -0.9]];
  const out = await mapFits(ys.map((y) => ({ model: normalMean(y).spec, options: { draws: 1000, tune: 500, chains: 2 } })), { seed: 2 });
  ys.forEach((y, k) => {
    // Conjugate normal: precision 1/100 + n, mean (sum y) / precision.
    const precision = 1 / 100 + y.length;
    const mean = y.reduce((s, v) => s + v, 0) / precision;
    const sd = 1 / Math.sqrt(precision);
    const idata = okIdata(out[k]);
    const draws = elementDraws(idata.groups.posterior!.vars.mu, idata.nChains, idata.nDraws);
    const flat = draws.flatMap((c) => [...c]);
    const m = flat.reduce((s, v) => s + v, 0) / flat.length;
    const s = Math.sqrt(flat.reduce((acc, v) => acc + (v - m) ** 2, 0) / (flat.length - 1));
    assert.ok(Math.abs(m - mean) <= 4 * mcseMean(draws), `job ${k}: mean ${m} vs ${mean}`);
    assert.ok(Math.abs(s - sd) <= 4 * mcseSd(draws), `job ${k}: sd ${s} vs ${sd}`);
  });
});

test('stackFits: scalars gain the new dim (chain, draw, fit order), observed data are concatenated, coords labelled', async () => {
  const out = await mapFits(jobs.slice(0, 3), { seed: 9 });
  const fits = out.map(okIdata);
  const all = stackFits(fits, { dim: 'group', coords: ['g0', 'g1', 'g2'] });
  assert.equal(all.nChains, 2);
  assert.equal(all.nDraws, 150);
  const b = all.groups.posterior!.vars.b;
  assert.deepEqual(b.dims, ['group']);
  assert.deepEqual(b.shape, [3]);
  for (let k = 0; k < 3; k++) {
    assert.deepEqual(elementDraws(b, 2, 150, k), elementDraws(fits[k].groups.posterior!.vars.b, 2, 150));
  }
  assert.deepEqual(all.groups.sample_stats!.vars.diverging.shape, [3]);
  assert.deepEqual(all.coords.group, ['g0', 'g1', 'g2']);
  assert.deepEqual([...all.groups.observed_data!.vars.y.values], [...DATA[0].y, ...DATA[1].y, ...DATA[2].y]);
  assert.equal(all.attrs.stacked_fits, 3);
});

test('stackFits: errors name the problem (no fits, chain counts, shapes, coords)', async () => {
  const [a, b] = (await mapFits([jobs[0], { model: normalMean([1]).spec, options: { ...NUTS, chains: 1 } }], { seed: 1 })).map(okIdata);
  assert.throws(() => stackFits([], { dim: 'g' }), InputError);
  assert.throws(() => stackFits([a, b], { dim: 'g' }), /fit 1 has 1 chains but fit 0 has 2/);
  assert.throws(() => stackFits([a, a], { dim: 'g', coords: ['x'] }), /1 coords for dim 'g' but 2 fits/);
  const wide = { ...a, groups: { ...a.groups, posterior: { vars: { ...a.groups.posterior!.vars, b: { dims: ['k'], shape: [2], values: new Float64Array(2 * 150 * 2) } }, attrs: {} } } };
  assert.throws(() => stackFits([a, wide], { dim: 'g' }), /'b' has shape \[2\] in fit 1 but \[\] in fit 0/);
});
