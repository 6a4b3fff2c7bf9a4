// Lowering graph nodes to scalar IR: where a node's values are read (storage and broadcast index) and how inline nodes expand.
import type { IrBuilder, LoadRef, SNode } from '../ir/scalarIr.js';
import { sizeOf } from '../graph/graph.js';
import type { CompileContext } from './context.js';
import { isRowwiseMatvec, sameShape } from './graphQueries.js';
import { integerCode, offsetOf } from './integers.js';

/** The position read in node `id` at element i of node `out`'s shape (undefined for a scalar). */
export function positionIndex(ctx: CompileContext, b: IrBuilder, id: number, out: number): SNode | undefined {
  const shape = ctx.nodes[id].shape;
  const outShape = ctx.nodes[out].shape;
  const size = sizeOf(shape);
  if (size === 1) return undefined;
  if (sameShape(shape, outShape)) return b.index('i');
  // General NumPy broadcasting: decompose i over outShape, recompose over shape.
  const nd = outShape.length;
  const parts: string[] = [];
  let outStride = 1;
  let stride = 1;
  for (let k = nd - 1; k >= 0; k--) {
    const s = shape[shape.length - nd + k] ?? 1;
    if (s !== 1) parts.push(`((i / ${integerCode(ctx, out, `s${k}`, outStride)}) | 0) % ${integerCode(ctx, out, `d${k}`, outShape[k])} * ${integerCode(ctx, id, `s${k - nd + shape.length}`, stride)}`);
    outStride *= outShape[k];
    stride *= s;
  }
  return b.index(`(${parts.join(' + ')})`);
}

/**
 * Where node `id`'s values live: θ for a parameter, a constant for data, `v{id}` (and adjoint
 * `a{id}` when `gradient`) for a folded or materialized node.
 *
 * @throws Error (internal) for a node that is computed inline
 */
export function refOf(ctx: CompileContext, id: number, materialized: ReadonlySet<number>, gradient: boolean): LoadRef {
  const { nodes, env } = ctx;
  const n = nodes[id];
  if (n.kind === 'param') return { array: 'th', offset: offsetOf(ctx, n), adjoint: gradient ? 'g' : undefined, param: true };
  if (n.kind === 'data') return { array: env.constant(n.values), offset: 0, param: false };
  if (ctx.folded.has(id)) return { array: `v${id}`, offset: 0, param: false };
  if (materialized.has(id)) {
    env.buffer(`v${id}`, sizeOf(n.shape));
    if (gradient) env.buffer(`a${id}`, sizeOf(n.shape));
    // exp of a parameter of its shape (a positive parameter's transform): its log is the parameter.
    const source = n.kind === 'ew' && n.op === 'exp' ? nodes[n.args[0]] : undefined;
    const logOf = source?.kind === 'param' && sameShape(source.shape, n.shape) ? refOf(ctx, source.id, materialized, gradient) : undefined;
    return { array: `v${id}`, offset: 0, adjoint: gradient ? `a${id}` : undefined, param: true, ...(logOf ? { logOf } : {}) };
  }
  throw new Error(`internal: node ${id} (${n.kind}) has no storage`);
}

/** Per row order, the arrays already put in that order (data and index arrays read per row). */
const permutedArrays = new WeakMap<Int32Array, Map<Float64Array | Int32Array, Float64Array | Int32Array>>();

/** A lowering into one loop: `lower` reads or expands a node, `expand` always expands it, `permuted` reorders a per-row array. */
export interface Lowering {
  /** Node `id` at element i of node `out`: a load from its storage, or its expansion. */
  lower(id: number, out: number): SNode;
  /** Node `id`'s computation (elementwise op or gather) at element i of node `out`. */
  expand(id: number, out: number): SNode;
  /** `arr` with its rows in the loop's order (the array itself when rows are not reordered). */
  permuted<T extends Float64Array | Int32Array>(arr: T): T;
}

/**
 * Lowers graph nodes into IR builder `b` for one loop.
 *
 * @param perm - the loop's row order when rows are reordered (only data and index arrays are read per row then; see segmentPlan)
 */
export function makeLowering(ctx: CompileContext, b: IrBuilder, materialized: ReadonlySet<number>, gradient: boolean, perm?: Int32Array): Lowering {
  const { nodes, env, folded } = ctx;
  const isStored = (id: number): boolean => {
    const k = nodes[id].kind;
    return k === 'param' || k === 'data' || folded.has(id) || materialized.has(id);
  };
  // Shared by every loop and program of the compilation that uses this row order (segmentPlan is remembered).
  let permCache = perm ? permutedArrays.get(perm) : undefined;
  if (perm && !permCache) permutedArrays.set(perm, (permCache = new Map()));
  const permuted = <T extends Float64Array | Int32Array>(arr: T): T => {
    if (!perm) return arr;
    let p = permCache!.get(arr);
    if (!p) {
      const q = arr.slice() as T;
      for (let i = 0; i < perm.length; i++) q[i] = arr[perm[i]];
      p = q;
      permCache!.set(arr, p);
    }
    return p as T;
  };
  // `out` is the node whose elements the loop runs over.
  const lower = (id: number, out: number): SNode => {
    const n = nodes[id];
    if (n.kind === 'const') return b.c(n.value);
    if (perm && n.kind === 'data' && sameShape(n.shape, nodes[out].shape)) {
      return b.load({ array: env.constant(permuted(n.values)), offset: 0, param: false }, b.index('i'));
    }
    if (isStored(id)) return b.load(refOf(ctx, id, materialized, gradient), positionIndex(ctx, b, id, out));
    return expand(id, out);
  };
  const expand = (id: number, out: number): SNode => {
    const n = nodes[id];
    if (n.kind === 'ew') return applyOp(b, n.op, n.args.map((a) => lower(a, out)));
    if (n.kind === 'gather') {
      const pos = positionIndex(ctx, b, id, out);
      const idxName = env.constant(pos && pos.code === 'i' ? permuted(n.index) : n.index);
      const idx = b.index(`${idxName}[${pos ? (pos.code === 'i' ? 'i' : `t${pos.id}`) : '0'}]`, pos !== undefined);
      if (pos && pos.code !== 'i') throw new Error('internal: broadcast gathers are materialized');
      const src = nodes[n.src];
      if (src.kind === 'const') return b.c(src.value);
      return b.load(refOf(ctx, n.src, materialized, gradient), idx);
    }
    if (n.kind === 'const') return b.c(n.value);
    if (isRowwiseMatvec(nodes, n)) return rowwiseMatvec(id, out);
    throw new Error(`internal: cannot expand node ${id} (${n.kind})`);
  };
  // A data matrix's rows in the loop's order (row-major, `cols` columns).
  const permutedRows = (arr: Float64Array, cols: number): Float64Array => {
    if (!perm) return arr;
    let p = permCache!.get(arr) as Float64Array | undefined;
    if (!p) {
      p = new Float64Array(arr.length);
      for (let i = 0; i < perm.length; i++) for (let j = 0; j < cols; j++) p[i * cols + j] = arr[perm[i] * cols + j];
      permCache!.set(arr, p);
    }
    return p;
  };
  // matvec(M, v) at row i: Σ_j M[i·k + j]·v[j], unrolled over the k columns (see isRowwiseMatvec):
  // the same loop as predictors written as columns, with M read in place.
  const rowwiseMatvec = (id: number, out: number): SNode => {
    const n = nodes[id] as Extract<(typeof nodes)[number], { kind: 'kernel' }>;
    const m = nodes[n.args[0]] as Extract<(typeof nodes)[number], { kind: 'data' }>;
    const cols = m.shape[1];
    const pos = positionIndex(ctx, b, id, out);
    if (!pos || pos.code !== 'i') throw new Error('internal: a broadcast row-wise matvec is materialized');
    const array = env.constant(permutedRows(m.values, cols));
    const stride = integerCode(ctx, id, 'cols', cols);
    let sum: SNode | undefined;
    for (let j = 0; j < cols; j++) {
      const x = b.load({ array, offset: 0, param: false }, b.stridedIndex(stride, j));
      const term = b.mul(x, lowerElement(n.args[1], j));
      sum = sum ? b.add(sum, term) : term;
    }
    return sum ?? b.c(0);
  };
  // Element j (a literal) of a stored or constant vector node.
  const lowerElement = (id: number, j: number): SNode => {
    const n = nodes[id];
    if (n.kind === 'const') return b.c(n.value);
    if (!isStored(id)) throw new Error(`internal: matvec vector ${id} is not stored`);
    return b.load(refOf(ctx, id, materialized, gradient), sizeOf(n.shape) === 1 ? undefined : b.index(String(j), false));
  };
  return { lower, expand, permuted };
}

/** The IR of elementwise op `op` over `args` (the builder's named methods for arithmetic, `b.op` for the rest). */
function applyOp(b: IrBuilder, op: string, args: SNode[]): SNode {
  switch (op) {
    case 'add':
      return b.add(args[0], args[1]);
    case 'sub':
      return b.sub(args[0], args[1]);
    case 'mul':
      return b.mul(args[0], args[1]);
    case 'div':
      return b.div(args[0], args[1]);
    case 'neg':
      return b.neg(args[0]);
    case 'square':
      return b.square(args[0]);
    case 'log':
      return b.log(args[0]);
    case 'exp':
      return b.exp(args[0]);
    default:
      return b.op(op, ...args);
  }
}
