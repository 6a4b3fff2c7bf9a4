// A count written with thousands separators, the way messages and notes print it.

/**
 * A count with thousands separators (1,000,000), as toLocaleString('en-US') writes it, made by hand:
 * the first toLocaleString of a process costs ~15 ms (ICU starting), paid by every first sample().
 * Other numbers get three significant digits.
 *
 * @param n - the count
 * @returns the text
 * @example
 * formatCount(20002); // '20,002'
 */
export function formatCount(n: number): string {
  return Number.isInteger(n) && n < 1e15 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toPrecision(3);
}
