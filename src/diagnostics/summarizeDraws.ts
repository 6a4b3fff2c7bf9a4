// All summary statistics and diagnostics of one scalar quantity at once, sharing the sorts and transforms they have in common.
import {
  asFloat64Chains,
  checkDraws,
  deviationChains,
  type Draws,
  hasNonFinite,
  indicatorChains,
  isConstant,
  mean,
  medianSorted,
  pooled,
  quantileSorted,
  splitChains,
  variance,
} from './draws.js';
import { essOfChains } from './ess.js';
import { checkHdiProb, DEFAULT_HDI_PROB, hdiSorted } from './hdi.js';
import { mcseQuantileSorted, mcseSdFromMoments } from './mcse.js';
import { rhatOfChains } from './rhat.js';
import { zScale } from './rankNormalize.js';

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
  const chains = asFloat64Chains(draws);
  if (hasNonFinite(chains)) return out;
  const flat = pooled(chains);
  const m = mean(flat);
  out.mean = m;
  out.sd = Math.sqrt(variance(flat, m));
  const sorted = flat.slice().sort();
  out.median = medianSorted(sorted);
  [out.hdiLower, out.hdiUpper] = hdiSorted(sorted, hdiProb);
  if (isConstant(chains)) {
    out.sd = 0;
    return out;
  }

  const split = splitChains(chains);
  // With an even chain length the split draws are all the draws, so their sort is `sorted`.
  const zBulk = zScale(split, nDraws % 2 === 0 ? sorted : undefined);
  out.ess_bulk = essOfChains(zBulk);
  if (nDraws >= 4) {
    const folded = deviationChains(chains, out.median, 1);
    out.r_hat = Math.max(rhatOfChains(zBulk), rhatOfChains(zScale(splitChains(folded))));
  }
  out.ess_tail = Math.min(
    essOfChains(indicatorChains(split, quantileSorted(sorted, 0.05))),
    essOfChains(indicatorChains(split, quantileSorted(sorted, 0.95))),
  );
  out.ess_mean = essOfChains(split);
  out.mcse_mean = out.sd / Math.sqrt(out.ess_mean);

  // MCSE of the sd (Kenney & Keeping 1951), as mcseSd: moments over all draws, ESS over split chains.
  const sq = deviationChains(split, m, 2);
  out.mcse_sd = mcseSdFromMoments(flat, m, essOfChains(sq));

  if (opts.extras) {
    out.ess_sd = essOfChains(deviationChains(split, m, 1));
    out.ess_median = essOfChains(indicatorChains(split, quantileSorted(sorted, 0.5)));
    out.mcse_median = mcseQuantileSorted(chains, sorted, 0.5);
  }
  return out;
}
