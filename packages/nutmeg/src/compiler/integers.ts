// Data-dependent integers (sizes, strides, offsets) named after the node they belong to, never after their value.
//
// Sizes of 1 are structural (they decide broadcasting) and stay literal; every other size, stride
// and offset is named after its node, so that equal sizes in one model and different sizes in
// another do not change the generated source (see environment.ts).
import type { IrBuilder, SNode } from '../ir/scalarIr.js';
import { sizeOf, type GraphNode } from '../graph/graph.js';
import type { CompileContext } from './context.js';

/** The element count of node `id`, as an IR node. */
export function countOf(ctx: CompileContext, b: IrBuilder, id: number): SNode {
  const size = sizeOf(ctx.nodes[id].shape);
  return size === 1 ? b.c(1) : b.size(ctx.env.integer(`n${id}`, size));
}

/** The element count of node `id`, as JS code. */
export function countCode(ctx: CompileContext, id: number): string {
  const size = sizeOf(ctx.nodes[id].shape);
  return size === 1 ? '1' : ctx.env.integer(`n${id}`, size);
}

/** JS code of `value`, a size-derived integer of node `id` (`part` names which one). */
export function integerCode(ctx: CompileContext, id: number, part: string, value: number): string {
  return value === 1 ? '1' : ctx.env.integer(`n${id}_${part}`, value);
}

/** The offset of a parameter node in θ: literal when only scalar parameters precede it. */
export function offsetOf(ctx: CompileContext, n: Extract<GraphNode, { kind: 'param' }>): number | string {
  const afterNonScalar = ctx.nodes.some((m) => m.kind === 'param' && m.offset < n.offset && sizeOf(m.shape) !== 1);
  return afterNonScalar ? ctx.env.integer(`o${n.id}`, n.offset) : n.offset;
}
