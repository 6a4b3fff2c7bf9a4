// exp over arrays (e^(a·x_i − b) into a buffer, or summed): the same bits as exp term by term, about twice as fast in a loop.
import { exp } from './exp.js';
import { LIBM_POW2 } from './words.js';
import { wasmExpInto } from './libmKernels.js';

/** From this length on expInto runs in WebAssembly SIMD (libmKernels.ts): below it the copies in and out cost more than they save. */
const WASM_MIN_LENGTH = 64;

/*
 * Why a second form of exp: V8 inlines exp() and expIO() into a loop, yet the loop runs 2–3×
 * slower than the same arithmetic written as one small function that returns its value (its
 * number passes through LIBM_IO on every call, and the early returns of the rare paths stay in
 * the loop). expCommon below is exp.ts's algorithm for 2^-28 ≤ |v| < 709, v ≠ 1, and calls exp
 * itself for everything else, so each result has exp's bits; exp is the reference and
 * test/core/expArray.test.ts holds the two together on every path.
 */

/** exp(v) as exp.ts computes it: its common path inline, the rest by exp itself. */
function expCommon(v: number): number {
  const av = v < 0 ? -v : v;
  if (!(av < 709) || av < 3.725290298461914e-9 || v === 1) return exp(v);
  // k = 0 for |v| ≤ ln2/2, ±1 below 1.5·ln2, else round(v/ln2) (exp.ts's reduction and constants).
  const k = av < 0.3465735912322998 ? 0 : av < 1.0397205352783203 ? (v > 0 ? 1 : -1) : (1.44269504088896338700e0 * v + (v > 0 ? 0.5 : -0.5)) | 0;
  const hi = v - k * 6.93147180369123816490e-1;
  const lo = k * 1.90821492927058770002e-10;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (1.66666666666666019037e-1 + t * (-2.77777777770155933842e-3 + t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  return k === 0 ? 1 - ((r * c) / (c - 2) - r) : (1 - (lo - (r * c) / (2 - c) - hi)) * LIBM_POW2[k + 1074];
}

/**
 * Writes exp(a·x_i − b) into `out[i]` for every i, each with the bits of {@link exp}.
 *
 * @param out - the result (may be `x` itself), at least as long as `x`
 * @param x - the values
 * @param a - scale (a·x_i is exact for a = 1 or 2)
 * @param b - shift
 * @returns `out`
 * @example
 * ```ts
 * expInto(new Float64Array(2), Float64Array.of(0, 1), 1, 1); // [exp(-1), 1]
 * ```
 */
export function expInto(out: Float64Array, x: Float64Array, a: number, b: number): Float64Array {
  if (x.length >= WASM_MIN_LENGTH && wasmExpInto(out, x, a, b)) return out;
  for (let i = 0; i < x.length; i++) out[i] = expCommon(a * x[i] - b);
  return out;
}

/**
 * Σ exp(x_i − b) over `x[start…end)`, added in order, each term with the bits of {@link exp}.
 *
 * @param x - the values
 * @param b - shift (e.g. the largest x_i, so that nothing overflows)
 * @param start - first index (default 0)
 * @param end - one past the last index (default `x.length`)
 * @returns the sum
 * @example
 * ```ts
 * sumExp(Float64Array.of(0, 0), 0); // 2
 * ```
 */
export function sumExp(x: ArrayLike<number>, b: number, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += expCommon(x[i] - b);
  return s;
}
