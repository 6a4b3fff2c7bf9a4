// A private redis-server for the tests: a random loopback port, no persistence, killed on teardown; a skip reason when redis-server is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Why the Redis tests are skipped, or false when redis-server is installed. */
export const redisSkip: string | false = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0
  ? false
  : 'redis-server is not installed (Debian: apt-get install redis-server): the Redis queue tests did not run';

/** A running private Redis. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` (with the given credentials, if any). */
  url(user?: string, password?: string): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no` with extra arguments
 * and waits until it answers PING.
 *
 * @param extraArgs - more redis-server arguments (`--requirepass`, `--user`, TLS settings)
 * @param auth - credentials for the readiness PING
 * @param tls - TLS options of the readiness client (`{ ca }`): the server then listens with TLS only (`--port 0 --tls-port P`; give the certificate files in `extraArgs`)
 * @returns the server
 */
export async function startRedis(extraArgs: string[] = [], auth: { username?: string; password?: string } = {}, tls?: object): Promise<RedisServer> {
  const port = await freePort();
  const portArgs = tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const child: ChildProcess = spawn('redis-server', [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...auth, ...(tls ? { tls } : {}) });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        client.disconnect();
        break;
      }
    } catch {
      client.disconnect();
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const scheme = tls ? 'rediss' : 'redis';
  return {
    port,
    url: (user, password) => `${scheme}://${user !== undefined || password !== undefined ? `${encodeURIComponent(user ?? '')}:${encodeURIComponent(password ?? '')}@` : ''}127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
