// exp and expm1 as fdlibm computes them (FreeBSD msun e_exp.c, s_expm1.c; the code V8 ships), so that every engine gives the same bits.
import { LIBM_IO, fromWords, highWord, lowWord, pow2, scale } from './words.js';

const O_THRESHOLD = 7.09782712893383973096e2; // 0x40862E42 FEFA39EF
const U_THRESHOLD = -7.45133219101941108420e2; // 0xc0874910 D52D3051
const LN2_HI = [6.93147180369123816490e-1, -6.93147180369123816490e-1];
const LN2_LO = [1.90821492927058770002e-10, -1.90821492927058770002e-10];
const INV_LN2 = 1.44269504088896338700e0;
const LN2_HI0 = LN2_HI[0];
const LN2_LO0 = LN2_LO[0];
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/**
 * e^x, to within 1 ulp, with the same bits in every JavaScript engine (fdlibm's algorithm: reduce
 * x = k·ln2 + r, a rational approximation of e^r, scale by 2^k). Engines' own `Math.exp` differ in
 * the last bit for a few percent of arguments (V8 11 and 14 do), which changes NUTS trajectories.
 * The common case is kept short so that V8 inlines it into the models' generated code (a call
 * that is not inlined boxes its argument and result).
 *
 * @param x - any number
 * @returns e^x
 * @example
 * ```ts
 * exp(1); // 2.718281828459045
 * ```
 */
export function exp(x: number): number {
  LIBM_IO[0] = x;
  expIO();
  return LIBM_IO[0];
}

/**
 * `LIBM_IO[0] = exp(LIBM_IO[0])`: the algorithm of {@link exp}, with its number in and out through
 * a Float64Array. The models' generated code calls it so, `(libmIO[0] = x, expIO(), libmIO[0])`:
 * a large generated function inlines few calls, and a call V8 does not inline boxes a double
 * argument and result (a heap allocation each); this one has none.
 */
export function expIO(): void {
  const x = LIBM_IO[0];
  // The thresholds are fdlibm's tests of the high word, as comparisons of |x| with the doubles
  // whose high words they are (exact: no word access on the common path).
  const ax = x < 0 ? -x : x;
  if (!(ax < 709)) {
    expOutside(); // also NaN
    return;
  }
  if (ax < 3.725290298461914e-9) {
    LIBM_IO[0] = 1 + x; // |x| < 2^-28
    return;
  }
  // k = 0 for |x| ≤ ln2/2 (0x3fd62e42), ±1 below 1.5·ln2 (0x3ff0a2b2), else round(x/ln2).
  const k = ax < 0.3465735912322998 ? 0 : ax < 1.0397205352783203 ? (x > 0 ? 1 : -1) : (INV_LN2 * x + (x > 0 ? 0.5 : -0.5)) | 0;
  if (x === 1) {
    LIBM_IO[0] = Math.E; // V8's special case for exp(1): the reduction gets e's last bit wrong
    return;
  }
  const hi = x - k * LN2_HI0; // exact
  const lo = k * LN2_LO0;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  // |k| ≤ 1023 here: one rounding even where the result is subnormal.
  LIBM_IO[0] = k === 0 ? 1 - ((r * c) / (c - 2) - r) : (1 - (lo - (r * c) / (2 - c) - hi)) * pow2(k);
}

/** `LIBM_IO[0] = exp(LIBM_IO[0])` where |x| ≥ 709 (overflow, underflow, the last finite values, ±∞, NaN). */
function expOutside(): void {
  const x = LIBM_IO[0];
  if (x !== x) return; // NaN
  if (x > O_THRESHOLD) LIBM_IO[0] = Infinity;
  else if (x < U_THRESHOLD) LIBM_IO[0] = 0;
  else {
    const k = (INV_LN2 * x + (x > 0 ? 0.5 : -0.5)) | 0;
    const hi = x - k * LN2_HI0;
    const lo = k * LN2_LO0;
    const r = hi - lo;
    const t = r * r;
    const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    LIBM_IO[0] = scale(1 - (lo - (r * c) / (2 - c) - hi), k);
  }
}

const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

/**
 * e^x − 1, accurate for small x, with the same bits in every engine (fdlibm's s_expm1.c).
 *
 * @param x - any number
 * @returns e^x − 1
 * @example
 * ```ts
 * expm1(1e-10); // 1.00000000005e-10
 * ```
 */
export function expm1(x: number): number {
  const hx = highWord(x) & 0x7fffffff;
  if (hx <= 0x3fd62e42) {
    // |x| ≤ ln2/2: no reduction (k = 0)
    if (hx < 0x3c900000) return x;
    const hfx = 0.5 * x;
    const hxs = x * hfx;
    const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
    const t = 3 - r1 * hfx;
    const e = hxs * ((r1 - t) / (6 - x * t));
    return x - (x * e - hxs);
  }
  return expm1Reduced(x);
}

/** expm1 for |x| > ln2/2: reduce x = k·ln2 + r (fdlibm's s_expm1.c). */
function expm1Reduced(x: number): number {
  const hxs = highWord(x);
  const negative = hxs < 0;
  const hx = hxs & 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x;
        return negative ? -1 : x;
      }
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1; // x < -56 ln2
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      if (!negative) {
        hi = x - LN2_HI[0];
        lo = LN2_LO[0];
        k = 1;
      } else {
        hi = x + LN2_HI[0];
        lo = -LN2_LO[0];
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI[0];
      lo = k * LN2_LO[0];
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }
  const hfx = 0.5 * x;
  const hxs2 = x * hfx;
  const r1 = 1 + hxs2 * (Q1 + hxs2 * (Q2 + hxs2 * (Q3 + hxs2 * (Q4 + hxs2 * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs2 * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs2);
  e = x * (e - c) - c;
  e -= hxs2;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2 * (e - (x + 0.5));
    return 1 + 2 * (x - e);
  }
  if (k <= -2 || k > 56) {
    const y = 1 - (e - x);
    return scale(y, k) - 1;
  }
  if (k < 20) {
    const t1 = fromWords(0x3ff00000 - (0x200000 >> k), 0); // 1 - 2^-k
    return scale(t1 - (e - x), k);
  }
  const t2 = fromWords((0x3ff - k) << 20, 0); // 2^-k
  return scale(x - (e + t2) + 1, k);
}
