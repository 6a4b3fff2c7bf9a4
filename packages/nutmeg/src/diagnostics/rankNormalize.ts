// Rank normalisation (z-scale) and folding of draws, the transforms behind rank-normalised R-hat and bulk/tail ESS.
import { normalQuantile } from '../math/stdlib.js';
import { type Draws, mapDraws, medianSorted, pooled, sortedPooled } from './draws.js';
import { scratchFloat64, scratchUint32 } from './scratch.js';
import { argsortFloat64 } from './sort.js';
import { firstAtLeast } from './sortedSearch.js';

/**
 * Rank-normalises draws: each draw is replaced by its rank r among all S pooled draws (ties get
 * their average rank, which keeps discrete quantities discrete), then by the normal quantile
 * `Φ⁻¹((r − 3/8) / (S + 1/4))` (Blom's offset c = 3/8). This is R posterior's `z_scale`.
 *
 * @param draws - `draws[chain][draw]`, finite values
 * @param _sorted - ignored: the ranks come from one argsort of the draws (the parameter is kept so
 *   that existing calls still compile)
 * @returns the normal scores, in the same layout
 * @example
 * zScale([[3, 1, 2]]); // [Float64Array [0.8694…, -0.8694…, 0]]
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R-hat for assessing convergence of MCMC, Bayesian Analysis 16(2);
 * Blom (1958), Statistical Estimates and Transformed Beta-Variables.
 */
export function zScale(draws: Draws, _sorted?: Float64Array): Float64Array[] {
  const flat = pooled(draws);
  const n = flat.length;
  // scratch slots: zscale.order, zscale.sorted
  const order = scratchUint32('zscale.order', n);
  const sorted = scratchFloat64('zscale.sorted', n);
  argsortFloat64(flat, order, sorted);
  normalScores(order, sorted, n, flat);
  const out: Float64Array[] = [];
  let off = 0;
  for (const ch of draws) {
    out.push(flat.slice(off, off + ch.length));
    off += ch.length;
  }
  return out;
}

/**
 * Normal scores of n values from their argsort (`sorted[k] = x[order[k]]`): `out[order[k]]` gets
 * the Blom score of the average rank of `sorted[k]`, as `zScale` computes it.
 *
 * @param order - the sorting permutation
 * @param sorted - the values sorted ascending
 * @param n - number of values
 * @param out - receives the scores in the values' original positions
 */
export function normalScores(order: Uint32Array, sorted: Float64Array, n: number, out: Float64Array): void {
  const table = blomTable(n);
  let a = 0;
  while (a < n) {
    const v = sorted[a];
    let b = a + 1;
    while (b < n && sorted[b] === v) b++;
    // The average rank (a + 1 + b)/2 is a whole or half number: 2r indexes the table exactly.
    const k = a + 1 + b;
    let z = table[k];
    if (Number.isNaN(z)) z = table[k] = blomScore(k / 2, n);
    for (let j = a; j < b; j++) out[order[j]] = z;
    a = b;
  }
}

/**
 * Normal scores of the folded values `|x − med|` from the argsort of x, without sorting again:
 * walking outwards from `med`, the folded values of the draws below it and of those above it
 * each increase, so merging the two walks orders them.
 *
 * @param order - the permutation that sorts x
 * @param sorted - x sorted ascending
 * @param n - number of values
 * @param med - the centre of folding
 * @param out - receives the scores of the folded values in the values' original positions
 */
export function foldedNormalScores(order: Uint32Array, sorted: Float64Array, n: number, med: number, out: Float64Array): void {
  // scratch slots: fold.order, fold.sorted
  const fOrder = scratchUint32('fold.order', n);
  const fSorted = scratchFloat64('fold.sorted', n);
  const lo = firstAtLeast(sorted, med, 0, n);
  let left = lo - 1;
  let right = lo;
  let fl = left >= 0 ? Math.abs(sorted[left] - med) : Infinity;
  let fr = right < n ? Math.abs(sorted[right] - med) : Infinity;
  for (let k = 0; k < n; k++) {
    // The index tests decide when a side is exhausted (its placeholder Infinity is never taken).
    if (right >= n || (left >= 0 && fl <= fr)) {
      fSorted[k] = fl;
      fOrder[k] = order[left--];
      fl = left >= 0 ? Math.abs(sorted[left] - med) : Infinity;
    } else {
      fSorted[k] = fr;
      fOrder[k] = order[right++];
      fr = right < n ? Math.abs(sorted[right] - med) : Infinity;
    }
  }
  normalScores(fOrder, fSorted, n, out);
}

/** Blom's normal score `Φ⁻¹((r − 3/8) / (S + 1/4))` of rank r among S. */
function blomScore(r: number, s: number): number {
  return normalQuantile((r - BLOM_C) / (s - 2 * BLOM_C + 1), 0, 1);
}

/** Blom's fractional offset c = 3/8. */
const BLOM_C = 3 / 8;

/** Normal scores by doubled rank, filled lazily, for the last few pooled sizes S. */
const blomTables = new Map<number, Float64Array>();

function blomTable(s: number): Float64Array {
  let t = blomTables.get(s);
  if (!t) {
    t = new Float64Array(2 * s + 2).fill(NaN);
    if (blomTables.size >= 8) blomTables.clear();
    blomTables.set(s, t);
  }
  return t;
}

/**
 * Folds draws around their pooled median, `|x − median(x)|` (R posterior's `fold_draws`); the
 * folded draws' R-hat detects chains that differ in scale rather than location.
 *
 * @param draws - `draws[chain][draw]`, finite values
 */
export function foldDraws(draws: Draws): Float64Array[] {
  const med = medianSorted(sortedPooled(draws));
  return mapDraws(draws, (v) => Math.abs(v - med));
}
