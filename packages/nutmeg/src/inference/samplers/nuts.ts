// The NUTS entry of the sampler registry: Stan's multinomial NUTS with windowed warm-up, and ArviZ's sample_stats.
import { buildNuts, type NutsInfo } from '../hmc/nuts.js';
import { ADAPTATION_DEFAULTS } from '../adaptation/settings.js';
import { hmcWindowAdaptation } from './hmcAdaptation.js';
import type { Sampler } from './sampler.js';

/** The per-draw statistics of NUTS, with ArviZ's `sample_stats` names (booleans stored as 0/1). */
export const NUTS_STAT_NAMES = [
  'lp',
  'acceptance_rate',
  'step_size',
  'tree_depth',
  'n_steps',
  'diverging',
  'energy',
  'energy_error',
  'max_energy_error',
  'reached_max_treedepth',
] as const;

/**
 * The No-U-Turn sampler as the chain loop runs it: {@link buildNuts} with the chain's
 * `maxTreeDepth` and `divergenceThreshold`, Stan's window adaptation, and per draw the
 * statistics ArviZ names for NUTS (`lp`, `acceptance_rate`, `step_size`, `tree_depth`, `n_steps`,
 * `diverging`, `energy`, `energy_error`, `max_energy_error`, `reached_max_treedepth`).
 */
export const nutsSampler: Sampler<NutsInfo> = {
  name: 'nuts',
  label: 'NUTS',
  defaultTargetAccept: ADAPTATION_DEFAULTS.targetAccept,
  statNames: NUTS_STAT_NAMES,
  build(logDensity, settings) {
    return buildNuts(logDensity, { maxTreeDepth: settings.maxTreeDepth, divergenceThreshold: settings.divergenceThreshold });
  },
  adaptation: hmcWindowAdaptation,
  recordDraw(stats, i, state, info, params) {
    stats.lp[i] = state.logDensity;
    stats.acceptance_rate[i] = info.acceptanceRate;
    stats.step_size[i] = params.stepSize;
    stats.tree_depth[i] = info.treeDepth;
    stats.n_steps[i] = info.nSteps;
    stats.diverging[i] = info.diverging ? 1 : 0;
    stats.energy[i] = info.energy;
    stats.energy_error[i] = info.energyError;
    stats.max_energy_error[i] = info.maxEnergyError;
    stats.reached_max_treedepth[i] = info.reachedMaxTreeDepth ? 1 : 0;
  },
};
