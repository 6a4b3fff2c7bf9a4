// Potential scale reduction R̂: the rank-normalised split R̂ of Vehtari et al. (2021) and the basic split R̂.
import { rhatOfChains } from './chainRhat.js';
import { rankNormalizedRhat, splitPool } from './convergence.js';
import { checkDraws, type Draws, hasNonFinite, isConstant, splitChains } from './draws.js';
import type { SplitOptions } from './ess.js';

export { rhatOfChains } from './chainRhat.js';

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
 * declare const chain0: Float64Array, chain1: Float64Array, chain2: Float64Array, chain3: Float64Array; // draws of each chain
 * rhat([chain0, chain1, chain2, chain3]); // ≈ 1.002 for well-mixed chains
 *
 * References: Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), Rank-normalization, folding,
 * and localization: an improved R̂ for assessing convergence of MCMC, Bayesian Analysis 16(2).
 */
export function rhat(draws: Draws): number {
  const { nChains, nDraws } = checkDraws(draws, 'rhat');
  if (nChains === 0 || nDraws < 4 || hasNonFinite(draws) || isConstant(draws)) return NaN;
  return rankNormalizedRhat(splitPool(draws), nDraws);
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
