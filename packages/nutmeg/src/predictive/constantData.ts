// The observed_data and constant_data groups of a model (data as declared, one copy per variable).
import type { ModelSpec, GraphNode } from '../graph/graph.js';
import type { Group, VariableArray } from '../posterior/inferenceData.js';

/**
 * The group of every variable of `kind` ('observed' or 'data') with its values, or undefined when
 * the model has none.
 */
export function dataGroup(spec: ModelSpec, kind: 'observed' | 'data'): Group | undefined {
  const vars: Record<string, VariableArray> = {};
  for (const v of spec.variables) {
    if (v.kind !== kind) continue;
    const n = spec.nodes[v.node] as Extract<GraphNode, { kind: 'data' }>;
    vars[v.name] = { dims: [...v.dims], shape: [...n.shape], values: n.values };
  }
  return Object.keys(vars).length > 0 ? { vars, attrs: {} } : undefined;
}
