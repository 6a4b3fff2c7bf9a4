// Binary search in an ascending array: where a value would go before or after the elements equal to it.

/**
 * The first index in `[from, to)` of ascending `a` whose element is ≥ x (`to` when none): the
 * count of elements below x, when `from` is 0.
 *
 * @example
 * firstAtLeast(Float64Array.of(1, 2, 2, 3), 2); // 1
 */
export function firstAtLeast(a: Float64Array, x: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index in `[from, to)` of ascending `a` whose element is > x (`to` when none): the
 * count of elements at most x, when `from` is 0.
 *
 * @example
 * firstAbove(Float64Array.of(1, 2, 2, 3), 2); // 3
 */
export function firstAbove(a: Float64Array, x: number, from = 0, to = a.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
