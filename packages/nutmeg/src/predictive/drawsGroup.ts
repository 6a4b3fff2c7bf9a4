// Buffers of one sampled InferenceData group, filled row by row (one row per chain and draw).
import { sizeOf } from '../graph/graph.js';
import type { Group, VariableArray } from '../posterior/inferenceData.js';

/** A variable of a group to be filled: its name, element dims and shape. */
export interface GroupVariable {
  readonly name: string;
  readonly dims: readonly string[];
  readonly shape: readonly number[];
}

/** A sampled group under construction: `rows` = chains × draws rows per variable. */
export class DrawsGroup {
  private readonly arrays = new Map<string, { v: GroupVariable; values: Float64Array; size: number }>();

  constructor(variables: readonly GroupVariable[], rows: number) {
    for (const v of variables) {
      const size = sizeOf(v.shape);
      this.arrays.set(v.name, { v, values: new Float64Array(rows * size), size });
    }
  }

  /** The row `r` of variable `name`, to write into. */
  row(name: string, r: number): Float64Array {
    const a = this.arrays.get(name);
    if (!a) throw new Error(`internal: no variable '${name}' in this group`);
    return a.values.subarray(r * a.size, (r + 1) * a.size);
  }

  /** The finished group: every variable, or those named in `names`. */
  group(attrs: Record<string, unknown> = {}, names?: readonly string[]): Group {
    const vars: Record<string, VariableArray> = {};
    for (const { v, values } of this.arrays.values()) if (!names || names.includes(v.name)) vars[v.name] = { dims: [...v.dims], shape: [...v.shape], values };
    return { vars, attrs };
  }
}
