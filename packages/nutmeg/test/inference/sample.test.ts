// sample(): known posteriors within MCSE, reproducibility (in-thread vs worker threads), progress, stop, init, results layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LogDensity } from '../../src/core/types.js';
import { constrainRowsByRecord, type CompiledModel } from '../../src/compiler/compiledModel.js';
import { ModelError, OptionError } from '../../src/core/errors.js';
import { sample } from '../../src/workflow/sample.js';
import type { ChainProgress } from '../../src/inference/chain/progress.js';
import { progressLine, progressView } from '../../src/inference/chain/progress.js';
import { NUTMEG_VERSION } from '../../src/workflow/version.js';
import { workerRunner } from '../../src/platform/node/workers.js';
import { elementDraws, type InferenceData } from '../../src/posterior/inferenceData.js';
import { mcseMean, mcseSd } from '../../src/diagnostics/index.js';
import { correlatedNormal, scaledNormal } from './fixtures/gaussians.js';

function moments(idata: InferenceData, name: string, element: number) {
  const v = idata.groups.posterior!.vars[name];
  const draws = elementDraws(v, idata.nChains, idata.nDraws, element);
  let n = 0, s = 0, s2 = 0;
  for (const c of draws) for (const x of c) { n++; s += x; s2 += x * x; }
  const mean = s / n;
  return { mean, sd: Math.sqrt((s2 / n - mean * mean) * (n / (n - 1))), mcseMean: mcseMean(draws), mcseSd: mcseSd(draws) };
}

/** |mean − truth| ≤ 4·MCSE and |sd − truth| ≤ 4·MCSE(sd). */
function checkMoments(idata: InferenceData, name: string, element: number, mean: number, sd: number) {
  const m = moments(idata, name, element);
  assert.ok(Math.abs(m.mean - mean) <= 4 * m.mcseMean, `${name}[${element}] mean ${m.mean} vs ${mean} (mcse ${m.mcseMean})`);
  assert.ok(Math.abs(m.sd - sd) <= 4 * m.mcseSd, `${name}[${element}] sd ${m.sd} vs ${sd} (mcse ${m.mcseSd})`);
}

test('sample: standard normal (hand-written log density) — means and sds within 4 MCSE; sample_stats present', async () => {
  const ld = scaledNormal({ sds: [1, 1, 1, 1, 1] });
  const idata = await sample(ld, { seed: 1, draws: 500, tune: 500, chains: 2, progress: false });
  assert.equal(idata.nChains, 2);
  assert.equal(idata.nDraws, 500);
  for (let i = 0; i < 5; i++) checkMoments(idata, 'x', i, 0, 1);
  const st = idata.groups.sample_stats!.vars;
  for (const k of ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps', 'diverging', 'energy', 'max_energy_error']) {
    assert.ok(st[k] !== undefined, k);
    assert.equal(st[k].values.length, 1000);
  }
  assert.equal(idata.attrs.incomplete, false);
  assert.equal(idata.attrs.seed, 1);
  assert.equal(idata.attrs.nutmeg_version, NUTMEG_VERSION);
  assert.equal(idata.attrs.divergences, 0);
});

test('sample: correlated normal (ρ = 0.9, scales 1 and 10) with diag and dense metrics', async () => {
  const ld = correlatedNormal({ rho: 0.9, mu: [1, -2], scale: [1, 10] });
  for (const metric of ['diag', 'dense'] as const) {
    const idata = await sample(ld, { seed: 7, draws: 600, tune: 600, chains: 2, metric, progress: false });
    checkMoments(idata, 'x', 0, 1, 1);
    checkMoments(idata, 'x', 1, -2, 10);
    if (metric === 'dense') {
      const inv = (idata.attrs.inverse_metric as number[][])[0];
      assert.equal(inv.length, 4);
      const corr = inv[1] / Math.sqrt(inv[0] * inv[3]);
      assert.ok(corr > 0.8 && corr < 0.95, `adapted correlation ${corr}`);
    }
  }
});

test('sample: the same seed gives bit-identical draws in this thread and on worker threads', async () => {
  const sds = [1, 2, 3];
  const opts = { seed: 42, draws: 100, tune: 100, chains: 3, progress: false as const };
  const a = await sample(scaledNormal({ sds }), opts);
  const b = await sample(scaledNormal({ sds }), opts);
  const url = new URL('./fixtures/gaussians.ts', import.meta.url).href;
  const c = await sample(scaledNormal({ sds }), { ...opts, runner: workerRunner({ kind: 'module', url, exportName: 'scaledNormal', args: { sds } }, 2) });
  assert.deepEqual(a.groups.posterior!.vars.x.values, b.groups.posterior!.vars.x.values);
  assert.deepEqual(a.groups.posterior!.vars.x.values, c.groups.posterior!.vars.x.values);
  assert.deepEqual(a.groups.sample_stats!.vars.energy.values, c.groups.sample_stats!.vars.energy.values);
  // Different chains are different streams.
  const x = a.groups.posterior!.vars.x;
  const d0 = elementDraws(x, 3, 100, 0);
  assert.notDeepEqual(d0[0], d0[1]);
  const other = await sample(scaledNormal({ sds }), { ...opts, seed: 43 });
  assert.notDeepEqual(a.groups.posterior!.vars.x.values, other.groups.posterior!.vars.x.values);
});

test('sample: progress events reach a custom sink; aborting returns the draws so far, marked incomplete', async () => {
  const events: ChainProgress[] = [];
  let finished = 0;
  const controller = new AbortController();
  const ld = scaledNormal({ sds: [1, 1] });
  const idata = await sample(ld, {
    seed: 3,
    draws: 100000,
    tune: 100,
    chains: 2,
    signal: controller.signal,
    progress: {
      update(e) {
        events.push(e);
        if (e.phase === 'sampling' && e.drawsDone >= 50) controller.abort();
      },
      finish() {
        finished++;
      },
    },
  });
  assert.equal(finished, 1);
  assert.equal(idata.attrs.incomplete, true);
  assert.ok(idata.nDraws > 0 && idata.nDraws < 100000);
  assert.ok(events.some((e) => e.phase === 'warmup'));
  assert.ok(events.some((e) => e.phase === 'stopped'));
  const last = events[events.length - 1];
  const line = progressLine(progressView(last), 100000);
  assert.match(line, /chain \d \| stopped/);
});

test('progressView: rates and ETA', () => {
  const v = progressView({ chain: 1, phase: 'sampling', tuneDone: 1000, tune: 1000, drawsDone: 500, draws: 1000, divergences: 2, divergencesWarmup: 0, stepSize: 0.31, meanSteps: 15.2, gradEvals: 1, elapsedSeconds: 3 });
  assert.equal(v.done, 1500);
  assert.equal(v.itersPerSecond, 500);
  assert.equal(v.etaSeconds, 1);
  assert.equal(progressLine(v, 1000), 'chain 1 | sampling |  500/1000 draws | 2 div | step 0.31 | 15 steps/draw | 500 it/s | ETA 0:01');
});

/** A fake compiled model: mu ~ N(0, 1), sigma ~ HalfNormal(1) (log transform), y ~ N(mu, sigma) observed; deterministic mu2 = 2·mu. */
function fakeModel(y: number[], poison = false): CompiledModel {
  const lpTerms = (theta: Float64Array) => {
    const mu = theta[0];
    const sigma = Math.exp(theta[1]);
    let like = 0;
    for (const v of y) like += -Math.log(sigma) - (0.5 * (v - mu) * (v - mu)) / (sigma * sigma);
    return { mu: -0.5 * mu * mu, sigma: -0.5 * sigma * sigma + theta[1], y: poison ? NaN : like };
  };
  return {
    dim: 2,
    logDensityGrad(theta, g) {
      const mu = theta[0];
      const s = Math.exp(theta[1]);
      let dmu = -mu;
      let dls = -s * s + 1;
      let like = 0;
      for (const v of y) {
        const r = v - mu;
        like += -theta[1] - (0.5 * r * r) / (s * s);
        dmu += r / (s * s);
        dls += -1 + (r * r) / (s * s);
      }
      g[0] = dmu;
      g[1] = dls;
      return poison ? NaN : -0.5 * mu * mu - 0.5 * s * s + theta[1] + like;
    },
    variables: [
      { name: 'mu', kind: 'free', shape: [], dims: [], transform: 'identity', offset: 0, unconstrainedSize: 1 },
      { name: 'sigma', kind: 'free', shape: [], dims: [], transform: 'log', offset: 1, unconstrainedSize: 1 },
      { name: 'mu2', kind: 'deterministic', shape: [2], dims: ['pair'] },
    ],
    coords: { pair: ['a', 'b'], obs: y.map((_, i) => i) },
    observed: [{ name: 'y', dims: ['obs'], shape: [y.length], values: Float64Array.from(y) }],
    constrain: (theta) => ({ mu: Float64Array.of(theta[0]), sigma: Float64Array.of(Math.exp(theta[1])), mu2: Float64Array.of(2 * theta[0], 3 * theta[0]) }),
    constrainRows(t, n, out, first) {
      constrainRowsByRecord(this, t, n, out, first);
    },
    unconstrain: (v) => Float64Array.of(Number(v.mu), Math.log(Number(v.sigma))),
    initialPoint: () => Float64Array.of(0, 0),
    logDensityByVariable: lpTerms,
    spec: undefined,
  };
}

test('sample: a compiled model gives constrained posterior with deterministics, dims/coords and observed_data', async () => {
  const y = [0.3, -0.2, 1.1, 0.5, 0.9];
  const idata = await sample(fakeModel(y), { seed: 5, draws: 300, tune: 300, chains: 2, progress: false });
  const post = idata.groups.posterior!.vars;
  assert.deepEqual(Object.keys(post), ['mu', 'sigma', 'mu2']);
  assert.deepEqual(post.mu2.dims, ['pair']);
  assert.equal(post.mu2.values.length, 2 * 300 * 2);
  for (let i = 0; i < 600; i++) {
    assert.ok(post.sigma.values[i] > 0);
    assert.equal(post.mu2.values[2 * i], 2 * post.mu.values[i]);
  }
  assert.deepEqual(idata.coords.pair, ['a', 'b']);
  assert.deepEqual(Array.from(idata.groups.observed_data!.vars.y.values), y);
  const init = await sample(fakeModel(y), { seed: 5, draws: 10, tune: 10, chains: 1, progress: false, init: { mu: 0.5, sigma: 2 } });
  assert.equal(init.nDraws, 10);
});

test('sample: computeConvergenceChecks false skips R-hat/ESS warnings and keeps the same draws', async () => {
  const y = [0.3, -0.2, 1.1, 0.5, 0.9];
  // 30 draws per chain: far below 100 per chain of ESS, so the checks warn.
  const settings = { seed: 9, draws: 30, tune: 100, chains: 2, progress: false } as const;
  const checked = await sample(fakeModel(y), settings);
  const unchecked = await sample(fakeModel(y), { ...settings, computeConvergenceChecks: false });
  const codes = (checked.attrs.warning_details as { code: string }[]).map((w) => w.code);
  assert.ok(codes.includes('ess_bulk') && codes.includes('r_hat'), `checks ran: ${codes.join(', ')}`);
  // Only the run-level checks remain (divergences, acceptance, tree depth): nothing that scans every element.
  const uncheckedCodes = (unchecked.attrs.warning_details as { code: string }[]).map((w) => w.code);
  assert.ok(uncheckedCodes.every((c) => !['r_hat', 'ess_bulk', 'ess_tail', 'nonfinite_draws'].includes(c)), `no element checks: ${uncheckedCodes.join(', ')}`);
  assert.ok((unchecked.attrs.warnings as string[]).every((w) => !/ESS|R-hat|R̂/.test(w)));
  assert.deepEqual(unchecked.groups.posterior!.vars.mu.values, checked.groups.posterior!.vars.mu.values);
  await assert.rejects(sample(fakeModel(y), { ...settings, computeConvergenceChecks: 'no' as never }), /computeConvergenceChecks/);
});

test('sample: a start with a non-finite log density fails after bounded retries, naming the variable', async () => {
  await assert.rejects(
    sample(fakeModel([1, 2], true), { seed: 1, chains: 1, progress: false }),
    (e: unknown) => e instanceof ModelError && /11 jittered tries/.test(e.message) && /y \(NaN\)/.test(e.message),
  );
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { targetAccept: 1.2, progress: false }), OptionError);
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { init: 'bogus' as 'advi', progress: false }), OptionError);
  const bad: LogDensity = { dim: 1, logDensityGrad: () => -Infinity };
  await assert.rejects(sample(bad, { progress: false, chains: 1 }), /non-finite|not finite/);
});

test('NUTMEG_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(NUTMEG_VERSION, pkg.version);
});

test('sample: a compiled model gives bit-identical draws on worker threads (spec re-compiled) and in this thread', async () => {
  const { Model } = await import('../../src/model/index.js');
  const { Normal, HalfNormal } = await import('../../src/distributions/index.js');
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu, sigma }), { observed: [0.3, 1.2, -0.4, 0.8] });
  const compiled = m.compile();
  const opts = { seed: 9, draws: 100, tune: 100, chains: 2, progress: false as const };
  const inThread = await sample(compiled, { ...opts, cores: 1 });
  const workers = await sample(compiled, { ...opts, cores: 2 });
  assert.equal((workers.attrs.settings as { parallel: boolean }).parallel, true);
  assert.deepEqual(inThread.groups.posterior!.vars.sigma.values, workers.groups.posterior!.vars.sigma.values);
  // The threads wait for the next run, which re-compiles its own model on them: a different model
  // (other data), then the first again, give the draws of fresh threads.
  const { idleWorkerCount } = await import('../../src/platform/node/workers.js');
  assert.ok(idleWorkerCount() >= 1, 'worker threads kept for reuse');
  const m2 = new Model();
  const mu2 = m2.rv('mu', Normal({ mu: 0, sigma: 1 }));
  m2.rv('y', Normal({ mu: mu2, sigma: 1 }), { observed: [2, 2.5] });
  const other = await sample(m2.compile(), { ...opts, cores: 2 });
  assert.ok(Math.abs(meanOf(other.groups.posterior!.vars.mu.values) - 1.5) < 0.3);
  const again = await sample(compiled, { ...opts, cores: 2 });
  assert.deepEqual(again.groups.posterior!.vars.sigma.values, workers.groups.posterior!.vars.sigma.values);
});

function meanOf(v: Float64Array): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

test("sample: init 'advi' starts from the ADVI fit with its variances as the first metric", async () => {
  const ld = correlatedNormal({ rho: 0, mu: [3, -1], scale: [2, 0.5] });
  const idata = await sample(ld, { seed: 4, draws: 400, tune: 200, chains: 2, init: 'advi', progress: false });
  assert.equal((idata.attrs.settings as { init: string }).init, 'advi');
  checkMoments(idata, 'x', 0, 3, 2);
  checkMoments(idata, 'x', 1, -1, 0.5);
});
