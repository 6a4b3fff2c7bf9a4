// What the compiler's stages share for one model: the graph, the environment, and which nodes are parameter-dependent or folded.
//
// The compiler in this folder runs in stages (compile.ts calls them in order):
//   environment.ts  the closure of the generated code (buffers, constants, data-dependent integers)
//   plan.ts         which nodes get buffers, which loops fuse, which terms run by segments
//   gaussianLinear.ts  which Normal likelihoods run from per-group statistics instead of their rows
//   integers.ts,
//   lower.ts        graph nodes → scalar IR (src/ir/scalarIr.ts)
//   fuse.ts         loops: forward, backward and term stages, emitted by src/ir/fusedLoop.ts
//   fold.ts,
//   dataChecks.ts   work done once at compile time: data-only nodes, data-only domain checks
//   programs.ts     the generated functions (logp + gradient, logp, per-variable logp, outputs)
//   assemble.ts     those functions wrapped as a CompiledModel
import type { ElementwiseDistribution } from '../distributions/distribution.js';
import { FAMILIES, isElementwise } from '../distributions/registry.js';
import type { GraphNode, ModelSpec } from '../graph/graph.js';
import { Environment } from './environment.js';
import { parameterDependence } from './graphQueries.js';

/**
 * Which program is generated: `grad` (log density and gradient), `value` (log density),
 * `byVariable` (one log density per variable), `outputs` (constrained values and deterministics),
 * `fold` (data-only nodes, run once at compile time).
 */
export type Mode = 'grad' | 'value' | 'byVariable' | 'outputs' | 'fold';

/** The elementwise families by name: the records whose `logp` lowers a `dist` term. */
export const ELEMENTWISE: Record<string, ElementwiseDistribution> = {};
for (const f of Object.values(FAMILIES)) if (isElementwise(f)) ELEMENTWISE[f.name] = f;

/** The state of one compilation, shared by its stages. */
export interface CompileContext {
  readonly spec: ModelSpec;
  readonly nodes: readonly GraphNode[];
  readonly env: Environment;
  /** `paramDep[id]`: node `id` depends on a parameter. */
  readonly paramDep: readonly boolean[];
  /** Data-only nodes computed once at compile time (fold.ts), read from their buffers `v{id}`. */
  readonly folded: Set<number>;
  /** A fresh number for a kernel's local names (unique within the compilation). */
  nextLocal(): number;
  /** Whether the log density's and gradient's loops may run as generated WebAssembly (compile option `wasm`, default true). */
  readonly wasm: boolean;
  /** Whether Gaussian-linear likelihoods may use per-group statistics (compile option `sufficientStatistics`, default true; gaussianLinear.ts). */
  readonly sufficientStatistics: boolean;
}

/** Options of a compilation. */
export interface CompileOptions {
  /**
   * Run the supported loops of the log density and its gradient as generated WebAssembly (SIMD) when the engine allows it
   * (default true); false keeps every loop in JS. Both give the same values up to the order of
   * summation (see docs/wasm.md).
   */
  readonly wasm?: boolean;
  /**
   * Compute the log density and its gradient of an observed Normal whose mean is linear in
   * per-group values (`alpha[g] + beta[g] * x`) from per-group least-squares statistics, O(groups)
   * instead of O(rows), where that pays (default true); false keeps every row loop. Both give the
   * same values up to rounding (see docs/sufficient-statistics.md).
   */
  readonly sufficientStatistics?: boolean;
}

/** A fresh compilation of `spec`: an empty environment, nothing folded yet. */
export function createContext(spec: ModelSpec, options: CompileOptions = {}): CompileContext {
  let localCount = 0;
  return {
    spec,
    nodes: spec.nodes,
    env: new Environment(),
    paramDep: parameterDependence(spec.nodes),
    folded: new Set<number>(),
    nextLocal: () => localCount++,
    wasm: options.wasm ?? true,
    sufficientStatistics: options.sufficientStatistics ?? true,
  };
}
