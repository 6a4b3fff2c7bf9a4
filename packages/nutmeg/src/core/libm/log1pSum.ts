// Σ log1p(c·x_i) with log1p's common paths written into the loop: the same bits as summing log1p term by term, at a fraction of the cost (PSIS's generalized Pareto fit).
import { LG1, LG2, LG3, LG4, LG5, LG6, LG7, LN2_HI, LN2_LO, log1p } from './log.js';
import { LIBM_POW2, fromWords } from './words.js';
import { wasmLog1pSums } from './libmKernels.js';

// log1pIO's tests of the high word, as comparisons with the doubles whose high words they bound.
/** 2^-29 (high word 0x3e200000): below it log1p(v) is v or v − v²/2 (left to log1p). */
const TINY = fromWords(0x3e200000, 0);
/** High word 0x3fda827a (about √2 − 1): positive v below it need no reduction. */
const NO_REDUCTION_POSITIVE = fromWords(0x3fda827a, 0);
/** High word above 0x3fd2bec4 (about 1 − √2/2): negative v with |v| below it need no reduction. */
const NO_REDUCTION_NEGATIVE = fromWords(0x3fd2bec5, 0);
/** 2^31 and 2^-31, to scale u to an integer for clz32. */
const TWO31 = 2147483648;
const INV_TWO31 = 1 / TWO31;
/** fdlibm's tests of the mantissa bits m (high word & 0xfffff) of 1 + v, for u scaled to [1, 2): m < 0x6a09e (below about √2), m = 0, m ≥ 0xffffd. */
const SQRT2_CUT = fromWords(0x3ff6a09e, 0);
const NEAR_ONE = fromWords(0x3ff00001, 0);
const NEAR_TWO = fromWords(0x3ffffffd, 0);
/** 2^53: from there 1 + v rounds to v (log1p's other reduction, left to log1p). */
const TWO53 = fromWords(0x43400000, 0);

/**
 * Σ_i log1p(c·x_i), each term computed exactly as {@link log1p} computes log1p(c·x_i) and added in
 * order, so the sum has the bits of `for (…) s += log1p(c * x[i])`. log1p's common paths (no
 * reduction for −0.29 < v < 0.41; the reduction 1 + v = 2^k·(1 + f) for −1 < v < 2^53) are written
 * into the loop; tiny arguments, arguments next to a power of two, v ≤ −1, v ≥ 2^53 and NaN call
 * log1p itself. A call per term that V8 does not inline (log1p is too large to) costs 3–4× its
 * arithmetic: PSIS's Zhang–Stephens fit sums ~40 × M of them per set of draws.
 *
 * @param c - the scale of every term
 * @param x - the values
 * @returns Σ log1p(c·x_i) (NaN if a term is NaN, −Infinity if one is −1)
 * @example
 * ```ts
 * log1pSum(-0.5, Float64Array.of(1, 0.5)); // log1p(-0.5) + log1p(-0.25) ≈ -0.9808
 * ```
 */
export function log1pSum(c: number, x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = c * x[i];
    const av = v < 0 ? -v : v;
    let f = v;
    let k = 0;
    let corr = 0;
    if (!(av >= TINY)) {
      sum += log1p(v); // tiny, or NaN
      continue;
    }
    if (v > 0 ? v >= NO_REDUCTION_POSITIVE : av >= NO_REDUCTION_NEGATIVE) {
      if (!(v > -1 && v < TWO53)) {
        sum += log1p(v);
        continue;
      }
      // 1 + v = 2^k·(1 + f), with corr correcting the rounding of 1 + v (log1pIO's reduction). The
      // exponent e of u comes from clz32 of an exactly scaled integer part, not from u's high
      // word: writing a double and reading half of it back stalls the CPU (store forwarding).
      const u = 1 + v;
      let e: number;
      if (u >= 1) e = u < TWO31 ? 31 - Math.clz32(u) : 62 - Math.clz32(u * INV_TWO31);
      else if (u >= INV_TWO31) e = -Math.clz32(u * TWO31);
      else {
        sum += log1p(v);
        continue;
      }
      // u / 2^e in [1, 2): its top 20 mantissa bits m compared with fdlibm's thresholds as doubles.
      const normal = u * LIBM_POW2[1074 - e];
      if (normal < NEAR_ONE || normal >= NEAR_TWO) {
        sum += log1p(v); // 1 + v next to a power of two (m = 0 or m ≥ 0xffffd)
        continue;
      }
      corr = (e > 0 ? 1 - (u - v) : v - (u - 1)) / u;
      k = normal < SQRT2_CUT ? e : e + 1;
      f = u * LIBM_POW2[1074 - k] - 1;
    }
    const hfsq = 0.5 * f * f;
    const s = f / (2 + f);
    const z = s * s;
    const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
    sum += k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + corr)) - f);
  }
  return sum;
}

/**
 * {@link log1pSum} for several scales over the same values: `out[j] = Σ_i log1p(c[j]·x_i)`, each
 * sum with the bits of `log1pSum(c[j], x)`; in WebAssembly SIMD where available (libmKernels.ts),
 * two terms per instruction and x copied once for all the scales.
 *
 * @param c - the scales
 * @param x - the values
 * @param out - receives one sum per scale (length ≥ c.length)
 * @returns `out`
 * @example
 * ```ts
 * log1pSums(Float64Array.of(-0.5, 1), Float64Array.of(1, 0.5), new Float64Array(2)); // [log1p(-0.5) + log1p(-0.25), log1p(1) + log1p(0.5)]
 * ```
 */
export function log1pSums(c: Float64Array, x: Float64Array, out: Float64Array): Float64Array {
  if (!wasmLog1pSums(c, x, out)) for (let j = 0; j < c.length; j++) out[j] = log1pSum(c[j], x);
  return out;
}

/** Scratch for {@link log1pInto}'s single scale. */
const ONE_SCALE = new Float64Array(1);
const ONE_SUM = new Float64Array(1);

/**
 * `out[i] = log1p(c·x_i)` for every i, each with the bits of {@link log1p}; in WebAssembly SIMD
 * where available (libmKernels.ts), else log1p term by term.
 *
 * @param out - the results (length ≥ x.length; may not be `x`)
 * @param c - the scale of every term
 * @param x - the values
 * @returns `out`
 * @example
 * ```ts
 * log1pInto(new Float64Array(2), 0.5, Float64Array.of(1, 2)); // [log1p(0.5), log1p(1)]
 * ```
 */
export function log1pInto(out: Float64Array, c: number, x: Float64Array): Float64Array {
  ONE_SCALE[0] = c;
  if (!wasmLog1pSums(ONE_SCALE, x, ONE_SUM, out)) for (let i = 0; i < x.length; i++) out[i] = log1p(c * x[i]);
  return out;
}
