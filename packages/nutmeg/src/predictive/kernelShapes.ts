// Output shapes of the graph's kernels as functions of their inputs' shapes: what re-shaping a model for new data needs.
import { formatShape } from '../graph/graph.js';

/** A kernel's output shape given its inputs' shapes (and its shape in the fitted model), or a message saying why they do not fit. */
type ShapeRule = (args: readonly (readonly number[])[], fitted: readonly number[]) => number[] | string;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Shape rules by kernel name (src/ir/kernels.ts); a kernel without one cannot take inputs of new shapes. */
export const KERNEL_SHAPES: Readonly<Record<string, ShapeRule>> = {
  sum: () => [],
  stickBreakingLogDet: () => [],
  dot: ([a, b]) => (a[0] === b[0] ? [] : `dot of lengths ${a[0]} and ${b[0]}`),
  matvec: ([m, v]) => (m[1] === v[0] ? [m[0]] : `matvec of a ${formatShape(m)} matrix and a ${formatShape(v)} vector`),
  matmul: ([a, b]) => (a[1] === b[0] ? [a[0], b[1]] : `matmul of ${formatShape(a)} and ${formatShape(b)}`),
  transpose: ([a]) => [a[1], a[0]],
  diagonal: ([a]) => [a[0]],
  // A reshape keeps its trailing axes; the leading one takes the rest (a flattening stays flat).
  reshape: ([a], fitted) => {
    const rest = size(fitted.slice(1));
    return size(a) % rest === 0 ? [size(a) / rest, ...fitted.slice(1)] : `reshape of ${formatShape(a)} to ${formatShape(fitted)}`;
  },
  solveLowerRows: ([r]) => [...r],
  stickBreaking: ([y]) => [y[0] + 1],
};
