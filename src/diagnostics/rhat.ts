// Potential scale reduction R̂: the rank-normalised split R̂ of Vehtari et al. (2021) and the basic split R̂.
import { checkDraws, type Draws, hasNonFinite, isConstant, mean, splitChains, variance } from './draws.js';
import type { SplitOptions } from './ess.js';
import { foldDraws, zScale } from './rankNormalize.js';

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
  if (n < 2 || hasNonFinite(chains) || isConstant(chains)) return NaN;
  const means = new Float64Array(nChains);
  let w = 0;
  for (let c = 0; c < nChains; c++) {
    means[c] = mean(chains[c]);
    w += variance(chains[c], means[c]);
  }
  w /= nChains;
  const b = n * variance(means);
  return Math.sqrt((b / w + n - 1) / n);
}

/**
 * Rank-normalised split R̂: the larger of the split R̂ of the rank-normalised draws (location)
 * and of the rank-normalised folded draws `|x − median|` (scale). Values above 1.01 mean the chains
 * have not mixed. One chain is split in halves, so R̂ is defined for it too.
 *
 * @param draws - `draws[chain][draw]`
 * @returns R̂, or NaN for fewer than 4 draws per chain, non-finite or constant draws. R needs at
 *   least 2 chains after splitting, so a single chain of n ≥ 4 draws works.
 * @throws OptionError when chains have unequal lengths
 * @example
 * rhat([chain0, chain1, chain2, chain3]); // ≈ 1.002 for well-mixed chains
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R̂ for assessing convergence of MCMC, Bayesian Analysis 16(2).
 */
export function rhat(draws: Draws): number {
  const { nChains, nDraws } = checkDraws(draws, 'rhat');
  if (nChains === 0 || nDraws < 4 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  const bulk = rhatOfChains(zScale(splitChains(draws)));
  const tail = rhatOfChains(zScale(splitChains(foldDraws(draws))));
  return Math.max(bulk, tail);
}

/**
 * Basic R̂ (Gelman et al. 2013), split by default, without rank normalisation; not robust to
 * heavy tails or to chains that differ only in scale — prefer `rhat`.
 *
 * @param draws - `draws[chain][draw]`
 * @param opts - `split` (default true)
 * @returns R̂ or NaN
 * @throws OptionError when chains have unequal lengths
 *
 * References: Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., §11.4.
 */
export function rhatBasic(draws: Draws, opts: SplitOptions = {}): number {
  const { nChains, nDraws } = checkDraws(draws, 'rhatBasic');
  if (nChains === 0 || nDraws < 2) return NaN;
  const chains = opts.split === false ? draws.map((c) => Float64Array.from(c)) : splitChains(draws);
  return rhatOfChains(chains);
}
