// `nutmeg worker`: a worker process in front of a private redis-server runs queued fits with one line per job; Ctrl-C finishes the current job and exits 0; no password printed.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { inThreadExecutor, mapFits } from 'nutmeg';
import { redisExecutor } from '@nutmeg/queue';
import { redisSkip, startRedis, type RedisServer } from '../../queue/test/helpers/redisServer.js';
import { assertSameOutcomes, smallJobs } from '../../queue/test/helpers/fitJobs.js';
import { main } from '../src/main.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PASSWORD = 'CliSecret-5521';
let redis: RedisServer;
before(async () => {
  if (!redisSkip) redis = await startRedis(['--requirepass', PASSWORD], { password: PASSWORD });
});
after(async () => {
  await redis?.stop();
});

test('nutmeg worker: bad options exit 2 without echoing credentials', async () => {
  let err = '';
  const io = { out: () => {}, err: (s: string) => void (err += s) };
  assert.equal(await main(['worker'], io), 2);
  assert.match(err, /--redis/);
  err = '';
  assert.equal(await main(['worker', '--redis', 'http://u:pw-secret@h', '--concurrency', '1'], io), 2);
  assert.ok(!err.includes('pw-secret'), err);
  assert.equal(await main(['worker', '--redis', 'redis://h:1', '--concurrency', '0'], io), 2);
});

test('nutmeg worker --redis URL: one line per job, results bit-identical, Ctrl-C exits 0 after the current job, password never printed', { skip: redisSkip }, async () => {
  const url = redis.url(undefined, PASSWORD);
  const script = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', '-e', script, 'worker', '--redis', url, '--queue', 'q-cli'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  while (!out.includes('taking jobs')) {
    if (child.exitCode !== null) assert.fail(out);
    await new Promise((r) => setTimeout(r, 50));
  }
  const jobs = smallJobs(4);
  const remote = await mapFits(jobs, { seed: 9, executor: redisExecutor({ url, queue: 'q-cli', pollMs: 200 }) });
  assertSameOutcomes(await mapFits(jobs, { seed: 9, executor: inThreadExecutor() }), remote, 'nutmeg worker');
  child.kill('SIGINT');
  assert.equal(await exited, 0, out);
  assert.equal(out.match(/^done {4}group \d in \d+\.\d\d s$/gm)?.length, 4, out);
  assert.match(out, /redis:\/\/\*\*\*@127\.0\.0\.1/);
  assert.match(out, /stopped/);
  assert.ok(!out.includes(PASSWORD), 'the password was printed');
});
