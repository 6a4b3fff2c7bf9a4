// A model re-laid for forward sampling: free variables become slots of constrained values, data are replaced, groups gain new levels, shapes follow.
import { ModelError, OptionError } from '../core/errors.js';
import type { CoordValues } from '../core/types.js';
import { broadcastShapes, formatShape, sizeOf, type GraphNode, type ModelSpec, type VariableSpec } from '../graph/graph.js';
import { KERNEL_SHAPES } from './kernelShapes.js';

/** New values of one data container: row-major values and their shape. */
export interface DataValues {
  readonly values: Float64Array;
  readonly shape: readonly number[];
}

/** A free variable's place in the forward model's vector of constrained values. */
export interface FreeSlot {
  readonly variable: VariableSpec;
  readonly offset: number;
  /** Shape in the forward model (larger than the fitted one along a dim with new levels). */
  readonly shape: readonly number[];
  /** Flat positions whose values are new (drawn from the prior given the rest), in increasing order. */
  readonly fresh: Int32Array;
  /** For each flat position that is not fresh, its flat position in the fitted variable (else -1). */
  readonly fittedPosition: Int32Array;
}

/** The forward model: a ModelSpec without log-density terms whose parameters are constrained values. */
export interface ForwardSpec {
  readonly spec: ModelSpec;
  readonly slots: readonly FreeSlot[];
  /** Every variable with its shape in the forward model (observed shapes follow their parameters). */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly coords: Record<string, CoordValues>;
}

/** What changes between the fitted model and the forward one. */
export interface ForwardChanges {
  /** New values of data containers, by name. */
  readonly data?: Readonly<Record<string, DataValues>>;
  /** Labels of new levels appended to a dim (a group not in the fitted data), by dim name. */
  readonly newLevels?: Readonly<Record<string, readonly string[]>>;
  /** Draw every free variable from its prior (prior predictive) instead of keeping fitted values. */
  readonly allFresh?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds the forward model of `spec` under `changes`.
 *
 * @throws OptionError for an unknown or non-data name, a wrong rank or trailing shape
 * @throws ModelError when the new shapes do not fit together (naming the replaced data)
 */
export function forwardSpec(spec: ModelSpec, changes: ForwardChanges = {}): ForwardSpec {
  const nodes: GraphNode[] = spec.nodes.slice();
  const changed = new Set<number>();
  const replacedNames = replaceData(spec, nodes, changes.data ?? {}, changed);
  const newLevels = changes.newLevels ?? {};
  const slots: FreeSlot[] = [];
  let offset = 0;
  for (const v of spec.variables) {
    if (v.kind !== 'free') continue;
    const shape = v.shape.map((s, k) => s + (newLevels[v.dims[k]]?.length ?? 0));
    nodes[v.node] = { kind: 'param', id: v.node, shape, label: v.name, offset };
    if (shape.some((s, k) => s !== v.shape[k])) changed.add(v.node);
    slots.push({ variable: v, offset, shape, ...freshPositions(v.shape, shape, changes.allFresh === true) });
    offset += sizeOf(shape);
  }
  reshape(nodes, changed, replacedNames);
  const shapes: Record<string, readonly number[]> = {};
  for (const v of spec.variables) shapes[v.name] = v.kind === 'observed' ? observedShape(v, nodes, changed, replacedNames) : nodes[v.node].shape;
  const coords = forwardCoords(spec, shapes, newLevels);
  // A free variable's node is now its own parameter slot, already constrained.
  const variables = spec.variables.map((v) => (v.kind === 'free' ? { ...v, shape: shapes[v.name], paramNode: v.node, transform: 'identity' } : { ...v, shape: shapes[v.name] }));
  return { spec: { nodes, terms: [], variables, coords, dim: offset }, slots, shapes, coords };
}

/** Puts the new data into `nodes`, checking names, ranks and trailing axes; returns a description for messages. */
function replaceData(spec: ModelSpec, nodes: GraphNode[], data: Readonly<Record<string, DataValues>>, changed: Set<number>): string {
  const names: string[] = [];
  for (const [name, d] of Object.entries(data)) {
    const v = spec.variables.find((x) => x.name === name);
    const dataNames = spec.variables.filter((x) => x.kind === 'data').map((x) => x.name);
    if (!v) throw new OptionError('data', `the model has no data container '${name}' (its data: ${dataNames.join(', ') || 'none; declare data with m.data'})`);
    if (v.kind !== 'data') throw new OptionError('data', `'${name}' is ${v.kind === 'observed' ? 'an observed variable' : `a ${v.kind} variable`}, not a data container (replaceable data are declared with m.data)`);
    const old = nodes[v.node] as Extract<GraphNode, { kind: 'data' }>;
    if (d.shape.length !== old.shape.length || d.shape.some((s, k) => k > 0 && s !== old.shape[k])) {
      throw new OptionError(`data.${name}`, `shape ${formatShape(d.shape)} does not fit the model's ${formatShape(old.shape)} (only the number of rows may change)`);
    }
    for (let i = 0; i < d.values.length; i++) {
      if (!Number.isFinite(d.values[i])) throw new OptionError(`data.${name}`, `element ${i} is ${d.values[i]}; data must be finite numbers`);
    }
    nodes[v.node] = { ...old, shape: [...d.shape], values: d.values };
    if (d.shape[0] !== old.shape[0]) changed.add(v.node);
    names.push(`${name} ${formatShape(d.shape)}`);
  }
  return names.join(', ');
}

/** Which flat positions of a (possibly extended) free variable are drawn afresh, and where the others were. */
function freshPositions(fitted: readonly number[], shape: readonly number[], allFresh: boolean): Pick<FreeSlot, 'fresh' | 'fittedPosition'> {
  const n = sizeOf(shape);
  const fresh: number[] = [];
  const fittedPosition = new Int32Array(n).fill(-1);
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let old = 0;
    let stride = 1;
    let isNew = allFresh;
    for (let a = shape.length - 1; a >= 0; a--) {
      const i = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
      if (i >= fitted[a]) isNew = true;
      old += i * stride;
      stride *= fitted[a];
    }
    if (isNew) fresh.push(flat);
    else fittedPosition[flat] = old;
  }
  return { fresh: Int32Array.from(fresh), fittedPosition };
}

/** Re-derives the shapes (and gather indices) of every node downstream of a changed one, in id order. */
function reshape(nodes: GraphNode[], changed: Set<number>, replaced: string): void {
  const fail = (n: GraphNode, why: string): never => {
    throw new ModelError(`the new data (${replaced}) do not fit the model: ${why} in ${n.label}; give every data container along one dim the same number of rows`);
  };
  for (let id = 0; id < nodes.length; id++) {
    const n = nodes[id];
    if (n.kind === 'ew' && n.args.some((a) => changed.has(a))) {
      let shape: number[] | null = [];
      for (const a of n.args) shape = shape && broadcastShapes(shape, nodes[a].shape);
      if (!shape) fail(n, `shapes ${n.args.map((a) => formatShape(nodes[a].shape)).join(' and ')} do not broadcast`);
      setShape(nodes, changed, n, shape as number[]);
    } else if (n.kind === 'gather' && (changed.has(n.src) || n.indexNode !== undefined)) {
      const index = n.indexNode === undefined ? n.index : Int32Array.from((nodes[n.indexNode] as Extract<GraphNode, { kind: 'data' }>).values);
      const length = nodes[n.src].shape[0];
      index.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || k >= length) fail(n, `row ${i} indexes position ${k} of ${length}`);
      });
      nodes[id] = { ...n, index, shape: [index.length] };
      if (index.length !== n.shape[0]) changed.add(id);
    } else if (n.kind === 'kernel' && n.args.some((a) => changed.has(a))) {
      const rule = KERNEL_SHAPES[n.op];
      if (!rule) fail(n, `kernel '${n.op}' cannot take inputs of new shapes`);
      const shape = rule(n.args.map((a) => nodes[a].shape), n.shape);
      if (typeof shape === 'string') fail(n, shape);
      setShape(nodes, changed, n, shape as number[]);
    }
  }
}

function setShape(nodes: GraphNode[], changed: Set<number>, n: GraphNode, shape: number[]): void {
  if (shape.length === n.shape.length && shape.every((s, k) => s === n.shape[k])) return;
  (nodes as Mutable<GraphNode>[])[n.id] = { ...n, shape };
  changed.add(n.id);
}

/** An observed variable's shape in the forward model: its parameters' broadcast shape when they changed. */
function observedShape(v: VariableSpec, nodes: readonly GraphNode[], changed: ReadonlySet<number>, replaced: string): readonly number[] {
  const params = Object.values(v.params ?? {});
  if (!params.some((p) => changed.has(p))) return v.shape;
  let shape: number[] | null = [];
  for (const p of params) shape = shape && broadcastShapes(shape, nodes[p].shape);
  if (!shape) throw new ModelError(`the new data (${replaced}) do not fit '${v.name}': its parameters have shapes ${params.map((p) => formatShape(nodes[p].shape)).join(', ')}`, v.name);
  return shape.length < v.shape.length ? v.shape : shape;
}

/** Coords of the forward model: dims with new levels are extended, dims that changed length are numbered 0…n−1. */
function forwardCoords(spec: ModelSpec, shapes: Readonly<Record<string, readonly number[]>>, newLevels: Readonly<Record<string, readonly string[]>>): Record<string, CoordValues> {
  const coords: Record<string, CoordValues> = { ...spec.coords };
  for (const [dim, labels] of Object.entries(newLevels)) coords[dim] = [...(spec.coords[dim] ?? []).map(String), ...labels];
  for (const v of spec.variables) {
    v.dims.forEach((dim, k) => {
      const length = shapes[v.name][k];
      if (dim in newLevels || coords[dim]?.length === length || length === undefined) return;
      if (dim in spec.coords && spec.coords[dim].length === length) return;
      coords[dim] = Array.from({ length }, (_, i) => i);
    });
  }
  return coords;
}
