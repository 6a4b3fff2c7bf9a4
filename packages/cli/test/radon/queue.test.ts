// The radon app's 85 unpooled fits on a Redis queue (nutmeg radon --redis): a real redis-server and a worker process; draws bit-identical to the local run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisExecutor } from '@nutmeg/queue';
import { loadRadon } from '../../src/radon/data.js';
import { fitUnpooled } from '../../src/radon/unpooled.js';
import { main } from '../../src/main.js';
import { redisSkip, startRedis } from '../../../queue/test/helpers/redisServer.js';
import { spawnWorker } from '../../../queue/test/helpers/fitJobs.js';

const SETTINGS = { method: 'nuts' as const, chains: 2, draws: 60, tune: 60, seed: 31 };

test('nutmeg radon --redis: the 85 county fits through a queue and a worker process equal the local fits bit for bit', { skip: redisSkip }, async () => {
  const redis = await startRedis();
  const worker = await spawnWorker(redis.url(), 'radon-test');
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-radon-queue-'));
  try {
    const d = loadRadon();
    const local = await fitUnpooled(d, SETTINGS, { threads: 1 });
    const queued = await fitUnpooled(d, SETTINGS, { executor: { executor: redisExecutor({ url: redis.url(), queue: 'radon-test', pollMs: 200 }), where: 'the test queue' } });
    for (const name of ['alpha', 'beta', 'eps']) {
      assert.deepEqual(queued.idata.groups.posterior!.vars[name].values, local.idata.groups.posterior!.vars[name].values, name);
    }
    assert.equal(queued.where, 'the test queue');
    assert.ok(worker.events.filter((e) => e.type === 'finish').length >= 85, 'the worker process ran the fits');
    // The command: the same run through --redis writes the report; the URL's host is named, a password never is.
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['radon', '--model', 'unpooled', '--redis', redis.url(), '--queue', 'radon-test', '--chains', '2', '--draws', '60', '--tune', '60', '--seed', '31', '--out', dir], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
    assert.equal(code, 0, err.join(''));
    assert.match(err.join(''), /the unpooled fits go to the queue radon-test at redis:\/\/127\.0\.0\.1/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, { sampler: { chains: number } }>;
    assert.equal(summary.unpooled.sampler.chains, 2);
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /on the queue radon-test at redis:\/\/127\.0\.0\.1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await worker.stop();
    await redis.stop();
  }
});

test('nutmeg radon --redis without the unpooled model is a usage error (exit 2)', async () => {
  const err: string[] = [];
  const code = await main(['radon', '--model', 'pooled', '--redis', 'redis://u:secret@127.0.0.1:1'], { out: () => undefined, err: (s) => err.push(s) });
  assert.equal(code, 2);
  assert.match(err.join(''), /--redis: runs the unpooled fits on a queue; add unpooled to --model/);
  assert.doesNotMatch(err.join(''), /secret/);
});
