// mapFits on a BullMQ queue in Redis: each task a job with a deterministic id, results read back from the completed jobs.
import { createHash } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { FitExecutor, FitTask, FitTaskResult } from 'nutmeg';
import { connect, waitForRedis, type ConnectionOptions } from './connection.js';
import { decodeResult } from './resultCodec.js';
import { encodeWire } from './wireCodec.js';
import { safeMessage } from './redact.js';

/** Options of {@link redisExecutor}. */
export interface RedisExecutorOptions {
  /** The Redis URL: `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /** The BullMQ queue's name (default `nutmeg-fits`); workers must take jobs from the same. */
  readonly queue?: string;
  /**
   * Names this run's jobs (`<runId>-<index>`): a coordinator started again with the same run id
   * reads the results already done instead of queueing the jobs again. Default: a hash of the
   * tasks, so the same jobs with the same seed are the same run.
   */
  readonly runId?: string;
  /** More ioredis options (`tls: { ca }`, `connectTimeout`, …). */
  readonly connection?: ConnectionOptions;
  /** How often outstanding jobs are looked up besides the queue's events (default 2000 ms). */
  readonly pollMs?: number;
}

/** The default queue name of the executor and of the worker. */
export const DEFAULT_QUEUE = 'nutmeg-fits';

/** A run id from the encoded tasks: the same jobs with the same seeds give the same id. */
export function runIdOf(encodedTasks: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(encodedTasks)).digest('hex').slice(0, 16);
}

/**
 * The BullMQ job id of a task. BullMQ refuses `:` in custom ids (it separates the parts of its
 * Redis keys), so the run id and the index are joined by `-`.
 *
 * @param runId - the run's id
 * @param index - the task's index
 * @returns the job id
 */
export function jobIdOf(runId: string, index: number): string {
  return `${runId}-${index}`;
}

/**
 * An executor for `mapFits` (from `nutmeg`) that puts every fit task on a BullMQ queue in Redis,
 * where workers (`runWorker`, `nutmeg worker --redis URL`) on any machine take them. A task
 * becomes the job `<runId>-<index>` whose data is the task as plain data (typed arrays as base64
 * of their bytes); the worker's result comes back the same way and is decoded to the
 * InferenceData the worker made, bit for bit: the draws equal a local run's with the same seed.
 * Completed jobs stay in Redis, so a coordinator started again with the same run id collects them
 * instead of running them again. A fit that throws is a result (its error rebuilt as its class);
 * a job the queue gives up on (its payload rejected, its worker lost too often) is an error
 * result too. Aborting gives the tasks not yet finished an error result and leaves their jobs on
 * the queue: workers go on with them, and a coordinator started again with the same run id
 * collects them (to cancel a run instead, drain the queue or start over with a new run id).
 *
 * @param options - `url`, `queue`, `runId`, `connection`
 * @returns the executor
 * @example
 * ```ts
 * import { mapFits, type FitJob } from 'nutmeg';
 * declare const jobs: FitJob[];
 * const outcomes = await mapFits(jobs, { seed: 1, executor: redisExecutor({ url: 'redis://127.0.0.1:6379' }) });
 * ```
 */
export function redisExecutor(options: RedisExecutorOptions): FitExecutor {
  const queueName = options.queue ?? DEFAULT_QUEUE;
  return {
    async run(tasks, { onResult, signal }) {
      if (tasks.length === 0) return;
      const encoded = tasks.map((t) => encodeWire(t));
      const runId = options.runId ?? runIdOf(encoded);
      const byId = new Map<string, { task: FitTask; data: unknown }>(tasks.map((t, k) => [jobIdOf(runId, t.index), { task: t, data: { v: 1, task: encoded[k] } }]));
      const client = connect(options.url, options.connection);
      const eventsClient = client.duplicate();
      eventsClient.on('error', () => {});
      let queue: Queue | undefined;
      let events: QueueEvents | undefined;
      let poll: NodeJS.Timeout | undefined;
      try {
        await waitForRedis(client, options.url);
        queue = new Queue(queueName, { connection: client });
        events = new QueueEvents(queueName, { connection: eventsClient });
        await events.waitUntilReady();
        await collect(queue, events, byId, onResult, signal, options.pollMs ?? 2000, (t) => (poll = t));
      } catch (e) {
        throw new Error(`the Redis queue failed: ${safeMessage(e, options.url)}`);
      } finally {
        clearInterval(poll);
        await events?.close().catch(() => {});
        await queue?.close().catch(() => {});
        client.disconnect();
        eventsClient.disconnect();
      }
    },
  };
}

/** Queues the jobs not already in Redis and reports each job's result as it completes; resolves when all have one. */
async function collect(
  queue: Queue,
  events: QueueEvents,
  byId: Map<string, { task: FitTask; data: unknown }>,
  onResult: (r: FitTaskResult) => void,
  signal: AbortSignal | undefined,
  pollMs: number,
  setPoll: (t: NodeJS.Timeout) => void,
): Promise<void> {
  const pending = new Set(byId.keys());
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const settle = (id: string, result: { idata: unknown } | { error: unknown }): void => {
    if (!pending.delete(id)) return;
    const index = byId.get(id)!.task.index;
    onResult('idata' in result ? { index, idata: result.idata as never } : { index, error: result.error });
    if (pending.size === 0) finish();
  };
  /** Looks a job up and settles it if it has finished. */
  const check = async (id: string): Promise<void> => {
    if (!pending.has(id)) return;
    // The state first, then the job: a job read while active and completed since has no return value yet.
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return;
    const job = await Job.fromId(queue, id);
    if (!job) return;
    if (state === 'completed') settle(id, decodeResult(job.returnvalue));
    else if (state === 'failed') settle(id, { error: new Error(`job ${byId.get(id)!.task.name} failed on the queue: ${job.failedReason ?? 'no reason given'}`) });
  };
  const checkAll = (): void => {
    for (const id of pending) check(id).catch(fail);
  };
  events.on('completed', ({ jobId }) => void check(jobId).catch(fail));
  events.on('failed', ({ jobId }) => void check(jobId).catch(fail));

  const onAbort = (): void => {
    const reason: unknown = signal?.reason;
    const error = reason instanceof Error ? reason : new Error('the run was aborted before this fit finished');
    // The jobs stay on the queue for a restarted coordinator. Removing the waiting ones raced with
    // workers taking them (a job removed as its lock lapsed under load ran again after a restart).
    for (const id of [...pending]) settle(id, { error });
  };
  if (signal?.aborted) {
    onAbort();
    return;
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Jobs from an earlier coordinator of this run that the queue gave up on are tried again.
    for (const id of byId.keys()) {
      const old = await Job.fromId(queue, id);
      if (old && (await old.getState()) === 'failed') await old.remove();
    }
    await queue.addBulk([...byId].map(([jobId, { task, data }]) => ({
      name: task.name,
      data,
      opts: { jobId, removeOnComplete: false, removeOnFail: false, attempts: 1 },
    })));
    checkAll();
    setPoll(setInterval(checkAll, pollMs));
    await done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
