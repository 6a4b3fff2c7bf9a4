// The worker's payload gate and the wire codec: real tasks pass and round-trip bit for bit; hostile payloads are refused with a reason, in-process and through a worker process.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Queue, Job } from 'bullmq';
import { Redis } from 'ioredis';
import { fitSeed, runFitTask, type FitTask } from 'nutmeg';
import { SCALAR_OPS } from '../../nutmeg/src/ir/scalarOps.js';
import { KERNELS } from '../../nutmeg/src/ir/kernels.js';
import { FAMILIES } from '../../nutmeg/src/distributions/registry.js';
import { TRANSFORMS as LIBRARY_TRANSFORMS } from '../../nutmeg/src/transforms/bijectTo.js';
import { DISTRIBUTIONS, EW_OPS, KERNEL_OPS, PayloadRejected, TRANSFORMS, validateTaskPayload } from '../src/payloadSchema.js';
import { decodeWire, encodeWire } from '../src/wireCodec.js';
import { decodeResult, encodeSuccess } from '../src/resultCodec.js';
import { redisSkip, startRedis, type RedisServer } from './helpers/redisServer.js';
import { smallJobs, spawnWorker } from './helpers/fitJobs.js';

const task = (k = 0): FitTask => ({ index: k, name: `group ${k}`, seed: fitSeed(7, k), job: smallJobs(k + 1)[k] });
const payload = (t: FitTask = task()): Record<string, unknown> => JSON.parse(JSON.stringify({ v: 1, task: encodeWire(t) })) as Record<string, unknown>;

/** A payload with one field of the task's model replaced (path into the wire JSON). */
function tampered(edit: (p: { task: { job: { model: { nodes: Record<string, unknown>[]; coords: Record<string, unknown> }; options: Record<string, unknown> } } }) => void): unknown {
  const p = payload() as never;
  edit(p);
  return p;
}

/** Hostile payloads and the reason each must be refused for. */
const HOSTILE: [string, unknown, RegExp][] = [
  ['a function-looking label', tampered((p) => (p.task.job.model.nodes[0].label = '() => process.exit(1)')), /looks like code/],
  ['a function-looking job name', tampered((p) => ((p.task as unknown as Record<string, unknown>).name = 'function () { return 1 }')), /looks like code/],
  ['an unknown op', tampered((p) => { const n = p.task.job.model.nodes.find((x) => x.kind === 'ew')!; n.op = 'exec'; }), /unknown op "exec"/],
  ['an unknown node kind', tampered((p) => (p.task.job.model.nodes[0].kind = 'script')), /unknown node kind/],
  ['a huge array size', tampered((p) => { const n = p.task.job.model.nodes.find((x) => x.kind === 'data')!; n.shape = [1e9]; }), /exceed|integer in/],
  ['values that do not fill the shape', tampered((p) => { const n = p.task.job.model.nodes.find((x) => x.kind === 'data')!; n.shape = [3, 1000]; }), /values for 3000 elements/],
  ['__proto__ keys', JSON.parse(JSON.stringify(payload()).replace('"dim":', '"__proto__":{"polluted":true},"dim":')) as unknown, /forbidden key "__proto__"/],
  ['constructor keys', tampered((p) => (p.task.job.options.constructor = { prototype: 1 } as never)), /forbidden key "constructor"/],
  ['a non-object', 'rm -rf /', /expected an object/],
  ['null', null, /expected an object/],
  ['an array', [1, 2, 3], /expected an object/],
  ['too many draws', tampered((p) => (p.task.job.options.draws = 1e12)), /draws: expected an integer/],
  ['an unknown option', tampered((p) => (p.task.job.options.sampler = 'x')), /unexpected key "sampler"/],
  ['a forward node reference', tampered((p) => { const n = p.task.job.model.nodes.find((x) => x.kind === 'ew')!; n.args = [9999]; }), /integer in/],
];

test('the payload lists of known ops, kernels, distributions and transforms are exactly the library\'s', () => {
  assert.deepEqual([...EW_OPS].sort(), Object.keys(SCALAR_OPS).sort());
  assert.deepEqual([...KERNEL_OPS].sort(), Object.keys(KERNELS).sort());
  assert.deepEqual([...DISTRIBUTIONS].sort(), Object.keys(FAMILIES).sort());
  assert.deepEqual([...TRANSFORMS].sort(), Object.keys(LIBRARY_TRANSFORMS).sort());
});

test('a real task passes the gate and decodes to the same task: its data arrays bit for bit', () => {
  const t = task(2);
  assert.deepStrictEqual(validateTaskPayload(payload(t)), t);
  assert.deepStrictEqual(decodeWire(JSON.parse(JSON.stringify(encodeWire(t)))), t);
});

test('the wire codec keeps NaN, ±Infinity, -0 and typed arrays; refuses functions and class instances', () => {
  const value = { a: [NaN, Infinity, -Infinity, -0, 1.5], f: new Float64Array([1 / 3, NaN, -0]), i: new Int32Array([-1, 2 ** 31 - 1]), s: 'x', n: null, b: true };
  const back = decodeWire(JSON.parse(JSON.stringify(encodeWire(value)))) as typeof value;
  assert.deepStrictEqual(back, value);
  assert.ok(Object.is(back.a[3], -0) && Object.is(back.f[2], -0));
  assert.throws(() => encodeWire({ f: () => 1 }), TypeError);
  assert.throws(() => encodeWire(new Map()), TypeError);
});

test('a fit result round-trips through JSON to the identical InferenceData (attrs, warnings and timings included)', async () => {
  const idata = await runFitTask(task(1));
  const back = decodeResult(JSON.parse(JSON.stringify(encodeSuccess(idata, 0.1, 'w'))));
  assert.ok('idata' in back);
  assert.deepStrictEqual(back.idata, idata);
});

for (const [what, hostile, reason] of HOSTILE) {
  test(`the gate refuses ${what}`, () => {
    assert.throws(() => validateTaskPayload(hostile), (e: unknown) => e instanceof PayloadRejected && reason.test(e.message));
  });
}

test('nothing is polluted by a __proto__ payload', () => {
  assert.throws(() => validateTaskPayload(HOSTILE[6][1]));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

let redis: RedisServer;
before(async () => {
  if (!redisSkip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('a worker process refuses every hostile job with a logged reason, runs no fit for them, and still runs a good job', { skip: redisSkip }, async () => {
  const worker = await spawnWorker(redis.url(), 'q-hostile');
  const client = new Redis(redis.url(), { maxRetriesPerRequest: null });
  const queue = new Queue('q-hostile', { connection: client });
  try {
    for (const [k, [, data]] of HOSTILE.entries()) await queue.add(`hostile ${k}`, data, { jobId: `hostile-${k}`, attempts: 3 });
    await queue.add('good', payload(), { jobId: 'good-0' });
    await worker.waitFor((e) => e.type === 'finish' && e.jobId === 'good-0');
    const rejected = worker.events.filter((e) => e.type === 'rejected');
    assert.equal(rejected.length, HOSTILE.length, worker.output());
    for (const [k, [what, , reason]] of HOSTILE.entries()) {
      const log = rejected.find((e) => e.jobId === `hostile-${k}`) as { reason: string } | undefined;
      assert.ok(log && reason.test(log.reason), `${what}: logged ${log?.reason}`);
      const job = await Job.fromId(queue, `hostile-${k}`);
      assert.equal(await job!.getState(), 'failed');
      assert.equal(job!.attemptsMade, 1, `${what}: not retried although attempts were 3`);
      assert.match(job!.failedReason, /^payload rejected: /);
    }
    assert.deepEqual(worker.events.filter((e) => e.type === 'start').map((e) => (e as { jobId: string }).jobId), ['good-0'], 'no fit ran for a hostile job');
  } finally {
    await queue.close();
    client.disconnect();
    await worker.stop();
  }
});
