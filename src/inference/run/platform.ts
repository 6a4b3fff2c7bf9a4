// What sampling needs from its environment (workers, a progress display, Ctrl-C), and loading Node's.
import type { ChainRunner } from './runner.js';
import type { ProgressSink } from './progress.js';

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
}

let cached: Promise<SamplingPlatform> | undefined;

/**
 * The platform adapters of the running environment: Node's (worker_threads, terminal progress,
 * SIGINT) when running in Node, none elsewhere (browsers pass their own). The Node module is
 * imported lazily through a computed specifier so that browser bundles do not pull it in.
 *
 * @returns the environment's adapters
 */
export function defaultPlatform(): Promise<SamplingPlatform> {
  if (cached) return cached;
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (typeof g.process?.versions?.node !== 'string') {
    cached = Promise.resolve({});
    return cached;
  }
  const specifier = '../../platform/node.js';
  cached = import(/* @vite-ignore */ specifier).then((m: { nodePlatform: SamplingPlatform }) => m.nodePlatform);
  return cached;
}
