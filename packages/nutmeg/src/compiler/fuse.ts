// Fused loop assembly: the forward, backward and term stages of a program, each one loop emitted by src/ir/fusedLoop.ts (or a kernel).
//
// Each log-density term group becomes one fused loop (forward, density and reverse pass
// together); each materialized node gets a forward loop and, in reverse order after the terms, a
// backward loop.
import { ModelError } from '../core/errors.js';
import { emitFusedLoopParts, type DomainCheck, type FusedLoopCode, type FusedLoopSpec } from '../ir/fusedLoop.js';
import { KERNELS, type Kernel, type KernelContext, type KernelInput } from '../ir/kernels.js';
import { IrBuilder, type SNode } from '../ir/scalarIr.js';
import { sizeOf, type GraphNode, type TermSpec } from '../graph/graph.js';
import { ELEMENTWISE, type CompileContext, type Mode } from './context.js';
import { termNode } from './graphQueries.js';
import { countCode, countOf, integerCode } from './integers.js';
import { makeLowering, refOf } from './lower.js';
import { segmentPlan } from './plan.js';

/** How a kernel's generated code reads each of its inputs and where their adjoints go. */
function kernelInputs(ctx: CompileContext, id: number, materialized: ReadonlySet<number>, gradient: boolean): KernelInput[] {
  const n = ctx.nodes[id] as Extract<GraphNode, { kind: 'kernel' }>;
  return n.args.map((a) => {
    const an = ctx.nodes[a];
    if (an.kind === 'const') return { size: 1, count: '1', shape: [], read: () => String(an.value), adj: () => null };
    const ref = refOf(ctx, a, materialized, gradient);
    const at = (j: string): string => (ref.offset === 0 ? j : `${ref.offset} + ${j}`);
    return {
      size: sizeOf(an.shape),
      count: countCode(ctx, a),
      shape: an.shape,
      read: (j: string) => `${ref.array}[${at(j)}]`,
      adj: (j: string) => (ref.adjoint ? `${ref.adjoint}[${at(j)}]` : null),
    };
  });
}

/**
 * The kernel of node `id` and the context it emits its code in.
 *
 * @throws ModelError for an unknown kernel
 */
function kernelContext(ctx: CompileContext, id: number, materialized: ReadonlySet<number>, gradient: boolean): { kernel: Kernel; ctx: KernelContext } {
  const n = ctx.nodes[id] as Extract<GraphNode, { kind: 'kernel' }>;
  const kernel = KERNELS[n.op];
  if (!kernel) throw new ModelError(`unknown kernel '${n.op}'`);
  const kctx = {
    args: kernelInputs(ctx, id, materialized, gradient),
    out: `v${id}`,
    outAdj: `a${id}`,
    size: sizeOf(n.shape),
    count: countCode(ctx, id),
    attrs: n.attrs,
    constant: (values: Float64Array) => ctx.env.constant(values),
    integer: (name: string, value: number) => integerCode(ctx, id, name, value),
    local: (p: string) => `${p}${ctx.nextLocal()}`,
  };
  return { kernel, ctx: kctx };
}

/** Forward stage of a materialized (or folded) node: writes v{id}. */
export function forwardStage(ctx: CompileContext, id: number, materialized: ReadonlySet<number>, mode: Mode): string | FusedLoopCode {
  const n = ctx.nodes[id];
  const gradient = mode === 'grad';
  ctx.env.buffer(`v${id}`, sizeOf(n.shape));
  if (n.kind === 'kernel') {
    const { kernel, ctx: kctx } = kernelContext(ctx, id, mode === 'fold' ? new Set([...materialized].filter((x) => x !== id)) : materialized, gradient);
    return kernel.forward(kctx);
  }
  const b = new IrBuilder();
  const { expand } = makeLowering(ctx, b, mode === 'fold' ? new Set([...materialized].filter((x) => x !== id)) : materialized, gradient);
  const spec: FusedLoopSpec = { n: countOf(ctx, b, id), stores: [{ node: expand(id, id), array: `v${id}`, offset: 0 }], gradient: false };
  return emitFusedLoopParts(b, spec);
}

/**
 * Backward stage of materialized nodes: pushes a{id} into their inputs' adjoints. Several
 * elementwise nodes of one shape, none reading another, share one loop (see backwardGroups).
 */
export function backwardStage(ctx: CompileContext, ids: readonly number[], materialized: ReadonlySet<number>): string | FusedLoopCode {
  const first = ctx.nodes[ids[0]];
  if (first.kind === 'kernel') {
    const { kernel, ctx: kctx } = kernelContext(ctx, ids[0], materialized, true);
    return kernel.backward(kctx);
  }
  const b = new IrBuilder();
  const { expand } = makeLowering(ctx, b, materialized, true);
  const seeds: { node: SNode; seed: SNode }[] = [];
  const known: { node: SNode; array: string; offset: number }[] = [];
  for (const id of ids) {
    const seed = b.load({ array: `a${id}`, offset: 0, param: false }, sizeOf(ctx.nodes[id].shape) === 1 ? undefined : b.index('i'));
    const value = expand(id, ids[0]);
    seeds.push({ node: value, seed });
    // The forward loop stored this node's values in v{id}: the reverse pass reads them back.
    known.push({ node: value, array: `v${id}`, offset: 0 });
  }
  return emitFusedLoopParts(b, { n: countOf(ctx, b, ids[0]), seeds, known, gradient: true });
}

/**
 * Lowers a group of terms over the same elements into one fused loop.
 *
 * @param lpTarget - the JS variable the terms are added to
 * @param onCheckFail - JS run when a parameter-dependent domain check fails
 * @param forwards - materialized nodes whose forward stage runs inside this loop (see fusedForwards)
 * @returns the loop's JS, and what a WebAssembly version of its loop needs (wasmLoops.ts)
 */
export function termStage(
  ctx: CompileContext,
  group: readonly TermSpec[],
  materialized: ReadonlySet<number>,
  mode: Mode,
  lpTarget: string,
  onCheckFail: string,
  forwards: readonly number[] = [],
): FusedLoopCode {
  const { nodes, env } = ctx;
  const b = new IrBuilder();
  const gradient = mode === 'grad';
  const out = termNode(group[0]);
  const shape = nodes[out].shape;
  const segPlan = segmentPlan(ctx, group, shape, materialized);
  const { lower, expand, permuted } = makeLowering(ctx, b, materialized, gradient, segPlan?.perm);
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
  const segments = segPlan ? rowSegments(ctx, b, out, permuted(segPlan.index)) : undefined;
  return emitFusedLoopParts(b, { n: countOf(ctx, b, out), lpTerms, lpTarget, gradient, checks, onCheckFail, segments, stores });
}

/** The runs of equal values of a sorted index over the rows of node `out`: a loop by segments. */
function rowSegments(ctx: CompileContext, b: IrBuilder, out: number, idx: Int32Array): FusedLoopSpec['segments'] {
  const { env } = ctx;
  const starts: number[] = [0];
  const values: number[] = [idx[0]];
  for (let i = 1; i < idx.length; i++) {
    if (idx[i] !== idx[i - 1]) {
      starts.push(i);
      values.push(idx[i]);
    }
  }
  starts.push(idx.length);
  return { index: b.index(`${env.constant(idx)}[i]`), starts: env.constant(Int32Array.from(starts)), values: env.constant(Int32Array.from(values)), count: b.size(env.integer(`n${out}_segments`, values.length)) };
}
