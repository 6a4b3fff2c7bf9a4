// The two 32-bit halves of a double, as fdlibm's __HI/__LO macros read and write them (a shared scratch Float64Array).

/**
 * The number in and out of the `…IO` functions (expIO, logIO, log1pIO), which the models'
 * generated code calls without passing a double: see expIO in exp.ts.
 */
export const LIBM_IO = new Float64Array(1);

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const I32 = new Int32Array(F64.buffer);
/** Index of the high word in `U32`: 1 on little-endian machines (all current ones), 0 on big-endian. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** A double's scratch slot for generated code (inline.ts), and its high word as a signed integer: `LIBM_WORDS[0] = x; LIBM_WORDS_HIGH[0]` is `highWord(x)`. */
export const LIBM_WORDS = new Float64Array(1);
export const LIBM_WORDS_HIGH = new Int32Array(LIBM_WORDS.buffer, 4 * HI, 1);

/** The high word of `x` (sign, exponent, top 20 mantissa bits) as a signed 32-bit integer, like fdlibm's `__HI`. */
export function highWord(x: number): number {
  F64[0] = x;
  return I32[HI];
}

/** The low word of `x` (the bottom 32 mantissa bits) as an unsigned integer, like fdlibm's `__LO`. */
export function lowWord(x: number): number {
  F64[0] = x;
  return U32[LO];
}

/** The double whose high and low words are `hi` and `lo`. */
export function fromWords(hi: number, lo: number): number {
  U32[HI] = hi;
  U32[LO] = lo;
  return F64[0];
}

/** `x` with its low word cleared (fdlibm's `__LO(x) = 0`). */
export function clearLow(x: number): number {
  F64[0] = x;
  U32[LO] = 0;
  return F64[0];
}

/** `x` with its high word replaced (fdlibm's `__HI(x) = hi`). */
export function withHigh(x: number, hi: number): number {
  F64[0] = x;
  U32[HI] = hi;
  return F64[0];
}

/**
 * 2^k for k = -1074…1023 at index k + 1074, subnormal powers included (a table: building a double
 * from its words stalls the CPU's store forwarding).
 */
const POW2 = new Float64Array(2098);
/** The table of {@link pow2}, for generated code (inline.ts): `LIBM_POW2[k + 1074]` is 2^k. */
export const LIBM_POW2: Float64Array = POW2;
POW2[1074] = 1;
for (let k = 1; k <= 1023; k++) POW2[1074 + k] = POW2[1073 + k] * 2;
for (let k = 1; k <= 1074; k++) POW2[1074 - k] = POW2[1075 - k] / 2;

/** 2^k for an integer k in [-1074, 1023] (exact). */
export function pow2(k: number): number {
  return POW2[k + 1074];
}

/**
 * `y · 2^k` for an integer k in [-1075, 1024] as fdlibm's exponent arithmetic gives it: exact while
 * the result is normal, one rounding where it is subnormal.
 */
export function scale(y: number, k: number): number {
  if (k > 1023) return y * 2 * pow2(k - 1);
  if (k >= -1022) return y * pow2(k);
  return y * pow2(k + 54) * 5.551115123125783e-17; // 2^-54: exact, then one rounding
}
