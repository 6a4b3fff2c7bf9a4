// Folding: data-only computations run once at compile time; programs then load them from their buffers.
import { sizeOf } from '../graph/graph.js';
import type { CompileContext } from './context.js';
import { forwardStage } from './fuse.js';
import { argsOf, termNodes } from './graphQueries.js';

/**
 * Computes, once, every data-only node that a parameter-dependent node, a term or a variable
 * reads, into its buffer `v{id}`, and records it in `ctx.folded`.
 */
export function foldDataOnly(ctx: CompileContext): void {
  const { nodes, spec, env, paramDep, folded } = ctx;
  const allTermsNodes = new Set<number>();
  const all: number[] = [];
  for (const n of nodes) if ((n.kind === 'ew' || n.kind === 'gather' || n.kind === 'kernel') && !paramDep[n.id]) all.push(n.id);
  if (all.length === 0) return;
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
  for (const id of targets) {
    const stage = forwardStage(ctx, id, new Set(targets), 'fold');
    code.push(typeof stage === 'string' ? stage : stage.js);
  }
  env.compile<() => void>([], code.join('\n'))();
}
