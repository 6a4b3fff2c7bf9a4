// How a worker obtains the log density of a chain: a model spec to re-compile, or a module exporting a factory.
import type { LogDensity } from '../core/types.js';

/**
 * What a worker needs to rebuild the log density (functions cannot cross threads, plain data can).
 * `spec`: a compiled model's `spec`, compiled with `compileModelSpec`. `module`: a module URL whose
 * export `exportName` is a function `(args) => LogDensity` (how a hand-written log density can run
 * in parallel).
 */
export type ChainSource =
  | { readonly kind: 'spec'; readonly spec: unknown }
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string; readonly args?: unknown };

/**
 * Builds the log density described by `source` (inside a worker).
 *
 * @throws Error when the module or export is missing
 */
export async function loadChainSource(source: ChainSource): Promise<LogDensity> {
  if (source.kind === 'spec') {
    // Imported lazily so that a worker running a module source does not need the model engine
    // (the built worker bundle, scripts/bundle-worker.mjs, has it inline).
    const mod = (await import('../compiler/compile.js')) as { compileModelSpec?: (spec: unknown) => LogDensity };
    if (typeof mod.compileModelSpec !== 'function') throw new Error('model engine has no compileModelSpec');
    return mod.compileModelSpec(source.spec);
  }
  const mod = (await import(source.url)) as Record<string, unknown>;
  const factory = mod[source.exportName];
  if (typeof factory !== 'function') throw new Error(`${source.url} has no function export '${source.exportName}'`);
  return (factory as (args: unknown) => LogDensity | Promise<LogDensity>)(source.args);
}
