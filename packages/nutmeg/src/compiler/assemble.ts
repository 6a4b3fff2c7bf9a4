// Wraps a model's generated programs as a CompiledModel: the LogDensity, its variable layout, and conversions between spaces.
import { sizeOf, type GraphNode, type VariableSpec } from '../graph/graph.js';
import type { CompiledModel, ObservedInfo, VariableInfo } from './compiledModel.js';
import type { CompileContext } from './context.js';
import type { Programs } from './programs.js';
import { unconstrainValues } from './unconstrain.js';

/** Where an output variable's values are after the `outputs` program: in θ at an offset, or in an array. */
interface OutputSource {
  readonly inTheta: boolean;
  readonly array: Float64Array;
  readonly offset: number;
  readonly size: number;
}

/**
 * The CompiledModel of a compilation whose programs are compiled.
 *
 * @param outputVars - free variables then deterministics (the order of `variables` and of `constrainRows`' buffers)
 */
export function assembleCompiledModel(ctx: CompileContext, programs: Programs, outputVars: readonly VariableSpec[]): CompiledModel {
  const { spec, nodes, env } = ctx;
  const freeVars = outputVars.filter((v) => v.kind === 'free');
  const termVarNames = [...new Set(spec.terms.map((t) => t.variable))];
  const readOutput = (th: Float64Array, id: number): Float64Array => {
    const n = nodes[id];
    if (n.kind === 'param') return th.slice(n.offset, n.offset + sizeOf(n.shape));
    if (n.kind === 'data') return n.values.slice();
    if (n.kind === 'const') return Float64Array.of(n.value);
    return (env.values[`v${id}`] as Float64Array).slice();
  };
  const outputSources = outputVars.map((v): OutputSource => {
    const n = nodes[v.node];
    const size = sizeOf(v.shape);
    if (n.kind === 'param') return { inTheta: true, array: new Float64Array(0), offset: n.offset, size };
    if (n.kind === 'data') return { inTheta: false, array: n.values, offset: 0, size };
    if (n.kind === 'const') return { inTheta: false, array: Float64Array.of(n.value), offset: 0, size };
    return { inTheta: false, array: env.values[`v${v.node}`] as Float64Array, offset: 0, size };
  });
  const rowScratch = new Float64Array(spec.dim);
  const dim = spec.dim;
  const termOut = new Float64Array(termVarNames.length);
  const { outputs: outputsFn } = programs;
  const compiled: CompiledModel = {
    dim,
    variables: variableInfos(ctx, outputVars),
    coords: spec.coords,
    observed: observedInfos(ctx),
    spec,
    logDensityGrad(x, gradOut) {
      const lp = programs.logDensityGrad(x, gradOut);
      return lp < Infinity ? lp : -Infinity; // NaN and +Infinity are not densities
    },
    logDensity(x) {
      const lp = programs.logDensity(x);
      return lp < Infinity ? lp : -Infinity; // NaN and +Infinity are not densities
    },
    logDensityByVariable(x) {
      programs.byVariable(x, termOut);
      const out: Record<string, number> = {};
      termVarNames.forEach((name, k) => (out[name] = termOut[k] < Infinity ? termOut[k] : -Infinity));
      return out;
    },
    constrainRows(thetas, nRows, out, firstRow) {
      const x = rowScratch;
      for (let r = 0; r < nRows; r++) {
        for (let j = 0; j < dim; j++) x[j] = thetas[r * dim + j];
        outputsFn(x);
        for (let k = 0; k < outputSources.length; k++) {
          const { inTheta, array, offset, size } = outputSources[k];
          const from = inTheta ? x : array;
          const to = out[k];
          const base = (firstRow + r) * size;
          for (let j = 0; j < size; j++) to[base + j] = from[offset + j];
        }
      }
    },
    constrain(x) {
      outputsFn(x);
      const out: Record<string, Float64Array> = {};
      outputVars.forEach((v) => (out[v.name] = readOutput(x, v.node)));
      return out;
    },
    unconstrain: (values) => unconstrainValues(spec, freeVars, values),
    initialPoint() {
      const th = new Float64Array(dim);
      for (const v of freeVars) {
        const pn = nodes[v.paramNode as number] as Extract<GraphNode, { kind: 'param' }>;
        if (v.initialUnconstrained) th.set(v.initialUnconstrained, pn.offset);
      }
      return th;
    },
  };
  // For profiling the generated code (not part of the API): the closure environment.
  Object.defineProperty(compiled, '__env', { value: env.values, enumerable: false });
  Object.defineProperty(compiled, '__sources', { value: env.sources, enumerable: false });
  return compiled;
}

/** What results need to know of each output variable (free ones with their place in θ). */
function variableInfos(ctx: CompileContext, outputVars: readonly VariableSpec[]): VariableInfo[] {
  return outputVars.map((v) => {
    if (v.kind === 'deterministic') return { name: v.name, kind: 'deterministic', shape: v.shape, dims: v.dims };
    const pn = ctx.nodes[v.paramNode as number] as Extract<GraphNode, { kind: 'param' }>;
    return { name: v.name, kind: 'free', shape: v.shape, dims: v.dims, transform: v.transform, offset: pn.offset, unconstrainedSize: sizeOf(pn.shape), discrete: false };
  });
}

/** The observed variables and their data, for the `observed_data` group. */
function observedInfos(ctx: CompileContext): ObservedInfo[] {
  return ctx.spec.variables
    .filter((v) => v.kind === 'observed')
    .map((v) => ({ name: v.name, dims: v.dims, shape: v.shape, values: (ctx.nodes[v.node] as Extract<GraphNode, { kind: 'data' }>).values }));
}
