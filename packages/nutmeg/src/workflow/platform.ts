// What sampling needs from its environment (workers, a progress display, Ctrl-C), and the environment's own adapters.
import type { ChainRunner } from './runner.js';
import type { ProgressSink } from '../inference/chain/progress.js';
import type { CheckpointStore } from './checkpoint.js';

/**
 * Environment adapters for {@link sample}. Each is optional: without `createRunner` chains run in
 * the calling thread, without `createProgress` nothing is shown, without `onInterrupt` sampling
 * can only be stopped by finishing.
 */
export interface SamplingPlatform {
  /** A runner that re-compiles the model from its plain-data `spec` in each worker. */
  createRunner?(spec: unknown, options: { workers: number }): ChainRunner;
  /** A progress display for `nChains` chains, or undefined when there is nowhere to show it. */
  createProgress?(nChains: number, drawsPerChain: number): ProgressSink | undefined;
  /** Calls `handler` on an interrupt (SIGINT); returns a function that removes the handler. */
  onInterrupt?(handler: () => void): () => void;
  /** Shows the warnings of a finished run (once, at the end), e.g. on stderr. */
  printWarnings?(text: string): void;
  /** Worker threads worth starting (CPU cores). */
  defaultWorkers?(): number;
  /** Bytes a run may hold (its draws), for the up-front memory check of `sample` (default 2 GiB). */
  memoryLimit?(): number;
  /** The checkpoint store of the folder `dir` (without it, `sample()` refuses the `checkpoint` option). */
  openCheckpoint?(dir: string): CheckpointStore;
  /**
   * Run chains on workers even when one is enough (unless `cores: 1` is asked for): a browser page
   * must not sample on its main thread, which would freeze it.
   */
  readonly preferWorkers?: boolean;
}

/**
 * The platform adapters of the running environment. `#platform` is a subpath import of
 * `package.json`: the `node` condition selects `platform/node` (worker threads, terminal progress,
 * SIGINT), the `browser` condition `platform/browser` (module Web Workers); every other
 * environment gets `platform/portable` (chains in the calling thread).
 * Imported lazily so that loading the library does not start or load worker machinery.
 *
 * @returns the environment's adapters
 */
export async function defaultPlatform(): Promise<SamplingPlatform> {
  const m = (await import('#platform')) as { platform: SamplingPlatform };
  return m.platform;
}
