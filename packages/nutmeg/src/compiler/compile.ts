// The model compiler: plans fused loops over the graph and generates the log density's JS once.
//
// Plan. Every graph node is either *inlined* into the loop of its single consumer (elementwise
// ops and gathers), *materialized* into a preallocated buffer (kernels, nodes with several
// consumers or used by a gather/kernel, outputs), a *leaf* read in place (parameters straight
// from the unconstrained vector, data, constants), or *folded* (data-only work, done once at
// compile time). Each log-density term becomes one fused loop (forward, density and reverse
// pass together); each materialized node gets a forward loop and, in reverse order after the
// terms, a backward loop. The result is one generated function with no allocation per call.
import { ModelError } from '../core/errors.js';
import { emitFusedLoop, type DomainCheck, type FusedLoopSpec } from '../ir/fusedLoop.js';
import { KERNELS, type KernelInput } from '../ir/kernels.js';
import { IrBuilder, type LoadRef, type SNode } from '../ir/scalarIr.js';
import { SCALAR_FUNCTIONS } from '../ir/scalarOps.js';
import * as C from '../distributions/continuous.js';
import * as D from '../distributions/discrete.js';
import type { ElementwiseDistribution } from '../distributions/distribution.js';
import { TRANSFORMS } from '../transforms/bijectTo.js';
import type { CompiledModel, ObservedInfo, VariableInfo } from './compiledModel.js';
import { sizeOf, type GraphNode, type ModelSpec, type TermSpec } from '../graph/graph.js';

const ELEMENTWISE: Record<string, ElementwiseDistribution> = {};
for (const d of [...Object.values(C), ...Object.values(D)]) {
  if (typeof d === 'object' && d !== null && 'logp' in d) ELEMENTWISE[(d as ElementwiseDistribution).name] = d as ElementwiseDistribution;
}

type Mode = 'grad' | 'value' | 'byVariable' | 'outputs' | 'fold';

type SnapshotMaker = (v: Record<string, unknown>) => Record<string, unknown>;
const snapshotMakers = new Map<string, SnapshotMaker>();

/**
 * Zeroes a buffer in generated code: a loop for short buffers (TypedArray.prototype.fill has a
 * fixed cost of tens of ns, more than the whole gradient of a small model), `fill` for long ones.
 */
const zeroBuffer = (name: string): string => `if (${name}.length < 64) { for (let i = 0; i < ${name}.length; i++) ${name}[i] = 0; } else ${name}.fill(0);`;

/**
 * Shared closure environment of the generated programs: buffers, constant arrays and the integers
 * that depend on data (sizes, offsets). The generated sources name these and never spell their
 * values, so models of one structure over data of different sizes get byte-identical sources and
 * V8 reuses its compiled code for them (fitting the same model to many data sets, e.g. one per
 * county, would otherwise compile and optimise every fit from cold: ~10% of such a run).
 */
class Environment {
  readonly values: Record<string, unknown> = { ...SCALAR_FUNCTIONS };
  private readonly arrays = new Map<unknown, string>();
  private count = 0;
  /** Every generated program's source, for reading and profiling (`compiled.__sources`). */
  readonly sources: string[] = [];
  constant(arr: Float64Array | Int32Array): string {
    const found = this.arrays.get(arr);
    if (found) return found;
    const name = `k${this.count++}`;
    this.values[name] = arr;
    this.arrays.set(arr, name);
    return name;
  }
  /**
   * A fresh object literal holding the current constants. Built by an object literal, it has a
   * fixed shape with fields V8 treats as constant, so optimised code embeds the arrays (an object
   * grown key by key can fall into dictionary mode, which costs ~50% on the radon gradient).
   */
  private snapshot(): Record<string, unknown> {
    const names = Object.keys(this.values);
    const key = names.join(',');
    // One maker per list of names, shared by every model of the same structure: their snapshots
    // then share one hidden class, and the shared generated code stays monomorphic on them.
    let make = snapshotMakers.get(key);
    if (!make) {
      make = new Function('v', `return { ${names.map((n) => `${n}: v.${n}`).join(', ')} };`) as SnapshotMaker;
      if (snapshotMakers.size >= 256) snapshotMakers.clear();
      snapshotMakers.set(key, make);
    }
    return make(this.values);
  }

  /** Registers a data-dependent integer under a structural name (such as `n12`, the size of node 12). */
  integer(name: string, value: number): string {
    if (name in this.values && this.values[name] !== value) throw new Error(`internal: ${name} is both ${String(this.values[name])} and ${value}`);
    this.values[name] = value;
    return name;
  }

  buffer(name: string, size: number): string {
    if (!(name in this.values)) this.values[name] = new Float64Array(size);
    return name;
  }
  compile<T>(params: string[], body: string): T {
    const names = Object.keys(this.values);
    // The closure constants are re-bound as locals on entry: V8 then keeps them in registers and
    // hoists their checks out of the loops (context-slot loads inside hot loops are slower).
    const src = `const E = env;\nreturn function (${params.join(', ')}) {\nconst { ${names.join(', ')} } = E;\n${body}\n};`;
    this.sources.push(src);
    return new Function('env', src)(this.snapshot()) as T;
  }
}

/** Compiles a model description (see {@link ModelSpec}) into a {@link CompiledModel}. */
export function compileModelSpec(specIn: unknown): CompiledModel {
  const spec = specIn as ModelSpec;
  const nodes = spec.nodes;
  const env = new Environment();
  let localCount = 0;

  const paramDep: boolean[] = nodes.map(() => false);
  for (const n of nodes) {
    if (n.kind === 'param') paramDep[n.id] = true;
    else if (n.kind === 'ew' || n.kind === 'kernel') paramDep[n.id] = n.args.some((a) => paramDep[a]);
    else if (n.kind === 'gather') paramDep[n.id] = paramDep[n.src];
  }
  const argsOf = (n: GraphNode): readonly number[] => (n.kind === 'ew' || n.kind === 'kernel' ? n.args : n.kind === 'gather' ? [n.src] : []);
  const termNodes = (t: TermSpec): number[] => (t.kind === 'dist' ? [t.value, ...Object.values(t.params)] : [t.expr]);
  /** The node whose elements a term runs over. */
  const termNode = (t: TermSpec): number => (t.kind === 'dist' ? t.value : t.expr);
  const termShape = (t: TermSpec): readonly number[] => nodes[termNode(t)].shape;

  /** Which nodes a program needs and which of them get buffers. */
  function plan(termList: readonly TermSpec[], outputs: readonly number[], foldAll: boolean) {
    const needed = new Set<number>();
    const visit = (id: number): void => {
      if (needed.has(id)) return;
      needed.add(id);
      for (const a of argsOf(nodes[id])) visit(a);
    };
    for (const t of termList) termNodes(t).forEach(visit);
    outputs.forEach(visit);
    const consumers = new Map<number, { count: number; special: boolean }>();
    const use = (id: number, special: boolean): void => {
      const c = consumers.get(id) ?? { count: 0, special: false };
      c.count++;
      c.special ||= special;
      consumers.set(id, c);
    };
    for (const id of needed) {
      const n = nodes[id];
      if (n.kind === 'ew') n.args.forEach((a) => use(a, sizeOf(nodes[a].shape) !== 1 && !sameShape(nodes[a].shape, n.shape)));
      else if (n.kind === 'gather') use(n.src, true);
      else if (n.kind === 'kernel') n.args.forEach((a) => use(a, true));
    }
    for (const t of termList) {
      const shape = termShape(t);
      for (const id of termNodes(t)) use(id, sizeOf(nodes[id].shape) !== 1 && !sameShape(nodes[id].shape, shape));
    }
    for (const id of outputs) use(id, true);
    const materialized = new Set<number>();
    for (const id of needed) {
      const n = nodes[id];
      if (n.kind === 'param' || n.kind === 'data' || n.kind === 'const') continue;
      if (!paramDep[id] && !foldAll) continue; // folded: computed once by the fold program
      const c = consumers.get(id);
      if (n.kind === 'kernel' || (c && (c.count > 1 || c.special))) materialized.add(id);
    }
    return { needed, materialized };
  }

  // Fold data-only computations once (they are loaded from their buffers afterwards).
  const folded = new Set<number>();
  {
    const allTermsNodes = new Set<number>();
    const all: number[] = [];
    for (const n of nodes) if ((n.kind === 'ew' || n.kind === 'gather' || n.kind === 'kernel') && !paramDep[n.id]) all.push(n.id);
    if (all.length > 0) {
      // Materialize every data-only computed node that a param-dependent node or a term uses.
      for (const n of nodes) for (const a of argsOf(n)) if (!paramDep[a]) allTermsNodes.add(a);
      for (const t of spec.terms) for (const id of termNodes(t)) allTermsNodes.add(id);
      for (const v of spec.variables) allTermsNodes.add(v.node);
      const targets = all.filter((id) => allTermsNodes.has(id));
      const code: string[] = [];
      for (const id of targets) {
        folded.add(id);
        env.buffer(`v${id}`, sizeOf(nodes[id].shape));
      }
      for (const id of targets) code.push(forwardStage(id, new Set(targets), 'fold'));
      env.compile<() => void>([], code.join('\n'))();
    }
  }

  // ---- lowering graph nodes to scalar IR -------------------------------------------------
  // ---- data-dependent integers, by structural names ----------------------------------------
  // Sizes of 1 are structural (they decide broadcasting) and stay literal; every other size,
  // stride and offset is named after the node it belongs to, never after its value, so that
  // equal sizes in one model and different sizes in another do not change the source.

  /** The element count of node `id`, as an IR node. */
  function countOf(b: IrBuilder, id: number): SNode {
    const size = sizeOf(nodes[id].shape);
    return size === 1 ? b.c(1) : b.size(env.integer(`n${id}`, size));
  }
  /** The element count of node `id`, as JS code. */
  function countCode(id: number): string {
    const size = sizeOf(nodes[id].shape);
    return size === 1 ? '1' : env.integer(`n${id}`, size);
  }
  /** JS code of `value`, a size-derived integer of node `id` (`part` names which one). */
  function integerCode(id: number, part: string, value: number): string {
    return value === 1 ? '1' : env.integer(`n${id}_${part}`, value);
  }

  /** The offset of a parameter node in θ: literal when only scalar parameters precede it. */
  function offsetOf(n: Extract<GraphNode, { kind: 'param' }>): number | string {
    const afterNonScalar = nodes.some((m) => m.kind === 'param' && m.offset < n.offset && sizeOf(m.shape) !== 1);
    return afterNonScalar ? env.integer(`o${n.id}`, n.offset) : n.offset;
  }

  /** The position read in node `id` at element i of node `out`'s shape (undefined for a scalar). */
  function positionIndex(b: IrBuilder, id: number, out: number): SNode | undefined {
    const shape = nodes[id].shape;
    const outShape = nodes[out].shape;
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
      if (s !== 1) parts.push(`((i / ${integerCode(out, `s${k}`, outStride)}) | 0) % ${integerCode(out, `d${k}`, outShape[k])} * ${integerCode(id, `s${k - nd + shape.length}`, stride)}`);
      outStride *= outShape[k];
      stride *= s;
    }
    return b.index(`(${parts.join(' + ')})`);
  }

  function refOf(id: number, materialized: ReadonlySet<number>, gradient: boolean): LoadRef {
    const n = nodes[id];
    if (n.kind === 'param') return { array: 'th', offset: offsetOf(n), adjoint: gradient ? 'g' : undefined, param: true };
    if (n.kind === 'data') return { array: env.constant(n.values), offset: 0, param: false };
    if (folded.has(id)) return { array: `v${id}`, offset: 0, param: false };
    if (materialized.has(id)) {
      env.buffer(`v${id}`, sizeOf(n.shape));
      if (gradient) env.buffer(`a${id}`, sizeOf(n.shape));
      return { array: `v${id}`, offset: 0, adjoint: gradient ? `a${id}` : undefined, param: true };
    }
    throw new Error(`internal: node ${id} (${n.kind}) has no storage`);
  }

  function makeLowering(b: IrBuilder, materialized: ReadonlySet<number>, gradient: boolean, perm?: Int32Array) {
    const isStored = (id: number): boolean => {
      const k = nodes[id].kind;
      return k === 'param' || k === 'data' || folded.has(id) || materialized.has(id);
    };
    // Rows reordered by `perm` (only data and index arrays are read per row then; see termStage).
    const permCache = new Map<Float64Array | Int32Array, Float64Array | Int32Array>();
    const permuted = <T extends Float64Array | Int32Array>(arr: T): T => {
      if (!perm) return arr;
      let p = permCache.get(arr);
      if (!p) {
        const q = arr.slice() as T;
        for (let i = 0; i < perm.length; i++) q[i] = arr[perm[i]];
        p = q;
        permCache.set(arr, p);
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
      if (isStored(id)) return b.load(refOf(id, materialized, gradient), positionIndex(b, id, out));
      return expand(id, out);
    };
    const expand = (id: number, out: number): SNode => {
      const n = nodes[id];
      if (n.kind === 'ew') return applyOp(b, n.op, n.args.map((a) => lower(a, out)));
      if (n.kind === 'gather') {
        const pos = positionIndex(b, id, out);
        const idxName = env.constant(pos && pos.code === 'i' ? permuted(n.index) : n.index);
        const idx = b.index(`${idxName}[${pos ? (pos.code === 'i' ? 'i' : `t${pos.id}`) : '0'}]`, pos !== undefined);
        if (pos && pos.code !== 'i') throw new Error('internal: broadcast gathers are materialized');
        const src = nodes[n.src];
        if (src.kind === 'const') return b.c(src.value);
        return b.load(refOf(n.src, materialized, gradient), idx);
      }
      if (n.kind === 'const') return b.c(n.value);
      throw new Error(`internal: cannot expand node ${id} (${n.kind})`);
    };
    return { lower, expand, permuted };
  }

  /**
   * Chooses how to run a term's loop segment-wise: an index array of loop length, read at row i by
   * a gather, with few distinct values. Rows are reordered so that the index is sorted when every
   * per-row read is data or an index (the sum over rows does not depend on their order);
   * otherwise only an index that is already sorted is used.
   */
  function segmentPlan(group: readonly TermSpec[], shape: readonly number[], materialized: ReadonlySet<number>): { index: Int32Array; perm?: Int32Array } | undefined {
    const n = sizeOf(shape);
    if (n < 8) return undefined;
    let candidate: Int32Array | undefined;
    let rowReadsOnlyData = true;
    const seen = new Set<number>();
    const scan = (id: number): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const node = nodes[id];
      const stored = node.kind === 'param' || node.kind === 'data' || folded.has(id) || materialized.has(id);
      if (stored) {
        if (node.kind !== 'data' && sameShape(node.shape, shape)) rowReadsOnlyData = false;
        return;
      }
      if (node.kind === 'gather') {
        if (sameShape(node.shape, shape) && !candidate) {
          const distinct = new Set(node.index).size;
          if (distinct <= n / 2) candidate = node.index;
        }
        return;
      }
      for (const a of argsOf(node)) scan(a);
    };
    for (const t of group) termNodes(t).forEach(scan);
    if (!candidate) return undefined;
    let sorted = true;
    for (let i = 1; i < n; i++) if (candidate[i] < candidate[i - 1]) sorted = false;
    if (sorted) return { index: candidate };
    if (!rowReadsOnlyData) return undefined;
    const perm = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => candidate![x] - candidate![y] || x - y);
    return { index: candidate, perm };
  }

  function kernelInputs(id: number, materialized: ReadonlySet<number>, gradient: boolean): KernelInput[] {
    const n = nodes[id] as Extract<GraphNode, { kind: 'kernel' }>;
    return n.args.map((a) => {
      const an = nodes[a];
      if (an.kind === 'const') return { size: 1, count: '1', shape: [], read: () => String(an.value), adj: () => null };
      const ref = refOf(a, materialized, gradient);
      const at = (j: string): string => (ref.offset === 0 ? j : `${ref.offset} + ${j}`);
      return {
        size: sizeOf(an.shape),
        count: countCode(a),
        shape: an.shape,
        read: (j: string) => `${ref.array}[${at(j)}]`,
        adj: (j: string) => (ref.adjoint ? `${ref.adjoint}[${at(j)}]` : null),
      };
    });
  }

  function kernelContext(id: number, materialized: ReadonlySet<number>, gradient: boolean) {
    const n = nodes[id] as Extract<GraphNode, { kind: 'kernel' }>;
    const kernel = KERNELS[n.op];
    if (!kernel) throw new ModelError(`unknown kernel '${n.op}'`);
    const ctx = {
      args: kernelInputs(id, materialized, gradient),
      out: `v${id}`,
      outAdj: `a${id}`,
      size: sizeOf(n.shape),
      count: countCode(id),
      attrs: n.attrs,
      constant: (values: Float64Array) => env.constant(values),
      integer: (name: string, value: number) => integerCode(id, name, value),
      local: (p: string) => `${p}${localCount++}`,
    };
    return { kernel, ctx };
  }

  /** Forward stage of a materialized (or folded) node: writes v{id}. */
  function forwardStage(id: number, materialized: ReadonlySet<number>, mode: Mode): string {
    const n = nodes[id];
    const gradient = mode === 'grad';
    env.buffer(`v${id}`, sizeOf(n.shape));
    if (n.kind === 'kernel') {
      const { kernel, ctx } = kernelContext(id, mode === 'fold' ? new Set([...materialized].filter((x) => x !== id)) : materialized, gradient);
      return kernel.forward(ctx);
    }
    const b = new IrBuilder();
    const { expand } = makeLowering(b, mode === 'fold' ? new Set([...materialized].filter((x) => x !== id)) : materialized, gradient);
    const spec: FusedLoopSpec = { n: countOf(b, id), stores: [{ node: expand(id, id), array: `v${id}`, offset: 0 }], gradient: false };
    return emitFusedLoop(b, spec);
  }

  /**
   * Backward stage of materialized nodes: pushes a{id} into their inputs' adjoints. Several
   * elementwise nodes of one shape, none reading another, share one loop (see backwardGroups).
   */
  function backwardStage(ids: readonly number[], materialized: ReadonlySet<number>): string {
    const first = nodes[ids[0]];
    if (first.kind === 'kernel') {
      const { kernel, ctx } = kernelContext(ids[0], materialized, true);
      return kernel.backward(ctx);
    }
    const b = new IrBuilder();
    const { expand } = makeLowering(b, materialized, true);
    const seeds: { node: SNode; seed: SNode }[] = [];
    const known: { node: SNode; array: string; offset: number }[] = [];
    for (const id of ids) {
      const seed = b.load({ array: `a${id}`, offset: 0, param: false }, sizeOf(nodes[id].shape) === 1 ? undefined : b.index('i'));
      const value = expand(id, ids[0]);
      seeds.push({ node: value, seed });
      // The forward loop stored this node's values in v{id}: the reverse pass reads them back.
      known.push({ node: value, array: `v${id}`, offset: 0 });
    }
    return emitFusedLoop(b, { n: countOf(b, ids[0]), seeds, known, gradient: true });
  }

  /** Whether computing node `id` reads node `target` (directly, or through nodes computed inline). */
  function readsInline(id: number, target: number, materialized: ReadonlySet<number>): boolean {
    return argsOf(nodes[id]).some((a) => a === target || (!materialized.has(a) && !folded.has(a) && readsInline(a, target, materialized)));
  }

  /**
   * Elementwise materialized nodes whose forward loop can run inside a term group's loop: same
   * shape, a group without row segments, and nothing that reads the node runs before that group
   * (no forward stage, no earlier group, not the group itself). Fewer, fuller loops: the
   * non-centered radon model's alpha and beta are computed in the loop of alpha_offset's prior.
   * Returns, per group index, the nodes fused into it.
   */
  function fusedForwards(order: readonly number[], groups: readonly TermSpec[][], materialized: ReadonlySet<number>): Map<number, number[]> {
    const into = new Map<number, number[]>();
    const groupReads = (g: readonly TermSpec[], id: number): boolean =>
      g.some((t) => termNodes(t).some((x) => x === id || (!materialized.has(x) && !folded.has(x) && readsInline(x, id, materialized))));
    for (const id of order) {
      const n = nodes[id];
      if (n.kind !== 'ew' || sizeOf(n.shape) === 1) continue;
      if (order.some((o) => o !== id && readsInline(o, id, materialized))) continue;
      // Its inputs must be complete before the group runs: none may be fused into a group itself.
      if ([...into.values()].some((ids) => ids.some((f) => readsInline(id, f, materialized)))) continue;
      for (let k = 0; k < groups.length; k++) {
        if (groupReads(groups[k], id)) break;
        if (!sameShape(termShape(groups[k][0]), n.shape) || segmentPlan(groups[k], n.shape, materialized)) continue;
        into.set(k, [...(into.get(k) ?? []), id]);
        break;
      }
    }
    return into;
  }

  /**
   * The backward stages in reverse order, consecutive elementwise nodes of one shape that do not
   * read one another grouped to share a loop.
   */
  function backwardGroups(order: readonly number[], materialized: ReadonlySet<number>): number[][] {
    const out: number[][] = [];
    for (const id of [...order].reverse()) {
      const n = nodes[id];
      const last = out[out.length - 1];
      const joinable =
        last !== undefined &&
        n.kind === 'ew' &&
        nodes[last[0]].kind === 'ew' &&
        sizeOf(n.shape) !== 1 &&
        sameShape(nodes[last[0]].shape, n.shape) &&
        last.every((o) => !readsInline(o, id, materialized) && !readsInline(id, o, materialized));
      if (joinable) last.push(id);
      else out.push([id]);
    }
    return out;
  }

  /** Lowers a group of terms over the same elements into one fused loop. */
  function termStage(group: readonly TermSpec[], materialized: ReadonlySet<number>, mode: Mode, lpTarget: string, onCheckFail: string, forwards: readonly number[] = []): string {
    const b = new IrBuilder();
    const gradient = mode === 'grad';
    const out = termNode(group[0]);
    const shape = nodes[out].shape;
    const segPlan = segmentPlan(group, shape, materialized);
    const { lower, expand, permuted } = makeLowering(b, materialized, gradient, segPlan?.perm);
    // Forward stages fused into this loop (see fusedForwards): their values are stored row by row.
    const stores = forwards.map((id) => {
      env.buffer(`v${id}`, sizeOf(nodes[id].shape));
      return { node: expand(id, out), array: `v${id}`, offset: 0 };
    });
    const lpTerms: SNode[] = [];
    const checks: DomainCheck[] = [];
    for (const t of group) {
      if (t.kind === 'sum') {
        lpTerms.push(lower(t.expr, out));
        continue;
      }
      const dist = ELEMENTWISE[t.dist];
      const x = lower(t.value, out);
      const p: Record<string, SNode> = {};
      for (const [k, id] of Object.entries(t.params)) p[k] = lower(id, out);
      const r = dist.logp(b, x, p);
      lpTerms.push(...r.terms);
      // Data-only checks were verified at compile time; only parameter-dependent ones run.
      checks.push(...r.checks.filter((c) => c.node.param || c.bound.param));
    }
    let segments: FusedLoopSpec['segments'];
    if (segPlan) {
      const idx = permuted(segPlan.index);
      const starts: number[] = [0];
      const values: number[] = [idx[0]];
      for (let i = 1; i < idx.length; i++) {
        if (idx[i] !== idx[i - 1]) {
          starts.push(i);
          values.push(idx[i]);
        }
      }
      starts.push(idx.length);
      segments = { index: b.index(`${env.constant(idx)}[i]`), starts: env.constant(Int32Array.from(starts)), values: env.constant(Int32Array.from(values)), count: b.size(env.integer(`n${out}_segments`, values.length)) };
    }
    return emitFusedLoop(b, { n: countOf(b, out), lpTerms, lpTarget, gradient, checks, onCheckFail, segments, stores });
  }

  /** Groups consecutive terms of one variable over the same shape (a prior and its Jacobian). */
  function groupTerms(termList: readonly TermSpec[]): TermSpec[][] {
    const groups: TermSpec[][] = [];
    for (const t of termList) {
      const last = groups[groups.length - 1];
      if (last && last[0].variable === t.variable && sameShape(termShape(last[0]), termShape(t))) last.push(t);
      else groups.push([t]);
    }
    return groups;
  }

  // ---- compile-time checks of data-only constraints ---------------------------------------
  const checkPlan = plan(spec.terms, [], false).materialized;
  for (const t of spec.terms) {
    if (t.kind !== 'dist') continue;
    const b = new IrBuilder();
    const { lower } = makeLowering(b, checkPlan, false);
    const x = lower(t.value, t.value);
    const p: Record<string, SNode> = {};
    for (const [k, id] of Object.entries(t.params)) p[k] = lower(id, t.value);
    const dist = ELEMENTWISE[t.dist];
    const all = dist.logp(b, x, p).checks;
    // Which parameter each check is about: the same checks over placeholders (equal constants
    // share one IR node, so identity on the real nodes cannot tell mu = 0 from sigma = 0).
    const pb = new IrBuilder();
    const xh = pb.variable('__value');
    const ph: Record<string, SNode> = {};
    for (const key of Object.keys(p)) ph[key] = pb.variable(`__${key}`);
    const placeholderChecks = dist.logp(pb, xh, ph).checks;
    const mentions = (node: SNode, target: SNode): boolean => node === target || node.args.some((a) => mentions(a, target));
    const subjectOf = (node: SNode): string | undefined =>
      mentions(node, xh) ? 'value' : Object.keys(ph).find((key) => mentions(node, ph[key]));
    all.forEach((c, k) => {
      if (c.node.param || c.bound.param) return;
      const fn = env.compile<() => number>([], emitFusedLoop(b, { n: countOf(b, t.value), gradient: false, checks: [c], onCheckFail: `return typeof i === 'number' ? i : 0;` }) + '\nreturn -1;');
      const bad = fn();
      if (bad >= 0) {
        const pc = placeholderChecks[k];
        const who = subjectOf(pc.node) ?? subjectOf(pc.bound) ?? `check ${k}`;
        const isObserved = spec.variables.some((v) => v.name === t.variable && v.kind === 'observed');
        const subject = who === 'value' ? (isObserved ? 'observed value' : 'value') : `parameter '${who}'`;
        const boundName = subjectOf(pc.bound);
        const boundValue = c.bound.op === 'const' ? String(c.bound.value) : undefined;
        const bound = boundName === 'value' ? 'the value' : boundName && boundValue ? `${boundValue} (${boundName})` : (boundValue ?? boundName ?? 'its bound');
        const rule = c.op === 'integer' ? 'must be an integer' : `must be ${c.op} ${bound}`;
        throw new ModelError(`${dist.name} '${t.variable}': ${subject} ${rule} (violated at element ${bad})`, t.variable);
      }
    });
  }

  // ---- the programs ------------------------------------------------------------------------
  function program(mode: Mode, termList: readonly TermSpec[], outputs: readonly number[]): string {

    const gradient = mode === 'grad';
    const { materialized } = plan(termList, outputs, false);
    const order = [...materialized].sort((x, y) => x - y);
    const code: string[] = [];
    if (gradient) {
      code.push(zeroBuffer('g'));
      for (const id of order) code.push(zeroBuffer(env.buffer(`a${id}`, sizeOf(nodes[id].shape))));
    }
    code.push('let lp = 0;');
    const groups = groupTerms(termList);
    // Fused forward stages only where a failed check returns at once (byVariable goes on to the
    // next term, which could then read a half-written buffer).
    const fused = mode === 'grad' || mode === 'value' ? fusedForwards(order, groups, materialized) : new Map<number, number[]>();
    const fusedIds = new Set([...fused.values()].flat());
    for (const id of order) if (!fusedIds.has(id)) code.push(forwardStage(id, materialized, mode));
    if (mode === 'byVariable') {
      const names = [...new Set(termList.map((t) => t.variable))];
      groups.forEach((group, k) => {
        const slot = names.indexOf(group[0].variable);
        code.push(`term${k}: ${termStage(group, materialized, mode, `out[${slot}]`, `out[${slot}] = -Infinity; break term${k};`)}`);
      });
    } else {
      groups.forEach((group, k) => code.push(termStage(group, materialized, mode, 'lp', 'return -Infinity;', fused.get(k))));
    }
    if (gradient) for (const ids of backwardGroups(order, materialized)) code.push(backwardStage(ids, materialized));
    code.push('return lp;');
    return code.join('\n');
  }

  const freeVars = spec.variables.filter((v) => v.kind === 'free');
  const detVars = spec.variables.filter((v) => v.kind === 'deterministic');
  const outputVars = [...freeVars, ...detVars];
  const termVarNames = [...new Set(spec.terms.map((t) => t.variable))];

  const logDensityGrad = env.compile<(th: Float64Array, g: Float64Array) => number>(['th', 'g'], program('grad', spec.terms, []));
  const logDensity = env.compile<(th: Float64Array) => number>(['th'], program('value', spec.terms, []));
  const byVariable = env.compile<(th: Float64Array, out: Float64Array) => number>(['th', 'out'], zeroBuffer('out') + '\n' + program('byVariable', spec.terms, []));
  const outputNodes = outputVars.map((v) => v.node);
  const outputsFn = env.compile<(th: Float64Array) => number>(['th'], program('outputs', [], outputNodes));

  const readOutput = (th: Float64Array, id: number): Float64Array => {
    const n = nodes[id];
    if (n.kind === 'param') return th.slice(n.offset, n.offset + sizeOf(n.shape));
    if (n.kind === 'data') return n.values.slice();
    if (n.kind === 'const') return Float64Array.of(n.value);
    return (env.values[`v${id}`] as Float64Array).slice();
  };

  /** Where each output variable's values are after `outputsFn`: in θ at an offset, or in an array. */
  const outputSources = outputVars.map((v) => {
    const n = nodes[v.node];
    const size = sizeOf(v.shape);
    if (n.kind === 'param') return { inTheta: true, array: new Float64Array(0), offset: n.offset, size };
    if (n.kind === 'data') return { inTheta: false, array: n.values, offset: 0, size };
    if (n.kind === 'const') return { inTheta: false, array: Float64Array.of(n.value), offset: 0, size };
    return { inTheta: false, array: env.values[`v${v.node}`] as Float64Array, offset: 0, size };
  });
  const rowScratch = new Float64Array(spec.dim);

  const variables: VariableInfo[] = outputVars.map((v) => {
    if (v.kind === 'deterministic') return { name: v.name, kind: 'deterministic', shape: v.shape, dims: v.dims };
    const pn = nodes[v.paramNode as number] as Extract<GraphNode, { kind: 'param' }>;
    return { name: v.name, kind: 'free', shape: v.shape, dims: v.dims, transform: v.transform, offset: pn.offset, unconstrainedSize: sizeOf(pn.shape), discrete: false };
  });
  const observed: ObservedInfo[] = spec.variables
    .filter((v) => v.kind === 'observed')
    .map((v) => ({ name: v.name, dims: v.dims, shape: v.shape, values: (nodes[v.node] as Extract<GraphNode, { kind: 'data' }>).values }));

  const dim = spec.dim;
  const termOut = new Float64Array(termVarNames.length);
  const compiled: CompiledModel = {
    dim,
    variables,
    coords: spec.coords,
    observed,
    spec,
    logDensityGrad(x, gradOut) {
      const lp = logDensityGrad(x, gradOut);
      return lp < Infinity ? lp : -Infinity; // NaN and +Infinity are not densities
    },
    logDensity(x) {
      const lp = logDensity(x);
      return lp < Infinity ? lp : -Infinity; // NaN and +Infinity are not densities
    },
    logDensityByVariable(x) {
      byVariable(x, termOut);
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
    unconstrain(values) {
      const th = new Float64Array(dim);
      for (const v of freeVars) {
        const given = values[v.name];
        if (given === undefined) throw new ModelError(`unconstrain: no value given for '${v.name}'`, v.name);
        const arr = typeof given === 'number' ? Float64Array.of(given) : Float64Array.from(given);
        if (arr.length !== sizeOf(v.shape)) throw new ModelError(`unconstrain: '${v.name}' needs ${sizeOf(v.shape)} values, got ${arr.length}`, v.name);
        const transform = TRANSFORMS[v.transform as string];
        const bounds = numericBounds(spec, v.name);
        const y = inverseWithBounds((v, b) => transform.inverse(v, b), arr, bounds);
        const pn = nodes[v.paramNode as number] as Extract<GraphNode, { kind: 'param' }>;
        for (let i = 0; i < y.length; i++) {
          if (!Number.isFinite(y[i])) throw new ModelError(`unconstrain: '${v.name}' element ${i} = ${arr[i]} is outside its support`, v.name);
        }
        th.set(y, pn.offset);
      }
      return th;
    },
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

/** Numeric interval bounds of a free variable: numbers, or per-element arrays from data. */
function numericBounds(spec: ModelSpec, name: string): { lower?: number | Float64Array; upper?: number | Float64Array } | undefined {
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

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  // Leading 1s do not change the layout.
  const x = a.filter((_, k) => !(a.slice(0, k + 1).every((v) => v === 1)));
  const y = b.filter((_, k) => !(b.slice(0, k + 1).every((v) => v === 1)));
  return x.length === y.length && x.every((v, k) => v === y[k]);
}

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
