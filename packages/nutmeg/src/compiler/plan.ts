// The compiler's plan: which nodes a program needs and buffers, which forward loops fuse into term loops, which terms run by segments.
//
// Every graph node is either *inlined* into the loop of its single consumer (elementwise ops and
// gathers), *materialized* into a preallocated buffer (kernels, nodes with several consumers or
// used by a gather/kernel, outputs), a *leaf* read in place (parameters straight from the
// unconstrained vector, data, constants), or *folded* (data-only work, done once at compile time).
import { sizeOf, type TermSpec } from '../graph/graph.js';
import type { CompileContext } from './context.js';
import { argsOf, isRowwiseMatvec, sameShape, termNodes, termShape } from './graphQueries.js';

/**
 * Which nodes a program needs and which of them get buffers.
 *
 * @param termList - the log-density terms the program sums
 * @param outputs - nodes whose values the program must leave in buffers
 * @param foldAll - materialize data-only nodes too (otherwise they are folded)
 */
export function plan(ctx: CompileContext, termList: readonly TermSpec[], outputs: readonly number[], foldAll: boolean): { needed: Set<number>; materialized: Set<number> } {
  const { nodes, paramDep } = ctx;
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
    const shape = termShape(nodes, t);
    for (const id of termNodes(t)) use(id, sizeOf(nodes[id].shape) !== 1 && !sameShape(nodes[id].shape, shape));
  }
  for (const id of outputs) use(id, true);
  const materialized = new Set<number>();
  for (const id of needed) {
    const n = nodes[id];
    if (n.kind === 'param' || n.kind === 'data' || n.kind === 'const') continue;
    if (!paramDep[id] && !foldAll) continue; // folded: computed once by the fold program
    const c = consumers.get(id);
    // A row-wise matvec is computed in its consumer's loop, like an elementwise node.
    if ((n.kind === 'kernel' && !isRowwiseMatvec(nodes, n)) || (c && (c.count > 1 || c.special))) materialized.add(id);
  }
  return { needed, materialized };
}

/**
 * Chooses how to run a term's loop segment-wise: an index array of loop length, read at row i by
 * a gather, with few distinct values. Rows are reordered so that the index is sorted when every
 * per-row read is data or an index (the sum over rows does not depend on their order);
 * otherwise only an index that is already sorted is used.
 */
export function segmentPlan(ctx: CompileContext, group: readonly TermSpec[], shape: readonly number[], materialized: ReadonlySet<number>): SegmentPlan | undefined {
  // Asked once per loop, per fused-forward candidate and per program: remembered per compilation
  // (at 10^6 rows each answer counts distinct values and may sort the rows).
  let memo = segmentPlans.get(ctx);
  if (!memo) segmentPlans.set(ctx, (memo = new Map()));
  const key = `${group.map((t) => termNodes(t).join(',')).join(';')}|${shape.join(',')}|${[...materialized].sort((x, y) => x - y).join(',')}`;
  if (memo.has(key)) return memo.get(key);
  const result = computeSegmentPlan(ctx, group, shape, materialized);
  memo.set(key, result);
  return result;
}

/** A term loop run by segments: the per-row index, and the row order that sorts it (when rows are reordered). */
export interface SegmentPlan {
  readonly index: Int32Array;
  readonly perm?: Int32Array;
}

const segmentPlans = new WeakMap<CompileContext, Map<string, SegmentPlan | undefined>>();

/** The number of distinct values of an index of non-negative integers (a mark per value when they are small, else a Set). */
function distinctCount(index: Int32Array): number {
  let max = -1;
  for (let i = 0; i < index.length; i++) if (index[i] > max) max = index[i];
  if (max < 0 || max > 4 * index.length + 1024) return new Set(index).size;
  const seen = new Uint8Array(max + 1);
  let count = 0;
  for (let i = 0; i < index.length; i++) {
    if (index[i] >= 0 && !seen[index[i]]) {
      seen[index[i]] = 1;
      count++;
    } else if (index[i] < 0) return new Set(index).size;
  }
  return count;
}

/** The stable order of rows that sorts `index` (a counting sort for small non-negative values: linear, not n log n). */
function sortingPermutation(index: Int32Array): Int32Array {
  const n = index.length;
  let max = -1;
  let min = 0;
  for (let i = 0; i < n; i++) {
    if (index[i] > max) max = index[i];
    if (index[i] < min) min = index[i];
  }
  if (min < 0 || max > 4 * n + 1024) return Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => index[x] - index[y] || x - y);
  const start = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) start[index[i] + 1]++;
  for (let k = 0; k <= max; k++) start[k + 1] += start[k];
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[start[index[i]]++] = i;
  return perm;
}

/** {@link segmentPlan}, computed. */
function computeSegmentPlan(ctx: CompileContext, group: readonly TermSpec[], shape: readonly number[], materialized: ReadonlySet<number>): SegmentPlan | undefined {
  const { nodes, folded } = ctx;
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
        const distinct = distinctCount(node.index);
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
  return { index: candidate, perm: sortingPermutation(candidate) };
}

/** Whether computing node `id` reads node `target` (directly, or through nodes computed inline). */
export function readsInline(ctx: CompileContext, id: number, target: number, materialized: ReadonlySet<number>): boolean {
  return argsOf(ctx.nodes[id]).some((a) => a === target || (!materialized.has(a) && !ctx.folded.has(a) && readsInline(ctx, a, target, materialized)));
}

/**
 * Elementwise materialized nodes whose forward loop can run inside a term group's loop: same
 * shape, a group without row segments, and nothing that reads the node runs before that group
 * (no forward stage, no earlier group, not the group itself). Fewer, fuller loops: the
 * non-centered radon model's alpha and beta are computed in the loop of alpha_offset's prior.
 * Returns, per group index, the nodes fused into it.
 */
export function fusedForwards(ctx: CompileContext, order: readonly number[], groups: readonly TermSpec[][], materialized: ReadonlySet<number>): Map<number, number[]> {
  const { nodes, folded } = ctx;
  const into = new Map<number, number[]>();
  const groupReads = (g: readonly TermSpec[], id: number): boolean =>
    g.some((t) => termNodes(t).some((x) => x === id || (!materialized.has(x) && !folded.has(x) && readsInline(ctx, x, id, materialized))));
  for (const id of order) {
    const n = nodes[id];
    if (n.kind !== 'ew' || sizeOf(n.shape) === 1) continue;
    if (order.some((o) => o !== id && readsInline(ctx, o, id, materialized))) continue;
    // Its inputs must be complete before the group runs: none may be fused into a group itself.
    if ([...into.values()].some((ids) => ids.some((f) => readsInline(ctx, id, f, materialized)))) continue;
    for (let k = 0; k < groups.length; k++) {
      if (groupReads(groups[k], id)) break;
      if (!sameShape(termShape(nodes, groups[k][0]), n.shape) || segmentPlan(ctx, groups[k], n.shape, materialized)) continue;
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
export function backwardGroups(ctx: CompileContext, order: readonly number[], materialized: ReadonlySet<number>): number[][] {
  const { nodes } = ctx;
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
      last.every((o) => !readsInline(ctx, o, id, materialized) && !readsInline(ctx, id, o, materialized));
    if (joinable) last.push(id);
    else out.push([id]);
  }
  return out;
}

/** Groups consecutive terms of one variable over the same shape (a prior and its Jacobian) to share a loop. */
export function groupTerms(ctx: CompileContext, termList: readonly TermSpec[]): TermSpec[][] {
  const groups: TermSpec[][] = [];
  for (const t of termList) {
    const last = groups[groups.length - 1];
    if (last && last[0].variable === t.variable && sameShape(termShape(ctx.nodes, last[0]), termShape(ctx.nodes, t))) last.push(t);
    else groups.push([t]);
  }
  return groups;
}
