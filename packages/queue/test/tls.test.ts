// rediss:// : a private redis-server with TLS only (a self-signed certificate made by openssl here), an ACL user, a worker process trusting the certificate; results bit-identical, no password printed.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inThreadExecutor, mapFits } from 'nutmeg';
import { redisExecutor } from '../src/redisExecutor.js';
import { redisSkip, startRedis, type RedisServer } from './helpers/redisServer.js';
import { assertSameOutcomes, smallJobs, spawnWorker } from './helpers/fitJobs.js';

const opensslMissing = spawnSync('openssl', ['version']).status !== 0;
const skip = redisSkip || (opensslMissing ? 'openssl is not installed: cannot make a certificate for the TLS test' : false);
const USER = 'tlsuser';
const PASSWORD = 'TlsSecret-9917';
let dir = '';
let ca: Buffer;
let redis: RedisServer;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'nutmeg-tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ca = readFileSync(join(dir, 'cert.pem'));
  redis = await startRedis(
    ['--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', join(dir, 'cert.pem'), '--tls-auth-clients', 'no',
      '--user', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all'],
    { username: USER, password: PASSWORD },
    { ca },
  );
});
after(async () => {
  await redis?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('rediss:// with an ACL user: a worker process and the coordinator over TLS, results bit-identical, the password printed nowhere', { skip }, async () => {
  const url = redis.url(USER, PASSWORD);
  assert.match(url, /^rediss:\/\//);
  const worker = await spawnWorker(url, 'q-tls', { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
  try {
    const jobs = smallJobs(3);
    const remote = await mapFits(jobs, { seed: 8, executor: redisExecutor({ url, queue: 'q-tls', connection: { tls: { ca } }, pollMs: 200 }) });
    assertSameOutcomes(await mapFits(jobs, { seed: 8, executor: inThreadExecutor() }), remote, 'over TLS');
    assert.ok(remote.every((o) => o.ok));
  } finally {
    await worker.stop();
  }
  assert.match(worker.output(), /rediss:\/\/\*\*\*@127\.0\.0\.1/);
  assert.ok(!worker.output().includes(PASSWORD));
});

test('rediss:// without trusting the certificate fails with a message and no password', { skip }, async () => {
  const url = redis.url(USER, PASSWORD);
  await assert.rejects(
    mapFits(smallJobs(1), { seed: 1, executor: redisExecutor({ url, queue: 'q-untrusted', connection: { retryStrategy: () => null } }) }),
    (e: Error) => !e.message.includes(PASSWORD) && /certificate|Redis/i.test(e.message),
  );
});
