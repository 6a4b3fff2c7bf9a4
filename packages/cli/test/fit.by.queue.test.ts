// `nutmeg fit --by COLUMN --redis URL`: the per-group fits through a real redis-server and a worker process equal the local run bit for bit.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { redisSkip, startRedis } from '../../queue/test/helpers/redisServer.js';
import { spawnWorker } from '../../queue/test/helpers/fitJobs.js';
import { fit, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-by-queue');
const FAST = ['--chains', '2', '--draws', '60', '--tune', '60', '--seed', '5'];

/** 3 groups of 10 rows of y = 1 + slope·x + noise. */
function csv(): string {
  const rows = ['y,x,g'];
  for (let i = 0; i < 30; i++) rows.push(`${(1 + [1, 2, -1][i % 3] * ((i % 10) / 9) + 0.3 * Math.sin(i)).toFixed(4)},${((i % 10) / 9).toFixed(4)},${'xyz'[i % 3]}`);
  return rows.join('\n') + '\n';
}
const data = writeText(dir, 'data.csv', csv());

test('--by with --redis: the queue and a worker process give the local summary bit for bit; the password is never printed', { skip: redisSkip }, async () => {
  const redis = await startRedis();
  const worker = await spawnWorker(redis.url(), 'fit-by-test');
  try {
    const local = await fit([data, 'y ~ x', '--by', 'g', ...FAST, '--json', '--out', join(dir, 'local')]);
    assert.equal(local.code, 0, local.err);
    const queued = await fit([data, 'y ~ x', '--by', 'g', ...FAST, '--json', '--out', join(dir, 'queued'), '--redis', redis.url(), '--queue', 'fit-by-test']);
    assert.equal(queued.code, 0, queued.err);
    assert.equal(queued.out, local.out);
    assert.deepEqual(Object.keys(JSON.parse(queued.out) as object), ['x', 'y', 'z']);
    assert.match(queued.err, /the fits go to the queue fit-by-test at redis:\/\/127\.0\.0\.1/);
  } finally {
    await worker.stop();
    await redis.stop();
  }
});

test('--redis without --by is a usage error (exit 2), the password not printed', async () => {
  const r = await fit([data, 'y ~ x', ...FAST, '--redis', 'redis://u:secret@127.0.0.1:1']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--redis: runs the fits of --by COLUMN on a queue; add --by/);
  assert.doesNotMatch(r.err, /secret/);
});
