// Many fits: the radon study's 85 county fits per second in this thread, on worker threads, and on a Redis queue with 1 or 2 worker processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mapFits, runFitTask, fitSeed, inThreadExecutor, type FitExecutor } from 'nutmeg';
import { workerFitExecutor } from 'nutmeg/node';
import { redisExecutor, encodeWire, encodeSuccess } from '@nutmeg/queue';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { countyJobs } from '../packages/cli/src/radon/unpooled.js';
// The private redis-server the queue's tests start (a free loopback port, no persistence).
import { startRedis } from '../packages/queue/test/helpers/redisServer.js';

const BIN = fileURLToPath(new URL('../packages/cli/bin/nutmeg.js', import.meta.url));

/** `nutmeg worker` processes from the build, resolved once each prints that it is ready. */
async function startWorkers(n: number, url: string, queue: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--queue', queue], { stdio: ['ignore', 'pipe', 'pipe'] });
      return new Promise<ChildProcess>((resolve) => {
        const ready = (d: Buffer): void => {
          if (/ready|waiting|taking|listening/i.test(d.toString())) resolve(child);
        };
        child.stdout!.on('data', ready);
        child.stderr!.on('data', ready);
        setTimeout(() => resolve(child), 3000);
      });
    }),
  );
}

/** Prints one JSON line per executor. Env: BENCH_DRAWS (default 1000), BENCH_CHAINS (4). */
export async function run(): Promise<void> {
  const draws = Number(process.env.BENCH_DRAWS ?? 1000);
  const chains = Number(process.env.BENCH_CHAINS ?? 4);
  const d = loadRadon();
  const jobs = countyJobs(d, { method: 'nuts', chains, draws, tune: draws, seed: 1 });
  const seed = 20261206;
  // Payload and result sizes, as the queue carries them (JSON with base64 arrays).
  const tasks = jobs.map((job, index) => ({ index, name: job.name ?? `job ${index}`, seed: fitSeed(seed, index), job }));
  const payloadBytes = tasks.map((t) => JSON.stringify(encodeWire(t)).length);
  const one = await runFitTask(tasks[0]);
  const resultBytes = JSON.stringify(encodeSuccess(one, 0, 'bench')).length;
  const time = async (executor: FitExecutor | undefined): Promise<number> => {
    const t0 = performance.now();
    const out = await mapFits(jobs, { seed, ...(executor ? { executor } : {}) });
    if (out.some((o) => !o.ok)) throw new Error('a fit failed');
    return (performance.now() - t0) / 1000;
  };
  // Each line gives its throughput as a ratio to this thread's, measured first in the same process.
  let local = NaN;
  const line = (executor: string, seconds: number, extra: object = {}): void =>
    console.log(
      JSON.stringify({ bench: 'fits_radon_85_counties', executor, chains, draws, tune: draws, seconds: +seconds.toFixed(3), fits_per_s: +(jobs.length / seconds).toFixed(1), fits_per_s_vs_this_thread: +(local / seconds).toFixed(2), ...extra }),
    );
  local = await time(inThreadExecutor());
  line('this thread', local);
  line('2 worker threads', await time(workerFitExecutor({ threads: 2 })));
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.error('fits bench: redis-server is not installed: the queue measurements are skipped');
    return;
  }
  const redis = await startRedis();
  try {
    for (const n of [1, 2]) {
      const queue = `bench-${n}-${Date.now()}`;
      const workers = await startWorkers(n, redis.url(), queue);
      const seconds = await time(redisExecutor({ url: redis.url(), queue, pollMs: 200 }));
      line(`queue, ${n} worker process${n > 1 ? 'es' : ''}`, seconds, {
        overhead_per_job_ms: +(((seconds - local / n) * 1000 * n) / jobs.length).toFixed(1),
        payload_bytes_median: payloadBytes.sort((a, b) => a - b)[Math.floor(payloadBytes.length / 2)],
        result_bytes_one_fit: resultBytes,
      });
      for (const w of workers) w.kill('SIGTERM');
    }
  } finally {
    await redis.stop();
  }
}
