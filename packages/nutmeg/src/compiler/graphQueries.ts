// Questions the compiler asks of the model graph: a node's arguments, a term's nodes, whether two shapes share a layout.
import type { GraphNode, TermSpec } from '../graph/graph.js';

/** The nodes node `n` reads. */
export const argsOf = (n: GraphNode): readonly number[] => (n.kind === 'ew' || n.kind === 'kernel' ? n.args : n.kind === 'gather' ? [n.src] : []);

/** Every node a term reads (its value and parameters, or its expression). */
export const termNodes = (t: TermSpec): number[] => (t.kind === 'dist' ? [t.value, ...Object.values(t.params)] : [t.expr]);

/** The node whose elements a term runs over. */
export const termNode = (t: TermSpec): number => (t.kind === 'dist' ? t.value : t.expr);

/** The shape a term runs over. */
export const termShape = (nodes: readonly GraphNode[], t: TermSpec): readonly number[] => nodes[termNode(t)].shape;

/** Which nodes depend on a parameter (the others are data-only and can be folded at compile time). */
export function parameterDependence(nodes: readonly GraphNode[]): boolean[] {
  const paramDep: boolean[] = nodes.map(() => false);
  for (const n of nodes) {
    if (n.kind === 'param') paramDep[n.id] = true;
    else if (n.kind === 'ew' || n.kind === 'kernel') paramDep[n.id] = n.args.some((a) => paramDep[a]);
    else if (n.kind === 'gather') paramDep[n.id] = paramDep[n.src];
  }
  return paramDep;
}

/** Whether two shapes lay their elements out alike (leading 1s do not change the layout). */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  const x = a.filter((_, k) => !(a.slice(0, k + 1).every((v) => v === 1)));
  const y = b.filter((_, k) => !(b.slice(0, k + 1).every((v) => v === 1)));
  return x.length === y.length && x.every((v, k) => v === y[k]);
}

/**
 * The most columns a `matvec` may have to be computed row by row inside its consumer's loop (a
 * sum of that many products per row, like predictors written as columns); wider ones run as a
 * kernel into a buffer.
 */
export const ROWWISE_MATVEC_MAX_COLUMNS = 32;

/**
 * Whether node `n` is a `matvec` of a data matrix computed row by row in its consumer's loop
 * (then it is not materialized: no buffer, no separate forward and backward passes over it).
 * A matrix of one row is not: its product is a single number, broadcast to its consumers like a
 * scalar, so it is computed once as a kernel.
 */
export function isRowwiseMatvec(nodes: readonly GraphNode[], n: GraphNode): boolean {
  if (n.kind !== 'kernel' || n.op !== 'matvec') return false;
  const m = nodes[n.args[0]];
  return m.kind === 'data' && m.shape.length === 2 && m.shape[0] > 1 && m.shape[1] <= ROWWISE_MATVEC_MAX_COLUMNS;
}
