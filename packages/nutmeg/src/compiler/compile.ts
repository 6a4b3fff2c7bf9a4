// The model compiler's entry: a ModelSpec in, a CompiledModel (one generated, allocation-free log density and its layout) out.
//
// The stages, each in its own file of this folder (see context.ts for the map): fold the
// data-only work, check the data-only constraints, generate and compile the programs (plan →
// lower → fuse), wrap them as a CompiledModel.
import type { ModelSpec } from '../graph/graph.js';
import { assembleCompiledModel } from './assemble.js';
import type { CompiledModel } from './compiledModel.js';
import { createContext, type CompileOptions } from './context.js';
import { checkDataConstraints } from './dataChecks.js';
import { foldDataOnly } from './fold.js';
import { compilePrograms } from './programs.js';

/**
 * Compiles a model description (see {@link ModelSpec}) into a {@link CompiledModel}.
 *
 * @param specIn - a `ModelSpec` (typed `unknown` because it arrives as plain data, e.g. in a worker)
 * @param options - `{ wasm: false }` keeps every loop of the log density and gradient in JS; `{ sufficientStatistics: false }`
 *   keeps Gaussian-linear likelihoods as row loops (see {@link CompileOptions})
 * @returns the compiled model
 * @throws ModelError when data violate a distribution's constraints, or a kernel is unknown
 * @example
 * ```ts
 * import { Model, Normal } from 'nutmeg';
 * import { compileModelSpec } from 'nutmeg/kernels';
 * const m = new Model();
 * m.rv('x', Normal({ mu: 0, sigma: 1 }));
 * const again = compileModelSpec(m.compile().spec); // what a worker thread does
 * again.logDensityGrad(Float64Array.of(0), new Float64Array(1)); // -0.9189385332046728 (log of 1/√(2π))
 * ```
 */
export function compileModelSpec(specIn: unknown, options: CompileOptions = {}): CompiledModel {
  const ctx = createContext(specIn as ModelSpec, options);
  foldDataOnly(ctx);
  checkDataConstraints(ctx);
  const variables = ctx.spec.variables;
  const outputVars = [...variables.filter((v) => v.kind === 'free'), ...variables.filter((v) => v.kind === 'deterministic')];
  const programs = compilePrograms(ctx, outputVars.map((v) => v.node));
  return assembleCompiledModel(ctx, programs, outputVars);
}
