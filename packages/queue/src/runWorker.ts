// The worker side of the Redis queue: a BullMQ Worker that validates each payload, fits it with runFitTask and returns the compact result.
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { runFitTask } from 'nutmeg';
import { connect, waitForRedis, type ConnectionOptions } from './connection.js';
import { PayloadRejected, validateTaskPayload } from './payloadSchema.js';
import { encodeFailure, encodeSuccess, type WireResult } from './resultCodec.js';
import { redact, safeMessage } from './redact.js';
import { DEFAULT_QUEUE } from './redisExecutor.js';

/** What a worker reports: ready, each job's start and finish (with its time), rejected payloads, connection errors. */
export type WorkerEvent =
  | { readonly type: 'ready'; readonly queue: string; readonly url: string; readonly concurrency: number }
  | { readonly type: 'start'; readonly jobId: string; readonly name: string }
  | { readonly type: 'finish'; readonly jobId: string; readonly name: string; readonly ok: boolean; readonly seconds: number; readonly error?: string }
  | { readonly type: 'rejected'; readonly jobId: string; readonly reason: string }
  | { readonly type: 'error'; readonly message: string };

/** Options of {@link runWorker}. */
export interface RunWorkerOptions {
  /** The Redis URL (`redis://[user:password@]host:port`, `rediss://` for TLS); never printed with its credentials. */
  readonly url: string;
  /** The queue to take jobs from (default `nutmeg-fits`). */
  readonly queue?: string;
  /** Jobs run at once in this process (default 1: a fit keeps one core busy). */
  readonly concurrency?: number;
  /** Progress: every {@link WorkerEvent}. Messages hold no credentials. */
  readonly onEvent?: (event: WorkerEvent) => void;
  /** How long a job's lock lasts without renewal (ms, default BullMQ's 30 s): a killed worker's job returns to the queue after it. */
  readonly lockDuration?: number;
  /** How often stalled jobs are looked for (ms, default BullMQ's 30 s). */
  readonly stalledInterval?: number;
  /** How often a job may stall before it fails (default 1). */
  readonly maxStalledCount?: number;
  /** More ioredis options (`tls: { ca }`, …). */
  readonly connection?: ConnectionOptions;
}

/** A running worker. */
export interface QueueWorker {
  /** Stops taking jobs, lets the current ones finish and return their results, then disconnects. */
  close(): Promise<void>;
}

/**
 * Takes fit jobs from a BullMQ queue in Redis and runs them. Every payload is checked against the
 * data-only schema of a fit task first (validateTaskPayload): anything else fails its job at once,
 * with the reason, and is not retried; no fit runs for it. A valid task is fitted with
 * `runFitTask` (the same function every executor uses, so the draws equal a local run's) and its
 * InferenceData returned with the arrays as base64 bytes; a fit that throws returns its error as
 * the result (the job completes: the coordinator reports it by name, nothing retries it).
 *
 * @param options - `url`, `queue`, `concurrency`, `onEvent`, lock settings
 * @returns the running worker, once Redis has answered
 * @throws Error when Redis cannot be reached (the message holds no credentials)
 * @example
 * ```ts
 * const worker = await runWorker({ url: 'redis://127.0.0.1:6379', onEvent: (e) => console.log(e.type) });
 * process.once('SIGINT', () => void worker.close());
 * ```
 */
export async function runWorker(options: RunWorkerOptions): Promise<QueueWorker> {
  const queue = options.queue ?? DEFAULT_QUEUE;
  const emit = options.onEvent ?? (() => {});
  const label = `${hostname()}:${process.pid}`;
  const client = connect(options.url, options.connection);
  try {
    await waitForRedis(client, options.url);
  } catch (e) {
    client.disconnect();
    throw e;
  }
  const processor = async (job: Job): Promise<WireResult> => {
    const jobId = job.id ?? '?';
    let task;
    try {
      task = validateTaskPayload(job.data);
    } catch (e) {
      const reason = e instanceof PayloadRejected ? e.message : `unreadable payload: ${safeMessage(e, options.url)}`;
      emit({ type: 'rejected', jobId, reason });
      throw new UnrecoverableError(`payload rejected: ${reason}`);
    }
    emit({ type: 'start', jobId, name: task.name });
    const t0 = performance.now();
    try {
      const idata = await runFitTask(task);
      const seconds = (performance.now() - t0) / 1000;
      emit({ type: 'finish', jobId, name: task.name, ok: true, seconds });
      return encodeSuccess(idata, seconds, label);
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      emit({ type: 'finish', jobId, name: task.name, ok: false, seconds, error: safeMessage(e, options.url) });
      return encodeFailure(e, seconds, label);
    }
  };
  const worker = new Worker(queue, processor, {
    connection: client,
    concurrency: options.concurrency ?? 1,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    ...(options.maxStalledCount !== undefined ? { maxStalledCount: options.maxStalledCount } : {}),
  });
  worker.on('error', (e) => emit({ type: 'error', message: safeMessage(e, options.url) }));
  await worker.waitUntilReady();
  emit({ type: 'ready', queue, url: redact(options.url), concurrency: options.concurrency ?? 1 });
  return {
    async close() {
      await worker.close();
      client.disconnect();
    },
  };
}
