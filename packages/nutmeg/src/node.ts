// nutmeg/node: the Node.js adapters (worker-thread chains, terminal progress, Ctrl-C, figure files) for users who compose their own runs.
export { platform as nodePlatform, onSigint } from './platform/node/index.js';
export { workerRunner, coreCount, idleWorkerCount } from './platform/node/workers.js';
export { workerFitExecutor } from './platform/node/fitExecutor.js';
export type { WorkerFitExecutorOptions } from './platform/node/fitExecutor.js';
export { terminalProgress } from './platform/node/progressTerminal.js';
export { adviTerminalProgress } from './platform/node/adviProgressTerminal.js';
export { writeFigure, svgToPng, svgToPixels, bundledFontFiles } from './platform/node/render.js';
export type { PngOptions, WrittenFigure } from './platform/node/render.js';
export type { ChainSource } from './workflow/chainSource.js';
