// How a worker obtains the log density of a chain: a model spec to re-compile, or a module exporting a factory.
import type { LogDensity } from '../core/types.js';

/**
 * What a worker needs to rebuild the log density (functions cannot cross threads, plain data can).
 * `spec`: a compiled model's `spec`, compiled with `compileModelSpec`; `key` ({@link specKey}) names
 * that spec object, so a thread that compiled it for an earlier run reuses what it built. `module`:
 * a module URL whose export `exportName` is a function `(args) => LogDensity` (how a hand-written
 * log density can run in parallel).
 */
export type ChainSource =
  | { readonly kind: 'spec'; readonly spec: unknown; readonly key?: string }
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string; readonly args?: unknown };

/** Names the spec objects sent to workers: this thread's token (unique among threads) and a count. */
const specKeys = new WeakMap<object, string>();
const thisThread = Math.random().toString(36).slice(2);
let specCount = 0;

/**
 * A name for the spec object `spec`, the same for every run that samples it: sampling one compiled
 * model again (more draws, another seed) lets a kept worker thread skip re-compiling it (~5–25 ms
 * per thread per run for the radon model) and run its already optimised code. A compiled model's
 * spec is a value, never changed after `compile()`, so the name stands for its content.
 *
 * @param spec - a compiled model's `spec`
 * @returns its name in this thread
 */
export function specKey(spec: object): string {
  let key = specKeys.get(spec);
  if (key === undefined) {
    key = `${thisThread}:${++specCount}`;
    specKeys.set(spec, key);
  }
  return key;
}

/**
 * The log density a worker built last, by its spec's key. One is kept: the next run usually samples
 * the same model again or another one, and the kept model holds the data's arrays.
 */
let lastBuilt: { readonly key: string; readonly logDensity: LogDensity } | undefined;

/**
 * Builds the log density described by `source` (inside a worker); a spec with the key of the one
 * built last gives that log density again.
 *
 * @throws Error when the module or export is missing
 */
export async function loadChainSource(source: ChainSource): Promise<LogDensity> {
  if (source.kind === 'spec') {
    if (source.key !== undefined && lastBuilt?.key === source.key) return lastBuilt.logDensity;
    // Imported lazily so that a worker running a module source does not need the model engine
    // (the built worker bundle, scripts/bundle-worker.mjs, has it inline).
    const mod = (await import('../compiler/compile.js')) as { compileModelSpec?: (spec: unknown) => LogDensity };
    if (typeof mod.compileModelSpec !== 'function') throw new Error('model engine has no compileModelSpec');
    const logDensity = mod.compileModelSpec(source.spec);
    lastBuilt = source.key !== undefined ? { key: source.key, logDensity } : undefined;
    return logDensity;
  }
  const mod = (await import(source.url)) as Record<string, unknown>;
  const factory = mod[source.exportName];
  if (typeof factory !== 'function') throw new Error(`${source.url} has no function export '${source.exportName}'`);
  return (factory as (args: unknown) => LogDensity | Promise<LogDensity>)(source.args);
}
