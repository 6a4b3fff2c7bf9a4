// All summary statistics and diagnostics of one scalar quantity at once, sharing the sorts and transforms they have in common.
import { checkDraws, type Draws, hasNonFinite, isConstant, mapDraws, mean, medianSorted, pooled, splitChains, variance } from './draws.js';
import { essOfChains, essQuantileSorted } from './ess.js';
import { checkHdiProb, DEFAULT_HDI_PROB, hdiSorted } from './hdi.js';
import { mcseQuantileSorted } from './mcse.js';
import { rhatOfChains } from './rhat.js';
import { foldDraws, zScale } from './rankNormalize.js';

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
  mcse_median: number;
  ess_bulk: number;
  ess_tail: number;
  ess_mean: number;
  ess_sd: number;
  ess_median: number;
  r_hat: number;
}

/**
 * Summary statistics (mean, sd, median, HDI) and diagnostics (MCSE of mean, sd and median; bulk,
 * tail, mean, sd and median ESS; rank-normalised R̂) of one scalar quantity. Each value equals what
 * the single-purpose function returns (`rhat`, `essBulk`, `mcseSd`, `hdi`, …), but the pooled sort,
 * the split chains and the rank normalisation are computed once.
 *
 * Degenerate input: non-finite draws make everything NaN; constant draws keep mean, sd (0),
 * median and HDI and make the diagnostics NaN; fewer than 4 draws per chain make R̂ NaN and ESS and
 * MCSE NaN below 6.
 *
 * @param draws - `draws[chain][draw]`
 * @param opts - `hdiProb`: HDI probability (default 0.94)
 * @returns the statistics
 * @throws OptionError for chains of unequal lengths or an HDI probability outside (0, 1]
 * @example
 * summarizeDraws([[0.1, 0.3, -0.2, 0.5], [0.0, 0.2, 0.4, -0.1]]).mean; // 0.15
 */
export function summarizeDraws(draws: Draws, opts: { hdiProb?: number } = {}): DrawsSummary {
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
    mcse_median: NaN,
    ess_bulk: NaN,
    ess_tail: NaN,
    ess_mean: NaN,
    ess_sd: NaN,
    ess_median: NaN,
    r_hat: NaN,
  };
  if (nChains === 0 || nDraws === 0 || hasNonFinite(draws)) return out;
  const flat = pooled(draws);
  const m = mean(flat);
  out.mean = m;
  out.sd = Math.sqrt(variance(flat, m));
  const sorted = Float64Array.from(flat).sort();
  out.median = medianSorted(sorted);
  [out.hdiLower, out.hdiUpper] = hdiSorted(sorted, hdiProb);
  if (isConstant(draws)) {
    out.sd = 0;
    return out;
  }

  const split = splitChains(draws);
  const zBulk = zScale(split);
  out.ess_bulk = essOfChains(zBulk);
  if (nDraws >= 4) {
    const bulk = rhatOfChains(zBulk);
    const tail = rhatOfChains(zScale(splitChains(foldDraws(draws))));
    out.r_hat = Math.max(bulk, tail);
  }
  out.ess_tail = Math.min(essQuantileSorted(draws, sorted, 0.05), essQuantileSorted(draws, sorted, 0.95));
  out.ess_median = essQuantileSorted(draws, sorted, 0.5);
  out.ess_mean = essOfChains(split);
  out.mcse_mean = out.sd / Math.sqrt(out.ess_mean);
  out.ess_sd = essOfChains(splitChains(mapDraws(draws, (v) => Math.abs(v - m))));
  out.mcse_median = mcseQuantileSorted(draws, sorted, 0.5);

  // MCSE of the sd (Kenney & Keeping 1951), as mcseSd.
  const sq = mapDraws(draws, (v) => (v - m) * (v - m));
  const essSq = essOfChains(splitChains(sq));
  const flatSq = pooled(sq);
  const eVar = mean(flatSq);
  let m4 = 0;
  for (let i = 0; i < flatSq.length; i++) m4 += flatSq[i] * flatSq[i];
  m4 /= flatSq.length;
  out.mcse_sd = Math.sqrt((m4 - eVar * eVar) / essSq / eVar / 4);
  return out;
}
