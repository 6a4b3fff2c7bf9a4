// `nutmeg worker --redis URL`: takes fit jobs from a BullMQ queue in Redis and runs them, one line per job; Ctrl-C finishes the current job and exits 0.
import { OptionError } from 'nutmeg';
import { DEFAULT_QUEUE, redact, runWorker, safeMessage, type QueueWorker, type WorkerEvent } from '@nutmeg/queue';
import { Command, InvalidArgumentError, Option } from 'commander';
import { processIo, runCommand, type Io } from './cliRun.js';

interface Flags {
  redis: string;
  queue: string;
  concurrency: number;
}

function parseConcurrency(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected an integer from 1 to 64.');
  return n;
}

/** One line of progress for a worker event (no credentials: URLs come redacted). */
export function formatWorkerEvent(e: WorkerEvent): string {
  switch (e.type) {
    case 'ready':
      return `nutmeg worker: taking jobs from queue '${e.queue}' at ${e.url} (concurrency ${e.concurrency}); Ctrl-C stops\n`;
    case 'start':
      return `start   ${e.name} (job ${e.jobId})\n`;
    case 'finish':
      return e.ok ? `done    ${e.name} in ${e.seconds.toFixed(2)} s\n` : `failed  ${e.name} after ${e.seconds.toFixed(2)} s: ${e.error ?? ''}\n`;
    case 'rejected':
      return `refused job ${e.jobId}: ${e.reason}\n`;
    default:
      return `nutmeg worker: ${e.message}\n`;
  }
}

/**
 * Runs `nutmeg worker`.
 *
 * @param argv - arguments after `worker`
 * @param io - where the lines go (default stdout/stderr)
 * @param stop - stops the worker as Ctrl-C does (tests); SIGINT and SIGTERM always do
 * @returns the exit code: 0 after a stop, 2 bad options, 1 when Redis cannot be reached
 */
export async function run(argv: string[], io: Io = processIo, stop?: AbortSignal): Promise<number> {
  const program = new Command('nutmeg worker')
    .description('Take fit jobs (from mapFits with redisExecutor, or `nutmeg radon/fit --redis`) from a BullMQ queue in Redis and run them.\n' +
      'Ctrl-C stops taking jobs, finishes the current one and exits.')
    .requiredOption('--redis <URL>', 'the Redis URL: redis://[user:password@]host:port, or rediss:// for TLS')
    .option('--queue <NAME>', 'the queue to take jobs from', DEFAULT_QUEUE)
    .addOption(new Option('--concurrency <N>', 'jobs at once in this process').default(1).argParser(parseConcurrency));
  return runCommand(program, argv, io, async (p) => {
    const flags = p.opts<Flags>();
    if (!/^rediss?:\/\//.test(flags.redis)) throw new OptionError('--redis', `expected a redis:// or rediss:// URL, got ${redact(flags.redis).slice(0, 80)}`);
    let worker: QueueWorker;
    try {
      worker = await runWorker({ url: flags.redis, queue: flags.queue, concurrency: flags.concurrency, onEvent: (e) => (e.type === 'error' ? io.err : io.out)(formatWorkerEvent(e)) });
    } catch (e) {
      // Not a bug: the server is down, the address or the credentials are wrong (never printed).
      io.err(`nutmeg worker: cannot take jobs from ${redact(flags.redis)}: ${safeMessage(e, flags.redis)}\n`);
      return 1;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        stop?.removeEventListener('abort', done);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      if (stop?.aborted) done();
      else stop?.addEventListener('abort', done, { once: true });
    });
    io.out('nutmeg worker: stopping (finishing the current job)\n');
    await worker.close();
    io.out('nutmeg worker: stopped\n');
    return 0;
  });
}
