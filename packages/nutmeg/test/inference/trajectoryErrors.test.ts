// Typed errors in sampling: a DomainError is a divergence; any other exception stops sample() with its class, message and fields, in this thread and across worker threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DomainError, ModelError } from '../../src/core/errors.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';
import { unitMetric } from '../../src/inference/hmc/metric.js';
import { sample } from '../../src/workflow/sample.js';
import { workerRunner } from '../../src/platform/node/workers.js';
import { throwsBeyond, type ThrowKind } from './fixtures/throwing.js';

const FIXTURE = new URL('./fixtures/throwing.ts', import.meta.url).href;
const SETTINGS = { seed: 3, draws: 200, tune: 200, chains: 2, progress: false as const };

/** sample() of `throwsBeyond({kind, wall})`, in this thread or on two worker threads. */
function run(kind: ThrowKind, wall: number, threads: 'in-thread' | 'workers') {
  const args = { kind, wall, dim: 2 };
  const runner = threads === 'workers' ? workerRunner({ kind: 'module', url: FIXTURE, exportName: 'throwsBeyond', args }, 2) : undefined;
  return sample(throwsBeyond(args), { ...SETTINGS, cores: 1, ...(runner ? { runner } : {}) });
}

test('sample: a hand-written log density throwing DomainError beyond a wall samples, with divergences carrying its message', async () => {
  for (const threads of ['in-thread', 'workers'] as const) {
    const idata = await run('domain', 1, threads);
    const x = idata.groups.posterior!.vars.x.values;
    for (let k = 0; k < x.length; k += 2) assert.ok(x[k] <= 1, `${threads}: a draw beyond the wall: ${x[k]}`);
    const diverging = idata.groups.sample_stats!.vars.diverging.values;
    const divergences = Array.from(diverging).reduce((s, v) => s + v, 0);
    assert.ok(divergences > 0, `${threads}: no divergences`);
    const warnings = idata.attrs.warnings as string[];
    assert.ok(warnings.some((w) => /undefined beyond the wall/.test(w)), `${threads}: the DomainError's message is reported`);
    const details = idata.attrs.warning_details as { code: string; message: string }[];
    assert.ok(details.some((w) => w.code === 'log_density_errors' && /undefined beyond the wall/.test(w.message)), `${threads}: reported under its own code`);
  }
});

test('nuts: a DomainError is a divergence with its message; any other exception propagates out of step', () => {
  const stepUntil = (kind: ThrowKind): { error?: unknown; message?: string } => {
    const kernel = buildNuts(throwsBeyond({ kind, wall: 1 }));
    const rng = new Rng(5);
    let state = kernel.init(new Float64Array([0.9]));
    try {
      for (let i = 0; i < 100; i++) {
        const [next, info] = kernel.step(rng, state, { stepSize: 0.5, metric: unitMetric(1) });
        if (info.diverging && info.divergence?.message !== undefined) return { message: info.divergence.message };
        state = next;
      }
    } catch (e) {
      return { error: e };
    } finally {
      kernel.release();
    }
    return {};
  };
  assert.match(stepUntil('domain').message ?? '', /^undefined beyond the wall/);
  for (const [kind, cls] of [['type', TypeError], ['range', RangeError], ['model', ModelError]] as const) {
    const { error } = stepUntil(kind);
    assert.ok(error instanceof cls, `${kind}: ${String(error)}`);
  }
  // At the start of a kernel, too: init evaluates the log density.
  assert.throws(() => buildNuts(throwsBeyond({ kind: 'type', wall: 0 })).init(new Float64Array([1])), TypeError);
  const domainStart = buildNuts(throwsBeyond({ kind: 'domain', wall: 0 })).init(new Float64Array([1]));
  assert.equal(domainStart.logDensity, -Infinity);
});

test('sample: a TypeError inside a trajectory rejects sample() with the TypeError and its message, in this thread and on worker threads', async () => {
  for (const threads of ['in-thread', 'workers'] as const) {
    await assert.rejects(run('type', 1.5, threads), (e: unknown) => {
      assert.ok(e instanceof TypeError, `${threads}: ${String(e)}`);
      assert.equal(e.name, 'TypeError');
      assert.match(e.message, /^cannot read properties of undefined \(reading 'scale'\) at x = /);
      return true;
    });
  }
});

test('sample: a ModelError keeps its class and variable across threads; a custom error class keeps its name and fields', async () => {
  for (const threads of ['in-thread', 'workers'] as const) {
    await assert.rejects(run('model', 1.5, threads), (e: unknown) => {
      assert.ok(e instanceof ModelError, `${threads}: ${String(e)}`);
      assert.equal(e.variable, 'mu');
      assert.match(e.message, /^mu is out of range at x = /);
      return true;
    });
    await assert.rejects(run('custom', 1.5, threads), (e: unknown) => {
      assert.ok(e instanceof Error, threads);
      const fields = e as Error & { sensor?: unknown; reading?: unknown };
      assert.equal(e.name, 'CalibrationError', threads);
      assert.match(e.message, /^sensor out of calibration at x = /);
      assert.equal(fields.sensor, 'thermo-3', threads);
      assert.ok(typeof fields.reading === 'number' && fields.reading > 1.5, `${threads}: reading ${String(fields.reading)}`);
      // The stack is the one from where it was thrown (the worker's, across threads).
      assert.match(e.stack ?? '', /throwing\.ts/, threads);
      if (threads === 'workers') assert.match(e.stack ?? '', /chainWorker/, 'thrown in a worker thread');
      return true;
    });
  }
});

test('sample: a log density that throws at the start surfaces its error', async () => {
  // Anything but a DomainError: thrown as it is, not reported as "not finite".
  await assert.rejects(sample(throwsBeyond({ kind: 'type', wall: -Infinity }), { ...SETTINGS, cores: 1 }), (e: unknown) => {
    assert.ok(e instanceof TypeError, String(e));
    assert.match(e.message, /reading 'scale'/);
    return true;
  });
  // A DomainError at every jittered try: the ModelError quotes it and keeps it as its cause.
  await assert.rejects(sample(throwsBeyond({ kind: 'domain', wall: -Infinity }), { ...SETTINGS, cores: 1 }), (e: unknown) => {
    assert.ok(e instanceof ModelError, String(e));
    assert.match(e.message, /chain 0: cannot start sampling after 11 jittered tries: the log density raised DomainError: undefined beyond the wall/);
    assert.ok(e.cause instanceof DomainError);
    return true;
  });
});
