// log and log1p as fdlibm computes them (FreeBSD msun e_log.c, s_log1p.c; the code V8 ships), so that every engine gives the same bits.
import { LIBM_IO, highWord, lowWord, pow2 } from './words.js';

// fdlibm's constants; log1pSum.ts, which writes log1p's paths into its loop, uses the same ones.
export const LN2_HI = 6.93147180369123816490e-1; // 3fe62e42 fee00000
export const LN2_LO = 1.90821492927058770002e-10; // 3dea39ef 35793c76
const TWO54 = 1.80143985094819840000e16;
export const LG1 = 6.666666666666735130e-1;
export const LG2 = 3.999999999940941908e-1;
export const LG3 = 2.857142874366239149e-1;
export const LG4 = 2.222219843214978396e-1;
export const LG5 = 1.818357216161805012e-1;
export const LG6 = 1.531383769920937332e-1;
export const LG7 = 1.479819860511658591e-1;

/**
 * The natural logarithm, to within 1 ulp, with the same bits in every JavaScript engine (fdlibm's
 * algorithm: x = 2^k·(1+f), log(1+f) from a polynomial in s = f/(2+f)).
 *
 * @param x - any number
 * @returns ln x (−Infinity at 0, NaN below 0)
 * @example
 * ```ts
 * log(Math.E); // 1
 * ```
 */
export function log(x: number): number {
  LIBM_IO[0] = x;
  logIO();
  return LIBM_IO[0];
}

/** `LIBM_IO[0] = log(LIBM_IO[0])`, called without passing a double (see expIO in exp.ts). */
export function logIO(): void {
  const hx = highWord(LIBM_IO[0]);
  if (hx < 0x00100000 || hx >= 0x7ff00000) logOutside(hx);
  else logNormal(hx, 0);
}

/** `LIBM_IO[0] = log(x) + k0·ln2` for a positive normal x = LIBM_IO[0] with high word `hx`: fdlibm's main path. */
function logNormal(hx: number, k0: number): void {
  const x = LIBM_IO[0];
  const e = (hx >> 20) - 1023;
  const m = hx & 0x000fffff;
  const half = (m + 0x95f64) & 0x100000; // mantissa past √2: use x/2
  // Normalise x to [1, √2) or x/2 to [√2/2, 1): fdlibm rewrites the exponent bits; scaling by a
  // power of two gives the same (exact) value without a store-forwarding stall.
  const k = k0 + e + (half >> 20);
  const f = x * pow2(-e - (half >> 20)) - 1;
  // With k = 0 the k·ln2 terms below are exact zeros: fdlibm's separate k = 0 branches give the same bits.
  if ((0x000fffff & (2 + m)) < 3) {
    // |f| < 2^-20
    if (f === 0) LIBM_IO[0] = k * LN2_HI + k * LN2_LO;
    else LIBM_IO[0] = k * LN2_HI - (f * f * (0.5 - 0.3333333333333333 * f) - k * LN2_LO - f);
    return;
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  if (((m - 0x6147a) | (0x6b851 - m)) > 0) {
    const hfsq = 0.5 * f * f;
    LIBM_IO[0] = k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  } else {
    LIBM_IO[0] = k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
  }
}

/** `LIBM_IO[0] = log(LIBM_IO[0])` for zero, negative numbers, subnormals, ∞ and NaN. */
function logOutside(hx: number): void {
  const x = LIBM_IO[0];
  if (hx >= 0x7ff00000) LIBM_IO[0] = x + x;
  else if (((hx & 0x7fffffff) | lowWord(x)) === 0) LIBM_IO[0] = -Infinity;
  else if (hx < 0) LIBM_IO[0] = NaN;
  else {
    LIBM_IO[0] = x * TWO54; // subnormal: scale up
    logNormal(highWord(LIBM_IO[0]), -54);
  }
}

/**
 * ln(1 + x), accurate for small x, with the same bits in every engine (fdlibm's s_log1p.c).
 *
 * @param x - a number ≥ −1
 * @returns ln(1 + x) (−Infinity at −1, NaN below)
 * @example
 * ```ts
 * log1p(1e-10); // 9.9999999995e-11
 * ```
 */
export function log1p(x: number): number {
  LIBM_IO[0] = x;
  log1pIO();
  return LIBM_IO[0];
}

/** `LIBM_IO[0] = log1p(LIBM_IO[0])`, called without passing a double (see expIO in exp.ts). */
export function log1pIO(): void {
  const x = LIBM_IO[0];
  const hx = highWord(x);
  let f: number;
  let k = 0;
  let c = 0;
  if (hx < 0x3fda827a && (hx > 0 || hx <= (0xbfd2bec4 | 0))) {
    // -0.2929 < x < 0.41422: f = x, no reduction (fdlibm's k = 0, hu = 1)
    const ax = hx & 0x7fffffff;
    if (ax < 0x3e200000) {
      if (ax >= 0x3c900000) LIBM_IO[0] = x - x * x * 0.5; // 2^-54 ≤ |x| < 2^-29 (else log1p(x) = x)
      return;
    }
    f = x;
  } else {
    if (hx >= 0x43400000 || hx < 0x3fda827a) {
      S[0] = x;
      log1pOutside(hx);
      LIBM_IO[0] = S[0];
      return;
    }
    // 1 + x = 2^k·(1 + f), with c correcting the rounding of 1 + x.
    const u = 1 + x;
    const hu = highWord(u);
    const e = (hu >> 20) - 1023;
    const m = hu & 0x000fffff;
    c = (e > 0 ? 1 - (u - x) : x - (u - 1)) / u;
    // Normalise u to [1, √2) or u/2 to [√2/2, 1), exactly, by a power of two (fdlibm sets the exponent bits).
    k = m < 0x6a09e ? e : e + 1;
    f = u * pow2(-k) - 1;
    if ((m < 0x6a09e ? m : (0x00100000 - m) >> 2) === 0) {
      S[0] = f;
      S[1] = k;
      S[2] = c;
      log1pNearPowerOf2();
      LIBM_IO[0] = S[0];
      return;
    }
  }
  // The polynomial in s = f/(2+f) (also in log1pPolynomial, for the rare paths); with k = c = 0
  // the k·ln2 + c terms are exact zeros: fdlibm's separate k = 0 branch gives the same bits.
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  LIBM_IO[0] = k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}

/** Scratch for log1p's rare paths, which take their numbers here rather than as arguments (no boxed doubles). */
const S = new Float64Array(3);

/** ln(1 + f) + k·ln2 + c for |f| ≥ 2^-20 (fdlibm's polynomial in s = f/(2+f)), for log1p's rare paths. */
function log1pPolynomial(f: number, k: number, c: number): number {
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}

/** S[0] = ln(1 + f) + k·ln2 + c for |f| < 2^-20, from S = [f, k, c]. */
function log1pNearPowerOf2(): void {
  const f = S[0];
  const k = S[1];
  const c = S[2];
  if (f === 0) {
    S[0] = k * LN2_HI + (c + k * LN2_LO);
    return;
  }
  const r = 0.5 * f * f * (1 - 0.6666666666666666 * f);
  S[0] = k * LN2_HI - (r - (k * LN2_LO + c) - f);
}

/** S[0] = log1p(S[0]) for x ≤ -0.2929 and x ≥ 2^53, ±∞ and NaN (high word `hx`). */
function log1pOutside(hx: number): void {
  const x = S[0];
  let u = x;
  let c = 0;
  let hu = hx;
  if (hx >= 0x7ff00000) {
    S[0] = x + x;
    return;
  }
  if (hx < 0x43400000) {
    if ((hx & 0x7fffffff) >= 0x3ff00000) {
      S[0] = x === -1 ? -Infinity : NaN; // x ≤ -1
      return;
    }
    u = 1 + x; // -1 < x ≤ -0.2929
    hu = highWord(u);
    c = ((hu >> 20) - 1023 > 0 ? 1 - (u - x) : x - (u - 1)) / u;
  } // else x ≥ 2^53: 1 + x rounds to x, no correction term
  const e = (hu >> 20) - 1023;
  const m = hu & 0x000fffff;
  const k = m < 0x6a09e ? e : e + 1;
  const f = u * pow2(-k) - 1;
  if ((m < 0x6a09e ? m : (0x00100000 - m) >> 2) === 0) {
    S[0] = f;
    S[1] = k;
    S[2] = c;
    log1pNearPowerOf2();
    return;
  }
  S[0] = log1pPolynomial(f, k, c);
}
