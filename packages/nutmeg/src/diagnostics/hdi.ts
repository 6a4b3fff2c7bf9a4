// Highest density interval: ArviZ's narrowest interval containing a given share of the pooled draws.
import { OptionError } from '../core/errors.js';
import { checkDraws, type Draws, hasNonFinite, sortedPooled } from './draws.js';

/** ArviZ's default HDI probability (`hdi_3%`, `hdi_97%`). */
export const DEFAULT_HDI_PROB = 0.94;

/**
 * The highest density interval of the pooled draws, as ArviZ defines it for unimodal draws: of
 * all intervals `[x₍ᵢ₎, x₍ᵢ₊ₖ₎]` between sorted draws with k = ⌊prob·S⌋, the narrowest (the
 * first one on ties).
 *
 * @param draws - `draws[chain][draw]`
 * @param prob - probability mass of the interval, in (0, 1]; default 0.94
 * @returns `[lower, upper]`; `[NaN, NaN]` when a draw is non-finite or there are too few draws
 * @throws OptionError when prob is outside (0, 1] or chains have unequal lengths
 * @example
 * hdi([[1, 2, 3, 4, 100]], 0.5); // [1, 3]
 *
 * References: ArviZ `arviz.hdi`; Hyndman (1996), Computing and graphing highest density regions.
 */
export function hdi(draws: Draws, prob: number = DEFAULT_HDI_PROB): [number, number] {
  checkDraws(draws, 'hdi');
  checkHdiProb(prob, 'hdi');
  if (hasNonFinite(draws)) return [NaN, NaN];
  return hdiSorted(sortedPooled(draws), prob);
}

/** hdi of values already sorted ascending. */
export function hdiSorted(sorted: ArrayLike<number>, prob: number): [number, number] {
  const n = sorted.length;
  const inc = Math.floor(prob * n);
  const nIntervals = n - inc;
  if (n === 0 || nIntervals <= 0) return [NaN, NaN];
  let best = 0;
  let bestWidth = Infinity;
  for (let i = 0; i < nIntervals; i++) {
    const w = sorted[i + inc] - sorted[i];
    if (w < bestWidth) {
      bestWidth = w;
      best = i;
    }
  }
  return [sorted[best], sorted[best + inc]];
}

/** Throws unless `prob` lies in (0, 1]. */
export function checkHdiProb(prob: number, option: string): void {
  if (typeof prob !== 'number' || !(prob > 0 && prob <= 1)) {
    throw new OptionError(option, `HDI probability must be in (0, 1], got ${String(prob)}`);
  }
}

/**
 * The column names ArviZ gives the HDI bounds for a probability: 0.94 → `hdi_3%`, `hdi_97%`.
 *
 * @param prob - HDI probability in (0, 1]
 */
export function hdiColumnNames(prob: number): [string, string] {
  const alpha = 1 - prob;
  const lower = roundPercent((100 * alpha) / 2);
  const upper = roundPercent(100 * (1 - alpha / 2));
  return [`hdi_${lower}%`, `hdi_${upper}%`];
}

/** A percentage as ArviZ prints it (Python's `:g`, 6 significant digits): `3`, `2.5`. */
function roundPercent(p: number): string {
  return String(parseFloat(p.toPrecision(6)));
}
