// nutmeg/node: the Node.js adapters (worker-thread chains, terminal progress, Ctrl-C, figure files) for users who compose their own runs.
// `sample()` and `fit()` already use these by default in Node; import them to pass one explicitly or to write figures.

// ── Sampling platform: what `sample()` uses in Node (workers, progress, Ctrl-C) ─────────────────
export { platform as nodePlatform, onSigint } from './platform/node/index.js';

// ── Chains on worker threads ────────────────────────────────────────────────────────────────────
export { workerRunner, coreCount, idleWorkerCount, liveWorkerCount } from './platform/node/workers.js';
export type { WorkerRunnerOptions } from './platform/node/workers.js';
export { startWorkerThread } from './platform/node/workerThread.js';
export { nodeCheckpointStore } from './platform/node/checkpointStore.js';
export type { ChainSource } from './workflow/chainSource.js';

// ── Many independent fits on worker threads: an executor for mapFits ────────────────────────────
export { workerFitExecutor } from './platform/node/fitExecutor.js';
export type { WorkerFitExecutorOptions } from './platform/node/fitExecutor.js';

// ── Terminal progress ───────────────────────────────────────────────────────────────────────────
export { terminalProgress } from './platform/node/progressTerminal.js';
export { adviTerminalProgress } from './platform/node/adviProgressTerminal.js';

// ── Figure files: a Vega-Lite spec to SVG and PNG on disk ───────────────────────────────────────
export { writeFigure, svgToPng } from './platform/node/render.js';
export type { PngOptions, WrittenFigure } from './platform/node/render.js';

// ── Files written whole or not at all (temporary name, then rename) ─────────────────────────────
export { writeFileAtomic } from './platform/node/atomicWrite.js';
