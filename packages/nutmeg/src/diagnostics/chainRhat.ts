// R̂ of draws already laid out as chains (split or not): the between/within-chain variance ratio every R̂ variant ends with.
import { degeneracy, meanOf, variance, varianceOf } from './draws.js';
import { scratchFloat64 } from './scratch.js';

/**
 * R̂ of draws already laid out as chains (split or not), R posterior's internal `.rhat`:
 * `sqrt((B/W + n − 1) / n)` with B = n·var(chain means) and W the mean within-chain variance.
 * NaN when a draw is non-finite, all draws are equal, or chains have fewer than 2 draws.
 *
 * @param chains - chains of equal length
 */
export function rhatOfChains(chains: readonly Float64Array[]): number {
  const nChains = chains.length;
  if (nChains === 0) return NaN;
  const n = chains[0].length;
  // scratch slot: rhat.in
  const flat = scratchFloat64('rhat.in', nChains * n);
  for (let c = 0; c < nChains; c++) {
    const ch = chains[c];
    for (let i = 0; i < n; i++) flat[c * n + i] = ch[i];
  }
  return rhatOfFlat(flat, nChains, n);
}

/**
 * `rhatOfChains` of chains laid end to end: chain c is `x[c·n … (c + 1)·n − 1]`.
 *
 * @param x - the chains
 * @param nChains - number of chains
 * @param n - length of each chain
 */
export function rhatOfFlat(x: Float64Array, nChains: number, n: number): number {
  if (nChains === 0 || n < 2 || degeneracy(x, nChains * n) !== 0) return NaN;
  const means = new Float64Array(nChains);
  let w = 0;
  for (let c = 0; c < nChains; c++) {
    means[c] = meanOf(x, c * n, n);
    w += varianceOf(x, c * n, n, means[c]);
  }
  w /= nChains;
  const b = n * variance(means);
  return Math.sqrt((b / w + n - 1) / n);
}
