// All summary statistics and diagnostics of one scalar quantity at once, sharing the sorts and transforms they have in common.
import { essOfFlat } from './chainEss.js';
import { convergenceOfPool, quantileEss, splitPool, type ConvergenceDiagnostics } from './convergence.js';
import { checkDraws, type Draws, hasNonFinite, isConstant, mean, medianSorted, pooled, variance } from './draws.js';
import { checkHdiProb, DEFAULT_HDI_PROB, hdiSorted } from './hdi.js';
import { mcseQuantileFromEss, mcseSdFromMoments } from './mcse.js';
import { scratchFloat64 } from './scratch.js';
import { sortFloat64 } from './sort.js';

/** Every statistic `summarizeDraws` computes, named as ArviZ/posterior name them. */
export interface DrawsSummary {
  mean: number;
  sd: number;
  median: number;
  /** Lower and upper HDI bounds at the requested probability. */
  hdiLower: number;
  hdiUpper: number;
  mcse_mean: number;
  mcse_sd: number;
  ess_bulk: number;
  ess_tail: number;
  ess_mean: number;
  r_hat: number;
  /** Only with `extras: true` (NaN otherwise). */
  mcse_median: number;
  /** Only with `extras: true` (NaN otherwise). */
  ess_sd: number;
  /** Only with `extras: true` (NaN otherwise). */
  ess_median: number;
}

/** Options of `summarizeDraws`. */
export interface SummarizeDrawsOptions {
  /** HDI probability (default 0.94). */
  hdiProb?: number;
  /** Also compute `mcse_median`, `ess_sd` and `ess_median` (three more ESS computations). */
  extras?: boolean;
  /**
   * R̂, bulk and tail ESS of these draws already computed (by `convergenceDiagnostics`, e.g. for
   * sampling's warnings): used as they are instead of computed again. Default: computed.
   */
  convergence?: ConvergenceDiagnostics;
}

/**
 * Summary statistics (mean, sd, median, HDI) and diagnostics (MCSE of mean and sd; bulk, tail
 * and mean ESS; rank-normalised R̂; with `extras`, MCSE of the median and ESS of sd and median) of
 * one scalar quantity. Each value equals what the single-purpose function returns (`rhat`,
 * `essBulk`, `mcseSd`, `hdi`, …), but the pooled sort, the split chains and the rank normalisation
 * are computed once.
 *
 * Degenerate input: non-finite draws make everything NaN; constant draws keep mean, sd (0),
 * median and HDI and make the diagnostics NaN; fewer than 4 draws per chain make R̂ NaN, fewer than
 * 6 make ESS and MCSE NaN.
 *
 * @param draws - `draws[chain][draw]`
 * @param opts - `hdiProb` (default 0.94), `extras`
 * @returns the statistics
 * @throws OptionError for chains of unequal lengths or an HDI probability outside (0, 1]
 * @example
 * summarizeDraws([[0.1, 0.3, -0.2, 0.5], [0.0, 0.2, 0.4, -0.1]]).mean; // 0.15
 */
export function summarizeDraws(draws: Draws, opts: SummarizeDrawsOptions = {}): DrawsSummary {
  const hdiProb = opts.hdiProb ?? DEFAULT_HDI_PROB;
  checkHdiProb(hdiProb, 'hdiProb');
  const { nChains, nDraws } = checkDraws(draws, 'summarizeDraws');
  const out: DrawsSummary = {
    mean: NaN,
    sd: NaN,
    median: NaN,
    hdiLower: NaN,
    hdiUpper: NaN,
    mcse_mean: NaN,
    mcse_sd: NaN,
    ess_bulk: NaN,
    ess_tail: NaN,
    ess_mean: NaN,
    r_hat: NaN,
    mcse_median: NaN,
    ess_sd: NaN,
    ess_median: NaN,
  };
  if (nChains === 0 || nDraws === 0) return out;
  if (hasNonFinite(draws)) return out;
  const flat = pooled(draws);
  const m = mean(flat);
  out.mean = m;
  out.sd = Math.sqrt(variance(flat, m));
  if (isConstant(draws)) {
    const sorted = sortFloat64(flat);
    out.median = medianSorted(sorted);
    [out.hdiLower, out.hdiUpper] = hdiSorted(sorted, hdiProb);
    out.sd = 0;
    return out;
  }

  // One argsort of the split draws serves the median, HDI, rank normalisation, folding and tails.
  const pool = splitPool(draws);
  const sorted = pool.sortedAll;
  out.median = medianSorted(sorted);
  [out.hdiLower, out.hdiUpper] = hdiSorted(sorted, hdiProb);
  if (opts.convergence) {
    out.r_hat = opts.convergence.r_hat;
    out.ess_bulk = opts.convergence.ess_bulk;
    out.ess_tail = opts.convergence.ess_tail;
  } else convergenceOfPool(pool, nDraws, out);

  const { split, nChains: nSplit, len } = pool;
  const s = nSplit * len;
  out.ess_mean = essOfFlat(split, nSplit, len);
  out.mcse_mean = out.sd / Math.sqrt(out.ess_mean);

  // MCSE of the sd (Kenney & Keeping 1951), as mcseSd: moments over all draws, ESS over split chains.
  // scratch slot: summary.work
  const work = scratchFloat64('summary.work', s);
  for (let i = 0; i < s; i++) work[i] = (split[i] - m) * (split[i] - m);
  out.mcse_sd = mcseSdFromMoments(flat, m, essOfFlat(work, nSplit, len));

  if (opts.extras) {
    for (let i = 0; i < s; i++) work[i] = Math.abs(split[i] - m);
    out.ess_sd = essOfFlat(work, nSplit, len);
    out.ess_median = quantileEss(pool, 0.5);
    out.mcse_median = mcseQuantileFromEss(out.ess_median, sorted, 0.5);
  }
  return out;
}
