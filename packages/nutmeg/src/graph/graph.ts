// The model graph as plain data: nodes over vectors, terms of the log density, named variables.
//
// Everything here is structured-cloneable (numbers, strings, typed arrays), so a worker thread or
// a Web Worker receives a `ModelSpec` and compiles its own copy of the log density.
import type { CoordValues } from '../core/types.js';

/** A node of the model graph; `id` is its index in `ModelSpec.nodes` (arguments have smaller ids). */
export type GraphNode =
  | { readonly kind: 'param'; readonly id: number; readonly shape: readonly number[]; readonly label: string; readonly offset: number }
  | { readonly kind: 'data'; readonly id: number; readonly shape: readonly number[]; readonly label: string; readonly values: Float64Array }
  | { readonly kind: 'const'; readonly id: number; readonly shape: readonly number[]; readonly label: string; readonly value: number }
  | { readonly kind: 'ew'; readonly id: number; readonly shape: readonly number[]; readonly label: string; readonly op: string; readonly args: readonly number[] }
  | {
      readonly kind: 'gather';
      readonly id: number;
      readonly shape: readonly number[];
      readonly label: string;
      readonly src: number;
      readonly index: Int32Array;
      /** The data node the index came from (`x.at(m.data(…))`): replacing that data moves the gather. */
      readonly indexNode?: number;
    }
  | {
      readonly kind: 'kernel';
      readonly id: number;
      readonly shape: readonly number[];
      readonly label: string;
      readonly op: string;
      readonly args: readonly number[];
      readonly attrs: Record<string, number | string | Float64Array>;
    };

/** A term of the log density. */
export type TermSpec =
  /** `dist(value | params)`, summed over elements (the distribution's log density is elementwise). */
  | { readonly kind: 'dist'; readonly variable: string; readonly dist: string; readonly value: number; readonly params: Record<string, number> }
  /** The sum of the elements of `expr` (potentials, log-Jacobians, parts of multivariate densities). */
  | { readonly kind: 'sum'; readonly variable: string; readonly expr: number };

/** A named variable of the model. */
export interface VariableSpec {
  readonly name: string;
  readonly kind: 'free' | 'deterministic' | 'observed' | 'data';
  /** Node holding the (constrained) value. */
  readonly node: number;
  readonly shape: readonly number[];
  readonly dims: readonly string[];
  /** Free variables: the unconstrained parameter node, transform name and the distribution. */
  readonly paramNode?: number;
  readonly transform?: string;
  readonly dist?: string;
  /** Free variables: a central starting value in the unconstrained space (per element). */
  readonly initialUnconstrained?: Float64Array;
  /**
   * Free and observed variables: the distribution's parameter nodes under the names the user gave
   * (what random draws and the pointwise log-likelihood evaluate).
   */
  readonly params?: Readonly<Record<string, number>>;
  /** Free variables: a lower bound given with `rv(…, { lower })` (its transform is `log` shifted by it). */
  readonly lower?: number;
  /** Data holding 0-based positions into the coords of this dim (`m.data(…, { indexInto })`). */
  readonly indexInto?: string;
}

/** A whole model as plain data. */
export interface ModelSpec {
  readonly nodes: readonly GraphNode[];
  readonly terms: readonly TermSpec[];
  readonly variables: readonly VariableSpec[];
  readonly coords: Record<string, CoordValues>;
  /** Size of the unconstrained vector. */
  readonly dim: number;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** NumPy broadcasting of two shapes, or null when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const x = a[a.length - n + k] ?? 1;
    const y = b[b.length - n + k] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out[k] = x === 1 ? y : x;
  }
  return out;
}

/** Formats a shape for messages: `[919]`, `[]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
