// Builds the model graph node by node, validating shapes and indices as the user writes the model.
import { ModelError } from '../core/errors.js';
import { SCALAR_OP_EVAL } from '../ir/scalarIr.js';
import '../ir/scalarOps.js';
import { broadcastShapes, formatShape, sizeOf, type GraphNode } from './graph.js';
import { Tensor, type TensorLike } from './tensor.js';

/** Flattens numbers, arrays and nested arrays (row-major) and reports their shape. */
export function toFlatArray(values: unknown, what: string): { values: Float64Array; shape: number[] } {
  if (typeof values === 'number') return { values: Float64Array.of(values), shape: [] };
  if (values instanceof Float64Array) return { values: values.slice(), shape: [values.length] };
  if (ArrayBuffer.isView(values)) {
    const a = values as unknown as ArrayLike<number>;
    return { values: Float64Array.from(a), shape: [a.length] };
  }
  if (Array.isArray(values)) {
    if (values.length > 0 && Array.isArray(values[0])) {
      const rows = values.map((r, i) => {
        if (!Array.isArray(r) || r.length !== (values[0] as unknown[]).length) {
          throw new ModelError(`${what}: row ${i} has length ${Array.isArray(r) ? r.length : 'n/a'}, expected ${(values[0] as unknown[]).length} (ragged nested array)`);
        }
        return toFlatArray(r, `${what}[${i}]`);
      });
      const out = new Float64Array(rows.length * rows[0].values.length);
      rows.forEach((r, i) => out.set(r.values, i * r.values.length));
      return { values: out, shape: [rows.length, ...rows[0].shape] };
    }
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number') throw new ModelError(`${what}: element ${i} is ${v instanceof Tensor ? 'a model tensor (arrays must hold numbers; combine tensors with tensor ops)' : `${String(JSON.stringify(v)).slice(0, 40)}, not a number`}`);
      out[i] = v;
    }
    return { values: out, shape: [values.length] };
  }
  throw new ModelError(`${what}: expected a number or an array of numbers`);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Appends validated nodes to a graph; every {@link Tensor} points into one of these. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  /** Index arrays by content, so that gathers with the same index share it (and its loads). */
  private readonly indexArrays = new Map<string, Int32Array[]>();
  /** Unconstrained size so far. */
  dim = 0;

  private push(node: DistributiveOmit<GraphNode, 'id'>): number {
    const id = this.nodes.length;
    this.nodes.push({ ...node, id } as unknown as GraphNode);
    return id;
  }

  /** A readable description of a tensor for messages. */
  label(t: Tensor): string {
    return this.nodes[t.id].label;
  }

  /** A constant scalar. */
  constant(value: number): Tensor {
    if (Number.isNaN(value)) throw new ModelError('constant: NaN is not a valid model constant');
    return new Tensor(this, this.push({ kind: 'const', shape: [], label: String(value), value }), []);
  }

  /** A data array (constant during inference). */
  data(values: Float64Array, shape: readonly number[], label: string): Tensor {
    return new Tensor(this, this.push({ kind: 'data', shape, label, values }), shape);
  }

  /** An unconstrained parameter block of `size` coordinates, laid out as `shape`. */
  param(shape: readonly number[], label: string): Tensor {
    const offset = this.dim;
    this.dim += sizeOf(shape);
    return new Tensor(this, this.push({ kind: 'param', shape, label, offset }), shape);
  }

  /** Turns numbers and arrays into constant/data nodes; tensors pass through. */
  lift(x: TensorLike): Tensor {
    if (x instanceof Tensor) {
      if (x.graph !== this) throw new ModelError('a tensor from another model was used in this one');
      return x;
    }
    if (typeof x === 'number') return this.constant(x);
    const flat = toFlatArray(x, 'array operand');
    for (let i = 0; i < flat.values.length; i++) {
      if (!Number.isFinite(flat.values[i])) throw new ModelError(`array operand: element ${i} is ${flat.values[i]}, not finite`);
    }
    return this.data(flat.values, flat.shape, `array[${flat.values.length}]`);
  }

  /** An elementwise op over broadcast operands. */
  ew(op: string, args: Tensor[]): Tensor {
    let shape: number[] | null = [];
    for (const a of args) shape = shape && broadcastShapes(shape, a.shape);
    if (!shape) throw new ModelError(`${op}: operand shapes ${args.map((a) => formatShape(a.shape)).join(', ')} do not broadcast`);
    // Constant folding: an op of scalar constants is a constant (so that, e.g., the width 1 − 0 of
    // a unit interval stays visible to the scalar IR's simplifications).
    const eval_ = SCALAR_OP_EVAL[op];
    const consts = args.map((a) => this.nodes[a.id]);
    if (eval_ && consts.every((n) => n.kind === 'const')) {
      const v = eval_(...consts.map((n) => (n as Extract<GraphNode, { kind: 'const' }>).value));
      if (!Number.isNaN(v)) return this.constant(v);
    }
    const label = `${op}(${args.map((a) => this.nodes[a.id].label).join(', ')})`;
    return new Tensor(this, this.push({ kind: 'ew', shape, label: label.length > 60 ? `${op}(…)` : label, op, args: args.map((a) => a.id) }), shape);
  }

  /**
   * `src[index[i]]` for a vector `src`; the index is integers, or a data tensor of integers (then
   * the gather remembers it, so that replacing the data for prediction re-indexes).
   */
  gather(src: Tensor, indexIn: ArrayLike<number> | Tensor): Tensor {
    const what = this.nodes[src.id].label;
    let index: ArrayLike<number>;
    let indexNode: number | undefined;
    if (indexIn instanceof Tensor) {
      const n = this.nodes[this.lift(indexIn).id];
      if (n.kind !== 'data' || n.shape.length !== 1) throw new ModelError(`at: the index into ${what} must be a vector of data (m.data), not ${n.label}`, what);
      index = n.values;
      indexNode = n.id;
    } else index = indexIn;
    if (src.shape.length !== 1) throw new ModelError(`at: ${what} has shape ${formatShape(src.shape)}; indexing needs a vector`);
    const n = src.shape[0];
    const idx = new Int32Array(index.length);
    for (let i = 0; i < index.length; i++) {
      const k = index[i];
      if (!Number.isInteger(k)) throw new ModelError(`at: index ${i} into ${what} is ${k}, not an integer`, what);
      if (k < 0 || k >= n) throw new ModelError(`at: index out of range into ${what}: position ${i} holds ${k}, but ${what} has ${n} elements (valid 0…${n - 1})`, what);
      idx[i] = k;
    }
    const shared = this.internIndex(idx);
    const node = { kind: 'gather' as const, shape: [idx.length], label: `${what}[…]`, src: src.id, index: shared };
    return new Tensor(this, this.push(indexNode === undefined ? node : { ...node, indexNode }), [idx.length]);
  }

  private internIndex(idx: Int32Array): Int32Array {
    let h = 2166136261;
    for (let i = 0; i < idx.length; i++) h = Math.imul(h ^ idx[i], 16777619);
    const key = `${idx.length}:${h >>> 0}`;
    const bucket = this.indexArrays.get(key) ?? [];
    for (const a of bucket) if (a.every((v, i) => v === idx[i])) return a;
    bucket.push(idx);
    this.indexArrays.set(key, bucket);
    return idx;
  }

  /** A non-elementwise kernel (sum, dot, matvec, stick-breaking, …). */
  kernel(op: string, args: Tensor[], shape: readonly number[], attrs: Record<string, number | string | Float64Array>): Tensor {
    const label = `${op}(${args.map((a) => this.nodes[a.id].label).join(', ')})`;
    return new Tensor(this, this.push({ kind: 'kernel', shape, label: label.length > 60 ? `${op}(…)` : label, op, args: args.map((a) => a.id), attrs }), shape);
  }
}
