// NumPy broadcasting of a row-major array to a larger shape, for distribution parameters.
import { sizeOf } from '../graph/graph.js';

/**
 * `values` (of shape `from`) broadcast to shape `to`, row-major; the array itself when it already
 * has one element or `to`'s size.
 *
 * @param values - row-major values of shape `from`
 * @param from - their shape (broadcastable to `to`)
 * @param to - the target shape
 */
export function broadcastTo(values: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  const n = sizeOf(to);
  if (values.length === 1 || values.length === n) return values;
  const out = new Float64Array(n);
  const lead = to.length - from.length;
  const strides: number[] = new Array(to.length).fill(0);
  let stride = 1;
  for (let a = from.length - 1; a >= 0; a--) {
    strides[a + lead] = from[a] === 1 ? 0 : stride;
    stride *= from[a];
  }
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    let src = 0;
    for (let a = to.length - 1; a >= 0; a--) {
      src += (rest % to[a]) * strides[a];
      rest = Math.floor(rest / to[a]);
    }
    out[flat] = values[src];
  }
  return out;
}
