// Fast ascending sorts of Float64 draws and their argsort, through order-preserving 64-bit integer keys.

/*
 * Why integer keys: V8 sorts a BigUint64Array natively about four times faster than a
 * Float64Array (measured on Node 20: 60 µs against 250 µs for 4000 draws), and an argsort with a
 * comparator callback is slower still. A double's bits become an unsigned key that sorts in the
 * same order (flip every bit of a negative number, only the sign bit of a positive one); keys are
 * written through a Uint32Array view of the same buffer, so no BigInt is ever created.
 */

/** True on little-endian platforms (all current JS engines in practice); otherwise the native sorts are used. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Reusable key buffer (grown on demand). */
let keyBuffer = new BigUint64Array(0);

function keys(n: number): { big: BigUint64Array; words: Uint32Array } {
  if (keyBuffer.length < n) keyBuffer = new BigUint64Array(Math.max(n, 2 * keyBuffer.length));
  const big = keyBuffer.subarray(0, n);
  return { big, words: new Uint32Array(big.buffer, big.byteOffset, 2 * n) };
}

/** The 32-bit words of a Float64Array (little-endian: low word first). */
function wordsOf(x: Float64Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
}

/**
 * Sorts `x` ascending in place, as `Float64Array.prototype.sort` does (−0 before +0, NaN last),
 * but faster.
 *
 * @param x - values; may contain NaN and ±Infinity
 * @returns `x`
 * @example
 * sortFloat64(Float64Array.of(3, -1, 2)); // Float64Array [-1, 2, 3]
 */
export function sortFloat64(x: Float64Array): Float64Array {
  const n = x.length;
  if (n < 64 || !LITTLE_ENDIAN) return x.sort();
  const xw = wordsOf(x);
  const { big, words } = keys(n);
  for (let i = 0; i < n; i++) {
    const lo = xw[2 * i];
    const hi = xw[2 * i + 1];
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0) return x.sort(); // NaN
    if (hi & 0x80000000) {
      words[2 * i] = ~lo;
      words[2 * i + 1] = ~hi;
    } else {
      words[2 * i] = lo;
      words[2 * i + 1] = hi | 0x80000000;
    }
  }
  big.sort();
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      xw[2 * i] = lo;
      xw[2 * i + 1] = hi & 0x7fffffff;
    } else {
      xw[2 * i] = ~lo;
      xw[2 * i + 1] = ~hi;
    }
  }
  return x;
}

/** A sorted copy of `x` (see `sortFloat64`). */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  return sortFloat64(Float64Array.from(x));
}

/**
 * The permutation that sorts finite values ascending (`x[order[0]] ≤ x[order[1]] ≤ …`), and the
 * sorted values. The order among equal values is unspecified.
 *
 * Each key carries the value's order-preserving bits with its lowest b bits replaced by the
 * index (b = ⌈log2 n⌉), so one native integer sort yields the permutation. Values that agree in
 * all but those b bits (relative differences below about 2^(b−52)) may come out in index order;
 * a check pass finds such runs and sorts them by value, so the result is exact.
 *
 * @param x - finite values (NaN is not allowed)
 * @param order - output permutation, length ≥ x.length
 * @param sorted - output sorted values, length ≥ x.length
 */
export function argsortFloat64(x: Float64Array, order: Uint32Array, sorted: Float64Array): void {
  const n = x.length;
  let bits = 1;
  while (1 << bits < n && bits < 31) bits++;
  if (n < 16 || !LITTLE_ENDIAN || 2 ** bits < n) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.subarray(0, n).sort((a, b) => x[a] - x[b] || (Object.is(x[a], -0) ? -1 : 0));
    for (let k = 0; k < n; k++) sorted[k] = x[order[k]];
    return;
  }
  const mask = (1 << bits) - 1;
  const keep = ~mask;
  const xw = wordsOf(x);
  const { big, words } = keys(n);
  for (let i = 0; i < n; i++) {
    const lo = xw[2 * i];
    const hi = xw[2 * i + 1];
    if (hi & 0x80000000) {
      words[2 * i] = (~lo & keep) | i;
      words[2 * i + 1] = ~hi;
    } else {
      words[2 * i] = (lo & keep) | i;
      words[2 * i + 1] = hi | 0x80000000;
    }
  }
  big.sort();
  let prev = -Infinity;
  let disordered = false;
  for (let k = 0; k < n; k++) {
    const i = words[2 * k] & mask;
    order[k] = i;
    const v = x[i];
    sorted[k] = v;
    if (v < prev) disordered = true;
    prev = v;
  }
  if (disordered) fixRuns(x, order, sorted, words, keep);
}

/** Sorts by value each run of keys that agree in all but their index bits (and are out of order). */
function fixRuns(x: Float64Array, order: Uint32Array, sorted: Float64Array, words: Uint32Array, keep: number): void {
  const n = x.length;
  let a = 0;
  while (a < n) {
    let b = a + 1;
    while (b < n && words[2 * b + 1] === words[2 * a + 1] && (words[2 * b] & keep) === (words[2 * a] & keep)) b++;
    if (b - a > 1) {
      let ordered = true;
      for (let k = a + 1; k < b; k++) if (sorted[k] < sorted[k - 1]) ordered = false;
      if (!ordered) {
        order.subarray(a, b).sort((i, j) => x[i] - x[j]);
        for (let k = a; k < b; k++) sorted[k] = x[order[k]];
      }
    }
    a = b;
  }
}
