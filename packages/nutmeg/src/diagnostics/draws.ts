// The `draws[chain][draw]` layout every diagnostic takes, its validation, and the elementary statistics over it (as R computes them).
import { OptionError } from '../core/errors.js';
import { sortFloat64 } from './sort.js';

/**
 * Draws of one scalar quantity, one array per chain: `draws[chain][draw]`. Plain arrays and
 * `Float64Array`s are both accepted. All chains must have the same length.
 */
export type Draws = readonly ArrayLike<number>[];

/**
 * Checks the shape of `draws` and returns its chain and draw counts.
 *
 * @param draws - `draws[chain][draw]`
 * @param fn - name of the calling diagnostic, used in the error message
 * @returns `{nChains, nDraws}`; `nDraws` is 0 when there are no chains
 * @throws OptionError when `draws` is not an array of arrays or its chains have unequal lengths
 */
export function checkDraws(draws: Draws, fn: string): { nChains: number; nDraws: number } {
  if (!Array.isArray(draws)) {
    throw new OptionError(`${fn}: draws`, 'expected an array of chains, draws[chain][draw]');
  }
  const nChains = draws.length;
  if (nChains === 0) return { nChains: 0, nDraws: 0 };
  for (let c = 0; c < nChains; c++) {
    const ch = draws[c];
    if (ch === null || typeof ch !== 'object' || typeof ch.length !== 'number') {
      throw new OptionError(`${fn}: draws`, `chain ${c} is not an array of numbers`);
    }
  }
  const nDraws = draws[0].length;
  for (let c = 1; c < nChains; c++) {
    if (draws[c].length !== nDraws) {
      throw new OptionError(
        `${fn}: draws`,
        `chains have unequal lengths (chain 0 has ${nDraws} draws, chain ${c} has ${draws[c].length}); ` +
          'trim them to a common length first',
      );
    }
  }
  return { nChains, nDraws };
}

/** True when any draw is NaN or ±Infinity. */
export function hasNonFinite(draws: Draws): boolean {
  for (const ch of draws) {
    for (let i = 0; i < ch.length; i++) if (!Number.isFinite(ch[i])) return true;
  }
  return false;
}

/**
 * True when all draws are equal up to `tol` (R posterior's `is_constant`: `|max − min| < tol`,
 * tol = machine epsilon).
 */
export function isConstant(draws: Draws, tol = Number.EPSILON): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ch of draws) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return Math.abs(hi - lo) < tol;
}

/** All draws of all chains in one array (chain-major). */
export function pooled(draws: Draws): Float64Array {
  let n = 0;
  for (const ch of draws) n += ch.length;
  const out = new Float64Array(n);
  let k = 0;
  for (const ch of draws) for (let i = 0; i < ch.length; i++) out[k++] = ch[i];
  return out;
}

/** The mean of `x`, with R's second pass that corrects the rounding of the first. */
export function mean(x: ArrayLike<number>): number {
  return meanOf(x, 0, x.length);
}

/** The mean of `x[off … off + n − 1]`, computed as `mean` computes it. */
export function meanOf(x: ArrayLike<number>, off: number, n: number): number {
  if (n === 0) return NaN;
  const end = off + n;
  let s = 0;
  for (let i = off; i < end; i++) s += x[i];
  const m = s / n;
  if (!Number.isFinite(m)) return m;
  let r = 0;
  for (let i = off; i < end; i++) r += x[i] - m;
  return m + r / n;
}

/** The sample variance of `x` (denominator n − 1, as R's `var`); NaN for fewer than 2 values. */
export function variance(x: ArrayLike<number>, center = mean(x)): number {
  return varianceOf(x, 0, x.length, center);
}

/** The sample variance of `x[off … off + n − 1]` around `center`, computed as `variance` computes it. */
export function varianceOf(x: ArrayLike<number>, off: number, n: number, center: number): number {
  if (n < 2) return NaN;
  const end = off + n;
  let s = 0;
  for (let i = off; i < end; i++) {
    const d = x[i] - center;
    s += d * d;
  }
  return s / (n - 1);
}

/**
 * Checks values for the degenerate cases of the diagnostics in one pass.
 *
 * @returns 2 when a value is non-finite, 1 when all are equal up to `Number.EPSILON` (as
 *   `isConstant`), 0 otherwise
 */
export function degeneracy(x: ArrayLike<number>, n = x.length): 0 | 1 | 2 {
  let lo = Infinity;
  let hi = -Infinity;
  let check = 0; // v − v is NaN exactly when v is NaN or ±Infinity
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    check += v - v;
  }
  if (check !== 0) return 2;
  return Math.abs(hi - lo) < Number.EPSILON ? 1 : 0;
}

/**
 * Splits each chain into its first and second half (Vehtari et al. 2021, as R posterior's
 * `.split_chains`): a chain of odd length loses its middle draw. Chains of one draw are kept whole.
 */
export function splitChains(draws: Draws): Float64Array[] {
  const out: Float64Array[] = [];
  if (draws.length === 0) return out;
  const n = draws[0].length;
  if (n <= 1) return draws.map((ch) => Float64Array.from(ch));
  const half = Math.floor(n / 2);
  const secondStart = Math.ceil(n / 2);
  for (const ch of draws) {
    const a = new Float64Array(half);
    const b = new Float64Array(half);
    for (let i = 0; i < half; i++) {
      a[i] = ch[i];
      b[i] = ch[secondStart + i];
    }
    out.push(a, b);
  }
  return out;
}

/**
 * The split chains of `splitChains` laid end to end in one buffer: half-chain j occupies
 * `out[j·len … (j + 1)·len − 1]`, in the order `splitChains` returns them.
 *
 * @param draws - `draws[chain][draw]`, chains of equal length
 * @param out - receives the draws; needs `nChains · nDraws` elements
 * @returns the number of (split) chains and their length
 */
export function splitInto(draws: Draws, out: Float64Array): { nChains: number; len: number } {
  const nChains = draws.length;
  if (nChains === 0) return { nChains: 0, len: 0 };
  const n = draws[0].length;
  if (n <= 1) {
    for (let c = 0; c < nChains; c++) if (n === 1) out[c] = draws[c][0];
    return { nChains, len: n };
  }
  const half = Math.floor(n / 2);
  const secondStart = Math.ceil(n / 2);
  let k = 0;
  for (const ch of draws) {
    for (let i = 0; i < half; i++) out[k++] = ch[i];
    for (let i = 0; i < half; i++) out[k++] = ch[secondStart + i];
  }
  return { nChains: 2 * nChains, len: half };
}

/** Applies `f` to every draw, keeping the chain layout. */
export function mapDraws(draws: Draws, f: (v: number) => number): Float64Array[] {
  return draws.map((ch) => {
    const o = new Float64Array(ch.length);
    for (let i = 0; i < ch.length; i++) o[i] = f(ch[i]);
    return o;
  });
}

/** A sorted copy of the pooled draws. */
export function sortedPooled(draws: Draws): Float64Array {
  return sortFloat64(pooled(draws));
}

/**
 * Quantile of sorted values by R's default definition (type 7: linear interpolation between order
 * statistics, `1 + (n − 1)·p`), computed as R computes it.
 *
 * @param sorted - values sorted ascending
 * @param p - probability in [0, 1]
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const index = (n - 1) * p; // 0-based form of 1 + (n − 1)·p
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo];
  const h = index - lo;
  if (index > lo && sorted[hi] !== qs) return (1 - h) * qs + h * sorted[hi];
  return qs;
}

/** The median of sorted values, as R's `median` (the mean of the two middle values for even n). */
export function medianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const half = n >> 1;
  if (n % 2 === 1) return sorted[half];
  return (sorted[half - 1] + sorted[half]) / 2;
}
