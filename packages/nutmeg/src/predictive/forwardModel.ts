// The forward model compiled: set the constrained values, evaluate every node, draw variables from their distributions, score observations.
import { ModelError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { compileModelSpec } from '../compiler/compile.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { compilePointwiseLogp } from '../compiler/pointwiseLogp.js';
import { drawElements } from '../distributions/draw.js';
import { FAMILIES, isElementwise, type DistributionFamily } from '../distributions/registry.js';
import { sizeOf, type GraphNode, type VariableSpec } from '../graph/graph.js';
import { broadcastTo } from './broadcast.js';
import type { ForwardSpec } from './forwardSpec.js';

/**
 * A compiled forward model. Set `theta` (the constrained values of the free variables, laid out
 * by `ForwardSpec.slots`), call {@link ForwardModel.evaluate}, then read any node's value, draw a
 * variable or score observations. One generated program computes every node needed.
 */
export class ForwardModel {
  readonly theta: Float64Array;
  private readonly compiled: CompiledModel;
  private readonly buffers: Float64Array[];
  private readonly bufferOf = new Map<number, number>();
  private readonly nodes: readonly GraphNode[];

  constructor(readonly forward: ForwardSpec) {
    const { spec } = forward;
    this.nodes = spec.nodes;
    const wanted = new Set<number>();
    for (const v of spec.variables) {
      if (v.kind === 'deterministic') wanted.add(v.node);
      if (v.kind === 'free' || v.kind === 'observed') for (const id of Object.values(v.params ?? {})) wanted.add(id);
    }
    const outputs: VariableSpec[] = [...spec.variables.filter((v) => v.kind === 'free')];
    for (const id of wanted) {
      const n = spec.nodes[id];
      if (n.kind === 'ew' || n.kind === 'gather' || n.kind === 'kernel') outputs.push({ name: `#${id}`, kind: 'deterministic', node: id, shape: n.shape, dims: [] });
    }
    this.compiled = compileModelSpec({ ...spec, variables: outputs });
    this.buffers = this.compiled.variables.map((v) => new Float64Array(sizeOf(v.shape)));
    this.compiled.variables.forEach((v, k) => this.bufferOf.set(outputs[k].node, k));
    this.theta = new Float64Array(spec.dim);
  }

  /** Computes every node from `theta`. */
  evaluate(): void {
    this.compiled.constrainRows(this.theta, 1, this.buffers, 0);
  }

  /** The value of node `id` after the last {@link ForwardModel.evaluate} (a view; copy to keep). */
  value(id: number): Float64Array {
    const n = this.nodes[id];
    if (n.kind === 'data') return n.values;
    if (n.kind === 'const') return Float64Array.of(n.value);
    const k = this.bufferOf.get(id);
    if (k === undefined) throw new Error(`internal: node ${id} (${n.label}) is not an output of the forward model`);
    return this.buffers[k];
  }

  /** The current value of a variable (free, deterministic, data or observed) by spec. */
  variableValue(v: VariableSpec): Float64Array {
    return this.value(v.node);
  }

  /**
   * Draws variable `v` (free or observed) from its distribution given the current values, into
   * `out` (its size in the forward model). Only the flat positions in `positions` are drawn when given.
   *
   * @throws ModelError for an improper prior (Flat, HalfFlat) or an unknown family
   */
  draw(v: VariableSpec, rng: Rng, out: Float64Array, positions?: Int32Array): void {
    const family = familyOf(v);
    const shape = this.forward.shapes[v.name];
    const params = this.paramValues(v, shape, isElementwise(family));
    if (isElementwise(family)) {
      if (!positions) {
        drawElements(family, params, out, rng, { variable: v.name });
        return;
      }
      const picked: Record<string, Float64Array> = {};
      for (const [k, a] of Object.entries(params)) picked[k] = a.length === 1 ? a : Float64Array.from(positions, (j) => a[j]);
      const drawn = drawElements(family, picked, new Float64Array(positions.length), rng, { variable: v.name });
      positions.forEach((j, i) => (out[j] = drawn[i]));
      return;
    }
    let whole: Float64Array;
    try {
      whole = family.sample(rng, params, shape);
    } catch (e) {
      throw new ModelError(`'${v.name}': cannot draw from ${family.name}: ${(e as Error).message}`, v.name, { cause: e });
    }
    if (positions) for (const j of positions) out[j] = whole[j];
    else out.set(whole);
  }

  /**
   * The pointwise log density of observed variable `v` at its data, given the current values, into
   * `out` (one value per element; -Infinity everywhere when an element is outside the support).
   *
   * @throws ModelError for a composite family (its density is not elementwise)
   */
  logLikelihood(v: VariableSpec, out: Float64Array): void {
    const family = familyOf(v);
    if (!isElementwise(family)) throw new ModelError(`'${v.name}': the pointwise log-likelihood of a ${family.name} observation is not available (it is not elementwise)`, v.name);
    const shape = this.forward.shapes[v.name];
    const params = this.paramValues(v, shape, true);
    const names = Object.keys(params);
    const arrays = names.map((k) => params[k]);
    const fn = compilePointwiseLogp(family, names, arrays.map((a) => a.length === 1));
    const x = (this.nodes[v.node] as Extract<GraphNode, { kind: 'data' }>).values;
    if (!fn(x, arrays, out, out.length)) out.fill(-Infinity);
  }

  /** Parameter values of `v`; broadcast to its shape for an elementwise family (a composite takes them as they are). */
  private paramValues(v: VariableSpec, shape: readonly number[], broadcast: boolean): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    for (const [k, id] of Object.entries(v.params ?? {})) out[k] = broadcast ? broadcastTo(this.value(id), this.nodes[id].shape, shape) : this.value(id);
    return out;
  }
}

/** The family of a free or observed variable. */
function familyOf(v: VariableSpec): DistributionFamily {
  const family = v.dist === undefined ? undefined : FAMILIES[v.dist];
  if (!family || !v.params) throw new ModelError(`'${v.name}': no distribution recorded for this variable`, v.name);
  return family;
}
