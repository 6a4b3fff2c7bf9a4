// The Redis executor end to end: a private redis-server, worker processes, bit-identical draws, a killed worker, a restarted coordinator, failing jobs.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { Model, HalfNormal, inThreadExecutor, mapFits, type FitJob, type FitOutcome } from 'nutmeg';
import { redisExecutor } from '../src/redisExecutor.js';
import { redisSkip, startRedis, type RedisServer } from './helpers/redisServer.js';
import { assertSameOutcomes, smallJobs, spawnWorker, type WorkerProcess } from './helpers/fitJobs.js';

const skip = redisSkip;
let redis: RedisServer;
const workers: WorkerProcess[] = [];

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
});

async function twoWorkers(queue: string): Promise<[WorkerProcess, WorkerProcess]> {
  const pair = await Promise.all([spawnWorker(redis.url(), queue), spawnWorker(redis.url(), queue)]);
  workers.push(...pair);
  return pair;
}

const starts = (w: WorkerProcess): string[] => w.events.flatMap((e) => (e.type === 'start' ? [e.jobId] : []));

test('8 NUTS jobs through the queue on two worker processes: draws bit-identical to the in-thread executor', { skip }, async (t) => {
  const jobs = smallJobs(8);
  const local = await mapFits(jobs, { seed: 11, executor: inThreadExecutor() });
  const [a, b] = await twoWorkers('q-identical');
  const remote = await mapFits(jobs, { seed: 11, executor: redisExecutor({ url: redis.url(), queue: 'q-identical', pollMs: 200 }) });
  assertSameOutcomes(local, remote, 'queue vs in-thread');
  assert.ok(remote.every((o) => o.ok));
  assert.ok(starts(a).length > 0 && starts(b).length > 0, `both workers took jobs (${starts(a).length} + ${starts(b).length})`);
  assert.equal(starts(a).length + starts(b).length, 8);
  t.diagnostic(`worker A ran ${starts(a).length} jobs, worker B ${starts(b).length}`);
  await Promise.all([a.stop(), b.stop()]);
});

test('SIGKILL of a worker mid-fit: the other worker takes its job over and the results are still bit-identical', { skip }, async (t) => {
  const jobs = smallJobs(6, 2000);
  const local = await mapFits(jobs, { seed: 5, executor: inThreadExecutor() });
  const [victim, survivor] = await twoWorkers('q-kill');
  const run = mapFits(jobs, { seed: 5, executor: redisExecutor({ url: redis.url(), queue: 'q-kill', pollMs: 200 }) });
  const started = await victim.waitFor((e) => e.type === 'start');
  victim.child.kill('SIGKILL');
  const lost = (started as { jobId: string }).jobId;
  const remote = await run;
  assertSameOutcomes(local, remote, 'after a SIGKILL');
  assert.ok(remote.every((o) => o.ok), 'every job finished');
  assert.ok(starts(survivor).includes(lost), `the survivor ran the killed worker's job ${lost}`);
  t.diagnostic(`killed during ${lost}; the survivor ran ${starts(survivor).length} jobs`);
  await survivor.stop();
});

test('a coordinator stopped mid-run and started again with the same run id collects finished jobs without re-running them', { skip }, async () => {
  const jobs = smallJobs(8);
  const local = await mapFits(jobs, { seed: 21, executor: inThreadExecutor() });
  const worker = await spawnWorker(redis.url(), 'q-restart');
  workers.push(worker);
  const stop = new AbortController();
  let results = 0;
  const executor = redisExecutor({ url: redis.url(), queue: 'q-restart', runId: 'restart-run', pollMs: 200 });
  const first = await mapFits(jobs, {
    seed: 21,
    executor,
    signal: stop.signal,
    onProgress: () => {
      if (++results === 3) stop.abort();
    },
  });
  assert.ok(first.some((o) => !o.ok), 'the first coordinator stopped before every job finished');
  const executedBefore = starts(worker).length;
  const second = await mapFits(jobs, { seed: 21, executor });
  assertSameOutcomes(local, second, 'after a restart');
  const runs = starts(worker);
  assert.equal(runs.length, 8, `each job ran once (ran ${runs.length}: ${runs.join(', ')}; ${executedBefore} before the restart)`);
  assert.equal(new Set(runs).size, 8);
  await worker.stop();
});

test('a job with bad data fails by name with its error class; the other jobs finish', { skip }, async () => {
  const bad = new Model();
  const s = bad.rv('s', HalfNormal({ sigma: 1 }));
  bad.rv('z', HalfNormal({ sigma: s }), { observed: [-1] });
  const jobs: FitJob[] = [...smallJobs(3), { name: 'county X', model: bad.spec }];
  const worker = await spawnWorker(redis.url(), 'q-bad');
  workers.push(worker);
  const out: FitOutcome[] = await mapFits(jobs, { seed: 2, executor: redisExecutor({ url: redis.url(), queue: 'q-bad', pollMs: 200 }) });
  assert.deepEqual(out.map((o) => o.ok), [true, true, true, false]);
  const failed = out[3] as Extract<FitOutcome, { ok: false }>;
  assert.match(failed.error.message, /county X/);
  assert.equal((failed.error.cause as Error).name, 'ModelError');
  assert.equal((failed.error.cause as { variable?: string }).variable, 'z');
  await worker.stop();
});
