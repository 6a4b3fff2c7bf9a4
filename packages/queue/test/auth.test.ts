// Redis with a password and with an ACL user: the queue works, and no password appears in any output of the workers or the coordinator.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { inThreadExecutor, mapFits } from 'nutmeg';
import { redisExecutor } from '../src/redisExecutor.js';
import { redact, safeMessage } from '../src/redact.js';
import { redisSkip, startRedis, type RedisServer } from './helpers/redisServer.js';
import { assertSameOutcomes, smallJobs, spawnWorker } from './helpers/fitJobs.js';

const DEFAULT_PASSWORD = 'Def4ultSecret-7731';
const USER = 'fitter';
const USER_PASSWORD = 'Us3rSecret-8842';

let redis: RedisServer;
before(async () => {
  if (redisSkip) return;
  redis = await startRedis(['--requirepass', DEFAULT_PASSWORD, '--user', USER, 'on', `>${USER_PASSWORD}`, '~*', '&*', '+@all'], { password: DEFAULT_PASSWORD });
});
after(async () => {
  await redis?.stop();
});

test('redact masks user and password of redis:// and rediss:// URLs wherever they appear', () => {
  assert.equal(redact('at redis://u:p4ss@h:1 and rediss://:p4ss@h:2/0'), 'at redis://***@h:1 and rediss://***@h:2/0');
  assert.equal(safeMessage(new Error('AUTH p4ssword failed'), 'redis://u:p4ssword@h:1'), 'AUTH *** failed');
});

for (const [what, user, password] of [['requirepass', undefined, DEFAULT_PASSWORD], ['an ACL user', USER, USER_PASSWORD]] as const) {
  test(`Redis with ${what}: jobs run through worker processes, results bit-identical, the password printed nowhere`, { skip: redisSkip }, async () => {
    const url = redis.url(user, password);
    const queue = `q-auth-${user ?? 'default'}`;
    const jobs = smallJobs(3);
    const worker = await spawnWorker(url, queue);
    const logged: string[] = [];
    try {
      const remote = await mapFits(jobs, { seed: 4, executor: redisExecutor({ url, queue, pollMs: 200 }), onProgress: (p) => logged.push(JSON.stringify(p)) });
      assertSameOutcomes(await mapFits(jobs, { seed: 4, executor: inThreadExecutor() }), remote, what);
      assert.ok(remote.every((o) => o.ok));
    } finally {
      await worker.stop();
    }
    const output = worker.output() + logged.join('\n');
    assert.match(output, /"type":"ready".*redis:\/\/\*\*\*@127\.0\.0\.1/);
    assert.equal(output.includes(password), false, 'the password appears in the output');
    assert.equal(output.includes(encodeURIComponent(password)), false);
  });
}

test('a wrong password fails the run with a message that holds neither password', { skip: redisSkip }, async () => {
  const url = redis.url(USER, 'Wr0ngSecret-1234');
  await assert.rejects(
    mapFits(smallJobs(1), { seed: 1, executor: redisExecutor({ url, queue: 'q-wrong', connection: { connectTimeout: 1000, retryStrategy: () => null } }) }),
    (e: Error) => {
      assert.ok(!e.message.includes('Wr0ngSecret-1234') && !e.message.includes(USER_PASSWORD), e.message);
      assert.match(e.message, /WRONGPASS|Redis/);
      return true;
    },
  );
});
