// Counts of divergent transitions and of NUTS trajectories that hit the maximum tree depth.
import { OptionError } from '../core/errors.js';
import { checkDraws, type Draws } from './draws.js';

/** A count per chain and in total. */
export interface ChainCounts {
  /** Sum over chains. */
  total: number;
  /** One count per chain. */
  perChain: number[];
}

/**
 * Counts divergent transitions (non-zero entries of the `diverging` sample statistic).
 *
 * @param diverging - `diverging[chain][draw]`, 0/1 (post-warm-up draws only, as stored)
 * @returns total and per-chain counts
 * @throws OptionError when chains have unequal lengths
 * @example
 * countDivergences([[0, 1, 0], [0, 0, 0]]); // {total: 1, perChain: [1, 0]}
 */
export function countDivergences(diverging: Draws): ChainCounts {
  checkDraws(diverging, 'countDivergences');
  const perChain = diverging.map((ch) => {
    let k = 0;
    for (let i = 0; i < ch.length; i++) if (ch[i] !== 0 && !Number.isNaN(ch[i])) k++;
    return k;
  });
  return { total: perChain.reduce((a, b) => a + b, 0), perChain };
}

/**
 * Counts transitions whose NUTS tree reached the maximum depth (Stan's `treedepth__ ≥
 * max_depth`): the trajectory was cut short, so the sampler explores slowly.
 *
 * @param treeDepth - `tree_depth[chain][draw]`
 * @param maxTreeDepth - the sampler's maximum tree depth (positive integer)
 * @returns total and per-chain counts
 * @throws OptionError when maxTreeDepth is not a positive integer or chains have unequal lengths
 * @example
 * countTreeDepthSaturation([[3, 10, 10]], 10); // {total: 2, perChain: [2]}
 */
export function countTreeDepthSaturation(treeDepth: Draws, maxTreeDepth: number): ChainCounts {
  if (!Number.isInteger(maxTreeDepth) || maxTreeDepth < 1) {
    throw new OptionError('maxTreeDepth', `must be a positive integer, got ${String(maxTreeDepth)}`);
  }
  checkDraws(treeDepth, 'countTreeDepthSaturation');
  const perChain = treeDepth.map((ch) => {
    let k = 0;
    for (let i = 0; i < ch.length; i++) if (ch[i] >= maxTreeDepth) k++;
    return k;
  });
  return { total: perChain.reduce((a, b) => a + b, 0), perChain };
}
