// @nutmeg/queue: many nutmeg fits on a BullMQ job queue in Redis (the executor for mapFits, the worker, the wire format).
export { redisExecutor, runIdOf, jobIdOf, DEFAULT_QUEUE } from './redisExecutor.js';
export type { RedisExecutorOptions } from './redisExecutor.js';
export { runWorker } from './runWorker.js';
export type { RunWorkerOptions, QueueWorker, WorkerEvent } from './runWorker.js';
export { validateTaskPayload, PayloadRejected, PAYLOAD_LIMITS } from './payloadSchema.js';
export { encodeWire, decodeWire } from './wireCodec.js';
export { encodeSuccess, encodeFailure, decodeResult } from './resultCodec.js';
export type { WireResult } from './resultCodec.js';
export { redact, safeMessage } from './redact.js';
export type { ConnectionOptions } from './connection.js';
