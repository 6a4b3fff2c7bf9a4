// pow as fdlibm computes it (e_pow.c; the code V8 ships), with JavaScript's special cases, so that every engine gives the same bits.
import { clearLow, fromWords, highWord, lowWord, scale, withHigh } from './words.js';

const BP = [1, 1.5];
const DP_H = [0, 5.84962487220764160156e-1];
const DP_L = [0, 1.35003920212974897128e-8];
const TWO53 = 9007199254740992;
const HUGE = 1e300;
const TINY = 1e-300;
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1;
const LG2_H = 6.93147182464599609375e-1;
const LG2_L = -1.90465429995776804525e-9;
const OVT = 8.008566259537294e-17;
const CP = 9.61796693925975554329e-1;
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const IVLN2 = 1.44269504088896338700e0;
const IVLN2_H = 1.44269502162933349609e0;
const IVLN2_L = 1.92596299112661746887e-8;

/**
 * How y is an integer, for x < 0: 0 not an integer, 1 odd, 2 even (fdlibm's `yisint`).
 */
function integerKind(iy: number, ly: number): number {
  if (iy >= 0x43400000) return 2;
  if (iy < 0x3ff00000) return 0;
  const k = (iy >> 20) - 0x3ff;
  if (k > 20) {
    const j = ly >>> (52 - k);
    return (j << (52 - k)) >>> 0 === ly ? 2 - (j & 1) : 0;
  }
  if (ly !== 0) return 0;
  const j = iy >> (20 - k);
  return j << (20 - k) === iy ? 2 - (j & 1) : 0;
}

/**
 * log2(|x|) as a head `t1` (low word zero) and a tail `t2`, written to `out` (fdlibm's pow, first half).
 */
function log2Split(ax: number, ix: number, out: Float64Array): void {
  let n = 0;
  if (ix < 0x00100000) {
    ax *= TWO53;
    n -= 53;
    ix = highWord(ax);
  }
  n += (ix >> 20) - 0x3ff;
  const j = ix & 0x000fffff;
  ix = j | 0x3ff00000;
  let k: number;
  if (j <= 0x3988e) k = 0; // |x| < sqrt(3/2)
  else if (j < 0xbb67a) k = 1; // |x| < sqrt(3)
  else {
    k = 0;
    n += 1;
    ix -= 0x00100000;
  }
  ax = withHigh(ax, ix);
  let u = ax - BP[k];
  let v = 1 / (ax + BP[k]);
  const ss = u * v;
  const sH = clearLow(ss);
  let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
  let tL = ax - (tH - BP[k]);
  const sL = v * (u - sH * tH - sH * tL);
  let s2 = ss * ss;
  let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
  r += sL * (sH + ss);
  s2 = sH * sH;
  tH = clearLow(3 + s2 + r);
  tL = r - (tH - 3 - s2);
  u = sH * tH;
  v = sL * tH + tL * ss;
  const pH = clearLow(u + v);
  const pL = v - (pH - u);
  const zH = CP_H * pH;
  const zL = CP_L * pH + pL * CP + DP_L[k];
  const t = n;
  const t1 = clearLow(zH + zL + DP_H[k] + t);
  out[0] = t1;
  out[1] = zL - (t1 - t - DP_H[k] - zH);
}

const split = new Float64Array(2);

/**
 * x^y, to within 1 ulp, with the same bits in every JavaScript engine (fdlibm's algorithm: y·log2 x
 * in extra precision, then 2^that), and JavaScript's answers for the special cases (`Math.pow`'s:
 * NaN for 1^±∞ and any NaN exponent).
 *
 * @param x - the base
 * @param y - the exponent
 * @returns x^y
 * @example
 * ```ts
 * pow(2, 0.5); // 1.4142135623730951
 * ```
 */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  const ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1;
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return NaN;
  const yisint = hx < 0 ? integerKind(iy, ly) : 0;
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y is ±∞
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (±1)^±∞ is NaN in JavaScript
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0;
      return hy < 0 ? -y : 0;
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
    if (hy === 0x40000000) return x * x;
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // correctly rounded everywhere
  }
  const ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    let z = hy < 0 ? 1 / ax : ax; // x is ±0, ±∞, ±1
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0) z = NaN;
      else if (yisint === 1) z = -z;
    }
    return z;
  }
  const n0 = (hx >> 31) + 1;
  if ((n0 | yisint) === 0) return NaN; // (x<0)^(non-integer)
  const s = (n0 | (yisint - 1)) === 0 ? -1 : 1;
  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = clearLow(u + v);
    t2 = v - (t1 - u);
  } else {
    log2Split(ax, ix, split);
    t1 = split[0];
    t2 = split[1];
  }
  return s * exp2Split(y, t1, t2);
}

/** 2^(y·(t1 + t2)) with overflow and underflow (fdlibm's pow, second half). */
function exp2Split(y: number, t1: number, t2: number): number {
  const y1 = clearLow(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  const j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i) !== 0 || pL + OVT > z - pH) return HUGE * HUGE; // z ≥ 1024
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - (0xc090cc00 | 0)) | i) !== 0 || pL <= z - pH) return TINY * TINY; // z ≤ -1075
  }
  const ai = j & 0x7fffffff;
  let k = (ai >> 20) - 0x3ff;
  let n = 0;
  if (ai > 0x3fe00000) {
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = clearLow(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const c = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * c) / (c - 2) - (w + z * w);
  z = 1 - (r - z);
  return scale(z, n);
}
