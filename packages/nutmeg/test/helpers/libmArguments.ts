// Arguments for the bit-for-bit tests of core/libm: a function's own thresholds with their neighbours, powers of two, sweeps and random magnitudes.

/**
 * The arguments a libm test tries: special values (±0, ±∞, NaN, 1, −1, ±0.5, 2, 1e-300, the
 * smallest subnormal) and `specials` (the function's branch thresholds), each with its neighbours
 * one ulp away, of both signs; powers of two 2^-60…2^60 with their neighbours, their negatives,
 * 2^k − 1 and 2^k − 1 + 2^(k−40) (1 + v next to a power of two) and −1 + 2^-|k|; dense sweeps
 * (i/100, i/4001, i/7 + 0.001 for |i| ≤ 8000); and 20,000 magnitudes from 10^-3 to 10^5 of both
 * signs from a fixed Lehmer sequence.
 *
 * @param specials - the thresholds of the function under test
 * @returns the arguments, the same on every run
 */
export function libmArguments(specials: readonly number[]): number[] {
  const xs = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, 1e-300, 5e-324, ...specials];
  for (const t of [...xs]) if (Number.isFinite(t)) for (const d of [1 - 2 ** -52, 1 + 2 ** -52]) xs.push(t * d, -t * d);
  for (let k = -60; k <= 60; k++) xs.push(2 ** k, 2 ** k * (1 + 2 ** -52), 2 ** k * (1 - 2 ** -53), -(2 ** k), 2 ** k - 1, 2 ** k - 1 + 2 ** (k - 40), -1 + 2 ** -Math.abs(k));
  for (let i = -8000; i <= 8000; i++) xs.push(i / 100, i / 4001, i / 7 + 1e-3);
  let s = 12345;
  for (let i = 0; i < 20000; i++) {
    s = (s * 16807) % 2147483647;
    xs.push((s / 2147483647 - 0.5) * 2 * 10 ** (((i % 13) - 6) / 2) * (i % 3 === 0 ? 100 : 1));
  }
  return xs;
}
