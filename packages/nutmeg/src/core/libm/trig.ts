// sin, cos, tanh and cosh as fdlibm computes them (k_sin.c, k_cos.c, e_rem_pio2.c, s_tanh.c, e_cosh.c; the code V8 11 ships), so that every engine gives the same bits.
import { expm1, exp } from './exp.js';
import { fromWords, highWord } from './words.js';

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

/** sin on [-π/4, π/4] of x + y (y the tail of a reduced argument; `iy` 0 when there is none). */
function kernelSin(x: number, y: number, iy: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;

/** cos on [-π/4, π/4] of x + y. */
function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return 1; // |x| < 2^-27
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0); // x/4
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
/** High words of n·π/2 for n = 1…32 (the quick check for cancellation in the reduction). */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c,
  0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c,
  0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];
/** The reduced argument's head and tail (`y[0]`, `y[1]` in fdlibm). */
const reduced = new Float64Array(2);

/**
 * x − n·π/2 into `reduced` for |x| < 2^19·π/2, returning n (fdlibm's __ieee754_rem_pio2, without
 * its large-argument branch), or NaN beyond that range.
 */
function remPio2(x: number, hx: number, ix: number): number {
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    let z: number;
    if (hx > 0) {
      z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        reduced[0] = z - PIO2_1T;
        reduced[1] = z - reduced[0] - PIO2_1T;
      } else {
        z -= PIO2_2;
        reduced[0] = z - PIO2_2T;
        reduced[1] = z - reduced[0] - PIO2_2T;
      }
      return 1;
    }
    z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced[0] = z + PIO2_1T;
      reduced[1] = z - reduced[0] + PIO2_1T;
    } else {
      z += PIO2_2;
      reduced[0] = z + PIO2_2T;
      reduced[1] = z - reduced[0] + PIO2_2T;
    }
    return -1;
  }
  if (ix > 0x413921fb) return NaN;
  const t0 = Math.abs(x);
  const n = (t0 * INV_PIO2 + 0.5) | 0;
  const fn = n;
  let r = t0 - fn * PIO2_1;
  let w = fn * PIO2_1T;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    reduced[0] = r - w;
  } else {
    const j = ix >> 20;
    reduced[0] = r - w;
    let i = j - ((highWord(reduced[0]) >> 20) & 0x7ff);
    if (i > 16) {
      let t = r;
      w = fn * PIO2_2;
      r = t - w;
      w = fn * PIO2_2T - (t - r - w);
      reduced[0] = r - w;
      i = j - ((highWord(reduced[0]) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * PIO2_3;
        r = t - w;
        w = fn * PIO2_3T - (t - r - w);
        reduced[0] = r - w;
      }
    }
  }
  reduced[1] = r - reduced[0] - w;
  if (hx < 0) {
    reduced[0] = -reduced[0];
    reduced[1] = -reduced[1];
    return -n;
  }
  return n;
}

/**
 * The sine, with the same bits in every engine for |x| < 2^19·π/2 ≈ 823550 (fdlibm); beyond that
 * the engine's `Math.sin`.
 *
 * @param x - an angle in radians
 * @returns sin x
 * @example
 * ```ts
 * sin(Math.PI / 6); // 0.49999999999999994
 * ```
 */
export function sin(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, hx, ix);
  if (n !== n) return Math.sin(x);
  switch (n & 3) {
    case 0: return kernelSin(reduced[0], reduced[1], 1);
    case 1: return kernelCos(reduced[0], reduced[1]);
    case 2: return -kernelSin(reduced[0], reduced[1], 1);
    default: return -kernelCos(reduced[0], reduced[1]);
  }
}

/**
 * The cosine, with the same bits in every engine for |x| < 2^19·π/2 ≈ 823550 (fdlibm); beyond
 * that the engine's `Math.cos`.
 *
 * @param x - an angle in radians
 * @returns cos x
 * @example
 * ```ts
 * cos(0); // 1
 * ```
 */
export function cos(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x, hx, ix);
  if (n !== n) return Math.cos(x);
  switch (n & 3) {
    case 0: return kernelCos(reduced[0], reduced[1]);
    case 1: return -kernelSin(reduced[0], reduced[1], 1);
    case 2: return -kernelCos(reduced[0], reduced[1]);
    default: return kernelSin(reduced[0], reduced[1], 1);
  }
}

/**
 * The hyperbolic tangent, with the same bits in every engine (fdlibm's s_tanh.c, through {@link expm1}).
 *
 * @param x - any number
 * @returns tanh x
 * @example
 * ```ts
 * tanh(0.5); // 0.46211715726000974
 * ```
 */
export function tanh(x: number): number {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1 / x + 1 : 1 / x - 1;
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28
    if (ix >= 0x3ff00000) {
      const t = expm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1;
  }
  return jx >= 0 ? z : -z;
}

/** Beyond this |x|, cosh overflows. */
const COSH_OVERFLOW = 710.4758600739439;

/**
 * The hyperbolic cosine, with the same bits in every engine (V8's e_cosh.c, through {@link exp} and {@link expm1}).
 *
 * @param x - any number
 * @returns cosh x
 * @example
 * ```ts
 * cosh(0); // 1
 * ```
 */
export function cosh(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  const ax = Math.abs(x);
  if (ix < 0x3fd62e43) {
    // |x| < ln2/2
    const t = expm1(ax);
    const w = 1 + t;
    if (ix < 0x3c800000) return w;
    return 1 + (t * t) / (w + w);
  }
  if (ix < 0x40360000) {
    const t = exp(ax);
    return 0.5 * t + 0.5 / t;
  }
  if (ix < 0x40862e42) return 0.5 * exp(ax);
  if (ax <= COSH_OVERFLOW) {
    const w = exp(0.5 * ax);
    return 0.5 * w * w;
  }
  if (ix >= 0x7ff00000) return x * x;
  return Infinity;
}
