// From constrained values to the unconstrained vector: each free variable's transform inverted, with bounds read from its prior.
import { ModelError } from '../core/errors.js';
import { TRANSFORMS } from '../transforms/bijectTo.js';
import { sizeOf, type GraphNode, type ModelSpec, type TermSpec, type VariableSpec } from '../graph/graph.js';
import { ELEMENTWISE } from './context.js';

/**
 * The unconstrained vector for given constrained values of every free variable.
 *
 * @throws ModelError when a value is missing, has the wrong size or lies outside its support
 */
export function unconstrainValues(spec: ModelSpec, freeVars: readonly VariableSpec[], values: Record<string, number | ArrayLike<number>>): Float64Array {
  const th = new Float64Array(spec.dim);
  for (const v of freeVars) {
    const given = values[v.name];
    if (given === undefined) throw new ModelError(`unconstrain: no value given for '${v.name}'`, v.name);
    const arr = typeof given === 'number' ? Float64Array.of(given) : Float64Array.from(given);
    if (arr.length !== sizeOf(v.shape)) throw new ModelError(`unconstrain: '${v.name}' needs ${sizeOf(v.shape)} values, got ${arr.length}`, v.name);
    const transform = TRANSFORMS[v.transform as string];
    const bounds = numericBounds(spec, v.name);
    const y = inverseWithBounds((v, b) => transform.inverse(v, b), arr, bounds);
    const pn = spec.nodes[v.paramNode as number] as Extract<GraphNode, { kind: 'param' }>;
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i])) throw new ModelError(`unconstrain: '${v.name}' element ${i} = ${arr[i]} is outside its support`, v.name);
    }
    th.set(y, pn.offset);
  }
  return th;
}

/** Numeric interval bounds of a free variable: numbers, or per-element arrays from data. */
function numericBounds(spec: ModelSpec, name: string): { lower?: number | Float64Array; upper?: number | Float64Array } | undefined {
  const lower = spec.variables.find((v) => v.name === name)?.lower;
  if (lower !== undefined) return { lower };
  const term = spec.terms.find((t) => t.kind === 'dist' && t.variable === name) as Extract<TermSpec, { kind: 'dist' }> | undefined;
  if (!term) return undefined;
  const dist = ELEMENTWISE[term.dist];
  if (!dist || (dist.support.kind !== 'interval' && dist.support.kind !== 'unit')) return undefined;
  if (dist.support.kind === 'unit') return { lower: 0, upper: 1 };
  const value = (id: number | undefined): number | Float64Array | undefined => {
    if (id === undefined) return undefined;
    const n = spec.nodes[id];
    if (n.kind === 'const') return n.value;
    if (n.kind === 'data') return n.values.length === 1 ? n.values[0] : n.values;
    throw new ModelError(`unconstrain: the bounds of '${name}' depend on other parameters; give an unconstrained initial point instead`, name);
  };
  return { lower: value(term.params[dist.support.lower]), upper: value(term.params[dist.support.upper]) };
}

/** Applies a transform's inverse elementwise when the bounds differ per element. */
function inverseWithBounds(
  inverse: (x: Float64Array, b?: { lower?: number; upper?: number }) => Float64Array,
  x: Float64Array,
  bounds: { lower?: number | Float64Array; upper?: number | Float64Array } | undefined,
): Float64Array {
  if (!bounds || (typeof bounds.lower !== 'object' && typeof bounds.upper !== 'object')) return inverse(x, bounds as { lower?: number; upper?: number });
  const at = (v: number | Float64Array | undefined, i: number): number | undefined => (typeof v === 'object' ? v[i % v.length] : v);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = inverse(x.subarray(i, i + 1), { lower: at(bounds.lower, i), upper: at(bounds.upper, i) })[0];
  return out;
}
