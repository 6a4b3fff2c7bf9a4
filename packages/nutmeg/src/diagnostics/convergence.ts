// Rank-normalised split R̂ and bulk and tail ESS of one quantity together, from one argsort of its split draws.
import { essOfFlat, essOfIndicator } from './chainEss.js';
import { rhatOfFlat } from './chainRhat.js';
import { checkDraws, type Draws, hasNonFinite, isConstant, medianSorted, pooled, quantileSorted, splitInto } from './draws.js';
import { foldedNormalScores, normalScores } from './rankNormalize.js';
import { scratchFloat64, scratchUint32 } from './scratch.js';
import { argsortFloat64, sortFloat64 } from './sort.js';

/** The convergence diagnostics of one scalar quantity, named as ArviZ/posterior name them. */
export interface ConvergenceDiagnostics {
  /** Rank-normalised split R̂ (the larger of bulk and folded R̂); NaN for fewer than 4 draws per chain. */
  r_hat: number;
  /** Bulk effective sample size. */
  ess_bulk: number;
  /** Tail effective sample size (the smaller of the 5% and 95% quantile ESS). */
  ess_tail: number;
}

/**
 * The split draws of one quantity laid end to end, with their argsort: what rank normalisation,
 * folding and the tail indicators all start from. Buffers are work buffers, valid until the next
 * call of `splitPool`.
 */
export interface SplitPool {
  /** Number of split chains (twice the chains, or the chains themselves for chains of one draw). */
  nChains: number;
  /** Length of each split chain. */
  len: number;
  /** The split chains end to end (`splitInto`'s layout). */
  split: Float64Array;
  /** The permutation that sorts `split`. */
  order: Uint32Array;
  /** `split` sorted ascending. */
  sorted: Float64Array;
  /** All pooled draws sorted ascending: `sorted` itself when the split drops no draw (even chain lengths). */
  sortedAll: Float64Array;
}

/**
 * Lays out the split chains of finite draws and sorts them once.
 *
 * @param draws - `draws[chain][draw]`, at least one chain, finite values
 */
export function splitPool(draws: Draws): SplitPool {
  const nDraws = draws[0].length;
  // scratch slots: pool.split, pool.order, pool.sorted
  const buf = scratchFloat64('pool.split', draws.length * nDraws);
  const { nChains, len } = splitInto(draws, buf);
  const s = nChains * len;
  const split = buf.subarray(0, s);
  const order = scratchUint32('pool.order', s);
  const sorted = scratchFloat64('pool.sorted', s);
  argsortFloat64(split, order, sorted);
  // An odd chain length drops each chain's middle draw from the split chains.
  const sortedAll = nDraws % 2 === 0 || nDraws <= 1 ? sorted : sortFloat64(pooled(draws));
  return { nChains, len, split, order, sorted, sortedAll };
}

/**
 * Rank-normalised split R̂ from a split pool: the larger of the R̂ of the normal scores of the
 * draws and of the normal scores of the draws folded around their median (as `rhat`).
 *
 * @param pool - from `splitPool`
 * @param nDraws - draws per (unsplit) chain; R̂ is NaN below 4
 * @param bulkScores - the normal scores of `pool.split`, when already at hand
 */
export function rankNormalizedRhat(pool: SplitPool, nDraws: number, bulkScores?: Float64Array): number {
  if (nDraws < 4) return NaN;
  const s = pool.nChains * pool.len;
  // scratch slot: conv.z
  const z = scratchFloat64('conv.z', s);
  if (bulkScores === undefined) normalScores(pool.order, pool.sorted, s, z);
  const bulk = rhatOfFlat(bulkScores ?? z, pool.nChains, pool.len);
  foldedNormalScores(pool.order, pool.sorted, s, medianSorted(pool.sortedAll), z);
  const tail = rhatOfFlat(z, pool.nChains, pool.len);
  return Math.max(bulk, tail);
}

/**
 * Bulk ESS from a split pool: the ESS of the normal scores of the split draws (as `essBulk`).
 *
 * @param pool - from `splitPool`
 * @param scores - receives the normal scores (length ≥ the pool's size), for reuse by the caller
 */
export function bulkEss(pool: SplitPool, scores: Float64Array): number {
  normalScores(pool.order, pool.sorted, pool.nChains * pool.len, scores);
  return essOfFlat(scores, pool.nChains, pool.len);
}

/**
 * Quantile ESS from a split pool: the ESS of the indicator `x ≤ q̂(prob)` of the split draws,
 * q̂ the type-7 quantile of all draws (as `essQuantile`, also for prob = 1).
 *
 * @param pool - from `splitPool`
 * @param prob - probability in [0, 1]
 */
export function quantileEss(pool: SplitPool, prob: number): number {
  const all = pool.sortedAll;
  const q = quantileSorted(all, prob === 1 ? (all.length - 0.5) / all.length : prob);
  return essOfIndicator(pool.split, pool.nChains, pool.len, q);
}

/**
 * Tail ESS from a split pool: the smaller of the 5% and 95% quantile ESS (as `essTail`).
 *
 * @param pool - from `splitPool`
 */
export function tailEss(pool: SplitPool): number {
  return Math.min(quantileEss(pool, 0.05), quantileEss(pool, 0.95));
}

/**
 * The convergence diagnostics of one scalar quantity: rank-normalised split R̂ and bulk and tail
 * ESS, equal to `rhat`, `essBulk` and `essTail` (and to those of `summarizeDraws`) but sharing one
 * sort of the draws: the folded draws are ordered by merging outwards from the median, and the
 * tail indicators read the same split chains. This is what the convergence warnings after
 * sampling need, at a fraction of the cost of a full summary.
 *
 * Degenerate input, as `summarizeDraws`: no draws or a non-finite draw make all three NaN, as do
 * constant draws; R̂ needs at least 4 draws per chain and ESS at least 6.
 *
 * @param draws - `draws[chain][draw]`
 * @returns `{r_hat, ess_bulk, ess_tail}`
 * @throws OptionError when chains have unequal lengths
 * @example
 * declare const chain0: Float64Array, chain1: Float64Array, chain2: Float64Array, chain3: Float64Array; // draws of each chain
 * const { r_hat, ess_bulk, ess_tail } = convergenceDiagnostics([chain0, chain1, chain2, chain3]);
 * if (r_hat > 1.01 || ess_bulk < 400) console.warn('not converged');
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R̂ for assessing convergence of MCMC, Bayesian Analysis 16(2).
 */
export function convergenceDiagnostics(draws: Draws): ConvergenceDiagnostics {
  const { nChains, nDraws } = checkDraws(draws, 'convergenceDiagnostics');
  const out: ConvergenceDiagnostics = { r_hat: NaN, ess_bulk: NaN, ess_tail: NaN };
  if (nChains === 0 || nDraws === 0 || hasNonFinite(draws) || isConstant(draws)) return out;
  convergenceOfPool(splitPool(draws), nDraws, out);
  return out;
}

/**
 * Fills `out.r_hat`, `out.ess_bulk` and `out.ess_tail` from a split pool of finite, non-constant
 * draws (the shared core of `convergenceDiagnostics` and `summarizeDraws`).
 *
 * @param pool - from `splitPool`
 * @param nDraws - draws per (unsplit) chain
 * @param out - receives the three values
 */
export function convergenceOfPool(pool: SplitPool, nDraws: number, out: ConvergenceDiagnostics): void {
  // scratch slot: conv.bulk
  const bulk = scratchFloat64('conv.bulk', pool.nChains * pool.len);
  out.ess_bulk = bulkEss(pool, bulk);
  out.r_hat = rankNormalizedRhat(pool, nDraws, bulk);
  out.ess_tail = tailEss(pool);
}
